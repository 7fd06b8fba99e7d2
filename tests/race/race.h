/* The attack suite: every scenario fires the same shop action from N
 * sessions at once (one connection and one thread each, released together
 * by a barrier) through the same db/ and core/ code the terminal uses,
 * then checks the scenario's invariant in the database. Each scenario runs
 * against the shop's real functions and against the naive control (schema
 * "naive", tests/race/naive.sql) which the checker must catch. */
#ifndef BAZAR_TESTS_RACE_H
#define BAZAR_TESTS_RACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "db/db.h"
#include "db/request.h"

#define RACE_MAX_SESSIONS 256
#define RACE_TOKEN_MAX 160
#define RACE_SLOTS 8

enum race_mode { RACE_REAL, RACE_NAIVE };

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
	int64_t latency_us;
	int attempts;
};

struct race_scenario {
	const char *name;
	const char *invariant;   /* what must hold, in words */
	enum db_role role;       /* the workers' database role */
	bool no_naive;           /* a fault scenario: nothing for a naive control to get wrong */
	bool explicit_only;      /* runs only when BAZAR_RACE_ONLY names it (it stops the server) */
	const char *needs_env;   /* NULL, or a variable it cannot run without (checked up front) */
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
 * answer) for race_checkout: BAZAR_RACE_ATTEMPTS, default
 * RETRY_DEFAULT_MAX_ATTEMPTS as in the terminal. */
int race_attempts(void);
/* Make a user with a live session (registered and logged in through the
 * API, so both modes do it the same way); token into r->tokens[slot]. */
bz_err race_make_user(struct race_round *r, struct db_conn *api, const char *tag, int slot,
                      char *user_id_out, char *err, size_t errlen);

/* NULL-terminated, after race_scenarios_init(). */
extern const struct race_scenario *race_scenarios[];
void race_scenarios_init(void);

#endif
