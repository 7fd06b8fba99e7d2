/* The request engine (db/request.h) against a real server: a non-blocking
 * poll loop, errors and draining, the one-request rule, cancel, timeout,
 * statement_timeout, a backend terminated mid-flight and while idle,
 * every ZB SQLSTATE mapped, binary parameters, the text[] literal, and
 * db_call_with_retry. Prints TAP. Needs DATABASE_URL (an owner URL of a
 * scratch database); tests/shell/db_request.test provides one. */
#include "config.h"

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/retry.h"
#include "db/api.h"
#include "db/db.h"
#include "db/request.h"
#include "tests/db/db_tap.h"

static enum db_request_state drive(struct db_conn *conn, struct db_request *req, int max_ms);
static void build_flaky(struct db_request *req, void *ctx);
static void build_die_once(struct db_request *req, void *ctx);
static void build_div0(struct db_request *req, void *ctx);
static void test_poll_loop(struct db_conn *conn);
static void test_errors_drain(struct db_conn *conn);
static void test_one_at_a_time(struct db_conn *conn);
static void test_cancel(struct db_conn *conn);
static void test_timeouts(struct db_conn *conn);
static void test_lost_connection(struct db_conn *conn, struct db_conn *admin);
static void test_sqlstates(struct db_conn *conn);
static void test_binary_param(struct db_conn *conn);
static void test_array_literal(struct db_conn *conn);
static void test_retry(struct db_conn *conn);
static void test_strict_parsing(struct db_conn *conn);

/* The loop a terminal runs: poll the socket for what the request wants,
 * step on readiness; give up after MAX_MS. Returns the final state. */
static enum db_request_state
drive(struct db_conn *conn, struct db_request *req, int max_ms)
{
	int waited = 0;

	while (req->state == DB_REQ_SENT || req->state == DB_REQ_BUSY) {
		struct pollfd pfd = { db_request_socket(conn), db_request_events(req), 0 };

		if (waited >= max_ms)
			break;
		if (pfd.fd >= 0 && poll(&pfd, 1, 10) == 0) {
			waited += 10;
			continue;
		}
		db_request_step(conn, req);
	}
	return req->state;
}

static void
test_poll_loop(struct db_conn *conn)
{
	const char *params[] = { "41", NULL, "it's" };
	struct db_request req;

	db_request_init(&req, "SELECT $1::int + 1, $2::text, $3::text UNION ALL SELECT 0, 'x', ''",
	                3, params);
	db_request_expect(&req, 3, 2);
	ok(req.state == DB_REQ_IDLE, "a new request is IDLE");
	ok(db_request_start(conn, &req) == BZ_OK, "start sends it");
	ok(req.state == DB_REQ_SENT || req.state == DB_REQ_BUSY, "after start: SENT or BUSY");
	ok(db_request_events(&req) & POLLIN, "it waits for POLLIN");
	ok(drive(conn, &req, 5000) == DB_REQ_DONE, "the poll loop ends DONE");
	ok(req.nrows == 2 && req.ncols == 3, "2 rows x 3 columns (%d x %d)", req.nrows, req.ncols);
	ok(db_request_value(&req, 0, 0) && strcmp(db_request_value(&req, 0, 0), "42") == 0,
	   "parameters are bound: 41 + 1 = 42");
	ok(db_request_value(&req, 0, 1) == NULL, "SQL NULL is a NULL cell");
	ok(db_request_value(&req, 0, 2) && strcmp(db_request_value(&req, 0, 2), "it's") == 0,
	   "a quote in a parameter arrives as is");
	ok(db_request_value(&req, 1, 2) && *db_request_value(&req, 1, 2) == '\0',
	   "'' is an empty string, not NULL");
	ok(db_request_value(&req, 2, 0) == NULL && db_request_value(&req, 0, 3) == NULL,
	   "out-of-range cells are NULL");
	ok(db_request_events(&req) == 0, "a finished request waits for nothing");
	ok(db_request_elapsed_us(&req) > 0, "elapsed time is recorded (%" PRId64 " us)",
	   db_request_elapsed_us(&req));
	db_request_free(&req);
}

