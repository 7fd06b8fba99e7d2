/* The catalog screen: active products in (category, name) order with price
 * and live stock, a category strip, a '/' search, Enter for the product's
 * page and 'a' for the cart.
 *
 * The list is read in keyset pages (db_catalog_keyset) through tui_call,
 * so the screen never waits for the database: at most one page request is
 * in flight, the next page is asked for while the selection nears the end
 * of what is loaded, and End keeps asking until the last page. A reload
 * (F5, r, every tui_show, and a quiet one every few seconds for live
 * stock) does not throw the list away: it marks every row stale, and the
 * rows in view are read again, one page from the row before the first
 * stale one; a fresh page replaces the old rows it covers (matched by id,
 * so the client never has to know the server's collation). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/screens.h"
#include "tui/stock.h"
#include "tui/text.h"

/* Rows per request while browsing: one short index range scan. */
#define PAGE_SIZE 200
/* Rows per request while End walks to the last page: fewer round trips. */
#define END_PAGE_SIZE 500
/* Ask for the next page once the selection is this many screens from the
 * end of what is loaded, so scrolling rarely meets the end. */
#define PREFETCH_SCREENS 2
/* How often the rows in view are read again while the screen sits idle,
 * so stock stays live at a kiosk (well above the 2 s polling floor). */
#define LIVE_REFRESH_MS 5000
/* Body rows above the products: the category strip and the column titles. */
#define LIST_TOP 2
/* Category entries the strip remembers for mouse clicks. */
#define STRIP_SLOTS_MAX 48
#define NO_ROW SIZE_MAX

enum { TAG_PAGE = 1, TAG_CATEGORIES };

struct catalog_row {
	struct catalog_item item;   /* owned strings */
	unsigned epoch;             /* the reload it was read in */
};

/* The one page request in flight: what its rows replace. The list changes
 * only when a page arrives or the filter changes (which bumps gen), so AT
 * still means the same row when the answer comes. */
struct page_call {
	bool active;
	unsigned gen;       /* the filter it was asked for */
	unsigned epoch;     /* the reload it belongs to */
	size_t at;          /* first row it covers; the cursor is row at-1 */
	int limit;
};

struct strip_slot {
	int x0, x1;         /* columns [x0, x1) of the body's first row */
	long index;         /* as category_index() */
};

struct catalog_screen {
	struct screen base;             /* first: the manager sees a struct screen */
	struct catalog_row *rows;       /* owned; a prefix of the filtered catalog */
	size_t count, cap;
	bool at_end;                    /* the catalog has nothing after rows[count-1] */
	bool loaded;                    /* a page of the current filter arrived */
	bool failed;                    /* a page failed: nothing more is asked until F5 */
	unsigned gen;                   /* bumped by every filter change */
	unsigned epoch;                 /* bumped by every reload: older rows are stale */
	struct page_call page;
	bool want_end;                  /* End: keep loading, the selection follows the last row */
	size_t selected;                /* index into rows */
	size_t top;                     /* first row shown */
	int visible;                    /* product rows at the last draw */
	int64_t last_refresh_ms;

	char *search;                   /* applied search (multibyte), NULL for none */
	char *category;                 /* applied category, NULL for all */
	bool searching;                 /* the search line is open */
	struct line_edit edit;

	struct db_categories cats;      /* owned; by name, with product counts */
	bool cats_loading, cats_again;
	struct strip_slot slots[STRIP_SLOTS_MAX];
	int nslots;

	/* The status line belongs to whoever spoke last; a page arriving
	 * only says the count when it changed, and not over a message of
	 * the shopper's own doing ('a'). Set by done callbacks, shown by
	 * tick (which runs only while this screen is the active one). */
	bool quiet;
	bool announce;
	char error[320];
	size_t said_count;
	bool said_at_end;
	unsigned said_gen;
};

extern const struct screen_ops screen_catalog_ops;

