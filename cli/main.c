/* bazar: with no subcommand, the terminal storefront; with one, a task
 * that runs without the screen (git/tmux style). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/command.h"
#include "cli/logfile.h"
#include "cli/storefront.h"
#include "db/cluster.h"

static void print_help(FILE *out);
static int help_command(int argc, char **argv);
static void open_log(void);

/* "bazar --help". */
static void
print_help(FILE *out)
{
	fprintf(out,
		"usage: bazar [--help] [--version] [COMMAND [ARGS...]]\n"
		"       bazar [--kiosk] [--no-submit-guard]\n"
		"\n"
		"With no command, opens the terminal storefront (starting the private\n"
		"database when no DATABASE_URL or PG* variable is set).\n"
		"  --kiosk            a shared terminal: idle log-out, leaving needs\n"
		"                     BAZAR_KIOSK_PIN (4-12 digits), no Ctrl-C or Ctrl-Z\n"
		"  --no-submit-guard  testers: send every press of Pay, log in, register\n"
		"\n"
		"Commands:\n");
	for (int i = 0; commands[i]; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
		"  %-10s %s\n"
		"\n"
		"Connection: DATABASE_URL (owner) or the PG* variables; BAZAR_CLIENT_URL and\n"
		"BAZAR_STAFF_URL for the kiosk and staff roles; BAZAR_HOME for the private\n"
		"database. See bazar(1).\n", "help", "show the help of a command");
}

/* "bazar help [COMMAND]". */
static int
help_command(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "bazar: help takes one command name\nusage: bazar help [COMMAND]\n");
		return EXIT_USAGE;
	}
	if ((cmd = command_find(argv[1])) == NULL) {
		fprintf(stderr, "bazar: no such command '%s'; 'bazar --help' lists them\n", argv[1]);
		return EXIT_USAGE;
	}
	printf("usage: bazar %s\n\n%s", cmd->usage, cmd->help);
	return EXIT_OK;
}

/* Bazar's own log lives in $BAZAR_HOME whichever database is used. */
static void
open_log(void)
{
	struct cluster_paths paths;
	char err[256];

	if (cluster_resolve(&paths, err, sizeof err) == BZ_OK)
		logfile_open(paths.bazar_log);
}

int
main(int argc, char **argv)
{
	const struct command *cmd;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("bazar %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "help") == 0)
		return help_command(argc - 1, argv + 1);
	open_log();
	if (argc < 2 || argv[1][0] == '-')
		return storefront_main(argc, argv);
	if ((cmd = command_find(argv[1])) == NULL) {
		fprintf(stderr, "bazar: no such command '%s'; 'bazar --help' lists them\n", argv[1]);
		return EXIT_USAGE;
	}
	if (argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		printf("usage: bazar %s\n\n%s", cmd->usage, cmd->help);
		return EXIT_OK;
	}
	return cmd->run(argc - 1, argv + 1);
}
