/* bazar mail: the mail worker. Claims due messages from the outbox,
 * sends them through the Resend-compatible API (or writes them to a
 * folder without a key) and records each outcome (mail/worker.h). */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/command.h"
#include "core/log.h"
#include "core/parse.h"
#include "db/cluster.h"
#include "db/db.h"
#include "mail/mail.h"
#include "mail/worker.h"

static volatile sig_atomic_t stop_requested;

static int cmd_mail_run(int argc, char **argv);
static void on_stop_signal(int sig);
static bool default_mail_dir(char *out, size_t outlen);

const struct command cmd_mail_entry = {
	.name = "mail",
	.usage = "mail [--once] [--batch N] [--lease SECONDS] [--idle MS] [--name NAME]",
	.summary = "send the outbox's e-mails (Resend API, or files without a key)",
	.help =
	"Claims due messages from the outbox, sends each and records the outcome,\n"
	"until stopped (SIGINT or SIGTERM: the message in hand is finished, the\n"
	"rest of the claim is handed back). Several workers may run at once: they\n"
	"never take the same message, and a worker that dies leaves its messages\n"
	"to the others when their lease runs out.\n"
	"\n"
	"  --once           stop when nothing is due (messages waiting for a retry\n"
	"                   stay in the outbox)\n"
	"  --batch N        messages per claim, 1..100 (5)\n"
	"  --lease SECONDS  how long a claim is this worker's, 5..3600 (120); it must\n"
	"                   outlast a batch of requests that each take the timeout\n"
	"  --idle MS        the wait after a claim that found nothing, 10..60000 (1000)\n"
	"  --name NAME      how the console names this worker (mail@HOST:PID)\n"
	"\n"
	"Where messages go (the key is never printed or logged):\n"
	"  RESEND_API_KEY                 the provider's key; without it each message is\n"
	"                                 written to BAZAR_MAIL_DIR as an RFC 5322 file\n"
	"  BAZAR_MAIL_API_URL             https://api.resend.com/emails; http only to\n"
	"                                 127.0.0.1, ::1 or localhost\n"
	"  BAZAR_MAIL_FROM                Bazar <onboarding@resend.dev>\n"
	"  BAZAR_MAIL_DIR                 $BAZAR_HOME/mail\n"
	"  BAZAR_MAIL_TIMEOUT_MS          a whole request (10000)\n"
	"  BAZAR_MAIL_CONNECT_TIMEOUT_MS  the connection (3000)\n"
	"Retried with exponential backoff and jitter: no answer, a timeout, 429 (after\n"
	"its Retry-After), 408, 5xx, a 2xx without a message id. Failed for good (the\n"
	"console's Outbox lists them, staff may retry): any other 4xx, or 12 attempts.\n"
	"Every attempt carries the same Idempotency-Key, so a retry after a lost answer\n"
	"is never a second e-mail.\n"
	"\n"
	"The connection is the mailer role's (BAZAR_MAILER_URL, or the owner's server\n"
	"and database as bazar_mailer). Exit status: 0 stopped or (--once) nothing\n"
	"due; 1 a database or configuration error; 2 bad arguments.\n",
	.run = cmd_mail_run,
};

