/* The race lab's options: defaults, one sentence per bad value, and which
 * scenario-and-mode runs they select. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/retry.h"
#include "race/scenario.h"

static bool range_ok(int v, int min, int max, const char *what, char *err, size_t errlen);

void
race_options_init(struct race_options *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->sessions = 32;
	opts->rounds = 20;
	opts->real = true;
	opts->naive = true;
	opts->round_timeout_s = 120;
	opts->attempts = RETRY_DEFAULT_MAX_ATTEMPTS;
}

/* V within [MIN, MAX], else a sentence naming WHAT. */
static bool
range_ok(int v, int min, int max, const char *what, char *err, size_t errlen)
{
	if (v >= min && v <= max)
		return true;
	snprintf(err, errlen, "%s must be a whole number from %d to %d, not %d", what, min, max, v);
	return false;
}

bz_err
race_options_check(const struct race_options *opts, char *err, size_t errlen)
{
	if (!range_ok(opts->sessions, RACE_MIN_SESSIONS, RACE_MAX_SESSIONS, "sessions", err, errlen) ||
	    !range_ok(opts->rounds, 1, RACE_MAX_ROUNDS, "rounds", err, errlen) ||
	    !range_ok(opts->round_timeout_s, 5, 3600, "the round timeout (seconds)", err, errlen) ||
	    !range_ok(opts->attempts, 1, 50, "attempts", err, errlen))
		return BZ_ERR_INVALID_INPUT;
	if (!opts->real && !opts->naive) {
		snprintf(err, errlen, "nothing to run: neither the real shop nor the naive control was asked for");
		return BZ_ERR_INVALID_INPUT;
	}
	if (opts->params && opts->scenario == NULL) {
		snprintf(err, errlen, "fixture parameters (a replay) need one scenario");
		return BZ_ERR_INVALID_INPUT;
	}
	if (opts->scenario && race_scenario_find(opts->scenario) == NULL) {
		snprintf(err, errlen, "there is no scenario '%s'", opts->scenario);
		return BZ_ERR_INVALID_INPUT;
	}
	for (int i = 0; race_scenario_get(i); i++) {
		const struct race_scenario *s = race_scenario_get(i);
		bool selected = opts->scenario ? strcmp(opts->scenario, s->name) == 0 : !s->explicit_only;
		if (selected && s->needs && strcmp(s->needs, "fault_cmd") == 0 &&
		    (opts->fault_cmd == NULL || *opts->fault_cmd == '\0')) {
			snprintf(err, errlen, "%s needs a fault command (the server restart)", s->name);
			return BZ_ERR_INVALID_INPUT;
		}
	}
	if (race_planned_modes(opts) == 0) {
		snprintf(err, errlen, "%s has no naive control (a fault scenario): run it real",
		         opts->scenario ? opts->scenario : "the selection");
		return BZ_ERR_INVALID_INPUT;
	}
	return BZ_OK;
}

int
race_planned_modes(const struct race_options *opts)
{
	int planned = 0;

	for (int i = 0; race_scenario_get(i); i++) {
		const struct race_scenario *s = race_scenario_get(i);
		if (opts->scenario ? strcmp(opts->scenario, s->name) != 0 : s->explicit_only)
			continue;
		planned += (opts->real ? 1 : 0) + (opts->naive && !s->no_naive ? 1 : 0);
	}
	return planned;
}

const char *
race_mode_name(enum race_mode mode)
{
	return mode == RACE_NAIVE ? "naive" : "real";
}
