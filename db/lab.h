/* What the race lab (race/) asks of the database besides the shop's API:
 * whether the database is marked as a test database, and the naive
 * control (schema "naive") loaded and emptied. Owner connection only. */
#ifndef BAZAR_DB_LAB_H
#define BAZAR_DB_LAB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

struct db_conn;

/* The setting a database's owner sets to let the lab create money,
 * orders and codes in it:  ALTER DATABASE name SET bazar.test_database = on */
#define DB_LAB_MARKER "bazar.test_database"

/* *marked: the database carries the marker as a database-level setting
 * (pg_db_role_setting, for every role) and this session sees it on
 * (current_setting): a PGOPTIONS override alone does not count. *dbname
 * gets the database's name for the refusal sentence. */
bz_err db_lab_is_test_database(struct db_conn *conn, bool *marked, char *dbname, size_t dbnamelen,
                               char *err, size_t errlen);
/* Run the naive control's file (it drops and recreates schema naive) in
 * one transaction. */
bz_err db_lab_load_naive(struct db_conn *conn, const char *path, char *err, size_t errlen);
/* The naive control's file in the SQL folder: sql/lab/naive.sql under
 * migration_sql_dir(). Caller frees. */
char *db_lab_naive_path(void);

#endif
