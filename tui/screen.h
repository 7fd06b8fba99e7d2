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

#include "tui/crt.h"
#include "tui/key.h"

struct tui;
struct db_conn;

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
};

struct screen {
	const struct screen_ops *ops;
	struct tui *tui;  /* borrowed; outlives the screen */
};

/* Binding table (screens.c): every screen the program has, NULL-ended. */
extern const struct screen_ops *const screen_table[];

/* ---- What screens may ask of the manager ---- */

/* The storefront's database connection (the kiosk role). */
struct db_conn *tui_db(struct tui *tui);

/* Replace the status line. An error stays until the next message. */
void tui_status(struct tui *tui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_status_error(struct tui *tui, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Make the screen called NAME the active one (created and loaded on
 * first use). False if no such screen. */
bool tui_show(struct tui *tui, const char *name);

#endif
