/* The My orders screen: the shopper's orders, newest first, paged by
 * creation time (older ones load as the selection nears the end), each
 * with its status in words and colour; Enter opens one (screen_order.c).
 * While an order awaits payment the newest page is read again every 2 s,
 * so a staff approval shows up by itself, with a word on the status line.
 * Data comes only through db_my_orders_request/_result, run by the
 * manager's call queue: this screen never waits for the database. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/manager.h"
#include "tui/screen.h"
#include "tui/screens.h"
#include "tui/text.h"

/* Orders per page: more than a screenful, one quick query. */
#define ORDERS_PAGE_SIZE 50
/* api_my_orders' largest page: a poll reads at most this deep. */
#define ORDERS_POLL_MAX 100
/* How often an awaiting order is looked at again; doubled after each
 * failed look, up to 2^ORDERS_POLL_BACKOFF_MAX times, so a database that
 * is down is not hammered. */
#define ORDERS_POLL_MS 2000
#define ORDERS_POLL_BACKOFF_MAX 4
/* Columns that do not change with the terminal's width. */
#define DATE_W 16
#define NUMBER_W 8
#define ITEMS_W 5
#define TOTAL_W 10
#define PROMO_W 10
/* From this width the payment method is spelt out and a promo column shown. */
#define WIDE_METHOD_COLS 96
#define WIDE_PROMO_COLS 110
#define STATUS_MAX_W 32

/* What a call was for; the tag also carries the generation it belongs to. */
enum orders_call {
	CALL_HEAD,   /* the newest orders: reload and polls */
	CALL_MORE,   /* the page after the oldest order loaded */
};

/* How a cancelled order ended, as far as this screen knows: the API says
 * only "cancelled" for a staff rejection and for an expiry alike. */
enum order_ending {
	ENDING_UNKNOWN,
	ENDING_REJECTED,
	ENDING_EXPIRED,
};

/* An ending seen happening (awaiting payment, then cancelled), kept for
 * as long as the shopper stays logged in. */
struct learned_ending {
	char order_id[DB_UUID_SIZE];
	enum order_ending ending;
};

struct orders_screen {
	struct screen base;               /* first: the manager sees a struct screen */
	struct db_order_list list;        /* owned; newest first, contiguous in time */
	bool at_end;                      /* nothing older than the last row */
	bool loaded;                      /* a first page has arrived since the last forget */
	bool failed;                      /* the last reload failed and nothing is listed */
	bool head_pending, more_pending;  /* calls of this generation in the queue */
	bool follow_end;                  /* End was pressed: keep going to the oldest */
	int head_limit;                   /* the pending head call's limit */
	bool polling;                     /* the pending head call is a poll: quiet unless news */
	unsigned generation;              /* bumped by forget: older answers are dropped */
	size_t selected, top;
	int visible;                      /* order rows at the last draw */
	int64_t last_poll_ms;
	int poll_failures;
	int64_t drawn_second;             /* wall-clock second of the last countdown drawn */
	struct learned_ending *learned;   /* owned */
	size_t nlearned;
};

/* Where the columns go at the current width. */
struct orders_layout {
	int x_date, x_number, x_status, x_method, x_items, x_total, x_promo;
	int status_w, method_w;
	bool promo;          /* wide enough for the promo code */
	bool compact;        /* a tight status column: "47h05m" rather than "47h 05m" */
};

extern const struct screen_ops screen_orders_ops;

