/* Curses setup and teardown, colours by meaning, and the fatal-signal
 * handlers that give the terminal back before the process dies (htop's
 * CRT.c). Nothing else in tui/ calls initscr, endwin or init_pair. */
#ifndef BAZAR_TUI_CRT_H
#define BAZAR_TUI_CRT_H

/* Wide-character curses (wget_wch, mvwaddnwstr) whatever the feature
 * macros of the including file. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* What a piece of text means; the scheme in crt.c decides how it looks.
 * Drawing code uses crt_attr(COLOR_PRICE) and nothing else. */
enum crt_color {
	COLOR_DEFAULT,
	COLOR_TITLE,          /* the header line */
	COLOR_COLUMN_HEADER,  /* table column names */
	COLOR_CATEGORY,       /* first row of a product category */
	COLOR_PRICE,
	COLOR_STOCK_OK,
	COLOR_STOCK_LOW,      /* "3 left" */
	COLOR_SOLD_OUT,
	COLOR_SELECTED,       /* the selection bar */
	COLOR_STATUS,         /* informational status line */
	COLOR_ERROR,          /* status line after a failed call */
	COLOR_PROMPT,         /* a line being edited (search) */
	COLOR_FKEY,           /* "F10" in the key bar */
	COLOR_FKEY_LABEL,     /* "Quit" in the key bar */
	COLOR_HELP,           /* the help box */
	COLOR_LOCK_WAIT,      /* a backend waiting for a lock (the Locks screen) */
	COLOR_LOCK_IDLE,      /* idle in a transaction, or one open past the threshold */
	CRT_COLOR_COUNT
};

/* Put the terminal in the mode the screens expect (locale, cbreak, or
 * raw for a KIOSK, no echo, keypad, hidden cursor, colours or the
 * monochrome fallback) and install the fatal-signal handlers. Fails with
 * a sentence when stdin or stdout is not a terminal or $TERM is unknown. */
bz_err crt_init(bool kiosk, char *err, size_t errlen);

/* Give the terminal back. Safe to call twice, or without crt_init. */
void crt_done(void);

/* The attributes for a meaning under the active scheme. */
attr_t crt_attr(enum crt_color color);

/* True when the scheme is the attributes-only fallback (no colours, or
 * NO_COLOR set). */
bool crt_monochrome(void);

#endif
