/* Every scenario of the race lab, in the order a run takes them, and how
 * a caller sees them (race_scenario_info). */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "race/scenario.h"

#define RACE_MAX_SCENARIOS 32

extern const struct race_scenario *const race_customer_scenarios[];
extern const struct race_scenario *const race_staff_scenarios[];
extern const struct race_scenario *const race_fault_scenarios[];

static void scenarios_init(void);

/* Filled on first use from the lists above (C has no constant
 * concatenation of arrays); the infos mirror them. */
static const struct race_scenario *all[RACE_MAX_SCENARIOS];
static struct race_scenario_info infos[RACE_MAX_SCENARIOS];
static int count = -1;
static const struct race_param_info no_params[] = { { NULL, 0, 0 } };

/* Concatenate the per-file lists once; the first caller is the thread
 * that starts a run or lists the scenarios, before any worker exists. */
static void
scenarios_init(void)
{
	const struct race_scenario *const *lists[] = {
		race_customer_scenarios, race_staff_scenarios, race_fault_scenarios,
	};

	if (count >= 0)
		return;
	count = 0;
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (size_t i = 0; lists[l][i] && count < RACE_MAX_SCENARIOS - 1; i++) {
			const struct race_scenario *s = lists[l][i];
			all[count] = s;
			infos[count] = (struct race_scenario_info){
				.name = s->name, .invariant = s->invariant, .has_naive = !s->no_naive,
				.explicit_only = s->explicit_only, .needs = s->needs,
				.params = s->params ? s->params : no_params,
			};
			count++;
		}
}

const struct race_scenario *
race_scenario_get(int index)
{
	scenarios_init();
	return index >= 0 && index < count ? all[index] : NULL;
}

const struct race_scenario_info *
race_scenario_at(int index)
{
	scenarios_init();
	return index >= 0 && index < count ? &infos[index] : NULL;
}

const struct race_scenario_info *
race_scenario_find(const char *name)
{
	scenarios_init();
	for (int i = 0; name && i < count; i++)
		if (strcmp(infos[i].name, name) == 0)
			return &infos[i];
	return NULL;
}
