/* The My wallet screen: the balance, large, and the wallet's movements
 * below it, newest first (the latest LEDGER_LIMIT): when, how much (+ in,
 * - out), the balance after it, why, and the order it was about. Data
 * comes only through db_my_wallet_request and db_my_ledger_request, run by
 * the manager's call queue: this screen never waits for the database. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/screen.h"
#include "tui/text.h"

/* Movements shown: a long history is for the staff's tools. */
#define LEDGER_LIMIT 200
/* Rows above the ledger's column titles: a blank, the balance, a blank. */
#define LEDGER_FIRST_ROW 3
/* Columns that do not change with the terminal's width. */
#define DATE_W 16
#define AMOUNT_W 12
#define BALANCE_W 13
#define NUMBER_W 8
#define REASON_MAX_W 48

/* What a call was for; the tag also carries the generation it belongs to. */
enum wallet_call {
	CALL_BALANCE,
	CALL_LEDGER,
};

struct wallet_screen {
	struct screen base;          /* first: the manager sees a struct screen */
	int64_t balance_cents;
	bool have_balance;           /* the balance has arrived since the last forget */
	struct db_ledger ledger;     /* owned; newest first */
	bool have_ledger;
	bool failed;                 /* the last reload failed */
	bool reload_pending;         /* this generation's two calls are queued */
	unsigned generation;         /* bumped by forget: older answers are dropped */
	size_t top;                  /* first movement shown */
	int visible;                 /* movement rows at the last draw */
};

extern const struct screen_ops screen_wallet_ops;

