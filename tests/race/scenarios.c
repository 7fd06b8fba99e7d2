/* Every attack scenario, in the order the suite runs them. */
#include "config.h"

#include <stddef.h>

#include "tests/race/race.h"

extern const struct race_scenario *const race_customer_scenarios[];
extern const struct race_scenario *const race_staff_scenarios[];
extern const struct race_scenario *const race_fault_scenarios[];

/* Filled at start-up from the lists above (C has no constant
 * concatenation of arrays). */
const struct race_scenario *race_scenarios[32];

void
race_scenarios_init(void)
{
	size_t n = 0;
	for (size_t i = 0; race_customer_scenarios[i] && n < 31; i++)
		race_scenarios[n++] = race_customer_scenarios[i];
	for (size_t i = 0; race_staff_scenarios[i] && n < 31; i++)
		race_scenarios[n++] = race_staff_scenarios[i];
	for (size_t i = 0; race_fault_scenarios[i] && n < 31; i++)
		race_scenarios[n++] = race_fault_scenarios[i];
	race_scenarios[n] = NULL;
}
