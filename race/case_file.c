/* Saved cases of the race lab (race/case_file.h): JSON through cJSON,
 * every field validated on the way in, never written over a file. */
#include "config.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "race/case_file.h"

/* Integers above 2^53 do not survive a JSON number. */
#define JSON_INT_MAX 9007199254740992.0

static bool get_int(const cJSON *o, const char *key, int64_t min, int64_t max, int64_t *out,
                    char *err, size_t errlen);
static bool get_string(const cJSON *o, const char *key, char *out, size_t outlen, char *err, size_t errlen);
static bool parse_params(const cJSON *root, struct race_case *c, char *err, size_t errlen);
static bool parse_outcomes(const cJSON *root, struct race_case *c, char *err, size_t errlen);
static char *slurp(const char *path, char *err, size_t errlen);

int
race_case_first_failing(const struct race_report *report)
{
	for (int i = 0; i < report->nmodes; i++)
		if (!report->modes[i].setup_failed && report->modes[i].first_failing_round > 0 &&
		    report->modes[i].first_failing)
			return i;
	return -1;
}

void
race_case_from_mode(struct race_case *c, const struct race_mode_report *m, int attempts,
                    const char *schema_version)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(c, 0, sizeof *c);
	c->scenario = race_scenario_find(m->scenario);
	c->mode = m->mode;
	c->sessions = m->sessions;
	c->attempts = attempts;
	while (c->scenario && c->scenario->params[c->nparams].name && c->nparams < RACE_MAX_PARAMS) {
		c->params[c->nparams] = m->first_params[c->nparams];
		c->nparams++;
	}
	c->round = m->first_failing_round;
	snprintf(c->why, sizeof c->why, "%s", m->first_why);
	c->outcomes = xcalloc((size_t)m->sessions, sizeof *c->outcomes);
	memcpy(c->outcomes, m->first_failing, (size_t)m->sessions * sizeof *c->outcomes);
	gmtime_r(&now, &tm);
	strftime(c->recorded_at, sizeof c->recorded_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(c->schema_version, sizeof c->schema_version, "%s", schema_version ? schema_version : "");
}

char *
race_case_json(const struct race_case *c)
{
	cJSON *root = cJSON_CreateObject(), *params = cJSON_CreateObject(), *outcomes = cJSON_CreateArray();
	char *text;

	cJSON_AddNumberToObject(root, "version", RACE_CASE_VERSION);
	cJSON_AddStringToObject(root, "scenario", c->scenario->name);
	cJSON_AddStringToObject(root, "mode", race_mode_name(c->mode));
	cJSON_AddNumberToObject(root, "sessions", c->sessions);
	cJSON_AddNumberToObject(root, "attempts", c->attempts);
	for (int i = 0; i < c->nparams; i++)
		cJSON_AddNumberToObject(params, c->scenario->params[i].name, (double)c->params[i]);
	cJSON_AddItemToObject(root, "params", params);
	cJSON_AddNumberToObject(root, "round", c->round);
	cJSON_AddStringToObject(root, "why", c->why);
	for (int i = 0; i < c->sessions; i++) {
		const struct race_session_outcome *s = &c->outcomes[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "session", i);
		cJSON_AddBoolToObject(o, "ok", s->ok);
		if (s->sqlstate[0])
			cJSON_AddStringToObject(o, "sqlstate", s->sqlstate);
		else
			cJSON_AddNullToObject(o, "sqlstate");
		cJSON_AddStringToObject(o, "message", s->message);
		cJSON_AddNumberToObject(o, "latency_us", (double)s->latency_us);
		cJSON_AddNumberToObject(o, "attempts", s->attempts);
		cJSON_AddItemToArray(outcomes, o);
	}
	cJSON_AddItemToObject(root, "outcomes", outcomes);
	cJSON_AddStringToObject(root, "recorded_at", c->recorded_at);
	cJSON_AddStringToObject(root, "schema_version", c->schema_version);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	return text;
}

/* KEY of O as a whole number in MIN..MAX, else a sentence. */
static bool
get_int(const cJSON *o, const char *key, int64_t min, int64_t max, int64_t *out, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	double d;

	if (v == NULL) {
		snprintf(err, errlen, "\"%s\" is missing", key);
		return false;
	}
	d = v->valuedouble;
	if (!cJSON_IsNumber(v) || d != (double)(int64_t)d || d > JSON_INT_MAX || d < -JSON_INT_MAX ||
	    (int64_t)d < min || (int64_t)d > max) {
		snprintf(err, errlen, "\"%s\" must be a whole number from %lld to %lld", key, (long long)min,
		         (long long)max);
		return false;
	}
	*out = (int64_t)d;
	return true;
}