static const struct screen_key orders_keys_list[] = {
	{ "Enter", "Open", "Open the selected order: its items, and its codes once paid", true },
	{ "Up/Down", "", "Move the selection (also k/j)", false },
	{ "PgUp/PgDn", "", "Move a screenful", false },
	{ "Home/End", "", "Newest / oldest order (also g/G); older orders load as you scroll", false },
	{ "Click", "", "Select an order; click it again to open it", false },
	{ "r", "", "Read the orders again (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static struct screen *orders_create(struct tui *tui);
static void orders_destroy(struct screen *s);
static void orders_draw(struct screen *s, WINDOW *win);
static int orders_handle_key(struct screen *s, const struct tui_key *key);
static void orders_reload(struct screen *s);
static const struct screen_key *orders_keys(const struct screen *s);
static void orders_forget(struct screen *s);
static bool orders_tick(struct screen *s, int64_t now_ms);

static int make_tag(const struct orders_screen *os, enum orders_call call);
static bool tag_is_current(const struct orders_screen *os, int tag);
static void queue_head(struct orders_screen *os, int limit, bool poll);
static void queue_more(struct orders_screen *os);
static void head_done(struct screen *s, int tag, struct db_request *req);
static void more_done(struct screen *s, int tag, struct db_request *req);
static bool merge_head(struct orders_screen *os, struct db_order_list *fresh, int limit);
static bool report_changes(struct orders_screen *os, const struct db_order_list *fresh,
                           int64_t now_us);
static void announce_change(struct orders_screen *os, const struct db_order_summary *was,
                            const struct db_order_summary *now, int64_t now_us);
static void report_count(struct orders_screen *os);
static void select_order(struct orders_screen *os, const char *order_id);
static void move_selection(struct orders_screen *os, long delta);
static long live_awaiting_depth(const struct orders_screen *os, int64_t now_us);
static void learn_ending(struct orders_screen *os, const char *order_id, enum order_ending e);
static enum order_ending known_ending(const struct orders_screen *os, const char *order_id);
static const char *status_text(const struct orders_screen *os, const struct db_order_summary *o,
                               int64_t now_us, bool compact, char *buf, size_t len,
                               enum crt_color *color);
static void format_time_left(int64_t left_us, bool compact, char *buf, size_t len);
static const char *method_text(const char *method, bool wide);
static int64_t wall_now_us(void);
static void draw_row(struct orders_screen *os, WINDOW *win, int y, size_t i,
                     const struct orders_layout *lay, int64_t now_us);

const struct screen_ops screen_orders_ops = {
	.name = "orders",
	.title = "My orders",
	.create = orders_create,
	.destroy = orders_destroy,
	.draw = orders_draw,
	.handle_key = orders_handle_key,
	.reload = orders_reload,
	.keys = orders_keys,
	.forget = orders_forget,
	.tick = orders_tick,
	.needs_login = true,
};

/* An empty screen; orders_reload fills it. */
static struct screen *
orders_create(struct tui *tui)
{
	struct orders_screen *os = xcalloc(1, sizeof *os);

	os->base.ops = &screen_orders_ops;
	os->base.tui = tui;
	os->visible = LINES > 5 ? LINES - 4 : 1;
	return &os->base;
}

static void
orders_destroy(struct screen *s)
{
	struct orders_screen *os = (struct orders_screen *)s;

	orders_forget(s);
	free(os);
}

/* Log-out: nothing of the shopper's stays, and answers still on their way
 * are dropped when they arrive. */
static void
orders_forget(struct screen *s)
{
	struct orders_screen *os = (struct orders_screen *)s;
	unsigned generation = os->generation + 1;
	struct tui *tui = os->base.tui;
	const struct screen_ops *ops = os->base.ops;

	db_order_list_free(&os->list);
	if (os->learned != NULL)
		memset(os->learned, 0, os->nlearned * sizeof *os->learned);
	free(os->learned);
	memset(os, 0, sizeof *os);
	os->base.ops = ops;
	os->base.tui = tui;
	os->generation = generation;
	os->visible = LINES > 5 ? LINES - 4 : 1;
}

/* The tag of a call of KIND for the current generation. */
static int
make_tag(const struct orders_screen *os, enum orders_call call)
{
	return (int)((os->generation & 0xffffffu) << 2) | (int)call;
}

/* The answer belongs to this generation (not to a logged-out shopper). */
static bool
tag_is_current(const struct orders_screen *os, int tag)
{
	return (unsigned)tag >> 2 == (os->generation & 0xffffffu);
}

/* Ask for the LIMIT newest orders: a reload, or a POLL that stays quiet
 * unless something changed. */
static void
queue_head(struct orders_screen *os, int limit, bool poll)
{
	struct db_request req;
	const char *token = tui_token(os->base.tui);
	const char *what = poll ? "Checking your orders" : "Loading your orders";

	if (token == NULL)
		return;
	if (os->head_pending) {
		/* One is on its way already; a reload wants its answer told. */
		os->polling = os->polling && poll;
		return;
	}
	os->polling = poll;
	db_my_orders_request(&req, token, limit, 0);
	os->head_pending = true;
	os->head_limit = limit;
	tui_call(os->base.tui, &os->base, make_tag(os, CALL_HEAD), &req, TUI_CALL_REPLAY_SAFE, what,
	         head_done);
}

/* Ask for the page after the oldest order loaded. */
static void
queue_more(struct orders_screen *os)
{
	struct db_request req;
	const char *token = tui_token(os->base.tui);

	if (token == NULL || os->more_pending || os->head_pending || os->at_end ||
	    os->list.count == 0)
		return;
	db_my_orders_request(&req, token, ORDERS_PAGE_SIZE,
	                     os->list.items[os->list.count - 1].created_us);
	os->more_pending = true;
	tui_call(os->base.tui, &os->base, make_tag(os, CALL_MORE), &req, TUI_CALL_REPLAY_SAFE,
	         "Loading older orders", more_done);
}

/* The newest orders arrived: put them in place and say what changed. */
static void
head_done(struct screen *s, int tag, struct db_request *req)
{
	struct orders_screen *os = (struct orders_screen *)s;
	struct db_order_list fresh = { NULL, 0 };
	char err[256];
	bool poll, changed;
	bz_err rc;

	if (!tag_is_current(os, tag))
		return;
	poll = os->polling;
	os->head_pending = false;
	os->polling = false;
	/* The clock tick() is given. */
	os->last_poll_ms = tui_now_ms();
	rc = db_my_orders_result(req, &fresh, err, sizeof err);
	if (rc != BZ_OK) {
		if (poll && os->poll_failures < ORDERS_POLL_BACKOFF_MAX)
			os->poll_failures++;
		if (!os->loaded)
			os->failed = true;
		/* A session that ended is the manager's to tell (and to fix). */
		if (rc != BZ_ERR_AUTH)
			tui_status_error(os->base.tui, "Your orders could not be loaded: %s", err);
		return;
	}
	os->poll_failures = 0;
	changed = merge_head(os, &fresh, os->head_limit);
	os->loaded = true;
	os->failed = false;
	if (!poll && !changed)
		report_count(os);
}

/* An older page arrived: add it below. */
static void
more_done(struct screen *s, int tag, struct db_request *req)
{
	struct orders_screen *os = (struct orders_screen *)s;
	struct db_order_list fresh = { NULL, 0 };
	size_t total;
	char err[256];
	bz_err rc;

	if (!tag_is_current(os, tag))
		return;
	os->more_pending = false;
	rc = db_my_orders_result(req, &fresh, err, sizeof err);
	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(os->base.tui, "Older orders could not be loaded: %s", err);
		return;
	}
	os->at_end = fresh.count < ORDERS_PAGE_SIZE;
	total = os->list.count + fresh.count;
	if (fresh.count > 0) {
		os->list.items = xrealloc(os->list.items, total * sizeof *os->list.items);
		/* The rows move over with their strings; only the array goes. */
		memcpy(os->list.items + os->list.count, fresh.items, fresh.count * sizeof *fresh.items);
		os->list.count = total;
	}
	free(fresh.items);
	if (os->follow_end && os->list.count > 0) {
		os->selected = os->list.count - 1;
		if (!os->at_end)
			queue_more(os);
	}
	report_count(os);
}

/* Put FRESH (the LIMIT newest orders, taken over) in place of the rows it
 * covers; older rows already loaded stay below it, the selection stays on
 * its order. True when a status change was announced. */
static bool
merge_head(struct orders_screen *os, struct db_order_list *fresh, int limit)
{
	struct db_order_list old = os->list;
	bool complete = fresh->count < (size_t)limit;
	size_t keep_from = old.count, kept = 0, total;
	char keep_id[DB_UUID_SIZE] = "";
	bool changed;

	if (os->selected < old.count)
		memcpy(keep_id, old.items[os->selected].order_id, sizeof keep_id);
	changed = os->loaded && report_changes(os, fresh, wall_now_us());
	if (!complete) {
		int64_t oldest = fresh->items[fresh->count - 1].created_us;

		for (keep_from = 0; keep_from < old.count && old.items[keep_from].created_us >= oldest;
		     keep_from++)
			;
		kept = old.count - keep_from;
	}
	total = fresh->count + kept;
	os->list.items = total > 0 ? xrealloc(fresh->items, total * sizeof *fresh->items) : NULL;
	if (total == 0)
		free(fresh->items);
	if (kept > 0) {
		memcpy(os->list.items + fresh->count, old.items + keep_from, kept * sizeof *old.items);
		/* Moved: the old list must not free them. */
		memset(old.items + keep_from, 0, kept * sizeof *old.items);
	}
	os->list.count = total;
	fresh->items = NULL;
	fresh->count = 0;
	/* A full page with nothing older loaded may have more behind it. */
	os->at_end = complete || (kept > 0 && os->at_end);
	db_order_list_free(&old);
	select_order(os, keep_id);
	return changed;
}

/* Compare FRESH with what is listed and tell the shopper about the newest
 * order whose status moved. True when something was said. */
static bool
report_changes(struct orders_screen *os, const struct db_order_list *fresh, int64_t now_us)
{
	bool said = false;

	/* Oldest first, so the newest change is the one left on the line. */
	for (size_t i = fresh->count; i-- > 0;) {
		const struct db_order_summary *now = &fresh->items[i];

		for (size_t j = 0; j < os->list.count; j++) {
			const struct db_order_summary *was = &os->list.items[j];

			if (strcmp(was->order_id, now->order_id) != 0)
				continue;
			if (strcmp(was->status, now->status) != 0) {
				announce_change(os, was, now, now_us);
				said = true;
			}
			break;
		}
	}
	return said;
}

/* One status change on the status line, learning how a cancelled order
 * ended when it was seen awaiting payment just before. */
static void
announce_change(struct orders_screen *os, const struct db_order_summary *was,
                const struct db_order_summary *now, int64_t now_us)
{
	struct tui *tui = os->base.tui;
	char number[NUMBER_W + 1], word[64];
	enum crt_color color;

	snprintf(number, sizeof number, "%.8s", now->order_id);
	if (strcmp(was->status, "awaiting_payment") == 0 && strcmp(now->status, "cancelled") == 0) {
		/* An expiry never comes before expires_at; a rejection never after. */
		bool expired = now->expires_us != 0 && now->expires_us <= now_us;

		learn_ending(os, now->order_id, expired ? ENDING_EXPIRED : ENDING_REJECTED);
		if (expired)
			tui_status(tui, "Order %s expired before it was paid; its codes went back on sale.",
			           number);
		else
			tui_status(tui, "Order %s was rejected by the shop; its codes went back on sale.",
			           number);
		return;
	}
	if (strcmp(now->status, "fulfilled") == 0) {
		tui_status(tui, "Order %s is now fulfilled: Enter shows the codes", number);
		return;
	}
	tui_status(tui, "Order %s is now %s", number,
	           status_text(os, now, now_us, false, word, sizeof word, &color));
}

/* "12 orders" on the status line ("+" while older ones may exist). */
static void
report_count(struct orders_screen *os)
{
	size_t n = os->list.count;

	if (n == 0)
		tui_status(os->base.tui, "No orders yet.");
	else
		tui_status(os->base.tui, "%zu%s order%s %s Enter opens one", n, os->at_end ? "" : "+",
		           n == 1 && os->at_end ? "" : "s", text_glyph("\u00b7", "-"));
}

/* Select ORDER_ID if it is listed, else keep the row number in range. */
static void
select_order(struct orders_screen *os, const char *order_id)
{
	for (size_t i = 0; *order_id && i < os->list.count; i++)
		if (strcmp(os->list.items[i].order_id, order_id) == 0) {
			os->selected = i;
			return;
		}
	if (os->selected >= os->list.count)
		os->selected = os->list.count > 0 ? os->list.count - 1 : 0;
}

/* Move by DELTA rows; near the end, ask for the next older page. */
static void
move_selection(struct orders_screen *os, long delta)
{
	long target = (long)os->selected + delta;

	if (target >= (long)os->list.count)
		target = (long)os->list.count - 1;
	if (target < 0)
		target = 0;
	os->selected = (size_t)target;
	if (os->selected + (size_t)os->visible >= os->list.count)
		queue_more(os);
}

/* The row of the oldest listed order still waiting for a payment that
 * can come (not past its time), or -1 when none is. */
static long
live_awaiting_depth(const struct orders_screen *os, int64_t now_us)
{
	for (size_t i = os->list.count; i-- > 0;) {
		const struct db_order_summary *o = &os->list.items[i];

		if (strcmp(o->status, "awaiting_payment") == 0 &&
		    (o->expires_us == 0 || o->expires_us > now_us))
			return (long)i;
	}
	return -1;
}

/* Remember how ORDER_ID ended. */
static void
learn_ending(struct orders_screen *os, const char *order_id, enum order_ending e)
{
	struct learned_ending *l;

	for (size_t i = 0; i < os->nlearned; i++)
		if (strcmp(os->learned[i].order_id, order_id) == 0) {
			os->learned[i].ending = e;
			return;
		}
	os->learned = xrealloc(os->learned, (os->nlearned + 1) * sizeof *os->learned);
	l = &os->learned[os->nlearned++];
	snprintf(l->order_id, sizeof l->order_id, "%s", order_id);
	l->ending = e;
}

/* How ORDER_ID ended, if this screen saw it. */
static enum order_ending
known_ending(const struct orders_screen *os, const char *order_id)
{
	for (size_t i = 0; i < os->nlearned; i++)
		if (strcmp(os->learned[i].order_id, order_id) == 0)
			return os->learned[i].ending;
	return ENDING_UNKNOWN;
}

/* The status in words (in BUF or a literal) and the colour of its
 * meaning: good (fulfilled), waiting (with the time left), or over. */
static const char *
status_text(const struct orders_screen *os, const struct db_order_summary *o, int64_t now_us,
            bool compact, char *buf, size_t len, enum crt_color *color)
{
	static const struct {
		const char *status, *words;
		enum crt_color color;
	} plain[] = {
		{ "fulfilled", "fulfilled", COLOR_PRICE },
		{ "paid", "paid", COLOR_PRICE },
		{ "pending", "pending", COLOR_STOCK_LOW },
		{ "refunded", "refunded", COLOR_DEFAULT },
		{ "failed", "failed", COLOR_SOLD_OUT },
	};
	char left[32];

	if (strcmp(o->status, "awaiting_payment") == 0) {
		/* Past its time it can no longer be paid, whether or not the
		 * server has swept it yet. */
		if (o->expires_us != 0 && o->expires_us <= now_us) {
			*color = COLOR_SOLD_OUT;
			return "expired";
		}
		*color = COLOR_STOCK_LOW;
		if (o->expires_us == 0)
			return "awaiting payment";
		format_time_left(o->expires_us - now_us, compact, left, sizeof left);
		snprintf(buf, len, compact ? "awaiting payment %s left" : "awaiting payment, %s left",
		         left);
		return buf;
	}
	if (strcmp(o->status, "cancelled") == 0) {
		enum order_ending e = known_ending(os, o->order_id);

		*color = COLOR_SOLD_OUT;
		/* Cancelled before its time: only staff do that. */
		if (e == ENDING_REJECTED || (e == ENDING_UNKNOWN && o->expires_us > now_us))
			return "rejected";
		return e == ENDING_EXPIRED ? "expired" : "cancelled";
	}
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (strcmp(o->status, plain[i].status) == 0) {
			*color = plain[i].color;
			return plain[i].words;
		}
	*color = COLOR_DEFAULT;
	return o->status;
}

/* "47h 05m", "12m 30s", "45s" (without the spaces when COMPACT); rounded
 * up, so "0s" never shows while the order can still be paid. */
static void
format_time_left(int64_t left_us, bool compact, char *buf, size_t len)
{
	long long secs = (long long)((left_us + 999999) / 1000000);
	const char *sep = compact ? "" : " ";

	if (secs >= 100LL * 3600)
		snprintf(buf, len, "%lldd%s%02lldh", secs / 86400, sep, secs % 86400 / 3600);
	else if (secs >= 3600)
		snprintf(buf, len, "%lldh%s%02lldm", secs / 3600, sep, secs % 3600 / 60);
	else if (secs >= 60)
		snprintf(buf, len, "%lldm%s%02llds", secs / 60, sep, secs % 60);
	else
		snprintf(buf, len, "%llds", secs);
}

/* "wallet", "bank transfer" (or "bank" in a narrow column). */
static const char *
method_text(const char *method, bool wide)
{
	if (strcmp(method, "bank_transfer") == 0)
		return wide ? "bank transfer" : "bank";
	return method;
}

/* The wall clock, for times the server sent. */
static int64_t
wall_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* F5, r, and every time the screen is shown: the newest orders again. */
static void
orders_reload(struct screen *s)
{
	queue_head((struct orders_screen *)s, ORDERS_PAGE_SIZE, false);
}

/* Every ~100 ms while shown: count the awaiting orders down, and look at
 * them again every ORDERS_POLL_MS (only while one can still be paid, and
 * only when none of this screen's calls is waiting). */
static bool
orders_tick(struct screen *s, int64_t now_ms)
{
	struct orders_screen *os = (struct orders_screen *)s;
	int64_t now_us = wall_now_us();
	long depth = live_awaiting_depth(os, now_us);
	int backoff = os->poll_failures < ORDERS_POLL_BACKOFF_MAX ? os->poll_failures
	                                                          : ORDERS_POLL_BACKOFF_MAX;
	bool redraw = false;

	if (depth < 0) {
		/* One more draw when the last countdown ran out. */
		redraw = os->drawn_second != 0;
		os->drawn_second = 0;
		return redraw;
	}
	if (now_us / 1000000 != os->drawn_second) {
		os->drawn_second = now_us / 1000000;
		redraw = true;
	}
	if (os->loaded && tui_token(s->tui) != NULL && tui_calls_pending(s->tui, s) == 0 &&
	    now_ms - os->last_poll_ms >= ((int64_t)ORDERS_POLL_MS << backoff)) {
		long limit = depth + 1;

		if (limit < ORDERS_PAGE_SIZE)
			limit = ORDERS_PAGE_SIZE;
		if (limit > ORDERS_POLL_MAX)
			limit = ORDERS_POLL_MAX;
		os->last_poll_ms = now_ms;
		queue_head(os, (int)limit, true);
	}
	return redraw;
}

static int
orders_handle_key(struct screen *s, const struct tui_key *key)
{
	struct orders_screen *os = (struct orders_screen *)s;
	long page = os->visible > 1 ? os->visible - 1 : 1;

	/* End goes on to the oldest order as pages arrive; any other key
	 * stops it where it is. */
	os->follow_end = false;
	if (key_is_enter(key)) {
		if (os->selected < os->list.count)
			order_screen_open(s->tui, os->list.items[os->selected].order_id);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_MOUSE)) {
		/* Row 0 is the column titles. */
		size_t row = os->top + (size_t)(key->y - 1);

		if (key->y < 1 || row >= os->list.count)
			return SR_HANDLED;
		if (row == os->selected) {
			order_screen_open(s->tui, os->list.items[row].order_id);
			return SR_HANDLED | SR_REDRAW;
		}
		move_selection(os, (long)row - (long)os->selected);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'r')) {
		orders_reload(s);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		move_selection(os, -1);
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		move_selection(os, 1);
	else if (key_is_code(key, KEY_PPAGE))
		move_selection(os, -page);
	else if (key_is_code(key, KEY_NPAGE) || key_is_char(key, L' '))
		move_selection(os, page);
	else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g'))
		move_selection(os, -(long)os->selected);
	else if (key_is_code(key, KEY_END) || key_is_char(key, L'G')) {
		os->follow_end = true;
		move_selection(os, (long)os->list.count);
	}
	else
		return SR_IGNORED;
	return SR_HANDLED | SR_REDRAW;
}

