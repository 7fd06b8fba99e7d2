/* bazar race --save and --replay (cli/race_case.c): saving the first
 * failing round of a run as a case file, replaying one. */
#ifndef BAZAR_CLI_RACE_CASE_H
#define BAZAR_CLI_RACE_CASE_H

#include <stdbool.h>

#include "race/case_file.h"

/* Exit status of --save when no round failed: nothing was written. */
#define EXIT_NOTHING_TO_SAVE 3

/* Read the case PATH into *c and point OPTS at it (scenario, N,
 * attempts, parameters); MODE: "real", "naive" or "both". EXIT_OK, or
 * EXIT_FAIL / EXIT_USAGE with a sentence on stderr. */
int race_case_cli_load(const char *path, const char *mode, struct race_case *c, struct race_options *opts);
/* The replay's header and its reproduce counts (around the run's table). */
void race_case_cli_header(const struct race_case *c, const char *path, const char *schema_now);
void race_case_cli_summary(const struct race_report *report);
/* The first failing round of REPORT into the new file PATH: EXIT_OK
 * (written, said on stderr), EXIT_NOTHING_TO_SAVE, or EXIT_FAIL. */
int race_case_cli_save(const struct race_report *report, int attempts, const char *path);

#endif
