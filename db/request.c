/* The non-blocking request engine; see request.h. The shape follows
 * pgbench's client loop: send, then on every socket readiness consume
 * input and, once libpq is no longer busy, take results until
 * PQgetResult says NULL. */
#include "config.h"
#include "db/request.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "db/db_internal.h"

static int64_t monotonic_us(void);
static void set_error(struct db_request *req, bz_err err, const char *message);
static void take_error(struct db_request *req, const PGresult *res);
static void take_rows(struct db_request *req, const PGresult *res);
static void take_result(struct db_request *req, PGresult *res);
static enum db_request_state finish(struct db_conn *conn, struct db_request *req);
static enum db_request_state lost(struct db_conn *conn, struct db_request *req);
static void abandon(struct db_conn *conn, struct db_request *req);
static void wait_until_done(struct db_conn *conn, struct db_request *req, int timeout_ms);

/* Microseconds on the monotonic clock, for durations only. */
static int64_t
monotonic_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Record an error found on our side (no SQLSTATE); the first one wins. */
static void
set_error(struct db_request *req, bz_err err, const char *message)
{
	if (req->have_error)
		return;
	req->have_error = true;
	req->err = err;
	req->sqlstate[0] = '\0';
	req->detail[0] = '\0';
	/* libpq's messages end in a newline; the sentence must not. */
	snprintf(req->message, sizeof req->message, "%.*s",
	         (int)strcspn(message, "\n"), message);
}

/* Record a server (or libpq) error result; the first one wins, since
 * later ones (e.g. "server closed the connection") only follow from it. */
static void
take_error(struct db_request *req, const PGresult *res)
{
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	char message[sizeof req->message];

	if (req->have_error)
		return;
	req->err = db_error_from_result(res, message, sizeof message);
	snprintf(req->sqlstate, sizeof req->sqlstate, "%s", db_sqlstate(res));
	/* query_canceled without our cancel is statement_timeout (or an
	 * operator's pg_cancel_backend): nothing was done, try again later. */
	if (strcmp(req->sqlstate, SQLSTATE_QUERY_CANCELED) == 0 && !req->cancelled)
		req->err = BZ_ERR_LOCK_TIMEOUT;
	req->have_error = true;
	snprintf(req->message, sizeof req->message, "%.*s",
	         (int)strcspn(message, "\n"), message);
	snprintf(req->detail, sizeof req->detail, "%s", detail ? detail : "");
}

/* Copy a tuples result out of libpq, checking the expected shape. */
static void
take_rows(struct db_request *req, const PGresult *res)
{
	int nrows = PQntuples(res), ncols = PQnfields(res);
	char msg[128];

	if (req->expect_columns != DB_ANY && ncols != req->expect_columns) {
		snprintf(msg, sizeof msg, "the server returned %d columns, expected %d",
		         ncols, req->expect_columns);
		set_error(req, BZ_ERR_INTERNAL, msg);
		return;
	}
	if (req->expect_rows != DB_ANY && nrows != req->expect_rows) {
		snprintf(msg, sizeof msg, "the server returned %d rows, expected %d",
		         nrows, req->expect_rows);
		set_error(req, BZ_ERR_INTERNAL, msg);
		return;
	}
	req->nrows = nrows;
	req->ncols = ncols;
	req->cells = xcalloc((size_t)nrows * (size_t)ncols + 1, sizeof *req->cells);
	for (int r = 0; r < nrows; r++)
		for (int c = 0; c < ncols; c++) {
			size_t len;
			char *cell;

			if (PQgetisnull(res, r, c))
				continue;
			len = (size_t)PQgetlength(res, r, c);
			cell = xmalloc(len + 1);
			memcpy(cell, PQgetvalue(res, r, c), len);
			cell[len] = '\0';
			req->cells[(size_t)r * (size_t)ncols + (size_t)c] = cell;
		}
}

/* One result from PQgetResult: rows, a command, or an error. The caller
 * clears it. */
static void
take_result(struct db_request *req, PGresult *res)
{
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		/* The extended protocol runs one statement, so a second result
		 * would be an answer we do not understand. */
		if (req->have_result) {
			set_error(req, BZ_ERR_INTERNAL, "the server returned more than one result");
			return;
		}
		req->have_result = true;
		if (!req->have_error && PQresultStatus(res) == PGRES_TUPLES_OK)
			take_rows(req, res);
		return;
	case PGRES_NONFATAL_ERROR:
		/* Notices go to the notice receiver; this is not an answer. */
		return;
	default:
		take_error(req, res);
		return;
	}
}

