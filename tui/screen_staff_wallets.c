/* The console's Wallets screen: find a customer ('/': e-mail or name
 * contains), open their wallet (Enter: the balance and the movements,
 * newest first, with the staff member of each top-up), top it up ('t':
 * amount, reason, then y/n), and read the audit log ('A': the latest
 * AUDIT_LIMIT actions of everyone).
 *
 * Every read goes through tui_call and is replay-safe; the top-up is not
 * (api_staff_topup has no idempotency key): after a lost connection the
 * staff member is told to look at the ledger, which is read again, before
 * trying once more. With --readonly the top-up is refused before any call.
 * At most one read of each kind is in flight; asking again while one runs
 * sends one more when it is back, so the last answer is never stale. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/screens.h"
#include "tui/text.h"

/* Movements shown for one customer, and audit rows. */
#define LEDGER_LIMIT 200
#define AUDIT_LIMIT 100
/* api_staff_topup's range, checked here first so a typo is explained. */
#define TOPUP_MAX_CENTS INT64_C(100000000)
#define SEARCH_MIN 2
#define SEARCH_MAX 100
#define AMOUNT_FIELD_MAX 20
/* The fixed columns (the others share what is left). */
#define DATE_W 16
#define DAY_W 10
#define MONEY_W 11
#define STAFF_W 5
#define ORDERS_W 6
#define ACTION_MIN_W 6
#define ACTION_MAX_W 20
/* Rows above the lists: results (title, columns), wallet (head, balance,
 * count, columns), audit (title, columns). */
#define RESULTS_TOP 2
#define WALLET_TOP 4
#define AUDIT_TOP 2
/* Rows under the audit list for the selected action in full. */
#define AUDIT_DETAIL_ROWS 3
#define NO_ROW SIZE_MAX

enum view {
	VIEW_RESULTS,   /* the customers found */
	VIEW_WALLET,    /* one customer's wallet */
	VIEW_AUDIT,     /* the audit log */
};

/* What the status line is asking for, if anything. */
enum prompt {
	PROMPT_NONE,
	PROMPT_SEARCH,   /* the text to find */
	PROMPT_AMOUNT,   /* the top-up's amount */
	PROMPT_REASON,   /* the top-up's reason */
	PROMPT_CONFIRM,  /* y/n */
};

/* What a call was for; the tag also carries the generation. */
enum wallets_call {
	CALL_FIND,
	CALL_WALLET,
	CALL_LEDGER,
	CALL_AUDIT,
	CALL_TOPUP,
};

/* One kind of read: at most one in flight, and one more if asked meanwhile. */
struct read_state {
	bool pending;
	bool again;
	char *target;   /* the query or user id the call in flight asks about */
};

struct wallets_screen {
	struct screen base;          /* first: the manager sees a struct screen */
	unsigned generation;         /* bumped by forget: older answers are dropped */
	enum view view;
	enum view before_audit;      /* where Esc leaves the audit log for */

	char *query;                 /* the search applied; NULL before the first */
	struct db_customers found;   /* owned */
	bool have_found;
	size_t selected, top;
	int visible;                 /* list rows at the last draw, any view */

	char open_id[DB_UUID_SIZE];  /* the customer whose wallet is open; "" none */
	struct db_staff_wallet head; /* owned */
	bool have_head;
	struct db_staff_ledger ledger;  /* owned; newest first */
	bool have_ledger;
	size_t ledger_top;

	struct db_audit audit;       /* owned; newest first */
	bool have_audit;
	size_t audit_selected, audit_top;

	struct read_state find_rs, wallet_rs, ledger_rs, audit_rs;

	enum prompt prompt;
	struct line_edit edit;
	char notice[200];            /* a refusal, shown in the body's last row */
	char *topup_email;           /* the customer being topped up */
	char topup_user[DB_UUID_SIZE];
	int64_t topup_cents;
	char *topup_reason;
	bool topup_running;
};

extern const struct screen_ops screen_staff_wallets_ops;

