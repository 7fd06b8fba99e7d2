/* Drawing text that came from outside (the database, the user) safely:
 * UTF-8 decoded with the locale, measured and cut by display width
 * (wcwidth) rather than bytes, and every control character, invalid byte
 * or unprintable character shown as '?' so nothing from the data can
 * drive the terminal. Screens draw strings only through here. */
#ifndef BAZAR_TUI_TEXT_H
#define BAZAR_TUI_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "tui/crt.h"

/* Flags for text_draw. */
#define TEXT_LEFT  0
#define TEXT_RIGHT (1 << 0)  /* right-align inside the field */
#define TEXT_PAD   (1 << 1)  /* fill the rest of the field with blanks */

/* Decode multibyte TEXT into a fresh wide string the caller frees, with
 * the replacements above applied. NULL text gives "". */
wchar_t *text_widen(const char *text);

/* Display width of a sanitised wide string (as text_widen returns). */
int text_width(const wchar_t *ws);

/* Draw TEXT at (y, x) of WIN in a field WIDTH columns wide with the
 * current attributes; cut with an ellipsis when it does not fit. Returns
 * the columns used (WIDTH when TEXT_PAD). */
int text_draw(WINDOW *win, int y, int x, int width, const char *text, int flags);

/* UTF8 when the locale can show it, else ASCII: for the program's own
 * literals ("—", "×", "…") so a C-locale terminal shows no '?'. */
const char *text_glyph(const char *utf8, const char *ascii);

/* As text_draw for an already sanitised wide string. */
int text_draw_wide(WINDOW *win, int y, int x, int width, const wchar_t *ws, int flags);

/* A time the server sent, US microseconds since the epoch, in the
 * terminal's local time by strftime's FMT into BUF; "?" when there is no
 * time (0 or less) or it does not fit in LEN. */
void text_time(int64_t us, char *buf, size_t len, const char *fmt)
	__attribute__((format(strftime, 4, 0)));

#endif