static const struct screen_key browse_keys[] = {
	{ "/", "Search", "Search product names and categories", true },
	{ "c", "Category", "Next category (also Tab; C or Shift-Tab: previous)", true },
	{ "Enter", "Open", "Open the selected product (or click it twice)", false },
	{ "a", "Add", "Add the selected product to the cart", false },
	{ "Esc", "Clear", "Clear the search and the category: list everything", false },
	{ "Up/Down", "", "Move the selection (also k/j, or click a row)", false },
	{ "PgUp/PgDn", "", "Move a screenful", false },
	{ "Home/End", "", "First / last product (also g/G)", false },
	{ "r", "", "Reload prices and stock (same as F5)", false },
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
static void catalog_forget(struct screen *s);
static bool catalog_tick(struct screen *s, int64_t now_ms);

static void free_rows(struct catalog_row *rows, size_t from, size_t to);
static void set_filter(struct catalog_screen *cs, char *search, char *category);
static void pump(struct catalog_screen *cs);
static void request_page(struct catalog_screen *cs, size_t at, int limit);
static void request_categories(struct catalog_screen *cs);
static void page_done(struct screen *s, int tag, struct db_request *req);
static void categories_done(struct screen *s, int tag, struct db_request *req);
static size_t covered_end(const struct catalog_screen *cs, size_t at, const struct catalog_page *page);
static void splice(struct catalog_screen *cs, const struct page_call *call, struct catalog_page *page);
static size_t first_stale_in_view(const struct catalog_screen *cs);
static void keep_in_view(struct catalog_screen *cs);
static void report_count(struct catalog_screen *cs);
static void move_selection(struct catalog_screen *cs, long delta);
static long category_index(const struct catalog_screen *cs);
static void cycle_category(struct catalog_screen *cs, int step);
static void choose_category(struct catalog_screen *cs, long index);
static int search_key(struct catalog_screen *cs, const struct tui_key *key);
static int click(struct catalog_screen *cs, const struct tui_key *key);
static void open_selected(struct catalog_screen *cs);
static void add_selected(struct catalog_screen *cs);
static void strip_label(const struct catalog_screen *cs, long i, bool on, int64_t all, char *buf,
                        size_t len);
static void draw_strip(struct catalog_screen *cs, WINDOW *win, int w);
static void draw_row(struct catalog_screen *cs, WINDOW *win, int y, size_t i, int cat_w,
                     int name_w);
static int compare_ids(const void *a, const void *b);

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
	.forget = catalog_forget,
	.tick = catalog_tick,
};

/* An empty catalog screen; catalog_reload starts loading it. */
static struct screen *
catalog_create(struct tui *tui)
{
	struct catalog_screen *cs = xcalloc(1, sizeof *cs);

	cs->base.ops = &screen_catalog_ops;
	cs->base.tui = tui;
	/* Until the first draw: the body (LINES-3) less the strip and titles. */
	cs->visible = LINES - 3 - LIST_TOP > 0 ? LINES - 3 - LIST_TOP : 1;
	cs->said_count = NO_ROW;
	return &cs->base;
}

/* Free the screen and every product it holds. The manager drops its
 * calls before the screens, so no answer can arrive afterwards. */
static void
catalog_destroy(struct screen *s)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;

	free_rows(cs->rows, 0, cs->count);
	free(cs->rows);
	db_categories_free(&cs->cats);
	free(cs->search);
	free(cs->category);
	line_edit_wipe(&cs->edit);
	free(cs);
}

/* Free the strings of ROWS[FROM..TO). */
static void
free_rows(struct catalog_row *rows, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		free(rows[i].item.name);
		free(rows[i].item.category);
	}
}

/* Apply a new filter (both strings moved in, NULL for none): the list
 * starts again from the top; an answer still in flight for the old
 * filter is dropped when it comes. */
static void
set_filter(struct catalog_screen *cs, char *search, char *category)
{
	free(cs->search);
	free(cs->category);
	cs->search = search;
	cs->category = category;
	free_rows(cs->rows, 0, cs->count);
	cs->count = 0;
	cs->gen++;
	cs->at_end = cs->loaded = cs->failed = cs->want_end = false;
	cs->selected = cs->top = 0;
	cs->quiet = false;
}

/* Ask for the page the screen needs next, if any and none is in flight:
 * the first page, else fresh rows for stale ones in view, else the next
 * page when End is walking or the selection nears the end. */
static void
pump(struct catalog_screen *cs)
{
	size_t stale;

	if (cs->page.active || cs->failed)
		return;
	if (cs->count == 0) {
		if (!cs->at_end)
			request_page(cs, 0, PAGE_SIZE);
		return;
	}
	keep_in_view(cs);
	stale = first_stale_in_view(cs);
	if (stale != NO_ROW)
		request_page(cs, stale, PAGE_SIZE);
	else if (cs->at_end)
		return;
	else if (cs->want_end)
		request_page(cs, cs->count, END_PAGE_SIZE);
	else if (cs->selected + (size_t)cs->visible * PREFETCH_SCREENS >= cs->count)
		request_page(cs, cs->count, PAGE_SIZE);
}