static const struct screen_key results_keys[] = {
	{ "/", "Find", "Find customers whose e-mail or name contains a text", true },
	{ "t", "Top up", "Top up the selected customer's wallet (asks amount, reason, y/n)", true },
	{ "o", "Order", "A phone order for the selected customer", true },
	{ "Enter", "Open", "Open the selected customer's wallet (or click it twice)", false },
	{ "A", "Audit", "The audit log: who approved, rejected, topped up, revealed, when", false },
	{ "Up/Down", "", "Move the selection (also k/j, or click a row)", false },
	{ "PgUp/PgDn", "", "Move a screenful", false },
	{ "r", "", "Search again (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key wallet_keys[] = {
	{ "/", "Find", "Find other customers", true },
	{ "t", "Top up", "Top up this wallet (asks amount, reason, then y/n)", true },
	{ "o", "Order", "A phone order for this customer: products, promo, wallet or transfer", true },
	{ "Esc", "Back", "Back to the customers found (also Left)", false },
	{ "A", "Audit", "The audit log: who approved, rejected, topped up, revealed, when", false },
	{ "Up/Down", "", "Scroll the movements (also k/j)", false },
	{ "PgUp/PgDn", "", "Scroll a screenful", false },
	{ "r", "", "Read the wallet again (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key audit_keys[] = {
	{ "Esc", "Back", "Back to where you were (also Left)", true },
	{ "Up/Down", "", "Select an action, shown in full below (also k/j, or click)", false },
	{ "PgUp/PgDn", "", "Move a screenful", false },
	{ "r", "", "Read the audit log again (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key field_keys[] = {
	{ "Esc", "Cancel", "Close the line; nothing is changed", true },
	{ "Enter", "OK", "Take what you typed", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key confirm_keys[] = {
	{ "y", "Yes", "Make the top-up", true },
	{ "n", "No", "Do not make it (also Esc)", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *wallets_create(struct tui *tui);
static void wallets_destroy(struct screen *s);
static void wallets_draw(struct screen *s, WINDOW *win);
static bool wallets_draw_prompt(struct screen *s, WINDOW *win, int width);
static int wallets_handle_key(struct screen *s, const struct tui_key *key);
static void wallets_reload(struct screen *s);
static const struct screen_key *wallets_keys(const struct screen *s);
static void wallets_forget(struct screen *s);

static void clear_all(struct wallets_screen *ws);
static int make_tag(const struct wallets_screen *ws, enum wallets_call call);
static bool tag_is_current(const struct wallets_screen *ws, int tag);
static bool read_begin(struct read_state *rs, const char *target);
static bool read_end(struct read_state *rs, const char *current);
static void request_find(struct wallets_screen *ws);
static void request_wallet(struct wallets_screen *ws);
static void request_ledger(struct wallets_screen *ws);
static void request_audit(struct wallets_screen *ws);
static void find_done(struct screen *s, int tag, struct db_request *req);
static void wallet_done(struct screen *s, int tag, struct db_request *req);
static void ledger_done(struct screen *s, int tag, struct db_request *req);
static void audit_done(struct screen *s, int tag, struct db_request *req);
static void topup_done(struct screen *s, int tag, struct db_request *req);
static void open_wallet(struct wallets_screen *ws, const char *user_id);
static void open_selected(struct wallets_screen *ws);
static void show_audit(struct wallets_screen *ws);
static void go_back(struct wallets_screen *ws);
static void start_search(struct wallets_screen *ws);
static void start_topup(struct wallets_screen *ws);
static void start_phone_order(struct wallets_screen *ws);
static void send_topup(struct wallets_screen *ws);
static void end_topup(struct wallets_screen *ws, const char *why);
static bool parse_amount(const char *text, int64_t *cents, char *msg, size_t len);
static int prompt_key(struct wallets_screen *ws, const struct tui_key *key);
static int field_accepted(struct wallets_screen *ws);
static int list_key(struct wallets_screen *ws, const struct tui_key *key);
static void scroll_rows(size_t *top, size_t count, int visible, long delta);
static void move_selection(size_t *selected, size_t count, long delta);
static void keep_in_view(size_t selected, size_t *top, int visible);
static void format_time(int64_t us, bool with_time, char *buf, size_t len);
static void format_signed(int64_t cents, char *buf, size_t len);
static void draw_columns(WINDOW *win, int y, int w, const char *const *titles, const int *widths,
                         const int *flags, int n);
static void draw_results(struct wallets_screen *ws, WINDOW *win, int h, int w);
static void draw_wallet(struct wallets_screen *ws, WINDOW *win, int h, int w);
static void draw_audit(struct wallets_screen *ws, WINDOW *win, int h, int w);

const struct screen_ops screen_staff_wallets_ops = {
	.name = "wallets",
	.title = "Wallets",
	.create = wallets_create,
	.destroy = wallets_destroy,
	.draw = wallets_draw,
	.draw_prompt = wallets_draw_prompt,
	.handle_key = wallets_handle_key,
	.reload = wallets_reload,
	.keys = wallets_keys,
	.forget = wallets_forget,
	.needs_login = true,
};

/* An empty screen: nothing is read until the staff member searches. */
static struct screen *
wallets_create(struct tui *tui)
{
	struct wallets_screen *ws = xcalloc(1, sizeof *ws);

	ws->base.ops = &screen_staff_wallets_ops;
	ws->base.tui = tui;
	ws->visible = 1;
	return &ws->base;
}

static void
wallets_destroy(struct screen *s)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;

	clear_all(ws);
	free(ws);
}

/* Free and scrub everything the screen holds, keeping base and generation. */
static void
clear_all(struct wallets_screen *ws)
{
	struct screen base = ws->base;
	unsigned generation = ws->generation;
	struct read_state *reads[] = { &ws->find_rs, &ws->wallet_rs, &ws->ledger_rs, &ws->audit_rs };

	free(ws->query);
	db_customers_free(&ws->found);
	db_staff_wallet_free(&ws->head);
	db_staff_ledger_free(&ws->ledger);
	db_audit_free(&ws->audit);
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
		free(reads[i]->target);
	line_edit_wipe(&ws->edit);
	free(ws->topup_email);
	free(ws->topup_reason);
	memset(ws, 0, sizeof *ws);
	ws->base = base;
	ws->generation = generation;
	ws->visible = 1;
}

/* Log-out: customers, balances, typed text go; answers on their way are
 * dropped when they arrive. */
static void
wallets_forget(struct screen *s)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;

	clear_all(ws);
	ws->generation++;
}

/* The tag of a call of KIND for the current generation. */
static int
make_tag(const struct wallets_screen *ws, enum wallets_call call)
{
	return (int)((ws->generation & 0xffffffu) << 3) | (int)call;
}

/* The answer belongs to this generation (not to a logged-out staff member). */
static bool
tag_is_current(const struct wallets_screen *ws, int tag)
{
	return (unsigned)tag >> 3 == (ws->generation & 0xffffffu);
}

/* May a read about TARGET go out now? If one is in flight, one more goes
 * when it is back. */
static bool
read_begin(struct read_state *rs, const char *target)
{
	if (rs->pending) {
		rs->again = true;
		return false;
	}
	rs->pending = true;
	free(rs->target);
	rs->target = xstrdup(target);
	return true;
}

/* The read in flight is back: true when its answer is about CURRENT (the
 * query or customer shown now). The caller sends the next one if asked. */
static bool
read_end(struct read_state *rs, const char *current)
{
	bool same = current != NULL && rs->target != NULL && strcmp(rs->target, current) == 0;

	rs->pending = false;
	return same;
}

/* F5, r, and every time the screen is shown: read what the view shows. */
static void
wallets_reload(struct screen *s)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;

	if (tui_token(s->tui) == NULL)
		return;
	switch (ws->view) {
	case VIEW_RESULTS:
		request_find(ws);
		break;
	case VIEW_WALLET:
		request_wallet(ws);
		request_ledger(ws);
		break;
	case VIEW_AUDIT:
		request_audit(ws);
		break;
	}
}

static void
request_find(struct wallets_screen *ws)
{
	struct db_request req;

	if (ws->query == NULL || tui_token(ws->base.tui) == NULL || !read_begin(&ws->find_rs, ws->query))
		return;
	db_staff_find_customer_request(&req, tui_token(ws->base.tui), ws->query);
	tui_call(ws->base.tui, &ws->base, make_tag(ws, CALL_FIND), &req,
	         TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE, "Finding customers", find_done);
}

static void
request_wallet(struct wallets_screen *ws)
{
	struct db_request req;

	if (ws->open_id[0] == '\0' || tui_token(ws->base.tui) == NULL ||
	    !read_begin(&ws->wallet_rs, ws->open_id))
		return;
	db_staff_customer_wallet_request(&req, tui_token(ws->base.tui), ws->open_id);
	tui_call(ws->base.tui, &ws->base, make_tag(ws, CALL_WALLET), &req, TUI_CALL_REPLAY_SAFE,
	         "Reading the wallet", wallet_done);
}

static void
request_ledger(struct wallets_screen *ws)
{
	struct db_request req;

	if (ws->open_id[0] == '\0' || tui_token(ws->base.tui) == NULL ||
	    !read_begin(&ws->ledger_rs, ws->open_id))
		return;
	db_staff_customer_ledger_request(&req, tui_token(ws->base.tui), ws->open_id, LEDGER_LIMIT);
	tui_call(ws->base.tui, &ws->base, make_tag(ws, CALL_LEDGER), &req,
	         TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE, "Reading the wallet's movements",
	         ledger_done);
}

static void
request_audit(struct wallets_screen *ws)
{
	struct db_request req;

	if (tui_token(ws->base.tui) == NULL || !read_begin(&ws->audit_rs, "audit"))
		return;
	db_staff_audit_request(&req, tui_token(ws->base.tui), AUDIT_LIMIT);
	tui_call(ws->base.tui, &ws->base, make_tag(ws, CALL_AUDIT), &req,
	         TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE, "Reading the audit log", audit_done);
}

static void
find_done(struct screen *s, int tag, struct db_request *req)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;
	struct db_customers fresh = { NULL, 0 };
	char err[256], keep[DB_UUID_SIZE] = "";
	bool current;
	bz_err rc;

	if (!tag_is_current(ws, tag))
		return;
	current = read_end(&ws->find_rs, ws->query);
	if (ws->find_rs.again) {
		ws->find_rs.again = false;
		request_find(ws);
	}
	if (!current)
		return;
	rc = db_staff_find_customer_result(req, &fresh, err, sizeof err);
	if (rc != BZ_OK) {
		/* A session that ended is the manager's to tell (and to fix). */
		if (rc != BZ_ERR_AUTH)
			tui_status_error(s->tui, "The search failed: %s", err);
		return;
	}
	/* Keep the selected customer selected when they are still found. */
	if (ws->have_found && ws->selected < ws->found.count)
		memcpy(keep, ws->found.items[ws->selected].user_id, sizeof keep);
	db_customers_free(&ws->found);
	ws->found = fresh;
	ws->have_found = true;
	ws->selected = 0;
	for (size_t i = 0; keep[0] != '\0' && i < fresh.count; i++)
		if (strcmp(fresh.items[i].user_id, keep) == 0)
			ws->selected = i;
	if (ws->top > ws->selected)
		ws->top = ws->selected;
	if (ws->view == VIEW_RESULTS)
		tui_status(s->tui, "%zu customer%s found%s", fresh.count, fresh.count == 1 ? "" : "s",
		           fresh.count == 50 ? " (the first 50: type more to narrow)" : "");
}

static void
wallet_done(struct screen *s, int tag, struct db_request *req)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;
	struct db_staff_wallet fresh;
	char err[256];
	bool current;
	bz_err rc;

	if (!tag_is_current(ws, tag))
		return;
	current = read_end(&ws->wallet_rs, ws->open_id);
	if (ws->wallet_rs.again) {
		ws->wallet_rs.again = false;
		request_wallet(ws);
	}
	if (!current)
		return;
	rc = db_staff_customer_wallet_result(req, &fresh, err, sizeof err);
	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(s->tui, "The wallet could not be read: %s", err);
		return;
	}
	db_staff_wallet_free(&ws->head);
	ws->head = fresh;
	ws->have_head = true;
}

static void
ledger_done(struct screen *s, int tag, struct db_request *req)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;
	struct db_staff_ledger fresh = { NULL, 0 };
	char err[256];
	bool current;
	bz_err rc;

	if (!tag_is_current(ws, tag))
		return;
	current = read_end(&ws->ledger_rs, ws->open_id);
	if (ws->ledger_rs.again) {
		ws->ledger_rs.again = false;
		request_ledger(ws);
	}
	if (!current)
		return;
	rc = db_staff_customer_ledger_result(req, &fresh, err, sizeof err);
	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(s->tui, "The movements could not be read: %s", err);
		return;
	}
	db_staff_ledger_free(&ws->ledger);
	ws->ledger = fresh;
	ws->have_ledger = true;
	if (ws->ledger_top >= fresh.count)
		ws->ledger_top = 0;
}

