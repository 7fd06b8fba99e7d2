/* Subcommands, tmux-style: one file per command, each defining a const
 * struct command; cli/commands.c lists them all. */
#ifndef BAZAR_CLI_COMMAND_H
#define BAZAR_CLI_COMMAND_H

/* Exit codes shared by every subcommand. */
#define EXIT_OK      0
#define EXIT_FAIL    1  /* the operation failed; a sentence went to stderr */
#define EXIT_USAGE   2  /* bad arguments; usage went to stderr */

struct command {
	const char *name;     /* "migrate" */
	const char *usage;    /* "migrate [--dry-run] [--backup FILE]" */
	const char *summary;  /* one line for "bazar --help" */
	const char *help;     /* the text of "bazar help NAME" after the usage line */
	/* argv[0] is the command name; argv[argc] is NULL. Returns an exit code. */
	int (*run)(int argc, char **argv);
};

/* NULL-terminated table, in the order "bazar --help" lists them. */
extern const struct command *const commands[];

const struct command *command_find(const char *name);

/* Print "usage: bazar USAGE" to stderr and return EXIT_USAGE. */
int command_usage_error(const struct command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
