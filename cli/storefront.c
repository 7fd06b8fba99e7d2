/* Before the storefront screen opens: make sure the database is there,
 * connect as the kiosk role, and refuse anything a kiosk must not hold. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli/command.h"
#include "cli/storefront.h"
#include "db/cluster.h"
#include "db/db.h"
#include "core/parse.h"
#include "tui/tui.h"

#define STOREFRONT_USAGE "usage: bazar [--kiosk] [--no-submit-guard] [COMMAND [ARGS...]]\n"
/* Kiosk defaults: idle log-out after two minutes. */
#define KIOSK_IDLE_DEFAULT 120
#define KIOSK_IDLE_MAX 86400

static int parse_options(int argc, char **argv, struct tui_options *opt);
static int kiosk_settings(struct tui_options *opt);
static bool pin_is_valid(const char *pin);

/* Digits only, 4 to 12 of them: typed on a kiosk's number row. */
static bool
pin_is_valid(const char *pin)
{
	size_t n = strlen(pin);

	if (n < 4 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return false;
	return true;
}

/* BAZAR_KIOSK_PIN (required) and BAZAR_KIOSK_IDLE (seconds). */
static int
kiosk_settings(struct tui_options *opt)
{
	const char *pin = getenv("BAZAR_KIOSK_PIN");
	const char *idle = getenv("BAZAR_KIOSK_IDLE");
	long seconds = KIOSK_IDLE_DEFAULT;

	if (pin == NULL || !pin_is_valid(pin)) {
		fprintf(stderr, "bazar: --kiosk needs BAZAR_KIOSK_PIN, the staff PIN that closes the "
		        "kiosk: 4 to 12 digits%s\n", pin ? " (the value set is not that)" : "");
		return EXIT_USAGE;
	}
	if (idle != NULL && parse_int_range(idle, 5, KIOSK_IDLE_MAX, &seconds) != BZ_OK) {
		fprintf(stderr, "bazar: BAZAR_KIOSK_IDLE=%s is not a number of seconds from 5 to %d\n",
		        idle, KIOSK_IDLE_MAX);
		return EXIT_USAGE;
	}
	opt->exit_pin = pin;
	opt->idle_seconds = (int)seconds;
	return EXIT_OK;
}

/* --kiosk and --no-submit-guard; anything else is a usage error. */
static int
parse_options(int argc, char **argv, struct tui_options *opt)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--kiosk") == 0) {
			opt->kiosk = true;
		} else if (strcmp(argv[i], "--no-submit-guard") == 0) {
			opt->submit_guard = false;
		} else {
			fprintf(stderr, "bazar: unknown option '%s'\n" STOREFRONT_USAGE, argv[i]);
			return EXIT_USAGE;
		}
	}
	if (opt->kiosk && !opt->submit_guard) {
		fprintf(stderr, "bazar: --no-submit-guard is for testers and is refused in kiosk mode\n");
		return EXIT_USAGE;
	}
	return opt->kiosk ? kiosk_settings(opt) : EXIT_OK;
}

int
terminal_main(enum db_role role, const char *label, struct tui_options *opt)
{
	struct db_conn *conn = NULL;
	char err[1024], *where = NULL;
	int rc = EXIT_FAIL;
	struct rlimit no_core = { 0, 0 };

	/* Its memory holds session tokens and bought codes: a core file
	 * would put them on disk. */
	if (setrlimit(RLIMIT_CORE, &no_core) != 0 && opt->kiosk) {
		fprintf(stderr, "bazar: cannot turn core dumps off, so the kiosk will not start\n");
		return EXIT_FAIL;
	}
	if (cluster_ensure_running(stderr, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_FAIL;
	}
	if (db_connect(role, label, &conn, err, sizeof err) != BZ_OK ||
	    db_check_least_privilege(conn, err, sizeof err) != BZ_OK ||
	    db_check_schema_version(conn, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		goto out;
	}
	/* Checked after the connection so that a kiosk misconfigured with the
	 * owner's credentials is told so even when started from a script. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "bazar: the %s needs a terminal; see 'bazar --help' for "
		        "commands that run without one\n", role == DB_ROLE_STAFF ? "console" : "storefront");
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
	opt->where = where ? where : "";
	rc = tui_run(conn, opt);
out:
	free(where);
	db_close(conn);
	return rc;
}

int
storefront_main(int argc, char **argv)
{
	struct tui_options opt = { .submit_guard = true, .idle_seconds = KIOSK_IDLE_DEFAULT };
	int rc;

	if ((rc = parse_options(argc, argv, &opt)) != EXIT_OK)
		return rc;
	return terminal_main(DB_ROLE_CLIENT, "bazar storefront", &opt);
}