/* PQgetResult said NULL: the request is over and the connection free. */
static enum db_request_state
finish(struct db_conn *conn, struct db_request *req)
{
	if (!req->have_error && PQstatus(conn->pg) == CONNECTION_BAD)
		set_error(req, BZ_ERR_CONNECTION, "lost the connection to the database");
	if (!req->have_error && !req->have_result)
		set_error(req, BZ_ERR_INTERNAL, "the server returned no result");
	/* Whatever the server said, a dead connection is what the caller must
	 * act on (reset, then maybe retry). */
	if (req->have_error && PQstatus(conn->pg) == CONNECTION_BAD)
		req->err = BZ_ERR_CONNECTION;
	req->state = req->have_error ? DB_REQ_FAILED : DB_REQ_DONE;
	req->finished_us = monotonic_us();
	req->conn = NULL;
	conn->busy = NULL;
	db_events_note(conn, req);
	if (req->state == DB_REQ_FAILED && req->err != BZ_OK) {
		bz_log(req->err == BZ_ERR_INTERNAL || req->err == BZ_ERR_CONNECTION ? LOG_WARN : LOG_DEBUG,
		       "request failed: %s (%s) %s", bz_err_name(req->err),
		       req->sqlstate[0] ? req->sqlstate : "no sqlstate", req->message);
	}
	if (req->state == DB_REQ_FAILED) {
		/* Rows of a failed request are never half-trusted. */
		for (int i = 0; req->cells && i < req->nrows * req->ncols; i++)
			free(req->cells[i]);
		free(req->cells);
		req->cells = NULL;
		req->nrows = req->ncols = 0;
	}
	return req->state;
}

/* Reading or writing failed: the connection is gone. libpq still wants
 * PQgetResult drained; on a dead socket that returns at once. */
static enum db_request_state
lost(struct db_conn *conn, struct db_request *req)
{
	PGresult *res;

	set_error(req, BZ_ERR_CONNECTION, PQerrorMessage(conn->pg));
	while ((res = PQgetResult(conn->pg)) != NULL) {
		take_result(req, res);
		PQclear(res);
	}
	req->err = BZ_ERR_CONNECTION;
	return finish(conn, req);
}

/* The server did not answer even a cancel: give the connection up.
 * PQreset closes the socket (which also ends the query server-side) and
 * connects again, so the connection is usable, and the caller hears
 * "connection lost", which is what happened as far as it can know. */
static void
abandon(struct db_conn *conn, struct db_request *req)
{
	set_error(req, BZ_ERR_CONNECTION,
	          "the database did not answer, even to a cancel; the connection was reset");
	req->err = BZ_ERR_CONNECTION;
	bz_log(LOG_WARN, "abandoning a request that did not answer a cancel; resetting the connection");
	PQreset(conn->pg);
	req->state = DB_REQ_FAILED;
	req->finished_us = monotonic_us();
	req->conn = NULL;
	conn->busy = NULL;
	db_events_note(conn, req);
}

void
db_request_init(struct db_request *req, const char *sql, int nparams, const char *const params[])
{
	if (nparams < 0 || nparams > DB_REQUEST_MAX_PARAMS) {
		fprintf(stderr, "db_request_init: %d parameters (at most %d)\n",
		        nparams, DB_REQUEST_MAX_PARAMS);
		abort();
	}
	memset(req, 0, sizeof *req);
	req->sql = xstrdup(sql);
	req->nparams = nparams;
	for (int i = 0; i < nparams; i++)
		req->values[i] = params[i] ? xstrdup(params[i]) : NULL;
	req->expect_columns = DB_ANY;
	req->expect_rows = DB_ANY;
	req->state = DB_REQ_IDLE;
}

void
db_request_param_binary(struct db_request *req, int i, const void *data, size_t len)
{
	if (i < 0 || i >= req->nparams || len > (size_t)0x7fffffff) {
		fprintf(stderr, "db_request_param_binary: bad parameter %d or length\n", i);
		abort();
	}
	free(req->values[i]);
	/* One byte more so that an empty value is still a non-NULL pointer. */
	req->values[i] = xmalloc(len + 1);
	if (len)
		memcpy(req->values[i], data, len);
	req->lengths[i] = (int)len;
	req->formats[i] = 1;
}

