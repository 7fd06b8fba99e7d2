/* bazar verify: the migrations' promises as a checklist. */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "cli/db_session.h"
#include "db/migrate.h"

static int cmd_verify_run(int argc, char **argv);

const struct command cmd_verify_entry = {
	.name = "verify",
	.usage = "verify",
	.summary = "check the schema, constraints, indexes, roles and data (\xe2\x9c\x93/\xe2\x9c\x97)",
	.help =
	"Runs the seed's verification queries (product_codes.used_at exists,\n"
	"claim_product_codes_atomic exists, promos WELCOME10 and SAVE50 present) and\n"
	"every check the migrations promise: each migration applied with an unchanged\n"
	"file, functions, constraints (validated), indexes (valid, not left INVALID by a\n"
	"failed concurrent build), RLS on every table, no table privileges for the\n"
	"kiosk role; then repeats the preflights that list rows breaking a rule.\n"
	"Exits 1 when any line is \xe2\x9c\x97.\n",
	.run = cmd_verify_run,
};

static int
cmd_verify_run(int argc, char **argv)
{
	struct db_session session;
	char err[1024];
	int rc;

	if (argc > 1)
		return command_usage_error(&cmd_verify_entry, "unexpected argument '%s'", argv[1]);
	if (db_session_open(&session, "bazar verify", err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_FAIL;
	}
	rc = verify_run(session.conn, &session.migrations, stdout, err, sizeof err) == BZ_OK
	     ? EXIT_OK : EXIT_FAIL;
	fflush(stdout);  /* the progress above comes before the verdict */
	if (rc != EXIT_OK)
		fprintf(stderr, "bazar: verify: %s\n", err);
	db_session_close(&session);
	return rc;
}
