/* The attack suite's driver: the race lab's engine (race/race.h) over
 * every scenario, the real shop and then the naive control, R rounds of N
 * sessions released together; TAP on stdout (one line per scenario and
 * mode) with a report table as comments.
 *
 * Environment: DATABASE_URL (the owner, for fixtures and checks; the
 * workers derive their role's connection from it), BAZAR_RACE_SESSIONS
 * (default 32, 2..256), BAZAR_RACE_ROUNDS (default 20), BAZAR_RACE_ONLY
 * (run only the scenario with that name; the only way to run an explicit
 * one), BAZAR_RACE_NAIVE=0 (skip the naive control),
 * BAZAR_RACE_CATCH_RATE=1 (run every naive round to measure the catch
 * rate; default 0: a naive mode ends at its first catch, which is what
 * the check needs),
 * BAZAR_RACE_ROUND_TIMEOUT (seconds, default 120), BAZAR_RACE_ATTEMPTS
 * (requests per checkout attempt, default as in the terminal),
 * BAZAR_RACE_FAULT_CMD (the server restart, race/scenarios_fault.c). A bad
 * value is a "Bail out!" naming the variable, before anything is done. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/parse.h"
#include "core/retry.h"
#include "race/race.h"

/* The TAP numbering and the watchdog's words, across callbacks. */
struct tap_state {
	int n;
	bool until_caught;
	int timeout_s;
};

/* The watchdog's words, set before each round (async-signal-safe write). */
static char watchdog_msg[256];

static int env_int(const char *name, int def, int min, int max);
static void on_round_started(void *arg, const char *scenario, enum race_mode mode, int round, int rounds);
static void on_round_finished(void *arg, const struct race_round_outcome *o);
static void on_mode_finished(void *arg, const struct race_mode_report *res);

/* The engine ends a burst that outlives its timeout; this one also
 * covers a round's setup and check, so the suite always stops by itself. */
static void
watchdog(int sig)
{
	(void)sig;
	if (write(STDOUT_FILENO, watchdog_msg, strlen(watchdog_msg)) < 0)
		_exit(3);
	_exit(2);
}

/* Read a bounded integer from the environment; a bad value is fatal. */
static int
env_int(const char *name, int def, int min, int max)
{
	const char *v = getenv(name);
	long out;

	if (v == NULL || *v == '\0')
		return def;
	if (parse_int_range(v, min, max, &out) != BZ_OK) {
		printf("Bail out! %s='%s' is not a whole number from %d to %d\n", name, v, min, max);
		exit(1);
	}
	return (int)out;
}

/* Arm the watchdog for the round (its setup, burst and check). */
static void
on_round_started(void *arg, const char *scenario, enum race_mode mode, int round, int rounds)
{
	struct tap_state *t = arg;

	(void)rounds;
	snprintf(watchdog_msg, sizeof watchdog_msg, "Bail out! %s (%s) round %d made no progress "
	         "for %d s (BAZAR_RACE_ROUND_TIMEOUT)\n", scenario, race_mode_name(mode), round,
	         t->timeout_s + 30);
	alarm((unsigned)t->timeout_s + 30);
}

/* Disarm it; the scenario's own report lines become comments. */
static void
on_round_finished(void *arg, const struct race_round_outcome *o)
{
	const char *line = o->note;

	(void)arg;
	alarm(0);
	while (line && *line) {
		const char *end = strchr(line, '\n');
		int len = end ? (int)(end - line) : (int)strlen(line);
		printf("#     %.*s\n", len, line);
		line = end ? end + 1 : NULL;
	}
}