void
db_request_expect(struct db_request *req, int columns, int rows)
{
	req->expect_columns = columns;
	req->expect_rows = rows;
}

bz_err
db_request_start(struct db_conn *conn, struct db_request *req)
{
	if (req->state != DB_REQ_IDLE) {
		set_error(req, BZ_ERR_INTERNAL, "a request can be started only once");
		req->state = DB_REQ_FAILED;
		return req->err;
	}
	req->sent_us = monotonic_us();
	if (conn->busy != NULL) {
		/* The one-request-per-connection rule: a caller bug, reported
		 * rather than corrupting the request already in flight. */
		set_error(req, BZ_ERR_INTERNAL, "another request is still running on this connection");
		req->state = DB_REQ_FAILED;
		req->finished_us = req->sent_us;
		return req->err;
	}
	if (PQstatus(conn->pg) == CONNECTION_BAD) {
		set_error(req, BZ_ERR_CONNECTION, "lost the connection to the database");
		req->state = DB_REQ_FAILED;
		req->finished_us = req->sent_us;
		return req->err;
	}
	/* PQexec elsewhere ignores this mode, so it is safe to leave on. */
	if (PQisnonblocking(conn->pg) == 0 && PQsetnonblocking(conn->pg, 1) != 0) {
		set_error(req, BZ_ERR_CONNECTION, PQerrorMessage(conn->pg));
		req->state = DB_REQ_FAILED;
		req->finished_us = req->sent_us;
		return req->err;
	}
	conn->busy = req;
	req->conn = conn;
	if (!PQsendQueryParams(conn->pg, req->sql, req->nparams, NULL,
	                       (const char *const *)req->values, req->lengths, req->formats, 0)) {
		/* Nothing is queued after a failed send, but drain anyway: the
		 * rule holds on every path. */
		lost(conn, req);
		return req->err;
	}
	switch (PQflush(conn->pg)) {
	case 0:
		req->state = DB_REQ_BUSY;
		break;
	case 1:
		req->state = DB_REQ_SENT;
		break;
	default:
		lost(conn, req);
		return req->err;
	}
	return BZ_OK;
}

int
db_request_socket(const struct db_conn *conn)
{
	return PQsocket(conn->pg);
}

short
db_request_events(const struct db_request *req)
{
	switch (req->state) {
	case DB_REQ_SENT:
		return POLLOUT | POLLIN;
	case DB_REQ_BUSY:
		return POLLIN;
	case DB_REQ_IDLE:
	case DB_REQ_DONE:
	case DB_REQ_FAILED:
		break;
	}
	return 0;
}

enum db_request_state
db_request_step(struct db_conn *conn, struct db_request *req)
{
	PGresult *res;

	switch (req->state) {
	case DB_REQ_IDLE:
	case DB_REQ_DONE:
	case DB_REQ_FAILED:
		return req->state;
	case DB_REQ_SENT:
		/* Read before flushing: a server answering early (an error on a
		 * huge parameter) must not leave both sides blocked on writes. */
		if (!PQconsumeInput(conn->pg))
			return lost(conn, req);
		switch (PQflush(conn->pg)) {
		case 0:
			break;
		case 1:
			return req->state;
		default:
			return lost(conn, req);
		}
		/* All sent: read what may already be there. */
		req->state = DB_REQ_BUSY;
		return db_request_step(conn, req);
	case DB_REQ_BUSY:
		if (!PQconsumeInput(conn->pg))
			return lost(conn, req);
		while (!PQisBusy(conn->pg)) {
			res = PQgetResult(conn->pg);
			if (res == NULL)
				return finish(conn, req);
			take_result(req, res);
			PQclear(res);
		}
		/* libpq still waits for the end of the answer (after an error
		 * result, for ReadyForQuery; after a FATAL one, for the socket
		 * to close): the next POLLIN brings it. */
		return req->state;
	}
	return req->state;
}

bz_err
db_request_cancel(struct db_conn *conn, struct db_request *req)
{
	PGcancel *cancel;
	char errbuf[256];
	int ok;

	if (req->state != DB_REQ_SENT && req->state != DB_REQ_BUSY)
		return BZ_OK;
	req->cancelled = true;
	cancel = PQgetCancel(conn->pg);
	if (cancel == NULL)
		return BZ_ERR_CONNECTION;
	ok = PQcancel(cancel, errbuf, sizeof errbuf);
	PQfreeCancel(cancel);
	if (!ok) {
		bz_log(LOG_WARN, "cancel request failed: %.*s", (int)strcspn(errbuf, "\n"), errbuf);
		return BZ_ERR_CONNECTION;
	}
	return BZ_OK;
}

