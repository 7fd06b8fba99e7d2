/* The Cart screen. (Placeholder: being written; see issue 4.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/text.h"

extern const struct screen_ops screen_cart_ops;

static struct screen *
cart_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_cart_ops;
	s->tui = tui;
	return s;
}

static void
cart_destroy(struct screen *s)
{
	free(s);
}

static void
cart_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "Cart: not written yet.", TEXT_LEFT);
}

static int
cart_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_cart_ops = {
	.name = "cart",
	.title = "Cart",
	.create = cart_create,
	.destroy = cart_destroy,
	.draw = cart_draw,
	.handle_key = cart_handle_key,
	.needs_login = true,
};
