/* bazar race: the race lab headless. Runs scenarios of the race lab's
 * engine (race/race.h) against the shop's real functions or the naive
 * control, prints a table and a verdict (or a JSON report), and exits 1
 * when the real shop broke an invariant or a check missed the naive
 * control. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/command.h"
#include "cli/race_case.h"
#include "cli/race_locks.h"
#include "core/parse.h"
#include "db/cluster.h"
#include "race/case_replay.h"
#include "race/race.h"
#include "race/report_json.h"

static int cmd_race_run(int argc, char **argv);
static void on_interrupt(int sig);
static bool stop_asked(void *arg);
static int parse_number(const char *opt, const char *value, int min, int max, int *out);
static int list_scenarios(void);
static void on_round_finished(void *arg, const struct race_round_outcome *o);
static void print_table(const struct race_report *report);
static void print_sessions(const struct race_session_outcome *s, int n);

const struct command cmd_race_entry = {
	.name = "race",
	.usage = "race SCENARIO|--all [-n N] [--rounds R] [--naive|--both] [--timeout S]"
	         " [--watch-locks [--watch-interval MS]] [--json] [--save FILE]"
	         " | race --replay FILE [--rounds R] [--mode real|naive|both] [--json] | race --list",
	.summary = "the race lab: fire one shop action from N sessions at once, check the database",
	.help =
	"Fires the scenario's action from N sessions (2-256, default 8), each with\n"
	"its own connection, released together; R rounds (default 5) on fresh\n"
	"fixtures; after each round the scenario's invariant is checked in the\n"
	"database. --all runs every scenario. By default the shop's real functions\n"
	"are attacked; --naive attacks the naive control instead (schema \"naive\",\n"
	"loaded by the lab; the shop's functions are never replaced), whose races\n"
	"the checks must catch; --both runs both. --timeout: seconds a burst may\n"
	"take (default 120). --json prints the report as JSON (docs/race.md).\n"
	"--watch-locks samples the lock graph during each burst (every 2 ms, or\n"
	"--watch-interval MS) and reports who waited on whom and what it cost.\n"
	"--list lists the scenarios. --save FILE writes the run's first failing\n"
	"round as a case file (never over an existing file; exit 3 and no file\n"
	"when no round failed). --replay FILE runs a saved case again R times\n"
	"(its scenario, N and fixture, fresh rows) against --mode real (the\n"
	"default), naive or both, and reports how often it reproduced; a replay\n"
	"that reproduces against the real shop exits 1.\n"
	"Ctrl-C stops after the round under way and\n"
	"reports the rounds that ran (verdict FAIL: the run is incomplete).\n"
	"Runs only on a database marked as a test database by its owner\n"
	"(ALTER DATABASE name SET bazar.test_database = on; the private cluster is).\n"
	"Exit 0: PASS (no anomaly in the real shop, every naive run caught);\n"
	"1: FAIL, or the lab could not run; 2: bad arguments.\n",
	.run = cmd_race_run,
};

/* Ctrl-C: the run stops after the round under way and reports what ran. */
static volatile sig_atomic_t interrupted;

/* The first Ctrl-C asks the engine to stop; a second one ends the program. */
static void
on_interrupt(int sig)
{
	interrupted = 1;
	signal(sig, SIG_DFL);
}

/* The engine asks between rounds. */
static bool
stop_asked(void *arg)
{
	(void)arg;
	return interrupted != 0;
}

/* VALUE as a whole number in MIN..MAX for option OPT; EXIT_OK or a usage error. */
static int
parse_number(const char *opt, const char *value, int min, int max, int *out)
{
	long v;

	if (value == NULL)
		return command_usage_error(&cmd_race_entry, "%s needs a value (a whole number from %d to %d)",
		                           opt, min, max);
	if (parse_int_range(value, min, max, &v) != BZ_OK)
		return command_usage_error(&cmd_race_entry, "%s takes a whole number from %d to %d, not '%s'",
		                           opt, min, max, value);
	*out = (int)v;
	return EXIT_OK;
}

/* --list: one line per scenario. */
static int
list_scenarios(void)
{
	for (int i = 0; race_scenario_at(i); i++) {
		const struct race_scenario_info *s = race_scenario_at(i);
		if (s->explicit_only)
			continue;
		printf("%-28s %-10s %s\n", s->name, s->has_naive ? "real+naive" : "real only", s->invariant);
	}
	return EXIT_OK;
}

