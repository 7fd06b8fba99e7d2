/* The console's Orders screen (F3): every order, newest change first,
 * kept live by polling the order-change feed about every second
 * (db_staff_order_changes_request; docs/api.md section 11 says why a
 * poll and not LISTEN/NOTIFY): a new or changed order shows up within a
 * second or two without a key, briefly highlighted, and the cursor stays
 * on its order while rows move. s cycles the status filter, m the
 * payment method, / matches the customer's e-mail, o cycles the sort;
 * Enter opens the detail (staff_order_detail.c), where c reveals the
 * codes (audited).
 *
 * How the list stays whole: the feed's cursor is taken first ("from now
 * on"), then every order is read in pages (db_staff_orders_request,
 * keyset by change_seq). Each poll names the orders changed since, with
 * their change_seq; those not already held at that change_seq are read
 * again with db_staff_orders_request from just below the lowest one. A
 * change the load saw comes again through the feed and is merged the
 * same way, so nothing is lost between the two. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/manager.h"
#include "tui/screen.h"
#include "tui/staff_order_detail.h"
#include "tui/text.h"

/* The feed is polled this often while the screen is shown. */
#define LIVE_POLL_MS 1000
/* After a failed poll the wait doubles, up to 2^POLL_BACKOFF_MAX times,
 * so a database that is down is not hammered. */
#define POLL_BACKOFF_MAX 3
/* Orders per page (api_staff_orders' largest) and changes per poll. */
#define LIVE_PAGE 500
#define FEED_LIMIT 1000
/* A new or changed row stands out this long. */
#define FLASH_MS 5000
/* Columns that do not change with the terminal's width. */
#define WHEN_W 11
#define NUMBER_W 8
#define STATUS_W 9
#define METHOD_W 6
#define ITEMS_W 5
#define TOTAL_W 10
#define EMAIL_MAX_W 40
#define SEARCH_MAX 60

enum live_call {
	CALL_CURSOR = 1,  /* the feed's first call: where "from now on" starts */
	CALL_LOAD,        /* a page of every order */
	CALL_FEED,        /* a poll of the feed */
	CALL_FETCH,       /* orders changed since the feed's lowest unseen change */
};

enum status_filter { FILTER_ALL, FILTER_AWAITING, FILTER_FULFILLED, FILTER_CANCELLED, FILTER_N };
enum method_filter { METHOD_ALL, METHOD_WALLET, METHOD_BANK, METHOD_N };
enum sort_order { SORT_NEWEST, SORT_OLDEST, SORT_TOTAL, SORT_N };

/* One order as listed, and until when it is highlighted. */
struct live_row {
	struct db_staff_order o;
	int64_t flash_until_ms;
};

struct live_screen {
	struct screen base;              /* first: the manager sees a struct screen */
	struct live_row *rows;           /* owned; every order known, in no order */
	size_t count, cap;
	struct live_row **view;          /* owned array; rows passing the filters, sorted */
	size_t nview;
	bool started;                    /* the cursor and the first load were asked for */
	bool loaded, failed;             /* the first load finished / failed */
	bool feed_pending, fetch_pending, load_pending;
	bool have_cursor;
	int64_t feed_after;              /* the feed's cursor */
	int64_t last_poll_ms;
	int poll_failures;               /* failed polls in a row (the backoff) */
	unsigned generation;             /* bumped by forget: older answers are dropped */
	enum status_filter status;
	enum method_filter method;
	enum sort_order sort;
	struct line_edit search;
	bool searching;                  /* the e-mail prompt is open */
	char *search_text;               /* owned; "" matches every e-mail */
	char selected_id[DB_UUID_SIZE];  /* the cursor follows its order */
	size_t selected, top;
	int visible;
	struct staff_detail detail;
};

extern const struct screen_ops screen_staff_live_ops;

