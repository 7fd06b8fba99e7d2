/* The shopper's session as the screens share it: the token (a secret,
 * scrubbed when dropped), who is logged in, and what happens when the
 * session ends by log-out, by kiosk idleness, or on the server. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/api.h"
#include "tui/manager.h"

static void scrub_free(char **s);
static void forget_all(struct tui *tui);
static void cart_counted(struct screen *s, int tag, struct db_request *req);

/* The cart read at log-in: quitting with a cart saved from before asks
 * first, even before any screen has shown the cart. */
static void
cart_counted(struct screen *s, int tag, struct db_request *req)
{
	struct db_cart cart;
	char err[256];

	(void)tag;
	if (db_cart_get_result(req, &cart, err, sizeof err) != BZ_OK)
		return;
	tui_set_cart_lines(s->tui, (int)cart.count);
	db_cart_free(&cart);
}

/* Overwrite, then free: the token must not outlive the session in
 * memory a core dump or a later allocation could show. */
static void
scrub_free(char **s)
{
	if (*s != NULL) {
		volatile char *p = *s;

		while (*p)
			*p++ = '\0';
		free(*s);
		*s = NULL;
	}
}

/* Every screen drops what belonged to the shopper. */
static void
forget_all(struct tui *tui)
{
	for (size_t i = 0; i < SCREEN_MAX; i++)
		if (tui->screens[i] != NULL && tui->screens[i]->ops->forget != NULL)
			tui->screens[i]->ops->forget(tui->screens[i]);
	tui->cart_lines = 0;
	tui->after_login = NULL;
}

const char *
tui_token(const struct tui *tui)
{
	return tui->token;
}

const char *
tui_email(const struct tui *tui)
{
	return tui->email;
}

void
tui_session_start(struct tui *tui, const char *token, const char *email)
{
	struct screen *back = tui->after_login;

	scrub_free(&tui->token);
	free(tui->email);
	tui->token = xstrdup(token);
	tui->email = xstrdup(email ? email : "");
	tui->after_login = NULL;
	if (!tui->app->staff_only) {
		struct db_request req;

		db_cart_get_request(&req, tui->token);
		/* Owned by the first screen, which always exists by now. */
		tui_call(tui, tui_screen(tui, tui->app->screens[0]->name), 0, &req, TUI_CALL_REPLAY_SAFE,
		         "Reading your cart", cart_counted);
	}
	tui_show(tui, back != NULL ? back->ops->name : tui->app->screens[0]->name);
}

void
tui_logout(struct tui *tui)
{
	if (tui->token != NULL) {
		struct db_request req;

		/* Ends this terminal's session only; the answer does not
		 * matter (an expired session is as good as ended). */
		db_logout_request(&req, tui->token);
		tui_call(tui, NULL, 0, &req, TUI_CALL_REPLAY_SAFE, "Logging out", NULL);
	}
	scrub_free(&tui->token);
	free(tui->email);
	tui->email = NULL;
	forget_all(tui);
	tui_show(tui, tui->app->screens[0]->name);
}

void
session_ended(struct tui *tui)
{
	struct screen *was = tui->active;

	scrub_free(&tui->token);
	free(tui->email);
	tui->email = NULL;
	tui_show(tui, "login");
	/* After tui_show, which clears it when the log-in screen opens. */
	tui->after_login = was;
	tui_status_error(tui, "Your session has ended. Log in again to carry on where you were.");
}

void
session_idle_logout(struct tui *tui)
{
	if (tui->token == NULL && tui->active == tui->screens[0] && tui->modal == MODAL_NONE)
		return;
	tui->modal = MODAL_NONE;
	line_edit_wipe(&tui->modal_edit);
	tui->help_visible = false;
	tui_logout(tui);
	clearok(curscr, TRUE);
	tui_status(tui, "Logged out after %d s without a key. Welcome!", tui->opt.idle_seconds);
}

void
session_drop(struct tui *tui)
{
	scrub_free(&tui->token);
	free(tui->email);
	tui->email = NULL;
}

void
tui_set_cart_lines(struct tui *tui, int lines)
{
	tui->cart_lines = lines;
}

int
tui_cart_lines(const struct tui *tui)
{
	return tui->cart_lines;
}

bool
tui_staff_only(const struct tui *tui)
{
	return tui->app->staff_only;
}

bool
tui_readonly(const struct tui *tui)
{
	return tui->opt.readonly;
}

bool
tui_submit_guard(const struct tui *tui)
{
	return tui->opt.submit_guard;
}
