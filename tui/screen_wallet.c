/* The My wallet screen. (Placeholder: being written; see issue 4.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/text.h"

extern const struct screen_ops screen_wallet_ops;

static struct screen *
wallet_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_wallet_ops;
	s->tui = tui;
	return s;
}

static void
wallet_destroy(struct screen *s)
{
	free(s);
}

static void
wallet_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "My wallet: not written yet.", TEXT_LEFT);
}

static int
wallet_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_wallet_ops = {
	.name = "wallet",
	.title = "My wallet",
	.create = wallet_create,
	.destroy = wallet_destroy,
	.draw = wallet_draw,
	.handle_key = wallet_handle_key,
	.needs_login = true,
};
