/* Connections. db/ is the only code that includes libpq-fe.h; everyone
 * else holds an opaque struct db_conn.
 *
 * Which database: the owner connection follows libpq conventions
 * (DATABASE_URL, else the PG* variables); when neither is set it is the
 * private cluster (db/cluster.h). The client (kiosk) and staff connections
 * use BAZAR_CLIENT_URL / BAZAR_STAFF_URL when set; otherwise they reach the
 * same server and database as the owner connection, as the roles
 * bazar_client / bazar_staff, never with the owner's password. */
#ifndef BAZAR_DB_DB_H
#define BAZAR_DB_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum db_role {
	DB_ROLE_OWNER,   /* migrations, seed-demo, tests */
	DB_ROLE_CLIENT,  /* kiosk storefront */
	DB_ROLE_STAFF,   /* operator console */
	DB_ROLE_TESTER,  /* attack suite and race lab: customer and staff API, no tables */
	DB_ROLE_MAILER,  /* mail worker: claims outbox rows, records outcomes, no tables */
};

struct db_conn;

/* Open a connection for a role. application_name is the business label
 * shown in the lock views (e.g. "bazar migrate"). On failure *out is NULL
 * and err holds a sentence without any password. */
bz_err db_connect(enum db_role role, const char *application_name,
                  struct db_conn **out, char *err, size_t errlen);
/* The same with libpq's OPTIONS ("-c name=value ..."; NULL: none, so
 * PGOPTIONS applies). Threads use it instead of changing PGOPTIONS: the
 * environment is not safe to change while other threads read it. */
bz_err db_connect_options(enum db_role role, const char *application_name, const char *options,
                          struct db_conn **out, char *err, size_t errlen);
void db_close(struct db_conn *conn);

/* Reconnect a connection that was lost (PQreset), with the same settings.
 * Callers retry only what is safe to repeat (reads, or calls carrying an
 * idempotency key). */
bz_err db_reset(struct db_conn *conn, char *err, size_t errlen);

/* A printable description of where a connection goes (host/socket, port,
 * database, user), never the password. Caller frees. */
char *db_describe(const struct db_conn *conn);

/* The current role is a superuser, or holds any privilege on a table in
 * the shop's schema: a kiosk must refuse to run with such a connection. */
bz_err db_check_least_privilege(struct db_conn *conn, char *err, size_t errlen);

/* Schema version the database is at (max applied migration), via the
 * API function that every role may call. "" when no migration applied. */
bz_err db_schema_version(struct db_conn *conn, char *out, size_t outlen, char *err, size_t errlen);

/* The newest migration version this program was built for. */
const char *db_expected_schema_version(void);

/* Compare the database schema with the expected one; on mismatch err says
 * which is older and what to run. */
bz_err db_check_schema_version(struct db_conn *conn, char *err, size_t errlen);

#endif