/* The table row, the rejections, and the TAP line of one scenario and mode. */
static void
on_mode_finished(void *arg, const struct race_mode_report *res)
{
	struct tap_state *t = arg;
	int n = ++t->n;

	alarm(0);
	printf("# %-22s %-6s %7d %9d %9ld %9ld  %lld/%lld/%lld\n", res->scenario, race_mode_name(res->mode),
	       res->rounds, res->anomalous_rounds, res->successes, res->rejections,
	       (long long)res->spread_min_us, (long long)res->spread_median_us, (long long)res->spread_max_us);
	for (int k = 0; k < res->nreasons; k++)
		printf("#     rejected %-24s %ld\n", res->reasons[k].key, res->reasons[k].count);
	if (res->setup_failed) {
		printf("not ok %d - %s (%s): could not run: %s\n", n, res->scenario,
		       res->mode == RACE_REAL ? "real" : "naive control", res->setup_err);
	} else if (res->mode == RACE_REAL) {
		bool good = res->anomalous_rounds == 0;
		printf("%s %d - %s: %s; %d anomalous rounds of %d\n", good ? "ok" : "not ok", n,
		       res->scenario, res->invariant, res->anomalous_rounds, res->rounds);
		if (!good)
			printf("#   first anomaly: %s\n", res->first_why);
	} else {
		bool caught = res->anomalous_rounds > 0;

		if (t->until_caught && caught)
			printf("ok %d - %s: the checker catches the naive control in round %d "
			       "(the run stops at the first catch; BAZAR_RACE_CATCH_RATE=1 measures the rate)\n",
			       n, res->scenario, res->first_failing_round);
		else
			printf("%s %d - %s: the checker catches the naive control in %d of %d rounds "
			       "(catch rate %.0f%%)\n", caught ? "ok" : "not ok", n, res->scenario,
			       res->anomalous_rounds, res->rounds,
			       res->rounds ? 100.0 * res->anomalous_rounds / res->rounds : 0.0);
		if (caught)
			printf("#   e.g. %s\n", res->first_why);
	}
}

int
main(void)
{
	const char *only = getenv("BAZAR_RACE_ONLY");
	struct race_options opts;
	struct tap_state tap = { 0 };
	struct race_callbacks cb = {
		.arg = &tap, .round_started = on_round_started, .round_finished = on_round_finished,
		.mode_finished = on_mode_finished,
	};
	struct race_report report;
	char err[1024];
	int planned;

	race_options_init(&opts);
	opts.sessions = env_int("BAZAR_RACE_SESSIONS", 32, RACE_MIN_SESSIONS, RACE_MAX_SESSIONS);
	opts.rounds = env_int("BAZAR_RACE_ROUNDS", 20, 1, RACE_MAX_ROUNDS);
	opts.naive = env_int("BAZAR_RACE_NAIVE", 1, 0, 1) == 1;
	opts.naive_until_caught = env_int("BAZAR_RACE_CATCH_RATE", 0, 0, 1) == 0;
	tap.until_caught = opts.naive_until_caught;
	opts.round_timeout_s = env_int("BAZAR_RACE_ROUND_TIMEOUT", 120, 5, 3600);
	opts.attempts = env_int("BAZAR_RACE_ATTEMPTS", RETRY_DEFAULT_MAX_ATTEMPTS, 1, 50);
	opts.fault_cmd = getenv("BAZAR_RACE_FAULT_CMD");
	if (opts.fault_cmd && *opts.fault_cmd == '\0')
		opts.fault_cmd = NULL;
	tap.timeout_s = opts.round_timeout_s;
	signal(SIGALRM, watchdog);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (only && *only == '\0')
		only = NULL;
	opts.scenario = only;
	/* A misspelt name would otherwise pass as "nothing to test". */
	if (only && race_scenario_find(only) == NULL) {
		printf("Bail out! BAZAR_RACE_ONLY='%s' names no scenario; the scenarios are:", only);
		for (int i = 0; race_scenario_at(i); i++)
			printf(" %s", race_scenario_at(i)->name);
		printf("\n");
		return 1;
	}
	if (only && race_scenario_find(only)->needs && opts.fault_cmd == NULL) {
		printf("Bail out! %s needs BAZAR_RACE_FAULT_CMD (see race/scenarios_fault.c)\n", only);
		return 1;
	}
	planned = race_planned_modes(&opts);
	printf("1..%d\n", planned);
	printf("# %d sessions x %d rounds per scenario and mode; %d requests per checkout attempt\n",
	       opts.sessions, opts.rounds, opts.attempts);
	printf("# %-22s %-6s %7s %9s %9s %9s  %s\n", "scenario", "mode", "rounds", "anomalous",
	       "successes", "rejected", "start spread us (min/median/max)");
	if (race_run(&opts, &cb, &report, err, sizeof err) != BZ_OK) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	if (report.timed_out || report.stopped) {
		printf("Bail out! %s (BAZAR_RACE_ROUND_TIMEOUT)\n", report.stop_reason);
		race_report_free(&report);
		return 2;
	}
	race_report_free(&report);
	return 0;
}
