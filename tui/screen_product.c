/* The product screen: one product's name, category, price, live stock and
 * description (wrapped to the width, wide characters counted as two
 * columns), read with db_product through tui_call so the screen never
 * waits. Enter or a adds it to the cart; Esc or Backspace goes back to the
 * catalog. Opened with product_screen_open (screens.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/screen.h"
#include "tui/screens.h"
#include "tui/stock.h"
#include "tui/text.h"

/* How often the product is read again while it is on screen and the
 * connection is idle (live stock; well above the 2 s polling floor). */
#define LIVE_REFRESH_MS 5000
/* Body rows: name at 1, category 2, price 4, stock 5, description from 7;
 * the last row holds the key hint. */
#define DESC_TOP 7
#define MARGIN 2

struct product_screen {
	struct screen base;          /* first: the manager sees a struct screen */
	char id[DB_UUID_SIZE];       /* the product shown ("" before the first open) */
	struct db_product product;   /* owned; valid when loaded */
	bool loaded;                 /* product holds the answer for id */
	bool gone;                   /* BZ_ERR_NOT_FOUND: withdrawn or never existed */
	bool loading;                /* a read of id is in flight */
	unsigned gen;                /* bumped when id changes: older answers are dropped */
	int64_t last_refresh_ms;

	/* The description cut into lines for wrap_width columns (owned). */
	wchar_t **lines;
	size_t nlines;
	int wrap_width;
	int scroll;                  /* first description line shown */
	int room;                    /* description rows at the last draw */

	/* Set by the done callback, said by tick (which runs only while this
	 * screen is the active one). */
	char message[320];
	bool message_is_error;
};

extern const struct screen_ops screen_product_ops;

/* The id product_screen_open asks for, taken by the next reload (the one
 * tui_show makes). A file static because there is one storefront per
 * process and screens reach their instance only through tui_show. */
static char requested_id[DB_UUID_SIZE];

