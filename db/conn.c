/* Opening connections for each role, and the checks a kiosk makes before
 * it trusts one (least privilege, schema version). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/migration_name.h"
#include "core/xalloc.h"
#include "db/cluster.h"
#include "db/db_internal.h"
#include "db/schema_version.h"

#define MAX_CONN_PARAMS 48

struct conn_params {
	const char *keys[MAX_CONN_PARAMS + 1];
	const char *values[MAX_CONN_PARAMS + 1];
	int count;
};

static void params_set(struct conn_params *p, const char *key, const char *value);
static const char *role_env(enum db_role role);
static const char *role_name(enum db_role role);
static void silence_notices(void *arg, const PGresult *res);

/* Add or replace one keyword. */
static void
params_set(struct conn_params *p, const char *key, const char *value)
{
	for (int i = 0; i < p->count; i++)
		if (strcmp(p->keys[i], key) == 0) {
			p->values[i] = value;
			return;
		}
	if (p->count < MAX_CONN_PARAMS) {
		p->keys[p->count] = key;
		p->values[p->count] = value;
		p->count++;
		p->keys[p->count] = NULL;
		p->values[p->count] = NULL;
	}
}

/* The environment variable that names a role's own connection. */
static const char *
role_env(enum db_role role)
{
	switch (role) {
	case DB_ROLE_OWNER:  return "DATABASE_URL";
	case DB_ROLE_CLIENT: return "BAZAR_CLIENT_URL";
	case DB_ROLE_STAFF:  return "BAZAR_STAFF_URL";
	case DB_ROLE_TESTER: return "BAZAR_TESTER_URL";
	case DB_ROLE_MAILER: return "BAZAR_MAILER_URL";
	}
	return "DATABASE_URL";
}

/* The database role a derived connection logs in as. */
static const char *
role_name(enum db_role role)
{
	switch (role) {
	case DB_ROLE_OWNER:  return CLUSTER_OWNER_ROLE;
	case DB_ROLE_CLIENT: return CLUSTER_CLIENT_ROLE;
	case DB_ROLE_STAFF:  return CLUSTER_STAFF_ROLE;
	case DB_ROLE_TESTER: return CLUSTER_TESTER_ROLE;
	case DB_ROLE_MAILER: return CLUSTER_MAILER_ROLE;
	}
	return CLUSTER_OWNER_ROLE;
}

/* NOTICEs from idempotent DDL ("already exists, skipping") are noise on a
 * terminal; anything the user must see is raised as WARNING or ERROR. */
static void
silence_notices(void *arg, const PGresult *res)
{
	const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	if (severity && strcmp(severity, "WARNING") == 0)
		fprintf(stderr, "warning: %s", PQresultErrorMessage(res));
}

bz_err
db_connect(enum db_role role, const char *application_name,
           struct db_conn **out, char *err, size_t errlen)
{
	return db_connect_options(role, application_name, NULL, out, err, errlen);
}

bz_err
db_connect_options(enum db_role role, const char *application_name, const char *options,
                   struct db_conn **out, char *err, size_t errlen)
{
	struct conn_params params = { .count = 0 };
	const char *own_url = getenv(role_env(role));
	const char *owner_url = getenv("DATABASE_URL");
	char *cluster_url = NULL;
	PQconninfoOption *parsed = NULL;
	char *parse_err = NULL;
	PGconn *pg = NULL;
	bz_err rc = BZ_OK;
	bool derived = false;
	const char *base = "";
	bool events_on = true;

	*out = NULL;
	if ((rc = db_events_setting(&events_on, err, errlen)) != BZ_OK)
		goto out;
	if (own_url && *own_url) {
		base = own_url;
	} else if (cluster_is_default()) {
		struct cluster_paths paths;
		if ((rc = cluster_resolve(&paths, err, errlen)) != BZ_OK)
			goto out;
		cluster_url = cluster_uri(&paths, role_name(role), CLUSTER_DATABASE);
		base = cluster_url;
	} else {
		/* Same server and database as the owner's settings, but as the
		 * role's own login and never with the owner's password. */
		base = owner_url && *owner_url ? owner_url : "";
		derived = role != DB_ROLE_OWNER;
	}

