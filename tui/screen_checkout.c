/* The Checkout screen. (Placeholder: being written; see issue 4.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/text.h"

extern const struct screen_ops screen_checkout_ops;

static struct screen *
checkout_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_checkout_ops;
	s->tui = tui;
	return s;
}

static void
checkout_destroy(struct screen *s)
{
	free(s);
}

static void
checkout_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "Checkout: not written yet.", TEXT_LEFT);
}

static int
checkout_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_checkout_ops = {
	.name = "checkout",
	.title = "Checkout",
	.create = checkout_create,
	.destroy = checkout_destroy,
	.draw = checkout_draw,
	.handle_key = checkout_handle_key,
	.needs_login = true,
};