static void
audit_done(struct screen *s, int tag, struct db_request *req)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;
	struct db_audit fresh = { NULL, 0 };
	char err[256];
	bz_err rc;

	if (!tag_is_current(ws, tag))
		return;
	(void)read_end(&ws->audit_rs, "audit");
	if (ws->audit_rs.again) {
		ws->audit_rs.again = false;
		request_audit(ws);
	}
	rc = db_staff_audit_result(req, &fresh, err, sizeof err);
	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(s->tui, "The audit log could not be read: %s", err);
		return;
	}
	db_audit_free(&ws->audit);
	ws->audit = fresh;
	ws->have_audit = true;
	if (ws->audit_selected >= fresh.count)
		ws->audit_selected = ws->audit_top = 0;
	if (ws->view == VIEW_AUDIT)
		tui_status(s->tui, "%zu action%s on record shown%s", fresh.count,
		           fresh.count == 1 ? "" : "s", fresh.count == AUDIT_LIMIT ? " (the latest)" : "");
}

/* Show USER_ID's wallet and read it. */
static void
open_wallet(struct wallets_screen *ws, const char *user_id)
{
	if (strcmp(ws->open_id, user_id) != 0) {
		snprintf(ws->open_id, sizeof ws->open_id, "%s", user_id);
		db_staff_wallet_free(&ws->head);
		db_staff_ledger_free(&ws->ledger);
		ws->have_head = ws->have_ledger = false;
		ws->ledger_top = 0;
	}
	ws->view = VIEW_WALLET;
	request_wallet(ws);
	request_ledger(ws);
}

