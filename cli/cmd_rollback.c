/* bazar rollback: undo migrations in reverse, keeping the data. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli/command.h"
#include "cli/db_session.h"
#include "db/migrate.h"

static int cmd_rollback_run(int argc, char **argv);

const struct command cmd_rollback_entry = {
	.name = "rollback",
	.usage = "rollback [--to VERSION] [--destroy-data]",
	.summary = "undo migrations newer than VERSION (default 0001), keeping data",
	.help =
	"Applies the files in sql/rollback in reverse order for every applied\n"
	"migration newer than VERSION (default 0001: undo the race fixes, keep the base\n"
	"schema). Rows are kept: functions, constraints, indexes and policies go;\n"
	"columns such as product_codes.used_at stay. 'bazar migrate' afterwards brings\n"
	"everything back.\n"
	"\n"
	"  --to VERSION     keep VERSION and older (0 = everything)\n"
	"  --destroy-data   required with --to 0: dropping the base schema deletes rows\n",
	.run = cmd_rollback_run,
};

static int
cmd_rollback_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "destroy-data", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct rollback_options opt = { .out = stdout };
	struct db_session session;
	char err[2048];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't': opt.to_version = optarg; break;
		case 'D': opt.destroy_data = true; break;
		default: return command_usage_error(&cmd_rollback_entry, "bad option");
		}
	}
	if (optind < argc)
		return command_usage_error(&cmd_rollback_entry, "unexpected argument '%s'", argv[optind]);
	if (opt.to_version && !migration_version_valid(opt.to_version))
		return command_usage_error(&cmd_rollback_entry, "--to '%s' is not a version like 0001",
		                           opt.to_version);
	if (migrate_options_from_env(&opt.lock_timeout_ms, &opt.max_attempts, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_USAGE;
	}
	if (db_session_open(&session, "bazar rollback", err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_FAIL;
	}
	rc = rollback_run(session.conn, &session.migrations, &opt, err, sizeof err) == BZ_OK
	     ? EXIT_OK : EXIT_FAIL;
	fflush(stdout);  /* the progress above comes before the verdict */
	if (rc != EXIT_OK)
		fprintf(stderr, "bazar: %s\n", err);
	db_session_close(&session);
	return rc;
}
