/* The console's Locks screen: who waits for whom in the shop's database,
 * live. A blocking tree (roots are the backends that block others without
 * waiting themselves; under each, indented, the backends waiting for it,
 * and so on), each row with its business label (the application_name the
 * API sets per request, "bazar checkout key=…"), how long it has waited
 * (or how old its transaction is), the awaited lock and table, and when
 * its query started; sessions idle in a transaction and transactions
 * older than LONG_XACT_MS highlighted; sparklines of waiting and blocking
 * sessions and of deadlocks per sample over the last SPARKLINE_SAMPLES
 * samples; the selected backend's details at the bottom.
 *
 * Sampling: every interval (1 s; +/- between 0.5 and 5 s) the tick queues
 * api_staff_locks and api_staff_lock_stats, but only when no call of this
 * screen is pending, so a slow database is never asked twice at once. Z
 * freezes the display (answers that arrive meanwhile are dropped); F5
 * still reads once. k cancels the selected backend's query and K ends its
 * session, each after a y/n question; --readonly refuses both before
 * asking anything. The server decides what may be signalled (Bazar's own
 * roles only) and audits it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "db/api.h"
#include "tui/screen.h"
#include "tui/sparkline.h"
#include "tui/text.h"

#define INTERVAL_DEFAULT_MS 1000
#define INTERVAL_MIN_MS 500
#define INTERVAL_MAX_MS 5000
#define INTERVAL_STEP_MS 500
/* Transactions open longer than this are highlighted. */
#define LONG_XACT_MS 5000
/* Body rows: three sparklines, the summary, the column titles above the
 * list; the selected backend's details below it. */
#define SPARK_ROWS 3
#define LIST_TOP (SPARK_ROWS + 2)
#define DETAIL_ROWS 2
/* Deeper chains are drawn at this depth (a chain that long is its own
 * message). */
#define MAX_DEPTH 12

enum { TAG_LOCKS = 1, TAG_STATS, TAG_SIGNAL };

enum confirm { CONFIRM_NONE, CONFIRM_CANCEL, CONFIRM_TERMINATE };

/* One line of the tree: a backend of the snapshot at a depth. */
struct tree_row {
	size_t item;
	int depth;
};

struct locks_screen {
	struct screen base;             /* first: the manager sees a struct screen */
	struct db_lock_backends snap;   /* owned; what is shown */
	struct tree_row *rows;          /* owned; snap.count entries, in drawing order */
	size_t nrows;
	struct db_lock_stats stats;
	bool have_snap, have_stats;

	int selected_pid;               /* follows its backend across refreshes; 0: none */
	size_t selected, top;           /* index into rows; first row shown */
	int visible;                    /* list rows at the last draw */

	int interval_ms;
	int64_t last_poll_ms;           /* 0: poll at the next tick; -1: reload polled, stamp it */
	bool paused;
	bool poll_forced;               /* the poll in flight was F5's: shown even when paused */
	bool locks_failed;              /* the last poll's answer was an error (said once) */

	struct sparkline waiting, blocking, deadlocks;
	int64_t last_deadlocks;         /* -1 before the first sample */

	enum confirm confirm;           /* the y/n question on the status line */
	int confirm_pid;
	char confirm_label[80];
};

extern const struct screen_ops screen_staff_locks_ops;