	parsed = PQconninfoParse(base, &parse_err);
	if (parsed == NULL) {
		snprintf(err, errlen, "%s is not a valid connection string: %s",
		         own_url && *own_url ? role_env(role) : "DATABASE_URL",
		         parse_err ? parse_err : "out of memory");
		rc = BZ_ERR_INVALID_INPUT;
		goto out;
	}
	for (PQconninfoOption *o = parsed; o->keyword; o++) {
		if (o->val == NULL || *o->val == '\0')
			continue;
		if (derived && (strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "user") == 0))
			continue;
		params_set(&params, o->keyword, o->val);
	}
	if (derived) {
		params_set(&params, "user", role_name(role));
		/* libpq would fall back to PGPASSWORD, which belongs to the owner. */
		unsetenv("PGPASSWORD");
	}
	params_set(&params, "application_name", application_name);
	if (options)
		params_set(&params, "options", options);
	if (getenv("PGCONNECT_TIMEOUT") == NULL)
		params_set(&params, "connect_timeout", "10");

	pg = PQconnectdbParams(params.keys, params.values, 0);
	if (pg == NULL || PQstatus(pg) != CONNECTION_OK) {
		const char *msg = pg ? PQerrorMessage(pg) : "out of memory";
		size_t len = strcspn(msg, "\n");
		snprintf(err, errlen, "cannot connect as %s: %.*s", role_name(role), (int)len, msg);
		bz_log(LOG_ERROR, "connect (%s) failed: %.*s", application_name, (int)len, msg);
		rc = BZ_ERR_CONNECTION;
		goto out;
	}
	PQsetNoticeReceiver(pg, silence_notices, NULL);
	*out = xcalloc(1, sizeof **out);
	(*out)->pg = pg;
	(*out)->role = role;
	(*out)->events.on = events_on;
	(*out)->events.last_flush_us = db_events_now_us();
	pg = NULL;
out:
	if (pg)
		PQfinish(pg);
	if (parsed)
		PQconninfoFree(parsed);
	PQfreemem(parse_err);
	free(cluster_url);
	return rc;
}

void
db_close(struct db_conn *conn)
{
	if (conn == NULL)
		return;
	/* What is left of the timings, if the connection is free for it. */
	db_events_flush_blocking(conn, true);
	PQfinish(conn->pg);
	free(conn);
}

bz_err
db_reset(struct db_conn *conn, char *err, size_t errlen)
{
	PQreset(conn->pg);
	if (PQstatus(conn->pg) != CONNECTION_OK) {
		const char *msg = PQerrorMessage(conn->pg);
		snprintf(err, errlen, "cannot reconnect: %.*s", (int)strcspn(msg, "\n"), msg);
		bz_log(LOG_WARN, "reconnect failed: %.*s", (int)strcspn(msg, "\n"), msg);
		return BZ_ERR_CONNECTION;
	}
	bz_log(LOG_INFO, "reconnected after a lost connection");
	return BZ_OK;
}

char *
db_describe(const struct db_conn *conn)
{
	const char *host = PQhost(conn->pg);
	return xasprintf("%s@%s (%s%s%s)", PQuser(conn->pg), PQdb(conn->pg),
	                 host && *host == '/' ? "socket " : "host ",
	                 host ? host : "?",
	                 cluster_is_default() ? ", private cluster" : "");
}

