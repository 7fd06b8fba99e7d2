/* The screen manager (htop's ScreenManager): one loop that reads keys,
 * handles resizes in one place, and draws the header line, the active
 * screen, the status line and the F-key bar. See screen.h for the screen
 * contract and tui.h for the entry point. */
#include "config.h"
#include "tui/tui.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "db/api.h"
#include "tui/crt.h"
#include "tui/manager.h"
#include "tui/screen.h"
#include "tui/text.h"

#define MIN_COLS 80
#define MIN_LINES 24
/* How long the loop sleeps without input or an answer, in ms: it wakes
 * this often to turn the spinner and check the kiosk's idle time. */
#define TICK_MS 100
/* A call shows its spinner after this long, so quick ones don't flicker. */
#define SPINNER_AFTER_MS 150

/* Keys every screen has; the manager handles them when the screen does not. */
static const struct screen_key global_keys_first[] = {
	{ "F1", "Help", "Show the keys of this screen (also ?)", true },
	{ NULL, NULL, NULL, false },
};

/* Braille dots where the terminal has them, else the classic bar. */
static const char *const spinner_utf8[] = { "\u280b", "\u2819", "\u2839", "\u2838",
                                            "\u283c", "\u2834", "\u2826", "\u2827",
                                            "\u2807", "\u280f" };
static const char *const spinner_ascii[] = { "|", "/", "-", "\\" };

static void layout(struct tui *tui);
static void drop_windows(struct tui *tui);
static void draw(struct tui *tui);
static void draw_header(struct tui *tui);
static void draw_status(struct tui *tui);
static int bar_entry_width(const struct screen_key *k, bool compact);
static int bar_width(const struct screen_key *keys, bool compact, const struct screen_key *skip);
static int draw_bar_keys(struct tui *tui, int x, int limit, const struct screen_key *keys, bool compact,
                         const struct screen_key *skip);
