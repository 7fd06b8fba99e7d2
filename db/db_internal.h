/* Private to db/: the connection struct and the one SQLSTATE mapper. */
#ifndef BAZAR_DB_INTERNAL_H
#define BAZAR_DB_INTERNAL_H

#include <libpq-fe.h>

#include "core/error.h"
#include "db/db.h"
#include "db/events.h"
#include "db/request.h"

/* One API call attempt, waiting in memory to be sent (db/events.c). */
struct db_event {
	char function[64];    /* the api_% function, from the request's SQL */
	const char *outcome;  /* a class of 0017_client_events (static text) */
	char sqlstate[6];     /* "" if none */
	int64_t elapsed_us;
	int attempt;          /* 1 = the first */
	int64_t ended_us;     /* CLOCK_MONOTONIC, for the age sent along */
	uint64_t seq;         /* to find it again (db_events_refused) */
};

struct db_events {
	bool on;              /* BAZAR_CLIENT_EVENTS */
	struct db_event ev[DB_EVENTS_MAX];
	int n;
	uint64_t next_seq;
	int64_t last_flush_us;
	long dropped;         /* events lost to a full buffer since the last flush */
};

struct db_conn {
	PGconn *pg;
	enum db_role role;
	/* The request in flight on this connection (db/request.c), NULL when
	 * idle: libpq runs one query at a time per connection. */
	struct db_request *busy;
	/* Facts about the last typed call (db/api.h, db_last_call). */
	struct db_call_info last_call;
	/* The clients' own call timings, not yet sent (db/events.c). */
	struct db_events events;
};

/* Read BAZAR_CLIENT_EVENTS: *ON unless it is "0"; a value other than
 * "", "0" or "1" is BZ_ERR_INVALID_INPUT with a sentence in ERR. */
bz_err db_events_setting(bool *on, char *err, size_t errlen);

/* Microseconds on the monotonic clock (the one requests are stamped by). */
int64_t db_events_now_us(void);

/* A request on CONN ended (db/request.c): keep its event when it called
 * an api_% function (other than the recorder itself). */
void db_events_note(struct db_conn *conn, struct db_request *req);

/* SQLSTATEs we act on, named (psql/pgbench habit). */
#define SQLSTATE_UNIQUE_VIOLATION        "23505"
#define SQLSTATE_CHECK_VIOLATION         "23514"
#define SQLSTATE_FOREIGN_KEY_VIOLATION   "23503"
#define SQLSTATE_NOT_NULL_VIOLATION      "23502"
#define SQLSTATE_SERIALIZATION_FAILURE   "40001"
#define SQLSTATE_DEADLOCK_DETECTED       "40P01"
#define SQLSTATE_LOCK_NOT_AVAILABLE      "55P03"
#define SQLSTATE_QUERY_CANCELED          "57014"
#define SQLSTATE_INSUFFICIENT_PRIVILEGE  "42501"
#define SQLSTATE_UNDEFINED_FUNCTION      "42883"
#define SQLSTATE_UNDEFINED_TABLE         "42P01"
#define SQLSTATE_ADMIN_SHUTDOWN          "57P01"
#define SQLSTATE_STRING_TRUNCATION       "22001"
#define SQLSTATE_NUMERIC_OUT_OF_RANGE    "22003"
#define SQLSTATE_INVALID_TEXT            "22P02"
/* Bazar's own class ZB, raised by the SQL API (see sql/migrations/0002). */
#define SQLSTATE_BZ_OUT_OF_STOCK         "ZB001"
#define SQLSTATE_BZ_PROMO_UNAVAILABLE    "ZB002"
#define SQLSTATE_BZ_INSUFFICIENT_FUNDS   "ZB003"
#define SQLSTATE_BZ_NOT_AUTHENTICATED    "ZB004"
#define SQLSTATE_BZ_PERMISSION_DENIED    "ZB005"
#define SQLSTATE_BZ_NOT_FOUND            "ZB006"
#define SQLSTATE_BZ_ALREADY_EXISTS       "ZB007"
#define SQLSTATE_BZ_INVALID_INPUT        "ZB008"
#define SQLSTATE_BZ_CART_CHANGED         "ZB009"
#define SQLSTATE_BZ_IDEMPOTENCY_MISMATCH "ZB010"
#define SQLSTATE_BZ_THROTTLED            "ZB011"
#define SQLSTATE_BZ_LIMIT_REACHED        "ZB012"
#define SQLSTATE_BZ_ALREADY_DECIDED      "ZB013"

/* Map a failed result (or NULL for a lost connection) to bz_err, writing
 * the server's primary message to err. Connection-class SQLSTATEs (08xxx)
 * and a NULL result map to BZ_ERR_CONNECTION. */
bz_err db_error_from_result(const PGresult *res, char *err, size_t errlen);

/* The same mapping for a SQLSTATE given as text (the API stores the
 * code of a business failure in a row rather than raising it). NULL or
 * "" is BZ_OK. */
bz_err db_error_from_sqlstate(const char *sqlstate);

/* The SQLSTATE of a failed result, "" if none. */
const char *db_sqlstate(const PGresult *res);

/* May the whole transaction be run again? core/retry's answer
 * (retry_is_transient), kept here for older callers: the project has one
 * retry policy, and it lives in core/retry. */
int db_error_is_retryable(bz_err err);

#endif