static const struct screen_key product_keys[] = {
	{ "Enter", "Add", "Add this product to the cart (also a)", true },
	{ "Esc", "Back", "Back to the catalog (also Backspace)", true },
	{ "Up/Down", "", "Scroll a long description (also PgUp/PgDn)", false },
	{ "r", "", "Read the product again (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static struct screen *product_create(struct tui *tui);
static void product_destroy(struct screen *s);
static void product_draw(struct screen *s, WINDOW *win);
static int product_handle_key(struct screen *s, const struct tui_key *key);
static void product_reload(struct screen *s);
static const struct screen_key *product_keys_now(const struct screen *s);
static bool product_tick(struct screen *s, int64_t now_ms);

static void request_product(struct product_screen *ps);
static void product_done(struct screen *s, int tag, struct db_request *req);
static void drop_lines(struct product_screen *ps);
static void push_line(struct product_screen *ps, const wchar_t *ws, size_t len);
static void wrap_paragraph(struct product_screen *ps, const wchar_t *ws, int width);
static void wrap_text(struct product_screen *ps, const char *text, int width);
static void add_to_cart(struct product_screen *ps);

const struct screen_ops screen_product_ops = {
	.name = "product",
	.title = "Product",
	.create = product_create,
	.destroy = product_destroy,
	.draw = product_draw,
	.handle_key = product_handle_key,
	.reload = product_reload,
	.keys = product_keys_now,
	.tick = product_tick,
	.needs_login = false,
};

void
product_screen_open(struct tui *tui, const char *product_id)
{
	snprintf(requested_id, sizeof requested_id, "%s", product_id ? product_id : "");
	tui_show(tui, "product");
}

static struct screen *
product_create(struct tui *tui)
{
	struct product_screen *ps = xcalloc(1, sizeof *ps);

	ps->base.ops = &screen_product_ops;
	ps->base.tui = tui;
	return &ps->base;
}

static void
product_destroy(struct screen *s)
{
	struct product_screen *ps = (struct product_screen *)s;

	drop_lines(ps);
	db_product_free(&ps->product);
	free(ps);
}

/* Forget the wrapped description (the product or the width changed). */
static void
drop_lines(struct product_screen *ps)
{
	for (size_t i = 0; i < ps->nlines; i++)
		free(ps->lines[i]);
	free(ps->lines);
	ps->lines = NULL;
	ps->nlines = 0;
	ps->wrap_width = 0;
}

/* Shown (product_screen_open, or back after a log-in) or F5: take a newly
 * asked-for product, and read the product again. */
static void
product_reload(struct screen *s)
{
	struct product_screen *ps = (struct product_screen *)s;

	if (requested_id[0] != '\0') {
		if (strcmp(requested_id, ps->id) != 0) {
			memcpy(ps->id, requested_id, sizeof ps->id);
			db_product_free(&ps->product);
			drop_lines(ps);
			ps->loaded = ps->gone = ps->loading = false;
			ps->scroll = 0;
			ps->gen++;
		}
		requested_id[0] = '\0';
	}
	ps->last_refresh_ms = 0;
	if (ps->id[0] == '\0') {
		tui_status(s->tui, "Choose a product in the catalog (F2).");
		return;
	}
	/* Not the catalog's count: the body says the keys. */
	tui_status(s->tui, " ");
	request_product(ps);
}

/* Queue a read of the product, unless one is on its way already. */
static void
request_product(struct product_screen *ps)
{
	struct db_request req;

	if (ps->loading)
		return;
	ps->loading = true;
	db_product_request(&req, ps->id);
	/* Not cancellable: Esc goes straight back to the catalog instead. */
	tui_call(ps->base.tui, &ps->base, (int)ps->gen, &req, TUI_CALL_REPLAY_SAFE,
	         "Loading the product", product_done);
}

/* The product arrived, is gone, or could not be read. */
static void
product_done(struct screen *s, int tag, struct db_request *req)
{
	struct product_screen *ps = (struct product_screen *)s;
	struct db_product product;
	char err[256];
	bz_err rc;

	memset(&product, 0, sizeof product);
	rc = db_product_result(req, &product, err, sizeof err);
	if ((unsigned)tag != ps->gen) {
		/* An answer about the product shown before. */
		db_product_free(&product);
		return;
	}
	ps->loading = false;
	ps->message_is_error = rc != BZ_OK;
	if (rc == BZ_OK) {
		db_product_free(&ps->product);
		ps->product = product;
		ps->loaded = true;
		ps->gone = false;
		drop_lines(ps);
	} else if (rc == BZ_ERR_NOT_FOUND) {
		db_product_free(&ps->product);
		drop_lines(ps);
		ps->loaded = false;
		ps->gone = true;
		snprintf(ps->message, sizeof ps->message, "This product is no longer sold.");
	} else {
		/* Keep what was shown: stale beats empty, and the error says so. */
		snprintf(ps->message, sizeof ps->message, "The product could not be loaded: %s. %s",
		         err, "F5 tries again.");
	}
}

/* Say what the last answer brought, and read the product again now and
 * then while nothing else waits for the connection. */
static bool
product_tick(struct screen *s, int64_t now_ms)
{
	struct product_screen *ps = (struct product_screen *)s;

	if (ps->last_refresh_ms == 0)
		ps->last_refresh_ms = now_ms;
	if (now_ms - ps->last_refresh_ms >= LIVE_REFRESH_MS) {
		ps->last_refresh_ms = now_ms;
		if (ps->loaded && tui_calls_pending(s->tui, NULL) == 0)
			request_product(ps);
	}
	if (ps->message[0] == '\0')
		return false;
	if (ps->message_is_error)
		tui_status_error(s->tui, "%s", ps->message);
	else
		tui_status(s->tui, "%s", ps->message);
	ps->message[0] = '\0';
	return true;
}

/* Append the first LEN characters of WS as a line of their own. */
static void
push_line(struct product_screen *ps, const wchar_t *ws, size_t len)
{
	wchar_t *line = xmalloc((len + 1) * sizeof *line);

	/* No trailing blanks: they would only push the ellipsis about. */
	while (len > 0 && ws[len - 1] == L' ')
		len--;
	wmemcpy(line, ws, len);
	line[len] = L'\0';
	ps->lines = xrealloc(ps->lines, (ps->nlines + 1) * sizeof *ps->lines);
	ps->lines[ps->nlines++] = line;
}

/* Cut one sanitised paragraph into lines at most WIDTH columns wide,
 * breaking after a blank where there is one; a word longer than the line
 * is cut where it must be, and a double-width character never split. */
static void
wrap_paragraph(struct product_screen *ps, const wchar_t *ws, int width)
{
	size_t len = wcslen(ws), pos = 0;

	if (len == 0) {
		push_line(ps, ws, 0);
		return;
	}
	while (pos < len) {
		size_t i = pos, blank = 0;
		int col = 0;

		while (i < len) {
			int cw = wcwidth(ws[i]);

			if (col + cw > width)
				break;
			if (ws[i] == L' ')
				blank = i;
			col += cw;
			i++;
		}
		if (i == len) {
			push_line(ps, ws + pos, len - pos);
			break;
		}
		if (ws[i] == L' ') {
			/* The line is full exactly at a blank. */
			push_line(ps, ws + pos, i - pos);
			pos = i;
		} else if (blank > pos) {
			push_line(ps, ws + pos, blank - pos);
			pos = blank;
		} else {
			/* One word wider than the line (or one character wider
			 * than a very narrow one): cut it. */
			if (i == pos)
				i++;
			push_line(ps, ws + pos, i - pos);
			pos = i;
		}
		/* The blanks at a break belong to neither line. */
		while (pos < len && ws[pos] == L' ')
			pos++;
	}
}

/* Wrap multibyte TEXT for WIDTH columns: its own line breaks are kept,
 * tabs count as one blank, carriage returns go; everything else is
 * sanitised by text_widen. */
static void
wrap_text(struct product_screen *ps, const char *text, int width)
{
	char *copy = xstrdup(text ? text : ""), *para = copy, *next;

	/* Bytes below 0x80 never occur inside a UTF-8 sequence. */
	for (char *p = copy; *p; p++)
		if (*p == '\t')
			*p = ' ';
	do {
		wchar_t *ws;
		size_t n;

		next = strchr(para, '\n');
		if (next)
			*next = '\0';
		n = strlen(para);
		if (n > 0 && para[n - 1] == '\r')
			para[n - 1] = '\0';
		ws = text_widen(para);
		wrap_paragraph(ps, ws, width);
		free(ws);
		para = next ? next + 1 : NULL;
	} while (para);
	free(copy);
	/* A description that ends with a line break gets no blank line for it. */
	while (ps->nlines > 1 && ps->lines[ps->nlines - 1][0] == L'\0')
		free(ps->lines[--ps->nlines]);
	ps->wrap_width = width;
}

/* Enter / a: one more in the cart, unless there is none left. */
static void
add_to_cart(struct product_screen *ps)
{
	if (ps->gone) {
		tui_status_error(ps->base.tui, "This product is no longer sold.");
		return;
	}
	if (!ps->loaded) {
		tui_status(ps->base.tui, "The product is still loading%s", text_glyph("\u2026", "..."));
		return;
	}
	if (ps->product.stock <= 0) {
		tui_status_error(ps->base.tui, "%s is sold out: it cannot be added to the cart.",
		                 ps->product.name);
		return;
	}
	tui_cart_add(ps->base.tui, ps->product.id, ps->product.name);
}

static int
product_handle_key(struct screen *s, const struct tui_key *key)
{
	struct product_screen *ps = (struct product_screen *)s;
	int page = ps->room > 1 ? ps->room - 1 : 1;
	int max_scroll = (int)ps->nlines > ps->room ? (int)ps->nlines - ps->room : 0;

	if (key_is_char(key, TUI_KEY_ESC) || key_is_backspace(key)) {
		tui_show(s->tui, "catalog");
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_enter(key) || key_is_char(key, L'a')) {
		add_to_cart(ps);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'r')) {
		product_reload(s);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		ps->scroll--;
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		ps->scroll++;
	else if (key_is_code(key, KEY_PPAGE))
		ps->scroll -= page;
	else if (key_is_code(key, KEY_NPAGE) || key_is_char(key, L' '))
		ps->scroll += page;
	else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g'))
		ps->scroll = 0;
	else if (key_is_code(key, KEY_END) || key_is_char(key, L'G'))
		ps->scroll = max_scroll;
	else
		return SR_IGNORED;
	if (ps->scroll > max_scroll)
		ps->scroll = max_scroll;
	if (ps->scroll < 0)
		ps->scroll = 0;
	return SR_HANDLED | SR_REDRAW;
}

/* Name, category, price and stock on top, the description below, the
 * keys on the last row. */
static void
product_draw(struct screen *s, WINDOW *win)
{
	struct product_screen *ps = (struct product_screen *)s;
	const struct db_product *p = &ps->product;
	int h = getmaxy(win), w = getmaxx(win), text_w = w - 2 * MARGIN;
	char price[MONEY_FORMAT_MAX], stock[32];
	enum crt_color stock_color;
	const char *hint;

	if (ps->gone || !ps->loaded) {
		const char *msg = ps->gone ? "This product is no longer sold."
		                  : ps->id[0] == '\0' ? "Choose a product in the catalog (F2)."
		                  : ps->loading ? "Loading the product..."
		                  : "The product could not be loaded; F5 tries again.";

		wattrset(win, crt_attr(ps->gone ? COLOR_ERROR : COLOR_DEFAULT));
		text_draw(win, 1, MARGIN, text_w, msg, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		text_draw(win, h - 1, MARGIN, text_w, "Esc: back to the catalog", TEXT_LEFT);
		return;
	}
	wattrset(win, crt_attr(COLOR_TITLE));
	text_draw(win, 1, MARGIN, text_w, p->name, TEXT_PAD);
	wattrset(win, crt_attr(COLOR_CATEGORY));
	text_draw(win, 2, MARGIN, text_w, p->category, TEXT_LEFT);
	wattrset(win, A_NORMAL);

	money_format(p->price_cents, price, sizeof price);
	stock_text(p->stock, stock, sizeof stock, &stock_color);
	text_draw(win, 4, MARGIN, 8, "Price", TEXT_LEFT);
	wattrset(win, crt_attr(COLOR_PRICE));
	text_draw(win, 4, MARGIN + 8, text_w - 8, price, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	text_draw(win, 5, MARGIN, 8, "Stock", TEXT_LEFT);
	wattrset(win, crt_attr(stock_color));
	text_draw(win, 5, MARGIN + 8, text_w - 8, stock, TEXT_LEFT);
	wattrset(win, A_NORMAL);

	/* Description rows: between the facts and a blank row above the hint. */
	ps->room = h - 1 - 1 - DESC_TOP;
	if (ps->room < 1)
		ps->room = 1;
	if (ps->wrap_width != text_w) {
		drop_lines(ps);
		wrap_text(ps, p->description && p->description[0] ? p->description
		              : "(No description.)", text_w);
	}
	if (ps->scroll > (int)ps->nlines - ps->room)
		ps->scroll = (int)ps->nlines > ps->room ? (int)ps->nlines - ps->room : 0;
	for (int r = 0; r < ps->room && (size_t)(ps->scroll + r) < ps->nlines; r++)
		text_draw_wide(win, DESC_TOP + r, MARGIN, text_w, ps->lines[ps->scroll + r], TEXT_LEFT);

	hint = p->stock > 0 ? "Enter or a: add to the cart    Esc: back to the catalog"
	                    : "Sold out    Esc: back to the catalog";
	wattrset(win, crt_attr(p->stock > 0 ? COLOR_DEFAULT : COLOR_SOLD_OUT));
	text_draw(win, h - 1, MARGIN, text_w, hint, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	if ((size_t)(ps->scroll + ps->room) < ps->nlines)
		text_draw(win, h - 1, w - MARGIN - 12, 12,
		          text_glyph("\u2193 more", "v more"), TEXT_RIGHT);
}

static const struct screen_key *
product_keys_now(const struct screen *s)
{
	(void)s;
	return product_keys;
}
