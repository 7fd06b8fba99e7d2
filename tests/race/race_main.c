/* The attack suite's driver: for every scenario, the real shop and then the
 * naive control, R rounds of N sessions released together; TAP on stdout
 * (one line per scenario and mode) with a report table as comments.
 *
 * Environment: DATABASE_URL (the owner, for fixtures and checks; the
 * workers derive their role's connection from it), BAZAR_RACE_SESSIONS
 * (default 32, 2..256), BAZAR_RACE_ROUNDS (default 20), BAZAR_RACE_ONLY
 * (run only the scenario with that name; the only way to run an explicit
 * one), BAZAR_RACE_NAIVE=0 (skip the naive control),
 * BAZAR_RACE_ROUND_TIMEOUT (seconds, default 120), BAZAR_RACE_ATTEMPTS
 * (requests per checkout attempt, default as in the terminal),
 * BAZAR_RACE_FAULT_CMD (the server restart, scenarios_fault.c). A bad
 * value is a "Bail out!" naming the variable, before anything is done. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/parse.h"
#include "core/retry.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "db/events.h"
#include "tests/race/race.h"

struct mode_result {
	int rounds;
	int anomalous_rounds;
	long successes;
	long rejections;
	char first_why[320];
	/* rejections by SQLSTATE (or business note), a small table */
	struct { char key[32]; long count; } by_state[16];
	int nstates;
	int64_t spreads[1024];      /* server-side start spread per round, us */
	int nspreads;
	bool setup_failed;
	char setup_err[600];
};

struct thread_arg {
	struct race_worker *w;
	const struct race_scenario *s;
	pthread_barrier_t *barrier;
};

static int sessions = 32, rounds = 20;
/* The watchdog's words, set before each round (async-signal-safe write). */
static char watchdog_msg[256];
static int round_timeout_s = 120;
static int checkout_attempts = RETRY_DEFAULT_MAX_ATTEMPTS;
static bool run_naive = true;
static char run_id[32];

static void *worker_main(void *arg);
static void count_state(struct mode_result *res, const char *key);
static int cmp_i64(const void *a, const void *b);
static bz_err open_conn(enum db_role role, enum race_mode mode, const char *label,
                        struct db_conn **out, char *err, size_t errlen);
static void run_mode(const struct race_scenario *s, int scenario_index, enum race_mode mode,
                     struct mode_result *res);
static int env_int(const char *name, int def, int min, int max);
static bool selected(const struct race_scenario *s, const char *only);

/* A round that makes no progress ends the run with a clear verdict instead
 * of hanging the test suite: the suite must stop by itself. */
static void
watchdog(int sig)
{
	(void)sig;
	if (write(STDOUT_FILENO, watchdog_msg, strlen(watchdog_msg)) < 0)
		_exit(3);
	_exit(2);
}

const char *
race_run_id(void)
{
	return run_id;
}

int
race_attempts(void)
{
	return checkout_attempts;
}

/* Read a bounded integer from the environment; a bad value is fatal. */
static int
env_int(const char *name, int def, int min, int max)
{
	const char *v = getenv(name);
	long out;

	if (v == NULL || *v == '\0')
		return def;
	if (parse_int_range(v, min, max, &out) != BZ_OK) {
		printf("Bail out! %s='%s' is not a whole number from %d to %d\n", name, v, min, max);
		exit(1);
	}
	return (int)out;
}

/* Whether this run includes S: the one named by BAZAR_RACE_ONLY, or
 * every scenario that is not explicit when it is unset. */
static bool
selected(const struct race_scenario *s, const char *only)
{
	return only ? strcmp(only, s->name) == 0 : !s->explicit_only;
}

/* Connect for a role; the naive mode resolves unqualified names in the
 * naive schema first (PGOPTIONS, read by libpq at connect time). */
static bz_err
open_conn(enum db_role role, enum race_mode mode, const char *label, struct db_conn **out,
          char *err, size_t errlen)
{
	static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;
	bz_err rc;

	pthread_mutex_lock(&env_lock);
	if (mode == RACE_NAIVE)
		setenv("PGOPTIONS", "-c search_path=naive,public", 1);
	else
		unsetenv("PGOPTIONS");
	rc = db_connect(role, label, out, err, errlen);
	unsetenv("PGOPTIONS");
	pthread_mutex_unlock(&env_lock);
	return rc;
}