/* Queue the page after row AT-1 (from the start when AT is 0). */
static void
request_page(struct catalog_screen *cs, size_t at, int limit)
{
	struct db_request req;
	struct db_catalog_cursor after = { NULL, NULL, NULL };
	const char *what = at == cs->count ? (at == 0 ? "Loading the catalog" : "Loading more products")
	                                   : "Reading prices and stock";

	if (at > 0) {
		const struct catalog_item *it = &cs->rows[at - 1].item;

		after.category = it->category;
		after.name = it->name;
		after.id = it->id;
	}
	db_catalog_keyset_request(&req, cs->search, cs->category, &after, limit);
	/* Before tui_call: a full queue calls page_done at once. */
	cs->page = (struct page_call){ true, cs->gen, cs->epoch, at, limit };
	tui_call(cs->base.tui, &cs->base, TAG_PAGE, &req,
	         TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE, what, page_done);
}

/* Queue the category list (once at a time; a reload meanwhile asks again
 * after it). */
static void
request_categories(struct catalog_screen *cs)
{
	struct db_request req;

	if (cs->cats_loading) {
		cs->cats_again = true;
		return;
	}
	cs->cats_loading = true;
	db_categories_request(&req);
	tui_call(cs->base.tui, &cs->base, TAG_CATEGORIES, &req,
	         TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE, "Loading the categories",
	         categories_done);
}

/* A page arrived (or failed): splice it in, unless the filter changed
 * since it was asked for. */
static void
page_done(struct screen *s, int tag, struct db_request *req)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;
	struct page_call call = cs->page;
	struct catalog_page page = { NULL, 0 };
	char err[256];
	bz_err rc;

	(void)tag;
	cs->page.active = false;
	rc = db_catalog_keyset_result(req, &page, err, sizeof err);
	if (call.gen != cs->gen) {
		/* Asked for under the previous filter: ask for this one's. */
		catalog_page_free(&page);
		pump(cs);
		return;
	}
	if (rc != BZ_OK) {
		/* No automatic request until F5 (or a new filter): a failing
		 * database must not be asked again ten times a second. */
		cs->failed = true;
		cs->want_end = false;
		if (rc == BZ_ERR_CANCELLED)
			snprintf(cs->error, sizeof cs->error,
			         "Stopped loading the catalog; F5 tries again.");
		else
			snprintf(cs->error, sizeof cs->error,
			         "The catalog could not be loaded: %s. F5 tries again.", err);
		return;
	}
	cs->loaded = true;
	splice(cs, &call, &page);
	if (cs->want_end) {
		cs->selected = cs->count > 0 ? cs->count - 1 : 0;
		cs->want_end = !cs->at_end;
	}
	if (!cs->quiet && (cs->count != cs->said_count || cs->at_end != cs->said_at_end ||
	                   cs->gen != cs->said_gen))
		cs->announce = true;
	/* The next page now, not at the next tick: an answer handled at the
	 * top of the manager's loop would otherwise wait out a whole poll
	 * timeout. Bounded even when the shopper has moved on: only End
	 * walks on, and only to the last page. */
	pump(cs);
}

/* The category list arrived: keep the old one if it failed (and say so,
 * unless the shopper stopped it: the manager has said that). */
static void
categories_done(struct screen *s, int tag, struct db_request *req)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;
	struct db_categories cats = { NULL, 0 };
	char err[256];
	bz_err rc;

	(void)tag;
	cs->cats_loading = false;
	rc = db_categories_result(req, &cats, err, sizeof err);
	if (rc == BZ_OK) {
		db_categories_free(&cs->cats);
		cs->cats = cats;
	} else if (rc != BZ_ERR_CANCELLED && cs->error[0] == '\0') {
		snprintf(cs->error, sizeof cs->error, "The categories could not be loaded: %s", err);
	}
	if (cs->cats_again) {
		cs->cats_again = false;
		request_categories(cs);
	}
}

