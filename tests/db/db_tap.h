/* TAP output and small SQL helpers for the db/ test programs, which talk
 * to a real server and so print TAP themselves (no Check fork per test:
 * a connection does not survive a fork). */
#ifndef BAZAR_TESTS_DB_DB_TAP_H
#define BAZAR_TESTS_DB_DB_TAP_H

#include <stdbool.h>

#include "core/error.h"

struct db_conn;

/* One TAP line; returns COND. */
bool ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A "# " diagnostic line. */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the plan (at the end, which TAP allows); returns main's status. */
int tap_done(void);

/* Run SQL with text PARAMS (blocking, 10 s); the error goes to diag. */
bz_err sql_exec(struct db_conn *conn, const char *sql, int nparams, const char *const *params);
/* The first column of the first row as a fresh string ("" for none or
 * NULL, NULL on error). Caller frees. */
char *sql_value(struct db_conn *conn, const char *sql, int nparams, const char *const *params);

#endif