static void
test_errors_drain(struct db_conn *conn)
{
	struct db_request req;

	db_request_init(&req, "SELECT 1 / 0", 0, NULL);
	ok(db_request_run(conn, &req, 5000) == BZ_ERR_INTERNAL && req.state == DB_REQ_FAILED,
	   "division by zero: FAILED, internal");
	ok(strcmp(req.sqlstate, "22012") == 0, "its SQLSTATE is 22012 (%s)", req.sqlstate);
	ok(strstr(req.message, "division by zero") != NULL && strchr(req.message, '\n') == NULL,
	   "the server's message, one line (%s)", req.message);
	db_request_free(&req);
	ok(sql_exec(conn, "SELECT 1", 0, NULL) == BZ_OK, "the connection works after an error");

	db_request_init(&req, "SELECT 1, 2", 0, NULL);
	db_request_expect(&req, 3, DB_ANY);
	ok(db_request_run(conn, &req, 5000) == BZ_ERR_INTERNAL && req.cells == NULL,
	   "a wrong column count is internal, no rows kept (%s)", req.message);
	db_request_free(&req);
	db_request_init(&req, "SELECT 1 WHERE false", 0, NULL);
	db_request_expect(&req, 1, 1);
	ok(db_request_run(conn, &req, 5000) == BZ_ERR_INTERNAL, "a wrong row count is internal");
	db_request_free(&req);
	db_request_init(&req, "SELECT nosuchfunction()", 0, NULL);
	ok(db_request_run(conn, &req, 5000) == BZ_ERR_INTERNAL &&
	   strcmp(req.sqlstate, "42883") == 0, "an unknown function: 42883");
	db_request_free(&req);
	ok(sql_exec(conn, "SELECT 1", 0, NULL) == BZ_OK, "and the connection is still usable");
}

static void
test_one_at_a_time(struct db_conn *conn)
{
	struct db_request first, second;

	db_request_init(&first, "SELECT pg_sleep(0.2), 'first'", 0, NULL);
	db_request_init(&second, "SELECT 'second'", 0, NULL);
	ok(db_request_start(conn, &first) == BZ_OK, "first request started");
	ok(db_request_start(conn, &second) == BZ_ERR_INTERNAL && second.state == DB_REQ_FAILED,
	   "a second request on the same connection is refused (%s)", second.message);
	ok(drive(conn, &first, 5000) == DB_REQ_DONE &&
	   strcmp(db_request_value(&first, 0, 1), "first") == 0, "the first one is untouched");
	db_request_free(&second);
	db_request_init(&second, "SELECT 'second'", 0, NULL);
	ok(db_request_run(conn, &second, 5000) == BZ_OK, "after it, the next one runs");
	ok(db_request_start(conn, &second) == BZ_ERR_INTERNAL, "a finished request cannot be restarted");
	db_request_free(&first);
	db_request_free(&second);
}

static void
test_cancel(struct db_conn *conn)
{
	struct db_request req;

	db_request_init(&req, "SELECT pg_sleep(30)", 0, NULL);
	db_request_start(conn, &req);
	ok(drive(conn, &req, 200) == DB_REQ_BUSY, "pg_sleep(30) is BUSY after 200 ms");
	ok(db_request_cancel(conn, &req) == BZ_OK, "cancel sent");
	ok(drive(conn, &req, 5000) == DB_REQ_FAILED, "the cancelled request ends FAILED");
	ok(req.err == BZ_ERR_CANCELLED && strcmp(req.sqlstate, "57014") == 0,
	   "as cancelled, 57014 (%s, %s)", bz_err_name(req.err), req.sqlstate);
	ok(db_request_elapsed_us(&req) < 5000000, "well before the 30 s (%" PRId64 " us)",
	   db_request_elapsed_us(&req));
	db_request_free(&req);
	ok(sql_exec(conn, "SELECT 1", 0, NULL) == BZ_OK, "the connection works after a cancel");

	/* Freeing a request in flight cancels it and leaves the connection clean. */
	db_request_init(&req, "SELECT pg_sleep(30)", 0, NULL);
	db_request_start(conn, &req);
	drive(conn, &req, 100);
	db_request_free(&req);
	ok(sql_exec(conn, "SELECT 1", 0, NULL) == BZ_OK, "freeing a request in flight leaves the connection usable");
}