bz_err
race_sql(struct race_round *r, struct db_request *req, const char *sql, int nparams,
         const char *const params[], char *err, size_t errlen)
{
	db_request_init(req, sql, nparams, params);
	if (db_request_run(r->owner, req, 30000) != BZ_OK)
		return db_request_error(req, err, errlen);
	return BZ_OK;
}

int64_t
race_sql_int(struct race_round *r, const char *sql, int nparams, const char *const params[],
             char *err, size_t errlen)
{
	struct db_request req;
	int64_t v = 0;

	if (race_sql(r, &req, sql, nparams, params, err, errlen) == BZ_OK) {
		const char *cell = db_request_value(&req, 0, 0);
		v = cell ? strtoll(cell, NULL, 10) : 0;
	}
	db_request_free(&req);
	return v;
}

bz_err
race_make_user(struct race_round *r, struct db_conn *api, const char *tag, int slot,
               char *user_id_out, char *err, size_t errlen)
{
	char email[128], request_id[DB_UUID_SIZE];
	struct db_register_out reg;
	struct db_login_out login = { 0 };
	bz_err rc;

	snprintf(email, sizeof email, "%s-%s-r%d-%d@race.test", tag, r->tag, r->round, slot);
	if ((rc = db_register(api, email, "race-password-1", "Race", &reg, err, errlen)) != BZ_OK)
		return rc;
	if ((rc = db_new_uuid(request_id)) != BZ_OK)
		return rc;
	rc = db_login(api, email, "race-password-1", request_id, &login, err, errlen);
	if (rc == BZ_OK && login.token)
		snprintf(r->tokens[slot], RACE_TOKEN_MAX, "%s", login.token);
	if (user_id_out)
		snprintf(user_id_out, DB_UUID_SIZE, "%s", reg.user_id);
	db_login_out_free(&login);
	return rc;
}

/* One worker: wait at the barrier, then act. */
static void *
worker_main(void *arg)
{
	struct thread_arg *ta = arg;

	/* The call timings waiting from the setup go now: a flush that fell
	 * due after the barrier would delay this worker's start and widen
	 * the burst it is part of. */
	db_events_flush_blocking(ta->w->conn, true);
	pthread_barrier_wait(ta->barrier);
	ta->s->fire(ta->w);
	return NULL;
}

