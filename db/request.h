/* Requests the caller drives without blocking, as pgbench drives its
 * clients: the terminal keeps drawing while a call runs, with the
 * connection's socket in the same poll() set as the keyboard.
 *
 *   struct db_request req;
 *   db_request_init(&req, "SELECT ... FROM api_x($1)", 1, params);
 *   db_request_start(conn, &req);
 *   while (req.state == DB_REQ_SENT || req.state == DB_REQ_BUSY) {
 *       struct pollfd p = { db_request_socket(conn), db_request_events(&req), 0 };
 *       poll(&p, 1, 100);               // plus the keyboard, timers, ...
 *       db_request_step(conn, &req);    // never blocks
 *   }
 *   ... db_request_value(&req, row, col) ...
 *   db_request_free(&req);
 *
 * Parameters are bound (text, or binary for bytea) and copied: the caller's
 * strings may go away after init. Results are copied out as strings and the
 * PGresult cleared, so a finished request holds no libpq memory.
 *
 * One connection runs one request at a time: starting a second while the
 * first is in flight fails with BZ_ERR_INTERNAL and touches neither. A
 * request in flight points at its connection: finish or free it before
 * db_close().
 *
 * Retries are not done here: core/retry decides, db_call_with_retry below
 * applies the decision to the whole call. */
#ifndef BAZAR_DB_REQUEST_H
#define BAZAR_DB_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct db_conn;

#define DB_REQUEST_MAX_PARAMS 12
/* For db_request_expect: any number of rows (or columns). */
#define DB_ANY (-1)
/* How long a cancelled request may take to answer before the connection
 * is given up (and reset) by db_request_run / db_request_free. */
#define DB_REQUEST_GRACE_MS 3000

enum db_request_state {
	/* Built, nothing sent. db_request_start sends it. */
	DB_REQ_IDLE,
	/* PQsendQueryParams accepted the query but libpq still holds bytes it
	 * could not write (a big parameter, a full socket buffer). Wait for
	 * POLLOUT or POLLIN (the server may answer early, with an error) and
	 * step: it reads, then flushes again. */
	DB_REQ_SENT,
	/* All sent; the server is working. Wait for POLLIN and step: it
	 * consumes what arrived and, once libpq has a whole result, takes it
	 * and drains PQgetResult to NULL. */
	DB_REQ_BUSY,
	/* The server answered without error; rows are in the request and the
	 * connection is free for the next request. */
	DB_REQ_DONE,
	/* An error from the server, the connection, or a malformed answer:
	 * err, sqlstate and message say which. The connection is free again,
	 * or lost (err is BZ_ERR_CONNECTION): db_reset() it before reuse. */
	DB_REQ_FAILED,
};

struct db_request {
	/* What to run (owned copies). values[i] NULL is SQL NULL. */
	char *sql;
	int nparams;
	char *values[DB_REQUEST_MAX_PARAMS];
	int lengths[DB_REQUEST_MAX_PARAMS];   /* binary parameters only */
	int formats[DB_REQUEST_MAX_PARAMS];   /* 0 text, 1 binary */
	/* Expected shape: a result with another column count (or, when rows
	 * is not DB_ANY, another row count) fails with BZ_ERR_INTERNAL. */
	int expect_columns;
	int expect_rows;

	enum db_request_state state;
	/* db_request_cancel was called: a query_canceled answer is then ours
	 * (BZ_ERR_CANCELLED), otherwise it is a statement_timeout. */
	bool cancelled;

	/* DB_REQ_DONE: nrows x ncols cells, row-major, owned; NULL = SQL NULL. */
	int nrows;
	int ncols;
	char **cells;

	/* DB_REQ_FAILED: the mapped error, the SQLSTATE ("" when libpq itself
	 * failed), the server's primary message and its DETAIL (the SQL API
	 * puts machine details there, e.g. "version=7" for a stale cart). */
	bz_err err;
	char sqlstate[6];
	char message[256];
	char detail[256];

	/* CLOCK_MONOTONIC microseconds: when start sent it, when it ended. */
	int64_t sent_us;
	int64_t finished_us;

	/* Which attempt of a whole call this is (db_call_with_retry, the
	 * terminal's re-send); 0 counts as the first. Recorded with the
	 * call's event (db/events.h), with nothing else of the request. */
	int attempt;
	/* Where the event of this request waits (db/events.c); 0: none. */
	struct db_conn *event_conn;
	uint64_t event_seq;

	/* Private to db/request.c. */
	struct db_conn *conn;   /* the connection while SENT/BUSY */
	bool have_result;       /* a result (rows or command) arrived */
	bool have_error;        /* an error arrived; later ones are ignored */
};

/* Prepare REQ (any previous content is ignored: free it first). PARAMS
 * are text values, NULL for SQL NULL; they and SQL are copied. nparams
 * above DB_REQUEST_MAX_PARAMS is a bug and aborts. */