static void
test_timeouts(struct db_conn *conn)
{
	struct db_request req;

	db_request_init(&req, "SELECT pg_sleep(30)", 0, NULL);
	db_request_run(conn, &req, 300);
	ok(req.err == BZ_ERR_CANCELLED,
	   "db_request_run with a 300 ms timeout: cancelled (%s)", bz_err_name(req.err));
	ok(db_request_elapsed_us(&req) < 5000000, "in time (%" PRId64 " us)", db_request_elapsed_us(&req));
	db_request_free(&req);

	sql_exec(conn, "SET statement_timeout = '100ms'", 0, NULL);
	db_request_init(&req, "SELECT pg_sleep(5)", 0, NULL);
	db_request_run(conn, &req, 10000);
	ok(req.err == BZ_ERR_LOCK_TIMEOUT,
	   "statement_timeout (57014, not ours) is a timeout, retryable (%s: %s)",
	   bz_err_name(req.err), req.message);
	ok(retry_decide(req.err, 1, 3) != RETRY_STOP, "core/retry agrees it may run again");
	db_request_free(&req);
	sql_exec(conn, "RESET statement_timeout", 0, NULL);
}

static void
test_lost_connection(struct db_conn *conn, struct db_conn *admin)
{
	struct db_request req, pidreq, kill;
	const char *params[1];
	char err[256];

	db_request_init(&pidreq, "SELECT pg_backend_pid()::text", 0, NULL);
	db_request_run(conn, &pidreq, 5000);
	params[0] = db_request_value(&pidreq, 0, 0);

	db_request_init(&req, "SELECT pg_sleep(30)", 0, NULL);
	db_request_start(conn, &req);
	drive(conn, &req, 100);
	db_request_init(&kill, "SELECT pg_terminate_backend($1::int)", 1, params);
	ok(db_request_run(admin, &kill, 5000) == BZ_OK, "terminated the backend from another connection");
	db_request_free(&kill);
	drive(conn, &req, 5000);
	ok(req.state == DB_REQ_FAILED && req.err == BZ_ERR_CONNECTION,
	   "the request in flight fails as a lost connection (%s: %s)", bz_err_name(req.err), req.message);
	db_request_free(&req);
	db_request_free(&pidreq);
	ok(sql_exec(conn, "SELECT 1", 0, NULL) == BZ_ERR_CONNECTION, "the next request fails at once too");
	ok(db_reset(conn, err, sizeof err) == BZ_OK, "db_reset reconnects");
	ok(sql_exec(conn, "SELECT 1", 0, NULL) == BZ_OK, "and requests work again");

	/* Killed while idle: the loss shows on the next request. */
	db_request_init(&pidreq, "SELECT pg_backend_pid()::text", 0, NULL);
	db_request_run(conn, &pidreq, 5000);
	params[0] = db_request_value(&pidreq, 0, 0);
	db_request_init(&kill, "SELECT pg_terminate_backend($1::int, 5000)", 1, params);
	db_request_run(admin, &kill, 10000);
	db_request_free(&kill);
	db_request_free(&pidreq);
	db_request_init(&req, "SELECT 1", 0, NULL);
	db_request_run(conn, &req, 5000);
	ok(req.err == BZ_ERR_CONNECTION,
	   "a backend killed while idle: the next request is a lost connection (%s)", req.message);
	db_request_free(&req);
	ok(db_reset(conn, err, sizeof err) == BZ_OK && sql_exec(conn, "SELECT 1", 0, NULL) == BZ_OK,
	   "reset, and it works");
}

