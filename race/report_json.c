/* The race lab's report as JSON (the shape is documented in docs/race.md;
 * tests/shell/race_cli.test checks it) and its verdicts, for "bazar race"
 * and the console's Race lab screen. */
#include "config.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "race/report_json.h"

static cJSON *sessions_json(const struct race_session_outcome *s, int n);
static cJSON *mode_json(const struct race_mode_report *m);

/* Every session of one round, by index. */
static cJSON *
sessions_json(const struct race_session_outcome *s, int n)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; s && i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "session", i);
		cJSON_AddBoolToObject(o, "ok", s[i].ok);
		if (s[i].sqlstate[0])
			cJSON_AddStringToObject(o, "sqlstate", s[i].sqlstate);
		else
			cJSON_AddNullToObject(o, "sqlstate");
		cJSON_AddStringToObject(o, "message", s[i].message);
		cJSON_AddNumberToObject(o, "latency_us", (double)s[i].latency_us);
		cJSON_AddNumberToObject(o, "attempts", s[i].attempts);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* One scenario in one mode. */
static cJSON *
mode_json(const struct race_mode_report *m)
{
	cJSON *o = cJSON_CreateObject(), *reasons = cJSON_CreateArray(), *spread = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "scenario", m->scenario);
	cJSON_AddStringToObject(o, "invariant", m->invariant);
	cJSON_AddStringToObject(o, "mode", race_mode_name(m->mode));
	cJSON_AddStringToObject(o, "verdict", race_mode_verdict(m));
	cJSON_AddNumberToObject(o, "sessions", m->sessions);
	cJSON_AddNumberToObject(o, "rounds", m->rounds);
	cJSON_AddNumberToObject(o, "anomalous_rounds", m->anomalous_rounds);
	if (m->mode == RACE_NAIVE && m->rounds > 0)
		cJSON_AddNumberToObject(o, "catch_rate", (double)m->anomalous_rounds / m->rounds);
	else
		cJSON_AddNullToObject(o, "catch_rate");
	cJSON_AddNumberToObject(o, "successes", (double)m->successes);
	cJSON_AddNumberToObject(o, "rejections", (double)m->rejections);
	for (int i = 0; i < m->nreasons; i++) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "reason", m->reasons[i].key);
		cJSON_AddNumberToObject(r, "count", (double)m->reasons[i].count);
		cJSON_AddItemToArray(reasons, r);
	}
	cJSON_AddItemToObject(o, "rejections_by_reason", reasons);
	cJSON_AddNumberToObject(spread, "rounds", m->nspreads);
	cJSON_AddNumberToObject(spread, "min", (double)m->spread_min_us);
	cJSON_AddNumberToObject(spread, "median", (double)m->spread_median_us);
	cJSON_AddNumberToObject(spread, "max", (double)m->spread_max_us);
	cJSON_AddItemToObject(o, "spread_us", spread);
	if (m->first_failing_round > 0) {
		cJSON *f = cJSON_CreateObject();
		cJSON_AddNumberToObject(f, "round", m->first_failing_round);
		cJSON_AddStringToObject(f, "why", m->first_why);
		cJSON_AddItemToObject(f, "sessions", sessions_json(m->first_failing, m->sessions));
		cJSON_AddItemToObject(o, "first_failure", f);
	} else {
		cJSON_AddNullToObject(o, "first_failure");
	}
	cJSON_AddItemToObject(o, "last_round", sessions_json(m->last_round, m->last_round ? m->sessions : 0));
	if (m->setup_failed)
		cJSON_AddStringToObject(o, "error", m->setup_err);
	else
		cJSON_AddNullToObject(o, "error");
	cJSON_AddNumberToObject(o, "latency_median_us", (double)m->latency_median_us);
	cJSON_AddItemToObject(o, "locks", race_locks_json(m));
	return o;
}

char *
race_report_json(const struct race_report *report, const char *verdict)
{
	cJSON *root = cJSON_CreateObject(), *modes = cJSON_CreateArray();
	char *text;

	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddStringToObject(root, "verdict", verdict);
	cJSON_AddNumberToObject(root, "sessions", report->sessions);
	cJSON_AddNumberToObject(root, "rounds", report->rounds);
	if (report->timed_out || report->stopped)
		cJSON_AddStringToObject(root, "stopped", report->stop_reason);
	else
		cJSON_AddNullToObject(root, "stopped");
	for (int i = 0; i < report->nmodes; i++)
		cJSON_AddItemToArray(modes, mode_json(&report->modes[i]));
	cJSON_AddItemToObject(root, "modes", modes);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	return text;
}

const char *
race_mode_verdict(const struct race_mode_report *m)
{
	if (m->setup_failed)
		return "ERROR";
	if (m->mode == RACE_REAL)
		return m->anomalous_rounds == 0 ? "PASS" : "FAIL";
	return m->anomalous_rounds > 0 ? "CAUGHT" : "MISSED";
}

const char *
race_report_verdict(const struct race_report *report)
{
	if (report->timed_out || report->stopped || report->nmodes == 0)
		return "FAIL";
	for (int i = 0; i < report->nmodes; i++) {
		const char *v = race_mode_verdict(&report->modes[i]);
		if (strcmp(v, "PASS") != 0 && strcmp(v, "CAUGHT") != 0)
			return "FAIL";
	}
	return "PASS";
}
