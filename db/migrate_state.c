/* schema_migrations, checksums and the runner's lock; see migrate_state.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "db/migrate_state.h"

bz_err
state_exec(struct db_conn *conn, const char *sql, char *err, size_t errlen)
{
	PGresult *res = PQexec(conn->pg, sql);
	bz_err rc = BZ_OK;
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = db_error_from_result(res, err, errlen);
	PQclear(res);
	/* A multi-statement string leaves further results only on error paths;
	 * drain so the connection is ready for the next command. */
	while ((res = PQgetResult(conn->pg)) != NULL)
		PQclear(res);
	return rc;
}

bz_err
state_ensure_table(struct db_conn *conn, char *err, size_t errlen)
{
	/* Same definition as in 0001_base.sql, which creates it for people who
	 * paste the migrations into an SQL editor instead. */
	return state_exec(conn,
		"CREATE TABLE IF NOT EXISTS public.schema_migrations ("
		" version text PRIMARY KEY,"
		" name text NOT NULL,"
		" checksum text NOT NULL,"
		" applied_at timestamptz NOT NULL DEFAULT now(),"
		" applied_by text NOT NULL DEFAULT current_user,"
		" execution_ms integer)", err, errlen);
}

bz_err
state_load(struct db_conn *conn, struct applied_list *list, char *err, size_t errlen)
{
	PGresult *res;
	bz_err rc = BZ_OK;

	memset(list, 0, sizeof *list);
	res = PQexecParams(conn->pg,
		"SELECT version, name, checksum FROM public.schema_migrations"
		" WHERE to_regclass('public.schema_migrations') IS NOT NULL",
		0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		if (strcmp(db_sqlstate(res), SQLSTATE_UNDEFINED_TABLE) == 0)
			goto out;  /* nothing applied yet */
		rc = db_error_from_result(res, err, errlen);
		goto out;
	}
	list->count = (size_t)PQntuples(res);
	list->items = xcalloc(list->count, sizeof *list->items);
	for (size_t i = 0; i < list->count; i++) {
		snprintf(list->items[i].version, sizeof list->items[i].version, "%s",
		         PQgetvalue(res, (int)i, 0));
		list->items[i].name = xstrdup(PQgetvalue(res, (int)i, 1));
		list->items[i].checksum = xstrdup(PQgetvalue(res, (int)i, 2));
	}
out:
	PQclear(res);
	return rc;
}

void
state_free(struct applied_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].name);
		free(list->items[i].checksum);
	}
	free(list->items);
	memset(list, 0, sizeof *list);
}

const struct applied *
state_find(const struct applied_list *list, const char *version)
{
	for (size_t i = 0; i < list->count; i++)
		if (migration_version_valid(list->items[i].version) &&
		    migration_version_cmp(list->items[i].version, version) == 0)
			return &list->items[i];
	return NULL;
}

bz_err
state_checksum(struct db_conn *conn, const struct migration *m, char out[65],
               char *err, size_t errlen)
{
	const Oid types[1] = { 17 /* bytea */ };
	const char *values[1] = { m->sql };
	const int lengths[1] = { (int)m->sql_len };
	const int formats[1] = { 1 };
	PGresult *res = PQexecParams(conn->pg, "SELECT encode(sha256($1), 'hex')",
	                             1, types, values, lengths, formats, 0);
	bz_err rc = BZ_OK;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		rc = db_error_from_result(res, err, errlen);
	else
		snprintf(out, 65, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

/* One pg_try_advisory_lock; *got tells whether we hold it now. */
static bz_err
try_lock(struct db_conn *conn, bool *got, char *err, size_t errlen)
{
	const char *key[1] = { MIGRATE_ADVISORY_KEY };
	PGresult *res = PQexecParams(conn->pg, "SELECT pg_try_advisory_lock($1::bigint)",
	                             1, NULL, key, NULL, NULL, 0);
	bz_err rc = BZ_OK;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = db_error_from_result(res, err, errlen);
	else
		*got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return rc;
}

bz_err
state_lock(struct db_conn *conn, FILE *out, char *err, size_t errlen)
{
	const char *key[1] = { MIGRATE_ADVISORY_KEY };
	struct timespec pause = { 0, 200 * 1000000L };
	PGresult *res;
	bool got = false;
	bz_err rc;

	if ((rc = try_lock(conn, &got, err, errlen)) != BZ_OK || got)
		return rc;
	res = PQexecParams(conn->pg,
		"SELECT coalesce(string_agg(l.pid::text, ', '), '?') FROM pg_locks l"
		" WHERE l.locktype = 'advisory' AND l.granted"
		"   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
		"   AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint",
		1, NULL, key, NULL, NULL, 0);
	if (out) {
		fprintf(out, "another bazar migrate/rollback is running (backend pid %s); waiting for it...\n",
		        PQresultStatus(res) == PGRES_TUPLES_OK ? PQgetvalue(res, 0, 0) : "?");
		fflush(out);
	}
	PQclear(res);
	/* Poll rather than block in pg_advisory_lock(): a statement waiting
	 * that long keeps a transaction open, and CREATE INDEX CONCURRENTLY in
	 * the other run waits for every open transaction: a deadlock. */
	while (!got) {
		nanosleep(&pause, NULL);
		if ((rc = try_lock(conn, &got, err, errlen)) != BZ_OK)
			return rc;
	}
	if (out)
		fprintf(out, "the other run finished; continuing\n");
	return BZ_OK;
}

bz_err
state_set_lock_timeout(struct db_conn *conn, int ms, char *err, size_t errlen)
{
	char value[32];
	const char *values[1] = { value };
	PGresult *res;
	bz_err rc = BZ_OK;

	snprintf(value, sizeof value, "%dms", ms);
	res = PQexecParams(conn->pg, "SELECT set_config('lock_timeout', $1, false)",
	                   1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = db_error_from_result(res, err, errlen);
	PQclear(res);
	return rc;
}
