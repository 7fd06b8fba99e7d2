/* The table of subcommands, in the order "bazar --help" lists them. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/command.h"

extern const struct command cmd_migrate_entry;
extern const struct command cmd_verify_entry;
extern const struct command cmd_rollback_entry;
extern const struct command cmd_seed_demo_entry;
extern const struct command cmd_db_entry;
extern const struct command cmd_check_entry;
extern const struct command cmd_console_entry;
extern const struct command cmd_import_codes_entry;
extern const struct command cmd_race_entry;
extern const struct command cmd_mail_entry;

const struct command *const commands[] = {
	&cmd_migrate_entry,
	&cmd_verify_entry,
	&cmd_rollback_entry,
	&cmd_seed_demo_entry,
	&cmd_check_entry,
	&cmd_console_entry,
	&cmd_import_codes_entry,
	&cmd_race_entry,
	&cmd_mail_entry,
	&cmd_db_entry,
	NULL,
};

const struct command *
command_find(const char *name)
{
	for (int i = 0; commands[i]; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

int
command_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("bazar: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: bazar %s\n", cmd->usage);
	return EXIT_USAGE;
}
