/* Small pictures of numbers for the console: a sparkline (the last few
 * samples of a counter, newest on the right, in eight block heights, or
 * ASCII when the terminal has no UTF-8) and a bar meter (a share of a
 * whole). Shared by the Locks and Health screens. */
#ifndef BAZAR_TUI_SPARKLINE_H
#define BAZAR_TUI_SPARKLINE_H

#include <stdint.h>

#include "tui/crt.h"

/* The most samples a sparkline remembers (and draws). */
#define SPARKLINE_SAMPLES 60

/* The last SPARKLINE_SAMPLES values of one counter, oldest first. */
struct sparkline {
	int64_t v[SPARKLINE_SAMPLES];
	int n;
};

/* Append V, forgetting the oldest sample when full. */
void sparkline_push(struct sparkline *sp, int64_t v);

/* At body row Y of WIN, W columns wide: LABEL (10 columns), the
 * sparkline of SP scaled to its largest value in view, and VALUE (9
 * columns, right-aligned). */
void sparkline_draw(WINDOW *win, int y, int w, const char *label, const struct sparkline *sp,
                    const char *value);

/* At row Y, columns X to X+W-1 of WIN: a bar filled to PERCENT (0..100;
 * below 0: empty and unknown) in ATTR, on a dim track. */
void meter_draw(WINDOW *win, int y, int x, int w, int percent, attr_t attr);

#endif
