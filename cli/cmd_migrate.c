/* bazar migrate: apply pending migrations. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli/command.h"
#include "cli/db_session.h"
#include "db/db.h"
#include "db/migrate.h"

static int cmd_migrate_run(int argc, char **argv);

const struct command cmd_migrate_entry = {
	.name = "migrate",
	.usage = "migrate [--dry-run] [--to VERSION] [--backup FILE]",
	.summary = "apply pending schema migrations (as the owner)",
	.help =
	"Applies the files in sql/migrations in version order, each in one transaction\n"
	"(or alone, for CREATE INDEX CONCURRENTLY), and records each in\n"
	"schema_migrations with its SHA-256. Runs under an advisory lock, so two runs\n"
	"never interleave; sets lock_timeout and retries a bounded number of times\n"
	"rather than queueing behind live traffic. Before a migration with a preflight,\n"
	"lists rows that would break its constraints and stops if there are any.\n"
	"Refuses when an applied file's checksum changed. Re-running is a no-op.\n"
	"\n"
	"  --dry-run       list what is pending and change nothing\n"
	"  --to VERSION    apply up to and including VERSION (e.g. 0003)\n"
	"  --backup FILE   pg_dump the database to FILE first (custom format);\n"
	"                  restore with: pg_restore --clean --if-exists --no-owner -d DB FILE\n"
	"\n"
	"Environment: DATABASE_URL or PG* (default: the private cluster),\n"
	"BAZAR_MIGRATE_LOCK_TIMEOUT (default 2s), BAZAR_MIGRATE_ATTEMPTS (default 5),\n"
	"BAZAR_SQL_DIR (where sql/ is).\n",
	.run = cmd_migrate_run,
};

static int
cmd_migrate_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "to", required_argument, NULL, 't' },
		{ "backup", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct migrate_options opt = { .out = stdout };
	struct db_session session;
	char err[2048];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': opt.dry_run = true; break;
		case 't': opt.to_version = optarg; break;
		case 'b': opt.backup_file = optarg; break;
		default: return command_usage_error(&cmd_migrate_entry, "bad option");
		}
	}
	if (optind < argc)
		return command_usage_error(&cmd_migrate_entry, "unexpected argument '%s'", argv[optind]);
	if (opt.to_version && !migration_version_valid(opt.to_version))
		return command_usage_error(&cmd_migrate_entry, "--to '%s' is not a version like 0003",
		                           opt.to_version);
	if (migrate_options_from_env(&opt.lock_timeout_ms, &opt.max_attempts, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_USAGE;
	}
	if (db_session_open(&session, "bazar migrate", err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_FAIL;
	}
	rc = migrate_run(session.conn, &session.migrations, &opt, err, sizeof err) == BZ_OK
	     ? EXIT_OK : EXIT_FAIL;
	fflush(stdout);  /* the progress above comes before the verdict */
	if (rc != EXIT_OK)
		fprintf(stderr, "bazar: %s\n", err);
	db_session_close(&session);
	return rc;
}
