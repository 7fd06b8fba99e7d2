/* The migration runner behind "bazar migrate", "bazar verify" and
 * "bazar rollback". File conventions (directives, preflights, verify
 * checks, rollbacks) are described in docs/migrations.md. */
#ifndef BAZAR_DB_MIGRATE_H
#define BAZAR_DB_MIGRATE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "core/migration_name.h"

struct db_conn;

struct migration {
	char version[MIGRATION_VERSION_MAX];
	char name[MIGRATION_NAME_MAX];
	char *filename;        /* "0003.1_idx_product_codes_available.sql" */
	char *path;            /* absolute path of the migration */
	char *sql;             /* file contents */
	size_t sql_len;
	bool no_transaction;   /* header "-- bazar:no-transaction" */
	char *index_name;      /* header "-- bazar:index schema.name", or NULL */
	char *rollback_path;   /* sql/rollback/<filename>, NULL if missing */
	char *preflight_path;  /* sql/preflight/<filename>, NULL if none */
	char *verify_path;     /* sql/verify/<filename>, NULL if none */
};

struct migration_set {
	char *sql_dir;
	struct migration *items;  /* sorted by version */
	size_t count;
};

/* The folder holding migrations/, rollback/, ...: $BAZAR_SQL_DIR, else the
 * installed $(pkgdatadir)/sql, else the source tree's sql/. */
const char *migration_sql_dir(void);

/* Read every migration file (and find its companions). Duplicate versions,
 * bad names and missing rollbacks are errors. */
bz_err migration_set_load(const char *sql_dir, struct migration_set *set, char *err, size_t errlen);
void migration_set_free(struct migration_set *set);

/* Read "-- bazar:no-transaction" and "-- bazar:index NAME" from the leading
 * comment block of a file's text. *index_name is NULL or caller-freed. */
void migration_parse_directives(const char *sql, bool *no_transaction, char **index_name);

/* Read a whole file; NULL with errno set on failure. Caller frees. */
char *migration_read_file(const char *path, size_t *len);

struct migrate_options {
	bool dry_run;
	const char *to_version;   /* apply up to and including; NULL = all */
	const char *backup_file;  /* pg_dump here first; NULL = none */
	int lock_timeout_ms;      /* per statement, so we never queue behind live traffic */
	int max_attempts;         /* tries per file when a lock can't be had */
	FILE *out;                /* progress */
};

struct rollback_options {
	const char *to_version;   /* keep this version and older */
	bool destroy_data;        /* required to roll back 0001 (drops the base tables) */
	int lock_timeout_ms;
	int max_attempts;
	FILE *out;
};

/* Fill timeouts and attempts from BAZAR_MIGRATE_LOCK_TIMEOUT and
 * BAZAR_MIGRATE_ATTEMPTS (validated; err on a bad value). */
bz_err migrate_options_from_env(int *lock_timeout_ms, int *max_attempts, char *err, size_t errlen);

bz_err migrate_run(struct db_conn *conn, const struct migration_set *set,
                   const struct migrate_options *opt, char *err, size_t errlen);
bz_err rollback_run(struct db_conn *conn, const struct migration_set *set,
                    const struct rollback_options *opt, char *err, size_t errlen);
/* Print the ✓/✗ checklist; BZ_OK only when every line is ✓. */
bz_err verify_run(struct db_conn *conn, const struct migration_set *set, FILE *out,
                  char *err, size_t errlen);

/* pg_dump the connection's database to file (custom format). */
bz_err backup_run(struct db_conn *conn, const char *file, FILE *out, char *err, size_t errlen);

/* Run a whole SQL file as the owner (seed data); one transaction. */
bz_err db_run_sql_file(struct db_conn *conn, const char *path, char *err, size_t errlen);

#endif