/* Tally one rejection reason. */
static void
count_state(struct mode_result *res, const char *key)
{
	for (int i = 0; i < res->nstates; i++)
		if (strcmp(res->by_state[i].key, key) == 0) {
			res->by_state[i].count++;
			return;
		}
	if (res->nstates < 16) {
		snprintf(res->by_state[res->nstates].key, sizeof res->by_state[0].key, "%s", key);
		res->by_state[res->nstates++].count = 1;
	}
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* All rounds of one scenario in one mode. */
static void
run_mode(const struct race_scenario *s, int scenario_index, enum race_mode mode, struct mode_result *res)
{
	struct db_conn *owner = NULL, *conns[RACE_MAX_SESSIONS] = { 0 };
	struct race_worker *workers = xcalloc((size_t)sessions, sizeof *workers);
	struct thread_arg *args = xcalloc((size_t)sessions, sizeof *args);
	pthread_t *threads = xcalloc((size_t)sessions, sizeof *threads);
	struct race_round *r = xcalloc(1, sizeof *r);
	char err[512], label[64];

	memset(res, 0, sizeof *res);
	snprintf(label, sizeof label, "bazar race %s", s->name);
	if (open_conn(DB_ROLE_OWNER, mode, label, &owner, err, sizeof err) != BZ_OK)
		goto setup_failed;
	for (int i = 0; i < sessions; i++)
		if (open_conn(s->role, mode, label, &conns[i], err, sizeof err) != BZ_OK)
			goto setup_failed;

	for (int round = 1; round <= rounds; round++) {
		pthread_barrier_t barrier;
		char why[256] = "";
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		int anomalies;

		snprintf(watchdog_msg, sizeof watchdog_msg, "Bail out! %s (%s) round %d made no progress "
		         "for %d s (BAZAR_RACE_ROUND_TIMEOUT)\n", s->name, mode == RACE_REAL ? "real" : "naive",
		         round, round_timeout_s);
		alarm((unsigned)round_timeout_s);
		memset(r, 0, sizeof *r);
		r->mode = mode;
		r->sessions = sessions;
		r->round = round;
		r->owner = owner;
		snprintf(r->tag, sizeof r->tag, "%s%c%d", run_id, mode == RACE_REAL ? 'r' : 'n', scenario_index);
		/* The naive control breaks invariants on purpose; start each of its
		 * rounds empty, so that a catch is this round's own anomaly and not
		 * a leftover of an earlier one. */
		if (mode == RACE_NAIVE) {
			struct db_request req;
			bz_err rc = race_sql(r, &req,
				"DO $$ BEGIN EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I.%I', schemaname, tablename), ', ')"
				" || ' CASCADE' FROM pg_tables WHERE schemaname = 'naive'); END $$", 0, NULL, err, sizeof err);
			db_request_free(&req);
			if (rc != BZ_OK)
				goto setup_failed;
		}
		if (s->setup(r, err, sizeof err) != BZ_OK)
			goto setup_failed;
		pthread_barrier_init(&barrier, NULL, (unsigned)sessions);
		for (int i = 0; i < sessions; i++) {
			workers[i] = (struct race_worker){ .index = i, .conn = conns[i], .round = r };
			args[i] = (struct thread_arg){ .w = &workers[i], .s = s, .barrier = &barrier };
			if (pthread_create(&threads[i], NULL, worker_main, &args[i]) != 0) {
				printf("Bail out! cannot create thread %d\n", i);
				exit(1);
			}
		}
		for (int i = 0; i < sessions; i++)
			pthread_join(threads[i], NULL);
		pthread_barrier_destroy(&barrier);

		for (int i = 0; i < sessions; i++) {
			const struct race_worker *w = &workers[i];
			if (w->ok)
				res->successes++;
			else {
				res->rejections++;
				count_state(res, w->note[0] ? w->note : w->sqlstate[0] ? w->sqlstate : bz_err_name(w->err));
			}
			/* A worker whose connection broke gets a fresh one. */
			if (w->err == BZ_ERR_CONNECTION && db_reset(conns[i], err, sizeof err) != BZ_OK)
				goto setup_failed;
			if (w->started_us > 0) {
				if (w->started_us < lo) lo = w->started_us;
				if (w->started_us > hi) hi = w->started_us;
			}
		}
		if (hi >= lo && res->nspreads < 1024)
			res->spreads[res->nspreads++] = hi - lo;
		anomalies = s->check(r, workers, why, sizeof why);
		alarm(0);
		res->rounds++;
		if (anomalies > 0) {
			res->anomalous_rounds++;
			if (!res->first_why[0])
				snprintf(res->first_why, sizeof res->first_why, "round %d: %s", round, why);
		}
	}
	goto out;
setup_failed:
	res->setup_failed = true;
	snprintf(res->setup_err, sizeof res->setup_err, "%s", err);
out:
	for (int i = 0; i < sessions; i++)
		db_close(conns[i]);
	db_close(owner);
	free(workers);
	free(args);
	free(threads);
	free(r);
}

int
main(void)
{
	const char *only = getenv("BAZAR_RACE_ONLY");
	int planned = 0, n = 0;

	sessions = env_int("BAZAR_RACE_SESSIONS", 32, 2, RACE_MAX_SESSIONS);
	rounds = env_int("BAZAR_RACE_ROUNDS", 20, 1, 100000);
	run_naive = env_int("BAZAR_RACE_NAIVE", 1, 0, 1) == 1;
	round_timeout_s = env_int("BAZAR_RACE_ROUND_TIMEOUT", 120, 5, 3600);
	checkout_attempts = env_int("BAZAR_RACE_ATTEMPTS", RETRY_DEFAULT_MAX_ATTEMPTS, 1, 50);
	signal(SIGALRM, watchdog);
	/* Short (promo codes are at most 32 characters) and new per run; each
	 * run also has a database of its own. */
	snprintf(run_id, sizeof run_id, "%06lx", ((unsigned long)time(NULL) * 31u + (unsigned long)getpid()) & 0xffffffu);
	setvbuf(stdout, NULL, _IOLBF, 0);
	race_scenarios_init();

	if (only && *only == '\0')
		only = NULL;
	for (int i = 0; race_scenarios[i]; i++)
		if (selected(race_scenarios[i], only))
			planned += run_naive && !race_scenarios[i]->no_naive ? 2 : 1;
	/* A misspelt name would otherwise pass as "nothing to test". */
	if (planned == 0) {
		printf("Bail out! BAZAR_RACE_ONLY='%s' names no scenario; the scenarios are:", only ? only : "");
		for (int i = 0; race_scenarios[i]; i++)
			printf(" %s", race_scenarios[i]->name);
		printf("\n");
		return 1;
	}
	for (int i = 0; race_scenarios[i]; i++) {
		const char *need = race_scenarios[i]->needs_env;
		if (selected(race_scenarios[i], only) && need && (getenv(need) == NULL || *getenv(need) == '\0')) {
			printf("Bail out! %s needs %s (see the scenario's file in tests/race/)\n",
			       race_scenarios[i]->name, need);
			return 1;
		}
	}
	printf("1..%d\n", planned);
	printf("# %d sessions x %d rounds per scenario and mode; %d requests per checkout attempt\n",
	       sessions, rounds, checkout_attempts);
	printf("# %-22s %-6s %7s %9s %9s %9s  %s\n", "scenario", "mode", "rounds", "anomalous",
	       "successes", "rejected", "start spread us (min/median/max)");
	for (int i = 0; race_scenarios[i]; i++) {
		const struct race_scenario *s = race_scenarios[i];
		if (!selected(s, only))
			continue;
		for (int m = 0; m < (run_naive && !s->no_naive ? 2 : 1); m++) {
			struct mode_result *res = xcalloc(1, sizeof *res);
			enum race_mode mode = m == 0 ? RACE_REAL : RACE_NAIVE;
			run_mode(s, i, mode, res);
			qsort(res->spreads, (size_t)res->nspreads, sizeof res->spreads[0], cmp_i64);
			printf("# %-22s %-6s %7d %9d %9ld %9ld  %lld/%lld/%lld\n", s->name,
			       mode == RACE_REAL ? "real" : "naive", res->rounds, res->anomalous_rounds,
			       res->successes, res->rejections,
			       res->nspreads ? (long long)res->spreads[0] : 0LL,
			       res->nspreads ? (long long)res->spreads[res->nspreads / 2] : 0LL,
			       res->nspreads ? (long long)res->spreads[res->nspreads - 1] : 0LL);
			for (int k = 0; k < res->nstates; k++)
				printf("#     rejected %-24s %ld\n", res->by_state[k].key, res->by_state[k].count);
			n++;
			if (res->setup_failed) {
				printf("not ok %d - %s (%s): could not run: %s\n", n, s->name,
				       mode == RACE_REAL ? "real" : "naive control", res->setup_err);
			} else if (mode == RACE_REAL) {
				bool good = res->anomalous_rounds == 0;
				printf("%s %d - %s: %s; %d anomalous rounds of %d\n", good ? "ok" : "not ok", n,
				       s->name, s->invariant, res->anomalous_rounds, res->rounds);
				if (!good) {
					printf("#   first anomaly: %s\n", res->first_why);
				}
			} else {
				bool caught = res->anomalous_rounds > 0;
				printf("%s %d - %s: the checker catches the naive control in %d of %d rounds "
				       "(catch rate %.0f%%)\n", caught ? "ok" : "not ok", n, s->name,
				       res->anomalous_rounds, res->rounds,
				       res->rounds ? 100.0 * res->anomalous_rounds / res->rounds : 0.0);
				if (caught)
					printf("#   e.g. %s\n", res->first_why);
			}
			free(res);
		}
	}
	return 0;
}
