/* Safe, width-aware text drawing; see text.h. */
#include "config.h"
#include "tui/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wctype.h>

#include "core/xalloc.h"

static wchar_t sanitize(wchar_t wc);
static wchar_t ellipsis(void);

/* The character shown for WC: itself when printable, '?' otherwise. */
static wchar_t
sanitize(wchar_t wc)
{
	if (iswcntrl((wint_t)wc) || wcwidth(wc) < 0)
		return L'?';
	return wc;
}

/* "…" where the locale can show it in one column, else "~". */
static wchar_t
ellipsis(void)
{
	return wcwidth(L'\u2026') == 1 ? L'\u2026' : L'~';
}

wchar_t *
text_widen(const char *text)
{
	size_t len, i = 0, n = 0;
	mbstate_t st;
	wchar_t *ws;

	if (text == NULL)
		text = "";
	len = strlen(text);
	/* Never more wide characters than bytes. */
	ws = xmalloc((len + 1) * sizeof *ws);
	memset(&st, 0, sizeof st);
	while (i < len) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, text + i, len - i, &st);

		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			/* Invalid or truncated sequence: one '?' per bad byte,
			 * and start afresh at the next byte. */
			ws[n++] = L'?';
			memset(&st, 0, sizeof st);
			i++;
			continue;
		}
		ws[n++] = sanitize(wc);
		i += r;
	}
	ws[n] = L'\0';
	return ws;
}

int
text_width(const wchar_t *ws)
{
	int w = 0;

	for (; *ws != L'\0'; ws++)
		w += wcwidth(*ws);
	return w;
}

int
text_draw_wide(WINDOW *win, int y, int x, int width, const wchar_t *ws, int flags)
{
	int used = 0, total = text_width(ws), start = x;
	size_t n = 0;
	bool cut = total > width;

	if (width <= 0)
		return 0;
	/* Keep whole characters that fit, leaving a column for the ellipsis
	 * when the text is cut; a double-width character is never split. */
	while (ws[n] != L'\0') {
		int cw = wcwidth(ws[n]);

		if (used + cw > width - (cut ? 1 : 0))
			break;
		used += cw;
		n++;
	}
	if ((flags & TEXT_RIGHT) && !cut)
		start = x + width - used;
	if (flags & TEXT_PAD)
		mvwhline(win, y, x, ' ', width);
	if (n > 0)
		mvwaddnwstr(win, y, start, ws, (int)n);
	if (cut) {
		wchar_t e[2] = { ellipsis(), L'\0' };

		mvwaddnwstr(win, y, start + used, e, 1);
		used++;
	}
	return (flags & TEXT_PAD) ? width : used;
}

const char *
text_glyph(const char *utf8, const char *ascii)
{
	return MB_CUR_MAX > 1 ? utf8 : ascii;
}

int
text_draw(WINDOW *win, int y, int x, int width, const char *text, int flags)
{
	wchar_t *ws = text_widen(text);
	int used = text_draw_wide(win, y, x, width, ws, flags);

	free(ws);
	return used;
}

void
text_time(int64_t us, char *buf, size_t len, const char *fmt)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	size_t n = 0;

	if (us > 0 && localtime_r(&t, &tm) != NULL) {
		/* FMT is checked where text_time is called (text.h's attribute). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		n = strftime(buf, len, fmt, &tm);
#pragma GCC diagnostic pop
	}
	if (n == 0)
		snprintf(buf, len, "?");
}
