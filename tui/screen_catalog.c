/* The catalog screen: active products grouped by category, with price and
 * live stock, paged from the database on demand, and a '/' search line.
 * Data comes only through db_catalog_page() (db/catalog.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "db/catalog.h"
#include "db/db.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/text.h"

/* Rows per database round trip: small enough to be instant, large enough
 * that scrolling rarely waits. db_catalog_page accepts up to 500. */
#define CATALOG_PAGE_SIZE 200
/* At or below this many codes left the stock cell warns ("3 left"). */
#define STOCK_LOW_MAX 5

struct catalog_screen {
	struct screen base;             /* first: the manager sees a struct screen */
	struct catalog_item *items;     /* owned; every page fetched so far, in order */
	size_t count, cap;
	bool at_end;                    /* the last fetch came back short: no more rows */
	bool loaded;                    /* the last reload reached the database */
	bool reconnected;               /* the last fetch had to reconnect: say so once */
	size_t selected;                /* index into items */
	size_t top;                     /* first item row shown */
	int visible;                    /* item rows at the last draw */
	char *search;                   /* applied filter (multibyte), NULL for all */
	bool searching;                 /* the search line is open */
	struct line_edit edit;
};

extern const struct screen_ops screen_catalog_ops;

static const struct screen_key browse_keys[] = {
	{ "/", "Search", "Search product names and categories", true },
	{ "Esc", "Clear", "Clear the search and list everything", false },
	{ "Up/Down", "", "Move the selection (also k/j)", false },
	{ "PgUp/PgDn", "", "Move a screenful", false },
	{ "Home/End", "", "First / last product (also g/G)", false },
	{ "r", "", "Reload the catalog (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key search_keys[] = {
	{ "Enter", "Apply", "Search for what you typed (empty: everything)", true },
	{ "Esc", "Cancel", "Close the search line, keep the current list", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *catalog_create(struct tui *tui);
static void catalog_destroy(struct screen *s);
static void catalog_draw(struct screen *s, WINDOW *win);
static bool catalog_draw_prompt(struct screen *s, WINDOW *win, int width);
static int catalog_handle_key(struct screen *s, const struct tui_key *key);
static void catalog_reload(struct screen *s);
static const struct screen_key *catalog_keys(const struct screen *s);

static void clear_items(struct catalog_screen *cs);
static bool fetch_page(struct catalog_screen *cs);
static void ensure_loaded(struct catalog_screen *cs, size_t index);
static void reload(struct catalog_screen *cs, size_t want, bool keep_on_error);
static void report_count(struct catalog_screen *cs);
static void move_selection(struct catalog_screen *cs, long delta);
static int search_key(struct catalog_screen *cs, const struct tui_key *key);
static void draw_row(struct catalog_screen *cs, WINDOW *win, int y, size_t i, int cat_w,
                     int name_w);
static void stock_text(int64_t stock, char *buf, size_t len, enum crt_color *color);

const struct screen_ops screen_catalog_ops = {
	.name = "catalog",
	.title = "Catalog",
	.create = catalog_create,
	.destroy = catalog_destroy,
	.draw = catalog_draw,
	.draw_prompt = catalog_draw_prompt,
	.handle_key = catalog_handle_key,
	.reload = catalog_reload,
	.keys = catalog_keys,
};

/* An empty catalog screen; catalog_reload loads it. */
static struct screen *
catalog_create(struct tui *tui)
{
	struct catalog_screen *cs = xcalloc(1, sizeof *cs);

	cs->base.ops = &screen_catalog_ops;
	cs->base.tui = tui;
	cs->visible = LINES > 4 ? LINES - 4 : 1;
	return &cs->base;
}

/* Free the screen and every product it holds. */
static void
catalog_destroy(struct screen *s)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;

	clear_items(cs);
	free(cs->search);
	free(cs);
}

/* Drop the loaded rows (not the filter). */
static void
clear_items(struct catalog_screen *cs)
{
	struct catalog_page all = { cs->items, cs->count };

	catalog_page_free(&all);
	cs->items = NULL;
	cs->count = cs->cap = 0;
	cs->at_end = false;
}

/* Fetch the next page after what is loaded and append it. False (with the
 * reason on the status line) when the database call failed. */
static bool
fetch_page(struct catalog_screen *cs)
{
	struct catalog_page page;
	char err[256];
	bz_err rc;

	if (cs->count > (size_t)INT32_MAX - CATALOG_PAGE_SIZE) {
		cs->at_end = true;
		return true;
	}
	rc = db_catalog_page(tui_db(cs->base.tui), cs->search, CATALOG_PAGE_SIZE,
	                     (int)cs->count, &page, err, sizeof err);
	/* A lost connection (server restart, idle kiosk): reconnect once and
	 * read again; a read is safe to repeat. */
	if (rc == BZ_ERR_CONNECTION && db_reset(tui_db(cs->base.tui), err, sizeof err) == BZ_OK) {
		rc = db_catalog_page(tui_db(cs->base.tui), cs->search, CATALOG_PAGE_SIZE,
		                     (int)cs->count, &page, err, sizeof err);
		cs->reconnected = rc == BZ_OK;
	}
	if (rc != BZ_OK) {
		tui_status_error(cs->base.tui, "Catalog not loaded: %s (%s)", bz_err_message(rc), err);
		return false;
	}
	if (cs->count + page.count > cs->cap) {
		cs->cap = (cs->count + page.count) * 2;
		cs->items = xrealloc(cs->items, cs->cap * sizeof *cs->items);
	}
	/* The items move over; only the page's array is freed. */
	if (page.count > 0)
		memcpy(cs->items + cs->count, page.items, page.count * sizeof *page.items);
	cs->count += page.count;
	cs->at_end = page.count < CATALOG_PAGE_SIZE;
	free(page.items);
	return true;
}

/* Make sure items[0..index] are loaded, as far as the catalog goes. */
static void
ensure_loaded(struct catalog_screen *cs, size_t index)
{
	bool more = false;

	while (!cs->at_end && index >= cs->count) {
		if (!fetch_page(cs))
			return;
		more = true;
	}
	if (more)
		report_count(cs);
}

/* Load from the start again, at least WANT rows, keeping the selected
 * product selected when it is still listed. With KEEP_ON_ERROR (same
 * filter as before), a database that cannot be reached leaves the old list
 * on screen with the error below it: stale prices flagged by an error beat
 * an empty screen. */
static void
reload(struct catalog_screen *cs, size_t want, bool keep_on_error)
{
	struct catalog_screen old = *cs;
	char keep_id[sizeof cs->items[0].id] = "";
	bool ok = true;

	if (cs->selected < cs->count)
		memcpy(keep_id, cs->items[cs->selected].id, sizeof keep_id);
	cs->items = NULL;
	cs->count = cs->cap = 0;
	cs->at_end = false;
	cs->selected = cs->top = 0;
	if (want < CATALOG_PAGE_SIZE)
		want = CATALOG_PAGE_SIZE;
	while (ok && !cs->at_end && cs->count < want)
		ok = fetch_page(cs);
	if (!ok && keep_on_error && cs->count == 0 && old.count > 0) {
		/* Nothing new arrived: keep what we had. */
		clear_items(cs);
		cs->items = old.items;
		cs->count = old.count;
		cs->cap = old.cap;
		cs->at_end = old.at_end;
		cs->selected = old.selected;
		cs->top = old.top;
		return;
	}
	clear_items(&old);
	cs->loaded = ok;
	for (size_t i = 0; *keep_id && i < cs->count; i++)
		if (strcmp(cs->items[i].id, keep_id) == 0) {
			cs->selected = i;
			break;
		}
	if (ok)
		report_count(cs);
}

/* "12 products" (with "+" while more pages remain) on the status line. */
static void
report_count(struct catalog_screen *cs)
{
	const char *plus = cs->at_end ? "" : "+";
	const char *note = cs->reconnected ? "  (the connection was lost: reconnected to the database)" : "";

	cs->reconnected = false;
	if (cs->search)
		tui_status(cs->base.tui, "%zu%s product%s matching \"%s\"  %s Esc shows all%s",
		           cs->count, plus, cs->count == 1 && cs->at_end ? "" : "s", cs->search,
		           text_glyph("\u00b7", "-"), note);
	else
		tui_status(cs->base.tui, "%zu%s product%s%s", cs->count, plus,
		           cs->count == 1 && cs->at_end ? "" : "s", note);
}

/* F5 / r: same filter, same depth, fresh prices and stock. */
static void
catalog_reload(struct screen *s)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;

	reload(cs, cs->count, true);
}

/* Move by DELTA rows, fetching pages so a full screen below is loaded. */
static void
move_selection(struct catalog_screen *cs, long delta)
{
	long target = (long)cs->selected + delta;

	if (target < 0)
		target = 0;
	ensure_loaded(cs, (size_t)target + (size_t)cs->visible);
	if (cs->count == 0)
		target = 0;
	else if ((size_t)target >= cs->count)
		target = (long)cs->count - 1;
	cs->selected = (size_t)target;
}

/* Keys while the search line is open: all of them go to the field. */
static int
search_key(struct catalog_screen *cs, const struct tui_key *key)
{
	char *text;

	switch (line_edit_key(&cs->edit, key)) {
	case LINE_EDIT_ACCEPT:
		text = line_edit_text(&cs->edit);
		free(cs->search);
		cs->search = *text ? text : NULL;
		if (!*text)
			free(text);
		cs->searching = false;
		reload(cs, 0, false);
		/* A new filter starts at the top. */
		cs->selected = cs->top = 0;
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		cs->searching = false;
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		beep();
		return SR_HANDLED;
	case LINE_EDIT_IGNORED:
		break;
	}
	/* F-keys and the like fall through to the manager (F10, F1). */
	return SR_IGNORED;
}

static int
catalog_handle_key(struct screen *s, const struct tui_key *key)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;
	long page = cs->visible > 1 ? cs->visible - 1 : 1;

	if (cs->searching)
		return search_key(cs, key);
	if (key_is_char(key, L'/')) {
		cs->searching = true;
		line_edit_set(&cs->edit, cs->search);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, TUI_KEY_ESC) && cs->search) {
		free(cs->search);
		cs->search = NULL;
		reload(cs, 0, false);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'r')) {
		catalog_reload(s);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		move_selection(cs, -1);
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		move_selection(cs, 1);
	else if (key_is_code(key, KEY_PPAGE))
		move_selection(cs, -page);
	else if (key_is_code(key, KEY_NPAGE) || key_is_char(key, L' '))
		move_selection(cs, page);
	else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g'))
		move_selection(cs, -(long)cs->selected);
	else if (key_is_code(key, KEY_END) || key_is_char(key, L'G')) {
		/* The last product needs every page: fine for a shop's catalog,
		 * and each page is one short query. */
		ensure_loaded(cs, SIZE_MAX - 1);
		move_selection(cs, (long)cs->count);
	} else
		return SR_IGNORED;
	return SR_HANDLED | SR_REDRAW;
}

