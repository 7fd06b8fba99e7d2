/* Inside the engine: filling a struct race_mode_report (race/report.c). */
#ifndef BAZAR_RACE_REPORT_H
#define BAZAR_RACE_REPORT_H

#include "race/scenario.h"

void race_report_reason(struct race_mode_report *res, const char *key);
/* Copy N workers' outcomes into *dst (allocated on first use). */
void race_report_sessions(struct race_session_outcome **dst, const struct race_worker *w, int n);
void race_report_spreads(struct race_mode_report *res, int64_t *spreads, int n);

#endif
