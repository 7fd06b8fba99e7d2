/* A saved failing round of the race lab ("a case"): the scenario, mode,
 * N, attempts and fixture parameters that made the round, what its
 * sessions got and what the check found, when and against which schema
 * it was recorded. A JSON file (docs/race.md, "Saved cases"); replaying it
 * runs the same scenario on the same fixture shape, with fresh rows, R
 * times: a thread interleaving cannot be replayed, only re-tried.
 * Reading a case validates every field; nothing here prints. */
#ifndef BAZAR_RACE_CASE_FILE_H
#define BAZAR_RACE_CASE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "race/race.h"

#define RACE_CASE_VERSION 1

struct race_case {
	const struct race_scenario_info *scenario;  /* static */
	enum race_mode mode;       /* the mode the failing round ran in */
	int sessions;
	int attempts;
	int nparams;               /* the scenario's parameters, in its order */
	int64_t params[RACE_MAX_PARAMS];
	int round;                 /* the failing round of the recording run */
	char why[320];             /* what the check found */
	struct race_session_outcome *outcomes;  /* sessions entries (owned) */
	char recorded_at[32];      /* UTC, 2026-11-29T13:40:00Z */
	char schema_version[32];   /* the database's schema_version() then */
};

/* The index in REPORT of the first mode with an anomalous round; -1: none. */
int race_case_first_failing(const struct race_report *report);
/* A case from mode report M (which has a failing round), run with
 * ATTEMPTS, stamped now and with SCHEMA_VERSION. */
void race_case_from_mode(struct race_case *c, const struct race_mode_report *m, int attempts,
                         const char *schema_version);
/* The case as JSON text; caller frees with free(). */
char *race_case_json(const struct race_case *c);
/* Parse and validate TEXT. BZ_OK, or BZ_ERR_INVALID_INPUT with a sentence
 * naming the field; *c is then empty. */
bz_err race_case_parse(const char *text, struct race_case *c, char *err, size_t errlen);
/* Read and validate the file PATH (BZ_ERR_IO: cannot read it). */
bz_err race_case_read(const char *path, struct race_case *c, char *err, size_t errlen);
/* Write C to a NEW file PATH: an existing one is never overwritten
 * (BZ_ERR_CONFLICT); BZ_ERR_IO when it cannot be written. */
bz_err race_case_write(const char *path, const struct race_case *c, char *err, size_t errlen);
/* Options that replay C: its scenario, N, attempts and parameters (OPTS
 * keeps pointers into C). Rounds and modes are the caller's. */
void race_case_options(const struct race_case *c, struct race_options *opts);
/* The owner connection's schema_version() (db/db.h). */
bz_err race_case_schema_version(char *out, size_t outlen, char *err, size_t errlen);
void race_case_free(struct race_case *c);

#endif
