/* A one-line text field; see line_edit.h. */
#include "config.h"
#include "tui/line_edit.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "core/xalloc.h"
#include "tui/text.h"

static enum line_edit_result insert_char(struct line_edit *le, wchar_t wc);

/* Insert WC at the cursor, if it is printable and there is room. */
static enum line_edit_result
insert_char(struct line_edit *le, wchar_t wc)
{
	size_t max = le->max > 0 && le->max < LINE_EDIT_MAX ? le->max : LINE_EDIT_MAX;

	if (iswcntrl((wint_t)wc) || wcwidth(wc) < 0) {
		snprintf(le->refusal, sizeof le->refusal,
		         "That key types no character this field can hold; it was left out.");
		return LINE_EDIT_REFUSED;
	}
	if (le->len >= max) {
		snprintf(le->refusal, sizeof le->refusal,
		         "This field is full: at most %zu characters.", max);
		return LINE_EDIT_REFUSED;
	}
	memmove(le->buf + le->cursor + 1, le->buf + le->cursor,
	        (le->len - le->cursor) * sizeof le->buf[0]);
	le->buf[le->cursor++] = wc;
	le->buf[++le->len] = L'\0';
	return LINE_EDIT_CHANGED;
}

void
line_edit_set(struct line_edit *le, const char *text)
{
	wchar_t *ws = text_widen(text);
	size_t n = wcslen(ws);

	if (n > LINE_EDIT_MAX)
		n = LINE_EDIT_MAX;
	if (le->max > 0 && n > le->max)
		n = le->max;
	memcpy(le->buf, ws, n * sizeof le->buf[0]);
	le->buf[n] = L'\0';
	le->len = le->cursor = n;
	free(ws);
}

enum line_edit_result
line_edit_key(struct line_edit *le, const struct tui_key *key)
{
	if (key_is_enter(key))
		return LINE_EDIT_ACCEPT;
	if (key_is_char(key, TUI_KEY_ESC))
		return LINE_EDIT_CANCEL;
	le->refusal[0] = '\0';
	if (key_is_backspace(key)) {
		if (le->cursor == 0)
			return LINE_EDIT_REFUSED;
		memmove(le->buf + le->cursor - 1, le->buf + le->cursor,
		        (le->len - le->cursor + 1) * sizeof le->buf[0]);
		le->cursor--;
		le->len--;
		return LINE_EDIT_CHANGED;
	}
	if (key_is_code(key, KEY_DC)) {
		if (le->cursor == le->len)
			return LINE_EDIT_REFUSED;
		memmove(le->buf + le->cursor, le->buf + le->cursor + 1,
		        (le->len - le->cursor) * sizeof le->buf[0]);
		le->len--;
		return LINE_EDIT_CHANGED;
	}
	if (key_is_code(key, KEY_LEFT) || key_is_code(key, KEY_RIGHT)) {
		if (key_is_code(key, KEY_LEFT) && le->cursor > 0)
			le->cursor--;
		else if (key_is_code(key, KEY_RIGHT) && le->cursor < le->len)
			le->cursor++;
		return LINE_EDIT_CHANGED;
	}
	if (key_is_code(key, KEY_HOME) || key_is_char(key, TUI_KEY_CTRL('a'))) {
		le->cursor = 0;
		return LINE_EDIT_CHANGED;
	}
	if (key_is_code(key, KEY_END) || key_is_char(key, TUI_KEY_CTRL('e'))) {
		le->cursor = le->len;
		return LINE_EDIT_CHANGED;
	}
	if (key_is_char(key, TUI_KEY_CTRL('u'))) {
		le->len = le->cursor = 0;
		le->buf[0] = L'\0';
		return LINE_EDIT_CHANGED;
	}
	if (key->is_code)
		return LINE_EDIT_IGNORED;
	/* wint_t may be wider than wchar_t; anything that does not fit is
	 * not a character this locale can hold. */
	if (key->ch > (wint_t)WCHAR_MAX) {
		snprintf(le->refusal, sizeof le->refusal,
		         "That key types no character this field can hold; it was left out.");
		return LINE_EDIT_REFUSED;
	}
	return insert_char(le, (wchar_t)key->ch);
}

void
line_edit_wipe(struct line_edit *le)
{
	/* volatile: the compiler may not drop a store to memory it never
	 * reads again, and a password must not linger in it. */
	volatile wchar_t *p = le->buf;

	for (size_t i = 0; i < sizeof le->buf / sizeof le->buf[0]; i++)
		p[i] = L'\0';
	le->len = le->cursor = 0;
}

char *
line_edit_text(const struct line_edit *le)
{
	const wchar_t *src = le->buf;
	mbstate_t st;
	size_t need;
	char *out;

	memset(&st, 0, sizeof st);
	need = wcsrtombs(NULL, &src, 0, &st);
	if (need == (size_t)-1)
		return xstrdup("");
	out = xmalloc(need + 1);
	src = le->buf;
	memset(&st, 0, sizeof st);
	wcsrtombs(out, &src, need + 1, &st);
	return out;
}

void
line_edit_draw(const struct line_edit *le, WINDOW *win, int y, int x, int width)
{
	size_t first = 0;
	int before = 0, col;

	if (width < 2)
		return;
	/* Scroll: drop characters from the left until the text before the
	 * cursor, plus the cursor cell, fits. */
	for (size_t i = 0; i < le->cursor; i++)
		before += le->masked ? 1 : wcwidth(le->buf[i]);
	while (before + 1 > width && first < le->cursor) {
		before -= le->masked ? 1 : wcwidth(le->buf[first]);
		first++;
	}
	if (le->masked) {
		/* Never the characters, not even their widths. */
		mvwhline(win, y, x, ' ', width);
		for (size_t i = first; i < le->len && (int)(i - first) < width; i++)
			mvwaddch(win, y, x + (int)(i - first), '*');
	} else {
		text_draw_wide(win, y, x, width, le->buf + first, TEXT_PAD);
	}
	col = x + before;
	if (le->cursor < le->len) {
		wchar_t under[2] = { le->masked ? L'*' : le->buf[le->cursor], L'\0' };

		wattron(win, A_REVERSE);
		mvwaddnwstr(win, y, col, under, 1);
		wattroff(win, A_REVERSE);
	} else {
		mvwaddch(win, y, col, ' ' | A_REVERSE);
	}
}