static const struct screen_key wallet_keys_list[] = {
	{ "Up/Down", "", "Scroll the movements (also k/j)", false },
	{ "PgUp/PgDn", "", "Scroll a screenful", false },
	{ "Home/End", "", "Newest / oldest movement shown (also g/G)", false },
	{ "r", "", "Read the wallet again (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static struct screen *wallet_create(struct tui *tui);
static void wallet_destroy(struct screen *s);
static void wallet_draw(struct screen *s, WINDOW *win);
static int wallet_handle_key(struct screen *s, const struct tui_key *key);
static void wallet_reload(struct screen *s);
static const struct screen_key *wallet_keys(const struct screen *s);
static void wallet_forget(struct screen *s);

static int make_tag(const struct wallet_screen *ws, enum wallet_call call);
static bool tag_is_current(const struct wallet_screen *ws, int tag);
static void balance_done(struct screen *s, int tag, struct db_request *req);
static void ledger_done(struct screen *s, int tag, struct db_request *req);
static void scroll_by(struct wallet_screen *ws, long delta);
static const char *reason_text(const struct db_ledger_entry *e);
static void format_signed(int64_t cents, char *buf, size_t len);
static void draw_balance(struct wallet_screen *ws, WINDOW *win);
static void draw_entry(WINDOW *win, int y, const struct db_ledger_entry *e, int reason_w);

const struct screen_ops screen_wallet_ops = {
	.name = "wallet",
	.title = "My wallet",
	.create = wallet_create,
	.destroy = wallet_destroy,
	.draw = wallet_draw,
	.handle_key = wallet_handle_key,
	.reload = wallet_reload,
	.keys = wallet_keys,
	.forget = wallet_forget,
	.needs_login = true,
};

/* An empty screen; wallet_reload fills it. */
static struct screen *
wallet_create(struct tui *tui)
{
	struct wallet_screen *ws = xcalloc(1, sizeof *ws);

	ws->base.ops = &screen_wallet_ops;
	ws->base.tui = tui;
	ws->visible = 1;
	return &ws->base;
}

static void
wallet_destroy(struct screen *s)
{
	wallet_forget(s);
	free(s);
}

/* Log-out: the balance and the movements go, and answers still on their
 * way are dropped when they arrive. */
static void
wallet_forget(struct screen *s)
{
	struct wallet_screen *ws = (struct wallet_screen *)s;
	unsigned generation = ws->generation + 1;
	struct tui *tui = ws->base.tui;

	db_ledger_free(&ws->ledger);
	memset(ws, 0, sizeof *ws);
	ws->base.ops = &screen_wallet_ops;
	ws->base.tui = tui;
	ws->generation = generation;
	ws->visible = 1;
}

/* The tag of a call of KIND for the current generation. */
static int
make_tag(const struct wallet_screen *ws, enum wallet_call call)
{
	return (int)((ws->generation & 0xffffffu) << 2) | (int)call;
}

/* The answer belongs to this generation (not to a logged-out shopper). */
static bool
tag_is_current(const struct wallet_screen *ws, int tag)
{
	return (unsigned)tag >> 2 == (ws->generation & 0xffffffu);
}

/* F5, r, and every time the screen is shown: the balance, then the
 * movements (two calls, in this order, one after the other). */
static void
wallet_reload(struct screen *s)
{
	struct wallet_screen *ws = (struct wallet_screen *)s;
	const char *token = tui_token(s->tui);
	struct db_request req;

	if (token == NULL)
		return;
	/* A reload already on its way answers this one too. */
	if (ws->reload_pending)
		return;
	ws->reload_pending = true;
	db_my_wallet_request(&req, token);
	tui_call(s->tui, s, make_tag(ws, CALL_BALANCE), &req, TUI_CALL_REPLAY_SAFE,
	         "Reading your balance", balance_done);
	db_my_ledger_request(&req, token, LEDGER_LIMIT);
	tui_call(s->tui, s, make_tag(ws, CALL_LEDGER), &req, TUI_CALL_REPLAY_SAFE,
	         "Reading your wallet's movements", ledger_done);
}

static void
balance_done(struct screen *s, int tag, struct db_request *req)
{
	struct wallet_screen *ws = (struct wallet_screen *)s;
	int64_t balance = 0;
	char err[256];
	bz_err rc;

	if (!tag_is_current(ws, tag))
		return;
	rc = db_my_wallet_result(req, &balance, err, sizeof err);
	if (rc != BZ_OK) {
		ws->failed = true;
		/* A session that ended is the manager's to tell (and to fix). */
		if (rc != BZ_ERR_AUTH)
			tui_status_error(s->tui, "Your balance could not be read: %s", err);
		return;
	}
	ws->balance_cents = balance;
	ws->have_balance = true;
	ws->failed = false;
}

static void
ledger_done(struct screen *s, int tag, struct db_request *req)
{
	struct wallet_screen *ws = (struct wallet_screen *)s;
	struct db_ledger fresh = { NULL, 0 };
	char err[256];
	bz_err rc;

	if (!tag_is_current(ws, tag))
		return;
	/* The second of the pair: the reload is over. */
	ws->reload_pending = false;
	rc = db_my_ledger_result(req, &fresh, err, sizeof err);
	if (rc != BZ_OK) {
		ws->failed = true;
		if (rc != BZ_ERR_AUTH)
			tui_status_error(s->tui, "Your wallet's movements could not be read: %s", err);
		return;
	}
	db_ledger_free(&ws->ledger);
	ws->ledger = fresh;
	ws->have_ledger = true;
	if (ws->top >= ws->ledger.count)
		ws->top = 0;
	/* The balance came first: only a failure there is left to show. */
	if (ws->failed)
		return;
	if (fresh.count == 0)
		tui_status(s->tui, "No movements yet.");
	else
		tui_status(s->tui, "%zu movement%s%s", fresh.count, fresh.count == 1 ? "" : "s",
		           fresh.count == LEDGER_LIMIT ? " (the latest)" : "");
}

/* Scroll by DELTA rows, never past the last screenful. */
static void
scroll_by(struct wallet_screen *ws, long delta)
{
	long last = (long)ws->ledger.count - ws->visible;
	long top = (long)ws->top + delta;

	if (top > last)
		top = last;
	if (top < 0)
		top = 0;
	ws->top = (size_t)top;
}

static int
wallet_handle_key(struct screen *s, const struct tui_key *key)
{
	struct wallet_screen *ws = (struct wallet_screen *)s;
	long page = ws->visible > 1 ? ws->visible - 1 : 1;

	if (key_is_char(key, L'r')) {
		wallet_reload(s);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		scroll_by(ws, -1);
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		scroll_by(ws, 1);
	else if (key_is_code(key, KEY_PPAGE))
		scroll_by(ws, -page);
	else if (key_is_code(key, KEY_NPAGE) || key_is_char(key, L' '))
		scroll_by(ws, page);
	else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g'))
		scroll_by(ws, -(long)ws->top);
	else if (key_is_code(key, KEY_END) || key_is_char(key, L'G'))
		scroll_by(ws, (long)ws->ledger.count);
	else
		return SR_IGNORED;
	return SR_HANDLED | SR_REDRAW;
}

/* Why the money moved, in words: the checkout writes "order". */
static const char *
reason_text(const struct db_ledger_entry *e)
{
	if (e->reason == NULL || *e->reason == '\0')
		return e->amount_cents < 0 ? "payment" : "credit";
	if (strcmp(e->reason, "order") == 0)
		return e->amount_cents < 0 ? "payment for an order" : "refund of an order";
	return e->reason;
}

/* "+25.00", "-5.00", "0.00". */
static void
format_signed(int64_t cents, char *buf, size_t len)
{
	char amount[MONEY_FORMAT_MAX];

	money_format(cents, amount, sizeof amount);
	snprintf(buf, len, "%s%s", cents > 0 ? "+" : "", amount);
}

/* The balance line: what the shopper came to see, in bold. */
static void
draw_balance(struct wallet_screen *ws, WINDOW *win)
{
	const char *label = "Balance";
	char amount[MONEY_FORMAT_MAX];
	int x = 2;

	wattrset(win, A_BOLD);
	x += text_draw(win, 1, x, getmaxx(win) - x - 1, label, TEXT_LEFT) + 2;
	if (ws->have_balance) {
		money_format(ws->balance_cents, amount, sizeof amount);
		wattrset(win, crt_attr(ws->balance_cents < 0 ? COLOR_SOLD_OUT : COLOR_PRICE) | A_BOLD);
		text_draw(win, 1, x, getmaxx(win) - x - 1, amount, TEXT_LEFT);
	} else {
		wattrset(win, A_NORMAL);
		text_draw(win, 1, x, getmaxx(win) - x - 1,
		          ws->failed ? "not available; F5 tries again" : text_glyph("\u2026", "..."),
		          TEXT_LEFT);
	}
	wattrset(win, A_NORMAL);
}

/* One movement. */
static void
draw_entry(WINDOW *win, int y, const struct db_ledger_entry *e, int reason_w)
{
	char when[32], amount[MONEY_FORMAT_MAX + 1], after[MONEY_FORMAT_MAX], number[NUMBER_W + 1];
	int x = 1;

	text_time(e->created_us, when, sizeof when, "%Y-%m-%d %H:%M");
	format_signed(e->amount_cents, amount, sizeof amount);
	money_format(e->balance_after_cents, after, sizeof after);
	snprintf(number, sizeof number, "%.8s", e->order_id);

	text_draw(win, y, x, DATE_W, when, TEXT_LEFT);
	x += DATE_W + 1;
	wattrset(win, crt_attr(e->amount_cents < 0 ? COLOR_SOLD_OUT : COLOR_PRICE));
	text_draw(win, y, x, AMOUNT_W, amount, TEXT_RIGHT);
	wattrset(win, A_NORMAL);
	x += AMOUNT_W + 1;
	text_draw(win, y, x, BALANCE_W, after, TEXT_RIGHT);
	x += BALANCE_W + 2;
	text_draw(win, y, x, reason_w, reason_text(e), TEXT_LEFT);
	x += reason_w + 1;
	text_draw(win, y, x, NUMBER_W, number, TEXT_LEFT);
}

/* The balance on top, the movements under their column titles. */
static void
wallet_draw(struct screen *s, WINDOW *win)
{
	struct wallet_screen *ws = (struct wallet_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);
	int reason_w = w - (1 + DATE_W + 1 + AMOUNT_W + 1 + BALANCE_W + 2 + 1 + NUMBER_W + 1);
	int x = 1, first = LEDGER_FIRST_ROW + 1;

	if (reason_w > REASON_MAX_W)
		reason_w = REASON_MAX_W;
	draw_balance(ws, win);

	ws->visible = h - first > 0 ? h - first : 1;
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, LEDGER_FIRST_ROW, 0, ' ', w);
	text_draw(win, LEDGER_FIRST_ROW, x, DATE_W, "Date", TEXT_LEFT);
	x += DATE_W + 1;
	text_draw(win, LEDGER_FIRST_ROW, x, AMOUNT_W, "Amount", TEXT_RIGHT);
	x += AMOUNT_W + 1;
	text_draw(win, LEDGER_FIRST_ROW, x, BALANCE_W, "Balance after", TEXT_RIGHT);
	x += BALANCE_W + 2;
	text_draw(win, LEDGER_FIRST_ROW, x, reason_w, "Reason", TEXT_LEFT);
	x += reason_w + 1;
	text_draw(win, LEDGER_FIRST_ROW, x, NUMBER_W, "Order", TEXT_LEFT);
	wattrset(win, A_NORMAL);

	if (ws->ledger.count == 0) {
		const char *msg = ws->have_ledger ? "No movements yet."
		                  : ws->failed    ? "The movements could not be read; F5 tries again."
		                                  : "";

		text_draw(win, first + 1, 2, w - 4, msg, TEXT_LEFT);
		return;
	}
	/* Keep the view full after a resize. */
	if (ws->ledger.count >= (size_t)ws->visible &&
	    ws->top + (size_t)ws->visible > ws->ledger.count)
		ws->top = ws->ledger.count - (size_t)ws->visible;
	for (int row = 0; row < ws->visible && ws->top + (size_t)row < ws->ledger.count; row++)
		draw_entry(win, first + row, &ws->ledger.items[ws->top + (size_t)row], reason_w);
}

static const struct screen_key *
wallet_keys(const struct screen *s)
{
	(void)s;
	return wallet_keys_list;
}