/* The stock cell: a warning near the end, a mark when gone. */
static void
stock_text(int64_t stock, char *buf, size_t len, enum crt_color *color)
{
	if (stock <= 0) {
		snprintf(buf, len, "sold out");
		*color = COLOR_SOLD_OUT;
	} else if (stock <= STOCK_LOW_MAX) {
		snprintf(buf, len, "%lld left", (long long)stock);
		*color = COLOR_STOCK_LOW;
	} else {
		snprintf(buf, len, "%lld in stock", (long long)stock);
		*color = COLOR_STOCK_OK;
	}
}

/* One product row. The category is printed on the first row of its group
 * (and on the top row, so a scrolled view still says where it is). */
static void
draw_row(struct catalog_screen *cs, WINDOW *win, int y, size_t i, int cat_w, int name_w)
{
	const struct catalog_item *it = &cs->items[i];
	bool sel = i == cs->selected;
	bool group_start = i == 0 || i == cs->top ||
	                   strcmp(it->category, cs->items[i - 1].category) != 0;
	int width = getmaxx(win), x = 1;
	char price[MONEY_FORMAT_MAX], stock[32];
	enum crt_color stock_color;
	attr_t base = crt_attr(sel ? COLOR_SELECTED : COLOR_DEFAULT);

	money_format(it->price_cents, price, sizeof price);
	stock_text(it->stock, stock, sizeof stock, &stock_color);
	wattrset(win, base);
	mvwhline(win, y, 0, ' ', width);
	if (group_start) {
		wattrset(win, sel ? base : crt_attr(COLOR_CATEGORY));
		text_draw(win, y, x, cat_w, it->category[0] ? it->category : "-", TEXT_LEFT);
	}
	x += cat_w + 1;
	wattrset(win, base);
	text_draw(win, y, x, name_w, it->name, TEXT_LEFT);
	x += name_w + 1;
	wattrset(win, sel ? base : crt_attr(COLOR_PRICE));
	text_draw(win, y, x, 12, price, TEXT_RIGHT);
	x += 12 + 2;
	wattrset(win, sel ? base : crt_attr(stock_color));
	text_draw(win, y, x, width - x - 1, stock, TEXT_LEFT);
	wattrset(win, A_NORMAL);
}

