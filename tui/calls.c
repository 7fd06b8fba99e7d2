/* The manager's database calls: a FIFO of requests run one at a time on
 * the storefront's connection, driven from the main loop's poll() so the
 * screen keeps drawing while they run. See tui_call in screen.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/events.h"
#include "tui/manager.h"

static void finish(struct tui *tui);
static bool start_head(struct tui *tui);
static void events_done(struct screen *s, int tag, struct db_request *req);

void
tui_call(struct tui *tui, struct screen *s, int tag, struct db_request *req, unsigned flags,
         const char *what, tui_done_fn done)
{
	struct tui_call *call = xcalloc(1, sizeof *call);

	call->owner = s;
	call->tag = tag;
	call->flags = flags;
	call->done = done;
	snprintf(call->what, sizeof call->what, "%s", what ? what : "Working");
	/* Move: the struct is plain data plus owned pointers. */
	call->req = *req;
	memset(req, 0, sizeof *req);
	req->state = DB_REQ_IDLE;
	if (tui->ncalls == CALLS_MAX) {
		/* A screen bug, not the shopper's: fail this call, keep the rest. */
		bz_log(LOG_ERROR, "tui: call queue full; dropping \"%s\"", call->what);
		call->req.state = DB_REQ_FAILED;
		call->req.err = BZ_ERR_INTERNAL;
		snprintf(call->req.message, sizeof call->req.message, "too many requests at once");
		if (call->done)
			call->done(call->owner, call->tag, &call->req);
		db_request_free(&call->req);
		free(call);
		return;
	}
	tui->calls[tui->ncalls++] = call;
}

int
tui_calls_pending(const struct tui *tui, const struct screen *s)
{
	int n = 0;

	for (int i = 0; i < tui->ncalls; i++)
		if (s == NULL || tui->calls[i]->owner == s)
			n++;
	return n;
}

/* Send the head call. False when it failed at once (then it is finished). */
static bool
start_head(struct tui *tui)
{
	struct tui_call *call = tui->calls[0];

	tui->call_started_ms = tui_now_ms();
	if (db_request_start(tui->db, &call->req) == BZ_OK)
		return true;
	finish(tui);
	return false;
}

/* The head call ended: reconnect and re-send once if that is safe, else
 * hand it to its screen, then drop it and move the queue up. */
static void
finish(struct tui *tui)
{
	struct tui_call *call = tui->calls[0];
	struct db_request *req = &call->req;
	char err[256];

	if (req->state == DB_REQ_FAILED && req->err == BZ_ERR_CONNECTION) {
		/* The server restarted or dropped an idle kiosk: reconnect (a
		 * short blocking step on a Unix socket), and send a harmless
		 * call again. */
		bool reset = db_reset(tui->db, err, sizeof err) == BZ_OK;

		if (reset && (call->flags & TUI_CALL_REPLAY_SAFE) && !call->resent) {
			call->resent = true;
			db_request_rewind(req);
			req->attempt = 2;
			start_head(tui);
			return;
		}
	}
	memmove(tui->calls, tui->calls + 1, (size_t)(tui->ncalls - 1) * sizeof tui->calls[0]);
	tui->ncalls--;
	if (call->done)
		call->done(call->owner, call->tag, req);
	/* After the screen saw it, so that it can keep its own state (the
	 * checkout attempt, the cart) for when the shopper is back. */
	if (req->state == DB_REQ_FAILED && req->err == BZ_ERR_AUTH && tui->token != NULL &&
	    call->owner != NULL && call->owner->ops->needs_login)
		session_ended(tui);
	db_request_free(req);
	free(call);
}

/* A batch of call timings ended (db/events.h): nobody waits for it. */
static void
events_done(struct screen *s, int tag, struct db_request *req)
{
	(void)s;
	(void)tag;
	db_events_flush_done(req);
}

bool
calls_pump(struct tui *tui)
{
	bool changed = false;
	struct db_request flush;

	/* The call timings go when the line is free, as a call of their
	 * own (a short INSERT) that no screen owns: the terminal never
	 * waits for it, and a business call queued meanwhile runs next. */
	if (tui->ncalls == 0 && tui->db != NULL && db_events_flush_request(tui->db, &flush, false))
		tui_call(tui, NULL, 0, &flush, 0, "Saving call timings", events_done);

	while (tui->ncalls > 0) {
		struct tui_call *call = tui->calls[0];
		enum db_request_state st = call->req.state;

		if (st == DB_REQ_IDLE) {
			changed = true;
			if (!start_head(tui))
				continue;
			st = call->req.state;
		}
		if (st == DB_REQ_SENT || st == DB_REQ_BUSY)
			st = db_request_step(tui->db, &call->req);
		if (st == DB_REQ_SENT || st == DB_REQ_BUSY)
			break;
		finish(tui);
		changed = true;
	}
	return changed;
}

int
calls_poll_fd(const struct tui *tui, short *events)
{
	*events = 0;
	if (tui->ncalls == 0)
		return -1;
	*events = db_request_events(&tui->calls[0]->req);
	return *events ? db_request_socket(tui->db) : -1;
}

bool
calls_cancel_running(struct tui *tui)
{
	struct tui_call *call;

	if (tui->ncalls == 0)
		return false;
	call = tui->calls[0];
	if (!(call->flags & TUI_CALL_CANCELLABLE) || call->cancel_asked)
		return false;
	if (call->req.state != DB_REQ_SENT && call->req.state != DB_REQ_BUSY)
		return false;
	call->cancel_asked = true;
	db_request_cancel(tui->db, &call->req);
	return true;
}

const char *
calls_running_what(const struct tui *tui, bool *cancellable)
{
	if (tui->ncalls == 0) {
		*cancellable = false;
		return NULL;
	}
	*cancellable = (tui->calls[0]->flags & TUI_CALL_CANCELLABLE) && !tui->calls[0]->cancel_asked;
	return tui->calls[0]->what;
}

void
calls_drop_all(struct tui *tui)
{
	for (int i = 0; i < tui->ncalls; i++) {
		/* db_request_free cancels and waits for one still on the wire. */
		db_request_free(&tui->calls[i]->req);
		free(tui->calls[i]);
	}
	tui->ncalls = 0;
}
