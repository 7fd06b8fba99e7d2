/* The cart screen: the shopper's server-side cart with prices, live
 * stock flags and the subtotal; + and - change a quantity, d removes a
 * line, x empties the cart, c goes to checkout. The rules live in
 * core/cart_view; this file draws them and sends the changes.
 *
 * Every change names the cart version this screen last loaded
 * (api_cart_set / api_cart_clear), then the cart is loaded again. A
 * change made meanwhile on another terminal makes ours stale: the server
 * refuses it (BZ_ERR_CART_CHANGED), and the screen shows the cart as it
 * now is and says so, rather than overwriting. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cart_view.h"
#include "core/money.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/screen.h"
#include "tui/stock.h"
#include "tui/text.h"

/* Rows under the lines: a rule, the subtotal, the checkout line. */
#define FOOTER_ROWS 3

/* What a call was for; the low bits of its tag (the rest is the
 * generation, see forget). */
enum cart_call {
	CALL_LOAD = 1,
	CALL_SET = 2,
	CALL_CLEAR = 3,
};
#define CALL_KIND_BITS 4

struct cart_screen {
	struct screen base;          /* first: the manager sees a struct screen */
	struct cart_view view;
	/* Bumped by forget: answers to calls of an earlier shopper are
	 * dropped, whatever they say. */
	unsigned generation;
	bool loaded;                 /* a cart arrived since the last forget */
	bool load_failed;            /* the last load did not arrive */
	int loads_queued;            /* gets not answered yet */
	/* What the next load's answer puts on the status line. */
	bool summary_after_load;     /* "3 items in your cart" (shown or F5) */
	bool changed_elsewhere;      /* our change was stale: say why the cart differs */
	char note[CART_VIEW_SENTENCE_MAX]; /* "Removed Celeste.": a change that went through */
	bool checkout_wanted;        /* c: go on if the fresh cart allows it */
	bool confirm_clear;          /* x asked "empty your cart? y/n" */
	size_t top;                  /* first line shown */
	int visible;                 /* line rows at the last draw */
};

extern const struct screen_ops screen_cart_ops;