/* One order row. */
static void
draw_row(struct orders_screen *os, WINDOW *win, int y, size_t i, const struct orders_layout *lay,
         int64_t now_us)
{
	const struct db_order_summary *o = &os->list.items[i];
	bool sel = i == os->selected;
	attr_t base = crt_attr(sel ? COLOR_SELECTED : COLOR_DEFAULT);
	char when[32], number[NUMBER_W + 1], status[64], items[24], total[MONEY_FORMAT_MAX];
	const char *words;
	enum crt_color color;

	text_time(o->created_us, when, sizeof when, "%Y-%m-%d %H:%M");
	snprintf(number, sizeof number, "%.8s", o->order_id);
	words = status_text(os, o, now_us, lay->compact, status, sizeof status, &color);
	snprintf(items, sizeof items, "%lld", (long long)o->items);
	money_format(o->total_cents, total, sizeof total);

	wattrset(win, base);
	mvwhline(win, y, 0, ' ', getmaxx(win));
	text_draw(win, y, lay->x_date, DATE_W, when, TEXT_LEFT);
	text_draw(win, y, lay->x_number, NUMBER_W, number, TEXT_LEFT);
	wattrset(win, sel ? base : crt_attr(color));
	text_draw(win, y, lay->x_status, lay->status_w, words, TEXT_LEFT);
	wattrset(win, base);
	text_draw(win, y, lay->x_method, lay->method_w, method_text(o->payment_method, lay->method_w >= 13),
	          TEXT_LEFT);
	text_draw(win, y, lay->x_items, ITEMS_W, items, TEXT_RIGHT);
	wattrset(win, sel ? base : crt_attr(COLOR_PRICE));
	text_draw(win, y, lay->x_total, TOTAL_W, total, TEXT_RIGHT);
	wattrset(win, base);
	if (lay->promo && o->promo_code)
		text_draw(win, y, lay->x_promo, PROMO_W, o->promo_code, TEXT_LEFT);
	wattrset(win, A_NORMAL);
}

