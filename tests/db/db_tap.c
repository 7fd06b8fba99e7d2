/* See db_tap.h. */
#include "config.h"
#include "tests/db/db_tap.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/xalloc.h"
#include "db/request.h"

static int tap_n;

bool
ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

void
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return fflush(stdout) == 0 ? 0 : 1;
}

bz_err
sql_exec(struct db_conn *conn, const char *sql, int nparams, const char *const *params)
{
	struct db_request req;
	bz_err rc;

	db_request_init(&req, sql, nparams, params);
	rc = db_request_run(conn, &req, 10000);
	if (rc != BZ_OK)
		diag("%.80s: %s (%s)", sql, req.message, req.sqlstate);
	db_request_free(&req);
	return rc;
}

char *
sql_value(struct db_conn *conn, const char *sql, int nparams, const char *const *params)
{
	struct db_request req;
	char *value = NULL;

	db_request_init(&req, sql, nparams, params);
	if (db_request_run(conn, &req, 10000) == BZ_OK) {
		const char *v = db_request_value(&req, 0, 0);
		value = xstrdup(v ? v : "");
	} else {
		diag("%.80s: %s (%s)", sql, req.message, req.sqlstate);
	}
	db_request_free(&req);
	return value;
}
