/* A replay's JSON report (race/case_replay.h): the run's report of
 * race/report_json.c, read back, with the "replay" object added, so the
 * run's own shape stays in one place. */
#include "config.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "race/case_replay.h"
#include "race/report_json.h"

char *
race_replay_json(const struct race_report *report, const struct race_case *c, const char *path,
                 const char *schema_now)
{
	char *text = race_report_json(report, race_report_verdict(report));
	cJSON *root = cJSON_Parse(text), *replay = cJSON_CreateObject(), *params = cJSON_CreateObject();
	cJSON *modes = cJSON_CreateArray();

	free(text);
	if (root == NULL)
		abort();   /* our own text: only out of memory gets here */
	cJSON_AddStringToObject(replay, "case", path);
	cJSON_AddStringToObject(replay, "scenario", c->scenario->name);
	cJSON_AddStringToObject(replay, "recorded_mode", race_mode_name(c->mode));
	cJSON_AddNumberToObject(replay, "recorded_round", c->round);
	cJSON_AddStringToObject(replay, "recorded_why", c->why);
	cJSON_AddStringToObject(replay, "recorded_at", c->recorded_at);
	cJSON_AddStringToObject(replay, "recorded_schema_version", c->schema_version);
	if (schema_now && *schema_now)
		cJSON_AddStringToObject(replay, "schema_version", schema_now);
	else
		cJSON_AddNullToObject(replay, "schema_version");
	for (int i = 0; i < c->nparams; i++)
		cJSON_AddNumberToObject(params, c->scenario->params[i].name, (double)c->params[i]);
	cJSON_AddItemToObject(replay, "params", params);
	for (int i = 0; i < report->nmodes; i++) {
		const struct race_mode_report *m = &report->modes[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "mode", race_mode_name(m->mode));
		cJSON_AddNumberToObject(o, "rounds", m->rounds);
		cJSON_AddNumberToObject(o, "reproduced", m->anomalous_rounds);
		if (m->rounds > 0)
			cJSON_AddNumberToObject(o, "rate", (double)m->anomalous_rounds / m->rounds);
		else
			cJSON_AddNullToObject(o, "rate");
		cJSON_AddStringToObject(o, "verdict", race_mode_verdict(m));
		cJSON_AddItemToArray(modes, o);
	}
	cJSON_AddItemToObject(replay, "modes", modes);
	cJSON_AddItemToObject(root, "replay", replay);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	return text;
}
