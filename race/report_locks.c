/* The "locks" object of a mode in the JSON report (docs/race.md): what
 * the lock watcher saw and what it cost. */
#include "config.h"

#include <cJSON.h>
#include <stdio.h>

#include "race/report_json.h"

/* null when watching was off. */
cJSON *
race_locks_json(const struct race_mode_report *m)
{
	const struct race_lock_summary *l = &m->locks;
	cJSON *o, *edges, *rounds;

	if (!l->watched)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	edges = cJSON_CreateArray();
	rounds = cJSON_CreateArray();
	cJSON_AddNumberToObject(o, "samples", (double)l->samples);
	cJSON_AddNumberToObject(o, "samples_with_waits", (double)l->samples_with_waits);
	cJSON_AddNumberToObject(o, "sample_mean_us", l->samples ? (double)(l->sample_total_us / l->samples) : 0.0);
	cJSON_AddNumberToObject(o, "sample_max_us", (double)l->sample_max_us);
	cJSON_AddNumberToObject(o, "max_waiters", l->max_waiters);
	cJSON_AddNumberToObject(o, "longest_wait_us", (double)l->longest_wait_us);
	cJSON_AddNumberToObject(o, "waits_seen", (double)l->waits_seen);
	for (int i = 0; i < l->nedges; i++) {
		const struct race_lock_edge *e = &l->edges[i];
		cJSON *x = cJSON_CreateObject();
		if (e->waiter >= 0)
			cJSON_AddNumberToObject(x, "waiter", e->waiter);
		else
			cJSON_AddNullToObject(x, "waiter");
		cJSON_AddStringToObject(x, "action", race_lock_action(m->scenario, e->waiter, m->sessions));
		if (e->blocker >= 0)
			cJSON_AddNumberToObject(x, "blocker", e->blocker);
		else
			cJSON_AddNullToObject(x, "blocker");
		cJSON_AddNumberToObject(x, "waiter_pid", e->waiter_pid);
		cJSON_AddNumberToObject(x, "blocker_pid", e->blocker_pid);
		cJSON_AddStringToObject(x, "lock_type", e->lock_type);
		cJSON_AddStringToObject(x, "lock_mode", e->lock_mode);
		cJSON_AddStringToObject(x, "relation", e->relation);
		cJSON_AddNumberToObject(x, "samples", (double)e->samples);
		cJSON_AddNumberToObject(x, "longest_wait_us", (double)e->longest_wait_us);
		cJSON_AddItemToArray(edges, x);
	}
	cJSON_AddItemToObject(o, "edges", edges);
	cJSON_AddNumberToObject(o, "edges_dropped", (double)l->edges_dropped);
	for (int i = 0; m->lock_rounds && i < m->rounds; i++) {
		const struct race_lock_round *r = &m->lock_rounds[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "round", r->round);
		cJSON_AddNumberToObject(x, "samples", (double)r->samples);
		cJSON_AddNumberToObject(x, "samples_with_waits", (double)r->samples_with_waits);
		cJSON_AddNumberToObject(x, "max_waiters", r->max_waiters);
		cJSON_AddNumberToObject(x, "longest_wait_us", (double)r->longest_wait_us);
		cJSON_AddNumberToObject(x, "sample_max_us", (double)r->sample_max_us);
		cJSON_AddItemToArray(rounds, x);
	}
	cJSON_AddItemToObject(o, "rounds", rounds);
	if (l->error[0])
		cJSON_AddStringToObject(o, "error", l->error);
	else
		cJSON_AddNullToObject(o, "error");
	return o;
}
