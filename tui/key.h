/* One keypress as wget_wch reports it: a character, or a curses key code
 * (arrows, F-keys, KEY_RESIZE). Keeping the two apart matters: KEY_DOWN
 * and some wide characters share numbers. */
#ifndef BAZAR_TUI_KEY_H
#define BAZAR_TUI_KEY_H

#include <stdbool.h>
#include <wchar.h>

#include "tui/crt.h"

#define TUI_KEY_ESC   27
#define TUI_KEY_CTRL(c) ((c) & 0x1f)

struct tui_key {
	bool is_code;  /* ch is a KEY_* code, not a character */
	wint_t ch;
	/* KEY_MOUSE (a left click in the body): the cell, relative to the
	 * body window. */
	int y, x;
};

/* The key is the character C. */
static inline bool
key_is_char(const struct tui_key *key, wint_t c)
{
	return !key->is_code && key->ch == c;
}

/* The key is the curses code CODE (KEY_F(10), KEY_DOWN...). */
static inline bool
key_is_code(const struct tui_key *key, int code)
{
	return key->is_code && key->ch == (wint_t)code;
}

/* Enter, whichever way the terminal sends it. */
static inline bool
key_is_enter(const struct tui_key *key)
{
	return key_is_char(key, L'\r') || key_is_char(key, L'\n') || key_is_code(key, KEY_ENTER);
}

/* Backspace, whichever way the terminal sends it. */
static inline bool
key_is_backspace(const struct tui_key *key)
{
	return key_is_code(key, KEY_BACKSPACE) || key_is_char(key, 127) || key_is_char(key, 8);
}

#endif
