/* The terminal storefront: the one entry point cli/ calls. */
#ifndef BAZAR_TUI_TUI_H
#define BAZAR_TUI_TUI_H

#include <stdbool.h>

struct db_conn;
struct tui_app;

struct tui_options {
	/* Which program: &tui_storefront_app or &tui_console_app (screen.h);
	 * NULL is the storefront. */
	const struct tui_app *app;
	/* Shown in the header after "Bazar — ", e.g. "schema 0012 ·
	 * bazar_client@bazar (private cluster)". Borrowed. */
	const char *where;
	/* Kiosk mode: no suspend, no Ctrl-C, log out after idle_seconds
	 * without a key, and leaving needs exit_pin. */
	bool kiosk;
	int idle_seconds;
	const char *exit_pin;          /* borrowed; checked, never shown */
	/* false with --no-submit-guard (testers; refused in kiosk mode). */
	bool submit_guard;
	/* The console's --readonly: every changing action is refused. */
	bool readonly;
};

/* Run the storefront (or the app OPTIONS names) on CLIENT (a kiosk-role
 * connection, or the staff role's for the console; borrowed: the caller
 * closes it) until the user quits. Database errors, a lost
 * connection included, are shown on the status line and never end the
 * program. Returns an exit status: 0 after a normal quit, 1 when the
 * terminal cannot be used (a sentence went to stderr). */
int tui_run(struct db_conn *client, const struct tui_options *options);

#endif
