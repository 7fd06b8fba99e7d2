/* Streaming a code file's lines into a staging batch with COPY FROM
 * STDIN (0018): the fast path for big imports, where one text[] per call
 * (0011's api_staff_import_codes) would not do. See db/api.h.
 *
 * The connection goes into blocking mode for the COPY: each send is at
 * most one buffer (COPY_CHUNK bytes), so a caller that sends a few per
 * screen tick keeps its screen alive. While the COPY runs, conn->busy
 * points at a guard request, so the one-request-per-connection rule of
 * db/request.c refuses anything else started on it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/api.h"
#include "db/db_internal.h"

#define COPY_CHUNK (64 * 1024)

struct db_code_copy {
	struct db_conn *conn;
	struct db_request guard;  /* conn->busy while the COPY runs */
	char batch_id[DB_UUID_SIZE];
	char *buf;
	size_t len, cap;
	int64_t lines_queued;     /* in buf or sent */
	int64_t lines_sent, bytes_sent;
};

static bool uuid_shaped(const char *s);
static void put(struct db_code_copy *c, const char *s, size_t n);
static bz_err flush(struct db_code_copy *c, char *err, size_t errlen);
static void finish(struct db_code_copy *c);

static const char copy_sql[] =
	"COPY bazar_staging.code_import_lines (batch_id, line_no, raw, flaw) FROM STDIN";

bz_err
db_code_copy_begin(struct db_conn *conn, const char *batch_id, struct db_code_copy **out,
                   char *err, size_t errlen)
{
	struct db_code_copy *c;
	PGresult *res;
	bz_err rc;

	*out = NULL;
	if (!uuid_shaped(batch_id)) {
		snprintf(err, errlen, "the import batch id is not a uuid");
		return BZ_ERR_INVALID_INPUT;
	}
	if (conn->busy != NULL) {
		snprintf(err, errlen, "another request is still running on this connection");
		return BZ_ERR_INTERNAL;
	}
	if (PQsetnonblocking(conn->pg, 0) != 0) {
		snprintf(err, errlen, "cannot start the copy: %s", PQerrorMessage(conn->pg));
		return BZ_ERR_CONNECTION;
	}
	res = PQexec(conn->pg, copy_sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = db_error_from_result(res, err, errlen);
		PQclear(res);
		while ((res = PQgetResult(conn->pg)) != NULL)
			PQclear(res);
		return rc == BZ_OK ? BZ_ERR_INTERNAL : rc;
	}
	PQclear(res);
	c = xcalloc(1, sizeof *c);
	c->conn = conn;
	snprintf(c->batch_id, sizeof c->batch_id, "%s", batch_id);
	c->cap = COPY_CHUNK + 4096;
	c->buf = xmalloc(c->cap);
	conn->busy = &c->guard;
	*out = c;
	return BZ_OK;
}

bz_err
db_code_copy_line(struct db_code_copy *c, int64_t line_no, const char *text, size_t len,
                  const char *flaw, char *err, size_t errlen)
{
	char head[80];
	int n = snprintf(head, sizeof head, "%s\t%lld\t", c->batch_id, (long long)line_no);

	put(c, head, (size_t)n);
	/* COPY's text format: backslash, tab and line ends escaped; every
	 * other byte stands for itself. */
	for (size_t i = 0; i < len; i++) {
		switch (text[i]) {
		case '\\':
			put(c, "\\\\", 2);
			break;
		case '\t':
			put(c, "\\t", 2);
			break;
		case '\n':
			put(c, "\\n", 2);
			break;
		case '\r':
			put(c, "\\r", 2);
			break;
		default:
			put(c, text + i, 1);
		}
	}
	put(c, "\t", 1);
	if (flaw)
		put(c, flaw, strlen(flaw));
	else
		put(c, "\\N", 2);
	put(c, "\n", 1);
	c->lines_queued++;
	return c->len >= COPY_CHUNK ? flush(c, err, errlen) : BZ_OK;
}

void
db_code_copy_sent(const struct db_code_copy *c, int64_t *lines, int64_t *bytes)
{
	if (lines)
		*lines = c->lines_sent;
	if (bytes)
		*bytes = c->bytes_sent;
}

bz_err
db_code_copy_end(struct db_code_copy *c, int64_t *rows, char *err, size_t errlen)
{
	PGresult *res;
	bz_err rc;

	if (rows)
		*rows = 0;
	rc = flush(c, err, errlen);
	if (rc != BZ_OK) {
		db_code_copy_abort(c, "the client could not send every line");
		return rc;
	}
	if (PQputCopyEnd(c->conn->pg, NULL) != 1) {
		snprintf(err, errlen, "cannot end the copy: %s", PQerrorMessage(c->conn->pg));
		finish(c);
		return BZ_ERR_CONNECTION;
	}
	res = PQgetResult(c->conn->pg);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		if (rows)
			*rows = strtoll(PQcmdTuples(res), NULL, 10);
	} else {
		rc = db_error_from_result(res, err, errlen);
		if (rc == BZ_OK)
			rc = BZ_ERR_INTERNAL;
	}
	PQclear(res);
	finish(c);
	return rc;
}

void
db_code_copy_abort(struct db_code_copy *c, const char *why)
{
	if (PQputCopyEnd(c->conn->pg, why ? why : "cancelled by the client") == 1) {
		PGresult *res = PQgetResult(c->conn->pg);
		PQclear(res);
	}
	finish(c);
}

/* Drain what the server still says, free the connection and C. */
static void
finish(struct db_code_copy *c)
{
	PGresult *res;

	while ((res = PQgetResult(c->conn->pg)) != NULL)
		PQclear(res);
	c->conn->busy = NULL;
	free(c->buf);
	free(c);
}

/* Hand the buffer to libpq (blocking mode: it is sent, or the
 * connection is gone). */
static bz_err
flush(struct db_code_copy *c, char *err, size_t errlen)
{
	if (c->len == 0)
		return BZ_OK;
	if (PQputCopyData(c->conn->pg, c->buf, (int)c->len) != 1) {
		snprintf(err, errlen, "lost the connection while sending lines: %.*s",
		         (int)strcspn(PQerrorMessage(c->conn->pg), "\n"), PQerrorMessage(c->conn->pg));
		return BZ_ERR_CONNECTION;
	}
	c->bytes_sent += (int64_t)c->len;
	c->lines_sent = c->lines_queued;
	c->len = 0;
	return BZ_OK;
}

/* Append N bytes of S to the buffer. */
static void
put(struct db_code_copy *c, const char *s, size_t n)
{
	if (c->len + n > c->cap) {
		while (c->len + n > c->cap)
			c->cap *= 2;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
}

/* 8-4-4-4-12 hex digits: what may go into the data lines unescaped. */
static bool
uuid_shaped(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char ch = s[i];
		if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		                         (ch >= 'A' && ch <= 'F')))
			return false;
	}
	return true;
}