/* Column titles on the first body row, products below. */
static void
catalog_draw(struct screen *s, WINDOW *win)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);
	/* Stock 13 + price 12 + gaps; the category takes a fifth, the name the rest. */
	int cat_w = w / 5 < 14 ? 14 : (w / 5 > 24 ? 24 : w / 5);
	int name_w = w - 1 - cat_w - 1 - 1 - 12 - 2 - 13 - 1;

	cs->visible = h - 1 > 0 ? h - 1 : 1;
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	text_draw(win, 0, 1, cat_w, "Category", TEXT_LEFT);
	text_draw(win, 0, 1 + cat_w + 1, name_w, "Product", TEXT_LEFT);
	text_draw(win, 0, 1 + cat_w + 1 + name_w + 1, 12, "Price", TEXT_RIGHT);
	text_draw(win, 0, w - 1 - 13, 13, "Stock", TEXT_LEFT);
	wattrset(win, A_NORMAL);

	if (cs->count == 0) {
		const char *msg = !cs->loaded ? "The catalog could not be loaded; F5 tries again."
		                  : cs->search ? "No product matches the search; Esc shows all."
		                  : "No products yet (bazar seed-demo loads the demo shop).";

		text_draw(win, 2, 2, w - 4, msg, TEXT_LEFT);
		return;
	}
	/* Keep the selection in view, and the view full after a resize. */
	if (cs->selected < cs->top)
		cs->top = cs->selected;
	if (cs->selected >= cs->top + (size_t)cs->visible)
		cs->top = cs->selected - (size_t)cs->visible + 1;
	if (cs->count >= (size_t)cs->visible && cs->top + (size_t)cs->visible > cs->count)
		cs->top = cs->count - (size_t)cs->visible;
	for (int row = 0; row < cs->visible && cs->top + (size_t)row < cs->count; row++)
		draw_row(cs, win, 1 + row, cs->top + (size_t)row, cat_w, name_w);
}

/* The search line replaces the status line while it is open. */
static bool
catalog_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;
	const char *label = "Search: ";
	int lw = (int)strlen(label);

	if (!cs->searching)
		return false;
	wattrset(win, crt_attr(COLOR_PROMPT));
	text_draw(win, 0, 0, lw, label, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(&cs->edit, win, 0, lw, width - lw);
	return true;
}

static const struct screen_key *
catalog_keys(const struct screen *s)
{
	const struct catalog_screen *cs = (const struct catalog_screen *)s;

	return cs->searching ? search_keys : browse_keys;
}