static void
test_sqlstates(struct db_conn *conn)
{
	static const struct {
		const char *sqlstate;
		bz_err err;
	} cases[] = {
		{ "ZB001", BZ_ERR_OUT_OF_STOCK },
		{ "ZB002", BZ_ERR_PROMO_UNAVAILABLE },
		{ "ZB003", BZ_ERR_INSUFFICIENT_FUNDS },
		{ "ZB004", BZ_ERR_AUTH },
		{ "ZB005", BZ_ERR_PERMISSION },
		{ "ZB006", BZ_ERR_NOT_FOUND },
		{ "ZB007", BZ_ERR_CONFLICT },
		{ "ZB008", BZ_ERR_INVALID_INPUT },
		{ "ZB009", BZ_ERR_CART_CHANGED },
		{ "ZB010", BZ_ERR_IDEMPOTENCY_MISMATCH },
		{ "ZB011", BZ_ERR_THROTTLED },
		{ "ZB012", BZ_ERR_LIMIT_REACHED },
		{ "ZB013", BZ_ERR_ALREADY_DECIDED },
		{ "40001", BZ_ERR_RETRYABLE },
		{ "40P01", BZ_ERR_RETRYABLE },
		{ "55P03", BZ_ERR_LOCK_TIMEOUT },
		{ "23505", BZ_ERR_CONFLICT },
		{ "23514", BZ_ERR_CONSTRAINT },
		{ "42501", BZ_ERR_PERMISSION },
		{ "ZB999", BZ_ERR_INTERNAL },
	};

	sql_exec(conn,
	        "CREATE FUNCTION pg_temp.raise(code text, detail text) RETURNS void LANGUAGE plpgsql "
	        "AS $$BEGIN RAISE EXCEPTION USING ERRCODE = code, MESSAGE = 'Raised ' || code || '.', "
	        "DETAIL = detail; END$$", 0, NULL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *params[] = { cases[i].sqlstate, "version=7" };
		struct db_request req;
		char want[64];

		db_request_init(&req, "SELECT pg_temp.raise($1, $2)", 2, params);
		db_request_run(conn, &req, 5000);
		snprintf(want, sizeof want, "Raised %s.", cases[i].sqlstate);
		ok(req.err == cases[i].err && strcmp(req.sqlstate, cases[i].sqlstate) == 0 &&
		   strcmp(req.message, want) == 0 && strcmp(req.detail, "version=7") == 0,
		   "%s maps to %s with message and detail (%s, %s, %s)", cases[i].sqlstate,
		   bz_err_name(cases[i].err), bz_err_name(req.err), req.message, req.detail);
		db_request_free(&req);
	}
}

static void
test_binary_param(struct db_conn *conn)
{
	static const unsigned char bytes[] = { 0x89, 'P', 'N', 'G', 0x00, 0x0d, 0x0a, 0xff };
	const char *params[] = { NULL };
	struct db_request req;

	db_request_init(&req, "SELECT encode($1::bytea, 'hex'), length($1::bytea)", 1, params);
	db_request_param_binary(&req, 0, bytes, sizeof bytes);
	ok(db_request_run(conn, &req, 5000) == BZ_OK &&
	   strcmp(db_request_value(&req, 0, 0), "89504e47000d0aff") == 0 &&
	   strcmp(db_request_value(&req, 0, 1), "8") == 0,
	   "a binary bytea parameter arrives byte for byte, NUL included (%s)",
	   db_request_value(&req, 0, 0) ? db_request_value(&req, 0, 0) : req.message);
	db_request_free(&req);
}

static void
test_array_literal(struct db_conn *conn)
{
	static const char *const codes[] = {
		"PLAIN-1", "with \"quotes\"", "a,b", "{braces}", "back\\slash", "\\\"", "",
		"NULL", " spaced ", "tab\there", "trailing\\", "ünï©ødé",
	};
	size_t n = sizeof codes / sizeof codes[0];
	char *literal = db_text_array_literal(codes, n);
	const char *params[] = { literal };
	struct db_request req;
	bool same = true;

	db_request_init(&req, "SELECT x, x IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS u(x, n) ORDER BY n",
	                1, params);
	ok(db_request_run(conn, &req, 5000) == BZ_OK && req.nrows == (int)n,
	   "the text[] literal parses (%d elements of %zu)", req.nrows, n);
	for (int i = 0; i < req.nrows && (size_t)i < n; i++) {
		const char *got = db_request_value(&req, i, 0);

		if (got == NULL || strcmp(got, codes[i]) != 0 || strcmp(db_request_value(&req, i, 1), "f") != 0) {
			diag("element %d: sent [%s], got [%s]", i, codes[i], got ? got : "(NULL)");
			same = false;
		}
	}
	ok(same, "every element round-trips: quotes, commas, braces, backslashes, \"\", NULL text");
	db_request_free(&req);
	free(literal);
	literal = db_text_array_literal(NULL, 0);
	ok(strcmp(literal, "{}") == 0, "an empty list is {}");
	free(literal);
}

/* Serialization failure on the first two runs, then success. */
static void
build_flaky(struct db_request *req, void *ctx)
{
	(void)ctx;
	db_request_init(req, "SELECT t_flaky()", 0, NULL);
}

/* Kills its own backend on the first run only. */
static void
build_die_once(struct db_request *req, void *ctx)
{
	(void)ctx;
	db_request_init(req, "SELECT t_die_once()", 0, NULL);
}

