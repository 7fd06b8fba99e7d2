/* The screen manager (htop's ScreenManager): one loop that reads keys,
 * handles resizes in one place, and draws the header line, the active
 * screen, the status line and the F-key bar. See screen.h for the screen
 * contract and tui.h for the entry point. */
#include "config.h"
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/crt.h"
#include "tui/screen.h"
#include "tui/text.h"

#define MIN_COLS 80
#define MIN_LINES 24
/* How long a key read may wait, in ms: the loop wakes up this often even
 * without input, so it never blocks forever. */
#define KEY_TIMEOUT_MS 250
#define SCREEN_MAX 16

struct tui {
	struct db_conn *db;          /* borrowed from the caller */
	const char *where;           /* header text, borrowed */
	struct screen *screens[SCREEN_MAX]; /* instances, parallel to screen_table */
	struct screen *active;
	char status[512];
	bool status_is_error;
	bool help_visible;
	bool too_small;
	/* Sub-windows of stdscr, rebuilt by layout(); NULL when too small. */
	WINDOW *header, *body, *status_win, *bar;
};

/* Keys every screen has; the manager handles them when the screen does not. */
static const struct screen_key global_keys_first[] = {
	{ "F1", "Help", "Show the keys of this screen (also ?)", true },
	{ NULL, NULL, NULL, false },
};
static const struct screen_key global_keys_last[] = {
	{ "F5", "Refresh", "Load the data again from the database", true },
	{ "F10", "Quit", "Leave Bazar (also q)", true },
	{ "Ctrl-L", "Redraw", "Repaint the whole terminal", false },
	{ NULL, NULL, NULL, false },
};

