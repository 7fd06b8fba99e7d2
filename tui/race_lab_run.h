/* The console's Race lab runs the race lab's engine (race/race.h) on a
 * thread of its own, since race_run blocks until the run ends: the
 * engine opens its own connections (the owner's, as "bazar race" does,
 * and one per session), its callbacks copy the progress into a struct
 * under a mutex, and the screen's tick reads a copy of it. No curses
 * here: this is the plain-C half of the screen. */
#ifndef BAZAR_TUI_RACE_LAB_RUN_H
#define BAZAR_TUI_RACE_LAB_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "race/race.h"

/* What the screen draws while a run goes on (a copy, taken under the
 * run's mutex). */
struct lab_progress {
	int planned_modes;        /* scenario-and-mode runs the options make */
	int modes_started;        /* 1.. once the first mode began */
	int rounds;               /* R per mode */
	enum race_mode mode;      /* the mode under way */
	int round;                /* the round under way (started), 0 before the first */
	int rounds_finished;      /* over every mode, for the progress bar */
	int mode_anomalous;       /* anomalous rounds of the mode under way */
	/* The last finished round. */
	bool have_last;
	int last_round;
	enum race_mode last_mode;
	int last_successes, last_rejections, last_anomalies;
	int64_t last_spread_us;   /* -1: unknown */
	char last_why[256];
	bool stop_asked;          /* s or Esc: the run ends after the round under way */
	bool finished;            /* race_run has returned */
	/* Watching locks (race_options.watch_locks): the samples of the run so
	 * far, how many waits the latest one saw, and the latest one that saw
	 * any (when: CLOCK_MONOTONIC ms), for the live panel. */
	long lock_samples, lock_samples_with_waits;
	int lock_latest_waits;
	int64_t lock_shown_ms;
	struct race_lock_sample lock_shown;
};

struct lab_run;

/* Start race_run(OPTS) on a new thread (OPTS is copied, its scenario
 * name too). BZ_OK and *out, or a sentence in err (no thread). */
bz_err lab_run_start(const struct race_options *opts, struct lab_run **out, char *err, size_t errlen);

/* A copy of the progress now. */
void lab_run_progress(struct lab_run *run, struct lab_progress *out);

/* Ask the engine to stop at its next round (its stop callback says so). */
void lab_run_stop(struct lab_run *run);

/* Once progress.finished: wait for the thread (it has ended), hand over
 * the report (*report, the caller frees it with race_report_free) and
 * race_run's result; err holds its sentence when it is not BZ_OK. Frees
 * RUN. */
bz_err lab_run_finish(struct lab_run *run, struct race_report *report, char *err, size_t errlen);

/* The screen goes away while a run goes on: ask it to stop, wait for it
 * (the round under way ends first), drop its report, free RUN. NULL is
 * fine. */
void lab_run_abandon(struct lab_run *run);

#endif
