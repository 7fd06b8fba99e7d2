/* The clients' own call timings: kept in memory per connection, sent in
 * batches to api_record_client_events (0017); see db/events.h. Only the
 * function name (taken from the request's SQL text, never from its
 * parameters), the outcome class, the SQLSTATE and the timing leave this
 * file. */
#include "config.h"
#include "db/events.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "db/db_internal.h"

#define RECORDER "api_record_client_events"
/* A flush is a tiny INSERT: past this it is abandoned (and its batch). */
#define FLUSH_TIMEOUT_MS 1000
/* Ages are clamped by the server at an hour; so are they here. */
#define MAX_AGE_MS 3600000

static bool function_of(const char *sql, char *out, size_t outlen);
static const char *outcome_of(const struct db_request *req);
static bool is_idle(const struct db_conn *conn);
static void append(char **buf, size_t *len, size_t *cap, const char *s);

static const char flush_sql[] =
	"SELECT " RECORDER "($1::text[], $2::text[], $3::text[], $4::bigint[], $5::integer[],"
	" $6::integer[])";

int64_t
db_events_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bz_err
db_events_setting(bool *on, char *err, size_t errlen)
{
	const char *v = getenv("BAZAR_CLIENT_EVENTS");

	*on = true;
	if (v == NULL || *v == '\0' || strcmp(v, "1") == 0)
		return BZ_OK;
	if (strcmp(v, "0") == 0) {
		*on = false;
		return BZ_OK;
	}
	snprintf(err, errlen, "BAZAR_CLIENT_EVENTS='%.40s' is not 0 (do not record the calls' "
	         "timings) or 1 (record them, the default)", v);
	return BZ_ERR_INVALID_INPUT;
}

/* The first api_% function called in SQL ("... FROM api_cart_get($1)"):
 * a whole identifier followed by "(". False when there is none. */
