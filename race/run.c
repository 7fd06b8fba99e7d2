/* The race lab's round runner: connections per mode, fresh fixtures per
 * round, N threads released together at a barrier, the check, the
 * report; and the SQL helpers the scenarios share. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "db/api.h"
#include "db/events.h"
#include "db/lab.h"
#include "race/lock_watch.h"
#include "race/report.h"
#include "race/scenario.h"

/* What the workers of one round share with the thread that waits for
 * them. Heap-allocated: a round that outlives its timeout is abandoned
 * with its threads and connections, never freed under them. */
struct burst {
	pthread_barrier_t barrier;
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	int done;
};

/* How a mode ended for the run. */
enum mode_end { MODE_DONE, MODE_TIMED_OUT, MODE_STOPPED };

struct thread_arg {
	struct race_worker *w;
	const struct race_scenario *s;
	struct burst *burst;
};

/* The run in progress (one per process, race/race.h). */
static char run_id[32];
static int run_attempts;
static const char *run_fault_cmd;

static void *worker_main(void *arg);
static int64_t now_us(void);
static bz_err open_conn(enum db_role role, enum race_mode mode, const char *label,
                        struct db_conn **out, char *err, size_t errlen);
static enum mode_end run_mode(const struct race_options *opts, const struct race_callbacks *cb,
                     const struct race_scenario *s, int scenario_index, enum race_mode mode,
                     struct race_mode_report *res, char *stop_reason, size_t stop_len);
static bool wait_burst(struct burst *b, int sessions, int timeout_s);
static bz_err prepare_database(const struct race_options *opts, char *err, size_t errlen);

const char *
race_run_id(void)
{
	return run_id;
}

int
race_attempts(void)
{
	return run_attempts;
}

const char *
race_fault_cmd(void)
{
	return run_fault_cmd;
}

void
race_note(struct race_round *r, const char *fmt, ...)
{
	size_t used = strlen(r->note);
	va_list ap;

	if (used > 0 && used + 1 < sizeof r->note)
		r->note[used++] = '\n';
	if (used + 1 >= sizeof r->note)
		return;
	va_start(ap, fmt);
	vsnprintf(r->note + used, sizeof r->note - used, fmt, ap);
	va_end(ap);
}

