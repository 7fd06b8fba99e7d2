/* Before the storefront screen opens: make sure the database is there,
 * connect as the kiosk role, and refuse anything a kiosk must not hold. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/command.h"
#include "cli/storefront.h"
#include "db/cluster.h"
#include "db/db.h"
#include "tui/tui.h"

int
storefront_main(int argc, char **argv)
{
	struct db_conn *conn = NULL;
	char err[1024], *where = NULL;
	int rc = EXIT_FAIL;

	if (argc > 1) {
		fprintf(stderr, "bazar: unknown option '%s'\nusage: bazar [--help] [--version] "
		        "[COMMAND [ARGS...]]\n", argv[1]);
		return EXIT_USAGE;
	}
	if (cluster_is_default()) {
		struct cluster_paths paths;
		if (cluster_resolve(&paths, err, sizeof err) != BZ_OK ||
		    (cluster_state(&paths) != CLUSTER_RUNNING &&
		     cluster_start(&paths, stderr, err, sizeof err) != BZ_OK)) {
			fprintf(stderr, "bazar: %s\n", err);
			return EXIT_FAIL;
		}
	}
	if (db_connect(DB_ROLE_CLIENT, "bazar storefront", &conn, err, sizeof err) != BZ_OK ||
	    db_check_least_privilege(conn, err, sizeof err) != BZ_OK ||
	    db_check_schema_version(conn, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		goto out;
	}
	/* Checked after the connection so that a kiosk misconfigured with the
	 * owner's credentials is told so even when started from a script. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "bazar: the storefront needs a terminal; see 'bazar --help' for "
		        "commands that run without one\n");
		rc = EXIT_USAGE;
		goto out;
	}
	{
		char *desc = db_describe(conn);
		size_t n = strlen(desc) + 32;
		where = malloc(n);
		if (where)
			/* Schema first: the header is cut from the right on narrow
			 * terminals, and a long socket path matters less. */
			snprintf(where, n, "schema %s \xc2\xb7 %s", db_expected_schema_version(), desc);
		free(desc);
	}
	rc = tui_run_storefront(conn, where ? where : "");
out:
	free(where);
	db_close(conn);
	return rc;
}