static void
open_selected(struct wallets_screen *ws)
{
	if (ws->selected >= ws->found.count) {
		tui_status_error(ws->base.tui, "Find a customer first: press / and type part of an e-mail or name.");
		return;
	}
	open_wallet(ws, ws->found.items[ws->selected].user_id);
	tui_status(ws->base.tui, "The wallet of %s: t tops it up, Esc goes back.",
	           ws->found.items[ws->selected].email);
}

static void
show_audit(struct wallets_screen *ws)
{
	if (ws->view != VIEW_AUDIT)
		ws->before_audit = ws->view;
	ws->view = VIEW_AUDIT;
	request_audit(ws);
}

/* Esc or Left: the wallet goes back to the customers found (read again:
 * a top-up changed a balance), the audit log to where it was opened. */
static void
go_back(struct wallets_screen *ws)
{
	if (ws->view == VIEW_AUDIT)
		ws->view = ws->before_audit;
	else
		ws->view = VIEW_RESULTS;
	wallets_reload(&ws->base);
}

static void
start_search(struct wallets_screen *ws)
{
	ws->notice[0] = '\0';
	ws->prompt = PROMPT_SEARCH;
	ws->edit.masked = false;
	ws->edit.max = SEARCH_MAX;
	line_edit_set(&ws->edit, ws->query);
}

/* 't': whose wallet, then the amount prompt. Refused under --readonly and
 * while a top-up is on its way. */
static void
start_topup(struct wallets_screen *ws)
{
	const char *email = NULL, *user_id = NULL;

	if (tui_readonly(ws->base.tui)) {
		tui_status_error(ws->base.tui, "This console is read-only (--readonly): top-ups are refused.");
		return;
	}
	if (ws->topup_running) {
		tui_status_error(ws->base.tui, "A top-up is on its way: wait for its answer first.");
		return;
	}
	if (ws->view == VIEW_WALLET && ws->have_head) {
		email = ws->head.email;
		user_id = ws->head.user_id;
	} else if (ws->view == VIEW_RESULTS && ws->selected < ws->found.count) {
		email = ws->found.items[ws->selected].email;
		user_id = ws->found.items[ws->selected].user_id;
	}
	if (email == NULL) {
		tui_status_error(ws->base.tui, "Find and select a customer first (/), then t tops up their wallet.");
		return;
	}
	free(ws->topup_email);
	ws->topup_email = xstrdup(email);
	snprintf(ws->topup_user, sizeof ws->topup_user, "%s", user_id);
	free(ws->topup_reason);
	ws->topup_reason = NULL;
	ws->notice[0] = '\0';
	ws->prompt = PROMPT_AMOUNT;
	ws->edit.masked = false;
	ws->edit.max = AMOUNT_FIELD_MAX;
	line_edit_set(&ws->edit, NULL);
}

/* o: the phone-order screen on the customer shown or selected. */
static void
start_phone_order(struct wallets_screen *ws)
{
	if (tui_readonly(ws->base.tui)) {
		tui_status_error(ws->base.tui, "Read-only console: placing orders is not allowed here.");
		return;
	}
	if (ws->view == VIEW_WALLET && ws->have_head)
		staff_phone_open(ws->base.tui, ws->head.email);
	else if (ws->view == VIEW_RESULTS && ws->selected < ws->found.count)
		staff_phone_open(ws->base.tui, ws->found.items[ws->selected].email);
	else
		tui_status_error(ws->base.tui, "Find and select a customer first (/), then o places an order for them.");
}

/* Close the top-up prompts, saying WHY (NULL: nothing). */
static void
end_topup(struct wallets_screen *ws, const char *why)
{
	ws->prompt = PROMPT_NONE;
	line_edit_wipe(&ws->edit);
	ws->notice[0] = '\0';
	if (why)
		tui_status(ws->base.tui, "%s", why);
}

/* TEXT as a top-up amount: 0.01 .. 1000000.00 with at most two decimals.
 * False with a sentence in MSG otherwise. */
static bool
parse_amount(const char *text, int64_t *cents, char *msg, size_t len)
{
	char max[MONEY_FORMAT_MAX];
	const char *dot;
	int64_t value = 0;
	bz_err rc;

	money_format(TOPUP_MAX_CENTS, max, sizeof max);
	while (*text == ' ')
		text++;
	if (*text == '\0') {
		snprintf(msg, len, "Type an amount, such as 20.00.");
		return false;
	}
	rc = money_parse(text, &value);
	if (rc == BZ_ERR_OVERFLOW || (rc == BZ_OK && value > TOPUP_MAX_CENTS)) {
		snprintf(msg, len, "%.20s is more than one top-up may be (at most %s).", text, max);
		return false;
	}
	if (rc != BZ_OK) {
		dot = strchr(text, '.');
		if (dot != NULL && strspn(dot + 1, "0123456789") > 2)
			snprintf(msg, len, "%.20s has more than 2 decimals: amounts are in cents (12.34).", text);
		else
			snprintf(msg, len, "\"%.20s\" is not an amount: type it as 12.34.", text);
		return false;
	}
	if (value <= 0) {
		snprintf(msg, len, "%s: a top-up is 0.01 to %s.",
		         value == 0 ? "Zero is not a top-up" : "A top-up cannot be negative", max);
		return false;
	}
	*cents = value;
	return true;
}

