/* The race lab's report as its callers word it: the verdicts (PASS,
 * FAIL, CAUGHT, MISSED, ERROR) and the JSON report of docs/race.md (cJSON),
 * shared by "bazar race" and the console's Race lab screen. */
#ifndef BAZAR_RACE_REPORT_JSON_H
#define BAZAR_RACE_REPORT_JSON_H

#include "race/race.h"

/* The report as JSON text (docs/race.md); caller frees with free(). */
char *race_report_json(const struct race_report *report, const char *verdict);
/* PASS/FAIL for the real shop, CAUGHT/MISSED for the naive control,
 * ERROR when the mode could not run. */
const char *race_mode_verdict(const struct race_mode_report *m);
/* The run's verdict: PASS only when every mode ran to its end and said
 * PASS or CAUGHT; FAIL otherwise (a run stopped early is incomplete). */
const char *race_report_verdict(const struct race_report *report);
/* A mode's "locks" object (race/report_locks.c); a JSON null when watching was off. */
struct cJSON *race_locks_json(const struct race_mode_report *m);

#endif
