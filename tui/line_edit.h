/* A one-line text field (the search line now; the log-in form later):
 * wide characters, a cursor, backspace/delete, Home/End, Ctrl-U; Enter
 * accepts and Esc cancels. Control characters are refused, so what the
 * field holds is always printable. */
#ifndef BAZAR_TUI_LINE_EDIT_H
#define BAZAR_TUI_LINE_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "tui/crt.h"
#include "tui/key.h"

#define LINE_EDIT_MAX 120  /* characters; longer input is refused */

struct line_edit {
	wchar_t buf[LINE_EDIT_MAX + 1];
	size_t len;     /* characters in buf */
	size_t cursor;  /* 0..len, insertion point */
	size_t max;     /* characters allowed; 0 means LINE_EDIT_MAX */
	bool masked;    /* a password: drawn as one '*' per character */
	/* Why the last LINE_EDIT_REFUSED was refused, for the status line;
	 * "" when there is nothing to say (backspace at the start). */
	char refusal[80];
};

enum line_edit_result {
	LINE_EDIT_IGNORED,  /* not a key for the field */
	LINE_EDIT_CHANGED,  /* text or cursor moved: redraw */
	LINE_EDIT_REFUSED,  /* a key for the field that it could not take (full) */
	LINE_EDIT_ACCEPT,   /* Enter */
	LINE_EDIT_CANCEL,   /* Esc */
};

/* Start the field with TEXT (multibyte, may be NULL), cursor at the end. */
void line_edit_set(struct line_edit *le, const char *text);

enum line_edit_result line_edit_key(struct line_edit *le, const struct tui_key *key);

/* Empty the field and scrub what it held (passwords). */
void line_edit_wipe(struct line_edit *le);

/* The text in the locale's multibyte encoding; the caller frees. */
char *line_edit_text(const struct line_edit *le);

/* Draw the field at (y, x), WIDTH columns, scrolled so the cursor shows;
 * the cursor is drawn as a reverse-video cell (the real one stays hidden). */
void line_edit_draw(const struct line_edit *le, WINDOW *win, int y, int x, int width);

#endif
