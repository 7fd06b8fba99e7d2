/* Filling and freeing the race lab's report (race/race.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "race/report.h"

static int cmp_i64(const void *a, const void *b);

/* Tally one rejection reason; past RACE_MAX_REASONS distinct ones the
 * rest are counted in rejections only. */
void
race_report_reason(struct race_mode_report *res, const char *key)
{
	for (int i = 0; i < res->nreasons; i++)
		if (strcmp(res->reasons[i].key, key) == 0) {
			res->reasons[i].count++;
			return;
		}
	if (res->nreasons < RACE_MAX_REASONS) {
		snprintf(res->reasons[res->nreasons].key, sizeof res->reasons[0].key, "%s", key);
		res->reasons[res->nreasons++].count = 1;
	}
}

/* The session outcomes of one round, copied out of the workers. */
void
race_report_sessions(struct race_session_outcome **dst, const struct race_worker *w, int n)
{
	if (*dst == NULL)
		*dst = xcalloc((size_t)n, sizeof **dst);
	for (int i = 0; i < n; i++) {
		struct race_session_outcome *o = &(*dst)[i];
		o->ok = w[i].ok;
		snprintf(o->sqlstate, sizeof o->sqlstate, "%s", w[i].sqlstate);
		snprintf(o->message, sizeof o->message, "%s",
		         w[i].note[0] ? w[i].note : w[i].ok ? "ok" : bz_err_name(w[i].err));
		o->latency_us = w[i].latency_us;
		o->attempts = w[i].attempts;
	}
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* min/median/max of N spreads (sorted in place). */
void
race_report_spreads(struct race_mode_report *res, int64_t *spreads, int n)
{
	res->nspreads = n;
	if (n == 0)
		return;
	qsort(spreads, (size_t)n, sizeof spreads[0], cmp_i64);
	res->spread_min_us = spreads[0];
	res->spread_median_us = spreads[n / 2];
	res->spread_max_us = spreads[n - 1];
}

void
race_report_free(struct race_report *report)
{
	for (int i = 0; report->modes && i < report->nmodes; i++) {
		free(report->modes[i].last_round);
		free(report->modes[i].first_failing);
		free(report->modes[i].lock_rounds);
	}
	free(report->modes);
	memset(report, 0, sizeof *report);
}
