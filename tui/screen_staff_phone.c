/* The console's phone order: a customer calls, staff put the order
 * together and place it for them (api_staff_checkout_for), paid from the
 * customer's wallet or by bank transfer. Opened from Wallets (o) on the
 * customer found there; Esc goes back.
 *
 * The product list is the catalog (db_catalog_keyset_request, / finds);
 * + and - set quantities, p sets a promo, m switches the payment method,
 * Enter asks y/n and places the order. One idempotency key per order put
 * together: an answer lost on the way is replayed by the manager with
 * the same key, and Enter after "no answer" sends the same key again, so
 * the order cannot be placed twice; any change to the order makes a new
 * key. --readonly refuses to place, before any call. */
#include "config.h"

#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/checkout.h"
#include "core/money.h"
#include "core/promo.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/screens.h"
#include "tui/staff_order_detail.h"
#include "tui/text.h"

/* The catalog rows fetched per search (api_catalog_page's largest page). */
#define PHONE_CATALOG_LIMIT 500
/* Different products on one order, and each one's quantity: the checkout
 * refuses more anyway (0010's caps); the screen says so first. */
#define PHONE_LINES_MAX 20
#define PHONE_QTY_MAX 20
#define SEARCH_MAX 60
#define PRICE_W 10
#define STOCK_W 6
#define QTY_W 4

enum phone_call {
	CALL_CATALOG = 1,
	CALL_PLACE,
	CALL_REFERENCE,
};

enum phone_prompt {
	PROMPT_NONE,
	PROMPT_SEARCH,
	PROMPT_PROMO,
	PROMPT_CONFIRM,
};

/* A product on the order being put together. */
struct phone_line {
	char product_id[DB_UUID_SIZE];
	char *name;
	int64_t price_cents;
	int qty;
};

struct phone_screen {
	struct screen base;          /* first: the manager sees a struct screen */
	unsigned generation;         /* bumped by open and forget: older answers are dropped */
	char *customer;              /* e-mail of the customer on the phone; NULL: none */
	struct catalog_page catalog; /* owned */
	bool loaded, failed, loading;
	char *search;                /* NULL: every product */
	size_t selected, top;
	int visible;
	struct phone_line lines[PHONE_LINES_MAX];
	size_t nlines;
	char promo[PROMO_CODE_BUF_SIZE]; /* canonical; "" none */
	enum checkout_method method;
	enum phone_prompt prompt;
	struct line_edit edit;
	char key[UUID_BUF_SIZE];     /* the idempotency key of the order as it stands; "" none yet */
	bool placing;
	char result[300];            /* the last outcome, in the body's last row */
	bool result_is_error;
	char placed_id[DB_UUID_SIZE];
	int64_t placed_total_cents;
};

extern const struct screen_ops screen_staff_phone_ops;

