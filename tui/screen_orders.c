/* The My orders screen. (Placeholder: being written; see issue 4.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/text.h"

extern const struct screen_ops screen_orders_ops;

static struct screen *
orders_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_orders_ops;
	s->tui = tui;
	return s;
}

static void
orders_destroy(struct screen *s)
{
	free(s);
}

static void
orders_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "My orders: not written yet.", TEXT_LEFT);
}

static int
orders_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_orders_ops = {
	.name = "orders",
	.title = "My orders",
	.create = orders_create,
	.destroy = orders_destroy,
	.draw = orders_draw,
	.handle_key = orders_handle_key,
	.needs_login = true,
};
