/* Sparklines and bar meters; see sparkline.h. */
#include "config.h"
#include "tui/sparkline.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/text.h"

void
sparkline_push(struct sparkline *sp, int64_t v)
{
	if (sp->n == SPARKLINE_SAMPLES) {
		memmove(sp->v, sp->v + 1, (SPARKLINE_SAMPLES - 1) * sizeof sp->v[0]);
		sp->n--;
	}
	sp->v[sp->n++] = v;
}

void
sparkline_draw(WINDOW *win, int y, int w, const char *label, const struct sparkline *sp,
               const char *value)
{
	static const char *const utf8[] = { "\u2581", "\u2582", "\u2583", "\u2584",
	                                    "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const ascii[] = { "_", ".", ",", ":", "-", "=", "+", "#" };
	int label_w = 10, value_w = 9;
	int cells = w - 1 - label_w - 1 - value_w;
	int64_t max = 1;
	char *line;
	size_t len = 0;
	int from;

	if (cells > SPARKLINE_SAMPLES)
		cells = SPARKLINE_SAMPLES;
	if (cells < 1)
		return;
	from = sp->n > cells ? sp->n - cells : 0;
	for (int i = from; i < sp->n; i++)
		if (sp->v[i] > max)
			max = sp->v[i];
	/* Three bytes per cell at most, blanks for the samples not taken yet. */
	line = xmalloc((size_t)cells * 3 + 1);
	for (int c = 0; c < cells - (sp->n - from); c++)
		line[len++] = ' ';
	for (int i = from; i < sp->n; i++) {
		/* Zero is the baseline; anything above it at least one step up. */
		int level = sp->v[i] <= 0 ? 0 : 1 + (int)((sp->v[i] * 7 - 1) / max);
		const char *g = text_glyph(utf8[level], ascii[level]);
		memcpy(line + len, g, strlen(g));
		len += strlen(g);
	}
	line[len] = '\0';
	text_draw(win, y, 1, label_w, label, TEXT_LEFT);
	text_draw(win, y, 1 + label_w, cells, line, TEXT_LEFT);
	text_draw(win, y, 1 + label_w + cells + 1, value_w, value, TEXT_RIGHT);
	free(line);
}

void
meter_draw(WINDOW *win, int y, int x, int w, int percent, attr_t attr)
{
	const char *full = text_glyph("\u2588", "#");
	const char *track = text_glyph("\u2591", ".");
	int filled;
	char *bar;
	size_t len = 0, glyph = strlen(full) > strlen(track) ? strlen(full) : strlen(track);

	if (w < 1)
		return;
	filled = percent < 0 ? 0 : percent >= 100 ? w : percent * w / 100;
	/* Anything above nothing shows at least one cell. */
	if (percent > 0 && filled == 0)
		filled = 1;
	bar = xmalloc((size_t)w * glyph + 1);
	for (int i = 0; i < filled; i++) {
		memcpy(bar + len, full, strlen(full));
		len += strlen(full);
	}
	bar[len] = '\0';
	wattrset(win, attr);
	text_draw(win, y, x, filled, bar, TEXT_LEFT);
	len = 0;
	for (int i = filled; i < w; i++) {
		memcpy(bar + len, track, strlen(track));
		len += strlen(track);
	}
	bar[len] = '\0';
	wattrset(win, A_DIM);
	text_draw(win, y, x + filled, w - filled, bar, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(bar);
}
