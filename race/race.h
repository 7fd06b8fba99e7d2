/* The race lab's engine (race/librace.a): every scenario fires the same
 * shop action from N sessions at once (one connection and one thread
 * each, released together at a barrier) through the same db/ and core/
 * code the terminal uses, then checks the scenario's invariant in the
 * database, round after round. Each scenario runs against the shop's real
 * functions and, when asked, against the naive control (schema "naive",
 * sql/lab/naive.sql, loaded by the engine as the owner) which the checks
 * must catch.
 *
 * The engine prints nothing: a caller (tests/race/attack's TAP, "bazar
 * race", a console screen) passes callbacks to follow the run round by
 * round and formats the report it gets back. It runs only against a
 * database whose owner marked it as a test database:
 *   ALTER DATABASE name SET bazar.test_database = on;
 * and refuses any other before it creates anything.
 *
 * One run at a time per process (the scenarios keep their round state in
 * the engine). race_run blocks until the run ends; callbacks run on the
 * calling thread, between rounds (never during a burst). An interactive
 * screen runs race_run on a thread of its own, lets the callbacks post to
 * its loop, and answers stop() to cancel at the next round. */
#ifndef BAZAR_RACE_RACE_H
#define BAZAR_RACE_RACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define RACE_MIN_SESSIONS 2
#define RACE_MAX_SESSIONS 256
#define RACE_MAX_ROUNDS 100000
#define RACE_MAX_REASONS 16
#define RACE_MAX_PARAMS 6

/* One of a scenario's fixture parameters (stock, balance, price, limit:
 * whatever its setup chooses) and the values a saved case may give it. */
struct race_param_info {
	const char *name;         /* "price_cents"; NULL ends a list */
	int64_t min, max;
};

enum race_mode { RACE_REAL, RACE_NAIVE };

/* What to run. race_options_init fills the defaults; race_options_check
 * says in one sentence what is wrong with a value. */
struct race_options {
	const char *scenario;     /* one scenario's name; NULL: every scenario that is not explicit */
	int sessions;             /* N, RACE_MIN_SESSIONS..RACE_MAX_SESSIONS (32) */
	int rounds;               /* R per scenario and mode, 1..RACE_MAX_ROUNDS (20) */
	bool real;                /* run against the shop's functions (true) */
	bool naive;               /* and against the naive control (true) */
	int round_timeout_s;      /* a burst that has not ended after this long ends the run, 5..3600 (120) */
	int attempts;             /* requests per checkout attempt, 1..50 (as in the terminal) */
	const char *fault_cmd;    /* the server restart of checkout_server_restart (NULL) */
	const char *naive_sql;    /* the naive control's file (NULL: sql/lab/naive.sql in the SQL folder) */
	bool naive_until_caught;  /* end a naive mode at its first anomalous round (false): the
	                           * catch is shown, the catch rate is not measured */
	const int64_t *params;    /* a replay: RACE_MAX_PARAMS values, every round's fixture parameters
	                           * in the order of the scenario's params (needs scenario; race/case_file.h
	                           * checks their ranges); NULL: the scenario chooses per round */
	bool watch_locks;         /* sample the lock graph during each burst (false; race/lock_watch.c) */
	int watch_interval_ms;    /* between two samples, 1..1000 (2) */
};

/* A scenario as a caller lists it. */
struct race_scenario_info {
	const char *name;         /* "promo_single_use" */
	const char *invariant;    /* what must hold, in words */
	bool has_naive;           /* false: a fault scenario, nothing for a naive control to get wrong */
	bool explicit_only;       /* runs only when named (it stops the server) */
	const char *needs;        /* NULL, or the option it cannot run without ("fault_cmd") */
	const struct race_param_info *params;  /* its fixture parameters, ended by a NULL name */
};

