/* Screens (htop's Panel/Object pattern): a screen is a struct that embeds
 * struct screen as its first member and points at a const table of
 * callbacks. The screen manager (screen_manager.c) owns the loop, the
 * header line, the status line and the F-key bar; a screen owns only its
 * body. Adding a screen is one new file plus one line in screens.c.
 *
 * Screens never build SQL and never include libpq: they call the typed
 * functions of db/ with the connection from tui_db(). */
#ifndef BAZAR_TUI_SCREEN_H
#define BAZAR_TUI_SCREEN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "tui/crt.h"
#include "tui/key.h"

struct tui;
struct db_conn;
struct db_request;

/* What a key handler did; the loop acts on the bits. */
enum screen_result {
	SR_IGNORED = 0,       /* not my key: the manager may use it */
	SR_HANDLED = 1 << 0,  /* consumed */
	SR_REDRAW  = 1 << 1,  /* something visible changed */
	SR_RESIZE  = 1 << 2,  /* recompute the layout, then redraw */
	SR_QUIT    = 1 << 3,  /* leave the program (exit status 0) */
};

/* A key as the bar and the help box show it. */
struct screen_key {
	const char *key;    /* "F5", "/", "Up/Down" */
	const char *label;  /* "Refresh": the short word in the bar */
	const char *help;   /* the sentence in F1 help */
	bool in_bar;        /* shown in the bottom bar, not only in help */
};

struct screen;

struct screen_ops {
	const char *name;   /* "catalog": what tui_show() takes */
	const char *title;  /* "Catalog": right side of the header line */
	/* Allocate the screen; its data is loaded by reload, not here. */
	struct screen *(*create)(struct tui *tui);
	void (*destroy)(struct screen *s);
	/* Draw the body into WIN (the rows between header and status line). */
	void (*draw)(struct screen *s, WINDOW *win);
	/* Draw a prompt into the status line instead of the status message;
	 * return false to leave the status message. Optional. */
	bool (*draw_prompt)(struct screen *s, WINDOW *win, int width);
	int (*handle_key)(struct screen *s, const struct tui_key *key);
	/* (Re)load the data from the database: when first shown and on F5.
	 * (Not "refresh": curses defines refresh() as a macro.) */
	void (*reload)(struct screen *s);
	/* The keys that work right now, ending with a { NULL } entry. */
	const struct screen_key *(*keys)(const struct screen *s);
	/* The shopper logged out, or a kiosk went idle: forget everything
	 * that belonged to them (codes, balances, form text). Optional. A
	 * session that merely expired does not call it: the shopper logs in
	 * again and carries on where they were. */
	void (*forget)(struct screen *s);
	/* Called about every 100 ms while the screen is the active one, for
	 * live updates (poll the database now and then, count down a hold).
	 * Return true when something visible changed. Optional. */
	bool (*tick)(struct screen *s, int64_t now_ms);
	/* Showing this screen needs a logged-in shopper: without one the
	 * log-in screen comes first, then this one. */
	bool needs_login;
};

struct screen {
	const struct screen_ops *ops;
	struct tui *tui;  /* borrowed; outlives the screen */
};

/* An F-key that opens a screen of the app from anywhere. */
struct tui_nav {
	int fkey;             /* 2 for F2 */
	const char *screen;   /* the screen's name */
};

/* A program made of screens: the storefront, or the staff console. The
 * manager is the same; the screens, the navigation and who may log in
 * differ. */
struct tui_app {
	const char *title;                        /* "Bazar", "Bazar console" */
	const struct screen_ops *const *screens;  /* NULL-ended; [0] opens first */
	const struct tui_nav *nav;                /* { 0, NULL }-ended */
	/* The bar's navigation keys when logged in and logged out, each
	 * { NULL }-ended (F1 help comes first, F10 quit is among them). */
	const struct screen_key *keys_logged_in;
	const struct screen_key *keys_logged_out;
	bool staff_only;                          /* only staff accounts may log in */
};

