/* bazar console: the staff's operator console, on the staff role's
 * connection; only staff accounts get past its log-in. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/command.h"
#include "cli/storefront.h"
#include "tui/screen.h"

static int cmd_console_run(int argc, char **argv);

const struct command cmd_console_entry = {
	.name = "console",
	.usage = "console [--readonly]",
	.summary = "the staff console: orders live, bank transfers to approve, wallets",
	.help =
	"Opens the operator console on the terminal, connected as the staff role\n"
	"(BAZAR_STAFF_URL, or the owner's server and database as bazar_staff, never\n"
	"with the owner's password). Log in with a staff account; a customer's\n"
	"account is refused. F1 lists the keys of each screen.\n"
	"\n"
	"  --readonly   look only: every action that changes something (approve,\n"
	"               reject, top up, cancel a backend) is refused\n",
	.run = cmd_console_run,
};

static int
cmd_console_run(int argc, char **argv)
{
	struct tui_options opt = { .app = &tui_console_app, .submit_guard = true };

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--readonly") == 0)
			opt.readonly = true;
		else
			return command_usage_error(&cmd_console_entry, "unknown option '%s'", argv[i]);
	}
	return terminal_main(DB_ROLE_STAFF, "bazar console", &opt);
}