static const struct screen_key phone_keys_list[] = {
	{ "+/-", "Qty", "One more / one less of the selected product (also Right/Left)", true },
	{ "Enter", "Place", "Place the order for the customer (asks first)", true },
	{ "Esc", "Back", "Back to the customer's wallet", true },
	{ "/", "", "Find products by name", false },
	{ "p", "", "Set or clear a promo code", false },
	{ "m", "", "Switch the payment: wallet or bank transfer", false },
	{ "Up/Down", "", "Move the selection (also k/j)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key edit_keys_list[] = {
	{ "Enter", "OK", "Use this text", true },
	{ "Esc", "Cancel", "Leave it as it was", true },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key confirm_keys_list[] = {
	{ "y", "Yes", "Place the order", true },
	{ "n", "No", "Do not place it (also Esc)", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *phone_create(struct tui *tui);
static void phone_destroy(struct screen *s);
static void phone_draw(struct screen *s, WINDOW *win);
static bool phone_draw_prompt(struct screen *s, WINDOW *win, int width);
static int phone_handle_key(struct screen *s, const struct tui_key *key);
static void phone_reload(struct screen *s);
static const struct screen_key *phone_keys(const struct screen *s);
static void phone_forget(struct screen *s);
static void done_cb(struct screen *s, int tag, struct db_request *req);
static void clear_lines(struct phone_screen *ps);
static void load_catalog(struct phone_screen *ps);
static void catalog_done(struct phone_screen *ps, struct db_request *req);
static struct phone_line *line_of(struct phone_screen *ps, const char *product_id);
static void change_qty(struct phone_screen *ps, int delta);
static void order_changed(struct phone_screen *ps);
static void order_totals(const struct phone_screen *ps, int *items, int64_t *cents);
static void ask_confirm(struct phone_screen *ps);
static void place(struct phone_screen *ps);
static void place_done(struct phone_screen *ps, struct db_request *req);
static void reference_done(struct phone_screen *ps, struct db_request *req);
static int prompt_key(struct phone_screen *ps, const struct tui_key *key);
static void set_result(struct phone_screen *ps, bool is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const struct screen_ops screen_staff_phone_ops = {
	.name = "phone",
	.title = "Phone order",
	.create = phone_create,
	.destroy = phone_destroy,
	.draw = phone_draw,
	.draw_prompt = phone_draw_prompt,
	.handle_key = phone_handle_key,
	.reload = phone_reload,
	.keys = phone_keys,
	.forget = phone_forget,
	.needs_login = true,
};

static struct screen *
phone_create(struct tui *tui)
{
	struct phone_screen *ps = xcalloc(1, sizeof *ps);

	ps->base.ops = &screen_staff_phone_ops;
	ps->base.tui = tui;
	ps->visible = 1;
	ps->method = CHECKOUT_WALLET;
	return &ps->base;
}

static void
phone_destroy(struct screen *s)
{
	phone_forget(s);
	free(s);
}

static void
clear_lines(struct phone_screen *ps)
{
	for (size_t i = 0; i < ps->nlines; i++)
		free(ps->lines[i].name);
	memset(ps->lines, 0, sizeof ps->lines);
	ps->nlines = 0;
}

/* Log-out: the customer, the order and the typed text go. */
static void
phone_forget(struct screen *s)
{
	struct phone_screen *ps = (struct phone_screen *)s;

	clear_lines(ps);
	catalog_page_free(&ps->catalog);
	memset(&ps->catalog, 0, sizeof ps->catalog);
	free(ps->customer);
	free(ps->search);
	ps->customer = ps->search = NULL;
	line_edit_wipe(&ps->edit);
	ps->promo[0] = ps->key[0] = ps->placed_id[0] = ps->result[0] = '\0';
	ps->prompt = PROMPT_NONE;
	ps->loaded = ps->failed = ps->loading = ps->placing = false;
	ps->selected = ps->top = 0;
	ps->method = CHECKOUT_WALLET;
	ps->generation++;
}

void
staff_phone_open(struct tui *tui, const char *customer_email)
{
	struct phone_screen *ps = (struct phone_screen *)tui_screen(tui, "phone");

	if (ps == NULL)
		return;
	if (ps->customer == NULL || strcmp(ps->customer, customer_email) != 0) {
		/* Another caller: a fresh order. */
		phone_forget(&ps->base);
		ps->customer = xstrdup(customer_email);
	}
	tui_show(tui, "phone");
}

/* Shown, and F5: read the products again (quantities stay). */
static void
phone_reload(struct screen *s)
{
	load_catalog((struct phone_screen *)s);
}

static void
load_catalog(struct phone_screen *ps)
{
	struct db_request req;

	if (ps->loading || tui_token(ps->base.tui) == NULL)
		return;
	db_catalog_keyset_request(&req, ps->search, NULL, NULL, PHONE_CATALOG_LIMIT);
	ps->loading = true;
	tui_call(ps->base.tui, &ps->base, staff_tag(ps->generation, CALL_CATALOG), &req,
	         TUI_CALL_REPLAY_SAFE, "Reading the products", done_cb);
}

static void
done_cb(struct screen *s, int tag, struct db_request *req)
{
	struct phone_screen *ps = (struct phone_screen *)s;

	if (!staff_tag_current(tag, ps->generation))
		return;
	switch (staff_tag_kind(tag)) {
	case CALL_CATALOG:
		catalog_done(ps, req);
		break;
	case CALL_PLACE:
		place_done(ps, req);
		break;
	case CALL_REFERENCE:
		reference_done(ps, req);
		break;
	default:
		break;
	}
}

static void
catalog_done(struct phone_screen *ps, struct db_request *req)
{
	struct catalog_page page;
	char err[256];
	bz_err rc = db_catalog_keyset_result(req, &page, err, sizeof err);

	ps->loading = false;
	if (rc != BZ_OK) {
		ps->failed = !ps->loaded;
		if (rc != BZ_ERR_AUTH)
			tui_status_error(ps->base.tui, "The products could not be read: %s", err);
		return;
	}
	catalog_page_free(&ps->catalog);
	ps->catalog = page;
	ps->loaded = true;
	ps->failed = false;
	if (ps->selected >= page.count)
		ps->selected = page.count ? page.count - 1 : 0;
}

static struct phone_line *
line_of(struct phone_screen *ps, const char *product_id)
{
	for (size_t i = 0; i < ps->nlines; i++)
		if (strcmp(ps->lines[i].product_id, product_id) == 0)
			return &ps->lines[i];
	return NULL;
}

/* The order changed: the next placing is another order, with a new key;
 * the last outcome no longer describes what is on the screen. */
static void
order_changed(struct phone_screen *ps)
{
	ps->key[0] = '\0';
	ps->result[0] = '\0';
}

/* + or -: one more or one less of the selected product. */
static void
change_qty(struct phone_screen *ps, int delta)
{
	const struct catalog_item *it;
	struct phone_line *l;

	if (ps->placing) {
		tui_status_error(ps->base.tui, "The order is on its way: wait for its answer first.");
		return;
	}
	if (ps->selected >= ps->catalog.count)
		return;
	it = &ps->catalog.items[ps->selected];
	l = line_of(ps, it->id);
	if (l == NULL) {
		if (delta < 0)
			return;
		if (ps->nlines == PHONE_LINES_MAX) {
			tui_status_error(ps->base.tui, "At most %d different products on one order.",
			                 PHONE_LINES_MAX);
			return;
		}
		l = &ps->lines[ps->nlines++];
		memcpy(l->product_id, it->id, DB_UUID_SIZE);
		l->name = xstrdup(it->name);
		l->price_cents = it->price_cents;
	}
	if (l->qty + delta > PHONE_QTY_MAX) {
		tui_status_error(ps->base.tui, "At most %d of one product on one order.", PHONE_QTY_MAX);
		return;
	}
	if (delta > 0 && l->qty + delta > it->stock)
		tui_status(ps->base.tui, "Only %lld of %s in stock: the order would be refused.",
		           (long long)it->stock, it->name);
	l->qty += delta;
	if (l->qty <= 0) {
		/* Keep the lines packed. */
		free(l->name);
		*l = ps->lines[--ps->nlines];
		memset(&ps->lines[ps->nlines], 0, sizeof ps->lines[ps->nlines]);
	}
	order_changed(ps);
}

static void
order_totals(const struct phone_screen *ps, int *items, int64_t *cents)
{
	*items = 0;
	*cents = 0;
	for (size_t i = 0; i < ps->nlines; i++) {
		*items += ps->lines[i].qty;
		*cents += ps->lines[i].price_cents * ps->lines[i].qty;
	}
}

/* Enter: refusals first (before any call), then the y/n. */
static void
ask_confirm(struct phone_screen *ps)
{
	struct tui *tui = ps->base.tui;

	if (tui_readonly(tui)) {
		tui_status_error(tui, "Read-only console: placing orders is not allowed here.");
		return;
	}
	if (ps->customer == NULL) {
		tui_status_error(tui, "No customer: open a wallet on F4, then o starts a phone order.");
		return;
	}
	if (ps->placing) {
		tui_status(tui, "The order is on its way already.");
		return;
	}
	if (ps->nlines == 0) {
		tui_status_error(tui, "The order is empty: + adds the selected product.");
		return;
	}
	ps->prompt = PROMPT_CONFIRM;
}

/* y: send the order under its key (a new one unless this same order's
 * answer was lost). */
static void
place(struct phone_screen *ps)
{
	struct tui *tui = ps->base.tui;
	const char *ids[PHONE_LINES_MAX];
	int qty[PHONE_LINES_MAX];
	uint8_t rnd[16];
	struct db_request req;

	if (tui_readonly(tui) || tui_token(tui) == NULL || ps->customer == NULL)
		return;
	if (ps->key[0] == '\0') {
		if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
			set_result(ps, true, "This terminal has no randomness for an order key; nothing was sent.");
			return;
		}
		uuid_v4_format(rnd, ps->key);
	}
	for (size_t i = 0; i < ps->nlines; i++) {
		ids[i] = ps->lines[i].product_id;
		qty[i] = ps->lines[i].qty;
	}
	db_staff_checkout_for_request(&req, tui_token(tui), ps->customer, ps->key, ids, qty, ps->nlines,
	                              ps->promo[0] ? ps->promo : NULL, checkout_method_name(ps->method));
	ps->placing = true;
	ps->placed_id[0] = '\0';
	/* Replayed after a lost connection: the key makes a second run return
	 * the first one's order. */
	tui_call(tui, &ps->base, staff_tag(ps->generation, CALL_PLACE), &req, TUI_CALL_REPLAY_SAFE,
	         "Placing the phone order", done_cb);
}

static void
place_done(struct phone_screen *ps, struct db_request *req)
{
	struct tui *tui = ps->base.tui;
	struct db_checkout out;
	char err[256], money[MONEY_FORMAT_MAX], balance[MONEY_FORMAT_MAX];
	bz_err rc = db_checkout_result(req, &out, err, sizeof err);
	struct db_request next;
	const char *id;

	ps->placing = false;
	switch (rc) {
	case BZ_OK:
		money_format(out.total_cents, money, sizeof money);
		money_format(out.balance_cents, balance, sizeof balance);
		if (ps->method == CHECKOUT_WALLET)
			set_result(ps, false, "Placed %.8s for %s: %s from the wallet (balance %s).",
			           out.order_id, ps->customer, money, balance);
		else
			set_result(ps, false, "Placed %.8s for %s: %s, awaiting the transfer.", out.order_id,
			           ps->customer, money);
		memcpy(ps->placed_id, out.order_id, DB_UUID_SIZE);
		ps->placed_total_cents = out.total_cents;
		clear_lines(ps);
		ps->promo[0] = ps->key[0] = '\0';
		/* The reference the customer must write on the transfer. */
		id = ps->placed_id;
		if (ps->method == CHECKOUT_BANK_TRANSFER && tui_token(tui) != NULL) {
			db_staff_payment_references_request(&next, tui_token(tui), &id, 1);
			tui_call(tui, &ps->base, staff_tag(ps->generation, CALL_REFERENCE), &next,
			         TUI_CALL_REPLAY_SAFE, "Reading the payment reference", done_cb);
		}
		break;
	case BZ_ERR_OUT_OF_STOCK:
	case BZ_ERR_PROMO_UNAVAILABLE:
	case BZ_ERR_INSUFFICIENT_FUNDS:
	case BZ_ERR_LIMIT_REACHED:
	case BZ_ERR_CART_CHANGED:
	case BZ_ERR_INVALID_INPUT:
	case BZ_ERR_NOT_FOUND:
	case BZ_ERR_IDEMPOTENCY_MISMATCH:
		/* A refusal is stored under the key: the next try is a new order. */
		set_result(ps, true, "Not placed: %s", err);
		ps->key[0] = '\0';
		break;
	case BZ_ERR_AUTH:
		/* The manager logs in again; the order and its key stay. */
		break;
	default:
		set_result(ps, true, "No answer (%s). Enter sends the same order again; it cannot be "
		           "placed twice.", err);
		break;
	}
	db_checkout_free(&out);
}

static void
reference_done(struct phone_screen *ps, struct db_request *req)
{
	struct db_payment_references refs;
	char err[256];

	if (db_staff_payment_references_result(req, &refs, err, sizeof err) != BZ_OK)
		return;
	if (refs.count == 1 && strcmp(refs.items[0].order_id, ps->placed_id) == 0) {
		char money[MONEY_FORMAT_MAX];

		/* The reference first: it is what the customer must be told. */
		money_format(ps->placed_total_cents, money, sizeof money);
		set_result(ps, false, "Placed %s for %s: %s, awaiting the transfer.",
		           refs.items[0].payment_reference, ps->customer, money);
	}
	db_payment_references_free(&refs);
}

static void
set_result(struct phone_screen *ps, bool is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->result, sizeof ps->result, fmt, ap);
	va_end(ap);
	ps->result_is_error = is_error;
	if (is_error)
		tui_status_error(ps->base.tui, "%s", ps->result);
	else
		tui_status(ps->base.tui, "%s", ps->result);
}

/* Keys while a prompt is open. */
static int
prompt_key(struct phone_screen *ps, const struct tui_key *key)
{
	struct tui *tui = ps->base.tui;
	char *text, code[PROMO_CODE_BUF_SIZE], err[200];

	if (ps->prompt == PROMPT_CONFIRM) {
		if (key_is_char(key, L'y') || key_is_char(key, L'Y')) {
			ps->prompt = PROMPT_NONE;
			place(ps);
		} else if (key_is_char(key, L'n') || key_is_char(key, L'N') ||
		           key_is_char(key, TUI_KEY_ESC)) {
			ps->prompt = PROMPT_NONE;
			tui_status(tui, "Not placed.");
		}
		return key->is_code && !key_is_char(key, TUI_KEY_ESC) ? SR_IGNORED : SR_HANDLED | SR_REDRAW;
	}
	switch (line_edit_key(&ps->edit, key)) {
	case LINE_EDIT_ACCEPT:
		text = line_edit_text(&ps->edit);
		if (ps->prompt == PROMPT_SEARCH) {
			free(ps->search);
			ps->search = text[strspn(text, " ")] ? xstrdup(text) : NULL;
			ps->selected = ps->top = 0;
			load_catalog(ps);
		} else if (text[strspn(text, " ")] == '\0') {
			ps->promo[0] = '\0';
			order_changed(ps);
			tui_status(tui, "No promo on this order.");
		} else if (promo_code_normalize(text, code, err, sizeof err) != BZ_OK) {
			tui_status_error(tui, "Promo code: %s", err);
			free(text);
			return SR_HANDLED | SR_REDRAW;
		} else {
			snprintf(ps->promo, sizeof ps->promo, "%s", code);
			order_changed(ps);
			tui_status(tui, "Promo %s: the server checks it when the order is placed.", ps->promo);
		}
		free(text);
		ps->prompt = PROMPT_NONE;
		line_edit_wipe(&ps->edit);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		ps->prompt = PROMPT_NONE;
		line_edit_wipe(&ps->edit);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(ps->base.tui, &ps->edit);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	return key->is_code ? SR_IGNORED : SR_HANDLED;
}

static int
phone_handle_key(struct screen *s, const struct tui_key *key)
{
	struct phone_screen *ps = (struct phone_screen *)s;
	long target = (long)ps->selected;

	if (ps->prompt != PROMPT_NONE)
		return prompt_key(ps, key);
	if (key_is_char(key, TUI_KEY_ESC)) {
		tui_show(s->tui, "wallets");
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'+') || key_is_char(key, L'=') || key_is_code(key, KEY_RIGHT)) {
		change_qty(ps, 1);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'-') || key_is_code(key, KEY_LEFT)) {
		change_qty(ps, -1);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_enter(key)) {
		ask_confirm(ps);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'/') || key_is_char(key, L'p')) {
		ps->prompt = key_is_char(key, L'/') ? PROMPT_SEARCH : PROMPT_PROMO;
		ps->edit.max = ps->prompt == PROMPT_SEARCH ? SEARCH_MAX : PROMO_CODE_MAX;
		line_edit_set(&ps->edit, ps->prompt == PROMPT_SEARCH ? ps->search : ps->promo);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'm')) {
		if (ps->placing)
			return SR_HANDLED;
		ps->method = ps->method == CHECKOUT_WALLET ? CHECKOUT_BANK_TRANSFER : CHECKOUT_WALLET;
		order_changed(ps);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_MOUSE)) {
		/* Rows 0 and 1 are the order's head and the column titles. */
		size_t row = ps->top + (size_t)(key->y - 2);

		if (key->y >= 2 && row < ps->catalog.count)
			ps->selected = row;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		target--;
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		target++;
	else if (key_is_code(key, KEY_PPAGE))
		target -= ps->visible;
	else if (key_is_code(key, KEY_NPAGE))
		target += ps->visible;
	else if (key_is_code(key, KEY_HOME))
		target = 0;
	else if (key_is_code(key, KEY_END))
		target = (long)ps->catalog.count - 1;
	else
		return SR_IGNORED;
	if (target >= (long)ps->catalog.count)
		target = (long)ps->catalog.count - 1;
	ps->selected = target < 0 ? 0 : (size_t)target;
	return SR_HANDLED | SR_REDRAW;
}