static int64_t
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Connect for a role; the naive mode resolves unqualified names in the
 * naive schema first. The options go on the connection, not through
 * PGOPTIONS: the console runs the lab on a thread of its own, and the
 * environment is not safe to change while another thread reads it. The
 * real mode names itself too, so a PGOPTIONS of the caller's cannot point
 * it elsewhere (a role's own settings still apply). */
static bz_err
open_conn(enum db_role role, enum race_mode mode, const char *label, struct db_conn **out,
          char *err, size_t errlen)
{
	return db_connect_options(role, label,
	                          mode == RACE_NAIVE ? "-c search_path=naive,public -c bazar.race_mode=naive"
	                                             : "-c bazar.race_mode=real",
	                          out, err, errlen);
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

/* One worker: wait at the barrier, act, time it, say it is done. */
static void *
worker_main(void *arg)
{
	struct thread_arg *ta = arg;
	int64_t t0;

	/* The call timings waiting from the setup go now: a flush that fell
	 * due after the barrier would delay this worker's start and widen
	 * the burst it is part of. */
	db_events_flush_blocking(ta->w->conn, true);
	pthread_barrier_wait(&ta->burst->barrier);
	t0 = now_us();
	ta->s->fire(ta->w);
	ta->w->latency_us = now_us() - t0;
	pthread_mutex_lock(&ta->burst->lock);
	ta->burst->done++;
	pthread_cond_signal(&ta->burst->done_cond);
	pthread_mutex_unlock(&ta->burst->lock);
	return NULL;
}

/* Wait until every worker of the burst is done; false after TIMEOUT_S. */
static bool
wait_burst(struct burst *b, int sessions, int timeout_s)
{
	struct timespec deadline;
	bool all = true;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_s;
	pthread_mutex_lock(&b->lock);
	while (b->done < sessions)
		if (pthread_cond_timedwait(&b->done_cond, &b->lock, &deadline) == ETIMEDOUT) {
			all = b->done >= sessions;
			break;
		}
	pthread_mutex_unlock(&b->lock);
	return all;
}

/* All rounds of one scenario in one mode into RES. Anything but
 * MODE_DONE stops the run, with the reason in STOP_REASON. */
static enum mode_end
run_mode(const struct race_options *opts, const struct race_callbacks *cb, const struct race_scenario *s,
         int scenario_index, enum race_mode mode, struct race_mode_report *res, char *stop_reason,
         size_t stop_len)
{
	int sessions = opts->sessions;
	struct db_conn *owner = NULL, **conns = xcalloc((size_t)sessions, sizeof *conns);
	struct race_worker *workers = xcalloc((size_t)sessions, sizeof *workers);
	struct thread_arg *args = xcalloc((size_t)sessions, sizeof *args);
	pthread_t *threads = xcalloc((size_t)sessions, sizeof *threads);
	struct race_round *r = xcalloc(1, sizeof *r);
	int64_t *spreads = xcalloc((size_t)opts->rounds, sizeof *spreads);
	int nspreads = 0;
	int64_t *lat_medians = xcalloc((size_t)opts->rounds, sizeof *lat_medians);
	int64_t *lats = xcalloc((size_t)sessions, sizeof *lats);
	enum mode_end end = MODE_DONE;
	bool abandoned = false;
	char err[512], label[64];
	struct lock_watch *watch = NULL;

	res->scenario = s->name;
	res->invariant = s->invariant;
	res->mode = mode;
	res->sessions = sessions;
	if (cb && cb->mode_started)
		cb->mode_started(cb->arg, s->name, mode, opts->rounds);
	snprintf(label, sizeof label, "bazar race %s", s->name);
	if (open_conn(DB_ROLE_OWNER, mode, label, &owner, err, sizeof err) != BZ_OK)
		goto setup_failed;
	/* db/ shows a server WARNING on stderr; the killer's
	 * pg_terminate_backend warns about backends that ended meanwhile, and
	 * the engine must print nothing (a screen may own the terminal). */
	{
		struct db_request req;
		bz_err rc;

		r->owner = owner;
		rc = race_sql(r, &req, "SET client_min_messages = error", 0, NULL, err, sizeof err);
		db_request_free(&req);
		if (rc != BZ_OK)
			goto setup_failed;
	}
	for (int i = 0; i < sessions; i++) {
		/* Each worker names itself, for the console's Locks screen (the
		 * lock watcher finds the workers by backend pid: the API renames
		 * a backend for the length of a call). */
		race_worker_label(label, sizeof label, s->name, mode, i, run_id);
		if (open_conn(s->role, mode, label, &conns[i], err, sizeof err) != BZ_OK)
			goto setup_failed;
	}
	if (opts->watch_locks) {
		res->lock_rounds = xcalloc((size_t)opts->rounds, sizeof *res->lock_rounds);
		watch = lock_watch_new(conns, s->name, mode, sessions, opts->watch_interval_ms, cb);
	}

	for (int round = 1; round <= opts->rounds; round++) {
		struct race_round_outcome outcome;
		struct burst *burst;
		char why[256] = "";
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		int anomalies, created = 0, ok = 0, refused = 0;
		struct race_lock_summary round_locks = { 0 };
		bool burst_done;

		if (cb && cb->stop && cb->stop(cb->arg)) {
			snprintf(stop_reason, stop_len, "stopped by the caller before %s (%s) round %d",
			         s->name, race_mode_name(mode), round);
			end = MODE_STOPPED;
			break;
		}
		if (cb && cb->round_started)
			cb->round_started(cb->arg, s->name, mode, round, opts->rounds);
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
		/* A replay re-creates the saved fixture's shape (fresh rows). */
		if (opts->params)
			memcpy(r->param, opts->params, sizeof r->param);
		else if (s->choose)
			s->choose(r);
		if (s->setup(r, err, sizeof err) != BZ_OK)
			goto setup_failed;
		burst = xcalloc(1, sizeof *burst);
		pthread_barrier_init(&burst->barrier, NULL, (unsigned)sessions);
		pthread_mutex_init(&burst->lock, NULL);
		pthread_cond_init(&burst->done_cond, NULL);
		if (watch)
			lock_watch_start(watch, round);
		for (int i = 0; i < sessions; i++) {
			workers[i] = (struct race_worker){ .index = i, .conn = conns[i], .round = r };
			args[i] = (struct thread_arg){ .w = &workers[i], .s = s, .burst = burst };
			if (pthread_create(&threads[i], NULL, worker_main, &args[i]) != 0)
				break;
			created++;
		}
		if (created < sessions) {
			/* The ones made wait at a barrier that will never fill: leave
			 * them (and what they point at) behind. */
			snprintf(stop_reason, stop_len, "cannot start thread %d of %d for %s (%s)", created + 1,
			         sessions, s->name, race_mode_name(mode));
			end = MODE_STOPPED;
			abandoned = true;
			break;
		}
		burst_done = wait_burst(burst, sessions, opts->round_timeout_s);
		if (watch) {
			lock_watch_stop(watch, &round_locks);
			race_lock_merge(&res->locks, &round_locks);
		}
		if (!burst_done) {
			snprintf(stop_reason, stop_len, "%s (%s) round %d made no progress for %d s", s->name,
			         race_mode_name(mode), round, opts->round_timeout_s);
			for (int i = 0; i < sessions; i++)
				pthread_detach(threads[i]);
			end = MODE_TIMED_OUT;
			abandoned = true;
			break;
		}
		for (int i = 0; i < sessions; i++)
			pthread_join(threads[i], NULL);
		pthread_barrier_destroy(&burst->barrier);
		pthread_mutex_destroy(&burst->lock);
		pthread_cond_destroy(&burst->done_cond);
		free(burst);

		for (int i = 0; i < sessions; i++) {
			const struct race_worker *w = &workers[i];
			if (w->ok) {
				res->successes++;
				ok++;
			} else {
				res->rejections++;
				refused++;
				race_report_reason(res, w->note[0] ? w->note : w->sqlstate[0] ? w->sqlstate : bz_err_name(w->err));
			}
			/* A worker whose connection broke gets a fresh one. */
			if (w->err == BZ_ERR_CONNECTION && db_reset(conns[i], err, sizeof err) != BZ_OK)
				goto setup_failed;
			if (w->started_us > 0) {
				if (w->started_us < lo) lo = w->started_us;
				if (w->started_us > hi) hi = w->started_us;
			}
		}
		if (hi >= lo)
			spreads[nspreads++] = hi - lo;
		for (int i = 0; i < sessions; i++)
			lats[i] = workers[i].latency_us;
		lat_medians[res->rounds] = race_median_i64(lats, sessions);
		if (watch)
			res->lock_rounds[res->rounds] = (struct race_lock_round){
				.round = round, .samples = round_locks.samples,
				.samples_with_waits = round_locks.samples_with_waits, .waits_seen = round_locks.waits_seen,
				.max_waiters = round_locks.max_waiters, .longest_wait_us = round_locks.longest_wait_us,
				.sample_max_us = round_locks.sample_max_us,
			};
		anomalies = s->check(r, workers, why, sizeof why);
		res->rounds++;
		if (r->note[0]) {
			/* One line: the note's lines joined. */
			snprintf(res->last_note, sizeof res->last_note, "round %d: %.460s", round, r->note);
			for (char *c = res->last_note; *c; c++)
				if (*c == '\n')
					*c = ';';
		}
		race_report_sessions(&res->last_round, workers, sessions);
		if (anomalies > 0) {
			res->anomalous_rounds++;
			if (res->first_failing_round == 0) {
				res->first_failing_round = round;
				snprintf(res->first_why, sizeof res->first_why, "round %d: %s", round, why);
				race_report_sessions(&res->first_failing, workers, sessions);
				memcpy(res->first_params, r->param, sizeof res->first_params);
			}
		}
		outcome = (struct race_round_outcome){
			.scenario = s->name, .mode = mode, .round = round, .rounds = opts->rounds,
			.anomalies = anomalies, .why = anomalies > 0 ? why : "", .note = r->note,
			.successes = ok, .rejections = refused, .spread_us = hi >= lo ? hi - lo : -1,
			.locks = watch ? &round_locks : NULL,
		};
		if (cb && cb->round_finished)
			cb->round_finished(cb->arg, &outcome);
		if (mode == RACE_NAIVE && opts->naive_until_caught && anomalies > 0)
			break;
	}
	goto out;
setup_failed:
	res->setup_failed = true;
	snprintf(res->setup_err, sizeof res->setup_err, "%s", err);
out:
	race_report_spreads(res, spreads, nspreads);
	free(spreads);
	res->latency_median_us = race_median_i64(lat_medians, res->rounds);
	free(lat_medians);
	free(lats);
	lock_watch_free(watch);
	if (cb && cb->mode_finished)
		cb->mode_finished(cb->arg, res);
	if (abandoned)
		return end;   /* threads may still use the rest */
	for (int i = 0; i < sessions; i++)
		db_close(conns[i]);
	db_close(owner);
	free(conns);
	free(workers);
	free(args);
	free(threads);
	free(r);
	return end;
}

/* Before anything is created: the database must be marked as a test
 * database; then the naive control is loaded when a naive mode will run. */
static bz_err
prepare_database(const struct race_options *opts, char *err, size_t errlen)
{
	struct db_conn *owner = NULL;
	char dbname[128] = "";
	char *path = NULL;
	bool marked;
	bz_err rc;

	if ((rc = db_connect(DB_ROLE_OWNER, "bazar race", &owner, err, errlen)) != BZ_OK)
		goto out;
	if ((rc = db_lab_is_test_database(owner, &marked, dbname, sizeof dbname, err, errlen)) != BZ_OK)
		goto out;
	if (!marked) {
		snprintf(err, errlen, "database \"%s\" is not marked as a test database, and the race lab "
		         "creates users, money, orders and codes: its owner can mark it with "
		         "ALTER DATABASE \"%s\" SET %s = on", dbname, dbname, DB_LAB_MARKER);
		rc = BZ_ERR_PERMISSION;
		goto out;
	}
	{
		struct race_options real_only = *opts;
		real_only.naive = false;
		if (!opts->naive || race_planned_modes(opts) == race_planned_modes(&real_only))
			goto out;
	}
	path = opts->naive_sql ? xstrdup(opts->naive_sql) : db_lab_naive_path();
	if ((rc = db_lab_load_naive(owner, path, err, errlen)) != BZ_OK) {
		char why[512];
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "cannot load the naive control %s: %s", path, why);
	}
out:
	free(path);
	db_close(owner);
	return rc;
}

bz_err
race_run(const struct race_options *opts, const struct race_callbacks *cb, struct race_report *report,
         char *err, size_t errlen)
{
	int planned;
	bz_err rc;

	memset(report, 0, sizeof *report);
	if ((rc = race_options_check(opts, err, errlen)) != BZ_OK)
		return rc;
	planned = race_planned_modes(opts);
	/* Short (promo codes are at most 32 characters) and new per run. */
	snprintf(run_id, sizeof run_id, "%06lx",
	         ((unsigned long)time(NULL) * 31u + (unsigned long)getpid() + (unsigned long)now_us()) & 0xffffffu);
	run_attempts = opts->attempts;
	run_fault_cmd = opts->fault_cmd;
	if ((rc = prepare_database(opts, err, errlen)) != BZ_OK)
		return rc;

	report->sessions = opts->sessions;
	report->rounds = opts->rounds;
	report->modes = xcalloc((size_t)planned, sizeof *report->modes);
	for (int i = 0; race_scenario_get(i) && report->nmodes < planned; i++) {
		const struct race_scenario *s = race_scenario_get(i);
		if (opts->scenario ? strcmp(opts->scenario, s->name) != 0 : s->explicit_only)
			continue;
		for (int m = 0; m < 2; m++) {
			enum race_mode mode = m == 0 ? RACE_REAL : RACE_NAIVE;
			if ((mode == RACE_REAL && !opts->real) || (mode == RACE_NAIVE && (!opts->naive || s->no_naive)))
				continue;
			enum mode_end end = run_mode(opts, cb, s, i, mode, &report->modes[report->nmodes++],
			                             report->stop_reason, sizeof report->stop_reason);
			report->timed_out = end == MODE_TIMED_OUT;
			report->stopped = end == MODE_STOPPED;
			if (end != MODE_DONE)
				return BZ_OK;
		}
	}
	return BZ_OK;
}

bz_err
race_check_test_database(char *err, size_t errlen)
{
	struct race_options o;

	race_options_init(&o);
	o.naive = false;
	return prepare_database(&o, err, errlen);
}