/* Order ids for bsearch (they are canonical lower-case text). */
static int
compare_ids(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One past the last old row, from AT on, that PAGE (a full page) covers:
 * the last old row whose id the page holds. Every old row before it was
 * in the page's key range too, so it is either in the page or gone (or
 * renamed); old rows after it not in the page sort after the page, or
 * are gone or renamed and get dropped when their own rows are read
 * again. AT when the page holds none of the old rows. */
static size_t
covered_end(const struct catalog_screen *cs, size_t at, const struct catalog_page *page)
{
	const char **ids = xmalloc(page->count * sizeof *ids);
	size_t end = at, matched = 0;

	for (size_t k = 0; k < page->count; k++)
		ids[k] = page->items[k].id;
	qsort(ids, page->count, sizeof *ids, compare_ids);
	for (size_t i = at; i < cs->count && matched < page->count; i++) {
		const char *id = cs->rows[i].item.id;

		if (bsearch(&id, ids, page->count, sizeof *ids, compare_ids) != NULL) {
			matched++;
			end = i + 1;
		}
	}
	free(ids);
	return end;
}

/* Put PAGE (asked for by CALL) in place of the old rows it covers, and
 * keep the selected product selected, at the same height on the screen.
 * The page's strings move into the list. */
static void
splice(struct catalog_screen *cs, const struct page_call *call, struct catalog_page *page)
{
	size_t at = call->at < cs->count ? call->at : cs->count;
	size_t n = page->count, sel = cs->selected;
	size_t offset = cs->selected >= cs->top ? cs->selected - cs->top : 0;
	bool full = n == (size_t)call->limit;
	/* A short page is the end of the catalog: nothing old after it stays. */
	size_t end = full ? covered_end(cs, at, page) : cs->count;
	size_t removed = end - at;
	char sel_id[sizeof cs->rows[0].item.id] = "";

	if (sel < cs->count)
		memcpy(sel_id, cs->rows[sel].item.id, sizeof sel_id);
	if (cs->count - removed + n > cs->cap) {
		cs->cap = (cs->count - removed + n) * 2;
		cs->rows = xrealloc(cs->rows, cs->cap * sizeof *cs->rows);
	}
	free_rows(cs->rows, at, end);
	memmove(cs->rows + at + n, cs->rows + end, (cs->count - end) * sizeof *cs->rows);
	for (size_t k = 0; k < n; k++) {
		cs->rows[at + k].item = page->items[k];
		cs->rows[at + k].epoch = call->epoch;
	}
	cs->count = cs->count - removed + n;
	free(page->items);
	page->items = NULL;
	page->count = 0;
	if (!full)
		cs->at_end = true;

	/* Where the selected product went (none was, in an empty list). */
	if (sel_id[0] == '\0') {
		sel = 0;
	} else if (sel >= end) {
		sel = sel - removed + n;
	} else if (sel >= at) {
		size_t k = 0;

		while (k < n && strcmp(cs->rows[at + k].item.id, sel_id) != 0)
			k++;
		/* Gone: the row that took its place (clamped below). */
		if (k == n)
			k = sel - at;
		sel = at + k;
	}
	if (cs->count == 0)
		sel = 0;
	else if (sel >= cs->count)
		sel = cs->count - 1;
	cs->selected = sel;
	cs->top = sel >= offset ? sel - offset : 0;
	keep_in_view(cs);
}

/* The first row in view read before the last reload, or NO_ROW. */
static size_t
first_stale_in_view(const struct catalog_screen *cs)
{
	for (size_t i = cs->top; i < cs->count && i < cs->top + (size_t)cs->visible; i++)
		if (cs->rows[i].epoch != cs->epoch)
			return i;
	return NO_ROW;
}

/* Scroll so the selection is in view and the view is full. */
static void
keep_in_view(struct catalog_screen *cs)
{
	size_t vis = cs->visible > 0 ? (size_t)cs->visible : 1;

	if (cs->count > 0 && cs->selected >= cs->count)
		cs->selected = cs->count - 1;
	if (cs->selected < cs->top)
		cs->top = cs->selected;
	if (cs->selected >= cs->top + vis)
		cs->top = cs->selected - vis + 1;
	if (cs->count >= vis && cs->top + vis > cs->count)
		cs->top = cs->count - vis;
	if (cs->count < vis)
		cs->top = 0;
}

/* "12 products" (with "+" while more pages remain) on the status line,
 * and what narrows the list. */