static const struct screen_key browse_keys[] = {
	{ "k", "Cancel", "Cancel the selected backend's query (asks y/n first)", true },
	{ "Z", "Pause", "Freeze the display (Z again resumes)", true },
	{ "K", "", "End the selected backend's session (asks y/n first)", false },
	{ "+/-", "", "Refresh less / more often: 0.5 to 5 s (default 1 s)", false },
	{ "Up/Down", "", "Move the selection (also click a row)", false },
	{ "PgUp/PgDn", "", "Move a screenful", false },
	{ "Home/End", "", "First / last backend", false },
	{ "AGE", "", "Column: a waiter's wait, else its transaction's age", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key confirm_keys[] = {
	{ "y", "Yes", "Send the signal", true },
	{ "n", "No", "Leave the backend alone (also Esc or any other key)", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *locks_create(struct tui *tui);
static void locks_destroy(struct screen *s);
static void locks_draw(struct screen *s, WINDOW *win);
static bool locks_draw_prompt(struct screen *s, WINDOW *win, int width);
static int locks_handle_key(struct screen *s, const struct tui_key *key);
static void locks_reload(struct screen *s);
static const struct screen_key *locks_keys(const struct screen *s);
static void locks_forget(struct screen *s);
static bool locks_tick(struct screen *s, int64_t now_ms);

static void poll_now(struct locks_screen *ls, bool forced);
static void locks_done(struct screen *s, int tag, struct db_request *req);
static void stats_done(struct screen *s, int tag, struct db_request *req);
static void signal_done(struct screen *s, int tag, struct db_request *req);
static bool dropped_while_paused(struct locks_screen *ls);
static void build_tree(struct locks_screen *ls);
static long find_pid(const struct db_lock_backends *snap, int pid);
static void emit(struct locks_screen *ls, const long *parent, bool *emitted, size_t i, int depth);
static void follow_selection(struct locks_screen *ls);
static void move_selection(struct locks_screen *ls, long delta);
static void keep_in_view(struct locks_screen *ls);
static const struct db_lock_backend *selected_backend(const struct locks_screen *ls);
static void ask_signal(struct locks_screen *ls, bool terminate);
static void send_signal(struct locks_screen *ls);
static int confirm_key(struct locks_screen *ls, const struct tui_key *key);
static const char *label_of(const struct db_lock_backend *b);
static bool highlighted(const struct db_lock_backend *b);
static void age_text(int64_t ms, char *buf, size_t len);
static void lock_text(const struct db_lock_backend *b, char *buf, size_t len);
static const char *short_state(const char *state);
static void clock_text(int64_t us, char *buf, size_t len);
static void draw_summary(struct locks_screen *ls, WINDOW *win, int y, int w);
static void draw_row(struct locks_screen *ls, WINDOW *win, int y, size_t r, int label_w);
static void draw_detail(struct locks_screen *ls, WINDOW *win, int y, int w);

const struct screen_ops screen_staff_locks_ops = {
	.name = "locks",
	.title = "Locks",
	.create = locks_create,
	.destroy = locks_destroy,
	.draw = locks_draw,
	.draw_prompt = locks_draw_prompt,
	.handle_key = locks_handle_key,
	.reload = locks_reload,
	.keys = locks_keys,
	.forget = locks_forget,
	.tick = locks_tick,
	.needs_login = true,
};

/* An empty screen; the first tick (or reload) reads the database. */
static struct screen *
locks_create(struct tui *tui)
{
	struct locks_screen *ls = xcalloc(1, sizeof *ls);

	ls->base.ops = &screen_staff_locks_ops;
	ls->base.tui = tui;
	ls->interval_ms = INTERVAL_DEFAULT_MS;
	ls->last_deadlocks = -1;
	ls->visible = 1;
	return &ls->base;
}

/* Free the screen. The manager drops its calls before the screens. */
static void
locks_destroy(struct screen *s)
{
	struct locks_screen *ls = (struct locks_screen *)s;

	db_lock_backends_free(&ls->snap);
	free(ls->rows);
	free(ls);
}

/* Logged out: queries and labels may carry a customer's data. */
static void
locks_forget(struct screen *s)
{
	struct locks_screen *ls = (struct locks_screen *)s;

	db_lock_backends_free(&ls->snap);
	free(ls->rows);
	ls->rows = NULL;
	ls->nrows = 0;
	memset(&ls->stats, 0, sizeof ls->stats);
	ls->have_snap = ls->have_stats = false;
	ls->selected_pid = 0;
	ls->selected = ls->top = 0;
	memset(&ls->waiting, 0, sizeof ls->waiting);
	memset(&ls->blocking, 0, sizeof ls->blocking);
	memset(&ls->deadlocks, 0, sizeof ls->deadlocks);
	ls->last_deadlocks = -1;
	ls->confirm = CONFIRM_NONE;
	ls->confirm_label[0] = '\0';
	ls->locks_failed = false;
}

/* Shown, or F5: read now, even when paused (the display then freezes on
 * this answer). */
static void
locks_reload(struct screen *s)
{
	struct locks_screen *ls = (struct locks_screen *)s;

	if (tui_calls_pending(s->tui, s) == 0) {
		poll_now(ls, true);
		/* The next tick knows the time: the interval counts from there. */
		ls->last_poll_ms = -1;
	} else {
		ls->poll_forced = true;
	}
}

/* Poll when the interval has passed and nothing of ours is pending. */
static bool
locks_tick(struct screen *s, int64_t now_ms)
{
	struct locks_screen *ls = (struct locks_screen *)s;

	if (ls->last_poll_ms < 0)
		ls->last_poll_ms = now_ms;
	if (ls->paused || tui_token(s->tui) == NULL || tui_calls_pending(s->tui, s) > 0)
		return false;
	if (ls->last_poll_ms != 0 && now_ms - ls->last_poll_ms < ls->interval_ms)
		return false;
	poll_now(ls, false);
	ls->last_poll_ms = now_ms;
	return false;
}

/* Queue one sample: the backends, then the counters. */
static void
poll_now(struct locks_screen *ls, bool forced)
{
	struct tui *tui = ls->base.tui;
	const char *token = tui_token(tui);
	struct db_request req;

	if (token == NULL)
		return;
	ls->poll_forced = forced;
	db_staff_locks_request(&req, token);
	tui_call(tui, &ls->base, TAG_LOCKS, &req, TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE,
	         "Reading the locks", locks_done);
	db_staff_lock_stats_request(&req, token);
	tui_call(tui, &ls->base, TAG_STATS, &req, TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE,
	         "Reading the lock counters", stats_done);
}

/* Paused: an answer to a timed poll changes nothing on the screen. */
static bool
dropped_while_paused(struct locks_screen *ls)
{
	return ls->paused && !ls->poll_forced;
}

/* The backends arrived: they replace the snapshot; the tree is rebuilt
 * and the selection follows its backend. */
static void
locks_done(struct screen *s, int tag, struct db_request *req)
{
	struct locks_screen *ls = (struct locks_screen *)s;
	struct db_lock_backends snap = { NULL, 0 };
	char err[256];
	bz_err rc;

	(void)tag;
	rc = db_staff_locks_result(req, &snap, err, sizeof err);
	if (rc != BZ_OK) {
		/* Said once, not every second; F5 or the next good answer
		 * clears it. The session ending is the manager's to say. */
		if (rc == BZ_ERR_AUTH || rc == BZ_ERR_CANCELLED)
			return;
		if (!ls->locks_failed)
			tui_status_error(s->tui, "The locks could not be read: %s", err);
		ls->locks_failed = true;
		return;
	}
	if (ls->locks_failed) {
		ls->locks_failed = false;
		tui_status(s->tui, "Reading the locks again.");
	}
	if (dropped_while_paused(ls)) {
		db_lock_backends_free(&snap);
		return;
	}
	db_lock_backends_free(&ls->snap);
	ls->snap = snap;
	ls->have_snap = true;
	build_tree(ls);
	follow_selection(ls);
}

/* The counters arrived: one more sample for the sparklines. The forced
 * poll of a paused screen is the end of its answer. */
static void
stats_done(struct screen *s, int tag, struct db_request *req)
{
	struct locks_screen *ls = (struct locks_screen *)s;
	struct db_lock_stats st;
	char err[256];
	bool dropped = dropped_while_paused(ls);

	(void)tag;
	ls->poll_forced = false;
	if (db_staff_lock_stats_result(req, &st, err, sizeof err) != BZ_OK || dropped)
		return;
	sparkline_push(&ls->waiting, st.waiting);
	sparkline_push(&ls->blocking, st.blocking);
	/* A reset of the statistics makes the total smaller: no deadlocks. */
	sparkline_push(&ls->deadlocks, ls->last_deadlocks < 0 || st.deadlocks < ls->last_deadlocks
	                               ? 0 : st.deadlocks - ls->last_deadlocks);
	ls->last_deadlocks = st.deadlocks;
	ls->stats = st;
	ls->have_stats = true;
}

/* Index of PID in the snapshot, or -1. */
static long
find_pid(const struct db_lock_backends *snap, int pid)
{
	for (size_t i = 0; i < snap->count; i++)
		if (snap->items[i].pid == pid)
			return (long)i;
	return -1;
}

/* Lay the snapshot out as a tree. Each waiter hangs under one of the
 * backends it waits for: one that waits itself if any (the queue it is
 * behind), else the first listed; the others are in its details. Roots
 * with waiters come first, then the rest in the server's order (oldest
 * transaction first); a cycle of waiters (a deadlock about to be broken)
 * is entered at its first member. */
static void
build_tree(struct locks_screen *ls)
{
	size_t n = ls->snap.count;
	long *parent = xmalloc((n ? n : 1) * sizeof *parent);
	bool *emitted = xcalloc(n ? n : 1, sizeof *emitted);
	bool *has_child = xcalloc(n ? n : 1, sizeof *has_child);

	for (size_t i = 0; i < n; i++) {
		const struct db_lock_backend *b = &ls->snap.items[i];

		parent[i] = -1;
		for (size_t k = 0; b->waiting && k < b->nblocked_by; k++) {
			long j = find_pid(&ls->snap, b->blocked_by[k]);

			if (j < 0 || (size_t)j == i)
				continue;
			if (parent[i] < 0 || (ls->snap.items[j].waiting && !ls->snap.items[parent[i]].waiting))
				parent[i] = j;
		}
		if (parent[i] >= 0)
			has_child[parent[i]] = true;
	}
	free(ls->rows);
	ls->rows = xmalloc((n ? n : 1) * sizeof *ls->rows);
	ls->nrows = 0;
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < n; i++) {
			bool take = pass == 0 ? parent[i] < 0 && has_child[i]
			            : pass == 1 ? parent[i] < 0 : true;

			if (!emitted[i] && take)
				emit(ls, parent, emitted, i, 0);
		}
	free(has_child);
	free(emitted);
	free(parent);
}

/* Row I at DEPTH, then its waiters below it. */
static void
emit(struct locks_screen *ls, const long *parent, bool *emitted, size_t i, int depth)
{
	emitted[i] = true;
	ls->rows[ls->nrows++] = (struct tree_row){ i, depth < MAX_DEPTH ? depth : MAX_DEPTH };
	for (size_t k = 0; k < ls->snap.count; k++)
		if (!emitted[k] && parent[k] == (long)i)
			emit(ls, parent, emitted, k, depth + 1);
}

/* After a new snapshot: keep the selected backend selected, or the same
 * place in the list when it has gone. */
static void
follow_selection(struct locks_screen *ls)
{
	for (size_t r = 0; r < ls->nrows; r++)
		if (ls->snap.items[ls->rows[r].item].pid == ls->selected_pid) {
			ls->selected = r;
			return;
		}
	if (ls->selected >= ls->nrows)
		ls->selected = ls->nrows > 0 ? ls->nrows - 1 : 0;
	ls->selected_pid = ls->nrows > 0 ? ls->snap.items[ls->rows[ls->selected].item].pid : 0;
}

/* The backend under the selection bar, NULL when the list is empty. */
static const struct db_lock_backend *
selected_backend(const struct locks_screen *ls)
{
	if (ls->nrows == 0 || ls->selected >= ls->nrows)
		return NULL;
	return &ls->snap.items[ls->rows[ls->selected].item];
}

/* Move the selection by DELTA rows, clamped. */
static void
move_selection(struct locks_screen *ls, long delta)
{
	long to = (long)ls->selected + delta;

	if (ls->nrows == 0)
		return;
	if (to < 0)
		to = 0;
	if (to >= (long)ls->nrows)
		to = (long)ls->nrows - 1;
	ls->selected = (size_t)to;
	ls->selected_pid = ls->snap.items[ls->rows[ls->selected].item].pid;
}

/* Scroll so the selection is among the visible rows. */
static void
keep_in_view(struct locks_screen *ls)
{
	if (ls->selected < ls->top)
		ls->top = ls->selected;
	if (ls->selected >= ls->top + (size_t)ls->visible)
		ls->top = ls->selected - (size_t)ls->visible + 1;
	if (ls->top > 0 && ls->top + (size_t)ls->visible > ls->nrows)
		ls->top = ls->nrows > (size_t)ls->visible ? ls->nrows - (size_t)ls->visible : 0;
}

/* k or K: refused under --readonly, else the y/n question. */
static void
ask_signal(struct locks_screen *ls, bool terminate)
{
	struct tui *tui = ls->base.tui;
	const struct db_lock_backend *b = selected_backend(ls);

	if (tui_readonly(tui)) {
		tui_status_error(tui, "Read-only console: %s a backend is not allowed here.",
		                 terminate ? "terminating" : "cancelling");
		return;
	}
	if (b == NULL) {
		tui_status_error(tui, "No backend is selected.");
		return;
	}
	ls->confirm = terminate ? CONFIRM_TERMINATE : CONFIRM_CANCEL;
	ls->confirm_pid = b->pid;
	snprintf(ls->confirm_label, sizeof ls->confirm_label, "%s", label_of(b));
}

/* y: send the signal the question was about. */
static void
send_signal(struct locks_screen *ls)
{
	struct tui *tui = ls->base.tui;
	const char *token = tui_token(tui);
	bool terminate = ls->confirm == CONFIRM_TERMINATE;
	struct db_request req;

	ls->confirm = CONFIRM_NONE;
	if (token == NULL)
		return;
	db_staff_signal_backend_request(&req, token, ls->confirm_pid, terminate);
	tui_call(tui, &ls->base, TAG_SIGNAL, &req, 0,
	         terminate ? "Terminating the backend" : "Cancelling the query", signal_done);
}

/* The server's answer to k or K; read the locks again at once. */
static void
signal_done(struct screen *s, int tag, struct db_request *req)
{
	struct locks_screen *ls = (struct locks_screen *)s;
	struct db_backend_signal out;
	char err[256];
	bz_err rc;

	(void)tag;
	rc = db_staff_signal_backend_result(req, &out, err, sizeof err);
	if (rc == BZ_OK) {
		bool terminate = out.action != NULL && strcmp(out.action, "terminate") == 0;

		if (out.signalled)
			tui_status(s->tui, "%s pid %d (%s).", terminate ? "Terminated" : "Cancelled the query of",
			           out.pid, out.application_name && *out.application_name ? out.application_name : "-");
		else
			tui_status(s->tui, "pid %d had already ended.", out.pid);
		db_backend_signal_free(&out);
	} else if (rc != BZ_ERR_AUTH) {
		tui_status_error(s->tui, "%s", err);
	}
	ls->last_poll_ms = 0;
}

/* The y/n question takes every key: y sends, anything else lets go. */
static int
confirm_key(struct locks_screen *ls, const struct tui_key *key)
{
	if (key_is_char(key, L'y') || key_is_char(key, L'Y')) {
		send_signal(ls);
	} else {
		ls->confirm = CONFIRM_NONE;
		tui_status(ls->base.tui, "Left pid %d alone.", ls->confirm_pid);
	}
	return SR_HANDLED | SR_REDRAW;
}

static int
locks_handle_key(struct screen *s, const struct tui_key *key)
{
	struct locks_screen *ls = (struct locks_screen *)s;

	if (ls->confirm != CONFIRM_NONE)
		return confirm_key(ls, key);
	if (key_is_code(key, KEY_UP))
		move_selection(ls, -1);
	else if (key_is_code(key, KEY_DOWN))
		move_selection(ls, 1);
	else if (key_is_code(key, KEY_PPAGE))
		move_selection(ls, -(long)ls->visible);
	else if (key_is_code(key, KEY_NPAGE))
		move_selection(ls, ls->visible);
	else if (key_is_code(key, KEY_HOME))
		move_selection(ls, -(long)ls->nrows);
	else if (key_is_code(key, KEY_END))
		move_selection(ls, (long)ls->nrows);
	else if (key_is_code(key, KEY_MOUSE)) {
		long r = (long)ls->top + (key->y - LIST_TOP);

		if (key->y < LIST_TOP || key->y >= LIST_TOP + ls->visible || r >= (long)ls->nrows)
			return SR_IGNORED;
		move_selection(ls, r - (long)ls->selected);
	} else if (key_is_char(key, L'k'))
		ask_signal(ls, false);
	else if (key_is_char(key, L'K'))
		ask_signal(ls, true);
	else if (key_is_char(key, L'Z') || key_is_char(key, L'z')) {
		ls->paused = !ls->paused;
		tui_status(s->tui, ls->paused ? "Paused: the display is frozen; Z resumes."
		                              : "Resumed: refreshing every %.1f s.",
		           ls->interval_ms / 1000.0);
		if (!ls->paused)
			ls->last_poll_ms = 0;
	} else if (key_is_char(key, L'+') || key_is_char(key, L'-')) {
		int step = key_is_char(key, L'+') ? INTERVAL_STEP_MS : -INTERVAL_STEP_MS;

		ls->interval_ms += step;
		if (ls->interval_ms < INTERVAL_MIN_MS)
			ls->interval_ms = INTERVAL_MIN_MS;
		if (ls->interval_ms > INTERVAL_MAX_MS)
			ls->interval_ms = INTERVAL_MAX_MS;
		tui_status(s->tui, "Refreshing every %.1f s.", ls->interval_ms / 1000.0);
	} else
		return SR_IGNORED;
	return SR_HANDLED | SR_REDRAW;
}

static const struct screen_key *
locks_keys(const struct screen *s)
{
	const struct locks_screen *ls = (const struct locks_screen *)s;

	return ls->confirm != CONFIRM_NONE ? confirm_keys : browse_keys;
}

/* The question, in the prompt colour, instead of the status message. */
static bool
locks_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct locks_screen *ls = (struct locks_screen *)s;
	char *q;

	if (ls->confirm == CONFIRM_NONE)
		return false;
	q = xasprintf(ls->confirm == CONFIRM_TERMINATE
	              ? "Terminate the session of pid %d (%s)? y/n"
	              : "Cancel the query of pid %d (%s)? y/n",
	              ls->confirm_pid, ls->confirm_label);
	wattrset(win, crt_attr(COLOR_PROMPT));
	text_draw(win, 0, 0, width, q, TEXT_PAD);
	wattrset(win, A_NORMAL);
	free(q);
	return true;
}

/* What the tree calls a backend: its business label, else its role. */
static const char *
label_of(const struct db_lock_backend *b)
{
	if (b->application_name != NULL && *b->application_name != '\0')
		return b->application_name;
	return b->usename != NULL ? b->usename : "-";
}

/* Idle in a transaction, or in one for longer than LONG_XACT_MS. */
static bool
highlighted(const struct db_lock_backend *b)
{
	return (b->state != NULL && strncmp(b->state, "idle in transaction", 19) == 0) ||
	       b->xact_ms > LONG_XACT_MS;
}

/* "0.4s", "12s", "7m", "3h"; "" when unknown. */
static void
age_text(int64_t ms, char *buf, size_t len)
{
	if (ms < 0)
		snprintf(buf, len, "%s", "");
	else if (ms < 10000)
		snprintf(buf, len, "%.1fs", (double)ms / 1000.0);
	else if (ms < 600000)
		snprintf(buf, len, "%llds", (long long)(ms / 1000));
	else if (ms < 36000000)
		snprintf(buf, len, "%lldm", (long long)(ms / 60000));
	else
		snprintf(buf, len, "%lldh", (long long)(ms / 3600000));
}

/* The LOCK cell: the awaited lock, short ("xid Share", "rel AccExcl"),
 * or for a backend that waits for nothing its state ("idle in xact"). */
static void
lock_text(const struct db_lock_backend *b, char *buf, size_t len)
{
	static const char *const types[][2] = {
		{ "transactionid", "xid" }, { "virtualxid", "vxid" }, { "relation", "rel" },
		{ "advisory", "advis" }, { "tuple", "tup" },
	};
	static const char *const modes[][2] = {
		{ "AccessShareLock", "AccShare" }, { "RowShareLock", "RowShare" },
		{ "RowExclusiveLock", "RowExcl" }, { "ShareUpdateExclusiveLock", "ShUpdExcl" },
		{ "ShareLock", "Share" }, { "ShareRowExclusiveLock", "ShRowExcl" },
		{ "ExclusiveLock", "Excl" }, { "AccessExclusiveLock", "AccExcl" },
	};
	const char *type, *mode;

	if (!b->waiting) {
		snprintf(buf, len, "%s", short_state(b->state));
		return;
	}
	type = b->lock_type ? b->lock_type : "lock";
	mode = b->lock_mode ? b->lock_mode : "";
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(type, types[i][0]) == 0)
			type = types[i][1];
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(mode, modes[i][0]) == 0)
			mode = modes[i][1];
	snprintf(buf, len, "%s %s", type, mode);
}