/* One session's outcome in one round. */
struct race_session_outcome {
	bool ok;                  /* the action succeeded (per the scenario) */
	char sqlstate[6];         /* "" when none */
	char message[96];         /* the business outcome or the error's name */
	int64_t latency_us;       /* from the release to the end of its action */
	int attempts;             /* requests a checkout took (0: not a checkout) */
};

/* A rejection reason (the business note, else the SQLSTATE, else the
 * error's name) and how many sessions got it. */
struct race_reason {
	char key[32];
	long count;
};

#define RACE_LOCK_EDGES 32
#define RACE_LOCK_SAMPLE_MAX 64

/* A waiter -> blocker pair as the lock watcher saw it. Sessions are
 * worker indexes; -1: a backend that is not a worker of the run. */
struct race_lock_edge {
	int waiter, blocker;
	int waiter_pid, blocker_pid;   /* the backends (the latest seen for a worker) */
	char lock_type[16];       /* pg_locks.locktype: "transactionid" (a row lock), "tuple", ... */
	char lock_mode[24];
	char relation[48];        /* "" when unknown */
	long samples;             /* samples that saw it */
	int64_t longest_wait_us;
};

/* What the lock watcher saw during one round's burst, or over a mode's
 * rounds, and what it cost. */
struct race_lock_summary {
	bool watched;             /* false: watching was off, the rest is 0 */
	long samples;             /* samples taken */
	long samples_with_waits;
	int64_t sample_total_us, sample_max_us;   /* time of one sample (mean: total / samples) */
	int max_waiters;          /* workers waiting at once, most of any sample */
	int64_t longest_wait_us;
	long waits_seen;          /* waiter -> blocker rows over all samples */
	struct race_lock_edge edges[RACE_LOCK_EDGES];   /* busiest first */
	int nedges;
	long edges_dropped;       /* rows of edges past RACE_LOCK_EDGES */
	char error[200];          /* the watcher failed (no connection, a query error); "" when not */
};

/* One round's waits, for the per-round part of a mode's report. */
struct race_lock_round {
	int round;
	long samples, samples_with_waits, waits_seen;
	int max_waiters;
	int64_t longest_wait_us, sample_max_us;
};

/* One sample (the latest, for a live view): who waits on whom now. */
struct race_lock_wait {
	int waiter, blocker;      /* worker indexes, -1: not a worker */
	int waiter_pid, blocker_pid;
	const char *action;       /* the waiter's business action (race_lock_action) */
	char call[64];            /* the waiter's application_name now: the API's name for the call */
	char lock_type[16];
	char lock_mode[24];
	char relation[48];
	int64_t wait_us;
};
struct race_lock_sample {
	const char *scenario;
	enum race_mode mode;
	int round;
	int64_t taken_us;         /* how long the query took */
	int nwaits;
	struct race_lock_wait waits[RACE_LOCK_SAMPLE_MAX];
};

/* One scenario in one mode, all its rounds. */
struct race_mode_report {
	const char *scenario;     /* static name */
	const char *invariant;
	enum race_mode mode;
	int sessions;
	int rounds;               /* rounds that ran to their check */
	int anomalous_rounds;     /* rounds whose check found something wrong */
	long successes, rejections;
	struct race_reason reasons[RACE_MAX_REASONS];  /* the first RACE_MAX_REASONS reasons */
	int nreasons;
	/* Server-side spread of the N starts per round, in microseconds
	 * (nspreads rounds told their start; 0 when none did). */
	int nspreads;
	int64_t spread_min_us, spread_median_us, spread_max_us;
	int first_failing_round;  /* 0: none */
	char first_why[320];      /* what the check found in that round */
	char last_note[480];      /* what the database said in the last round, e.g. "round 5: the
	                           * database: money for 2 orders, 2 fulfilled, ..." ("": the
	                           * scenario says nothing when its invariant holds) */
	int64_t first_params[RACE_MAX_PARAMS];  /* that round's fixture parameters (scenario's params) */
	/* sessions entries each; first_failing NULL when no round failed. */
	struct race_session_outcome *last_round;
	struct race_session_outcome *first_failing;
	bool setup_failed;        /* the mode could not run (fixtures, connections) */
	char setup_err[600];
	struct race_lock_summary locks;   /* all rounds; watched false when watching was off */
	struct race_lock_round *lock_rounds;   /* locks.watched: one per round that ran (rounds), else NULL */
	/* The median over the rounds of each round's median session latency
	 * (0 when no round ran): what watching the locks costs the burst. */
	int64_t latency_median_us;
};