void db_request_init(struct db_request *req, const char *sql, int nparams,
                     const char *const params[]);

/* Make parameter I binary (bytea): LEN bytes copied from DATA. */
void db_request_param_binary(struct db_request *req, int i, const void *data, size_t len);

/* Set the expected shape (columns, rows; DB_ANY for any). */
void db_request_expect(struct db_request *req, int columns, int rows);

/* Send REQ on CONN (PQsendQueryParams, then a first PQflush). BZ_OK:
 * state is SENT or BUSY. Otherwise state is FAILED and the error is
 * returned (BZ_ERR_CONNECTION when the connection is gone). */
bz_err db_request_start(struct db_conn *conn, struct db_request *req);

/* The socket to poll for a request on CONN; -1 when the connection is
 * gone (then step at once: it will report the loss). */
int db_request_socket(const struct db_conn *conn);

/* poll() events REQ waits for: POLLOUT|POLLIN while SENT, POLLIN while
 * BUSY, 0 otherwise. */
short db_request_events(const struct db_request *req);

/* Advance REQ as far as it can go without blocking; call it when the
 * socket is ready (calling it spuriously is harmless). Returns the state. */
enum db_request_state db_request_step(struct db_conn *conn, struct db_request *req);

/* Ask the server to cancel REQ (PQcancel: a short blocking exchange on a
 * separate connection). The request stays in flight until the server
 * answers: keep stepping. The answer may be the real result (the query
 * had already finished) or BZ_ERR_CANCELLED; either way the server may
 * have committed before the cancel arrived, so a caller that cancels a
 * change must ask afterwards what happened (e.g. db_checkout_status). */
bz_err db_request_cancel(struct db_conn *conn, struct db_request *req);

/* Blocking: start REQ if IDLE, then poll until it ends. TIMEOUT_MS > 0:
 * after that long the request is cancelled, then given
 * DB_REQUEST_GRACE_MS to answer before the connection is reset (result
 * BZ_ERR_CONNECTION). For command-line tools and tests. Returns BZ_OK
 * when DONE, else req->err. */
bz_err db_request_run(struct db_conn *conn, struct db_request *req, int timeout_ms);

/* Free what REQ owns; it is left IDLE with no parameters. A request still
 * in flight is cancelled and waited for first (at most
 * DB_REQUEST_GRACE_MS, then the connection is reset), so that the
 * connection is never left in the middle of a query. */
void db_request_free(struct db_request *req);

/* Take a finished (DONE or FAILED) REQ back to IDLE with the same SQL
 * and parameters, its answer dropped, so that it can be started again
 * (the terminal re-sends a replay-safe call after reconnecting). Does
 * nothing in other states. */
void db_request_rewind(struct db_request *req);

/* Cell (ROW, COL) of a DONE request; NULL for SQL NULL or out of range. */
const char *db_request_value(const struct db_request *req, int row, int col);

/* Copy REQ's error sentence into ERR and return req->err (BZ_OK when
 * DONE). */
bz_err db_request_error(const struct db_request *req, char *err, size_t errlen);

/* How long the request took, in microseconds (0 while in flight). */
int64_t db_request_elapsed_us(const struct db_request *req);

/* What happened in the last blocking typed call on a connection (the
 * race lab counts outcomes by SQLSTATE and retries). */
struct db_call_info {
	bz_err err;
	char sqlstate[6];     /* of the last attempt's error, "" if none */
	char detail[256];     /* the server's DETAIL of that error */
	int attempts;         /* 1 = no retry */
	int64_t elapsed_us;   /* of the last attempt */
};

/* Copy CONN's last call facts into OUT. */
void db_last_call(const struct db_conn *conn, struct db_call_info *out);

/* Retrying whole calls. BUILD fills REQ (freshly freed) from CTX, the
 * same way on every attempt: same parameters, hence the same idempotency
 * key. */
typedef void (*db_build_fn)(struct db_request *req, void *ctx);

/* Run the call built by BUILD up to MAX_ATTEMPTS times, each attempt
 * blocking with TIMEOUT_MS (see db_request_run). After a failure,
 * core/retry's retry_decide says whether to go again and
 * retry_backoff_ms how long to sleep first; a lost connection is reset
 * (db_reset) before the next attempt. A lost connection is retried only
 * when REPLAY_SAFE: the server may have committed the first attempt, so
 * only calls whose repetition is harmless (reads, idempotency keys,
 * login request ids) may be sent again. Serialization failures, deadlocks
 * and lock timeouts always rolled back and are retried either way.
 * On return REQ holds the last attempt; *ATTEMPTS (if not NULL) how many
 * ran. Returns BZ_OK or the last attempt's error. */
bz_err db_call_with_retry(struct db_conn *conn, struct db_request *req,
                          db_build_fn build, void *ctx, int max_attempts,
                          bool replay_safe, int timeout_ms, int *attempts);

#endif