static void layout(struct tui *tui);
static void drop_windows(struct tui *tui);
static void draw(struct tui *tui);
static void draw_header(struct tui *tui);
static void draw_status(struct tui *tui);
static int draw_bar_keys(WINDOW *win, int x, const struct screen_key *keys);
static void draw_bar(struct tui *tui);
static void draw_help(struct tui *tui);
static void draw_too_small(void);
static int dispatch(struct tui *tui, const struct tui_key *key);
static void vstatus(struct tui *tui, bool is_error, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Free the sub-windows of the previous layout. */
static void
drop_windows(struct tui *tui)
{
	WINDOW **wins[] = { &tui->header, &tui->body, &tui->status_win, &tui->bar };

	for (size_t i = 0; i < sizeof wins / sizeof wins[0]; i++) {
		if (*wins[i] != NULL)
			delwin(*wins[i]);
		*wins[i] = NULL;
	}
}

/* The one place that turns LINES/COLS into windows: after start and after
 * every resize. Header on the first line, the F-key bar on the last, the
 * status line above it, the screen's body in between. */
static void
layout(struct tui *tui)
{
	drop_windows(tui);
	tui->too_small = LINES < MIN_LINES || COLS < MIN_COLS;
	if (tui->too_small)
		return;
	tui->header = derwin(stdscr, 1, COLS, 0, 0);
	tui->body = derwin(stdscr, LINES - 3, COLS, 1, 0);
	tui->status_win = derwin(stdscr, 1, COLS, LINES - 2, 0);
	tui->bar = derwin(stdscr, 1, COLS, LINES - 1, 0);
	if (!tui->header || !tui->body || !tui->status_win || !tui->bar) {
		drop_windows(tui);
		tui->too_small = true;
	}
}

/* "Bazar — where" on the left, the screen's title on the right. */
static void
draw_header(struct tui *tui)
{
	WINDOW *w = tui->header;
	const char *title = tui->active ? tui->active->ops->title : "";
	char *left = xasprintf("Bazar %s %s", text_glyph("\u2014", "-"), tui->where);
	int title_w = (int)strlen(title) + 2;

	wattrset(w, crt_attr(COLOR_TITLE));
	mvwhline(w, 0, 0, ' ', COLS);
	text_draw(w, 0, 1, COLS - title_w - 2, left, TEXT_LEFT);
	text_draw(w, 0, COLS - title_w, title_w - 1, title, TEXT_RIGHT);
	wattrset(w, A_NORMAL);
	free(left);
}

/* The active screen's prompt if it has one open, else the status message. */
static void
draw_status(struct tui *tui)
{
	WINDOW *w = tui->status_win;
	struct screen *s = tui->active;

	if (s && s->ops->draw_prompt && s->ops->draw_prompt(s, w, COLS))
		return;
	wattrset(w, crt_attr(tui->status_is_error ? COLOR_ERROR : COLOR_STATUS));
	text_draw(w, 0, 0, COLS, tui->status, tui->status_is_error ? TEXT_PAD : TEXT_LEFT);
	wattrset(w, A_NORMAL);
}

/* Draw the in_bar entries of KEYS from column X; returns the next column. */
static int
draw_bar_keys(WINDOW *win, int x, const struct screen_key *keys)
{
	for (; keys && keys->key; keys++) {
		int room = COLS - x, label_w;

		if (!keys->in_bar)
			continue;
		label_w = (int)strlen(keys->label) < 7 ? 7 : (int)strlen(keys->label) + 1;
		if (room < (int)strlen(keys->key) + 2)
			break;
		wattrset(win, crt_attr(COLOR_FKEY));
		x += text_draw(win, 0, x, room, keys->key, TEXT_LEFT);
		wattrset(win, crt_attr(COLOR_FKEY_LABEL));
		x += text_draw(win, 0, x, COLS - x < label_w ? COLS - x : label_w, keys->label,
		               TEXT_PAD);
	}
	return x;
}

/* The htop-style bar: key in one colour, its word in another; only keys
 * that work on the active screen right now. */
static void
draw_bar(struct tui *tui)
{
	const struct screen_key *mine =
		tui->active && tui->active->ops->keys ? tui->active->ops->keys(tui->active) : NULL;
	int x = 0;

	x = draw_bar_keys(tui->bar, x, global_keys_first);
	x = draw_bar_keys(tui->bar, x, mine);
	x = draw_bar_keys(tui->bar, x, global_keys_last);
	if (x < COLS) {
		wattrset(tui->bar, crt_attr(COLOR_FKEY_LABEL));
		mvwhline(tui->bar, 0, x, ' ', COLS - x);
	}
	wattrset(tui->bar, A_NORMAL);
}

/* F1: a box listing every key of the active screen, over the body. */
static void
draw_help(struct tui *tui)
{
	const struct screen_key *lists[3] = {
		global_keys_first,
		tui->active && tui->active->ops->keys ? tui->active->ops->keys(tui->active) : NULL,
		global_keys_last,
	};
	int rows = 0, h, w = COLS - 10 > 72 ? 72 : COLS - 10, y = 0;
	WINDOW *box_win;

	for (int l = 0; l < 3; l++)
		for (const struct screen_key *k = lists[l]; k && k->key; k++)
			rows++;
	h = rows + 4;
	if (h > LINES - 2)
		h = LINES - 2;
	box_win = derwin(stdscr, h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (box_win == NULL)
		return;
	wattrset(box_win, crt_attr(COLOR_HELP));
	for (int r = 0; r < h; r++)
		mvwhline(box_win, r, 0, ' ', w);
	box(box_win, 0, 0);
	text_draw(box_win, 0, 2, w - 4, " Keys (any key closes) ", TEXT_LEFT);
	for (int l = 0; l < 3; l++)
		for (const struct screen_key *k = lists[l]; k && k->key && y < h - 4; k++, y++) {
			text_draw(box_win, 2 + y, 2, 12, k->key, TEXT_LEFT);
			text_draw(box_win, 2 + y, 15, w - 17, k->help, TEXT_LEFT);
		}
	wattrset(box_win, A_NORMAL);
	delwin(box_win);
}

/* Below 80x24 the layout cannot work: say so instead of drawing garbage. */
static void
draw_too_small(void)
{
	char *msg = xasprintf("terminal too small (need %d%s%d)", MIN_COLS,
	                      text_glyph("\u00d7", "x"), MIN_LINES);
	wchar_t *ws = text_widen(msg);
	int len = text_width(ws);
	int x = COLS > len ? (COLS - len) / 2 : 0;

	wattrset(stdscr, crt_attr(COLOR_ERROR));
	text_draw_wide(stdscr, LINES / 2, x, COLS - x, ws, TEXT_LEFT);
	wattrset(stdscr, A_NORMAL);
	free(ws);
	free(msg);
}

/* Paint everything into stdscr (the sub-windows share its cells) and
 * send only the differences to the terminal. */
static void
draw(struct tui *tui)
{
	werase(stdscr);
	if (tui->too_small) {
		draw_too_small();
	} else {
		draw_header(tui);
		if (tui->active)
			tui->active->ops->draw(tui->active, tui->body);
		draw_status(tui);
		draw_bar(tui);
		if (tui->help_visible)
			draw_help(tui);
	}
	/* Sub-window writes do not mark stdscr changed; doupdate still sends
	 * only what differs from the terminal. */
	touchwin(stdscr);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Route one key: help box first, then the active screen, then the keys
 * every screen shares. Returns screen_result bits. */
static int
dispatch(struct tui *tui, const struct tui_key *key)
{
	int r;

	if (key_is_code(key, KEY_F(10)))
		return SR_QUIT;
	if (key_is_char(key, TUI_KEY_CTRL('l'))) {
		clearok(curscr, TRUE);
		return SR_REDRAW;
	}
	if (tui->too_small)
		return key_is_char(key, L'q') ? SR_QUIT : SR_IGNORED;
	if (tui->help_visible) {
		tui->help_visible = false;
		return SR_REDRAW;
	}
	if (tui->active) {
		r = tui->active->ops->handle_key(tui->active, key);
		if (r != SR_IGNORED)
			return r;
	}
	if (key_is_code(key, KEY_F(1)) || key_is_char(key, L'?')) {
		tui->help_visible = true;
		return SR_REDRAW;
	}
	if (key_is_code(key, KEY_F(5)) && tui->active && tui->active->ops->reload) {
		tui->active->ops->reload(tui->active);
		return SR_REDRAW;
	}
	if (key_is_char(key, L'q'))
		return SR_QUIT;
	return SR_IGNORED;
}

/* Set the status line; see tui_status. */
static void
vstatus(struct tui *tui, bool is_error, const char *fmt, va_list ap)
{
	vsnprintf(tui->status, sizeof tui->status, fmt, ap);
	tui->status_is_error = is_error;
}

struct db_conn *
tui_db(struct tui *tui)
{
	return tui->db;
}

void
tui_status(struct tui *tui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vstatus(tui, false, fmt, ap);
	va_end(ap);
}

void
tui_status_error(struct tui *tui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vstatus(tui, true, fmt, ap);
	va_end(ap);
}

bool
tui_show(struct tui *tui, const char *name)
{
	for (size_t i = 0; i < SCREEN_MAX && screen_table[i] != NULL; i++) {
		if (strcmp(screen_table[i]->name, name) != 0)
			continue;
		if (tui->screens[i] == NULL) {
			tui->screens[i] = screen_table[i]->create(tui);
			tui->active = tui->screens[i];
			if (screen_table[i]->reload)
				screen_table[i]->reload(tui->screens[i]);
		}
		tui->active = tui->screens[i];
		return true;
	}
	return false;
}

int
tui_run_storefront(struct db_conn *client, const char *where_text)
{
	struct tui tui;
	char err[256];
	bool dirty = true;

	memset(&tui, 0, sizeof tui);
	tui.db = client;
	tui.where = where_text ? where_text : "";
	if (crt_init(err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return 1;
	}
	layout(&tui);
	/* Paint the frame before the first (synchronous) catalog load. */
	tui_status(&tui, "Loading%s", text_glyph("\u2026", "..."));
	draw(&tui);
	tui_show(&tui, screen_table[0]->name);
	wtimeout(stdscr, KEY_TIMEOUT_MS);
	for (;;) {
		struct tui_key key;
		int rc, r;

		if (dirty)
			draw(&tui);
		dirty = false;
		rc = wget_wch(stdscr, &key.ch);
		if (rc == ERR) {
			/* Timeout, nothing typed. The storefront issue turns this
			 * into poll() on stdin plus PQsocket() of the request in
			 * flight (PQconsumeInput / PQisBusy), so long database work
			 * no longer blocks the screen; until then the catalog's
			 * calls are short synchronous ones (a page is <= 200 rows). */
			continue;
		}
		key.is_code = rc == KEY_CODE_YES;
		if (key_is_code(&key, KEY_RESIZE)) {
			layout(&tui);
			dirty = true;
			continue;
		}
		r = dispatch(&tui, &key);
		if (r & SR_QUIT)
			break;
		if (r & SR_RESIZE)
			layout(&tui);
		if (r != SR_IGNORED)
			dirty = true;
	}
	for (size_t i = 0; i < SCREEN_MAX; i++)
		if (tui.screens[i] != NULL)
			tui.screens[i]->ops->destroy(tui.screens[i]);
	drop_windows(&tui);
	crt_done();
	return 0;
}