static bool
function_of(const char *sql, char *out, size_t outlen)
{
	for (const char *p = sql; (p = strstr(p, "api_")) != NULL; p++) {
		size_t n = 0;

		if (p > sql && (p[-1] == '_' || p[-1] == '.' || (p[-1] >= 'a' && p[-1] <= 'z') ||
		                (p[-1] >= '0' && p[-1] <= '9')))
			continue;
		while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
			n++;
		if (p[n] != '(' || n >= outlen)
			continue;
		memcpy(out, p, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

/* The outcome class of a finished request (0017's list). */
static const char *
outcome_of(const struct db_request *req)
{
	const char *s = req->sqlstate;

	if (req->state == DB_REQ_DONE)
		return "ok";
	if (req->err == BZ_ERR_CONNECTION || strncmp(s, "08", 2) == 0)
		return "connection";
	if (strncmp(s, "ZB", 2) == 0)
		return "refused";
	if (strncmp(s, "23", 2) == 0)
		return "constraint";
	if (strcmp(s, SQLSTATE_SERIALIZATION_FAILURE) == 0)
		return "serialization";
	if (strcmp(s, SQLSTATE_DEADLOCK_DETECTED) == 0)
		return "deadlock";
	/* A cancel the user asked for is not the database being slow. */
	if ((strcmp(s, SQLSTATE_QUERY_CANCELED) == 0 && !req->cancelled) ||
	    strcmp(s, SQLSTATE_LOCK_NOT_AVAILABLE) == 0)
		return "timeout";
	return "other";
}

void
db_events_note(struct db_conn *conn, struct db_request *req)
{
	struct db_events *e = &conn->events;
	struct db_event *ev;
	char function[sizeof ev->function];

	if (!e->on || req->sql == NULL || !function_of(req->sql, function, sizeof function) ||
	    strcmp(function, RECORDER) == 0)
		return;
	if (e->n == DB_EVENTS_MAX) {
		/* Full and not flushed (a transaction is open): drop, count. */
		e->dropped++;
		return;
	}
	ev = &e->ev[e->n++];
	memset(ev, 0, sizeof *ev);
	memcpy(ev->function, function, sizeof function);
	ev->outcome = outcome_of(req);
	snprintf(ev->sqlstate, sizeof ev->sqlstate, "%s", req->sqlstate);
	ev->elapsed_us = req->finished_us - req->sent_us;
	if (ev->elapsed_us < 0)
		ev->elapsed_us = 0;
	ev->attempt = req->attempt > 0 ? req->attempt : 1;
	ev->ended_us = req->finished_us;
	ev->seq = ++e->next_seq;
	req->event_conn = conn;
	req->event_seq = ev->seq;
}

void
db_events_refused(const struct db_request *req, const char *sqlstate)
{
	struct db_events *e;

	if (req->event_conn == NULL || req->event_seq == 0)
		return;
	e = &req->event_conn->events;
	for (int i = 0; i < e->n; i++)
		if (e->ev[i].seq == req->event_seq) {
			e->ev[i].outcome = "refused";
			snprintf(e->ev[i].sqlstate, sizeof e->ev[i].sqlstate, "%s",
			         sqlstate != NULL && strlen(sqlstate) == 5 ? sqlstate : "");
			return;
		}
}

/* No request in flight and no transaction open: a statement sent now
 * is a transaction of its own. */
static bool
is_idle(const struct db_conn *conn)
{
	return conn->busy == NULL && PQstatus(conn->pg) == CONNECTION_OK &&
	       PQtransactionStatus(conn->pg) == PQTRANS_IDLE;
}

/* Append S to a growing string. */
static void
append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

bool
db_events_flush_request(struct db_conn *conn, struct db_request *req, bool force)
{
	struct db_events *e = &conn->events;
	const char *names[DB_EVENTS_MAX], *outcomes[DB_EVENTS_MAX], *states[DB_EVENTS_MAX];
	char *lists[6] = { NULL };
	size_t len[3] = { 0 }, cap[3] = { 0 };
	int64_t now = db_events_now_us();

	if (!e->on || e->n == 0 || !is_idle(conn))
		return false;
	if (!force && e->n < DB_EVENTS_MAX && now - e->last_flush_us < DB_EVENTS_FLUSH_MS * 1000)
		return false;
	for (int i = 0; i < e->n; i++) {
		char num[32];
		int64_t age_ms = (now - e->ev[i].ended_us) / 1000;

		names[i] = e->ev[i].function;
		outcomes[i] = e->ev[i].outcome;
		states[i] = e->ev[i].sqlstate;
		append(&lists[3], &len[0], &cap[0], i == 0 ? "{" : ",");
		snprintf(num, sizeof num, "%" PRId64, e->ev[i].elapsed_us);
		append(&lists[3], &len[0], &cap[0], num);
		append(&lists[4], &len[1], &cap[1], i == 0 ? "{" : ",");
		snprintf(num, sizeof num, "%d", e->ev[i].attempt);
		append(&lists[4], &len[1], &cap[1], num);
		append(&lists[5], &len[2], &cap[2], i == 0 ? "{" : ",");
		snprintf(num, sizeof num, "%" PRId64, age_ms < 0 ? 0 : age_ms > MAX_AGE_MS ? MAX_AGE_MS : age_ms);
		append(&lists[5], &len[2], &cap[2], num);
	}
	for (int k = 3; k < 6; k++)
		append(&lists[k], &len[k - 3], &cap[k - 3], "}");
	lists[0] = db_text_array_literal(names, (size_t)e->n);
	lists[1] = db_text_array_literal(outcomes, (size_t)e->n);
	lists[2] = db_text_array_literal(states, (size_t)e->n);
	db_request_init(req, flush_sql, 6, (const char *const *)lists);
	db_request_expect(req, 1, 1);
	for (int k = 0; k < 6; k++)
		free(lists[k]);
	if (e->dropped > 0)
		bz_log(LOG_DEBUG, "client events: %ld dropped while the buffer was full", e->dropped);
	e->n = 0;
	e->dropped = 0;
	e->last_flush_us = now;
	return true;
}

void
db_events_flush_done(const struct db_request *req)
{
	if (req->state == DB_REQ_FAILED)
		bz_log(LOG_DEBUG, "client events: a batch was dropped: %s (%s)", req->message,
		       req->sqlstate[0] ? req->sqlstate : "no sqlstate");
}

void
db_events_flush_blocking(struct db_conn *conn, bool force)
{
	struct db_request req;
	char err[256];

	if (!db_events_flush_request(conn, &req, force))
		return;
	db_request_run(conn, &req, FLUSH_TIMEOUT_MS);
	db_events_flush_done(&req);
	if (req.state == DB_REQ_FAILED && req.err == BZ_ERR_CONNECTION)
		db_reset(conn, err, sizeof err);
	db_request_free(&req);
}