static void draw_bar(struct tui *tui);
static void draw_help(struct tui *tui);
static void draw_too_small(void);
static const struct screen_key *global_keys_last(const struct tui *tui);
static struct tui_key key_from_label(const char *label);
static bool mouse_to_key(struct tui *tui, struct tui_key *key);
static int global_key(struct tui *tui, const struct tui_key *key);
static int dispatch(struct tui *tui, const struct tui_key *key);
static bool read_keys(struct tui *tui);
static void wait_for_input(struct tui *tui, int timeout_ms);
static void vstatus(struct tui *tui, bool is_error, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

int64_t
tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The navigation keys, which depend on whether someone is logged in. */
static const struct screen_key *
global_keys_last(const struct tui *tui)
{
	return tui->token ? tui->app->keys_logged_in : tui->app->keys_logged_out;
}

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

/* "Bazar — where" on the left; who is logged in and the screen's title on
 * the right. */
static void
draw_header(struct tui *tui)
{
	WINDOW *w = tui->header;
	const char *title = tui->active ? tui->active->ops->title : "";
	char *left = xasprintf("%s%s %s %s", tui->app->title, tui->opt.kiosk ? " kiosk" : "",
	                       text_glyph("\u2014", "-"), tui->opt.where);
	char *right = tui->email ? xasprintf("%s %s %s", tui->email, text_glyph("\u00b7", "|"), title)
	                         : xstrdup(title);
	wchar_t *wr = text_widen(right);
	int right_w = text_width(wr) + 2;

	if (right_w > COLS / 2)
		right_w = COLS / 2;
	wattrset(w, crt_attr(COLOR_TITLE));
	mvwhline(w, 0, 0, ' ', COLS);
	text_draw(w, 0, 1, COLS - right_w - 2, left, TEXT_LEFT);
	text_draw_wide(w, 0, COLS - right_w, right_w - 1, wr, TEXT_RIGHT);
	wattrset(w, A_NORMAL);
	free(wr);
	free(right);
	free(left);
}

/* A manager prompt, else the active screen's prompt, else the running
 * call's spinner, else the status message. */
static void
draw_status(struct tui *tui)
{
	WINDOW *w = tui->status_win;
	struct screen *s = tui->active;
	bool cancellable;
	const char *what = calls_running_what(tui, &cancellable);
	int64_t running_ms = tui_now_ms() - tui->call_started_ms;

	if (tui->modal != MODAL_NONE) {
		modal_draw(tui, w, COLS);
		return;
	}
	if (s && s->ops->draw_prompt && s->ops->draw_prompt(s, w, COLS))
		return;
	if (what != NULL && running_ms >= SPINNER_AFTER_MS) {
		bool utf8 = strcmp(text_glyph("\u2026", "..."), "...") != 0;
		const char *const *frames = utf8 ? spinner_utf8 : spinner_ascii;
		size_t nframes = utf8 ? sizeof spinner_utf8 / sizeof spinner_utf8[0]
		                      : sizeof spinner_ascii / sizeof spinner_ascii[0];
		char *line = xasprintf("%s %s%s %.1f s%s", frames[(size_t)(running_ms / TICK_MS) % nframes],
		                       what, text_glyph("\u2026", "..."), (double)running_ms / 1000.0,
		                       cancellable ? "  (Esc: stop waiting)" : "");

		wattrset(w, crt_attr(COLOR_PROMPT));
		text_draw(w, 0, 0, COLS, line, TEXT_PAD);
		wattrset(w, A_NORMAL);
		free(line);
		return;
	}
	wattrset(w, crt_attr(tui->status_is_error ? COLOR_ERROR : COLOR_STATUS));
	text_draw(w, 0, 0, COLS, tui->status, tui->status_is_error ? TEXT_PAD : TEXT_LEFT);
	wattrset(w, A_NORMAL);
}

/* "F3" presses KEY_F(3), "/" presses '/': what a click on a bar entry
 * does. Labels that are not one key ("Up/Down") press nothing. */
static struct tui_key
key_from_label(const char *label)
{
	struct tui_key key = { false, 0, 0, 0 };

	if (label[0] == 'F' && label[1] >= '1' && label[1] <= '9') {
		key.is_code = true;
		key.ch = (wint_t)KEY_F(atoi(label + 1));
	} else if (strcmp(label, "Enter") == 0) {
		key.ch = L'\r';
	} else if (strcmp(label, "Esc") == 0) {
		key.ch = TUI_KEY_ESC;
	} else if (label[0] != '\0' && label[1] == '\0') {
		key.ch = (wint_t)(unsigned char)label[0];
	}
	return key;
}

/* Columns an entry takes: its key, then its word padded to 6 columns
 * (htop's look), or only the word and a blank when COMPACT. */
static int
bar_entry_width(const struct screen_key *k, bool compact)
{
	int label = (int)strlen(k->label);

	return (int)strlen(k->key) + (compact || label >= 5 ? label + 1 : 6);
}

/* Columns the in_bar entries of KEYS take (SKIP excluded). */
static int
bar_width(const struct screen_key *keys, bool compact, const struct screen_key *skip)
{
	int w = 0;

	for (; keys && keys->key; keys++)
		if (keys->in_bar && keys != skip)
			w += bar_entry_width(keys, compact);
	return w;
}

/* Draw the in_bar entries of KEYS (but SKIP) from column X, each one that
 * fits before column LIMIT; returns the next column. Each entry is
 * remembered for mouse clicks. */
static int
draw_bar_keys(struct tui *tui, int x, int limit, const struct screen_key *keys, bool compact,
              const struct screen_key *skip)
{
	for (; keys && keys->key; keys++) {
		int label_w = bar_entry_width(keys, compact) - (int)strlen(keys->key);
		int x0 = x;

		if (!keys->in_bar || keys == skip || x + bar_entry_width(keys, compact) > limit)
			continue;
		wattrset(tui->bar, crt_attr(COLOR_FKEY));
		x += text_draw(tui->bar, 0, x, limit - x, keys->key, TEXT_LEFT);
		wattrset(tui->bar, crt_attr(COLOR_FKEY_LABEL));
		x += text_draw(tui->bar, 0, x, label_w, keys->label, TEXT_PAD);
		if (tui->nbar_slots < BAR_SLOTS_MAX) {
			struct bar_slot *slot = &tui->bar_slots[tui->nbar_slots++];

			slot->x0 = x0;
			slot->x1 = x;
			slot->key = key_from_label(keys->key);
		}
	}
	return x;
}

/* The htop-style bar: key in one colour, its word in another; Help
 * first, then what works on this screen, then where one can go. When
 * that is wider than the terminal (the console has many screens), the
 * entries close up, the screen's own keys keep their place, navigation
 * gets what is left (F1 help lists all of it) and Quit stays last. */
static void
draw_bar(struct tui *tui)
{
	const struct screen_key *mine =
		tui->active && tui->active->ops->keys ? tui->active->ops->keys(tui->active) : NULL;
	const struct screen_key *nav = global_keys_last(tui), *quit = NULL;
	bool compact;
	int x = 0, quit_w;

	for (const struct screen_key *k = nav; k->key; k++)
		if (k->in_bar && strcmp(k->key, "F10") == 0)
			quit = k;
	compact = bar_width(global_keys_first, false, NULL) + bar_width(mine, false, NULL) +
	          bar_width(nav, false, NULL) > COLS;
	quit_w = quit ? bar_entry_width(quit, compact) : 0;
	tui->nbar_slots = 0;
	x = draw_bar_keys(tui, x, COLS, global_keys_first, compact, NULL);
	x = draw_bar_keys(tui, x, COLS - quit_w, mine, compact, NULL);
	x = draw_bar_keys(tui, x, COLS - quit_w, nav, compact, quit);
	if (quit) {
		const struct screen_key quit_only[] = { *quit, { NULL, NULL, NULL, false } };

		x = draw_bar_keys(tui, x, COLS, quit_only, compact, NULL);
	}
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
		global_keys_last(tui),
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

/* A left click: on the bar it presses that entry's key; in the body it
 * reaches the screen as KEY_MOUSE with body coordinates. False to drop it. */
static bool
mouse_to_key(struct tui *tui, struct tui_key *key)
{
	MEVENT ev;

	if (getmouse(&ev) != OK || tui->too_small ||
	    !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)))
		return false;
	if (ev.bstate & BUTTON1_RELEASED)
		return false;
	if (ev.y == LINES - 1) {
		for (int i = 0; i < tui->nbar_slots; i++)
			if (ev.x >= tui->bar_slots[i].x0 && ev.x < tui->bar_slots[i].x1 &&
			    tui->bar_slots[i].key.ch != 0) {
				*key = tui->bar_slots[i].key;
				return true;
			}
		return false;
	}
	if (ev.y < 1 || ev.y > LINES - 3)
		return false;
	key->is_code = true;
	key->ch = KEY_MOUSE;
	key->y = ev.y - 1;
	key->x = ev.x;
	return true;
}

