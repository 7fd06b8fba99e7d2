/* The report of a replay: the JSON report of docs/race.md with a
 * "replay" object saying which case ran and how often it reproduced. */
#ifndef BAZAR_RACE_CASE_REPLAY_H
#define BAZAR_RACE_CASE_REPLAY_H

#include "race/case_file.h"

/* REPORT (a run of race_case_options(C)) as JSON text with the replay
 * of case file PATH; SCHEMA_NOW: the database's schema version now ("":
 * unknown). Caller frees with free(). */
char *race_replay_json(const struct race_report *report, const struct race_case *c, const char *path,
                       const char *schema_now);

#endif