/* Column titles on the first body row, orders below. */
static void
orders_draw(struct screen *s, WINDOW *win)
{
	struct orders_screen *os = (struct orders_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);
	int64_t now_us = wall_now_us();
	struct orders_layout lay;
	int x;

	/* Date, number, status, method, items, total (and promo), one blank
	 * between columns and at both edges. */
	lay.method_w = w >= WIDE_METHOD_COLS ? 13 : 6;
	lay.promo = w >= WIDE_PROMO_COLS;
	lay.status_w = w - (1 + DATE_W + 1 + NUMBER_W + 1 + 1 + lay.method_w + 1 + ITEMS_W + 1 +
	                    TOTAL_W + 1) - (lay.promo ? 2 + PROMO_W : 0);
	if (lay.status_w > STATUS_MAX_W)
		lay.status_w = STATUS_MAX_W;
	lay.compact = lay.status_w < 30;
	x = 1;
	lay.x_date = x, x += DATE_W + 1;
	lay.x_number = x, x += NUMBER_W + 1;
	lay.x_status = x, x += lay.status_w + 1;
	lay.x_method = x, x += lay.method_w + 1;
	lay.x_items = x, x += ITEMS_W + 1;
	lay.x_total = x, x += TOTAL_W + 2;
	lay.x_promo = x;

	os->visible = h - 1 > 0 ? h - 1 : 1;
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	text_draw(win, 0, lay.x_date, DATE_W, "Date", TEXT_LEFT);
	text_draw(win, 0, lay.x_number, NUMBER_W, "Order", TEXT_LEFT);
	text_draw(win, 0, lay.x_status, lay.status_w, "Status", TEXT_LEFT);
	text_draw(win, 0, lay.x_method, lay.method_w, "Pay by", TEXT_LEFT);
	text_draw(win, 0, lay.x_items, ITEMS_W, "Items", TEXT_RIGHT);
	text_draw(win, 0, lay.x_total, TOTAL_W, "Total", TEXT_RIGHT);
	if (lay.promo)
		text_draw(win, 0, lay.x_promo, PROMO_W, "Promo", TEXT_LEFT);
	wattrset(win, A_NORMAL);

	if (os->list.count == 0) {
		char msg[96];

		if (os->failed)
			snprintf(msg, sizeof msg, "Your orders could not be loaded; F5 tries again.");
		else if (!os->loaded)
			snprintf(msg, sizeof msg, "Loading your orders%s", text_glyph("\u2026", "..."));
		else
			snprintf(msg, sizeof msg, "No orders yet. F2 opens the shop.");
		text_draw(win, 2, 2, w - 4, msg, TEXT_LEFT);
		return;
	}
	/* Keep the selection in view, and the view full after a resize. */
	if (os->selected < os->top)
		os->top = os->selected;
	if (os->selected >= os->top + (size_t)os->visible)
		os->top = os->selected - (size_t)os->visible + 1;
	if (os->list.count >= (size_t)os->visible && os->top + (size_t)os->visible > os->list.count)
		os->top = os->list.count - (size_t)os->visible;
	for (int row = 0; row < os->visible && os->top + (size_t)row < os->list.count; row++)
		draw_row(os, win, 1 + row, os->top + (size_t)row, &lay, now_us);
	if (os->more_pending && 1 + (int)(os->list.count - os->top) < h) {
		char msg[64];

		snprintf(msg, sizeof msg, "Loading older orders%s", text_glyph("\u2026", "..."));
		text_draw(win, 1 + (int)(os->list.count - os->top), lay.x_date, w - 2, msg, TEXT_LEFT);
	}
}

static const struct screen_key *
orders_keys(const struct screen *s)
{
	(void)s;
	return orders_keys_list;
}
