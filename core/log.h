/* Logging front end. core/ does no I/O, so this only formats and hands the
 * line to a sink that the program installs (cli/logfile.c writes
 * $BAZAR_HOME/bazar.log). Without a sink, lines are dropped.
 *
 * Contract for callers: never pass a password, session token, API key or
 * bind-parameter value. Log what happened, not what was typed. */
#ifndef BAZAR_CORE_LOG_H
#define BAZAR_CORE_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

typedef void (*log_sink_fn)(enum log_level level, const char *line, void *ctx);

void log_set_sink(log_sink_fn sink, void *ctx);
void bz_log(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *log_level_name(enum log_level level);

#endif
