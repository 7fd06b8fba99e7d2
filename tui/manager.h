/* Private to the screen manager's files (screen_manager.c, calls.c,
 * session.c, modal.c): the one struct tui, and how they reach each
 * other. Screens see only screen.h. */
#ifndef BAZAR_TUI_MANAGER_H
#define BAZAR_TUI_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

#include "db/request.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/tui.h"

#define SCREEN_MAX 16
/* Calls waiting or running; a screen that queues more is a bug, and
 * the extra call fails at once rather than growing without bound. */
#define CALLS_MAX 16
/* Positions of the F-key bar's entries, for mouse clicks. */
#define BAR_SLOTS_MAX 24

struct tui_call {
	struct screen *owner;
	int tag;
	unsigned flags;
	char what[64];
	tui_done_fn done;
	struct db_request req;
	bool resent;          /* already sent again after a reconnect */
	bool cancel_asked;
};

/* A question the manager asks on the status line, over any screen. */
enum tui_modal {
	MODAL_NONE,
	MODAL_CONFIRM_QUIT,   /* "your cart has items: quit? y/n" */
	MODAL_KIOSK_PIN,      /* kiosk: the staff PIN to leave */
};

struct bar_slot {
	int x0, x1;           /* columns [x0, x1) */
	struct tui_key key;   /* what a click there presses */
};

struct tui {
	struct db_conn *db;              /* borrowed from the caller */
	struct tui_options opt;          /* copied; strings borrowed */
	const struct tui_app *app;       /* opt.app, or the storefront */
	struct screen *screens[SCREEN_MAX]; /* instances, parallel to app->screens */
	struct screen *active;
	struct screen *after_login;      /* where the log-in screen returns to */
	char status[512];
	bool status_is_error;
	bool help_visible;
	bool too_small;
	bool quit;
	/* Sub-windows of stdscr, rebuilt by layout(); NULL when too small. */
	WINDOW *header, *body, *status_win, *bar;
	struct bar_slot bar_slots[BAR_SLOTS_MAX];
	int nbar_slots;

	/* Calls: calls[0] is the one on the wire (or about to be). */
	struct tui_call *calls[CALLS_MAX];
	int ncalls;
	int64_t call_started_ms;

	/* The shopper. */
	char *token;                     /* secret: never printed */
	char *email;
	int cart_lines;

	/* Modal prompt and kiosk state. */
	enum tui_modal modal;
	struct line_edit modal_edit;
	int pin_failures;
	int64_t last_key_ms;
};

/* Milliseconds on the monotonic clock. */
int64_t tui_now_ms(void);

/* calls.c: start the next call if the connection is free; step the
 * running one (call when its socket is ready, or on a timer). True when
 * something visible changed. */
bool calls_pump(struct tui *tui);
/* The socket and poll events of the running call, or -1 / 0. */
int calls_poll_fd(const struct tui *tui, short *events);
/* Esc during a cancellable call: ask the server to cancel it. True when
 * the key was used. */
bool calls_cancel_running(struct tui *tui);
/* The running call's sentence for the status line ("Paying"), NULL when
 * idle; *CANCELLABLE says whether Esc stops it. */
const char *calls_running_what(const struct tui *tui, bool *cancellable);
/* Free every call (at exit). */
void calls_drop_all(struct tui *tui);

/* session.c: the shopper's session ended on the server (BZ_ERR_AUTH):
 * drop the token, keep the screens' state, go to the log-in screen. */
void session_ended(struct tui *tui);
/* Kiosk idle: log out and clear, if anyone is logged in. */
void session_idle_logout(struct tui *tui);
/* Free the session (at exit), scrubbing the token. */
void session_drop(struct tui *tui);

/* modal.c: open, draw into the status line, and feed keys to the
 * manager's prompts. */
void modal_open(struct tui *tui, enum tui_modal modal);
void modal_draw(struct tui *tui, WINDOW *win, int width);
int modal_key(struct tui *tui, const struct tui_key *key);
/* F10 or q: quit at once, or ask first (full cart, kiosk PIN). */
int modal_request_quit(struct tui *tui);

#endif