/* Enter in the open field: take what it holds for the prompt. */
static int
field_accepted(struct wallets_screen *ws)
{
	char *text = line_edit_text(&ws->edit);
	size_t n = ws->edit.len;
	char *trimmed = text, *end;

	while (*trimmed == ' ')
		trimmed++;
	end = trimmed + strlen(trimmed);
	while (end > trimmed && end[-1] == ' ')
		*--end = '\0';
	switch (ws->prompt) {
	case PROMPT_SEARCH:
		if (n < SEARCH_MIN || strlen(trimmed) < SEARCH_MIN) {
			snprintf(ws->notice, sizeof ws->notice,
			         "Type %d to %d characters of an e-mail or a name.", SEARCH_MIN, SEARCH_MAX);
			break;
		}
		free(ws->query);
		ws->query = xstrdup(trimmed);
		ws->prompt = PROMPT_NONE;
		ws->notice[0] = '\0';
		ws->view = VIEW_RESULTS;
		ws->selected = ws->top = 0;
		ws->have_found = false;
		db_customers_free(&ws->found);
		request_find(ws);
		break;
	case PROMPT_AMOUNT:
		if (!parse_amount(text, &ws->topup_cents, ws->notice, sizeof ws->notice))
			break;
		ws->notice[0] = '\0';
		ws->prompt = PROMPT_REASON;
		ws->edit.max = 0;
		line_edit_set(&ws->edit, NULL);
		break;
	case PROMPT_REASON:
		if (*trimmed == '\0') {
			snprintf(ws->notice, sizeof ws->notice,
			         "A top-up needs a reason: it goes in the customer's ledger.");
			break;
		}
		free(ws->topup_reason);
		ws->topup_reason = xstrdup(trimmed);
		ws->notice[0] = '\0';
		ws->prompt = PROMPT_CONFIRM;
		line_edit_wipe(&ws->edit);
		break;
	case PROMPT_NONE:
	case PROMPT_CONFIRM:
		break;
	}
	free(text);
	return SR_HANDLED | SR_REDRAW;
}

/* 'y': send it. Not replayed after a lost connection (see topup_done). */
static void
send_topup(struct wallets_screen *ws)
{
	struct db_request req;
	char amount[MONEY_FORMAT_MAX], what[64];

	ws->prompt = PROMPT_NONE;
	if (tui_readonly(ws->base.tui) || tui_token(ws->base.tui) == NULL) {
		tui_status_error(ws->base.tui, "Top-up refused: %s.",
		                 tui_readonly(ws->base.tui) ? "the console is read-only" : "not logged in");
		return;
	}
	money_format(ws->topup_cents, amount, sizeof amount);
	snprintf(what, sizeof what, "Topping up %.24s by %s", ws->topup_email, amount);
	ws->topup_running = true;
	db_staff_topup_request(&req, tui_token(ws->base.tui), ws->topup_email, ws->topup_cents,
	                       ws->topup_reason);
	tui_call(ws->base.tui, &ws->base, make_tag(ws, CALL_TOPUP), &req, 0, what, topup_done);
}

static void
topup_done(struct screen *s, int tag, struct db_request *req)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;
	struct db_topup out;
	char err[256], amount[MONEY_FORMAT_MAX], balance[MONEY_FORMAT_MAX];
	bz_err rc;

	if (!tag_is_current(ws, tag))
		return;
	ws->topup_running = false;
	rc = db_staff_topup_result(req, &out, err, sizeof err);
	money_format(ws->topup_cents, amount, sizeof amount);
	if (rc == BZ_OK) {
		money_format(out.balance_cents, balance, sizeof balance);
		tui_status(s->tui, "Topped up %s by %s: the balance is %s.", ws->topup_email, amount,
		           balance);
	} else if (rc == BZ_ERR_CONNECTION) {
		/* It may have committed: never sent again by itself. */
		tui_status_error(s->tui, "Connection lost mid top-up: check the ledger (read again "
		                 "now) before retrying.");
		snprintf(ws->notice, sizeof ws->notice,
		         "The top-up of %s may or may not have been made: look for it below first.", amount);
	} else if (rc != BZ_ERR_AUTH) {
		tui_status_error(s->tui, "Top-up refused: %s", err);
		return;
	} else {
		return;
	}
	/* Show the customer's wallet as it is now, and their new balance in the list. */
	open_wallet(ws, ws->topup_user);
	request_find(ws);
}