static void
report_count(struct catalog_screen *cs)
{
	const char *plus = cs->at_end ? "" : "+";
	const char *s = cs->count == 1 && cs->at_end ? "" : "s";
	const char *dot = text_glyph("\u00b7", "-");

	cs->said_count = cs->count;
	cs->said_at_end = cs->at_end;
	cs->said_gen = cs->gen;
	if (cs->search && cs->category)
		tui_status(cs->base.tui, "%zu%s product%s matching \"%s\" in %s  %s Esc shows all",
		           cs->count, plus, s, cs->search, cs->category, dot);
	else if (cs->search)
		tui_status(cs->base.tui, "%zu%s product%s matching \"%s\"  %s Esc shows all",
		           cs->count, plus, s, cs->search, dot);
	else if (cs->category)
		tui_status(cs->base.tui, "%zu%s product%s in %s  %s Esc shows all", cs->count, plus, s,
		           cs->category, dot);
	else if (cs->count > 0)
		tui_status(cs->base.tui, "%zu%s product%s  %s Enter: details, a: add to cart", cs->count,
		           plus, s, dot);
	else
		tui_status(cs->base.tui, "0 products");
}

/* F5, r, and every time the screen is shown: same filter, same
 * selection; the rows in view are read again, the categories too. */
static void
catalog_reload(struct screen *s)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;

	cs->epoch++;
	cs->failed = false;
	cs->quiet = false;
	/* An empty answer is asked again too: products may have come since. */
	if (cs->count == 0)
		cs->at_end = false;
	cs->error[0] = '\0';
	cs->last_refresh_ms = 0;
	/* Say the count now: whatever is said after this (a log-out
	 * greeting) stays, unless the fresh rows change it. */
	if (cs->count > 0)
		report_count(cs);
	/* The rows first: they are what the shopper is looking at. */
	pump(cs);
	request_categories(cs);
}

/* The shopper logged out: their search and category go. */
static void
catalog_forget(struct screen *s)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;

	cs->searching = false;
	line_edit_wipe(&cs->edit);
	if (cs->search || cs->category)
		set_filter(cs, NULL, NULL);
	cs->selected = cs->top = 0;
}

/* Runs only while the catalog is active: ask for what the view needs,
 * read the rows in view again now and then, and speak on the status
 * line. */
static bool
catalog_tick(struct screen *s, int64_t now_ms)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;

	if (cs->last_refresh_ms == 0)
		cs->last_refresh_ms = now_ms;
	if (now_ms - cs->last_refresh_ms >= LIVE_REFRESH_MS) {
		cs->last_refresh_ms = now_ms;
		/* Only while nothing else is waiting for the connection. */
		if (!cs->failed && !cs->want_end && cs->count > 0 &&
		    tui_calls_pending(cs->base.tui, NULL) == 0)
			cs->epoch++;
	}
	pump(cs);
	if (cs->error[0] != '\0') {
		tui_status_error(cs->base.tui, "%s", cs->error);
		cs->error[0] = '\0';
		cs->announce = false;
		return true;
	}
	if (cs->announce) {
		cs->announce = false;
		report_count(cs);
		return true;
	}
	return false;
}

/* Move by DELTA rows within what is loaded; pump() fetches ahead. */
static void
move_selection(struct catalog_screen *cs, long delta)
{
	long target = (long)cs->selected + delta;

	if (target < 0 || cs->count == 0)
		target = 0;
	else if ((size_t)target >= cs->count)
		target = (long)cs->count - 1;
	cs->selected = (size_t)target;
	cs->want_end = false;
}

/* The strip entry of the applied category: -1 for All, an index into
 * cats, or cats.count when it is not in the list (any more). */
static long
category_index(const struct catalog_screen *cs)
{
	if (cs->category == NULL)
		return -1;
	for (size_t i = 0; i < cs->cats.count; i++)
		if (strcmp(cs->cats.items[i].category, cs->category) == 0)
			return (long)i;
	return (long)cs->cats.count;
}

/* Apply strip entry INDEX (-1 for All). */
static void
choose_category(struct catalog_screen *cs, long index)
{
	char *category = index >= 0 && (size_t)index < cs->cats.count
	                 ? xstrdup(cs->cats.items[index].category) : NULL;

	set_filter(cs, cs->search ? xstrdup(cs->search) : NULL, category);
}

/* Tab / c: the next category after the applied one (All, then each one
 * in order, then All again); STEP -1 goes back. */
