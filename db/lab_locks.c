/* The race lab's lock sampler query (see db/lab_locks.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include <libpq-fe.h>

#include "db/db_internal.h"
#include "db/lab_locks.h"

/* The waiters first (pg_stat_activity, cheap); pg_locks, which takes
 * every lock-manager partition lock, is read once and only when someone
 * of the run waits (the one-time filter), since a sampler that stalls the
 * lock manager would disturb the race it watches. A row lock shows as a
 * wait on the holder's transaction id; its table is the one of the tuple
 * lock the waiter holds meanwhile. */
static const char sample_sql[] =
	"WITH w AS MATERIALIZED ("
	"  SELECT a.pid, a.application_name FROM pg_stat_activity a"
	"   WHERE a.wait_event_type = 'Lock' AND a.pid = ANY ($1::integer[])),"
	" l AS MATERIALIZED ("
	"  SELECT pid, locktype, mode, relation, granted, waitstart FROM pg_locks"
	"   WHERE EXISTS (SELECT 1 FROM w) AND pid IN (SELECT pid FROM w))"
	" SELECT w.pid, w.application_name, bp.pid, coalesce(b.application_name, ''),"
	"        x.locktype, x.mode,"
	"        coalesce(coalesce(x.relation, (SELECT t.relation FROM l t WHERE t.pid = w.pid"
	"                                         AND t.locktype = 'tuple' AND t.granted LIMIT 1))::regclass::text, ''),"
	"        coalesce((extract(epoch FROM clock_timestamp() - x.waitstart) * 1000000)::bigint, 0)"
	"   FROM w JOIN l x ON x.pid = w.pid AND NOT x.granted"
	"   CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)"
	"   LEFT JOIN pg_stat_activity b ON b.pid = bp.pid"
	"  ORDER BY w.pid, bp.pid LIMIT $2::integer";

#define SAMPLE_NAME "bazar_lab_lock_sample"

bz_err
db_lab_lock_prepare(struct db_conn *conn, char *err, size_t errlen)
{
	PGresult *res = PQprepare(conn->pg, SAMPLE_NAME, sample_sql, 2, NULL);
	bz_err rc = BZ_OK;

	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(err, errlen, "cannot prepare the lock sample: %s", PQerrorMessage(conn->pg));
		rc = BZ_ERR_INTERNAL;
	}
	PQclear(res);
	return rc;
}

int
db_lab_backend_pid(const struct db_conn *conn)
{
	return conn && conn->pg ? PQbackendPID(conn->pg) : 0;
}

bz_err
db_lab_lock_sample(struct db_conn *conn, const int *pids, int npids, struct db_lab_lock_wait *out, int max,
                   int *n, char *err, size_t errlen)
{
	char limit[16];
	/* "{1,2,...}": at most 11 characters a pid. */
	char *list = xmalloc((size_t)npids * 12 + 3);
	const char *params[2] = { list, limit };
	size_t used = 0;
	PGresult *res;
	bz_err rc = BZ_OK;

	*n = 0;
	snprintf(limit, sizeof limit, "%d", max);
	list[used++] = '{';
	for (int i = 0; i < npids; i++)
		used += (size_t)sprintf(list + used, i ? ",%d" : "%d", pids[i]);
	list[used++] = '}';
	list[used] = '\0';
	res = PQexecPrepared(conn->pg, SAMPLE_NAME, 2, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != 8) {
		snprintf(err, errlen, "the lock sample failed: %s", PQerrorMessage(conn->pg));
		rc = PQstatus(conn->pg) == CONNECTION_OK ? BZ_ERR_INTERNAL : BZ_ERR_CONNECTION;
		goto out;
	}
	for (int i = 0; i < PQntuples(res) && i < max; i++) {
		struct db_lab_lock_wait *o = &out[i];

		memset(o, 0, sizeof *o);
		o->pid = atoi(PQgetvalue(res, i, 0));
		snprintf(o->application_name, sizeof o->application_name, "%s", PQgetvalue(res, i, 1));
		o->blocker_pid = atoi(PQgetvalue(res, i, 2));
		snprintf(o->blocker_name, sizeof o->blocker_name, "%s", PQgetvalue(res, i, 3));
		snprintf(o->lock_type, sizeof o->lock_type, "%s", PQgetvalue(res, i, 4));
		snprintf(o->lock_mode, sizeof o->lock_mode, "%s", PQgetvalue(res, i, 5));
		snprintf(o->relation, sizeof o->relation, "%s", PQgetvalue(res, i, 6));
		o->wait_us = strtoll(PQgetvalue(res, i, 7), NULL, 10);
		(*n)++;
	}
out:
	PQclear(res);
	free(list);
	return rc;
}