/* Keys while a prompt is open: the field's, or y/n. */
static int
prompt_key(struct wallets_screen *ws, const struct tui_key *key)
{
	if (ws->prompt == PROMPT_CONFIRM) {
		if (key_is_char(key, L'y') || key_is_char(key, L'Y')) {
			send_topup(ws);
			return SR_HANDLED | SR_REDRAW;
		}
		if (key_is_char(key, L'n') || key_is_char(key, L'N') || key_is_char(key, TUI_KEY_ESC)) {
			end_topup(ws, "Top-up cancelled: nothing was changed.");
			return SR_HANDLED | SR_REDRAW;
		}
		return key->is_code ? SR_IGNORED : SR_HANDLED;
	}
	switch (line_edit_key(&ws->edit, key)) {
	case LINE_EDIT_ACCEPT:
		return field_accepted(ws);
	case LINE_EDIT_CANCEL:
		if (ws->prompt == PROMPT_SEARCH) {
			ws->prompt = PROMPT_NONE;
			ws->notice[0] = '\0';
		} else {
			end_topup(ws, "Top-up cancelled: nothing was changed.");
		}
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(ws->base.tui, &ws->edit);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	/* F-keys and the like fall through to the manager (F10, F1). */
	return SR_IGNORED;
}

/* Scroll *TOP by DELTA rows over COUNT, never past the last screenful. */
static void
scroll_rows(size_t *top, size_t count, int visible, long delta)
{
	long last = (long)count - visible;
	long t = (long)*top + delta;

	if (t > last)
		t = last;
	if (t < 0)
		t = 0;
	*top = (size_t)t;
}

/* Move *SELECTED by DELTA over COUNT rows, stopping at either end. */
static void
move_selection(size_t *selected, size_t count, long delta)
{
	if (count == 0)
		*selected = 0;
	else if (delta < 0 && (size_t)-delta > *selected)
		*selected = 0;
	else if (delta > 0 && *selected + (size_t)delta >= count)
		*selected = count - 1;
	else
		*selected = (size_t)((long)*selected + delta);
}

/* Scroll *TOP so that row SELECTED is among the VISIBLE rows shown. */
static void
keep_in_view(size_t selected, size_t *top, int visible)
{
	if (selected < *top)
		*top = selected;
	if (selected >= *top + (size_t)visible)
		*top = selected - (size_t)visible + 1;
}

/* Up/Down/PgUp/PgDn/Home/End: the selection in the results and the
 * audit log, the scroll position in the ledger. */
static int
list_key(struct wallets_screen *ws, const struct tui_key *key)
{
	long page = ws->visible > 1 ? ws->visible - 1 : 1, delta;

	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		delta = -1;
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		delta = 1;
	else if (key_is_code(key, KEY_PPAGE))
		delta = -page;
	else if (key_is_code(key, KEY_NPAGE) || key_is_char(key, L' '))
		delta = page;
	else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g'))
		delta = -(LONG_MAX / 2);
	else if (key_is_code(key, KEY_END) || key_is_char(key, L'G'))
		delta = LONG_MAX / 2;
	else
		return SR_IGNORED;
	if (ws->view == VIEW_RESULTS)
		move_selection(&ws->selected, ws->found.count, delta);
	else if (ws->view == VIEW_WALLET)
		scroll_rows(&ws->ledger_top, ws->ledger.count, ws->visible, delta);
	else
		move_selection(&ws->audit_selected, ws->audit.count, delta);
	return SR_HANDLED | SR_REDRAW;
}

static int
wallets_handle_key(struct screen *s, const struct tui_key *key)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;

	if (ws->prompt != PROMPT_NONE)
		return prompt_key(ws, key);
	ws->notice[0] = '\0';
	if (key_is_char(key, L'/')) {
		start_search(ws);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L't')) {
		if (ws->view != VIEW_AUDIT)
			start_topup(ws);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'o')) {
		start_phone_order(ws);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'A')) {
		show_audit(ws);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'r')) {
		wallets_reload(s);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, TUI_KEY_ESC) || key_is_code(key, KEY_LEFT)) {
		if (ws->view == VIEW_RESULTS)
			return SR_IGNORED;
		go_back(ws);
		return SR_HANDLED | SR_REDRAW;
	}
	if (ws->view == VIEW_RESULTS && (key_is_enter(key) || key_is_code(key, KEY_RIGHT))) {
		open_selected(ws);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_MOUSE)) {
		size_t row;

		/* Both lists start on the same body row. */
		if (ws->view == VIEW_WALLET || key->y < RESULTS_TOP || key->y >= RESULTS_TOP + ws->visible)
			return SR_HANDLED;
		if (ws->view == VIEW_AUDIT) {
			row = ws->audit_top + (size_t)(key->y - AUDIT_TOP);
			if (row < ws->audit.count)
				ws->audit_selected = row;
			return SR_HANDLED | SR_REDRAW;
		}
		row = ws->top + (size_t)(key->y - RESULTS_TOP);
		if (row >= ws->found.count)
			return SR_HANDLED;
		if (row == ws->selected)
			open_selected(ws);
		ws->selected = row;
		return SR_HANDLED | SR_REDRAW;
	}
	return list_key(ws, key);
}

/* US (microseconds since the epoch) as the local date, WITH_TIME to the
 * minute, or "?". */
static void
format_time(int64_t us, bool with_time, char *buf, size_t len)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	size_t n = 0;

	if (us > 0 && localtime_r(&t, &tm) != NULL)
		n = with_time ? strftime(buf, len, "%Y-%m-%d %H:%M", &tm) : strftime(buf, len, "%Y-%m-%d", &tm);
	if (n == 0)
		snprintf(buf, len, "?");
}

/* "+25.00", "-5.00", "0.00". */
static void
format_signed(int64_t cents, char *buf, size_t len)
{
	char amount[MONEY_FORMAT_MAX];

	money_format(cents, amount, sizeof amount);
	snprintf(buf, len, "%s%s", cents > 0 ? "+" : "", amount);
}

/* A row of N column titles at Y, one blank apart, starting at column 1. */
static void
draw_columns(WINDOW *win, int y, int w, const char *const *titles, const int *widths,
             const int *flags, int n)
{
	int x = 1;

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, y, 0, ' ', w);
	for (int i = 0; i < n && x < w; i++) {
		text_draw(win, y, x, widths[i], titles[i], flags[i]);
		x += widths[i] + 1;
	}
	wattrset(win, A_NORMAL);
}

/* The customers found: e-mail, name, staff, balance, orders, since. */
static void
draw_results(struct wallets_screen *ws, WINDOW *win, int h, int w)
{
	int fixed = 1 + STAFF_W + 1 + MONEY_W + 1 + ORDERS_W + 1 + DAY_W + 1;
	int email_w = (w - fixed - 2) * 6 / 10, name_w = w - fixed - 2 - email_w;
	const char *titles[] = { "E-mail", "Name", "Staff", "Balance", "Orders", "Since" };
	const int widths[] = { email_w, name_w, STAFF_W, MONEY_W, ORDERS_W, DAY_W };
	const int flags[] = { TEXT_LEFT, TEXT_LEFT, TEXT_LEFT, TEXT_RIGHT, TEXT_RIGHT, TEXT_LEFT };
	char line[200];

	if (ws->query == NULL)
		snprintf(line, sizeof line, "Press / to find a customer by e-mail or name.");
	else if (!ws->have_found)
		snprintf(line, sizeof line, "Finding \"%s\"%s", ws->query, text_glyph("\u2026", "..."));
	else
		snprintf(line, sizeof line, "Customers whose e-mail or name contains \"%s\": %zu",
		         ws->query, ws->found.count);
	wattrset(win, A_BOLD);
	text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	draw_columns(win, 1, w, titles, widths, flags, 6);

	ws->visible = h - RESULTS_TOP - 1 > 0 ? h - RESULTS_TOP - 1 : 1;
	if (ws->have_found && ws->found.count == 0) {
		text_draw(win, RESULTS_TOP + 1, 2, w - 4, "No customer matches.", TEXT_LEFT);
		return;
	}
	keep_in_view(ws->selected, &ws->top, ws->visible);
	for (int row = 0; row < ws->visible && ws->top + (size_t)row < ws->found.count; row++) {
		size_t i = ws->top + (size_t)row;
		const struct db_customer *c = &ws->found.items[i];
		char balance[MONEY_FORMAT_MAX], orders[24], since[32];
		int y = RESULTS_TOP + row, x = 1;

		money_format(c->balance_cents, balance, sizeof balance);
		snprintf(orders, sizeof orders, "%lld", (long long)c->orders);
		format_time(c->created_us, false, since, sizeof since);
		wattrset(win, i == ws->selected ? crt_attr(COLOR_SELECTED) : A_NORMAL);
		mvwhline(win, y, 0, ' ', w);
		x += text_draw(win, y, x, email_w, c->email, TEXT_PAD) + 1;
		x += text_draw(win, y, x, name_w, c->display_name ? c->display_name : "", TEXT_PAD) + 1;
		x += text_draw(win, y, x, STAFF_W, c->is_staff ? "staff" : "", TEXT_PAD) + 1;
		if (i != ws->selected)
			wattrset(win, crt_attr(COLOR_PRICE));
		x += text_draw(win, y, x, MONEY_W, balance, TEXT_RIGHT | TEXT_PAD) + 1;
		if (i != ws->selected)
			wattrset(win, A_NORMAL);
		x += text_draw(win, y, x, ORDERS_W, orders, TEXT_RIGHT | TEXT_PAD) + 1;
		text_draw(win, y, x, DAY_W, since, TEXT_LEFT);
	}
	wattrset(win, A_NORMAL);
}