static void
cycle_category(struct catalog_screen *cs, int step)
{
	long n = (long)cs->cats.count, i = category_index(cs);

	if (n == 0) {
		tui_status_error(cs->base.tui, "The categories are not loaded yet; F5 loads them.");
		cs->quiet = true;
		return;
	}
	if (i >= n)
		i = -1;
	/* n + 1 entries: All is -1. */
	i = (i + 1 + step + (n + 1)) % (n + 1) - 1;
	choose_category(cs, i);
}

/* Keys while the search line is open: all of them go to the field. */
static int
search_key(struct catalog_screen *cs, const struct tui_key *key)
{
	char *text;

	switch (line_edit_key(&cs->edit, key)) {
	case LINE_EDIT_ACCEPT:
		text = line_edit_text(&cs->edit);
		cs->searching = false;
		if (!*text) {
			free(text);
			text = NULL;
		}
		set_filter(cs, text, cs->category ? xstrdup(cs->category) : NULL);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		cs->searching = false;
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(cs->base.tui, &cs->edit);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	/* F-keys and the like fall through to the manager (F10, F1). */
	return SR_IGNORED;
}

/* A left click: on the strip it picks that category; on a row it selects
 * it, and on the selected row it opens it. */
static int
click(struct catalog_screen *cs, const struct tui_key *key)
{
	size_t i;

	if (key->y == 0) {
		for (int k = 0; k < cs->nslots; k++)
			if (key->x >= cs->slots[k].x0 && key->x < cs->slots[k].x1 &&
			    cs->slots[k].index != category_index(cs)) {
				choose_category(cs, cs->slots[k].index);
				break;
			}
		return SR_HANDLED | SR_REDRAW;
	}
	if (key->y < LIST_TOP)
		return SR_HANDLED;
	i = cs->top + (size_t)(key->y - LIST_TOP);
	if (i >= cs->count)
		return SR_HANDLED;
	if (i == cs->selected) {
		open_selected(cs);
	} else {
		cs->selected = i;
		cs->want_end = false;
	}
	return SR_HANDLED | SR_REDRAW;
}

/* Enter: the product's own page. */
static void
open_selected(struct catalog_screen *cs)
{
	if (cs->selected < cs->count)
		product_screen_open(cs->base.tui, cs->rows[cs->selected].item.id);
}

/* a: one more of the selected product in the cart; a sold-out product
 * is refused here rather than by the server. */
static void
add_selected(struct catalog_screen *cs)
{
	const struct catalog_item *it;

	if (cs->selected >= cs->count)
		return;
	it = &cs->rows[cs->selected].item;
	cs->quiet = true;
	if (it->stock <= 0)
		tui_status_error(cs->base.tui, "%s is sold out: it cannot be added to the cart.",
		                 it->name);
	else
		tui_cart_add(cs->base.tui, it->id, it->name);
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
	if (key_is_char(key, TUI_KEY_ESC)) {
		if (!cs->search && !cs->category)
			return SR_IGNORED;
		set_filter(cs, NULL, NULL);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'r')) {
		catalog_reload(s);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'\t') || key_is_char(key, L'c')) {
		cycle_category(cs, 1);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_BTAB) || key_is_char(key, L'C')) {
		cycle_category(cs, -1);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_enter(key)) {
		open_selected(cs);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'a')) {
		add_selected(cs);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_MOUSE))
		return click(cs, key);
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
		/* The last row as far as loaded now; pump() walks on, and the
		 * selection follows each page until the last. */
		move_selection(cs, (long)cs->count);
		cs->want_end = !cs->at_end;
	} else
		return SR_IGNORED;
	cs->quiet = false;
	keep_in_view(cs);
	return SR_HANDLED | SR_REDRAW;
}

/* The strip's text for entry I (-1 All, an index into cats, cats.count
 * for an applied category no longer listed); the applied one in
 * brackets, the others in blanks of the same width. */
static void
strip_label(const struct catalog_screen *cs, long i, bool on, int64_t all, char *buf,
            size_t len)
{
	const char *open = on ? "[" : " ", *close = on ? "]" : " ";

	if (i < 0)
		snprintf(buf, len, "%sAll (%lld)%s", open, (long long)all, close);
	else if ((size_t)i < cs->cats.count)
		snprintf(buf, len, "%s%s (%lld)%s", open, cs->cats.items[i].category,
		         (long long)cs->cats.items[i].products, close);
	else
		snprintf(buf, len, "%s%s%s", open, cs->category, close);
}