bz_err
db_check_least_privilege(struct db_conn *conn, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT r.rolsuper OR r.rolbypassrls,"
		"       (SELECT string_agg(c.relname, ', ' ORDER BY c.relname)"
		"          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
		"         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')"
		/* Objects of extensions (pgTAP's views, say) are not the shop's. */
		"           AND NOT EXISTS (SELECT 1 FROM pg_depend d"
		"                            WHERE d.classid = 'pg_class'::regclass"
		"                              AND d.objid = c.oid AND d.deptype = 'e')"
		"           AND (has_table_privilege(c.oid, 'SELECT')"
		"             OR has_table_privilege(c.oid, 'INSERT')"
		"             OR has_table_privilege(c.oid, 'UPDATE')"
		"             OR has_table_privilege(c.oid, 'DELETE')))"
		"  FROM pg_roles r WHERE r.rolname = current_user";
	PGresult *res = PQexecParams(conn->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
	bz_err rc = BZ_OK;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = db_error_from_result(res, err, errlen);
		goto out;
	}
	if (PQntuples(res) != 1) {
		snprintf(err, errlen, "cannot find the current role in pg_roles");
		rc = BZ_ERR_INTERNAL;
	} else if (strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		snprintf(err, errlen, "refusing to run the storefront as %s: it is a superuser "
		         "(or bypasses row security); a kiosk must use the client role",
		         PQuser(conn->pg));
		rc = BZ_ERR_PERMISSION;
	} else if (!PQgetisnull(res, 0, 1)) {
		snprintf(err, errlen, "refusing to run the storefront as %s: it has privileges on "
		         "tables (%.200s); a kiosk must reach data only through the API functions",
		         PQuser(conn->pg), PQgetvalue(res, 0, 1));
		rc = BZ_ERR_PERMISSION;
	}
out:
	PQclear(res);
	return rc;
}

bz_err
db_schema_version(struct db_conn *conn, char *out, size_t outlen, char *err, size_t errlen)
{
	PGresult *res = PQexecParams(conn->pg, "SELECT public.schema_version()",
	                             0, NULL, NULL, NULL, NULL, 0);
	bz_err rc = BZ_OK;

	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		snprintf(out, outlen, "%s", PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0));
	} else if (strcmp(db_sqlstate(res), SQLSTATE_UNDEFINED_FUNCTION) == 0) {
		/* schema_version() arrives with 0006; before that the shop is
		 * simply older than any program that asks. */
		snprintf(out, outlen, "%s", "");
	} else {
		rc = db_error_from_result(res, err, errlen);
	}
	PQclear(res);
	return rc;
}

const char *
db_expected_schema_version(void)
{
	return BAZAR_SCHEMA_VERSION;
}

bz_err
db_check_schema_version(struct db_conn *conn, char *err, size_t errlen)
{
	char have[64];
	bz_err rc = db_schema_version(conn, have, sizeof have, err, errlen);
	int cmp;

	if (rc != BZ_OK)
		return rc;
	if (*have == '\0' || !migration_version_valid(have)) {
		snprintf(err, errlen, "the database has no Bazar schema, or one older than the %s "
		         "this program needs: run 'bazar migrate' (and 'bazar verify')",
		         BAZAR_SCHEMA_VERSION);
		return BZ_ERR_SCHEMA_MISMATCH;
	}
	cmp = migration_version_cmp(have, BAZAR_SCHEMA_VERSION);
	if (cmp < 0) {
		snprintf(err, errlen, "the database schema is at %s, older than the %s this program "
		         "needs: run 'bazar migrate' (and 'bazar verify')", have, BAZAR_SCHEMA_VERSION);
		return BZ_ERR_SCHEMA_MISMATCH;
	}
	if (cmp > 0) {
		snprintf(err, errlen, "the database schema is at %s, newer than the %s this program "
		         "knows: run the bazar that migrated it, or roll the database back with "
		         "'bazar rollback --to %s' from that newer bazar", have, BAZAR_SCHEMA_VERSION,
		         BAZAR_SCHEMA_VERSION);
		return BZ_ERR_SCHEMA_MISMATCH;
	}
	return BZ_OK;
}
