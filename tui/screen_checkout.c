/* The checkout screen: the cart as the server prices it, a promo code
 * field that calls the atomic validation (and holds one use), the payment
 * method (wallet with its balance, or bank transfer), and Pay. Pay itself
 * is checkout_pay.c; the shared state is in checkout_screen.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/money.h"
#include "core/promo.h"
#include "core/xalloc.h"
#include "tui/checkout_screen.h"
#include "tui/manager.h"
#include "tui/text.h"

/* Cart lines listed before "and N more". */
#define SHOWN_LINES_MAX 5

extern const struct screen_ops screen_checkout_ops;

static const struct screen_key promo_keys[] = {
	{ "Enter", "Apply", "Apply the promo code (empty: remove the applied one)", true },
	{ "Tab", "", "Next field: payment method, then Pay (also Down)", false },
	{ "Esc", "", "Back to the cart", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key method_keys[] = {
	{ "Space", "Switch", "Switch between wallet and bank transfer (also Left/Right, w, b)", true },
	{ "Tab", "", "Next field (also Down); Shift-Tab or Up goes back", false },
	{ "Esc", "", "Back to the cart", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key pay_keys[] = {
	{ "Enter", "Pay", "Place the order and pay", true },
	{ "Tab", "", "Back to the promo code (also Up)", false },
	{ "w/b", "", "Pay from the wallet / by bank transfer", false },
	{ "Esc", "", "Back to the cart; while paying: stop waiting (the payment is then checked)", false },
	{ NULL, NULL, NULL, false },
};

static struct screen *checkout_create(struct tui *tui);
static void checkout_destroy(struct screen *s);
static void checkout_draw(struct screen *s, WINDOW *win);
static int checkout_handle_key(struct screen *s, const struct tui_key *key);
static void checkout_reload(struct screen *s);
static const struct screen_key *checkout_keys(const struct screen *s);
static void checkout_forget(struct screen *s);
static bool checkout_tick(struct screen *s, int64_t now_ms);

static void on_cart(struct checkout_screen *cs, struct db_request *req);
static void on_promo(struct checkout_screen *cs, struct db_request *req);
static void promo_submit(struct checkout_screen *cs);
static void promo_release(struct checkout_screen *cs);
static int64_t total_cents(const struct checkout_screen *cs);
static int draw_summary(struct checkout_screen *cs, WINDOW *win, int y);
static int draw_promo(struct checkout_screen *cs, WINDOW *win, int y);
static int draw_method(struct checkout_screen *cs, WINDOW *win, int y);
static void draw_pay(struct checkout_screen *cs, WINDOW *win, int y);
static void draw_amount_row(WINDOW *win, int y, const char *label, int64_t cents, enum crt_color color);
static int64_t wall_us(void);

const struct screen_ops screen_checkout_ops = {
	.name = "checkout",
	.title = "Checkout",
	.create = checkout_create,
	.destroy = checkout_destroy,
	.draw = checkout_draw,
	.handle_key = checkout_handle_key,
	.reload = checkout_reload,
	.keys = checkout_keys,
	.forget = checkout_forget,
	.tick = checkout_tick,
	.needs_login = true,
};

/* Wall-clock microseconds: promo holds expire at a server timestamp. */
static int64_t
wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct screen *
checkout_create(struct tui *tui)
{
	struct checkout_screen *cs = xcalloc(1, sizeof *cs);

	cs->base.ops = &screen_checkout_ops;
	cs->base.tui = tui;
	cs->promo_edit.max = PROMO_CODE_MAX;
	guard_init(&cs->promo_guard, tui_submit_guard(tui));
	checkout_init(&cs->co, 0);
	cs->method = CHECKOUT_WALLET;
	cs->focus = FOCUS_PROMO;
	return &cs->base;
}

static void
checkout_destroy(struct screen *s)
{
	struct checkout_screen *cs = (struct checkout_screen *)s;

	db_cart_free(&cs->cart);
	db_promo_apply_free(&cs->promo);
	free(cs);
}

/* Log-out or kiosk idle: nothing of the last shopper may stay. */
static void
checkout_forget(struct screen *s)
{
	struct checkout_screen *cs = (struct checkout_screen *)s;

	db_cart_free(&cs->cart);
	memset(&cs->cart, 0, sizeof cs->cart);
	db_promo_apply_free(&cs->promo);
	line_edit_wipe(&cs->promo_edit);
	cs->cart_loaded = cs->balance_loaded = false;
	cs->balance_cents = 0;
	cs->promo_msg[0] = cs->outcome[0] = '\0';
	cs->order_id[0] = '\0';
	checkout_init(&cs->co, 0);
	cs->backoff_until_ms = 0;
	cs->method = CHECKOUT_WALLET;
	cs->focus = FOCUS_PROMO;
}

void
checkout_load(struct checkout_screen *cs)
{
	struct db_request req;
	const char *token = tui_token(cs->base.tui);

	if (token == NULL)
		return;
	db_cart_get_request(&req, token);
	tui_call(cs->base.tui, &cs->base, TAG_CART, &req, TUI_CALL_REPLAY_SAFE, "Loading your cart",
	         checkout_done_cb);
	db_my_wallet_request(&req, token);
	tui_call(cs->base.tui, &cs->base, TAG_WALLET, &req, TUI_CALL_REPLAY_SAFE, "Reading your wallet",
	         checkout_done_cb);
}

/* Shown (or F5): read the cart and the wallet again, unless a payment is
 * under way (the attempt names the cart it priced; it must not move). */
static void
checkout_reload(struct screen *s)
{
	struct checkout_screen *cs = (struct checkout_screen *)s;

	if (pay_in_flight(cs))
		return;
	if (cs->co.state == CHECKOUT_DONE) {
		/* The last attempt became an order: this is a new checkout. */
		checkout_init(&cs->co, 0);
		cs->outcome[0] = '\0';
		cs->focus = FOCUS_PROMO;
	}
	checkout_load(cs);
}

/* The cart arrived. A promo applied to an older version is applied again
 * (the server's discount must match the cart that will be paid). */
static void
on_cart(struct checkout_screen *cs, struct db_request *req)
{
	struct db_cart cart;
	char err[256];

	if (db_cart_get_result(req, &cart, err, sizeof err) != BZ_OK) {
		tui_status_error(cs->base.tui, "Your cart could not be read: %s", err);
		return;
	}
	db_cart_free(&cs->cart);
	cs->cart = cart;
	cs->cart_loaded = true;
	tui_set_cart_lines(cs->base.tui, (int)cart.count);
	if (cs->promo.promo_code != NULL && cs->promo_cart_version != cart.version && cart.count > 0) {
		line_edit_set(&cs->promo_edit, cs->promo.promo_code);
		promo_submit(cs);
	}
}

/* The promo validation answered: the discount, or why not. */
static void
on_promo(struct checkout_screen *cs, struct db_request *req)
{
	struct db_promo_apply out;
	char err[256];
	bz_err rc = db_promo_apply_result(req, &out, err, sizeof err);

	guard_done(&cs->promo_guard);
	if (rc == BZ_OK) {
		db_promo_apply_free(&cs->promo);
		cs->promo = out;
		cs->promo_cart_version = cs->cart.version;
		line_edit_wipe(&cs->promo_edit);
		snprintf(cs->promo_msg, sizeof cs->promo_msg, "%s", out.message ? out.message : "Applied.");
		cs->promo_msg_is_error = false;
		return;
	}
	db_promo_apply_free(&out);
	if (rc == BZ_ERR_CART_CHANGED) {
		snprintf(cs->promo_msg, sizeof cs->promo_msg,
		         "Your cart changed meanwhile; here it is now. Apply the code again.");
		checkout_load(cs);
	} else {
		snprintf(cs->promo_msg, sizeof cs->promo_msg, "%s", err);
	}
	cs->promo_msg_is_error = true;
}

void
checkout_done_cb(struct screen *s, int tag, struct db_request *req)
{
	struct checkout_screen *cs = (struct checkout_screen *)s;
	char err[256];

	switch (tag) {
	case TAG_CART:
		on_cart(cs, req);
		break;
	case TAG_WALLET:
		if (db_my_wallet_result(req, &cs->balance_cents, err, sizeof err) == BZ_OK)
			cs->balance_loaded = true;
		break;
	case TAG_PROMO_APPLY:
		on_promo(cs, req);
		break;
	case TAG_PROMO_RELEASE:
		guard_done(&cs->promo_guard);
		if (db_promo_release_result(req, err, sizeof err) != BZ_OK) {
			snprintf(cs->promo_msg, sizeof cs->promo_msg, "%s", err);
			cs->promo_msg_is_error = true;
		}
		break;
	default:
		pay_on_answer(cs, tag, req);
		break;
	}
}

/* Enter in the promo field: validate and hold the code. */
static void
promo_submit(struct checkout_screen *cs)
{
	char *typed = line_edit_text(&cs->promo_edit), code[PROMO_CODE_BUF_SIZE], err[256];
	struct db_request req;

	if (promo_code_normalize(typed, code, err, sizeof err) != BZ_OK) {
		snprintf(cs->promo_msg, sizeof cs->promo_msg, "%s", err);
		cs->promo_msg_is_error = true;
		free(typed);
		return;
	}
	free(typed);
	if (!cs->cart_loaded || cs->cart.count == 0) {
		snprintf(cs->promo_msg, sizeof cs->promo_msg, "A promo code needs something in the cart.");
		cs->promo_msg_is_error = true;
		return;
	}
	if (guard_submit(&cs->promo_guard) == GUARD_BUSY)
		return;
	db_promo_apply_request(&req, tui_token(cs->base.tui), code, cs->cart.version);
	snprintf(cs->promo_msg, sizeof cs->promo_msg, "Checking %s%s", code, text_glyph("\u2026", "..."));
	cs->promo_msg_is_error = false;
	/* Holding the same code again only refreshes one's own hold. */
	tui_call(cs->base.tui, &cs->base, TAG_PROMO_APPLY, &req, TUI_CALL_REPLAY_SAFE,
	         "Checking the promo code", checkout_done_cb);
}

/* Enter on an empty promo field with a promo applied: give the hold back. */
static void
promo_release(struct checkout_screen *cs)
{
	struct db_request req;

	if (guard_submit(&cs->promo_guard) == GUARD_BUSY)
		return;
	db_promo_release_request(&req, tui_token(cs->base.tui), cs->promo.promo_code);
	snprintf(cs->promo_msg, sizeof cs->promo_msg, "%s removed; its use is free again.",
	         cs->promo.promo_code);
	cs->promo_msg_is_error = false;
	db_promo_apply_free(&cs->promo);
	tui_call(cs->base.tui, &cs->base, TAG_PROMO_RELEASE, &req, TUI_CALL_REPLAY_SAFE,
	         "Removing the promo code", checkout_done_cb);
}

/* What Pay will charge as far as the screen knows; the server decides. */
static int64_t
total_cents(const struct checkout_screen *cs)
{
	if (cs->promo.promo_code != NULL && cs->promo_cart_version == cs->cart.version)
		return cs->promo.total_cents;
	return cs->cart.subtotal_cents;
}

static int
checkout_handle_key(struct screen *s, const struct tui_key *key)
{
	struct checkout_screen *cs = (struct checkout_screen *)s;
	bool back = key_is_code(key, KEY_BTAB) || key_is_code(key, KEY_UP);
	bool next = key_is_char(key, L'\t') || key_is_code(key, KEY_DOWN);

	if (pay_in_flight(cs)) {
		/* Locked while paying: Pay again is the guard's to judge, Esc
		 * stops a retry wait; everything else waits. */
		if (key_is_enter(key)) {
			pay_press(cs);
			return SR_HANDLED | SR_REDRAW;
		}
		if (key_is_char(key, TUI_KEY_ESC) && pay_cancel(cs))
			return SR_HANDLED | SR_REDRAW;
		return key->is_code ? SR_IGNORED : SR_HANDLED;
	}
	if (back || next) {
		cs->focus = (enum checkout_focus)((cs->focus + (next ? 1 : FOCUS__COUNT - 1)) % FOCUS__COUNT);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, TUI_KEY_ESC)) {
		tui_show(s->tui, "cart");
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_MOUSE)) {
		/* Rows: the pay button sits two rows under the method line. */
		return SR_IGNORED;
	}
	if (cs->focus == FOCUS_PROMO) {
		if (guard_busy(&cs->promo_guard))
			return key->is_code ? SR_IGNORED : SR_HANDLED;
		switch (line_edit_key(&cs->promo_edit, key)) {
		case LINE_EDIT_ACCEPT:
			if (cs->promo_edit.len == 0 && cs->promo.promo_code != NULL)
				promo_release(cs);
			else if (cs->promo_edit.len == 0)
				cs->focus = FOCUS_METHOD;
			else
				promo_submit(cs);
			return SR_HANDLED | SR_REDRAW;
		case LINE_EDIT_CHANGED:
			return SR_HANDLED | SR_REDRAW;
		case LINE_EDIT_REFUSED:
			tui_refused(cs->base.tui, &cs->promo_edit);
			return SR_HANDLED | SR_REDRAW;
		case LINE_EDIT_CANCEL:
		case LINE_EDIT_IGNORED:
			return SR_IGNORED;
		}
	}
	if (key_is_char(key, L'w') || key_is_char(key, L'b')) {
		cs->method = key_is_char(key, L'w') ? CHECKOUT_WALLET : CHECKOUT_BANK_TRANSFER;
		return SR_HANDLED | SR_REDRAW;
	}
	if (cs->focus == FOCUS_METHOD &&
	    (key_is_char(key, L' ') || key_is_code(key, KEY_LEFT) || key_is_code(key, KEY_RIGHT))) {
		cs->method = cs->method == CHECKOUT_WALLET ? CHECKOUT_BANK_TRANSFER : CHECKOUT_WALLET;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_enter(key)) {
		if (cs->focus == FOCUS_METHOD)
			cs->focus = FOCUS_PAY;
		else
			pay_press(cs);
		return SR_HANDLED | SR_REDRAW;
	}
	return SR_IGNORED;
}

/* One "label ........ amount" row, the amount right-aligned at 60. */
static void
draw_amount_row(WINDOW *win, int y, const char *label, int64_t cents, enum crt_color color)
{
	char amount[MONEY_FORMAT_MAX];

	money_format(cents, amount, sizeof amount);
	text_draw(win, y, 2, 44, label, TEXT_LEFT);
	wattrset(win, crt_attr(color));
	text_draw(win, y, 46, 14, amount, TEXT_RIGHT);
	wattrset(win, A_NORMAL);
}

/* The cart as priced: a few lines, the subtotal. Returns the next row. */
static int
draw_summary(struct checkout_screen *cs, WINDOW *win, int y)
{
	size_t shown = cs->cart.count < SHOWN_LINES_MAX ? cs->cart.count : SHOWN_LINES_MAX;

	if (cs->cart.count == SHOWN_LINES_MAX + 1)
		shown = cs->cart.count;
	for (size_t i = 0; i < shown; i++) {
		const struct db_cart_line *l = &cs->cart.lines[i];
		char *label = xasprintf("%d %s %s", l->quantity, text_glyph("\u00d7", "x"), l->name);
		const char *flag = !l->is_active ? "no longer sold"
		                   : l->available == 0 ? "sold out"
		                   : l->available < l->quantity ? "not enough left" : NULL;

		draw_amount_row(win, y, label, l->line_total_cents, COLOR_PRICE);
		if (flag) {
			wattrset(win, crt_attr(COLOR_SOLD_OUT));
			text_draw(win, y, 62, getmaxx(win) - 63, flag, TEXT_LEFT);
			wattrset(win, A_NORMAL);
		}
		free(label);
		y++;
	}
	if (shown < cs->cart.count) {
		char *more = xasprintf("%s and %zu more line%s (F3 shows the whole cart)",
		                       text_glyph("\u2026", "..."), cs->cart.count - shown,
		                       cs->cart.count - shown == 1 ? "" : "s");
		text_draw(win, y++, 2, getmaxx(win) - 4, more, TEXT_LEFT);
		free(more);
	}
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, y, 2, ACS_HLINE, 58);
	wattrset(win, A_NORMAL);
	y++;
	draw_amount_row(win, y++, "Subtotal", cs->cart.subtotal_cents, COLOR_DEFAULT);
	return y;
}

/* The promo line and its answer. Returns the next row. */
static int
draw_promo(struct checkout_screen *cs, WINDOW *win, int y)
{
	bool focused = cs->focus == FOCUS_PROMO && !pay_in_flight(cs);
	int w = getmaxx(win);

	wattrset(win, crt_attr(focused ? COLOR_PROMPT : COLOR_DEFAULT));
	text_draw(win, y, 2, 12, "Promo code:", TEXT_LEFT);
	wattrset(win, A_NORMAL);
	if (focused)
		line_edit_draw(&cs->promo_edit, win, y, 14, 20);
	else
		text_draw(win, y, 14, 20, cs->promo.promo_code ? cs->promo.promo_code : "(none)", TEXT_PAD);
	if (cs->promo_msg[0]) {
		wattrset(win, crt_attr(cs->promo_msg_is_error ? COLOR_SOLD_OUT : COLOR_STOCK_OK));
		text_draw(win, y, 36, w - 37, cs->promo_msg, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
	y++;
	if (cs->promo.promo_code != NULL) {
		char *label = xasprintf("Discount (%s)", cs->promo.promo_code);
		int64_t left_s = (cs->promo.hold_expires_us - wall_us()) / 1000000;

		draw_amount_row(win, y, label, -cs->promo.discount_cents, COLOR_PRICE);
		free(label);
		if (cs->promo.hold_expires_us > 0) {
			char *hold = left_s > 0 ? xasprintf("held %lld:%02lld", (long long)(left_s / 60),
			                                    (long long)(left_s % 60))
			                        : xstrdup("hold lapsed");
			wattrset(win, crt_attr(left_s > 60 ? COLOR_STATUS : COLOR_STOCK_LOW));
			text_draw(win, y, 62, w - 63, hold, TEXT_LEFT);
			wattrset(win, A_NORMAL);
			free(hold);
		}
		y++;
	}
	wattrset(win, A_BOLD);
	draw_amount_row(win, y++, "Total", total_cents(cs), COLOR_PRICE);
	wattrset(win, A_NORMAL);
	return y;
}

/* The two payment methods and what each means now. Returns the next row. */
static int
draw_method(struct checkout_screen *cs, WINDOW *win, int y)
{
	bool focused = cs->focus == FOCUS_METHOD && !pay_in_flight(cs);
	char balance[MONEY_FORMAT_MAX], total[MONEY_FORMAT_MAX];
	char *wallet, *note;
	int w = getmaxx(win);

	money_format(cs->balance_cents, balance, sizeof balance);
	money_format(total_cents(cs), total, sizeof total);
	wallet = cs->balance_loaded ? xasprintf("%s Wallet (balance %s)",
	                                        cs->method == CHECKOUT_WALLET ? "(*)" : "( )", balance)
	                            : xasprintf("%s Wallet", cs->method == CHECKOUT_WALLET ? "(*)" : "( )");
	wattrset(win, crt_attr(focused ? COLOR_PROMPT : COLOR_DEFAULT));
	text_draw(win, y, 2, 10, "Pay with:", TEXT_LEFT);
	wattrset(win, focused && cs->method == CHECKOUT_WALLET ? crt_attr(COLOR_SELECTED) : A_NORMAL);
	text_draw(win, y, 12, 34, wallet, TEXT_LEFT);
	wattrset(win, focused && cs->method == CHECKOUT_BANK_TRANSFER ? crt_attr(COLOR_SELECTED) : A_NORMAL);
	text_draw(win, y, 48, w - 49, cs->method == CHECKOUT_BANK_TRANSFER ? "(*) Bank transfer"
	                                                                    : "( ) Bank transfer", TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(wallet);
	y++;
	if (cs->method == CHECKOUT_WALLET && cs->balance_loaded && cs->balance_cents < total_cents(cs))
		note = xasprintf("Your wallet holds %s; this order costs %s. Choose bank transfer, "
		                 "or ask staff to top up.", balance, total);
	else if (cs->method == CHECKOUT_WALLET)
		note = xasprintf("Paid at once; your codes show on the next screen.");
	else
		note = xasprintf("Your codes are reserved until staff see your transfer; the bank "
		                 "details and reference follow.");
	wattrset(win, crt_attr(cs->method == CHECKOUT_WALLET && cs->balance_loaded &&
	                       cs->balance_cents < total_cents(cs) ? COLOR_STOCK_LOW : COLOR_STATUS));
	text_draw(win, y++, 12, w - 13, note, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(note);
	return y;
}

/* The Pay button, or what the payment is doing. */
static void
draw_pay(struct checkout_screen *cs, WINDOW *win, int y)
{
	char total[MONEY_FORMAT_MAX];
	char *label;
	int w = getmaxx(win);

	money_format(total_cents(cs), total, sizeof total);
	if (cs->co.state == CHECKOUT_CHECKING ||
	    (cs->co.state == CHECKOUT_BACKOFF && cs->co.resume == CHECKOUT_CHECKING))
		label = xasprintf(" Checking your order%s ", text_glyph("\u2026", "..."));
	else if (pay_in_flight(cs))
		label = xasprintf(" Working%s do not pay again ", text_glyph("\u2026", "..."));
	else
		label = xasprintf(" Pay %s %s ", total, cs->method == CHECKOUT_WALLET ? "from wallet"
		                                                                        : "by bank transfer");
	wattrset(win, pay_in_flight(cs) ? crt_attr(COLOR_PROMPT) | A_REVERSE
	              : cs->focus == FOCUS_PAY ? crt_attr(COLOR_SELECTED) | A_BOLD : A_BOLD);
	text_draw(win, y, 2, 44, label, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(label);
	if (pay_in_flight(cs) && cs->pay_presses_ignored > 0) {
		char *n = xasprintf("(%u extra press%s ignored)", cs->pay_presses_ignored,
		                    cs->pay_presses_ignored == 1 ? "" : "es");
		text_draw(win, y, 48, w - 49, n, TEXT_LEFT);
		free(n);
	}
	if (cs->outcome[0]) {
		wattrset(win, crt_attr(cs->outcome_is_error ? COLOR_ERROR : COLOR_STATUS));
		text_draw(win, y + 1, 2, w - 4, cs->outcome, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
}

static void
checkout_draw(struct screen *s, WINDOW *win)
{
	struct checkout_screen *cs = (struct checkout_screen *)s;
	int y = 0, w = getmaxx(win);

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	text_draw(win, 0, 1, w - 2, "Your order", TEXT_LEFT);
	wattrset(win, A_NORMAL);
	y = 2;
	if (!cs->cart_loaded) {
		text_draw(win, y, 2, w - 4, cs->co.state == CHECKOUT_DONE ? "" : "Loading your cart...", TEXT_LEFT);
		return;
	}
	if (cs->cart.count == 0 && !pay_in_flight(cs)) {
		text_draw(win, y, 2, w - 4, "Your cart is empty: F2 opens the shop.", TEXT_LEFT);
		return;
	}
	y = draw_summary(cs, win, y);
	y = draw_promo(cs, win, y);
	y = draw_method(cs, win, y + 1);
	draw_pay(cs, win, y + 1);
}

static const struct screen_key *
checkout_keys(const struct screen *s)
{
	const struct checkout_screen *cs = (const struct checkout_screen *)s;

	return cs->focus == FOCUS_PROMO ? promo_keys : cs->focus == FOCUS_METHOD ? method_keys : pay_keys;
}

/* The retry timer, and the promo hold's countdown once a second. */
static bool
checkout_tick(struct screen *s, int64_t now_ms)
{
	struct checkout_screen *cs = (struct checkout_screen *)s;
	static int64_t last_second;
	bool changed = pay_tick(cs, now_ms);

	if (cs->promo.promo_code != NULL && now_ms / 1000 != last_second) {
		last_second = now_ms / 1000;
		changed = true;
	}
	return changed;
}