/* The keys every screen shares, when the screen did not take the key. */
static int
global_key(struct tui *tui, const struct tui_key *key)
{
	for (const struct tui_nav *nav = tui->app->nav; nav->screen; nav++)
		if (key_is_code(key, KEY_F(nav->fkey))) {
			tui_show(tui, nav->screen);
			return SR_REDRAW;
		}
	if (key_is_code(key, KEY_F(7))) {
		if (tui->token)
			tui_logout(tui);
		else
			tui_show(tui, "login");
		return SR_REDRAW;
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
		return modal_request_quit(tui);
	return SR_IGNORED;
}

/* Route one key: manager prompts and the cancel of a running call first,
 * then the help box, the active screen, and the keys all screens share.
 * Returns screen_result bits. */
static int
dispatch(struct tui *tui, const struct tui_key *key)
{
	int r;

	if (key_is_char(key, TUI_KEY_CTRL('l'))) {
		clearok(curscr, TRUE);
		return SR_REDRAW;
	}
	if (tui->modal != MODAL_NONE)
		return modal_key(tui, key);
	if (key_is_code(key, KEY_F(10)))
		return modal_request_quit(tui);
	if (tui->too_small)
		return key_is_char(key, L'q') ? modal_request_quit(tui) : SR_IGNORED;
	if (key_is_char(key, TUI_KEY_ESC) && calls_cancel_running(tui)) {
		tui_status(tui, "Stopped waiting; asking the database what happened%s",
		           text_glyph("\u2026", "..."));
		return SR_REDRAW;
	}
	if (tui->help_visible) {
		tui->help_visible = false;
		return SR_REDRAW;
	}
	if (tui->active) {
		r = tui->active->ops->handle_key(tui->active, key);
		if (r != SR_IGNORED)
			return r;
	}
	return global_key(tui, key);
}

/* Take every key waiting (a paste arrives as a burst) and act on each.
 * True when something visible changed. */
static bool
read_keys(struct tui *tui)
{
	bool dirty = false;

	for (;;) {
		struct tui_key key = { false, 0, 0, 0 };
		int rc = wget_wch(stdscr, &key.ch), r;

		if (rc == ERR)
			break;
		key.is_code = rc == KEY_CODE_YES;
		tui->last_key_ms = tui_now_ms();
		if (key_is_code(&key, KEY_RESIZE)) {
			layout(tui);
			dirty = true;
			continue;
		}
		if (key_is_code(&key, KEY_MOUSE) && !mouse_to_key(tui, &key))
			continue;
		r = dispatch(tui, &key);
		if (r & SR_QUIT) {
			tui->quit = true;
			break;
		}
		if (r & SR_RESIZE)
			layout(tui);
		if (r != SR_IGNORED)
			dirty = true;
	}
	return dirty;
}

/* Sleep until a key, the running call's socket, or TIMEOUT_MS. */
static void
wait_for_input(struct tui *tui, int timeout_ms)
{
	struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { -1, 0, 0 } };
	short events;
	int fd = calls_poll_fd(tui, &events);
	nfds_t n = 1;

	if (fd >= 0) {
		fds[1].fd = fd;
		fds[1].events = events;
		n = 2;
	}
	/* EINTR (SIGWINCH) is fine: the resize comes through wget_wch. */
	(void)poll(fds, n, timeout_ms);
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

void
tui_refused(struct tui *tui, const struct line_edit *le)
{
	beep();
	if (le->refusal[0] != '\0')
		tui_status_error(tui, "%s", le->refusal);
}

struct screen *
tui_screen(struct tui *tui, const char *name)
{
	for (size_t i = 0; i < SCREEN_MAX && tui->app->screens[i] != NULL; i++) {
		if (strcmp(tui->app->screens[i]->name, name) != 0)
			continue;
		if (tui->screens[i] == NULL)
			tui->screens[i] = tui->app->screens[i]->create(tui);
		return tui->screens[i];
	}
	return NULL;
}

bool
tui_show(struct tui *tui, const char *name)
{
	for (size_t i = 0; i < SCREEN_MAX && tui->app->screens[i] != NULL; i++) {
		const struct screen_ops *ops = tui->app->screens[i];

		if (strcmp(ops->name, name) != 0)
			continue;
		if (tui->screens[i] == NULL)
			tui->screens[i] = ops->create(tui);
		if (ops->needs_login && tui->token == NULL) {
			tui->after_login = tui->screens[i];
			tui_status(tui, "Log in first, and %s opens next.", ops->title);
			return tui_show(tui, "login");
		}
		/* Somewhere else than the log-in the pending screen waited for
		 * (a tester going to the Race lab from it): its promise is void. */
		if (tui->after_login != NULL && strcmp(ops->name, "login") != 0) {
			tui->after_login = NULL;
			tui->status[0] = '\0';
			tui->status_is_error = false;
		}
		tui->active = tui->screens[i];
		tui->help_visible = false;
		if (ops->reload)
			ops->reload(tui->screens[i]);
		return true;
	}
	return false;
}

int
tui_run(struct db_conn *client, const struct tui_options *options)
{
	struct tui tui;
	char err[256];
	int64_t spin_drawn = -1;
	bool progressed = true;

	memset(&tui, 0, sizeof tui);
	tui.db = client;
	tui.opt = *options;
	tui.app = options->app ? options->app : &tui_storefront_app;
	if (tui.opt.where == NULL)
		tui.opt.where = "";
	if (tui.opt.idle_seconds <= 0)
		tui.opt.idle_seconds = 120;
	if (crt_init(tui.opt.kiosk, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return 1;
	}
	nodelay(stdscr, TRUE);
	/* RELEASED too: without it ncurses waits in read() for the release
	 * that follows every press, freezing the loop until the next byte. */
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED, NULL);
	/* Clicks, not drags: report at once. */
	mouseinterval(0);
	layout(&tui);
	tui.last_key_ms = tui_now_ms();
	tui_show(&tui, tui.app->screens[0]->name);
	draw(&tui);
	while (!tui.quit) {
		bool dirty;
		int64_t now;

		/* A call that ended may have queued the next (a page after a
		 * page): look again at once rather than after a tick. */
		wait_for_input(&tui, progressed ? 0 : TICK_MS);
		/* Keys before answers: a key typed while a call ran (Esc: stop
		 * waiting) was meant for that call, even if its answer is in. */
		dirty = read_keys(&tui);
		if (tui.quit)
			break;
		progressed = calls_pump(&tui);
		dirty |= progressed;
		now = tui_now_ms();
		if (tui.opt.kiosk && now - tui.last_key_ms >= (int64_t)tui.opt.idle_seconds * 1000) {
			session_idle_logout(&tui);
			tui.last_key_ms = now;
			dirty = true;
		}
		if (tui.active && tui.active->ops->tick && !tui.too_small)
			dirty |= tui.active->ops->tick(tui.active, now);
		/* A call the tick (or a key) queued starts without a wait. */
		if (tui.ncalls > 0 && tui.calls[0]->req.state == DB_REQ_IDLE)
			progressed = true;
		/* The spinner turns once per tick while a call runs. */
		if (tui.ncalls > 0 && (now - tui.call_started_ms) / TICK_MS != spin_drawn) {
			spin_drawn = (now - tui.call_started_ms) / TICK_MS;
			dirty = true;
		}
		if (dirty)
			draw(&tui);
	}
	calls_drop_all(&tui);
	if (tui.token != NULL) {
		/* Leaving ends the session on the server too: the next person
		 * at this terminal must not find one alive. */
		char bye_err[256];

		db_logout(tui.db, tui.token, bye_err, sizeof bye_err);
	}
	for (size_t i = 0; i < SCREEN_MAX; i++)
		if (tui.screens[i] != NULL)
			tui.screens[i]->ops->destroy(tui.screens[i]);
	session_drop(&tui);
	line_edit_wipe(&tui.modal_edit);
	drop_windows(&tui);
	crt_done();
	return 0;
}
