/* bazar race --watch-locks: who waited on whom and what the watching
 * cost, under each mode's verdict (see cli/race_locks.h). */
#include "config.h"

#include <stdio.h>

#include "cli/race_locks.h"

/* At most this many edges per mode: the busiest. */
#define PRINTED_EDGES 8

void
race_print_locks(const struct race_mode_report *m)
{
	const struct race_lock_summary *l = &m->locks;

	if (!l->watched)
		return;
	printf("  locks: %ld samples, %ld with waits; one sample %.2f ms mean, %.2f ms max; "
	       "latency p50 %.2f ms\n", l->samples, l->samples_with_waits,
	       l->samples ? (double)l->sample_total_us / (double)l->samples / 1000.0 : 0.0,
	       (double)l->sample_max_us / 1000.0, (double)m->latency_median_us / 1000.0);
	printf("  locks: up to %d waiting at once, longest wait %.2f ms\n", l->max_waiters,
	       (double)l->longest_wait_us / 1000.0);
	if (l->error[0])
		printf("  locks: the watcher failed: %s\n", l->error);
	for (int i = 0; i < l->nedges && i < PRINTED_EDGES; i++) {
		const struct race_lock_edge *e = &l->edges[i];
		char who[96];

		race_lock_who(who, sizeof who, m->scenario, m->sessions, e->waiter, e->waiter_pid, e->blocker,
		              e->blocker_pid);
		printf("  waited %-40s %-13s %-19s %-16s %5ld samples, longest %.2f ms\n", who, e->lock_type,
		       e->lock_mode, e->relation[0] ? e->relation : "-", e->samples, (double)e->longest_wait_us / 1000.0);
	}
	if (l->nedges > PRINTED_EDGES)
		printf("  waited ... %d more pairs\n", l->nedges - PRINTED_EDGES);
}