/* KEY of O as a string that fits OUT, else a sentence. */
static bool
get_string(const cJSON *o, const char *key, char *out, size_t outlen, char *err, size_t errlen)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (v == NULL) {
		snprintf(err, errlen, "\"%s\" is missing", key);
		return false;
	}
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= outlen) {
		snprintf(err, errlen, "\"%s\" must be a string of at most %zu characters", key, outlen - 1);
		return false;
	}
	snprintf(out, outlen, "%s", v->valuestring);
	return true;
}

/* "params": exactly the scenario's parameters, each within its range. */
static bool
parse_params(const cJSON *root, struct race_case *c, char *err, size_t errlen)
{
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(root, "params"), *item;
	char why[256];

	if (!cJSON_IsObject(params)) {
		snprintf(err, errlen, "\"params\" must be an object (the fixture parameters)");
		return false;
	}
	cJSON_ArrayForEach(item, params) {
		bool known = false;
		for (int i = 0; c->scenario->params[i].name; i++)
			known = known || strcmp(c->scenario->params[i].name, item->string) == 0;
		if (!known) {
			snprintf(err, errlen, "\"params\" has \"%s\", which %s does not take", item->string,
			         c->scenario->name);
			return false;
		}
	}
	for (c->nparams = 0; c->scenario->params[c->nparams].name && c->nparams < RACE_MAX_PARAMS; c->nparams++) {
		const struct race_param_info *p = &c->scenario->params[c->nparams];
		if (!get_int(params, p->name, p->min, p->max, &c->params[c->nparams], why, sizeof why)) {
			snprintf(err, errlen, "params: %s", why);
			return false;
		}
	}
	return true;
}

/* "outcomes": one object per session, in session order. */
static bool
parse_outcomes(const cJSON *root, struct race_case *c, char *err, size_t errlen)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "outcomes");
	char why[256];

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != c->sessions) {
		snprintf(err, errlen, "\"outcomes\" must be an array of %d sessions (one per session)", c->sessions);
		return false;
	}
	c->outcomes = xcalloc((size_t)c->sessions, sizeof *c->outcomes);
	for (int i = 0; i < c->sessions; i++) {
		const cJSON *o = cJSON_GetArrayItem(arr, i), *ok, *state;
		struct race_session_outcome *s = &c->outcomes[i];
		int64_t v;

		if (!cJSON_IsObject(o)) {
			snprintf(err, errlen, "outcomes[%d] must be an object", i);
			return false;
		}
		ok = cJSON_GetObjectItemCaseSensitive(o, "ok");
		state = cJSON_GetObjectItemCaseSensitive(o, "sqlstate");
		if (!get_int(o, "session", i, i, &v, why, sizeof why) ||
		    !get_string(o, "message", s->message, sizeof s->message, why, sizeof why) ||
		    !get_int(o, "latency_us", 0, INT64_MAX, &s->latency_us, why, sizeof why) ||
		    !get_int(o, "attempts", 0, 50, &v, why, sizeof why)) {
			snprintf(err, errlen, "outcomes[%d]: %s", i, why);
			return false;
		}
		s->attempts = (int)v;
		if (!cJSON_IsBool(ok)) {
			snprintf(err, errlen, "outcomes[%d]: \"ok\" must be true or false", i);
			return false;
		}
		s->ok = cJSON_IsTrue(ok);
		if (!cJSON_IsNull(state) && !(cJSON_IsString(state) && strlen(state->valuestring) == 5)) {
			snprintf(err, errlen, "outcomes[%d]: \"sqlstate\" must be null or five characters", i);
			return false;
		}
		snprintf(s->sqlstate, sizeof s->sqlstate, "%s", cJSON_IsString(state) ? state->valuestring : "");
	}
	return true;
}