/* One customer: who, the balance in bold, then the movements. */
static void
draw_wallet(struct wallets_screen *ws, WINDOW *win, int h, int w)
{
	int by_w = w >= 100 ? 28 : 17;
	int reason_w = w - (1 + DATE_W + 1 + MONEY_W + 1 + MONEY_W + 1 + by_w + 1);
	const char *titles[] = { "Date", "Amount", "After", "Reason", "By / order" };
	const int widths[] = { DATE_W, MONEY_W, MONEY_W, reason_w, by_w };
	const int flags[] = { TEXT_LEFT, TEXT_RIGHT, TEXT_RIGHT, TEXT_LEFT, TEXT_LEFT };
	char line[400], amount[MONEY_FORMAT_MAX], since[32];
	const char *dots = text_glyph("\u2026", "...");
	int x;

	if (!ws->have_head) {
		text_draw(win, 0, 1, w - 2, dots, TEXT_LEFT);
	} else {
		format_time(ws->head.created_us, false, since, sizeof since);
		snprintf(line, sizeof line, "%s%s%s%s  %s since %s, %lld order%s", ws->head.email,
		         ws->head.display_name ? " (" : "", ws->head.display_name ? ws->head.display_name : "",
		         ws->head.display_name ? ")" : "", ws->head.is_staff ? "staff" : "customer",
		         since, (long long)ws->head.orders, ws->head.orders == 1 ? "" : "s");
		wattrset(win, A_BOLD);
		text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
		x = 1 + text_draw(win, 1, 1, w - 2, "Balance", TEXT_LEFT) + 2;
		money_format(ws->head.balance_cents, amount, sizeof amount);
		wattrset(win, crt_attr(ws->head.balance_cents < 0 ? COLOR_SOLD_OUT : COLOR_PRICE) | A_BOLD);
		x += text_draw(win, 1, x, w - x - 1, amount, TEXT_LEFT) + 2;
		wattrset(win, A_NORMAL);
		if (tui_readonly(ws->base.tui))
			text_draw(win, 1, x, w - x - 1, "(read-only: no top-ups)", TEXT_LEFT);
		else
			text_draw(win, 1, x, w - x - 1, "(t: top up)", TEXT_LEFT);
		snprintf(line, sizeof line, "%lld movement%s%s", (long long)ws->head.ledger_entries,
		         ws->head.ledger_entries == 1 ? "" : "s",
		         ws->head.ledger_entries > LEDGER_LIMIT ? "; the latest 200 below" : "");
		text_draw(win, 2, 1, w - 2, line, TEXT_LEFT);
	}
	draw_columns(win, WALLET_TOP - 1, w, titles, widths, flags, 5);

	ws->visible = h - WALLET_TOP - 1 > 0 ? h - WALLET_TOP - 1 : 1;
	if (ws->ledger.count == 0) {
		text_draw(win, WALLET_TOP + 1, 2, w - 4, ws->have_ledger ? "No movements yet." : "",
		          TEXT_LEFT);
		return;
	}
	if (ws->ledger.count >= (size_t)ws->visible &&
	    ws->ledger_top + (size_t)ws->visible > ws->ledger.count)
		ws->ledger_top = ws->ledger.count - (size_t)ws->visible;
	for (int row = 0; row < ws->visible && ws->ledger_top + (size_t)row < ws->ledger.count; row++) {
		const struct db_staff_ledger_entry *e = &ws->ledger.items[ws->ledger_top + (size_t)row];
		char when[32], signed_amount[MONEY_FORMAT_MAX + 1], after[MONEY_FORMAT_MAX], by[64];
		int y = WALLET_TOP + row;

		x = 1;
		format_time(e->created_us, true, when, sizeof when);
		format_signed(e->amount_cents, signed_amount, sizeof signed_amount);
		money_format(e->balance_after_cents, after, sizeof after);
		if (e->created_by_email != NULL)
			snprintf(by, sizeof by, "%s", e->created_by_email);
		else if (e->order_reference != NULL)
			snprintf(by, sizeof by, "order %s", e->order_reference);
		else
			by[0] = '\0';
		x += text_draw(win, y, x, DATE_W, when, TEXT_PAD) + 1;
		wattrset(win, crt_attr(e->amount_cents < 0 ? COLOR_SOLD_OUT : COLOR_PRICE));
		x += text_draw(win, y, x, MONEY_W, signed_amount, TEXT_RIGHT | TEXT_PAD) + 1;
		wattrset(win, A_NORMAL);
		x += text_draw(win, y, x, MONEY_W, after, TEXT_RIGHT | TEXT_PAD) + 1;
		x += text_draw(win, y, x, reason_w, e->reason, TEXT_PAD) + 1;
		text_draw(win, y, x, by_w, by, TEXT_LEFT);
	}
}

/* The audit log: when, who, what, about what; the selected action in
 * full below the list. */
