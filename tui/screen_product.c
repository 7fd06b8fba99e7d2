/* The Product screen. (Placeholder: being written; see issue 4.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/screens.h"
#include "tui/text.h"

extern const struct screen_ops screen_product_ops;

static struct screen *
product_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_product_ops;
	s->tui = tui;
	return s;
}

static void
product_destroy(struct screen *s)
{
	free(s);
}

static void
product_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "Product: not written yet.", TEXT_LEFT);
}

static int
product_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_product_ops = {
	.name = "product",
	.title = "Product",
	.create = product_create,
	.destroy = product_destroy,
	.draw = product_draw,
	.handle_key = product_handle_key,
	.needs_login = false,
};

void
product_screen_open(struct tui *tui, const char *product_id)
{
	(void)product_id;
	tui_show(tui, "product");
}
