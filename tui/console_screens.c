/* The staff console's binding table: its screens (the first opens first,
 * behind the log-in), the F-keys that reach them from anywhere, and the
 * bar's navigation keys. Only staff accounts may log in; the Race lab
 * opens without a log-in (a tester needs no staff account: what lets the
 * lab run is the owner's URL of a database marked as a test database). */
#include "config.h"
#include "tui/screen.h"

extern const struct screen_ops screen_staff_queue_ops;
extern const struct screen_ops screen_staff_live_ops;
extern const struct screen_ops screen_staff_wallets_ops;
extern const struct screen_ops screen_staff_locks_ops;
extern const struct screen_ops screen_staff_phone_ops;
extern const struct screen_ops screen_staff_promos_ops;
extern const struct screen_ops screen_staff_health_ops;
extern const struct screen_ops screen_staff_outbox_ops;
extern const struct screen_ops screen_staff_stock_ops;
extern const struct screen_ops screen_race_lab_ops;
extern const struct screen_ops screen_login_ops;

static const struct screen_ops *const console_screens[] = {
	&screen_staff_queue_ops,
	&screen_staff_live_ops,
	&screen_staff_wallets_ops,
	&screen_staff_locks_ops,
	&screen_staff_phone_ops,
	&screen_staff_promos_ops,
	&screen_staff_health_ops,
	&screen_staff_outbox_ops,
	&screen_staff_stock_ops,
	&screen_race_lab_ops,
	&screen_login_ops,
	NULL,
};

static const struct tui_nav console_nav[] = {
	{ 2, "queue" }, { 3, "live" }, { 4, "wallets" }, { 6, "locks" }, { 8, "health" }, { 9, "stock" },
	{ 11, "promos" }, { 12, "race_lab" }, { 0, NULL },
};

static const struct screen_key console_keys_logged_in[] = {
	{ "F2", "Queue", "Bank transfers waiting for approval, oldest first", true },
	{ "F3", "Orders", "Every order, live", true },
	{ "F4", "Wallets", "Find a customer, see the wallet, top up", true },
	{ "F6", "Locks", "Who waits for whom in the database, live", true },
	{ "F8", "Health", "Calls, times, errors and rates of the shop, live", true },
	{ "F9", "Stock", "Codes per product, low stock, import codes, void a code", true },
	{ "F11", "Promos", "Promos with their usage: create, edit dates and limits, switch off", true },
	{ "F12", "Lab", "Race lab: fire one shop action from N sessions at once, then check the database", true },
	{ "F7", "Logout", "Log out of the console", true },
	{ "F10", "Quit", "Leave the console (also q)", true },
	{ "F5", "Refresh", "Load this screen again from the database", false },
	{ "Esc", "Stop", "While a request runs: stop waiting for it", false },
	{ "Ctrl-L", "Redraw", "Repaint the whole terminal", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key console_keys_logged_out[] = {
	{ "F7", "Log in", "Log in with a staff account", true },
	{ "F12", "Lab", "Race lab, for testers too: no staff log-in, the database must be a test database", true },
	{ "F10", "Quit", "Leave the console (also q)", true },
	{ "Ctrl-L", "Redraw", "Repaint the whole terminal", false },
	{ NULL, NULL, NULL, false },
};

const struct tui_app tui_console_app = {
	.title = "Bazar console",
	.screens = console_screens,
	.nav = console_nav,
	.keys_logged_in = console_keys_logged_in,
	.keys_logged_out = console_keys_logged_out,
	.staff_only = true,
};
