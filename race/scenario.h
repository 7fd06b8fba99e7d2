/* Inside the race lab's engine: what a scenario is and what it gets (the
 * round's fixture, its workers). The engine's callers see race/race.h. */
#ifndef BAZAR_RACE_SCENARIO_H
#define BAZAR_RACE_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "db/db.h"
#include "db/request.h"
#include "race/race.h"

#define RACE_TOKEN_MAX 160
#define RACE_SLOTS 8

/* One round's shared fixture. Filled by the scenario's setup (owner
 * connection), read by the workers. */
struct race_round {
	enum race_mode mode;
	int sessions;
	int round;
	char tag[48];                          /* unique per run, scenario and mode: fixture names */
	struct db_conn *owner;                 /* search_path follows the mode */
	char tokens[RACE_MAX_SESSIONS][RACE_TOKEN_MAX];  /* one session per worker (or shared) */
	char ids[RACE_SLOTS][40];              /* uuids the scenario needs */
	char text[RACE_SLOTS][80];             /* codes, e-mails */
	int64_t num[RACE_SLOTS];               /* limits, amounts, versions */
	char note[480];                        /* the check's report lines for this round ("\n" between) */
	int64_t param[RACE_MAX_PARAMS];        /* the fixture parameters (scenario's params), set
	                                        * before setup: a replay's, or the scenario's choice */
};

/* What one worker did. */
struct race_worker {
	int index;
	struct db_conn *conn;
	struct race_round *round;
	bool ok;                 /* the action succeeded (per the scenario) */
	bz_err err;              /* BZ_OK or the error */
	char sqlstate[6];
	char note[96];           /* e.g. a business outcome */
	int64_t started_us;      /* the server's start time (0: unknown) */
	int64_t latency_us;      /* set by the engine */
	int attempts;
};

struct race_scenario {
	const char *name;
	const char *invariant;   /* what must hold, in words */
	enum db_role role;       /* the workers' database role */
	bool no_naive;           /* a fault scenario: nothing for a naive control to get wrong */
	bool explicit_only;      /* runs only when named (it stops the server) */
	const char *needs;       /* NULL, or the option it cannot run without (checked up front) */
	/* The fixture parameters setup reads from r->param (NULL: none), and
	 * what a run that replays nothing gives them (from sessions, round). */
	const struct race_param_info *params;
	void (*choose)(struct race_round *r);
	/* Make the round's fixture; BZ_OK or an error in err. */
	bz_err (*setup)(struct race_round *r, char *err, size_t errlen);
	/* The action, run in every worker after the barrier. */
	void (*fire)(struct race_worker *w);
	/* Count what is wrong after the round (0 = the invariant holds); why
	 * says what, for the report. */
	int (*check)(struct race_round *r, const struct race_worker *workers, char *why, size_t whylen);
};

/* Run SQL on the round's owner connection (parameters bound); *req holds
 * the rows until db_request_free. */
bz_err race_sql(struct race_round *r, struct db_request *req, const char *sql, int nparams,
                const char *const params[], char *err, size_t errlen);
/* The first column of the first row as int64 (0 on error, with err set). */
int64_t race_sql_int(struct race_round *r, const char *sql, int nparams, const char *const params[],
                     char *err, size_t errlen);
/* A unique suffix for fixture names in this run. */
const char *race_run_id(void);
/* Requests per checkout attempt (and status queries after a lost
 * answer) for race_checkout: the run's attempts option. */
int race_attempts(void);
/* The run's fault_cmd option (NULL when unset). */
const char *race_fault_cmd(void);
/* Append a line to the round's note (the check's report). */
void race_note(struct race_round *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Make a user with a live session (registered and logged in through the
 * API, so both modes do it the same way); token into r->tokens[slot]. */
bz_err race_make_user(struct race_round *r, struct db_conn *api, const char *tag, int slot,
                      char *user_id_out, char *err, size_t errlen);

/* NULL-terminated, in run order (race/scenarios.c). */
const struct race_scenario *race_scenario_get(int index);

#endif
