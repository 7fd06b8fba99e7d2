/* The Log in screen. (Placeholder: being written; see issue 4.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/text.h"

extern const struct screen_ops screen_login_ops;

static struct screen *
login_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_login_ops;
	s->tui = tui;
	return s;
}

static void
login_destroy(struct screen *s)
{
	free(s);
}

static void
login_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "Log in: not written yet.", TEXT_LEFT);
}

static int
login_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_login_ops = {
	.name = "login",
	.title = "Log in",
	.create = login_create,
	.destroy = login_destroy,
	.draw = login_draw,
	.handle_key = login_handle_key,
	.needs_login = false,
};
