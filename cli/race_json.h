/* Formatting the race lab's report for "bazar race" (cli/cmd_race.c). */
#ifndef BAZAR_CLI_RACE_JSON_H
#define BAZAR_CLI_RACE_JSON_H

#include "race/race.h"

/* The report as JSON text (docs/race.md); caller frees with free(). */
char *race_cli_json(const struct race_report *report, const char *verdict);
/* PASS/FAIL for the real shop, CAUGHT/MISSED for the naive control,
 * ERROR when the mode could not run. */
const char *race_cli_mode_verdict(const struct race_mode_report *m);

#endif