/* Progress on a terminal's stderr, one line rewritten per round. */
static void
on_round_finished(void *arg, const struct race_round_outcome *o)
{
	(void)arg;
	fprintf(stderr, "\r%-28s %-5s round %d/%d%s\033[K", o->scenario, race_mode_name(o->mode),
	        o->round, o->rounds, o->anomalies ? " anomaly" : "");
	if (o->round == o->rounds)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* One session line per session of a round. */
static void
print_sessions(const struct race_session_outcome *s, int n)
{
	printf("    %7s  %-7s  %-5s  %10s  %s\n", "session", "outcome", "state", "latency us", "message");
	for (int i = 0; i < n; i++)
		printf("    %7d  %-7s  %-5s  %10lld  %s\n", i, s[i].ok ? "ok" : "refused",
		       s[i].sqlstate[0] ? s[i].sqlstate : "-", (long long)s[i].latency_us, s[i].message);
}

/* The table, rejections and per-mode verdicts. */
static void
print_table(const struct race_report *report)
{
	printf("%d sessions x %d rounds\n", report->sessions, report->rounds);
	printf("%-28s %-5s %6s %9s %9s %10s  %s\n", "scenario", "mode", "rounds", "anomalous", "successes",
	       "rejections", "spread us p50/max");
	for (int i = 0; i < report->nmodes; i++) {
		const struct race_mode_report *m = &report->modes[i];
		printf("%-28s %-5s %6d %9d %9ld %10ld  %lld/%lld\n", m->scenario, race_mode_name(m->mode), m->rounds,
		       m->anomalous_rounds, m->successes, m->rejections, (long long)m->spread_median_us,
		       (long long)m->spread_max_us);
	}
	for (int i = 0; i < report->nmodes; i++) {
		const struct race_mode_report *m = &report->modes[i];
		const char *v = race_mode_verdict(m);

		printf("\n%s %s (%s): %s\n", v, m->scenario, race_mode_name(m->mode), m->invariant);
		if (m->setup_failed)
			printf("  could not run: %s\n", m->setup_err);
		else if (m->mode == RACE_REAL)
			printf("  %d anomalous rounds of %d\n", m->anomalous_rounds, m->rounds);
		else
			printf("  the checks caught the naive control in %d of %d rounds (catch rate %.0f%%)\n",
			       m->anomalous_rounds, m->rounds, m->rounds ? 100.0 * m->anomalous_rounds / m->rounds : 0.0);
		for (int k = 0; k < m->nreasons; k++)
			printf("  rejected %-24s %ld\n", m->reasons[k].key, m->reasons[k].count);
		race_print_locks(m);
		if (m->first_failing_round > 0) {
			printf("  first anomaly: %s\n", m->first_why);
			print_sessions(m->first_failing, m->sessions);
		} else if (m->last_note[0]) {
			printf("  %s\n", m->last_note);
		}
	}
	if (report->timed_out || report->stopped)
		printf("\nthe run stopped early: %s\n", report->stop_reason);
	printf("\nverdict: %s\n", race_report_verdict(report));
}

static int
cmd_race_run(int argc, char **argv)
{
	struct race_options opts;
	struct race_callbacks cb = { .round_finished = on_round_finished, .stop = stop_asked };
	struct race_report report;
	const char *scenario = NULL;
	const char *save = NULL, *replay = NULL, *replay_mode = NULL;
	struct race_case rcase = { 0 };
	char schema_now[64] = "";
	bool all = false, json = false, list = false, naive = false, both = false;
	char err[1024];
	int rc;

	race_options_init(&opts);
	opts.sessions = 8;
	opts.rounds = 5;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-n") == 0 || strcmp(a, "--sessions") == 0) {
			if ((rc = parse_number(a, argv[i + 1], RACE_MIN_SESSIONS, RACE_MAX_SESSIONS, &opts.sessions)) != EXIT_OK)
				return rc;
			i++;
		} else if (strcmp(a, "--rounds") == 0) {
			if ((rc = parse_number(a, argv[i + 1], 1, RACE_MAX_ROUNDS, &opts.rounds)) != EXIT_OK)
				return rc;
			i++;
		} else if (strcmp(a, "--timeout") == 0) {
			if ((rc = parse_number(a, argv[i + 1], 5, 3600, &opts.round_timeout_s)) != EXIT_OK)
				return rc;
			i++;
		} else if (strcmp(a, "--watch-interval") == 0) {
			if ((rc = parse_number(a, argv[i + 1], 1, 1000, &opts.watch_interval_ms)) != EXIT_OK)
				return rc;
			i++;
		} else if (strcmp(a, "--watch-locks") == 0) {
			opts.watch_locks = true;
		} else if (strcmp(a, "--all") == 0) {
			all = true;
		} else if (strcmp(a, "--naive") == 0) {
			naive = true;
		} else if (strcmp(a, "--both") == 0) {
			both = true;
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strcmp(a, "--list") == 0) {
			list = true;
		} else if (strcmp(a, "--save") == 0 || strcmp(a, "--replay") == 0 || strcmp(a, "--mode") == 0) {
			if (argv[i + 1] == NULL || argv[i + 1][0] == '\0')
				return command_usage_error(&cmd_race_entry, "%s needs a value", a);
			*(a[2] == 's' ? &save : a[2] == 'r' ? &replay : &replay_mode) = argv[++i];
		} else if (a[0] == '-') {
			return command_usage_error(&cmd_race_entry, "unknown option '%s'", a);
		} else if (scenario) {
			return command_usage_error(&cmd_race_entry, "one SCENARIO at a time (or --all), not '%s' and '%s'",
			                           scenario, a);
		} else {
			scenario = a;
		}
	}
	if (list) {
		if (scenario || all)
			return command_usage_error(&cmd_race_entry, "--list takes no scenario");
		return list_scenarios();
	}
	/* Refused before the run, not after it (the write itself is O_EXCL). */
	if (save && access(save, F_OK) == 0)
		return command_usage_error(&cmd_race_entry, "%s exists: --save never overwrites a file, give another name",
		                           save);
	if (replay_mode && !replay)
		return command_usage_error(&cmd_race_entry, "--mode goes with --replay (a run takes --naive or --both)");
	if (replay && (scenario || all || naive || both))
		return command_usage_error(&cmd_race_entry, "--replay runs the case's scenario: no SCENARIO, --all, "
		                           "--naive or --both (use --mode real|naive|both)");
	if (replay_mode && strcmp(replay_mode, "real") != 0 && strcmp(replay_mode, "naive") != 0 &&
	    strcmp(replay_mode, "both") != 0)
		return command_usage_error(&cmd_race_entry, "--mode takes real, naive or both, not '%s'", replay_mode);
	if (replay) {
		if ((rc = race_case_cli_load(replay, replay_mode ? replay_mode : "real", &rcase, &opts)) != EXIT_OK)
			return rc;
		scenario = opts.scenario;
		naive = !opts.real;
		both = opts.real && opts.naive;
	}
	if (naive && both)
		return command_usage_error(&cmd_race_entry, "--naive and --both exclude each other");
	if (all && scenario)
		return command_usage_error(&cmd_race_entry, "give a SCENARIO or --all, not both");
	if (!all && !scenario)
		return command_usage_error(&cmd_race_entry, "say which SCENARIO to run, or --all (see bazar race --list)");
	if (scenario) {
		const struct race_scenario_info *s = race_scenario_find(scenario);
		if (s == NULL || s->explicit_only)
			return command_usage_error(&cmd_race_entry, "there is no scenario '%s' (see bazar race --list)",
			                           scenario);
		if ((naive || both) && !s->has_naive)
			return command_usage_error(&cmd_race_entry, "%s has no naive control: run it without --naive",
			                           scenario);
	}
	opts.scenario = scenario;
	opts.real = !naive;
	opts.naive = naive || both;
	if (race_options_check(&opts, err, sizeof err) != BZ_OK) {
		race_case_free(&rcase);
		return command_usage_error(&cmd_race_entry, "%s", err);
	}
	if (!isatty(STDERR_FILENO))
		cb.round_finished = NULL;

	{
		struct sigaction sa = { .sa_handler = on_interrupt, .sa_flags = SA_RESTART };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
	}
	if (cluster_ensure_running(stderr, err, sizeof err) != BZ_OK ||
	    race_run(&opts, &cb, &report, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: race: %s\n", err);
		race_case_free(&rcase);
		return EXIT_FAIL;
	}
	if (replay && race_case_schema_version(schema_now, sizeof schema_now, err, sizeof err) != BZ_OK)
		schema_now[0] = '\0';
	if (json) {
		char *text = replay ? race_replay_json(&report, &rcase, replay, schema_now)
		                    : race_report_json(&report, race_report_verdict(&report));
		printf("%s\n", text);
		free(text);
	} else {
		if (replay)
			race_case_cli_header(&rcase, replay, schema_now);
		print_table(&report);
		if (replay)
			race_case_cli_summary(&report);
	}
	rc = strcmp(race_report_verdict(&report), "PASS") == 0 ? EXIT_OK : EXIT_FAIL;
	if (save) {
		int saved = race_case_cli_save(&report, opts.attempts, save);
		if (saved != EXIT_OK)
			rc = saved;
	}
	race_case_free(&rcase);
	race_report_free(&report);
	return rc;
}
