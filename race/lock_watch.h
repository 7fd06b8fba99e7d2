/* Inside the engine: the lock watcher (race/lock_watch.c). One per mode,
 * with a connection of its own (owner role); during each burst a thread
 * of its own samples the run's lock waits every interval and sums them
 * into the round's race_lock_summary. */
#ifndef BAZAR_RACE_LOCK_WATCH_H
#define BAZAR_RACE_LOCK_WATCH_H

#include "race/race.h"

struct lock_watch;

/* A watcher for the SESSIONS workers' connections CONNS (kept, not
 * owned). Never NULL: a watcher whose connection failed records the error
 * in each round's summary and samples nothing. */
struct db_conn;
struct lock_watch *lock_watch_new(struct db_conn **conns, const char *scenario, enum race_mode mode, int sessions,
                                  int interval_ms, const struct race_callbacks *cb);
/* Start sampling (before the burst's release); the workers' backend
 * pids are read again (a broken connection is reset between rounds). */
void lock_watch_start(struct lock_watch *lw, int round);
/* Stop and join the thread; the round's summary into *out. */
void lock_watch_stop(struct lock_watch *lw, struct race_lock_summary *out);
void lock_watch_free(struct lock_watch *lw);

/* Add a round's summary to a mode's (edges merged, busiest first). */
void race_lock_merge(struct race_lock_summary *into, const struct race_lock_summary *from);
/* The median of N values (sorts V); 0 when N is 0. */
int64_t race_median_i64(int64_t *v, int n);
/* A worker's application_name: "bazar race SCENARIO MODE sNN #TAG", so
 * the console's Locks screen names it and the watcher finds this run. */
void race_worker_label(char *buf, size_t len, const char *scenario, enum race_mode mode, int worker,
                       const char *tag);

#endif
