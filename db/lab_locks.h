/* The race lab's lock sampler (race/lock_watch.c): one query that lists
 * the backends of one run that wait on a lock, each with its blocker(s).
 * Owner connection (it sees every backend's application_name). */
#ifndef BAZAR_DB_LAB_LOCKS_H
#define BAZAR_DB_LAB_LOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct db_conn;

/* One waiter and one of its blockers (a waiter blocked by two backends
 * gives two rows). */
struct db_lab_lock_wait {
	int pid;
	char application_name[64];    /* as it is now: an API function names the call ("bazar checkout order=...") */
	int blocker_pid;
	char blocker_name[64];        /* "" when the blocker has none */
	char lock_type[16];           /* pg_locks.locktype: "transactionid", "tuple", "relation" */
	char lock_mode[24];           /* "ShareLock", "ExclusiveLock", ... */
	char relation[48];            /* the lock's relation, else the row's (tuple lock held); "" when none */
	int64_t wait_us;              /* since pg_locks.waitstart (0 when not yet set) */
};

/* Prepare the sample on CONN (once, before the first sample): planning
 * the query costs more than running it, and the watcher runs it every
 * few milliseconds. */
bz_err db_lab_lock_prepare(struct db_conn *conn, char *err, size_t errlen);
/* The server process of CONN (0: none), to find its waits. */
int db_lab_backend_pid(const struct db_conn *conn);
/* The waits of the backends PIDS (NPIDS of them), at most MAX rows into
 * OUT, their number in *n. By pid, not by application_name: the API's
 * functions rename their backend for the call. When none of them waits,
 * pg_locks is not read at all. CONN must
 * have been prepared (db_lab_lock_prepare) and is used blocking: it
 * belongs to the watcher's thread alone. */
bz_err db_lab_lock_sample(struct db_conn *conn, const int *pids, int npids, struct db_lab_lock_wait *out,
                          int max, int *n, char *err, size_t errlen);

#endif
