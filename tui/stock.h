/* How much of a product is left, in words and colour, the same on every
 * screen that shows it. */
#ifndef BAZAR_TUI_STOCK_H
#define BAZAR_TUI_STOCK_H

#include <stddef.h>
#include <stdint.h>

#include "tui/crt.h"

/* At or below this many codes left a screen warns ("3 left"). */
#define STOCK_LOW_MAX 5

/* STOCK codes left as "sold out", "3 left" or "60 in stock" in BUF, and
 * the colour to draw it in. */
void stock_text(int64_t stock, char *buf, size_t len, enum crt_color *color);

#endif
