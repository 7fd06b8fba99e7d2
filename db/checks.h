/* Check files: preflights (queries listing offending rows; none = pass) and
 * verify checks (one row: ok boolean [, detail text]). A file holds
 * sections, each starting with a line "-- check: <description>" followed by
 * one SELECT. */
#ifndef BAZAR_DB_CHECKS_H
#define BAZAR_DB_CHECKS_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

struct db_conn;

struct check {
	char *description;
	char *sql;
};

struct check_list {
	struct check *items;
	size_t count;
};

/* Parse a check file. Text before the first "-- check:" line is ignored.
 * Caller always calls checks_free. */
bz_err checks_load(const char *path, struct check_list *list, char *err, size_t errlen);
void checks_free(struct check_list *list);

/* Run preflight checks: print "✓ desc" or "✗ desc" plus a table of the
 * offending rows (out NULL: print nothing). *failed counts checks that found rows. Returns an error
 * only when a query could not run. */
bz_err checks_run_preflight(struct db_conn *conn, const struct check_list *list, FILE *out,
                            int *failed, char *err, size_t errlen);

/* Run verify checks: print "✓ desc" or "✗ desc — detail". */
bz_err checks_run_verify(struct db_conn *conn, const struct check_list *list, FILE *out,
                         int *failed, char *err, size_t errlen);

/* Print one checklist line ("✓ text" / "✗ text"). */
void check_print(FILE *out, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
