/* The Race lab's thread: race_run blocks for the whole run, so it runs
 * here while the console's loop keeps drawing and reading keys. The
 * engine's callbacks run on this thread (between rounds) and only copy
 * numbers into the progress under the mutex; the screen copies them out
 * on its tick. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/race_lab_run.h"

struct lab_run {
	pthread_t thread;
	pthread_mutex_t lock;
	struct race_options opts;     /* scenario points into scenario[] */
	char scenario[64];
	struct lab_progress progress; /* under lock */
	/* Written by the thread before it sets progress.finished. */
	struct race_report report;
	bz_err rc;
	char err[1024];
	int64_t params[RACE_MAX_PARAMS];  /* a replay's fixture parameters (opts.params) */
};

static void *run_main(void *arg);
static void on_mode_started(void *arg, const char *scenario, enum race_mode mode, int rounds);
static void on_round_started(void *arg, const char *scenario, enum race_mode mode, int round, int rounds);
static void on_round_finished(void *arg, const struct race_round_outcome *o);
static bool on_stop(void *arg);

/* A mode begins: count it, no round under way yet. */
static void
on_mode_started(void *arg, const char *scenario, enum race_mode mode, int rounds)
{
	struct lab_run *run = arg;

	(void)scenario;
	pthread_mutex_lock(&run->lock);
	run->progress.modes_started++;
	run->progress.mode = mode;
	run->progress.rounds = rounds;
	run->progress.round = 0;
	run->progress.mode_anomalous = 0;
	pthread_mutex_unlock(&run->lock);
}

/* A round's fixtures are being made and its burst follows. */
static void
on_round_started(void *arg, const char *scenario, enum race_mode mode, int round, int rounds)
{
	struct lab_run *run = arg;

	(void)scenario;
	(void)rounds;
	pthread_mutex_lock(&run->lock);
	run->progress.mode = mode;
	run->progress.round = round;
	pthread_mutex_unlock(&run->lock);
}

/* A round was checked: its numbers for the screen. */
static void
on_round_finished(void *arg, const struct race_round_outcome *o)
{
	struct lab_run *run = arg;
	struct lab_progress *p = &run->progress;

	pthread_mutex_lock(&run->lock);
	p->rounds_finished++;
	if (o->anomalies > 0)
		p->mode_anomalous++;
	p->have_last = true;
	p->last_round = o->round;
	p->last_mode = o->mode;
	p->last_successes = o->successes;
	p->last_rejections = o->rejections;
	p->last_anomalies = o->anomalies;
	p->last_spread_us = o->spread_us;
	snprintf(p->last_why, sizeof p->last_why, "%s", o->why ? o->why : "");
	pthread_mutex_unlock(&run->lock);
}

/* The engine asks between rounds. */
static bool
on_stop(void *arg)
{
	struct lab_run *run = arg;
	bool stop;

	pthread_mutex_lock(&run->lock);
	stop = run->progress.stop_asked;
	pthread_mutex_unlock(&run->lock);
	return stop;
}

/* The whole run; the report and result wait in RUN for lab_run_finish. */
static void *
run_main(void *arg)
{
	struct lab_run *run = arg;
	struct race_callbacks cb = {
		.arg = run, .mode_started = on_mode_started, .round_started = on_round_started,
		.round_finished = on_round_finished, .stop = on_stop,
	};

	run->rc = race_run(&run->opts, &cb, &run->report, run->err, sizeof run->err);
	pthread_mutex_lock(&run->lock);
	run->progress.finished = true;
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

bz_err
lab_run_start(const struct race_options *opts, struct lab_run **out, char *err, size_t errlen)
{
	struct lab_run *run = xcalloc(1, sizeof *run);
	int e;

	*out = NULL;
	run->opts = *opts;
	if (opts->params) {
		/* A replay's fixture: the caller's case may go before the run does. */
		memcpy(run->params, opts->params, sizeof run->params);
		run->opts.params = run->params;
	}
	if (opts->scenario) {
		snprintf(run->scenario, sizeof run->scenario, "%s", opts->scenario);
		run->opts.scenario = run->scenario;
	}
	run->progress.planned_modes = race_planned_modes(&run->opts);
	run->progress.rounds = opts->rounds;
	pthread_mutex_init(&run->lock, NULL);
	if ((e = pthread_create(&run->thread, NULL, run_main, run)) != 0) {
		snprintf(err, errlen, "cannot start the lab's thread: %s", strerror(e));
		pthread_mutex_destroy(&run->lock);
		free(run);
		return BZ_ERR_INTERNAL;
	}
	*out = run;
	return BZ_OK;
}

void
lab_run_progress(struct lab_run *run, struct lab_progress *out)
{
	pthread_mutex_lock(&run->lock);
	*out = run->progress;
	pthread_mutex_unlock(&run->lock);
}

void
lab_run_stop(struct lab_run *run)
{
	pthread_mutex_lock(&run->lock);
	run->progress.stop_asked = true;
	pthread_mutex_unlock(&run->lock);
}

bz_err
lab_run_finish(struct lab_run *run, struct race_report *report, char *err, size_t errlen)
{
	bz_err rc;

	pthread_join(run->thread, NULL);
	*report = run->report;
	rc = run->rc;
	if (rc != BZ_OK)
		snprintf(err, errlen, "%s", run->err);
	pthread_mutex_destroy(&run->lock);
	free(run);
	return rc;
}

void
lab_run_abandon(struct lab_run *run)
{
	struct race_report report;
	char err[1024];

	if (run == NULL)
		return;
	lab_run_stop(run);
	if (lab_run_finish(run, &report, err, sizeof err) == BZ_OK)
		race_report_free(&report);
}
