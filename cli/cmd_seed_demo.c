/* bazar seed-demo: load the demo shop (private database only, unless forced). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/command.h"
#include "cli/db_session.h"
#include "core/parse.h"
#include "core/xalloc.h"
#include "db/cluster.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/seed.h"

static int cmd_seed_demo_run(int argc, char **argv);

const struct command cmd_seed_demo_entry = {
	.name = "seed-demo",
	.usage = "seed-demo [--force] [--products N]",
	.summary = "load demo products, codes, promos and users",
	.help =
	"Loads sql/seed/demo.sql: products in several categories with codes, promos\n"
	"(WELCOME10, SAVE50, a single-use one, one with max_uses 3, an expired one) and\n"
	"users with documented passwords (README.md, \"Demo data\"), including a staff\n"
	"user. Safe to run twice. Because it creates a staff user with a published\n"
	"password, it refuses any database other than the private cluster unless\n"
	"--force is given.\n"
	"\n"
	"  --products N   also generate N products (1 to 1,000,000) in 40 categories\n"
	"                 with 2 codes each, for large-catalog tests and benchmarks\n",
	.run = cmd_seed_demo_run,
};

static int
cmd_seed_demo_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "products", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct db_session session;
	bool force = false;
	long products = 0;
	char err[1024], *path;
	int c, rc = EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'f')
			force = true;
		else if (c == 'p') {
			if (parse_int_range(optarg, 1, 1000000, &products) != BZ_OK)
				return command_usage_error(&cmd_seed_demo_entry,
				                           "--products '%.40s' is not a whole number from 1 to 1000000",
				                           optarg);
		} else
			return command_usage_error(&cmd_seed_demo_entry, "bad option");
	}
	if (optind < argc)
		return command_usage_error(&cmd_seed_demo_entry, "unexpected argument '%s'", argv[optind]);
	if (!cluster_is_default() && !force) {
		fprintf(stderr, "bazar: seed-demo creates a staff user with a published password, so it "
		        "only runs on the private database; DATABASE_URL or PG* points elsewhere "
		        "(add --force if this really is a throwaway database)\n");
		return EXIT_FAIL;
	}
	if (db_session_open(&session, "bazar seed-demo", err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_FAIL;
	}
	if (db_check_schema_version(session.conn, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		goto out;
	}
	path = xasprintf("%s/seed/demo.sql", session.migrations.sql_dir);
	if (db_run_sql_file(session.conn, path, err, sizeof err) != BZ_OK)
		fprintf(stderr, "bazar: loading %s failed (nothing was loaded): %s\n", path, err);
	else {
		printf("demo data loaded from %s\n", path);
		rc = EXIT_OK;
		if (products > 0) {
			if (db_seed_products(session.conn, products, 2, err, sizeof err) != BZ_OK) {
				fprintf(stderr, "bazar: generating %ld products failed (none were added): %s\n",
				        products, err);
				rc = EXIT_FAIL;
			} else
				printf("generated %ld products with 2 codes each\n", products);
		}
	}
	free(path);
out:
	db_session_close(&session);
	return rc;
}