/* pg_stat_activity's state, short enough for the LOCK column. */
static const char *
short_state(const char *state)
{
	if (state == NULL)
		return "?";
	if (strcmp(state, "idle in transaction") == 0)
		return "idle in xact";
	if (strcmp(state, "idle in transaction (aborted)") == 0)
		return "aborted xact";
	return state;
}

/* The local time of day of US, "" when unknown. */
static void
clock_text(int64_t us, char *buf, size_t len)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (us <= 0 || localtime_r(&t, &tm) == NULL || strftime(buf, len, "%H:%M:%S", &tm) == 0)
		snprintf(buf, len, "%s", "");
}

/* The counters in words and the refresh rate; instead, what is wrong
 * with the view while the owner lacks a grant (the sparklines still
 * carry the counts). */
static void
draw_summary(struct locks_screen *ls, WINDOW *win, int y, int w)
{
	char age[16], *text;

	mvwhline(win, y, 0, ' ', w);
	if (ls->have_stats && (!ls->stats.sees_all || !ls->stats.can_signal)) {
		wattrset(win, crt_attr(COLOR_LOCK_IDLE));
		text_draw(win, y, 1, w - 2,
		          !ls->stats.sees_all
		          ? "Partial view: the database owner lacks pg_read_all_stats (docs/api.md, section 12)"
		          : "k/K cannot work: the database owner lacks pg_signal_backend (docs/api.md, section 12)",
		          TEXT_LEFT);
		wattrset(win, A_NORMAL);
		return;
	}
	age_text(ls->stats.longest_xact_ms, age, sizeof age);
	if (!ls->have_stats)
		text = xasprintf("Reading the database%s", text_glyph("\u2026", "..."));
	else
		text = xasprintf("%d waiting, %d blocking, %d idle in a transaction, longest %s; every %.1f s%s",
		                 ls->stats.waiting, ls->stats.blocking, ls->stats.idle_in_transaction,
		                 ls->stats.longest_xact_ms > 0 ? age : "none", ls->interval_ms / 1000.0,
		                 ls->paused ? "  PAUSED" : "");
	text_draw(win, y, 1, w - 2, text, TEXT_LEFT);
	free(text);
}

