/* The Order screen. (Placeholder: being written; see issue 4.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/screens.h"
#include "tui/text.h"

extern const struct screen_ops screen_order_ops;

static struct screen *
order_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_order_ops;
	s->tui = tui;
	return s;
}

static void
order_destroy(struct screen *s)
{
	free(s);
}

static void
order_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "Order: not written yet.", TEXT_LEFT);
}

static int
order_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_order_ops = {
	.name = "order",
	.title = "Order",
	.create = order_create,
	.destroy = order_destroy,
	.draw = order_draw,
	.handle_key = order_handle_key,
	.needs_login = true,
};

void
order_screen_open(struct tui *tui, const char *order_id)
{
	(void)order_id;
	tui_show(tui, "order");
}
