/* The Race lab's saved cases: saving a failing round, replaying a case
 * (tui/race_lab_replay.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/race_lab_replay.h"

bool
lab_replay_save(const struct lab_replay *rp, const struct race_report *report, const char *path,
                char *msg, size_t msglen)
{
	struct race_options defaults;
	struct race_case c;
	char err[512], schema[64] = "";
	int i = race_case_first_failing(report);
	bool written;

	if (i < 0) {
		snprintf(msg, msglen, "No round failed: nothing to save, %s not written.", path);
		return false;
	}
	race_options_init(&defaults);
	/* A case without its schema version is still the round that failed. */
	if (race_case_schema_version(schema, sizeof schema, err, sizeof err) != BZ_OK)
		schema[0] = '\0';
	race_case_from_mode(&c, &report->modes[i], rp && rp->active ? rp->rcase.attempts : defaults.attempts,
	                    schema);
	written = race_case_write(path, &c, err, sizeof err) == BZ_OK;
	if (written)
		snprintf(msg, msglen, "Saved %s (%s) round %d as %s.", c.scenario->name, race_mode_name(c.mode),
		         c.round, path);
	else
		snprintf(msg, msglen, "Not saved: %s.", err);
	race_case_free(&c);
	return written;
}

bz_err
lab_replay_load(struct lab_replay *rp, const char *path, char *err, size_t errlen)
{
	struct race_case c;
	bz_err rc = race_case_read(path, &c, err, errlen);

	if (rc != BZ_OK)
		return rc;
	lab_replay_clear(rp);
	rp->rcase = c;
	rp->active = true;
	snprintf(rp->path, sizeof rp->path, "%s", path);
	return BZ_OK;
}

void
lab_replay_options(const struct lab_replay *rp, struct race_options *opts)
{
	race_case_options(&rp->rcase, opts);
	if (!rp->rcase.scenario->has_naive) {
		opts->real = true;
		opts->naive = false;
	}
}

char *
lab_replay_summary(const struct lab_replay *rp, const struct race_report *report, int index)
{
	const struct race_mode_report *m;

	if (index < 0)
		return xasprintf("Replay of %s (recorded %s, %s round %d)", rp->path, rp->rcase.recorded_at,
		                 race_mode_name(rp->rcase.mode), rp->rcase.round);
	m = &report->modes[index];
	return xasprintf("%s reproduced in %d of %d rounds (%.0f%%)", race_mode_name(m->mode), m->anomalous_rounds,
	                 m->rounds, m->rounds ? 100.0 * m->anomalous_rounds / m->rounds : 0.0);
}

void
lab_replay_clear(struct lab_replay *rp)
{
	race_case_free(&rp->rcase);
	rp->active = false;
	rp->path[0] = '\0';
}
