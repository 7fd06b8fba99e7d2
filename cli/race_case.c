/* bazar race --save FILE and --replay FILE: a failing round kept as a
 * case file (race/case_file.h) and run again R times. A replay cannot
 * repeat the threads' interleaving, only the fixture's shape and the
 * burst: it says how often the anomaly came back. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/command.h"
#include "cli/race_case.h"
#include "race/report_json.h"

int
race_case_cli_load(const char *path, const char *mode, struct race_case *c, struct race_options *opts)
{
	char err[1024];

	if (race_case_read(path, c, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: race: %s\n", err);
		return EXIT_FAIL;
	}
	race_case_options(c, opts);
	opts->real = strcmp(mode, "naive") != 0;
	opts->naive = strcmp(mode, "real") != 0;
	if (opts->naive && !c->scenario->has_naive) {
		fprintf(stderr, "bazar: race: %s has no naive control: replay it with --mode real\n", c->scenario->name);
		race_case_free(c);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void
race_case_cli_header(const struct race_case *c, const char *path, const char *schema_now)
{
	printf("replay of %s: %s, recorded %s against the %s shop (round %d, schema %s%s%s)\n", path,
	       c->scenario->name, c->recorded_at, race_mode_name(c->mode), c->round,
	       c->schema_version[0] ? c->schema_version : "?",
	       schema_now && *schema_now && strcmp(schema_now, c->schema_version) != 0 ? ", now " : "",
	       schema_now && *schema_now && strcmp(schema_now, c->schema_version) != 0 ? schema_now : "");
	printf("  recorded: %s\n  fixture:", c->why);
	for (int i = 0; i < c->nparams; i++)
		printf(" %s=%lld", c->scenario->params[i].name, (long long)c->params[i]);
	printf("%s (fresh rows each round)\n", c->nparams ? "" : " N alone");
}

void
race_case_cli_summary(const struct race_report *report)
{
	printf("\n");
	for (int i = 0; i < report->nmodes; i++) {
		const struct race_mode_report *m = &report->modes[i];
		if (m->setup_failed)
			continue;
		printf("reproduced against the %s shop in %d of %d rounds (%.0f%%): %s\n", race_mode_name(m->mode),
		       m->anomalous_rounds, m->rounds, m->rounds ? 100.0 * m->anomalous_rounds / m->rounds : 0.0,
		       m->mode == RACE_REAL ? (m->anomalous_rounds ? "the bug is back (FAIL)" : "it holds (PASS)")
		                            : (m->anomalous_rounds ? "the race still shows (CAUGHT)"
		                                                   : "not this time (MISSED)"));
	}
}

int
race_case_cli_save(const struct race_report *report, int attempts, const char *path)
{
	struct race_case c;
	char err[1024], schema[64] = "";
	int i = race_case_first_failing(report);
	bz_err rc;

	if (i < 0) {
		fprintf(stderr, "bazar: race: no round failed: nothing to save, %s not written\n", path);
		return EXIT_NOTHING_TO_SAVE;
	}
	/* Unknown is better than no case: the round is what matters. */
	if (race_case_schema_version(schema, sizeof schema, err, sizeof err) != BZ_OK)
		schema[0] = '\0';
	race_case_from_mode(&c, &report->modes[i], attempts, schema);
	rc = race_case_write(path, &c, err, sizeof err);
	if (rc == BZ_OK)
		fprintf(stderr, "bazar: race: saved %s (%s) round %d as %s\n", c.scenario->name,
		        race_mode_name(c.mode), c.round, path);
	else
		fprintf(stderr, "bazar: race: %s\n", err);
	race_case_free(&c);
	return rc == BZ_OK ? EXIT_OK : EXIT_FAIL;
}
