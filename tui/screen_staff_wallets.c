/* The console's Wallets screen. (Placeholder: being written; see issue 5.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/text.h"

extern const struct screen_ops screen_staff_wallets_ops;

static struct screen *
staff_wallets_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_staff_wallets_ops;
	s->tui = tui;
	return s;
}

static void
staff_wallets_destroy(struct screen *s)
{
	free(s);
}

static void
staff_wallets_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "Wallets: not written yet.", TEXT_LEFT);
}

static int
staff_wallets_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_staff_wallets_ops = {
	.name = "wallets",
	.title = "Wallets",
	.create = staff_wallets_create,
	.destroy = staff_wallets_destroy,
	.draw = staff_wallets_draw,
	.handle_key = staff_wallets_handle_key,
	.needs_login = true,
};
