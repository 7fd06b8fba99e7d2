/* Loading and running preflight and verify checks; see checks.h. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/checks.h"
#include "db/db_internal.h"
#include "db/migrate.h"

#define CHECK_MARK "-- check:"
#define PREFLIGHT_ROWS_SHOWN 20
#define CELL_WIDTH_MAX 100

static void add_check(struct check_list *list, const char *desc, size_t desc_len,
                      const char *sql, size_t sql_len);
static void print_rows(FILE *out, const PGresult *res);
static bool blank(const char *s, size_t len);

/* True when the text holds only whitespace and SQL line comments. */
static bool
blank(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (s[i] == '-' && i + 1 < len && s[i + 1] == '-') {
			while (i < len && s[i] != '\n')
				i++;
		} else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
			i++;
		} else {
			return false;
		}
	}
	return true;
}

/* Append one parsed section. */
static void
add_check(struct check_list *list, const char *desc, size_t desc_len,
          const char *sql, size_t sql_len)
{
	struct check *c;

	while (desc_len && (*desc == ' ' || *desc == '\t')) { desc++; desc_len--; }
	while (desc_len && (desc[desc_len - 1] == ' ' || desc[desc_len - 1] == '\r')) desc_len--;
	list->items = xrealloc(list->items, (list->count + 1) * sizeof *list->items);
	c = &list->items[list->count++];
	c->description = xmalloc(desc_len + 1);
	memcpy(c->description, desc, desc_len);
	c->description[desc_len] = '\0';
	c->sql = xmalloc(sql_len + 1);
	memcpy(c->sql, sql, sql_len);
	c->sql[sql_len] = '\0';
}

bz_err
checks_load(const char *path, struct check_list *list, char *err, size_t errlen)
{
	char *text = migration_read_file(path, NULL);
	const char *p, *desc = NULL, *body = NULL;
	size_t desc_len = 0;

	memset(list, 0, sizeof *list);
	if (text == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return BZ_ERR_IO;
	}
	for (p = text; *p; ) {
		const char *eol = strchr(p, '\n');
		const char *next = eol ? eol + 1 : p + strlen(p);
		if (strncmp(p, CHECK_MARK, strlen(CHECK_MARK)) == 0) {
			if (desc && !blank(body, (size_t)(p - body)))
				add_check(list, desc, desc_len, body, (size_t)(p - body));
			desc = p + strlen(CHECK_MARK);
			desc_len = (size_t)((eol ? eol : next) - desc);
			body = next;
		}
		p = next;
	}
	if (desc && !blank(body, (size_t)(p - body)))
		add_check(list, desc, desc_len, body, (size_t)(p - body));
	free(text);
	if (list->count == 0) {
		snprintf(err, errlen, "%s holds no '%s' section", path, CHECK_MARK);
		return BZ_ERR_INVALID_INPUT;
	}
	return BZ_OK;
}

void
checks_free(struct check_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].description);
		free(list->items[i].sql);
	}
	free(list->items);
	memset(list, 0, sizeof *list);
}

void
check_print(FILE *out, bool ok, const char *fmt, ...)
{
	va_list ap;
	fputs(ok ? "  \xe2\x9c\x93 " : "  \xe2\x9c\x97 ", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

/* A small aligned table of a result, at most PREFLIGHT_ROWS_SHOWN rows. */
static void
print_rows(FILE *out, const PGresult *res)
{
	int cols = PQnfields(res), rows = PQntuples(res);
	int shown = rows < PREFLIGHT_ROWS_SHOWN ? rows : PREFLIGHT_ROWS_SHOWN;
	int *width = xcalloc((size_t)cols, sizeof *width);

	for (int c = 0; c < cols; c++) {
		width[c] = (int)strlen(PQfname(res, c));
		for (int r = 0; r < shown; r++) {
			int w = PQgetisnull(res, r, c) ? 4 : PQgetlength(res, r, c);
			if (w > width[c])
				width[c] = w;
		}
		if (width[c] > CELL_WIDTH_MAX)
			width[c] = CELL_WIDTH_MAX;
	}
	fputs("      ", out);
	for (int c = 0; c < cols; c++)
		fprintf(out, "%-*.*s  ", width[c], width[c], PQfname(res, c));
	fputc('\n', out);
	for (int r = 0; r < shown; r++) {
		fputs("      ", out);
		for (int c = 0; c < cols; c++)
			fprintf(out, "%-*.*s  ", width[c], width[c],
			        PQgetisnull(res, r, c) ? "NULL" : PQgetvalue(res, r, c));
		fputc('\n', out);
	}
	if (rows > shown)
		fprintf(out, "      ... and %d more\n", rows - shown);
	free(width);
}

bz_err
checks_run_preflight(struct db_conn *conn, const struct check_list *list, FILE *out,
                     int *failed, char *err, size_t errlen)
{
	*failed = 0;
	for (size_t i = 0; i < list->count; i++) {
		const struct check *c = &list->items[i];
		PGresult *res = PQexecParams(conn->pg, c->sql, 0, NULL, NULL, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			bz_err rc = db_error_from_result(res, err, errlen);
			size_t used = strlen(err);
			snprintf(err + used, errlen - used, " (in check: %s)", c->description);
			PQclear(res);
			return rc;
		}
		if (PQntuples(res) == 0) {
			if (out)
				check_print(out, true, "%s", c->description);
		} else {
			if (out) {
				check_print(out, false, "%s: %d offending row%s", c->description,
				            PQntuples(res), PQntuples(res) == 1 ? "" : "s");
				print_rows(out, res);
			}
			(*failed)++;
		}
		PQclear(res);
	}
	return BZ_OK;
}

bz_err
checks_run_verify(struct db_conn *conn, const struct check_list *list, FILE *out,
                  int *failed, char *err, size_t errlen)
{
	*failed = 0;
	for (size_t i = 0; i < list->count; i++) {
		const struct check *c = &list->items[i];
		PGresult *res = PQexecParams(conn->pg, c->sql, 0, NULL, NULL, NULL, NULL, 0);
		bool ok;
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			/* A check that cannot run is a failed check, not a crash:
			 * the object it inspects may be missing. */
			char why[512];
			db_error_from_result(res, why, sizeof why);
			check_print(out, false, "%s \xe2\x80\x94 query failed: %s", c->description, why);
			(*failed)++;
			PQclear(res);
			continue;
		}
		ok = PQntuples(res) == 1 && PQnfields(res) >= 1 && !PQgetisnull(res, 0, 0) &&
		     strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		if (ok)
			check_print(out, true, "%s", c->description);
		else {
			const char *detail = PQntuples(res) == 1 && PQnfields(res) >= 2 &&
			                     !PQgetisnull(res, 0, 1) ? PQgetvalue(res, 0, 1) : NULL;
			check_print(out, false, "%s%s%s", c->description,
			            detail ? " \xe2\x80\x94 " : "", detail ? detail : "");
			(*failed)++;
		}
		PQclear(res);
	}
	(void)err;
	(void)errlen;
	return BZ_OK;
}