/* Poll REQ until it ends. TIMEOUT_MS > 0: cancel when it passes, then
 * allow DB_REQUEST_GRACE_MS before abandoning the connection. */
static void
wait_until_done(struct db_conn *conn, struct db_request *req, int timeout_ms)
{
	int64_t deadline = timeout_ms > 0 ? monotonic_us() + (int64_t)timeout_ms * 1000 : 0;

	while (req->state == DB_REQ_SENT || req->state == DB_REQ_BUSY) {
		struct pollfd pfd = { .fd = db_request_socket(conn), .events = db_request_events(req) };
		int wait_ms = -1, n;

		if (pfd.fd < 0) {
			/* A dead socket: the step reports the loss. */
			db_request_step(conn, req);
			continue;
		}
		if (deadline) {
			int64_t left = deadline - monotonic_us();
			wait_ms = left <= 0 ? 0 : (int)((left + 999) / 1000);
		}
		n = poll(&pfd, 1, wait_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			abandon(conn, req);
			return;
		}
		if (n == 0) {
			if (req->cancelled) {
				abandon(conn, req);
				return;
			}
			db_request_cancel(conn, req);
			deadline = monotonic_us() + (int64_t)DB_REQUEST_GRACE_MS * 1000;
			continue;
		}
		db_request_step(conn, req);
	}
}

bz_err
db_request_run(struct db_conn *conn, struct db_request *req, int timeout_ms)
{
	if (req->state == DB_REQ_IDLE && db_request_start(conn, req) != BZ_OK)
		return req->err;
	wait_until_done(conn, req, timeout_ms);
	return req->state == DB_REQ_DONE ? BZ_OK : req->err;
}

void
db_request_free(struct db_request *req)
{
	if ((req->state == DB_REQ_SENT || req->state == DB_REQ_BUSY) && req->conn != NULL) {
		struct db_conn *conn = req->conn;

		db_request_cancel(conn, req);
		wait_until_done(conn, req, DB_REQUEST_GRACE_MS);
	}
	free(req->sql);
	for (int i = 0; i < req->nparams; i++)
		free(req->values[i]);
	for (int i = 0; req->cells && i < req->nrows * req->ncols; i++)
		free(req->cells[i]);
	free(req->cells);
	memset(req, 0, sizeof *req);
	req->state = DB_REQ_IDLE;
	req->expect_columns = DB_ANY;
	req->expect_rows = DB_ANY;
}

void
db_request_rewind(struct db_request *req)
{
	if (req->state != DB_REQ_DONE && req->state != DB_REQ_FAILED)
		return;
	for (int i = 0; req->cells && i < req->nrows * req->ncols; i++)
		free(req->cells[i]);
	free(req->cells);
	req->cells = NULL;
	req->nrows = req->ncols = 0;
	req->cancelled = req->have_result = req->have_error = false;
	req->err = BZ_OK;
	req->sqlstate[0] = req->message[0] = req->detail[0] = '\0';
	req->sent_us = req->finished_us = 0;
	req->event_conn = NULL;
	req->event_seq = 0;
	req->conn = NULL;
	req->state = DB_REQ_IDLE;
}

const char *
db_request_value(const struct db_request *req, int row, int col)
{
	if (req->state != DB_REQ_DONE || req->cells == NULL ||
	    row < 0 || row >= req->nrows || col < 0 || col >= req->ncols)
		return NULL;
	return req->cells[(size_t)row * (size_t)req->ncols + (size_t)col];
}

bz_err
db_request_error(const struct db_request *req, char *err, size_t errlen)
{
	if (req->state == DB_REQ_DONE)
		return BZ_OK;
	if (req->state != DB_REQ_FAILED) {
		if (err && errlen)
			snprintf(err, errlen, "the request has not finished");
		return BZ_ERR_INTERNAL;
	}
	if (err && errlen)
		snprintf(err, errlen, "%s", req->message[0] ? req->message : bz_err_message(req->err));
	return req->err;
}

int64_t
db_request_elapsed_us(const struct db_request *req)
{
	if (req->state != DB_REQ_DONE && req->state != DB_REQ_FAILED)
		return 0;
	return req->finished_us - req->sent_us;
}