bz_err
race_case_parse(const char *text, struct race_case *c, char *err, size_t errlen)
{
	cJSON *root = cJSON_Parse(text);
	char mode[16], name[64];
	int64_t v;
	bz_err rc = BZ_ERR_INVALID_INPUT;

	memset(c, 0, sizeof *c);
	if (root == NULL) {
		const char *at = cJSON_GetErrorPtr();
		snprintf(err, errlen, "not a case file: not JSON (the syntax breaks near byte %ld)",
		         at ? (long)(at - text) : 0L);
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "not a case file: the JSON is not an object");
		goto out;
	}
	if (!get_int(root, "version", 0, INT32_MAX, &v, err, errlen))
		goto out;
	if (v != RACE_CASE_VERSION) {
		snprintf(err, errlen, "version %lld is not one this bazar reads (%d)", (long long)v, RACE_CASE_VERSION);
		goto out;
	}
	if (!get_string(root, "scenario", name, sizeof name, err, errlen))
		goto out;
	c->scenario = race_scenario_find(name);
	if (c->scenario == NULL || c->scenario->explicit_only) {
		snprintf(err, errlen, "there is no scenario '%s' to replay (see bazar race --list)", name);
		goto out;
	}
	if (!get_string(root, "mode", mode, sizeof mode, err, errlen))
		goto out;
	if (strcmp(mode, "real") == 0)
		c->mode = RACE_REAL;
	else if (strcmp(mode, "naive") == 0 && c->scenario->has_naive)
		c->mode = RACE_NAIVE;
	else {
		snprintf(err, errlen, "\"mode\" must be \"real\"%s, not \"%s\"",
		         c->scenario->has_naive ? " or \"naive\"" : " (the scenario has no naive control)", mode);
		goto out;
	}
	if (!get_int(root, "sessions", RACE_MIN_SESSIONS, RACE_MAX_SESSIONS, &v, err, errlen))
		goto out;
	c->sessions = (int)v;
	if (!get_int(root, "attempts", 1, 50, &v, err, errlen))
		goto out;
	c->attempts = (int)v;
	if (!parse_params(root, c, err, errlen))
		goto out;
	if (!get_int(root, "round", 1, RACE_MAX_ROUNDS, &v, err, errlen))
		goto out;
	c->round = (int)v;
	if (!get_string(root, "why", c->why, sizeof c->why, err, errlen) ||
	    !parse_outcomes(root, c, err, errlen) ||
	    !get_string(root, "recorded_at", c->recorded_at, sizeof c->recorded_at, err, errlen) ||
	    !get_string(root, "schema_version", c->schema_version, sizeof c->schema_version, err, errlen))
		goto out;
	rc = BZ_OK;
out:
	cJSON_Delete(root);
	if (rc != BZ_OK)
		race_case_free(c);
	return rc;
}

/* The whole file PATH, NUL-terminated (NULL with err set). */
static char *
slurp(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096)
			buf = xrealloc(buf, cap = cap * 2 + 8192);
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0 && len < 16u * 1024 * 1024);
	if (ferror(f) || len >= 16u * 1024 * 1024) {
		snprintf(err, errlen, "cannot read %s: %s", path, ferror(f) ? strerror(errno) : "larger than 16 MB");
		free(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
	}
	fclose(f);
	return buf;
}

bz_err
race_case_read(const char *path, struct race_case *c, char *err, size_t errlen)
{
	char *text = slurp(path, err, errlen), why[512];
	bz_err rc;

	memset(c, 0, sizeof *c);
	if (text == NULL)
		return BZ_ERR_IO;
	if ((rc = race_case_parse(text, c, why, sizeof why)) != BZ_OK)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return rc;
}

bz_err
race_case_write(const char *path, const struct race_case *c, char *err, size_t errlen)
{
	char *json;
	size_t len, done = 0;
	bz_err rc = BZ_OK;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0 && errno == EEXIST) {
		snprintf(err, errlen, "%s exists: not overwritten, give another name", path);
		return BZ_ERR_CONFLICT;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return BZ_ERR_IO;
	}
	json = race_case_json(c);
	len = strlen(json);
	json[len++] = '\n';   /* over the terminator: written by length */
	while (done < len) {
		ssize_t n = write(fd, json + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (close(fd) != 0 || done < len) {
		snprintf(err, errlen, "writing %s failed: %s", path, strerror(errno));
		unlink(path);
		rc = BZ_ERR_IO;
	}
	free(json);
	return rc;
}

void
race_case_options(const struct race_case *c, struct race_options *opts)
{
	opts->scenario = c->scenario->name;
	opts->sessions = c->sessions;
	opts->attempts = c->attempts;
	opts->params = c->params;
}

bz_err
race_case_schema_version(char *out, size_t outlen, char *err, size_t errlen)
{
	struct db_conn *owner = NULL;
	bz_err rc = db_connect(DB_ROLE_OWNER, "bazar race", &owner, err, errlen);

	if (rc == BZ_OK)
		rc = db_schema_version(owner, out, outlen, err, errlen);
	db_close(owner);
	return rc;
}

void
race_case_free(struct race_case *c)
{
	free(c->outcomes);
	memset(c, 0, sizeof *c);
}
