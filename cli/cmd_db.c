/* bazar db: start, stop and inspect the private PostgreSQL cluster, and
 * print its connection URIs for scripts and tests. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/command.h"
#include "db/cluster.h"

static int cmd_db_run(int argc, char **argv);
static const char *role_for(const char *name);
static void note_not_default(void);
static int cmd_db_url(const struct cluster_paths *paths, int argc, char **argv);

const struct command cmd_db_entry = {
	.name = "db",
	.usage = "db start|stop|status|url [owner|client|staff|tester|mailer|admin] [--db NAME]",
	.summary = "start, stop or inspect the private PostgreSQL database",
	.help =
	"Bazar's private PostgreSQL cluster is used when neither DATABASE_URL nor any\n"
	"PG* connection variable is set. It lives in $BAZAR_HOME (default\n"
	"$XDG_DATA_HOME/bazar, i.e. ~/.local/share/bazar) and listens on a Unix socket\n"
	"only, never on TCP.\n"
	"\n"
	"  start    initdb on first use, start the server, create the roles\n"
	"           bazar_owner, bazar_client, bazar_staff, bazar_tester, bazar_mailer and\n"
	"           the database bazar\n"
	"           (does nothing when it already runs); prints where the logs are\n"
	"  stop     fast shutdown (fine when it is not running)\n"
	"  status   state, folders, port, server user, version, logs and URIs\n"
	"  url      print the libpq URI for a role (default owner) and database\n"
	"           (default bazar, or --db NAME)\n"
	"\n"
	"When run as root the server runs as user postgres (or $BAZAR_PG_USER); data\n"
	"and socket move to /var/tmp/bazar-* when that user cannot reach $BAZAR_HOME\n"
	"or the socket path would be too long.\n"
	"\n"
	"Environment: BAZAR_HOME, BAZAR_PG_PORT (default 5432), BAZAR_PG_BINDIR\n"
	"(default: pg_config --bindir, else the newest /usr/lib/postgresql/*/bin),\n"
	"BAZAR_PG_USER.\n",
	.run = cmd_db_run,
};

/* The cluster role behind a short name; NULL when unknown. */
static const char *
role_for(const char *name)
{
	static const struct { const char *name, *role; } roles[] = {
		{ "owner", CLUSTER_OWNER_ROLE },
		{ "client", CLUSTER_CLIENT_ROLE },
		{ "staff", CLUSTER_STAFF_ROLE },
		{ "tester", CLUSTER_TESTER_ROLE },
		{ "mailer", CLUSTER_MAILER_ROLE },
		{ "admin", CLUSTER_SUPERUSER },
	};

	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return NULL;
}

/* Managing the private cluster is allowed with DATABASE_URL set, but the
 * user should know Bazar will not connect to it. */
static void
note_not_default(void)
{
	if (!cluster_is_default())
		fprintf(stderr, "bazar: note: DATABASE_URL or a PG* variable is set, so Bazar "
		        "connects there, not to this private cluster\n");
}

/* "db url [ROLE] [--db NAME]". */
static int
cmd_db_url(const struct cluster_paths *paths, int argc, char **argv)
{
	const char *role = CLUSTER_OWNER_ROLE, *dbname = CLUSTER_DATABASE;
	bool have_role = false;
	char *uri;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0')
				return command_usage_error(&cmd_db_entry, "--db needs a database name");
			dbname = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0 && argv[i][5] != '\0') {
			dbname = argv[i] + 5;
		} else if (!have_role && (role = role_for(argv[i])) != NULL) {
			have_role = true;
		} else {
			return command_usage_error(&cmd_db_entry, "unexpected argument '%s'", argv[i]);
		}
	}
	if (!have_role)
		role = CLUSTER_OWNER_ROLE;
	uri = cluster_uri(paths, role, dbname);
	printf("%s\n", uri);
	free(uri);
	return EXIT_OK;
}

static int
cmd_db_run(int argc, char **argv)
{
	struct cluster_paths paths;
	char err[2048];
	const char *action;

	if (argc < 2)
		return command_usage_error(&cmd_db_entry, "db needs an action");
	action = argv[1];
	if (strcmp(action, "start") != 0 && strcmp(action, "stop") != 0 &&
	    strcmp(action, "status") != 0 && strcmp(action, "url") != 0)
		return command_usage_error(&cmd_db_entry, "unknown action '%s'", action);
	if (strcmp(action, "url") != 0 && argc > 2)
		return command_usage_error(&cmd_db_entry, "unexpected argument '%s'", argv[2]);
	if (cluster_resolve(&paths, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: db %s: %s\n", action, err);
		return EXIT_FAIL;
	}
	if (strcmp(action, "url") == 0)
		return cmd_db_url(&paths, argc, argv);
	if (strcmp(action, "status") == 0) {
		note_not_default();
		cluster_print_status(&paths, stdout);
		return EXIT_OK;
	}
	note_not_default();
	if (strcmp(action, "stop") == 0) {
		if (cluster_stop(&paths, stdout, err, sizeof err) != BZ_OK) {
			fprintf(stderr, "bazar: db stop: %s\n", err);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	if (cluster_start(&paths, stdout, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: db start: %s\n", err);
		return EXIT_FAIL;
	}
	printf("Bazar log:  %s\nserver log: %s\n", paths.bazar_log, paths.server_log);
	return EXIT_OK;
}