static bool
phone_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct phone_screen *ps = (struct phone_screen *)s;
	char money[MONEY_FORMAT_MAX], *label;
	int items, lw;
	int64_t cents;

	if (ps->prompt == PROMPT_NONE)
		return false;
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	if (ps->prompt == PROMPT_CONFIRM) {
		order_totals(ps, &items, &cents);
		money_format(cents, money, sizeof money);
		label = xasprintf("Place for %s: %d item%s, %s%s%s, %s? y/n", ps->customer, items,
		                  items == 1 ? "" : "s", money, ps->promo[0] ? " before promo " : "",
		                  ps->promo, ps->method == CHECKOUT_WALLET ? "from the wallet" : "bank transfer");
		text_draw(win, 0, 0, width, label, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(label);
		return true;
	}
	lw = text_draw(win, 0, 0, width / 2,
	               ps->prompt == PROMPT_SEARCH ? "Find products: " : "Promo code (empty: none): ",
	               TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(&ps->edit, win, 0, lw, width - lw);
	return true;
}

static const struct screen_key *
phone_keys(const struct screen *s)
{
	const struct phone_screen *ps = (const struct phone_screen *)s;

	if (ps->prompt == PROMPT_CONFIRM)
		return confirm_keys_list;
	if (ps->prompt != PROMPT_NONE)
		return edit_keys_list;
	return phone_keys_list;
}

static void
phone_draw(struct screen *s, WINDOW *win)
{
	struct phone_screen *ps = (struct phone_screen *)s;
	int h = getmaxy(win), w = getmaxx(win), name_w, items;
	int64_t cents;
	char money[MONEY_FORMAT_MAX], *line;
	const char *dot = text_glyph("\u00b7", "-");

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	line = xasprintf("Phone order for %s %s pay by %s %s promo %s%s%s%s%s",
	                 ps->customer ? ps->customer : "(nobody: open a wallet on F4, then o)", dot,
	                 ps->method == CHECKOUT_WALLET ? "wallet" : "bank transfer", dot,
	                 ps->promo[0] ? ps->promo : "none", ps->search ? " " : "",
	                 ps->search ? dot : "", ps->search ? " find: " : "", ps->search ? ps->search : "");
	text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
	free(line);
	name_w = w - (1 + 1 + PRICE_W + 1 + STOCK_W + 1 + QTY_W + 1);
	mvwhline(win, 1, 0, ' ', w);
	text_draw(win, 1, 1, name_w, "Product", TEXT_PAD);
	text_draw(win, 1, 1 + name_w + 1, PRICE_W, "Price", TEXT_RIGHT);
	text_draw(win, 1, 1 + name_w + 1 + PRICE_W + 1, STOCK_W, "Stock", TEXT_RIGHT);
	text_draw(win, 1, 1 + name_w + 1 + PRICE_W + 1 + STOCK_W + 1, QTY_W, "Qty", TEXT_RIGHT);
	wattrset(win, A_NORMAL);

	/* Rows 2 .. h-2 list products; the last row sums up the order. */
	ps->visible = h - 3 > 1 ? h - 3 : 1;
	if (ps->catalog.count == 0) {
		text_draw(win, 3, 2, w - 4, ps->failed ? "The products could not be read; F5 tries again."
		                            : !ps->loaded ? "Reading the products..." : "No product matches.",
		          TEXT_LEFT);
	}
	if (ps->selected < ps->top)
		ps->top = ps->selected;
	if (ps->selected >= ps->top + (size_t)ps->visible)
		ps->top = ps->selected - (size_t)ps->visible + 1;
	for (int row = 0; row < ps->visible && ps->top + (size_t)row < ps->catalog.count; row++) {
		size_t i = ps->top + (size_t)row;
		const struct catalog_item *it = &ps->catalog.items[i];
		const struct phone_line *l = line_of(ps, it->id);
		bool sel = i == ps->selected;
		char stock[24], qty[24];
		int x = 1;

		money_format(it->price_cents, money, sizeof money);
		snprintf(stock, sizeof stock, "%lld", (long long)it->stock);
		snprintf(qty, sizeof qty, "%d", l ? l->qty : 0);
		wattrset(win, crt_attr(sel ? COLOR_SELECTED : COLOR_DEFAULT) | (l ? A_BOLD : 0));
		mvwhline(win, 2 + row, 0, ' ', w);
		x += text_draw(win, 2 + row, x, name_w, it->name, TEXT_PAD) + 1;
		x += text_draw(win, 2 + row, x, PRICE_W, money, TEXT_RIGHT | TEXT_PAD) + 1;
		if (!sel && it->stock == 0)
			wattrset(win, crt_attr(COLOR_SOLD_OUT));
		x += text_draw(win, 2 + row, x, STOCK_W, stock, TEXT_RIGHT | TEXT_PAD) + 1;
		wattrset(win, crt_attr(sel ? COLOR_SELECTED : COLOR_DEFAULT) | (l ? A_BOLD : 0));
		text_draw(win, 2 + row, x, QTY_W, l ? qty : "", TEXT_RIGHT | TEXT_PAD);
		wattrset(win, A_NORMAL);
	}

	order_totals(ps, &items, &cents);
	money_format(cents, money, sizeof money);
	if (ps->result[0] && ps->nlines == 0) {
		wattrset(win, crt_attr(ps->result_is_error ? COLOR_ERROR : COLOR_STATUS));
		text_draw(win, h - 1, 1, w - 2, ps->result, TEXT_LEFT);
	} else {
		line = ps->nlines ? xasprintf("On the order: %d item%s, %s before any promo %s Enter places it",
		                              items, items == 1 ? "" : "s", money, dot)
		                  : xstrdup("Nothing on the order yet: + adds the selected product.");
		wattrset(win, crt_attr(ps->result_is_error && ps->result[0] ? COLOR_ERROR : COLOR_STATUS));
		text_draw(win, h - 1, 1, w - 2, ps->result[0] ? ps->result : line, TEXT_LEFT);
		free(line);
	}
	wattrset(win, A_NORMAL);
}