/* The binding tables (screens.c and console_screens.c). */
extern const struct tui_app tui_storefront_app;
extern const struct tui_app tui_console_app;

/* ---- What screens may ask of the manager ---- */

/* The storefront's database connection (the kiosk role). */
struct db_conn *tui_db(struct tui *tui);

/* Replace the status line. An error stays until the next message. */
void tui_status(struct tui *tui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_status_error(struct tui *tui, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A text field refused a key (LINE_EDIT_REFUSED): beep, and say why on
 * the status line when the field knows (full, a control character). */
struct line_edit;
void tui_refused(struct tui *tui, const struct line_edit *le);

/* Make the screen called NAME the active one (created on first use) and
 * reload it. A screen that needs a log-in while nobody is logged in
 * opens the log-in screen instead, which comes back here afterwards.
 * False if no such screen. */
bool tui_show(struct tui *tui, const char *name);

/* The instance of the screen called NAME, created on first use (not
 * shown): for screens opened on something (screens.h). NULL if no such
 * screen. */
struct screen *tui_screen(struct tui *tui, const char *name);

/* ---- Database calls that never block the screen ----
 *
 * A screen builds a request with a db_X_request() from db/api.h and hands
 * it over; the manager sends it when the connection is free (calls run
 * one at a time, in the order queued), keeps drawing and reading keys
 * while it runs (the socket is in the same poll() as the keyboard), shows
 * WHAT with a spinner on the status line, and calls DONE(S, TAG, REQ)
 * once it has ended, DONE or FAILED; REQ is freed after DONE returns.
 *
 * A call that fails because the session has ended (BZ_ERR_AUTH) still
 * reaches DONE; then the manager sends the shopper to the log-in screen,
 * and back to the screen they were on afterwards. */
typedef void (*tui_done_fn)(struct screen *s, int tag, struct db_request *req);

/* Reconnect and send again once when the connection is lost: only for
 * calls whose repetition is harmless (db/api.h lists them). */
#define TUI_CALL_REPLAY_SAFE (1u << 0)
/* Esc (or Ctrl-C) while it runs asks the server to cancel it. The server
 * may have finished first: DONE then sees the real answer, or
 * BZ_ERR_CANCELLED. */
#define TUI_CALL_CANCELLABLE (1u << 1)

/* Queue REQ (moved: the manager owns it from now on, and REQ is left
 * empty). */
void tui_call(struct tui *tui, struct screen *s, int tag, struct db_request *req, unsigned flags,
              const char *what, tui_done_fn done);

/* Calls of S queued or running (all screens when S is NULL). */
int tui_calls_pending(const struct tui *tui, const struct screen *s);

/* ---- The shopper's session ---- */

/* The session token, NULL when nobody is logged in. A secret: never
 * print or log it. */
const char *tui_token(const struct tui *tui);
/* The logged-in shopper's e-mail, NULL when nobody is logged in. */
const char *tui_email(const struct tui *tui);

/* A log-in succeeded: keep TOKEN (copied), then show the screen that
 * asked for the log-in, or the catalog. */
void tui_session_start(struct tui *tui, const char *token, const char *email);

/* Log out (the server's session is ended too) and make every screen
 * forget what it held. */
void tui_logout(struct tui *tui);

/* Lines in the cart, as the cart screen last saw them: quitting with a
 * full cart asks first. */
void tui_set_cart_lines(struct tui *tui, int lines);
int tui_cart_lines(const struct tui *tui);

/* True when only staff may log in (the console): the log-in screen
 * refuses a customer's account. */
bool tui_staff_only(const struct tui *tui);

/* The console's --readonly: screens refuse every action that changes
 * something (and say so), before asking the database. */
bool tui_readonly(const struct tui *tui);

/* The tester's switch: false with --no-submit-guard, so the screens send
 * a second submit instead of ignoring it and the server's idempotency is
 * seen holding on its own. */
bool tui_submit_guard(const struct tui *tui);

#endif