static void
build_div0(struct db_request *req, void *ctx)
{
	int *calls = ctx;

	(*calls)++;
	db_request_init(req, "SELECT 1 / 0", 0, NULL);
}

static void
test_retry(struct db_conn *conn)
{
	struct db_request req = { 0 };
	int attempts = 0, calls = 0;
	bz_err rc;
	char id[DB_UUID_SIZE], id2[DB_UUID_SIZE];

	sql_exec(conn, "DROP SEQUENCE IF EXISTS t_flaky_seq", 0, NULL);
	sql_exec(conn, "CREATE SEQUENCE t_flaky_seq", 0, NULL);
	sql_exec(conn, "CREATE OR REPLACE FUNCTION t_flaky() RETURNS text LANGUAGE plpgsql AS $$BEGIN "
	        "IF nextval('t_flaky_seq') < 3 THEN RAISE EXCEPTION USING ERRCODE = '40001'; END IF; "
	        "RETURN 'done'; END$$", 0, NULL);
	rc = db_call_with_retry(conn, &req, build_flaky, NULL, 5, false, 5000, &attempts);
	ok(rc == BZ_OK && attempts == 3, "two serialization failures, then success: 3 attempts (%d)", attempts);
	db_request_free(&req);
	sql_exec(conn, "ALTER SEQUENCE t_flaky_seq RESTART", 0, NULL);
	rc = db_call_with_retry(conn, &req, build_flaky, NULL, 2, false, 5000, &attempts);
	ok(rc == BZ_ERR_RETRYABLE && attempts == 2, "max_attempts 2 stops after 2 (%d)", attempts);
	db_request_free(&req);

	ok(db_call_with_retry(conn, &req, build_div0, &calls, 5, true, 5000, &attempts) == BZ_ERR_INTERNAL &&
	   attempts == 1 && calls == 1, "a final error is not retried");
	db_request_free(&req);

	sql_exec(conn, "DROP SEQUENCE IF EXISTS t_die_seq", 0, NULL);
	sql_exec(conn, "CREATE SEQUENCE t_die_seq", 0, NULL);
	sql_exec(conn, "CREATE OR REPLACE FUNCTION t_die_once() RETURNS text LANGUAGE plpgsql AS $$BEGIN "
	        "IF nextval('t_die_seq') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); "
	        "PERFORM pg_sleep(5); END IF; RETURN 'survived'; END$$", 0, NULL);
	rc = db_call_with_retry(conn, &req, build_die_once, NULL, 5, false, 10000, &attempts);
	ok(rc == BZ_ERR_CONNECTION && attempts == 1, "a lost connection is not replayed when replay is unsafe");
	db_request_free(&req);
	ok(sql_exec(conn, "SELECT 1", 0, NULL) == BZ_OK, "but the connection was reset for the next call");
	sql_exec(conn, "ALTER SEQUENCE t_die_seq RESTART", 0, NULL);
	rc = db_call_with_retry(conn, &req, build_die_once, NULL, 5, true, 10000, &attempts);
	ok(rc == BZ_OK && attempts == 2 && strcmp(db_request_value(&req, 0, 0), "survived") == 0,
	   "a replay-safe call is reset and run again after a lost connection (%d attempts)", attempts);
	db_request_free(&req);

	ok(db_new_uuid(id) == BZ_OK && db_new_uuid(id2) == BZ_OK && strlen(id) == 36 &&
	   strcmp(id, id2) != 0 && id[14] == '4', "db_new_uuid gives fresh v4 uuids (%s)", id);
}

/* Typed parsers given answers that are not what the API promises: each
 * must say BZ_ERR_INTERNAL (naming the column), never crash or half-fill. */
