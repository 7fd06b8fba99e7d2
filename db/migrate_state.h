/* Private to the migration runner: what the database says is applied. */
#ifndef BAZAR_DB_MIGRATE_STATE_H
#define BAZAR_DB_MIGRATE_STATE_H

#include "db/db_internal.h"
#include "db/migrate.h"

/* Key of the session advisory lock that serialises migrate/rollback runs. */
#define MIGRATE_ADVISORY_KEY "7017206937286881"

struct applied {
	char version[MIGRATION_VERSION_MAX];
	char *name;
	char *checksum;
};

struct applied_list {
	struct applied *items;
	size_t count;
};

/* Create public.schema_migrations when missing. */
bz_err state_ensure_table(struct db_conn *conn, char *err, size_t errlen);
/* Read schema_migrations (empty list when the table does not exist). */
bz_err state_load(struct db_conn *conn, struct applied_list *list, char *err, size_t errlen);
void state_free(struct applied_list *list);
const struct applied *state_find(const struct applied_list *list, const char *version);
/* SHA-256 (hex) of a migration's text, computed by the server so the
 * program needs no crypto library. out must hold 65 bytes. */
bz_err state_checksum(struct db_conn *conn, const struct migration *m, char out[65],
                      char *err, size_t errlen);
/* Take the runner's advisory lock, telling out who we wait for. */
bz_err state_lock(struct db_conn *conn, FILE *out, char *err, size_t errlen);
/* Set lock_timeout for this session. */
bz_err state_set_lock_timeout(struct db_conn *conn, int ms, char *err, size_t errlen);
/* Run a command with no parameters and no result rows. */
bz_err state_exec(struct db_conn *conn, const char *sql, char *err, size_t errlen);

#endif
