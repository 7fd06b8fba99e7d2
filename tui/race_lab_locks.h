/* The Race lab's lock view (tui/race_lab_locks.c): while a burst runs,
 * who of the run's sessions waits on whom (the engine's lock watcher's
 * latest sample); after the run, each mode's busiest waits. */
#ifndef BAZAR_TUI_RACE_LAB_LOCKS_H
#define BAZAR_TUI_RACE_LAB_LOCKS_H

#include "tui/crt.h"

#include "race/race.h"
#include "tui/race_lab_run.h"

/* The live panel in rows Y to Y+H-1 of WIN, W columns. */
void lab_locks_draw_live(WINDOW *win, int y, int h, int w, const struct lab_progress *p, const char *scenario,
                         int sessions);
/* A mode's lock summary as at most MAX lines into LINES (caller frees
 * each); their number. 0 when watching was off. */
int lab_locks_result(const struct race_mode_report *m, char *lines[], int max);

#endif