static const struct screen_key live_keys_list[] = {
	{ "s", "Status", "Show all / awaiting / fulfilled / cancelled orders", true },
	{ "/", "E-mail", "Show the orders of customers whose e-mail contains a text", true },
	{ "m", "", "Show all / wallet / bank-transfer orders", false },
	{ "o", "", "Sort: newest change, oldest change, total", false },
	{ "Enter", "", "Open the order: items, promo, proofs, codes (c reveals, audited)", false },
	{ "Up/Down", "", "Move the selection (also k/j); Home/End: first/last", false },
	{ "Click", "", "Select an order; click it again to open it", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key search_keys_list[] = {
	{ "Enter", "Done", "Keep this filter", true },
	{ "Esc", "Clear", "Show every customer again", true },
	{ NULL, NULL, NULL, false },
};

static const char *const status_names[FILTER_N] = { "all", "awaiting", "fulfilled", "cancelled" };
static const char *const method_names[METHOD_N] = { "any", "wallet", "bank" };
static const char *const sort_names[SORT_N] = { "newest change", "oldest change", "total" };

static struct screen *live_create(struct tui *tui);
static void live_destroy(struct screen *s);
static void live_draw(struct screen *s, WINDOW *win);
static bool live_draw_prompt(struct screen *s, WINDOW *win, int width);
static int live_handle_key(struct screen *s, const struct tui_key *key);
static void live_reload(struct screen *s);
static const struct screen_key *live_keys(const struct screen *s);
static void live_forget(struct screen *s);
static bool live_tick(struct screen *s, int64_t now_ms);
static void done_cb(struct screen *s, int tag, struct db_request *req);
static void queue_feed(struct live_screen *ls, enum live_call call, int64_t after);
static void queue_orders(struct live_screen *ls, enum live_call call, int64_t after_seq);
static void feed_done(struct live_screen *ls, enum live_call call, struct db_request *req);
static void orders_done(struct live_screen *ls, enum live_call call, struct db_request *req);
static bool upsert(struct live_screen *ls, struct db_staff_order *o, int64_t now_ms);
static void drop_order(struct db_staff_order *o);
static struct live_row *find_row(struct live_screen *ls, const char *order_id);
static void rebuild_view(struct live_screen *ls);
static bool row_passes(const struct live_screen *ls, const struct live_row *r);
static int cmp_newest(const void *a, const void *b);
static int cmp_oldest(const void *a, const void *b);
static int cmp_total(const void *a, const void *b);
static void select_view_row(struct live_screen *ls, size_t row);
static int list_key(struct live_screen *ls, const struct tui_key *key);
static int search_key(struct live_screen *ls, const struct tui_key *key);
static void take_search(struct live_screen *ls);
static void draw_row(struct live_screen *ls, WINDOW *win, int y, size_t i, int email_w,
                     int64_t now_ms);

const struct screen_ops screen_staff_live_ops = {
	.name = "live",
	.title = "Orders",
	.create = live_create,
	.destroy = live_destroy,
	.draw = live_draw,
	.draw_prompt = live_draw_prompt,
	.handle_key = live_handle_key,
	.reload = live_reload,
	.keys = live_keys,
	.forget = live_forget,
	.tick = live_tick,
	.needs_login = true,
};

static struct screen *
live_create(struct tui *tui)
{
	struct live_screen *ls = xcalloc(1, sizeof *ls);

	ls->base.ops = &screen_staff_live_ops;
	ls->base.tui = tui;
	ls->visible = LINES > 6 ? LINES - 5 : 1;
	ls->search.max = SEARCH_MAX;
	ls->search_text = xstrdup("");
	staff_detail_init(&ls->detail, &ls->base, done_cb);
	return &ls->base;
}

static void
live_destroy(struct screen *s)
{
	struct live_screen *ls = (struct live_screen *)s;

	live_forget(s);
	free(ls->search_text);
	free(ls);
}

/* Log-out: nothing of the staff member's stays; answers on their way are
 * dropped when they arrive. */
static void
live_forget(struct screen *s)
{
	struct live_screen *ls = (struct live_screen *)s;

	staff_detail_forget(&ls->detail);
	for (size_t i = 0; i < ls->count; i++)
		drop_order(&ls->rows[i].o);
	free(ls->rows);
	free(ls->view);
	ls->rows = NULL;
	ls->view = NULL;
	ls->count = ls->cap = ls->nview = 0;
	ls->started = ls->loaded = ls->failed = false;
	ls->feed_pending = ls->fetch_pending = ls->load_pending = ls->have_cursor = false;
	ls->feed_after = 0;
	ls->last_poll_ms = 0;
	ls->poll_failures = 0;
	ls->status = FILTER_ALL;
	ls->method = METHOD_ALL;
	ls->sort = SORT_NEWEST;
	line_edit_wipe(&ls->search);
	ls->searching = false;
	free(ls->search_text);
	ls->search_text = xstrdup("");
	ls->selected_id[0] = '\0';
	ls->selected = ls->top = 0;
	ls->generation++;
}

/* A feed call: CALL_CURSOR asks where "from now on" starts (AFTER -1). */
static void
queue_feed(struct live_screen *ls, enum live_call call, int64_t after)
{
	struct db_request req;
	const char *token = tui_token(ls->base.tui);

	if (token == NULL || ls->feed_pending)
		return;
	db_staff_order_changes_request(&req, token, after, FEED_LIMIT);
	ls->feed_pending = true;
	tui_call(ls->base.tui, &ls->base, staff_tag(ls->generation, (int)call), &req,
	         TUI_CALL_REPLAY_SAFE, "Watching the orders", done_cb);
}

/* Every order (CALL_LOAD) or those changed (CALL_FETCH) after AFTER_SEQ. */
static void
queue_orders(struct live_screen *ls, enum live_call call, int64_t after_seq)
{
	struct db_request req;
	const char *token = tui_token(ls->base.tui);

	if (token == NULL)
		return;
	db_staff_orders_request(&req, token, NULL, LIVE_PAGE, after_seq);
	if (call == CALL_LOAD)
		ls->load_pending = true;
	else
		ls->fetch_pending = true;
	tui_call(ls->base.tui, &ls->base, staff_tag(ls->generation, (int)call), &req,
	         TUI_CALL_REPLAY_SAFE, call == CALL_LOAD ? "Reading the orders" : "Reading changed orders",
	         done_cb);
}

static void
done_cb(struct screen *s, int tag, struct db_request *req)
{
	struct live_screen *ls = (struct live_screen *)s;
	enum live_call call = (enum live_call)staff_tag_kind(tag);

	if (staff_detail_owns(tag)) {
		staff_detail_done(&ls->detail, tag, req);
		return;
	}
	if (!staff_tag_current(tag, ls->generation))
		return;
	if (call == CALL_CURSOR || call == CALL_FEED)
		feed_done(ls, call, req);
	else if (call == CALL_LOAD || call == CALL_FETCH)
		orders_done(ls, call, req);
}

/* A poll answered: read again the orders it names that are newer than
 * what is held. */
static void
feed_done(struct live_screen *ls, enum live_call call, struct db_request *req)
{
	struct db_order_changes changes;
	char err[256];
	bz_err rc = db_staff_order_changes_result(req, &changes, err, sizeof err);
	int64_t lowest = INT64_MAX;

	ls->feed_pending = false;
	ls->last_poll_ms = tui_now_ms();
	if (rc != BZ_OK) {
		if (ls->poll_failures < POLL_BACKOFF_MAX)
			ls->poll_failures++;
		if (call == CALL_CURSOR)
			ls->started = false;
		if (rc != BZ_ERR_AUTH)
			tui_status_error(ls->base.tui, "The order feed could not be read: %s", err);
		return;
	}
	ls->poll_failures = 0;
	ls->feed_after = changes.next_after;
	ls->have_cursor = true;
	for (size_t i = 0; i < changes.count; i++) {
		const struct db_order_change *c = &changes.items[i];
		struct live_row *r = find_row(ls, c->order_id);

		if (r != NULL && r->o.change_seq >= c->change_seq)
			continue;
		if (c->change_seq < lowest)
			lowest = c->change_seq;
		/* The open order changed: its detail is read again too. */
		if (ls->detail.open && strcmp(ls->detail.order_id, c->order_id) == 0)
			staff_detail_refresh(&ls->detail);
	}
	/* A full answer may have more behind it: poll again at once. */
	if (changes.count >= FEED_LIMIT)
		ls->last_poll_ms = 0;
	db_order_changes_free(&changes);
	if (lowest != INT64_MAX && !ls->fetch_pending)
		queue_orders(ls, CALL_FETCH, lowest - 1);
}

/* A page of orders: merge it; ask for the next when it was full. */
static void
orders_done(struct live_screen *ls, enum live_call call, struct db_request *req)
{
	struct db_staff_orders page;
	char err[256];
	bz_err rc = db_staff_orders_result(req, &page, err, sizeof err);
	int64_t now_ms = tui_now_ms();
	struct db_staff_order *newest = NULL;
	size_t fresh = 0;

	if (call == CALL_LOAD)
		ls->load_pending = false;
	else
		ls->fetch_pending = false;
	if (rc != BZ_OK) {
		if (call == CALL_LOAD && !ls->loaded) {
			ls->failed = true;
			ls->started = false;
		}
		if (rc != BZ_ERR_AUTH)
			tui_status_error(ls->base.tui, "The orders could not be read: %s", err);
		return;
	}
	for (size_t i = 0; i < page.count; i++)
		if (upsert(ls, &page.items[i], call == CALL_FETCH && ls->loaded ? now_ms : 0)) {
			fresh++;
			newest = &ls->rows[ls->count - 1].o;
		}
	if (page.count == LIVE_PAGE)
		queue_orders(ls, call, page.items[page.count - 1].change_seq);
	else if (call == CALL_LOAD) {
		ls->loaded = true;
		ls->failed = false;
		tui_status(ls->base.tui, "%zu order%s, live %s Enter opens one", ls->count,
		           ls->count == 1 ? "" : "s", text_glyph("\u00b7", "-"));
	}
	if (call == CALL_FETCH && ls->loaded && newest != NULL) {
		char total[MONEY_FORMAT_MAX];

		money_format(newest->total_cents, total, sizeof total);
		if (fresh == 1)
			tui_status(ls->base.tui, "New order %.8s from %s: %s, %s.", newest->order_id,
			           newest->customer_email, total,
			           staff_method_words(newest->payment_method, false));
		else
			tui_status(ls->base.tui, "%zu new orders.", fresh);
	}
	/* upsert moved what it kept; the rest (older states) goes here. */
	db_staff_orders_free(&page);
	rebuild_view(ls);
}

/* Free the strings of one listed order (the rows are kept in this
 * screen's own array, not in a struct db_staff_orders). */
static void
drop_order(struct db_staff_order *o)
{
	free(o->status);
	free(o->customer_email);
	free(o->payment_method);
	free(o->decided_by_email);
	free(o->decision_reason);
	memset(o, 0, sizeof *o);
}

/* The row of ORDER_ID, NULL when not held. */
static struct live_row *
find_row(struct live_screen *ls, const char *order_id)
{
	for (size_t i = 0; i < ls->count; i++)
		if (strcmp(ls->rows[i].o.order_id, order_id) == 0)
			return &ls->rows[i];
	return NULL;
}

/* Take O (its strings move, O is left owning nothing) unless an equal or
 * newer state is held; FLASH_FROM_MS > 0 highlights it. True when the
 * order was new. */
static bool
upsert(struct live_screen *ls, struct db_staff_order *o, int64_t flash_from_ms)
{
	struct live_row *r = find_row(ls, o->order_id);
	bool fresh = r == NULL;

	if (r != NULL && r->o.change_seq >= o->change_seq)
		return false;
	if (r == NULL) {
		if (ls->count == ls->cap) {
			ls->cap = ls->cap ? ls->cap * 2 : 256;
			ls->rows = xrealloc(ls->rows, ls->cap * sizeof *ls->rows);
		}
		r = &ls->rows[ls->count++];
		memset(r, 0, sizeof *r);
	} else {
		drop_order(&r->o);
	}
	r->o = *o;
	memset(o, 0, sizeof *o);
	r->flash_until_ms = flash_from_ms > 0 ? flash_from_ms + FLASH_MS : 0;
	return fresh;
}

/* Does R pass the status, method and e-mail filters? */
static bool
row_passes(const struct live_screen *ls, const struct live_row *r)
{
	const char *st = r->o.status;

	switch (ls->status) {
	case FILTER_AWAITING:
		if (strcmp(st, "awaiting_payment") != 0)
			return false;
		break;
	case FILTER_FULFILLED:
		if (strcmp(st, "fulfilled") != 0)
			return false;
		break;
	case FILTER_CANCELLED:
		if (strcmp(st, "cancelled") != 0)
			return false;
		break;
	default:
		break;
	}
	if (ls->method == METHOD_WALLET && strcmp(r->o.payment_method, "wallet") != 0)
		return false;
	if (ls->method == METHOD_BANK && strcmp(r->o.payment_method, "bank_transfer") != 0)
		return false;
	return ls->search_text[0] == '\0' || strcasestr(r->o.customer_email, ls->search_text) != NULL;
}

/* Newest change first (change_seq only grows). */
static int
cmp_newest(const void *a, const void *b)
{
	const struct live_row *x = *(const struct live_row *const *)a;
	const struct live_row *y = *(const struct live_row *const *)b;

	return x->o.change_seq < y->o.change_seq ? 1 : x->o.change_seq > y->o.change_seq ? -1 : 0;
}

static int
cmp_oldest(const void *a, const void *b)
{
	return -cmp_newest(a, b);
}

/* Largest total first; the newest change breaks ties. */
static int
cmp_total(const void *a, const void *b)
{
	const struct live_row *x = *(const struct live_row *const *)a;
	const struct live_row *y = *(const struct live_row *const *)b;

	if (x->o.total_cents != y->o.total_cents)
		return x->o.total_cents < y->o.total_cents ? 1 : -1;
	return cmp_newest(a, b);
}

/* The filtered, sorted view; the cursor stays on its order. */
static void
rebuild_view(struct live_screen *ls)
{
	int (*cmp)(const void *, const void *) = ls->sort == SORT_OLDEST ? cmp_oldest
	                                         : ls->sort == SORT_TOTAL ? cmp_total : cmp_newest;

	ls->view = xrealloc(ls->view, (ls->count + 1) * sizeof *ls->view);
	ls->nview = 0;
	for (size_t i = 0; i < ls->count; i++)
		if (row_passes(ls, &ls->rows[i]))
			ls->view[ls->nview++] = &ls->rows[i];
	qsort(ls->view, ls->nview, sizeof *ls->view, cmp);
	for (size_t i = 0; ls->selected_id[0] && i < ls->nview; i++)
		if (strcmp(ls->view[i]->o.order_id, ls->selected_id) == 0) {
			ls->selected = i;
			return;
		}
	select_view_row(ls, ls->selected);
}

/* Put the cursor on view row ROW and remember its order. */
static void
select_view_row(struct live_screen *ls, size_t row)
{
	if (ls->nview == 0) {
		ls->selected = 0;
		return;
	}
	if (row >= ls->nview)
		row = ls->nview - 1;
	ls->selected = row;
	memcpy(ls->selected_id, ls->view[row]->o.order_id, DB_UUID_SIZE);
}

/* Shown (or F5): the first time, take the feed's cursor and read every
 * order; afterwards, catch up with the feed at once. */
static void
live_reload(struct screen *s)
{
	struct live_screen *ls = (struct live_screen *)s;

	if (tui_token(s->tui) == NULL)
		return;
	if (!ls->started) {
		ls->started = true;
		ls->have_cursor = false;
		/* The cursor first: any change after it comes through the feed. */
		queue_feed(ls, CALL_CURSOR, -1);
		if (!ls->load_pending)
			queue_orders(ls, CALL_LOAD, 0);
	} else if (ls->have_cursor) {
		queue_feed(ls, CALL_FEED, ls->feed_after);
	}
	staff_detail_refresh(&ls->detail);
}

/* Every ~100 ms while shown: poll the feed every LIVE_POLL_MS when none of
 * this screen's calls waits; redraw while a highlight fades. */
static bool
live_tick(struct screen *s, int64_t now_ms)
{
	struct live_screen *ls = (struct live_screen *)s;
	bool redraw = false;

	if (ls->loaded && ls->have_cursor && tui_token(s->tui) != NULL &&
	    tui_calls_pending(s->tui, s) == 0 &&
	    now_ms - ls->last_poll_ms >= ((int64_t)LIVE_POLL_MS << ls->poll_failures)) {
		ls->last_poll_ms = now_ms;
		queue_feed(ls, CALL_FEED, ls->feed_after);
	}
	for (size_t i = 0; i < ls->count && !redraw; i++)
		if (ls->rows[i].flash_until_ms != 0 && ls->rows[i].flash_until_ms <= now_ms) {
			ls->rows[i].flash_until_ms = 0;
			redraw = true;
		}
	return redraw;
}

/* The e-mail filter as typed so far becomes the filter. */
static void
take_search(struct live_screen *ls)
{
	free(ls->search_text);
	ls->search_text = line_edit_text(&ls->search);
	rebuild_view(ls);
}

/* Keys while the e-mail prompt is open: the list follows every key. */
static int
search_key(struct live_screen *ls, const struct tui_key *key)
{
	switch (line_edit_key(&ls->search, key)) {
	case LINE_EDIT_ACCEPT:
		ls->searching = false;
		take_search(ls);
		tui_status(ls->base.tui, "%zu order%s match.", ls->nview, ls->nview == 1 ? "" : "s");
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		ls->searching = false;
		line_edit_wipe(&ls->search);
		take_search(ls);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		take_search(ls);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(ls->base.tui, &ls->search);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	return key->is_code ? SR_IGNORED : SR_HANDLED;
}

/* Keys on the list. */
static int
list_key(struct live_screen *ls, const struct tui_key *key)
{
	long page = ls->visible > 1 ? ls->visible - 1 : 1;
	long target = (long)ls->selected;

	if (key_is_enter(key)) {
		if (ls->selected < ls->nview)
			staff_detail_open(&ls->detail, ls->view[ls->selected]->o.order_id);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L's') || key_is_char(key, L'm') || key_is_char(key, L'o')) {
		if (key_is_char(key, L's'))
			ls->status = (enum status_filter)((ls->status + 1) % FILTER_N);
		else if (key_is_char(key, L'm'))
			ls->method = (enum method_filter)((ls->method + 1) % METHOD_N);
		else
			ls->sort = (enum sort_order)((ls->sort + 1) % SORT_N);
		rebuild_view(ls);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'/')) {
		ls->searching = true;
		line_edit_set(&ls->search, ls->search_text);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_MOUSE)) {
		/* Rows 0 and 1 are the filter line and the column titles. */
		size_t row = ls->top + (size_t)(key->y - 2);

		if (key->y < 2 || row >= ls->nview)
			return SR_HANDLED;
		if (row == ls->selected)
			staff_detail_open(&ls->detail, ls->view[row]->o.order_id);
		else
			select_view_row(ls, row);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		target--;
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		target++;
	else if (key_is_code(key, KEY_PPAGE))
		target -= page;
	else if (key_is_code(key, KEY_NPAGE) || key_is_char(key, L' '))
		target += page;
	else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g'))
		target = 0;
	else if (key_is_code(key, KEY_END) || key_is_char(key, L'G'))
		target = (long)ls->nview;
	else
		return SR_IGNORED;
	select_view_row(ls, target < 0 ? 0 : (size_t)target);
	return SR_HANDLED | SR_REDRAW;
}

static int
live_handle_key(struct screen *s, const struct tui_key *key)
{
	struct live_screen *ls = (struct live_screen *)s;

	if (ls->searching)
		return search_key(ls, key);
	if (ls->detail.open)
		return staff_detail_key(&ls->detail, key);
	return list_key(ls, key);
}

static bool
live_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct live_screen *ls = (struct live_screen *)s;
	int lw;

	if (ls->detail.open)
		return staff_detail_draw_prompt(&ls->detail, win, width);
	if (!ls->searching)
		return false;
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	lw = text_draw(win, 0, 0, width / 2, "Customer e-mail contains: ", TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(&ls->search, win, 0, lw, width - lw);
	return true;
}

static const struct screen_key *
live_keys(const struct screen *s)
{
	const struct live_screen *ls = (const struct live_screen *)s;

	if (ls->searching)
		return search_keys_list;
	if (ls->detail.open)
		return staff_detail_keys(&ls->detail, false);
	return live_keys_list;
}

/* One order row; a new or changed one is bold for a few seconds. */
static void
draw_row(struct live_screen *ls, WINDOW *win, int y, size_t i, int email_w, int64_t now_ms)
{
	const struct live_row *r = ls->view[i];
	const struct db_staff_order *o = &r->o;
	bool sel = i == ls->selected, flash = r->flash_until_ms > now_ms;
	attr_t base = crt_attr(sel ? COLOR_SELECTED : COLOR_DEFAULT) | (flash ? A_BOLD : 0);
	char when[32], number[NUMBER_W + 1], items[24], total[MONEY_FORMAT_MAX];
	enum crt_color color;
	const char *words = staff_status_words(o->status, o->decision_reason, o->decided_by_email, &color);
	int x = 1;

	text_time(o->created_us, when, sizeof when, "%m-%d %H:%M");
	snprintf(number, sizeof number, "%.8s", o->order_id);
	snprintf(items, sizeof items, "%lld", (long long)o->items);
	money_format(o->total_cents, total, sizeof total);
	wattrset(win, base);
	mvwhline(win, y, 0, ' ', getmaxx(win));
	x += text_draw(win, y, x, WHEN_W, when, TEXT_PAD) + 1;
	x += text_draw(win, y, x, NUMBER_W, number, TEXT_PAD) + 1;
	wattrset(win, sel ? base : crt_attr(color) | (flash ? A_BOLD : 0));
	x += text_draw(win, y, x, STATUS_W, words, TEXT_PAD) + 1;
	wattrset(win, base);
	x += text_draw(win, y, x, METHOD_W, staff_method_words(o->payment_method, true), TEXT_PAD) + 1;
	x += text_draw(win, y, x, email_w, o->customer_email, TEXT_PAD) + 1;
	x += text_draw(win, y, x, ITEMS_W, items, TEXT_RIGHT | TEXT_PAD) + 1;
	wattrset(win, sel ? base : crt_attr(COLOR_PRICE) | (flash ? A_BOLD : 0));
	text_draw(win, y, x, TOTAL_W, total, TEXT_RIGHT);
	wattrset(win, A_NORMAL);
}

/* The filters on the first row, column titles on the second, orders below. */
static void
live_draw(struct screen *s, WINDOW *win)
{
	struct live_screen *ls = (struct live_screen *)s;
	int h = getmaxy(win), w = getmaxx(win), x = 1, email_w;
	int64_t now_ms = tui_now_ms();
	const char *dot = text_glyph("\u00b7", "-");
	char *line;

	if (ls->detail.open) {
		staff_detail_draw(&ls->detail, win);
		return;
	}
	email_w = w - (1 + WHEN_W + 1 + NUMBER_W + 1 + STATUS_W + 1 + METHOD_W + 1 + 1 + ITEMS_W + 1 +
	               TOTAL_W + 1);
	if (email_w > EMAIL_MAX_W)
		email_w = EMAIL_MAX_W;
	ls->visible = h - 2 > 0 ? h - 2 : 1;

	line = xasprintf("%zu of %zu orders %s status %s %s pay %s %s sort %s %s e-mail %s%s%s", ls->nview,
	                 ls->count, dot, status_names[ls->status], dot, method_names[ls->method], dot,
	                 sort_names[ls->sort], dot, ls->search_text[0] ? "\"" : "any", ls->search_text,
	                 ls->search_text[0] ? "\"" : "");
	wattrset(win, crt_attr(COLOR_CATEGORY));
	text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(line);

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 1, 0, ' ', w);
	x += text_draw(win, 1, x, WHEN_W, "Placed", TEXT_PAD) + 1;
	x += text_draw(win, 1, x, NUMBER_W, "Order", TEXT_PAD) + 1;
	x += text_draw(win, 1, x, STATUS_W, "Status", TEXT_PAD) + 1;
	x += text_draw(win, 1, x, METHOD_W, "Pay", TEXT_PAD) + 1;
	x += text_draw(win, 1, x, email_w, "Customer", TEXT_PAD) + 1;
	x += text_draw(win, 1, x, ITEMS_W, "Items", TEXT_RIGHT | TEXT_PAD) + 1;
	text_draw(win, 1, x, TOTAL_W, "Total", TEXT_RIGHT);
	wattrset(win, A_NORMAL);

	if (ls->nview == 0) {
		const char *msg = ls->failed ? "The orders could not be read; F5 tries again."
		                  : !ls->loaded ? "Reading the orders..."
		                  : ls->count > 0 ? "No order matches the filters (s, m, /)."
		                  : "No orders yet. New ones show up here by themselves.";

		text_draw(win, 3, 2, w - 4, msg, TEXT_LEFT);
		return;
	}
	/* Keep the selection in view, and the view full after a resize. */
	if (ls->selected < ls->top)
		ls->top = ls->selected;
	if (ls->selected >= ls->top + (size_t)ls->visible)
		ls->top = ls->selected - (size_t)ls->visible + 1;
	if (ls->nview >= (size_t)ls->visible && ls->top + (size_t)ls->visible > ls->nview)
		ls->top = ls->nview - (size_t)ls->visible;
	for (int row = 0; row < ls->visible && ls->top + (size_t)row < ls->nview; row++)
		draw_row(ls, win, 2 + row, ls->top + (size_t)row, email_w, now_ms);
}