/* The first body row: "All" and every category with its product count,
 * the applied one in brackets, scrolled so that it shows. Each entry is
 * remembered for mouse clicks. */
static void
draw_strip(struct catalog_screen *cs, WINDOW *win, int w)
{
	long n = (long)cs->cats.count, active = category_index(cs), first = -1;
	/* An applied category that is not listed (any more) comes last. */
	long last = active < n ? n - 1 : n;
	int64_t all = 0;
	char label[160];
	int x = 1, limit = w - 1;

	for (long i = 0; i < n; i++)
		all += cs->cats.items[i].products;
	/* Scroll: drop entries from the left until the applied one fits
	 * after the two columns of the "more on the left" mark. */
	while (first < active) {
		int width = 0;

		for (long i = first; i <= active; i++) {
			wchar_t *ws;

			strip_label(cs, i, i == active, all, label, sizeof label);
			ws = text_widen(label);
			width += text_width(ws);
			free(ws);
		}
		if (width <= limit - x - 2)
			break;
		first++;
	}
	wattrset(win, A_NORMAL);
	mvwhline(win, 0, 0, ' ', w);
	cs->nslots = 0;
	if (first > -1)
		x += text_draw(win, 0, x, 2, text_glyph("\u2026 ", "< "), TEXT_LEFT);
	/* text_draw ends a cut entry with an ellipsis: more on the right. */
	for (long i = first; i <= last && x < limit; i++) {
		int x0 = x;

		strip_label(cs, i, i == active, all, label, sizeof label);
		wattrset(win, crt_attr(i == active ? COLOR_SELECTED : COLOR_CATEGORY));
		x += text_draw(win, 0, x, limit - x, label, TEXT_LEFT);
		if (cs->nslots < STRIP_SLOTS_MAX)
			cs->slots[cs->nslots++] = (struct strip_slot){ x0, x, i };
	}
	wattrset(win, A_NORMAL);
}

/* One product row. The category is printed on the first row of its group
 * (and on the top row, so a scrolled view still says where it is). */
static void
draw_row(struct catalog_screen *cs, WINDOW *win, int y, size_t i, int cat_w, int name_w)
{
	const struct catalog_item *it = &cs->rows[i].item;
	bool sel = i == cs->selected;
	bool group_start = i == 0 || i == cs->top ||
	                   strcmp(it->category, cs->rows[i - 1].item.category) != 0;
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

/* The category strip, the column titles, products below. */
static void
catalog_draw(struct screen *s, WINDOW *win)
{
	struct catalog_screen *cs = (struct catalog_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);
	/* Stock 13 + price 12 + gaps; the category takes a fifth, the name the rest. */
	int cat_w = w / 5 < 14 ? 14 : (w / 5 > 24 ? 24 : w / 5);
	int name_w = w - 1 - cat_w - 1 - 1 - 12 - 2 - 13 - 1;

	cs->visible = h - LIST_TOP > 0 ? h - LIST_TOP : 1;
	draw_strip(cs, win, w);
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 1, 0, ' ', w);
	text_draw(win, 1, 1, cat_w, "Category", TEXT_LEFT);
	text_draw(win, 1, 1 + cat_w + 1, name_w, "Product", TEXT_LEFT);
	text_draw(win, 1, 1 + cat_w + 1 + name_w + 1, 12, "Price", TEXT_RIGHT);
	text_draw(win, 1, w - 1 - 13, 13, "Stock", TEXT_LEFT);
	wattrset(win, A_NORMAL);

	if (cs->count == 0) {
		const char *msg = cs->failed ? "The catalog could not be loaded; F5 tries again."
		                  : !cs->at_end ? "Loading the catalog..."
		                  : cs->search || cs->category ? "No product matches; Esc shows all."
		                  : "No products yet (bazar seed-demo loads the demo shop).";

		text_draw(win, LIST_TOP + 1, 2, w - 4, msg, TEXT_LEFT);
		return;
	}
	keep_in_view(cs);
	for (int row = 0; row < cs->visible && cs->top + (size_t)row < cs->count; row++)
		draw_row(cs, win, LIST_TOP + row, cs->top + (size_t)row, cat_w, name_w);
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
