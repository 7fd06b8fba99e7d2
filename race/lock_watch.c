/* The race lab's lock watcher: during a burst, samples the lock waits of
 * the run's workers on a connection and a thread of its own (see
 * race/lock_watch.h), and measures what each sample costs, since the
 * watching competes with the race it watches for CPU and the lock
 * manager. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "db/lab_locks.h"
#include "race/lock_watch.h"

struct lock_watch {
	struct db_conn *conn;          /* NULL: the connection failed (error says why) */
	char error[200];
	struct db_conn **conns;        /* the workers' */
	int *pids;                     /* their backends, read at each start */
	const char *scenario;
	enum race_mode mode;
	int sessions;
	int interval_ms;
	const struct race_callbacks *cb;
	pthread_t thread;
	bool running;
	atomic_bool stop;
	int round;
	struct race_lock_summary sum;  /* this round's, written by the thread only while it runs */
	struct db_lab_lock_wait rows[RACE_LOCK_SAMPLE_MAX];
	struct race_lock_sample sample;
};

static void *watch_main(void *arg);
static void take_sample(struct lock_watch *lw);
static int worker_of(const struct lock_watch *lw, int pid);
static void add_edge(struct race_lock_summary *s, const struct race_lock_edge *e);
static int cmp_edges(const void *a, const void *b);
static int64_t mono_us(void);
static int cmp_i64(const void *a, const void *b);

static int64_t
mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
race_worker_label(char *buf, size_t len, const char *scenario, enum race_mode mode, int worker, const char *tag)
{
	snprintf(buf, len, "bazar race %s %s s%02d #%s", scenario, race_mode_name(mode), worker, tag);
}

/* The worker whose backend is PID; -1 for any other backend. */
static int
worker_of(const struct lock_watch *lw, int pid)
{
	for (int i = 0; i < lw->sessions; i++)
		if (lw->pids[i] == pid)
			return i;
	return -1;
}

struct lock_watch *
lock_watch_new(struct db_conn **conns, const char *scenario, enum race_mode mode, int sessions, int interval_ms,
               const struct race_callbacks *cb)
{
	struct lock_watch *lw = xcalloc(1, sizeof *lw);

	lw->conns = conns;
	lw->pids = xcalloc((size_t)sessions, sizeof *lw->pids);
	lw->scenario = scenario;
	lw->mode = mode;
	lw->sessions = sessions;
	lw->interval_ms = interval_ms;
	lw->cb = cb;
	if (db_connect(DB_ROLE_OWNER, "bazar race lock watch", &lw->conn, lw->error, sizeof lw->error) != BZ_OK ||
	    db_lab_lock_prepare(lw->conn, lw->error, sizeof lw->error) != BZ_OK) {
		db_close(lw->conn);
		lw->conn = NULL;
	}
	return lw;
}

/* Same pair, lock and relation: one edge. */
static void
add_edge(struct race_lock_summary *s, const struct race_lock_edge *e)
{
	for (int i = 0; i < s->nedges; i++) {
		struct race_lock_edge *x = &s->edges[i];
		/* Backends that are not workers are told apart by pid. */
		if (x->waiter == e->waiter && x->blocker == e->blocker && (e->waiter >= 0 || x->waiter_pid == e->waiter_pid) &&
		    (e->blocker >= 0 || x->blocker_pid == e->blocker_pid) && strcmp(x->lock_type, e->lock_type) == 0 &&
		    strcmp(x->lock_mode, e->lock_mode) == 0 && strcmp(x->relation, e->relation) == 0) {
			x->samples += e->samples;
			if (e->longest_wait_us > x->longest_wait_us)
				x->longest_wait_us = e->longest_wait_us;
			return;
		}
	}
	if (s->nedges < RACE_LOCK_EDGES)
		s->edges[s->nedges++] = *e;
	else
		s->edges_dropped += e->samples;
}

/* Busiest first, then the longest wait. */
static int
cmp_edges(const void *a, const void *b)
{
	const struct race_lock_edge *x = a, *y = b;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	if (x->longest_wait_us != y->longest_wait_us)
		return x->longest_wait_us > y->longest_wait_us ? -1 : 1;
	return 0;
}

/* One query: who of this run waits on whom now; into the round's sum and
 * to the caller's live view. */