static int
cmd_mail_run(int argc, char **argv)
{
	struct mail_worker_options opts = { .batch = 5, .lease_s = 120, .idle_ms = 1000, .stop = &stop_requested };
	struct mail_config cfg = { 0 };
	struct mail_worker_stats stats;
	struct db_conn *conn = NULL;
	const struct mail_transport *transport;
	char err[1024], dir[PATH_MAX], name[128], host[64] = "", describe[512];
	struct sigaction sa;
	bool curl_started = false;
	long n;
	int rc = EXIT_FAIL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			opts.once = true;
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
			if (parse_int_range(argv[++i], 1, MAIL_WORKER_MAX_BATCH, &n) != BZ_OK)
				return command_usage_error(&cmd_mail_entry, "--batch takes 1 to %d, not '%s'",
				                           MAIL_WORKER_MAX_BATCH, argv[i]);
			opts.batch = (int)n;
		} else if (strcmp(argv[i], "--lease") == 0 && i + 1 < argc) {
			if (parse_int_range(argv[++i], 5, 3600, &n) != BZ_OK)
				return command_usage_error(&cmd_mail_entry, "--lease takes 5 to 3600 seconds, not '%s'",
				                           argv[i]);
			opts.lease_s = (int)n;
		} else if (strcmp(argv[i], "--idle") == 0 && i + 1 < argc) {
			if (parse_int_range(argv[++i], 10, 60000, &n) != BZ_OK)
				return command_usage_error(&cmd_mail_entry, "--idle takes 10 to 60000 ms, not '%s'", argv[i]);
			opts.idle_ms = (int)n;
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
			opts.name = argv[++i];
			if (opts.name[0] == '\0' || strlen(opts.name) > 100)
				return command_usage_error(&cmd_mail_entry, "--name takes 1 to 100 characters");
		} else
			return command_usage_error(&cmd_mail_entry, "unknown option '%s'", argv[i]);
	}
	if (opts.name == NULL) {
		gethostname(host, sizeof host - 1);
		snprintf(name, sizeof name, "mail@%s:%ld", host[0] ? host : "localhost", (long)getpid());
		opts.name = name;
	}
	if (!default_mail_dir(dir, sizeof dir))
		dir[0] = '\0';
	if (mail_config_from_env(&cfg, dir, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_FAIL;
	}
	if (mail_worker_check(&opts, &cfg, err, sizeof err) != BZ_OK) {
		mail_config_free(&cfg);
		return command_usage_error(&cmd_mail_entry, "%s", err);
	}
	transport = cfg.api_key ? &mail_transport_resend : &mail_transport_file;
	if (mail_global_init(err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		goto out;
	}
	curl_started = true;

	if (cluster_ensure_running(stderr, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		goto out;
	}
	if (db_connect(DB_ROLE_MAILER, "bazar mail", &conn, err, sizeof err) != BZ_OK ||
	    db_check_schema_version(conn, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		goto out;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	mail_config_describe(&cfg, describe, sizeof describe);
	fprintf(stderr, "bazar mail: %s as %s\n", describe, opts.name);
	bz_log(LOG_INFO, "mail worker %s started: %s", opts.name, describe);
	if (mail_worker_run(conn, &cfg, transport, &opts, &stats, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: mail worker stopped: %s\n", err);
		bz_log(LOG_ERROR, "mail worker %s stopped: %s", opts.name, err);
		goto out;
	}
	fprintf(stderr, "bazar mail: %ld claimed, %ld sent, %ld to retry, %ld failed, %ld gave up, "
	        "%ld stale, %ld handed back\n", stats.claimed, stats.sent, stats.retried, stats.failed,
	        stats.gave_up, stats.stale, stats.released);
	bz_log(LOG_INFO, "mail worker %s done: %ld claimed, %ld sent, %ld retry, %ld failed, %ld gave up, "
	       "%ld stale, %ld handed back", opts.name, stats.claimed, stats.sent, stats.retried, stats.failed,
	       stats.gave_up, stats.stale, stats.released);
	rc = EXIT_OK;
out:
	if (conn)
		db_close(conn);
	if (curl_started)
		mail_global_cleanup();
	mail_config_free(&cfg);
	return rc;
}

static void
on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* $BAZAR_HOME/mail: beside the private cluster and Bazar's log. */
static bool
default_mail_dir(char *out, size_t outlen)
{
	struct cluster_paths paths;
	char err[256];

	if (cluster_resolve(&paths, err, sizeof err) != BZ_OK)
		return false;
	return snprintf(out, outlen, "%s/mail", paths.home) < (int)outlen;
}