static void
draw_audit(struct wallets_screen *ws, WINDOW *win, int h, int w)
{
	int who_w = w >= 100 ? 28 : 17, action_w = ACTION_MIN_W, what_w;
	const char *titles[] = { "When", "Who", "Action", "About" };
	const int flags[] = { TEXT_LEFT, TEXT_LEFT, TEXT_LEFT, TEXT_LEFT };
	const struct db_audit_entry *sel;
	char line[160], *text;

	for (size_t i = 0; i < ws->audit.count; i++) {
		int n = (int)strlen(ws->audit.items[i].action);

		if (n > action_w)
			action_w = n < ACTION_MAX_W ? n : ACTION_MAX_W;
	}
	what_w = w - (1 + DATE_W + 1 + who_w + 1 + action_w + 1 + 1);
	snprintf(line, sizeof line, "Audit log: the latest %d actions, newest first", AUDIT_LIMIT);
	wattrset(win, A_BOLD);
	text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	{
		const int widths[] = { DATE_W, who_w, action_w, what_w };

		draw_columns(win, 1, w, titles, widths, flags, 4);
	}

	ws->visible = h - AUDIT_TOP - AUDIT_DETAIL_ROWS - 1 > 0 ? h - AUDIT_TOP - AUDIT_DETAIL_ROWS - 1 : 1;
	if (ws->audit.count == 0) {
		text_draw(win, AUDIT_TOP + 1, 2, w - 4,
		          ws->have_audit ? "Nothing on record yet." : text_glyph("\u2026", "..."), TEXT_LEFT);
		return;
	}
	keep_in_view(ws->audit_selected, &ws->audit_top, ws->visible);
	for (int row = 0; row < ws->visible && ws->audit_top + (size_t)row < ws->audit.count; row++) {
		size_t i = ws->audit_top + (size_t)row;
		const struct db_audit_entry *a = &ws->audit.items[i];
		const char *subject = a->subject ? a->subject : a->entity_id ? a->entity_id : a->entity;
		int y = AUDIT_TOP + row, x = 1;
		char when[32];

		format_time(a->at_us, true, when, sizeof when);
		text = xasprintf("%s%s%s", subject, a->summary ? "  " : "", a->summary ? a->summary : "");
		wattrset(win, i == ws->audit_selected ? crt_attr(COLOR_SELECTED) : A_NORMAL);
		mvwhline(win, y, 0, ' ', w);
		x += text_draw(win, y, x, DATE_W, when, TEXT_PAD) + 1;
		x += text_draw(win, y, x, who_w, a->actor_email ? a->actor_email : "(the shop)", TEXT_PAD) + 1;
		if (i != ws->audit_selected)
			wattrset(win, crt_attr(COLOR_CATEGORY));
		x += text_draw(win, y, x, action_w, a->action, TEXT_PAD) + 1;
		if (i != ws->audit_selected)
			wattrset(win, A_NORMAL);
		text_draw(win, y, x, what_w, text, TEXT_LEFT);
		free(text);
	}
	wattrset(win, A_NORMAL);

	/* The selected action, uncut where the list had to cut it. */
	sel = &ws->audit.items[ws->audit_selected];
	mvwhline(win, h - AUDIT_DETAIL_ROWS - 1, 0, ACS_HLINE, w);
	text = xasprintf("%s %s %s", sel->action, sel->entity, sel->subject ? sel->subject
	                 : sel->entity_id ? sel->entity_id : "");
	wattrset(win, A_BOLD);
	text_draw(win, h - AUDIT_DETAIL_ROWS, 1, w - 2, text, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(text);
	text_draw(win, h - AUDIT_DETAIL_ROWS + 1, 1, w - 2, sel->summary ? sel->summary : sel->details,
	          TEXT_LEFT);
}

static void
wallets_draw(struct screen *s, WINDOW *win)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);

	switch (ws->view) {
	case VIEW_RESULTS:
		draw_results(ws, win, h, w);
		break;
	case VIEW_WALLET:
		draw_wallet(ws, win, h, w);
		break;
	case VIEW_AUDIT:
		draw_audit(ws, win, h, w);
		break;
	}
	if (ws->notice[0] != '\0') {
		wattrset(win, crt_attr(COLOR_ERROR));
		text_draw(win, h - 1, 0, w, ws->notice, TEXT_PAD);
		wattrset(win, A_NORMAL);
	}
}

/* The search line, the top-up's fields, or its y/n question. */
static bool
wallets_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct wallets_screen *ws = (struct wallets_screen *)s;
	char label[160], amount[MONEY_FORMAT_MAX];
	int lw;

	switch (ws->prompt) {
	case PROMPT_NONE:
		return false;
	case PROMPT_SEARCH:
		snprintf(label, sizeof label, "Find (e-mail or name): ");
		break;
	case PROMPT_AMOUNT:
		snprintf(label, sizeof label, "Top up %s by: ", ws->topup_email);
		break;
	case PROMPT_REASON:
		money_format(ws->topup_cents, amount, sizeof amount);
		snprintf(label, sizeof label, "Reason for %s: ", amount);
		break;
	case PROMPT_CONFIRM: {
		char *question;

		money_format(ws->topup_cents, amount, sizeof amount);
		question = xasprintf("Top up %s by %s (%s", ws->topup_email, amount, ws->topup_reason);
		wattrset(win, crt_attr(COLOR_PROMPT));
		mvwhline(win, 0, 0, ' ', width);
		/* The reason gives way, so the question always ends in y/n. */
		lw = text_draw(win, 0, 0, width - 7, question, TEXT_LEFT);
		text_draw(win, 0, lw, width - lw, ")? y/n", TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(question);
		return true;
	}
	}
	wattrset(win, crt_attr(COLOR_PROMPT));
	lw = text_draw(win, 0, 0, width / 2, label, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(&ws->edit, win, 0, lw, width - lw);
	return true;
}

static const struct screen_key *
wallets_keys(const struct screen *s)
{
	const struct wallets_screen *ws = (const struct wallets_screen *)s;

	switch (ws->prompt) {
	case PROMPT_CONFIRM:
		return confirm_keys;
	case PROMPT_SEARCH:
	case PROMPT_AMOUNT:
	case PROMPT_REASON:
		return field_keys;
	case PROMPT_NONE:
		break;
	}
	switch (ws->view) {
	case VIEW_WALLET:
		return wallet_keys;
	case VIEW_AUDIT:
		return audit_keys;
	case VIEW_RESULTS:
		break;
	}
	return results_keys;
}
