/* The Race lab's lock view (see tui/race_lab_locks.h): the engine's lock
 * watcher samples the lock graph during every burst on a thread of its
 * own; the lab's thread keeps the latest sample that saw a wait under its
 * mutex (tui/race_lab_run.c) and the screen's tick copies it out. A wait
 * lasts milliseconds, so the panel shows the latest one seen and how long
 * ago, rather than a list that would be empty at almost every tick. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "tui/race_lab_locks.h"
#include "tui/text.h"

static int64_t now_ms(void);
static const char *short_mode(const char *mode, char *buf, size_t len);

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "RowExclusiveLock" -> "RowExclusive": the column is narrow. */
static const char *
short_mode(const char *mode, char *buf, size_t len)
{
	size_t n = strlen(mode);

	if (n > 4 && strcmp(mode + n - 4, "Lock") == 0)
		n -= 4;
	snprintf(buf, len, "%.*s", (int)n, mode);
	return buf;
}

void
lab_locks_draw_live(WINDOW *win, int y, int h, int w, const struct lab_progress *p, const char *scenario,
                    int sessions)
{
	const struct race_lock_sample *s = &p->lock_shown;
	char *line;
	int rows;

	if (h < 2)
		return;
	if (p->lock_samples_with_waits == 0) {
		line = xasprintf("Lock waits: none seen yet (%ld samples)", p->lock_samples);
	} else if (p->lock_latest_waits > 0) {
		line = xasprintf("Lock waits now (%s round %d): %ld of %ld samples saw waits", race_mode_name(s->mode),
		                 s->round, p->lock_samples_with_waits, p->lock_samples);
	} else {
		line = xasprintf("Lock waits last seen %lld ms ago (%s round %d): %ld of %ld samples saw waits",
		                 (long long)(now_ms() - p->lock_shown_ms), race_mode_name(s->mode), s->round,
		                 p->lock_samples_with_waits, p->lock_samples);
	}
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, y, 0, ' ', w);
	text_draw(win, y, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(line);
	rows = h - 1;
	for (int i = 0; i < s->nwaits && i < rows && p->lock_samples_with_waits > 0; i++) {
		const struct race_lock_wait *x = &s->waits[i];
		char who[96], mode[24];

		if (i == rows - 1 && s->nwaits > rows) {
			line = xasprintf("... %d more", s->nwaits - i);
		} else {
			race_lock_who(who, sizeof who, scenario, sessions, x->waiter, x->waiter_pid, x->blocker,
			              x->blocker_pid);
			line = xasprintf("%-31s %-13s %-12s %-9.9s %5lld ms", who, x->lock_type,
			                 short_mode(x->lock_mode, mode, sizeof mode), x->relation[0] ? x->relation : "-",
			                 (long long)(x->wait_us / 1000));
		}
		wattrset(win, crt_attr(COLOR_LOCK_WAIT));
		text_draw(win, y + 1 + i, 1, w - 2, line, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(line);
	}
}

int
lab_locks_result(const struct race_mode_report *m, char *lines[], int max)
{
	const struct race_lock_summary *l = &m->locks;
	int n = 0;

	if (!l->watched || max < 3)
		return 0;
	lines[n++] = xasprintf("  locks: %ld samples, %ld with waits, up to %d at once, longest %.1f ms",
	                       l->samples, l->samples_with_waits, l->max_waiters, (double)l->longest_wait_us / 1000.0);
	lines[n++] = xasprintf("  locks: one sample %.2f ms mean, %.2f ms max; latency p50 %.1f ms",
	                       l->samples ? (double)l->sample_total_us / (double)l->samples / 1000.0 : 0.0,
	                       (double)l->sample_max_us / 1000.0, (double)m->latency_median_us / 1000.0);
	if (l->error[0])
		lines[n++] = xasprintf("  locks: the watcher failed: %s", l->error);
	for (int i = 0; i < l->nedges && n < max; i++) {
		const struct race_lock_edge *e = &l->edges[i];
		char who[96], mode[24];

		race_lock_who(who, sizeof who, m->scenario, m->sessions, e->waiter, e->waiter_pid, e->blocker,
		              e->blocker_pid);
		lines[n++] = xasprintf("  %-31s %-13s %-12s %-9.9s %4ldx", who, e->lock_type,
		                       short_mode(e->lock_mode, mode, sizeof mode), e->relation[0] ? e->relation : "-",
		                       e->samples);
	}
	return n;
}
