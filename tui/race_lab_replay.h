/* The Race lab's saved cases (race/case_file.h): s saves the first
 * failing round of the report shown as a case file, p replays a case
 * file with the rounds and mode of the form. Plain C, no curses: the
 * screen (tui/screen_race_lab.c) prompts, runs and draws. */
#ifndef BAZAR_TUI_RACE_LAB_REPLAY_H
#define BAZAR_TUI_RACE_LAB_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "race/case_file.h"

/* The case being replayed (active), kept while its run goes on and its
 * result is shown: the run's options point into it. */
struct lab_replay {
	bool active;
	struct race_case rcase;
	char path[256];
};

/* Save the first failing round of REPORT to the new file PATH. true:
 * written; MSG says what happened either way (nothing failed, the file
 * exists, cannot write). RP: the replay REPORT came from, or NULL. */
bool lab_replay_save(const struct lab_replay *rp, const struct race_report *report, const char *path,
                     char *msg, size_t msglen);
/* Read and validate the case PATH into RP (active). BZ_OK, or a sentence
 * in err and RP left as it was. */
bz_err lab_replay_load(struct lab_replay *rp, const char *path, char *err, size_t errlen);
/* Point OPTS (rounds and modes already set) at the active case: its
 * scenario, N, attempts and fixture; a scenario without a naive control
 * runs real only. */
void lab_replay_options(const struct lab_replay *rp, struct race_options *opts);
/* A line on the replay (INDEX -1: which case) or on how often it
 * reproduced in REPORT's mode INDEX; caller frees. */
char *lab_replay_summary(const struct lab_replay *rp, const struct race_report *report, int index);
void lab_replay_clear(struct lab_replay *rp);

#endif
