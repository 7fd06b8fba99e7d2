/* What every owner-side subcommand starts with: the private cluster
 * running (when it is the database in use), the migration files loaded,
 * and an owner connection. */
#ifndef BAZAR_CLI_DB_SESSION_H
#define BAZAR_CLI_DB_SESSION_H

#include "core/error.h"
#include "db/migrate.h"

struct db_session {
	struct db_conn *conn;
	struct migration_set migrations;
};

bz_err db_session_open(struct db_session *s, const char *application_name, char *err, size_t errlen);
void db_session_close(struct db_session *s);

#endif
