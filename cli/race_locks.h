/* bazar race --watch-locks: a mode's lock summary as lines of the table. */
#ifndef BAZAR_CLI_RACE_LOCKS_H
#define BAZAR_CLI_RACE_LOCKS_H

#include "race/race.h"

/* Nothing when watching was off. */
void race_print_locks(const struct race_mode_report *m);

#endif