/* Tree row R at body row Y. */
static void
draw_row(struct locks_screen *ls, WINDOW *win, int y, size_t r, int label_w)
{
	const struct tree_row *tr = &ls->rows[r];
	const struct db_lock_backend *b = &ls->snap.items[tr->item];
	bool selected = r == ls->selected;
	attr_t base = selected ? crt_attr(COLOR_SELECTED)
	              : highlighted(b) && !b->waiting ? crt_attr(COLOR_LOCK_IDLE) : A_NORMAL;
	char pid[16], age[16], lock[48], when[16], *label;
	int x = 1, w = getmaxx(win);

	snprintf(pid, sizeof pid, "%d", b->pid);
	age_text(b->waiting ? b->wait_ms : b->xact_ms, age, sizeof age);
	lock_text(b, lock, sizeof lock);
	clock_text(b->query_start_us, when, sizeof when);
	if (tr->depth == 0)
		label = xstrdup(label_of(b));
	else
		label = xasprintf("%*s%s%s", (tr->depth - 1) * 2, "", text_glyph("\u2514 ", "` "),
		                  label_of(b));
	wattrset(win, base);
	mvwhline(win, y, 0, ' ', w);
	text_draw(win, y, x, 6, pid, TEXT_RIGHT);
	x += 7;
	text_draw(win, y, x, label_w, label, TEXT_LEFT);
	x += label_w + 1;
	if (b->waiting && !selected)
		wattrset(win, crt_attr(COLOR_LOCK_WAIT));
	text_draw(win, y, x, 6, age, TEXT_RIGHT);
	text_draw(win, y, x + 7, 12, lock, TEXT_LEFT);
	wattrset(win, base);
	x += 7 + 13;
	text_draw(win, y, x, 10, b->relation ? b->relation : "", TEXT_LEFT);
	x += 11;
	text_draw(win, y, x, 8, when, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(label);
}

/* The selected backend in full: what it waits for and whom (every
 * blocker, not only the one it hangs under), or how many wait for it;
 * its transaction, role and state; its query. */
static void
draw_detail(struct locks_screen *ls, WINDOW *win, int y, int w)
{
	const struct db_lock_backend *b = selected_backend(ls);
	char xact[16], wait[16], blockers[96] = "", *line;
	size_t used = 0;
	int waiters = 0;

	mvwhline(win, y, 0, ' ', w);
	mvwhline(win, y + 1, 0, ' ', w);
	if (b == NULL)
		return;
	for (size_t k = 0; k < b->nblocked_by && used + 12 < sizeof blockers; k++)
		used += (size_t)snprintf(blockers + used, sizeof blockers - used, "%s%d", k ? ", " : "",
		                         b->blocked_by[k]);
	for (size_t i = 0; i < ls->snap.count; i++)
		for (size_t k = 0; k < ls->snap.items[i].nblocked_by; k++)
			if (ls->snap.items[i].blocked_by[k] == b->pid)
				waiters++;
	age_text(b->xact_ms, xact, sizeof xact);
	age_text(b->wait_ms, wait, sizeof wait);
	if (b->waiting)
		line = xasprintf("pid %d waits %s for %s %s%s%s, blocked by %s; %s, %s, begun %s ago",
		                 b->pid, *wait ? wait : "?", b->lock_type ? b->lock_type : "a lock",
		                 b->lock_mode ? b->lock_mode : "", b->relation ? " on " : "",
		                 b->relation ? b->relation : "", *blockers ? blockers : "?",
		                 b->usename ? b->usename : "?", b->state ? b->state : "?", *xact ? xact : "?");
	else if (*xact)
		line = xasprintf("pid %d: %d waiting for it; %s, %s, begun %s ago", b->pid, waiters,
		                 b->usename ? b->usename : "?", b->state ? b->state : "?", xact);
	else
		line = xasprintf("pid %d: %d waiting for it; %s, %s", b->pid, waiters,
		                 b->usename ? b->usename : "?", b->state ? b->state : "?");
	text_draw(win, y, 1, w - 2, line, TEXT_LEFT);
	free(line);
	line = xasprintf("query: %s", b->query ? b->query : "");
	text_draw(win, y + 1, 1, w - 2, line, TEXT_LEFT);
	free(line);
}

static void
locks_draw(struct screen *s, WINDOW *win)
{
	struct locks_screen *ls = (struct locks_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);
	/* PID 6, AGE 6, LOCK 12, TABLE 10, STARTED 8, the gaps; the label the rest. */
	int label_w = w - 1 - 7 - 7 - 13 - 11 - 9;
	char value[32];
	int list_rows = h - LIST_TOP - DETAIL_ROWS - 1;

	snprintf(value, sizeof value, "%d", ls->have_stats ? ls->stats.waiting : 0);
	sparkline_draw(win, 0, w, "Waiting", &ls->waiting, value);
	snprintf(value, sizeof value, "%d", ls->have_stats ? ls->stats.blocking : 0);
	sparkline_draw(win, 1, w, "Blocking", &ls->blocking, value);
	snprintf(value, sizeof value, "%lld total", (long long)(ls->have_stats ? ls->stats.deadlocks : 0));
	sparkline_draw(win, 2, w, "Deadlocks", &ls->deadlocks, value);
	draw_summary(ls, win, SPARK_ROWS, w);

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, LIST_TOP - 1, 0, ' ', w);
	text_draw(win, LIST_TOP - 1, 1, 6, "PID", TEXT_RIGHT);
	text_draw(win, LIST_TOP - 1, 8, label_w, "BUSINESS LABEL",
	          TEXT_LEFT);
	text_draw(win, LIST_TOP - 1, 8 + label_w + 1, 6, "AGE", TEXT_RIGHT);
	text_draw(win, LIST_TOP - 1, 8 + label_w + 8, 12, "LOCK", TEXT_LEFT);
	text_draw(win, LIST_TOP - 1, 8 + label_w + 21, 10, "TABLE", TEXT_LEFT);
	text_draw(win, LIST_TOP - 1, 8 + label_w + 32, 8, "STARTED", TEXT_LEFT);
	wattrset(win, A_NORMAL);

	ls->visible = list_rows > 1 ? list_rows : 1;
	if (ls->nrows == 0) {
		text_draw(win, LIST_TOP + 1, 2, w - 4,
		          !ls->have_snap ? "Reading the locks..."
		          : "Nothing waits, blocks or sits in a transaction.", TEXT_LEFT);
	} else {
		keep_in_view(ls);
		for (int row = 0; row < ls->visible && ls->top + (size_t)row < ls->nrows; row++)
			draw_row(ls, win, LIST_TOP + row, ls->top + (size_t)row, label_w);
	}
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, h - DETAIL_ROWS - 1, 0, ' ', w);
	wattrset(win, A_NORMAL);
	draw_detail(ls, win, h - DETAIL_ROWS, w);
}