static void
take_sample(struct lock_watch *lw)
{
	struct race_lock_summary *s = &lw->sum;
	struct race_lock_sample *smp = &lw->sample;
	int n = 0, waiters = 0, last_pid = 0;
	int64_t t0 = mono_us(), took;
	char err[200];

	if (db_lab_lock_sample(lw->conn, lw->pids, lw->sessions, lw->rows, RACE_LOCK_SAMPLE_MAX, &n, err,
	                       sizeof err) != BZ_OK) {
		snprintf(s->error, sizeof s->error, "%s", err);
		atomic_store(&lw->stop, true);
		return;
	}
	took = mono_us() - t0;
	s->samples++;
	s->sample_total_us += took;
	if (took > s->sample_max_us)
		s->sample_max_us = took;
	smp->scenario = lw->scenario;
	smp->mode = lw->mode;
	smp->round = lw->round;
	smp->taken_us = took;
	smp->nwaits = n;
	for (int i = 0; i < n; i++) {
		const struct db_lab_lock_wait *row = &lw->rows[i];
		struct race_lock_wait *w = &smp->waits[i];
		struct race_lock_edge e = { .samples = 1, .longest_wait_us = row->wait_us };

		w->waiter = worker_of(lw, row->pid);
		w->blocker = worker_of(lw, row->blocker_pid);
		snprintf(w->call, sizeof w->call, "%s", row->application_name);
		w->waiter_pid = row->pid;
		w->blocker_pid = row->blocker_pid;
		w->action = race_lock_action(lw->scenario, w->waiter, lw->sessions);
		snprintf(w->lock_type, sizeof w->lock_type, "%s", row->lock_type);
		snprintf(w->lock_mode, sizeof w->lock_mode, "%s", row->lock_mode);
		snprintf(w->relation, sizeof w->relation, "%s", row->relation);
		w->wait_us = row->wait_us;
		/* Rows come by waiter pid: one waiter may have several blockers. */
		if (row->pid != last_pid)
			waiters++;
		last_pid = row->pid;
		e.waiter = w->waiter;
		e.blocker = w->blocker;
		e.waiter_pid = row->pid;
		e.blocker_pid = row->blocker_pid;
		memcpy(e.lock_type, w->lock_type, sizeof e.lock_type);
		memcpy(e.lock_mode, w->lock_mode, sizeof e.lock_mode);
		memcpy(e.relation, w->relation, sizeof e.relation);
		add_edge(s, &e);
		s->waits_seen++;
		if (row->wait_us > s->longest_wait_us)
			s->longest_wait_us = row->wait_us;
	}
	if (n > 0)
		s->samples_with_waits++;
	if (waiters > s->max_waiters)
		s->max_waiters = waiters;
	if (lw->cb && lw->cb->lock_sample)
		lw->cb->lock_sample(lw->cb->arg, smp);
}

/* Sample every interval until stopped. */
static void *
watch_main(void *arg)
{
	struct lock_watch *lw = arg;
	struct timespec pause = { lw->interval_ms / 1000, (long)(lw->interval_ms % 1000) * 1000000L };

	while (!atomic_load(&lw->stop)) {
		take_sample(lw);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

void
lock_watch_start(struct lock_watch *lw, int round)
{
	memset(&lw->sum, 0, sizeof lw->sum);
	lw->sum.watched = true;
	lw->round = round;
	lw->running = false;
	for (int i = 0; i < lw->sessions; i++)
		lw->pids[i] = db_lab_backend_pid(lw->conns[i]);
	if (lw->conn == NULL) {
		snprintf(lw->sum.error, sizeof lw->sum.error, "%s", lw->error);
		return;
	}
	atomic_store(&lw->stop, false);
	if (pthread_create(&lw->thread, NULL, watch_main, lw) != 0) {
		snprintf(lw->sum.error, sizeof lw->sum.error, "cannot start the lock watcher's thread");
		return;
	}
	lw->running = true;
}

void
lock_watch_stop(struct lock_watch *lw, struct race_lock_summary *out)
{
	if (lw->running) {
		atomic_store(&lw->stop, true);
		pthread_join(lw->thread, NULL);
		lw->running = false;
	}
	qsort(lw->sum.edges, (size_t)lw->sum.nedges, sizeof lw->sum.edges[0], cmp_edges);
	*out = lw->sum;
}

void
lock_watch_free(struct lock_watch *lw)
{
	if (lw == NULL)
		return;
	if (lw->running) {
		atomic_store(&lw->stop, true);
		pthread_join(lw->thread, NULL);
	}
	db_close(lw->conn);
	free(lw->pids);
	free(lw);
}

void
race_lock_merge(struct race_lock_summary *into, const struct race_lock_summary *from)
{
	if (!from->watched)
		return;
	into->watched = true;
	into->samples += from->samples;
	into->samples_with_waits += from->samples_with_waits;
	into->sample_total_us += from->sample_total_us;
	if (from->sample_max_us > into->sample_max_us)
		into->sample_max_us = from->sample_max_us;
	if (from->max_waiters > into->max_waiters)
		into->max_waiters = from->max_waiters;
	if (from->longest_wait_us > into->longest_wait_us)
		into->longest_wait_us = from->longest_wait_us;
	into->waits_seen += from->waits_seen;
	into->edges_dropped += from->edges_dropped;
	for (int i = 0; i < from->nedges; i++)
		add_edge(into, &from->edges[i]);
	qsort(into->edges, (size_t)into->nedges, sizeof into->edges[0], cmp_edges);
	if (into->error[0] == '\0' && from->error[0])
		snprintf(into->error, sizeof into->error, "%s", from->error);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int64_t
race_median_i64(int64_t *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof v[0], cmp_i64);
	return v[n / 2];
}