static const struct screen_key cart_keys_list[] = {
	{ "+/-", "Qty", "One more / one less of the selected product", true },
	{ "c", "Checkout", "Go to checkout (also Enter)", true },
	{ "d", "Remove", "Remove the selected product (also Delete)", false },
	{ "1-9", "", "Set the quantity of the selected product", false },
	{ "x", "", "Empty the cart (asks first)", false },
	{ "Up/Down", "", "Move the selection (also k/j); a click selects too", false },
	{ "r", "", "Load the cart again (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key confirm_keys[] = {
	{ "y", "Empty", "Yes: remove every line from the cart", true },
	{ "n", "Keep", "No: keep the cart as it is (any other key too)", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *cart_create(struct tui *tui);
static void cart_destroy(struct screen *s);
static void cart_draw(struct screen *s, WINDOW *win);
static bool cart_draw_prompt(struct screen *s, WINDOW *win, int width);
static int cart_handle_key(struct screen *s, const struct tui_key *key);
static void cart_reload(struct screen *s);
static const struct screen_key *cart_keys(const struct screen *s);
static void cart_forget(struct screen *s);

static int call_tag(const struct cart_screen *cs, enum cart_call kind);
static bool tag_is_current(const struct cart_screen *cs, int tag);
static void queue_load(struct cart_screen *cs, const char *what);
static void load_done(struct screen *s, int tag, struct db_request *req);
static void change_done(struct screen *s, int tag, struct db_request *req);
static bool show_cart(struct cart_screen *cs, const struct db_cart *cart);
static void after_load(struct cart_screen *cs);
static bool busy(struct cart_screen *cs);
static int change_line(struct cart_screen *cs, enum cart_change change, int value);
static int start_checkout(struct cart_screen *cs);
static void select_first_flagged(struct cart_screen *cs);
static int confirm_key(struct cart_screen *cs, const struct tui_key *key);
static void draw_line(struct cart_screen *cs, WINDOW *win, int y, size_t i, int name_w);
static void draw_footer(struct cart_screen *cs, WINDOW *win, int name_w);

const struct screen_ops screen_cart_ops = {
	.name = "cart",
	.title = "Cart",
	.create = cart_create,
	.destroy = cart_destroy,
	.draw = cart_draw,
	.draw_prompt = cart_draw_prompt,
	.handle_key = cart_handle_key,
	.reload = cart_reload,
	.keys = cart_keys,
	.forget = cart_forget,
	.needs_login = true,
};

/* An empty cart screen; cart_reload loads it when it is shown. */
static struct screen *
cart_create(struct tui *tui)
{
	struct cart_screen *cs = xcalloc(1, sizeof *cs);

	cs->base.ops = &screen_cart_ops;
	cs->base.tui = tui;
	cart_view_init(&cs->view, NULL);
	cs->visible = 1;
	return &cs->base;
}

static void
cart_destroy(struct screen *s)
{
	struct cart_screen *cs = (struct cart_screen *)s;

	cart_view_clear(&cs->view);
	free(cs);
}

/* The shopper left: nothing of their cart stays on this terminal. */
static void
cart_forget(struct screen *s)
{
	struct cart_screen *cs = (struct cart_screen *)s;
	unsigned generation = cs->generation + 1;
	struct tui *tui = cs->base.tui;

	cart_view_clear(&cs->view);
	memset(cs, 0, sizeof *cs);
	cs->base.ops = &screen_cart_ops;
	cs->base.tui = tui;
	cs->generation = generation;
	cart_view_init(&cs->view, NULL);
	cs->visible = 1;
}

/* A call's tag: its kind, and the generation it belongs to. */
static int
call_tag(const struct cart_screen *cs, enum cart_call kind)
{
	return (int)(((cs->generation & 0xffffffu) << CALL_KIND_BITS) | (unsigned)kind);
}

/* The answer was asked for by the shopper who is still here. */
static bool
tag_is_current(const struct cart_screen *cs, int tag)
{
	return ((unsigned)tag >> CALL_KIND_BITS) == (cs->generation & 0xffffffu);
}

/* Ask for the cart; its answer lands in load_done. */
static void
queue_load(struct cart_screen *cs, const char *what)
{
	struct db_request req;
	const char *token = tui_token(cs->base.tui);

	if (token == NULL)
		return;
	db_cart_get_request(&req, token);
	cs->loads_queued++;
	tui_call(cs->base.tui, &cs->base, call_tag(cs, CALL_LOAD), &req, TUI_CALL_REPLAY_SAFE, what,
	         load_done);
}

/* Shown, or F5: load the cart (once: a load already on its way will do). */
static void
cart_reload(struct screen *s)
{
	struct cart_screen *cs = (struct cart_screen *)s;

	cs->confirm_clear = false;
	cs->summary_after_load = true;
	if (cs->loads_queued == 0)
		queue_load(cs, "Loading your cart");
}

/* The server's lines into the view. False (said on the status line)
 * when they cannot be shown. */
static bool
show_cart(struct cart_screen *cs, const struct db_cart *cart)
{
	struct cart_view_source *src = NULL;
	char err[256];
	bz_err rc;

	if (cart->count > 0)
		src = xcalloc(cart->count, sizeof *src);
	for (size_t i = 0; i < cart->count; i++) {
		const struct db_cart_line *l = &cart->lines[i];

		src[i] = (struct cart_view_source){
			.product_id = l->product_id, .name = l->name, .category = l->category,
			.unit_price_cents = l->unit_price_cents, .quantity = l->quantity,
			.line_total_cents = l->line_total_cents, .available = l->available,
			.is_active = l->is_active,
		};
	}
	rc = cart_view_load(&cs->view, cart->version, src, cart->count, err, sizeof err);
	free(src);
	if (rc != BZ_OK) {
		tui_status_error(cs->base.tui, "Your cart could not be shown: %s.", err);
		return false;
	}
	return true;
}

/* The status line after a fresh cart, and the checkout that waited
 * for it. */
static void
after_load(struct cart_screen *cs)
{
	struct tui *tui = cs->base.tui;
	const struct cart_view *v = &cs->view;

	if (cs->changed_elsewhere) {
		tui_status_error(tui, "Your cart changed on another terminal: here it is now.");
		/* Whatever was asked of the old cart is void: the shopper looks first. */
		cs->checkout_wanted = false;
	} else if (cs->note[0]) {
		tui_status(tui, "%s", cs->note);
	} else if (cs->summary_after_load && v->count > 0) {
		tui_status(tui, "%lld item%s in your cart.", (long long)v->items, v->items == 1 ? "" : "s");
	} else if (cs->summary_after_load) {
		tui_status(tui, "Your cart is empty.");
	}
	cs->changed_elsewhere = false;
	cs->note[0] = '\0';
	cs->summary_after_load = false;
	if (cs->checkout_wanted) {
		cs->checkout_wanted = false;
		if (v->can_checkout) {
			tui_show(tui, "checkout");
		} else {
			select_first_flagged(cs);
			tui_status_error(tui, "%s", v->why_not);
		}
	}
}

/* An api_cart_get answer. */
static void
load_done(struct screen *s, int tag, struct db_request *req)
{
	struct cart_screen *cs = (struct cart_screen *)s;
	struct db_cart cart;
	char err[256];
	bz_err rc;

	/* An earlier shopper's load: forget already reset the count. */
	if (!tag_is_current(cs, tag))
		return;
	if (cs->loads_queued > 0)
		cs->loads_queued--;
	rc = db_cart_get_result(req, &cart, err, sizeof err);
	if (rc != BZ_OK) {
		cs->checkout_wanted = false;
		/* A session that ended is the manager's: it opens the log-in
		 * screen and comes back here, where F5 or showing reloads. */
		if (rc != BZ_ERR_AUTH) {
			cs->load_failed = true;
			tui_status_error(cs->base.tui, "Your cart could not be loaded: %s (F5 tries again)",
			                 err);
		}
		return;
	}
	if (show_cart(cs, &cart)) {
		cs->loaded = true;
		cs->load_failed = false;
		tui_set_cart_lines(cs->base.tui, (int)cs->view.count);
		/* Only the last of several loads speaks. */
		if (cs->loads_queued == 0)
			after_load(cs);
	}
	db_cart_free(&cart);
}

/* An api_cart_set or api_cart_clear answer: load the cart again in
 * every case but a lost session, so what is shown is what the server
 * holds. */
static void
change_done(struct screen *s, int tag, struct db_request *req)
{
	struct cart_screen *cs = (struct cart_screen *)s;
	struct db_cart_version out;
	char err[256];
	bz_err rc;

	if (!tag_is_current(cs, tag))
		return;
	if ((tag & ((1 << CALL_KIND_BITS) - 1)) == CALL_CLEAR)
		rc = db_cart_clear_result(req, &out, err, sizeof err);
	else
		rc = db_cart_set_result(req, &out, err, sizeof err);
	switch (rc) {
	case BZ_OK:
		cs->view.version = out.version;
		break;
	case BZ_ERR_CART_CHANGED:
		cs->note[0] = '\0';
		cs->changed_elsewhere = true;
		break;
	case BZ_ERR_AUTH:
		cs->note[0] = '\0';
		return;
	default:
		/* The server's sentence ("This product is not available."),
		 * then the cart as it is. */
		cs->note[0] = '\0';
		tui_status_error(cs->base.tui, "Your cart was not changed: %s", err);
		break;
	}
	queue_load(cs, "Loading your cart");
}

/* A call of this screen is on its way: changes wait for its answer, so
 * each one names the version the shopper is looking at. */
static bool
busy(struct cart_screen *cs)
{
	return tui_calls_pending(cs->base.tui, &cs->base) > 0;
}

/* +, -, d, a digit: plan with core/cart_view, then send. */
static int
change_line(struct cart_screen *cs, enum cart_change change, int value)
{
	struct tui *tui = cs->base.tui;
	const struct cart_view_line *line = cart_view_selected(&cs->view);
	struct db_request req;
	char why[CART_VIEW_SENTENCE_MAX];
	int quantity;

	if (!cs->loaded || line == NULL)
		return SR_HANDLED;
	if (busy(cs)) {
		tui_status(tui, "One moment: your cart is being updated.");
		return SR_HANDLED | SR_REDRAW;
	}
	if (cart_view_plan(&cs->view, cs->view.selected, change, value, &quantity, why,
	                   sizeof why) != BZ_OK) {
		tui_status_error(tui, "%s", why);
		return SR_HANDLED | SR_REDRAW;
	}
	if (quantity == line->quantity) {
		tui_status(tui, "%d already in your cart.", quantity);
		return SR_HANDLED | SR_REDRAW;
	}
	if (quantity == 0)
		snprintf(cs->note, sizeof cs->note, "Removed %s from your cart.", line->name);
	else
		snprintf(cs->note, sizeof cs->note, "%s: %d in your cart.", line->name, quantity);
	db_cart_set_request(&req, tui_token(tui), cs->view.version, line->product_id, quantity);
	tui_call(tui, &cs->base, call_tag(cs, CALL_SET), &req, TUI_CALL_REPLAY_SAFE,
	         quantity == 0 ? "Removing from your cart" : "Updating your cart", change_done);
	return SR_HANDLED | SR_REDRAW;
}

/* The first line that stops checkout, selected so that d or - fixes it. */
static void
select_first_flagged(struct cart_screen *cs)
{
	for (size_t i = 0; i < cs->view.count; i++)
		if (cs->view.lines[i].flag != CART_LINE_OK ||
		    cs->view.lines[i].quantity > cs->view.limits.max_quantity) {
			cart_view_select(&cs->view, i);
			return;
		}
}

/* c or Enter: refused at once with the reason when the cart as shown
 * cannot be bought; else the cart is read again (stock may have gone
 * meanwhile) and checkout opens if it still can. */
static int
start_checkout(struct cart_screen *cs)
{
	struct tui *tui = cs->base.tui;

	if (!cs->loaded)
		return SR_HANDLED;
	if (busy(cs)) {
		tui_status(tui, "One moment: your cart is being updated.");
		return SR_HANDLED | SR_REDRAW;
	}
	if (!cs->view.can_checkout) {
		select_first_flagged(cs);
		if (cs->view.count == 0)
			tui_status_error(tui, "Your cart is empty: F2 opens the shop.");
		else
			tui_status_error(tui, "%s", cs->view.why_not);
		return SR_HANDLED | SR_REDRAW;
	}
	cs->checkout_wanted = true;
	queue_load(cs, "Checking your cart");
	return SR_HANDLED | SR_REDRAW;
}

/* The y/n answer to "empty your cart?". Any key but y keeps it; a
 * function key still does its own job afterwards. */
static int
confirm_key(struct cart_screen *cs, const struct tui_key *key)
{
	struct tui *tui = cs->base.tui;
	struct db_request req;

	cs->confirm_clear = false;
	if (!key_is_char(key, L'y') && !key_is_char(key, L'Y')) {
		tui_status(tui, "Your cart was kept.");
		return key->is_code && !key_is_code(key, KEY_MOUSE) ? SR_IGNORED : SR_HANDLED | SR_REDRAW;
	}
	if (busy(cs)) {
		tui_status(tui, "One moment: your cart is being updated.");
		return SR_HANDLED | SR_REDRAW;
	}
	snprintf(cs->note, sizeof cs->note, "Your cart is empty now.");
	db_cart_clear_request(&req, tui_token(tui), cs->view.version);
	tui_call(tui, &cs->base, call_tag(cs, CALL_CLEAR), &req, TUI_CALL_REPLAY_SAFE,
	         "Emptying your cart", change_done);
	return SR_HANDLED | SR_REDRAW;
}

static int
cart_handle_key(struct screen *s, const struct tui_key *key)
{
	struct cart_screen *cs = (struct cart_screen *)s;
	long page = cs->visible > 1 ? cs->visible - 1 : 1;

	/* Any key after c means the shopper moved on: no surprise jump. */
	cs->checkout_wanted = false;
	if (cs->confirm_clear)
		return confirm_key(cs, key);
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		cart_view_move(&cs->view, -1);
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		cart_view_move(&cs->view, 1);
	else if (key_is_code(key, KEY_PPAGE))
		cart_view_move(&cs->view, -page);
	else if (key_is_code(key, KEY_NPAGE))
		cart_view_move(&cs->view, page);
	else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g'))
		cart_view_select(&cs->view, 0);
	else if (key_is_code(key, KEY_END) || key_is_char(key, L'G'))
		cart_view_select(&cs->view, cs->view.count);
	else if (key_is_code(key, KEY_MOUSE)) {
		/* Row 0 holds the column names; lines start below. */
		if (key->y < 1 || key->y > cs->visible || cs->top + (size_t)(key->y - 1) >= cs->view.count)
			return SR_HANDLED;
		cart_view_select(&cs->view, cs->top + (size_t)(key->y - 1));
	} else if (key_is_char(key, L'+') || key_is_char(key, L'='))
		return change_line(cs, CART_CHANGE_MORE, 0);
	else if (key_is_char(key, L'-'))
		return change_line(cs, CART_CHANGE_LESS, 0);
	else if (key_is_char(key, L'd') || key_is_code(key, KEY_DC))
		return change_line(cs, CART_CHANGE_REMOVE, 0);
	else if (!key->is_code && key->ch >= L'1' && key->ch <= L'9')
		return change_line(cs, CART_CHANGE_SET, (int)(key->ch - L'0'));
	else if (key_is_char(key, L'c') || key_is_enter(key))
		return start_checkout(cs);
	else if (key_is_char(key, L'x')) {
		if (!cs->loaded || cs->view.count == 0) {
			tui_status(s->tui, "Your cart is already empty.");
			return SR_HANDLED | SR_REDRAW;
		}
		cs->confirm_clear = true;
	} else if (key_is_char(key, L'r'))
		cart_reload(s);
	else
		return SR_IGNORED;
	return SR_HANDLED | SR_REDRAW;
}

/* One line: name, unit price, quantity, line total, stock flag. */
static void
draw_line(struct cart_screen *cs, WINDOW *win, int y, size_t i, int name_w)
{
	const struct cart_view_line *l = &cs->view.lines[i];
	bool sel = i == cs->view.selected;
	int w = getmaxx(win), x = 1;
	char price[MONEY_FORMAT_MAX], total[MONEY_FORMAT_MAX], qty[16], stock[32];
	attr_t base = crt_attr(sel ? COLOR_SELECTED : COLOR_DEFAULT);
	enum crt_color stock_color;

	money_format(l->unit_price_cents, price, sizeof price);
	money_format(l->line_total_cents, total, sizeof total);
	snprintf(qty, sizeof qty, "%d", l->quantity);
	cart_view_flag_text(l, STOCK_LOW_MAX, stock, sizeof stock);
	switch (l->flag) {
	case CART_LINE_SOLD_OUT:
	case CART_LINE_WITHDRAWN:
		stock_color = COLOR_SOLD_OUT;
		break;
	case CART_LINE_SHORT:
		stock_color = COLOR_STOCK_LOW;
		break;
	default:
		stock_color = l->available <= STOCK_LOW_MAX ? COLOR_STOCK_LOW : COLOR_STOCK_OK;
		break;
	}
	wattrset(win, base);
	mvwhline(win, y, 0, ' ', w);
	x += text_draw(win, y, x, name_w, l->name, TEXT_LEFT | TEXT_PAD) + 1;
	wattrset(win, sel ? base : crt_attr(COLOR_PRICE));
	x += text_draw(win, y, x, 10, price, TEXT_RIGHT | TEXT_PAD) + 1;
	wattrset(win, base);
	x += text_draw(win, y, x, 4, qty, TEXT_RIGHT | TEXT_PAD) + 1;
	wattrset(win, sel ? base : crt_attr(COLOR_PRICE));
	x += text_draw(win, y, x, 11, total, TEXT_RIGHT | TEXT_PAD) + 2;
	/* The flag keeps its colour on the selection bar too: it is the
	 * point of the column. */
	wattrset(win, sel && stock_color == COLOR_STOCK_OK ? base : crt_attr(stock_color));
	text_draw(win, y, x, w - x - 1, stock, TEXT_LEFT);
	wattrset(win, A_NORMAL);
}

/* The rule, the subtotal under the totals column, and whether checkout
 * can go ahead (or why not). */
static void
draw_footer(struct cart_screen *cs, WINDOW *win, int name_w)
{
	const struct cart_view *v = &cs->view;
	int h = getmaxy(win), w = getmaxx(win);
	int total_x = 1 + name_w + 1 + 10 + 1 + 4 + 1;
	char amount[MONEY_FORMAT_MAX], *label;

	money_format(v->subtotal_cents, amount, sizeof amount);
	label = xasprintf("Subtotal (%lld item%s)", (long long)v->items, v->items == 1 ? "" : "s");
	mvwhline(win, h - FOOTER_ROWS, 1, ACS_HLINE, w - 2);
	wattrset(win, A_BOLD);
	text_draw(win, h - 2, 1, total_x - 2, label, TEXT_RIGHT);
	wattrset(win, crt_attr(COLOR_PRICE) | A_BOLD);
	text_draw(win, h - 2, total_x, 11, amount, TEXT_RIGHT);
	if (v->can_checkout) {
		wattrset(win, crt_attr(COLOR_DEFAULT));
		text_draw(win, h - 1, 1, w - 2, "Ready: c or Enter goes to checkout.", TEXT_LEFT);
	} else {
		wattrset(win, crt_attr(COLOR_SOLD_OUT));
		text_draw(win, h - 1, 1, w - 2, v->why_not, TEXT_LEFT);
	}
	wattrset(win, A_NORMAL);
	free(label);
}

/* Column names on the first row, the lines below, the footer at the
 * bottom; a friendly sentence instead while empty or loading. */
static void
cart_draw(struct screen *s, WINDOW *win)
{
	struct cart_screen *cs = (struct cart_screen *)s;
	const struct cart_view *v = &cs->view;
	int h = getmaxy(win), w = getmaxx(win);
	/* Price 10, quantity 4, total 11, stock 14, gaps and margins: 46. */
	int name_w = w - 46 > 10 ? w - 46 : 10;
	const char *msg = NULL;

	cs->visible = h - 1 - FOOTER_ROWS > 1 ? h - 1 - FOOTER_ROWS : 1;
	if (!cs->loaded)
		msg = cs->load_failed ? "Your cart could not be loaded; F5 tries again."
		                      : "Loading your cart...";
	else if (v->count == 0)
		msg = "Your cart is empty: F2 opens the shop.";
	if (msg != NULL) {
		text_draw(win, 1, 2, w - 4, msg, TEXT_LEFT);
		return;
	}
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	text_draw(win, 0, 1, name_w, "Product", TEXT_LEFT);
	text_draw(win, 0, 1 + name_w + 1, 10, "Price", TEXT_RIGHT);
	text_draw(win, 0, 1 + name_w + 12, 4, "Qty", TEXT_RIGHT);
	text_draw(win, 0, 1 + name_w + 17, 11, "Total", TEXT_RIGHT);
	text_draw(win, 0, 1 + name_w + 30, 14, "Stock", TEXT_LEFT);
	wattrset(win, A_NORMAL);

	/* Keep the selection in view, and the view full after a resize. */
	if (v->selected < cs->top)
		cs->top = v->selected;
	if (v->selected >= cs->top + (size_t)cs->visible)
		cs->top = v->selected - (size_t)cs->visible + 1;
	if (v->count >= (size_t)cs->visible && cs->top + (size_t)cs->visible > v->count)
		cs->top = v->count - (size_t)cs->visible;
	if (v->count < (size_t)cs->visible)
		cs->top = 0;
	for (int row = 0; row < cs->visible && cs->top + (size_t)row < v->count; row++)
		draw_line(cs, win, 1 + row, cs->top + (size_t)row, name_w);
	if (cs->top + (size_t)cs->visible < v->count) {
		wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
		text_draw(win, 0, w - 12, 11, text_glyph("\u2193 more", "v more"), TEXT_RIGHT);
		wattrset(win, A_NORMAL);
	}
	draw_footer(cs, win, name_w);
}

/* "Empty your cart? y/n" replaces the status line while asked. */
static bool
cart_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct cart_screen *cs = (struct cart_screen *)s;
	char *q;

	if (!cs->confirm_clear)
		return false;
	q = xasprintf("Empty your cart (%zu line%s, %lld item%s)? y/n ", cs->view.count,
	              cs->view.count == 1 ? "" : "s", (long long)cs->view.items,
	              cs->view.items == 1 ? "" : "s");
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	text_draw(win, 0, 0, width, q, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(q);
	return true;
}

static const struct screen_key *
cart_keys(const struct screen *s)
{
	const struct cart_screen *cs = (const struct cart_screen *)s;

	return cs->confirm_clear ? confirm_keys : cart_keys_list;
}
