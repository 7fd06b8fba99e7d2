/* Bazar's own log file: the sink behind core/log.h. One line per event,
 *   2026-11-29T10:00:00Z info 12345 message
 * appended (O_APPEND, so concurrent bazar processes never interleave
 * inside a line) to a file created lazily with mode 0600. */
#ifndef BAZAR_CLI_LOGFILE_H
#define BAZAR_CLI_LOGFILE_H

/* Install the sink writing to path. The file is opened at the first line
 * logged; while its folder does not exist yet (a first "bazar db start"
 * creates it) lines are dropped and the open is retried. Any other failure
 * prints one warning to stderr and turns logging off for this process. */
void logfile_open(const char *path);

/* Remove the sink and close the file. */
void logfile_close(void);

#endif
