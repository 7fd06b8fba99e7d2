/* The console's Orders screen. (Placeholder: being written; see issue 5.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/text.h"

extern const struct screen_ops screen_staff_live_ops;

static struct screen *
staff_live_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_staff_live_ops;
	s->tui = tui;
	return s;
}

static void
staff_live_destroy(struct screen *s)
{
	free(s);
}

static void
staff_live_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "Orders: not written yet.", TEXT_LEFT);
}

static int
staff_live_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_staff_live_ops = {
	.name = "live",
	.title = "Orders",
	.create = staff_live_create,
	.destroy = staff_live_destroy,
	.draw = staff_live_draw,
	.handle_key = staff_live_handle_key,
	.needs_login = true,
};