static void
test_strict_parsing(struct db_conn *conn)
{
	static const struct {
		const char *sql;
		const char *what;
	} version_cases[] = {
		{ "SELECT '12x'::text, 1::bigint", "a bigint with trailing junk" },
		{ "SELECT NULL::bigint, 1::bigint", "NULL where none may be" },
		{ "SELECT 1::bigint", "one column too few" },
		{ "SELECT 1::bigint, 2::bigint, 3", "one column too many" },
		{ "SELECT 99999999999999999999::numeric, 1::bigint", "a bigint out of range" },
	};
	struct db_request req;
	struct db_cart_version v;
	struct db_register_out reg;
	struct db_login_out login;
	struct db_checkout co;
	char err[256];
	bz_err rc;

	for (size_t i = 0; i < sizeof version_cases / sizeof version_cases[0]; i++) {
		db_request_init(&req, version_cases[i].sql, 0, NULL);
		db_request_run(conn, &req, 5000);
		err[0] = '\0';
		rc = db_cart_set_result(&req, &v, err, sizeof err);
		ok(rc == BZ_ERR_INTERNAL && err[0] != '\0', "cart_set result with %s: internal (%s)",
		   version_cases[i].what, err);
		db_request_free(&req);
	}
	db_request_init(&req, "SELECT 'not-a-uuid', 1::bigint", 0, NULL);
	db_request_run(conn, &req, 5000);
	rc = db_register_result(&req, &reg, err, sizeof err);
	ok(rc == BZ_ERR_INTERNAL && strstr(err, "user_id") != NULL,
	   "register result with a malformed uuid: internal, naming user_id (%s)", err);
	db_request_free(&req);

	db_request_init(&req, "SELECT 'maybe', 'tok', NULL::uuid, NULL::boolean, NULL::bigint, 1::bigint",
	                0, NULL);
	db_request_run(conn, &req, 5000);
	rc = db_login_result(&req, &login, err, sizeof err);
	ok(rc == BZ_ERR_INTERNAL && login.token == NULL, "login result with an unknown status: internal, no token");
	db_request_free(&req);
	db_request_init(&req, "SELECT 'ok', NULL::text, NULL::uuid, NULL::boolean, NULL::bigint, 1::bigint",
	                0, NULL);
	db_request_run(conn, &req, 5000);
	rc = db_login_result(&req, &login, err, sizeof err);
	ok(rc == BZ_ERR_INTERNAL, "login 'ok' without a token: internal (%s)", err);
	db_request_free(&req);

	db_request_init(&req, "SELECT 'ok', NULL::uuid, NULL, 1::bigint, 0::bigint, 1::bigint, 0::bigint,"
	                " NULL, NULL, false, 1::bigint", 0, NULL);
	db_request_run(conn, &req, 5000);
	rc = db_checkout_result(&req, &co, err, sizeof err);
	ok(rc == BZ_ERR_INTERNAL && co.outcome == NULL, "checkout 'ok' without an order: internal, nothing kept (%s)", err);
	db_request_free(&req);
	db_request_init(&req, "SELECT 'failed', NULL::uuid, NULL, NULL::bigint, NULL::bigint, NULL::bigint,"
	                " 120::bigint, 'ZB003', 'Your wallet holds 1.20.', false, 1::bigint", 0, NULL);
	db_request_run(conn, &req, 5000);
	rc = db_checkout_result(&req, &co, err, sizeof err);
	ok(rc == BZ_ERR_INSUFFICIENT_FUNDS && co.balance_cents == 120 && strcmp(err, "Your wallet holds 1.20.") == 0,
	   "a stored ZB003: insufficient funds, the balance and the server's sentence");
	db_checkout_free(&co);
	db_request_free(&req);

	/* A failed request hands its error through, whatever the parser. */
	db_request_init(&req, "SELECT 1/0", 0, NULL);
	db_request_run(conn, &req, 5000);
	rc = db_cart_set_result(&req, &v, err, sizeof err);
	ok(rc == BZ_ERR_INTERNAL && strstr(err, "division") != NULL, "a failed request: its own error");
	db_request_free(&req);
}

int
main(void)
{
	struct db_conn *conn = NULL, *admin = NULL;
	char err[512];

	if (getenv("DATABASE_URL") == NULL) {
		printf("1..0 # SKIP DATABASE_URL is not set\n");
		return 0;
	}
	if (db_connect(DB_ROLE_OWNER, "check_db_request", &conn, err, sizeof err) != BZ_OK ||
	    db_connect(DB_ROLE_OWNER, "check_db_request admin", &admin, err, sizeof err) != BZ_OK) {
		printf("Bail out! cannot connect: %s\n", err);
		return 1;
	}
	test_poll_loop(conn);
	test_errors_drain(conn);
	test_one_at_a_time(conn);
	test_cancel(conn);
	test_timeouts(conn);
	test_lost_connection(conn, admin);
	test_sqlstates(conn);
	test_binary_param(conn);
	test_array_literal(conn);
	test_retry(conn);
	test_strict_parsing(conn);
	db_close(conn);
	db_close(admin);
	return tap_done();
}
