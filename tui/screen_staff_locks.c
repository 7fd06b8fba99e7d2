/* The console's Locks screen. (Placeholder: being written; see issue 5.) */
#include "config.h"

#include <stdlib.h>

#include "core/xalloc.h"
#include "tui/screen.h"
#include "tui/text.h"

extern const struct screen_ops screen_staff_locks_ops;

static struct screen *
staff_locks_create(struct tui *tui)
{
	struct screen *s = xcalloc(1, sizeof *s);

	s->ops = &screen_staff_locks_ops;
	s->tui = tui;
	return s;
}

static void
staff_locks_destroy(struct screen *s)
{
	free(s);
}

static void
staff_locks_draw(struct screen *s, WINDOW *win)
{
	(void)s;
	text_draw(win, 1, 2, getmaxx(win) - 4, "Locks: not written yet.", TEXT_LEFT);
}

static int
staff_locks_handle_key(struct screen *s, const struct tui_key *key)
{
	(void)s;
	(void)key;
	return SR_IGNORED;
}

const struct screen_ops screen_staff_locks_ops = {
	.name = "locks",
	.title = "Locks",
	.create = staff_locks_create,
	.destroy = staff_locks_destroy,
	.draw = staff_locks_draw,
	.handle_key = staff_locks_handle_key,
	.needs_login = true,
};