/* The whole run. */
struct race_report {
	int sessions, rounds;
	int nmodes;
	struct race_mode_report *modes;   /* in the order they ran */
	/* The run stopped early: a burst outlived round_timeout_s (timed_out),
	 * or the caller's stop callback said so (stopped). */
	bool timed_out, stopped;
	char stop_reason[256];
};

/* One finished round, for a progress bar and a live log. */
struct race_round_outcome {
	const char *scenario;
	enum race_mode mode;
	int round, rounds;
	int anomalies;            /* what the check counted; 0: the invariant holds */
	const char *why;          /* "" when it holds */
	const char *note;         /* "": or lines ("\n" between) the scenario reports every round */
	int successes, rejections;
	int64_t spread_us;        /* -1: unknown */
	const struct race_lock_summary *locks;   /* this round's; NULL when watching is off */
};

/* Every member may be NULL. */
struct race_callbacks {
	void *arg;
	void (*mode_started)(void *arg, const char *scenario, enum race_mode mode, int rounds);
	void (*round_started)(void *arg, const char *scenario, enum race_mode mode, int round, int rounds);
	void (*round_finished)(void *arg, const struct race_round_outcome *outcome);
	void (*mode_finished)(void *arg, const struct race_mode_report *report);
	/* Asked between rounds: true stops the run (report->stopped). */
	bool (*stop)(void *arg);
	/* Watching locks: every sample, on the watcher's own thread and
	 * during the burst (unlike the others): copy what is needed, quickly. */
	void (*lock_sample)(void *arg, const struct race_lock_sample *sample);
};

/* Defaults: every scenario, 32 sessions, 20 rounds, real and naive. */
void race_options_init(struct race_options *opts);
/* BZ_OK, or BZ_ERR_INVALID_INPUT with a sentence naming the option. */
bz_err race_options_check(const struct race_options *opts, char *err, size_t errlen);

/* The scenarios, in the order a run takes them; NULL past the end. */
const struct race_scenario_info *race_scenario_at(int index);
const struct race_scenario_info *race_scenario_find(const char *name);
/* How many scenario-and-mode runs OPTS makes (0: it names nothing). */
int race_planned_modes(const struct race_options *opts);

/* Run OPTS against the database of the owner connection (db/db.h: the
 * DATABASE_URL or the private cluster; the workers connect as their
 * scenario's role). BZ_OK: *report holds every mode that ran (a mode
 * whose fixtures failed has setup_failed; a run cut short says why).
 * Otherwise nothing ran, report is empty and err says why: a bad option,
 * no connection, a database not marked as a test database
 * (BZ_ERR_PERMISSION), the naive control not loadable. */
bz_err race_run(const struct race_options *opts, const struct race_callbacks *cb,
                struct race_report *report, char *err, size_t errlen);
void race_report_free(struct race_report *report);

/* Whether the owner connection's database carries the marker. */
bz_err race_check_test_database(char *err, size_t errlen);

const char *race_mode_name(enum race_mode mode);
/* What worker WORKER of SCENARIO does, in words ("pay from wallet"). */
const char *race_lock_action(const char *scenario, int worker, int sessions);
/* "s07 pay from wallet -> s03" ("pid 4242" for a backend that is not a worker). */
void race_lock_who(char *buf, size_t len, const char *scenario, int sessions, int waiter, int waiter_pid,
                   int blocker, int blocker_pid);

#endif
