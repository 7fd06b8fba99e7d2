/* The console's Race lab (F12): pick a scenario of the race lab's engine
 * (race/race.h), N sessions, rounds and real, naive or both; Enter fires
 * it against this console's database, which must be marked as a test
 * database (the engine refuses any other with its sentence). The engine
 * blocks for the whole run, so it runs on its own thread with its own
 * connections (tui/race_lab_run.c): as "bazar race", it connects as the
 * database owner (DATABASE_URL, or the private cluster) and its sessions
 * as the tester or staff role. The tick copies the progress out every
 * ~100 ms: a bar across rounds and modes, the last round's successes,
 * rejections and start spread. s or Esc stops after the round under way.
 * At the end, the result table per mode with its verdict (PASS/FAIL for
 * the real shop, CAUGHT with the catch rate for the naive control), the
 * rejections by reason and the sessions of the first failing round (else
 * the last one), scrollable; e writes the JSON report of docs/race.md to
 * a new file. --readonly refuses to run: a run creates users, money and
 * orders. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/parse.h"
#include "core/xalloc.h"
#include "db/cluster.h"
#include "race/race.h"
#include "race/report_json.h"
#include "tui/line_edit.h"
#include "tui/race_lab_locks.h"
#include "tui/race_lab_replay.h"
#include "tui/race_lab_run.h"
#include "tui/screen.h"
#include "tui/text.h"

#define SESSIONS_DEFAULT 8
#define ROUNDS_DEFAULT 5
/* Typed rounds stop here: a screen run is a demonstration, bazar race
 * is for long runs. */
#define ROUNDS_MAX 1000
#define MAX_SCENARIOS 32

enum lab_view { VIEW_SETUP, VIEW_RUNNING, VIEW_RESULT };
enum lab_mode { MODE_REAL, MODE_NAIVE, MODE_BOTH };
enum lab_prompt { PROMPT_NONE, PROMPT_SESSIONS, PROMPT_ROUNDS, PROMPT_EXPORT, PROMPT_SAVE, PROMPT_REPLAY };

/* One line of the result, and how it is drawn. */
struct result_line {
	char *text;
	enum crt_color color;  /* COLOR_DEFAULT: plain */
};

struct lab_screen {
	struct screen base;           /* first: the manager sees a struct screen */
	enum lab_view view;
	const struct race_scenario_info *scenarios[MAX_SCENARIOS];
	int nscenarios, selected, top;
	int sessions, rounds;
	enum lab_mode mode;
	bool watch_locks;             /* w: sample the lock graph during the bursts */

	struct lab_run *run;          /* while VIEW_RUNNING */
	struct lab_progress progress; /* the tick's copy */
	char run_scenario[64];        /* what the run under way or shown was asked */
	int run_sessions, run_rounds;
	bool run_watch_locks;

	bool have_report;
	struct race_report report;
	struct result_line *lines;    /* the result, laid out at the last draw's width */
	int nlines, lines_width, scroll, visible;
	char run_error[1024];         /* race_run refused: its sentence */

	enum lab_prompt prompt;
	struct line_edit edit;
	struct lab_replay replay;     /* the case replayed (active) by the run under way or shown */
};

extern const struct screen_ops screen_race_lab_ops;

static const struct screen_key setup_keys[] = {
	{ "Enter", "Run", "Fire the scenario now (on this test database)", true },
	{ "m", "Mode", "Real shop, naive control, or both", true },
	{ "w", "Locks", "Watch the lock waits live during the bursts (on/off)", true },
	{ "Up/Down", "", "Pick the scenario (also click it)", false },
	{ "+/-", "", "One session more / fewer (2 to 256)", false },
	{ "n", "", "Type the number of sessions", false },
	{ "</>", "", "One round fewer / more", false },
	{ "r", "", "Type the number of rounds", false },
	{ "e", "", "Export the last run's JSON report to a new file", false },
	{ "s", "", "Save the last run's first failing round as a case file", false },
	{ "p", "", "Replay a saved case file (rounds and mode from here)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key running_keys[] = {
	{ "s", "Stop", "Stop after the round under way (also Esc)", true },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key result_keys[] = {
	{ "e", "Export", "Write the JSON report (docs/race.md) to a new file", true },
	{ "Enter", "Again", "Run the same again", true },
	{ "s", "Save", "Save the first failing round as a case file (replay it with p)", true },
	{ "p", "Replay", "Replay a saved case file", true },
	{ "c", "", "Change the scenario or sizes (also Esc)", false },
	{ "Up/Down", "", "Scroll (PgUp/PgDn, Home/End too)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key prompt_keys[] = {
	{ "Enter", "OK", "Take what is typed", true },
	{ "Esc", "Cancel", "Leave it as it was", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *lab_create(struct tui *tui);
static void lab_destroy(struct screen *s);
static void lab_draw(struct screen *s, WINDOW *win);
static bool lab_draw_prompt(struct screen *s, WINDOW *win, int width);
static int lab_handle_key(struct screen *s, const struct tui_key *key);
static void lab_reload(struct screen *s);
static const struct screen_key *lab_keys(const struct screen *s);
static void lab_forget(struct screen *s);
static bool lab_tick(struct screen *s, int64_t now_ms);

static const struct race_scenario_info *current(const struct lab_screen *ls);
static bool mode_allowed(const struct lab_screen *ls);
static const char *mode_words(enum lab_mode mode);
static bool owner_reachable(char *err, size_t errlen);
static void start_run(struct lab_screen *ls);
static void finish_run(struct lab_screen *ls);
static void drop_report(struct lab_screen *ls);
static void clear_lines(struct lab_screen *ls);
static void add_line(struct lab_screen *ls, enum crt_color color, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_wrapped(struct lab_screen *ls, enum crt_color color, const char *indent, const char *text,
                        int width);
static void layout_result(struct lab_screen *ls, int width);
static void layout_mode(struct lab_screen *ls, const struct race_mode_report *m, int width);
static void open_prompt(struct lab_screen *ls, enum lab_prompt prompt);
static int prompt_key(struct lab_screen *ls, const struct tui_key *key);
static void prompt_accepted(struct lab_screen *ls);
static void export_report(struct lab_screen *ls, const char *path);
static void replay_prompt_accepted(struct lab_screen *ls, enum lab_prompt prompt, const char *text);
static bool replay_key(struct lab_screen *ls, const struct tui_key *key);
static int setup_key(struct lab_screen *ls, const struct tui_key *key);
static int result_key(struct lab_screen *ls, const struct tui_key *key);
static void set_sessions(struct lab_screen *ls, int n);
static void set_rounds(struct lab_screen *ls, int n);
static int wrap_at(const char *text, int width);
static void draw_setup(struct lab_screen *ls, WINDOW *win, int h, int w);
static void draw_running(struct lab_screen *ls, WINDOW *win, int h, int w);
static void draw_result(struct lab_screen *ls, WINDOW *win, int h, int w);

const struct screen_ops screen_race_lab_ops = {
	.name = "race_lab",
	.title = "Race lab",
	.create = lab_create,
	.destroy = lab_destroy,
	.draw = lab_draw,
	.draw_prompt = lab_draw_prompt,
	.handle_key = lab_handle_key,
	.reload = lab_reload,
	.keys = lab_keys,
	.forget = lab_forget,
	.tick = lab_tick,
	/* Testers need no staff account: the lab's own gate is the owner's
	 * URL of a database marked as a test database, and its sessions are
	 * users it makes itself, never the console's. */
	.needs_login = false,
};

/* The scenarios a tester may pick (not the explicit-only fault ones,
 * which stop the server), at the defaults of bazar race. */
static struct screen *
lab_create(struct tui *tui)
{
	struct lab_screen *ls = xcalloc(1, sizeof *ls);

	ls->base.ops = &screen_race_lab_ops;
	ls->base.tui = tui;
	for (int i = 0; race_scenario_at(i) && ls->nscenarios < MAX_SCENARIOS; i++)
		if (!race_scenario_at(i)->explicit_only)
			ls->scenarios[ls->nscenarios++] = race_scenario_at(i);
	ls->sessions = SESSIONS_DEFAULT;
	ls->rounds = ROUNDS_DEFAULT;
	ls->mode = MODE_BOTH;
	ls->visible = 1;
	return &ls->base;
}

/* At quit: a run under way stops after its round, and is waited for. */
static void
lab_destroy(struct screen *s)
{
	struct lab_screen *ls = (struct lab_screen *)s;

	lab_run_abandon(ls->run);
	drop_report(ls);
	line_edit_wipe(&ls->edit);
	lab_replay_clear(&ls->replay);
	free(ls);
}

/* Logged out: a run under way is told to stop (the tick collects it when
 * the screen is shown again); the report goes. */
static void
lab_forget(struct screen *s)
{
	struct lab_screen *ls = (struct lab_screen *)s;

	if (ls->run)
		lab_run_stop(ls->run);
	drop_report(ls);
	ls->prompt = PROMPT_NONE;
	line_edit_wipe(&ls->edit);
	ls->run_error[0] = '\0';
	if (ls->view == VIEW_RESULT)
		ls->view = VIEW_SETUP;
}

/* Nothing to read from the database: the lab asks it when it runs. */
static void
lab_reload(struct screen *s)
{
	(void)s;
}

/* While a run goes on: copy its progress; collect it once it ended. */
static bool
lab_tick(struct screen *s, int64_t now_ms)
{
	struct lab_screen *ls = (struct lab_screen *)s;
	struct lab_progress p;

	(void)now_ms;
	if (ls->run == NULL)
		return false;
	lab_run_progress(ls->run, &p);
	if (p.finished) {
		ls->progress = p;
		finish_run(ls);
		return true;
	}
	if (memcmp(&p, &ls->progress, sizeof p) == 0)
		return false;
	ls->progress = p;
	return true;
}

static const struct race_scenario_info *
current(const struct lab_screen *ls)
{
	return ls->nscenarios > 0 ? ls->scenarios[ls->selected] : NULL;
}

/* A scenario without a naive control runs against the real shop only. */
static bool
mode_allowed(const struct lab_screen *ls)
{
	const struct race_scenario_info *sc = current(ls);

	return ls->mode == MODE_REAL || (sc && sc->has_naive);
}

static const char *
mode_words(enum lab_mode mode)
{
	switch (mode) {
	case MODE_REAL:
		return "real (the shop's functions)";
	case MODE_NAIVE:
		return "naive (the control the checks must catch)";
	case MODE_BOTH:
		break;
	}
	return "both (real, then naive)";
}

/* The engine connects as the owner, as bazar race does: DATABASE_URL (or
 * the PG* variables), else the private cluster. A console that reaches
 * its database through BAZAR_STAFF_URL alone would send the lab to the
 * private cluster instead: refused. */
static bool
owner_reachable(char *err, size_t errlen)
{
	const char *staff_url = getenv("BAZAR_STAFF_URL");

	if (staff_url && *staff_url && cluster_is_default()) {
		snprintf(err, errlen, "The race lab connects as the database owner, as bazar race does: "
		         "start the console with DATABASE_URL set to the owner's URL of this database "
		         "(BAZAR_STAFF_URL alone does not reach the owner).");
		return false;
	}
	return true;
}

/* Enter: refused under --readonly or without the owner; else the thread. */
static void
start_run(struct lab_screen *ls)
{
	struct tui *tui = ls->base.tui;
	const struct race_scenario_info *sc = current(ls);
	struct race_options opts;
	char err[1024];

	if (tui_readonly(tui)) {
		tui_status_error(tui, "Read-only console: running the race lab is not allowed here.");
		return;
	}
	if (sc == NULL)
		return;
	if (!mode_allowed(ls) && !ls->replay.active) {
		tui_status_error(tui, "%s has no naive control: press m for the real shop.", sc->name);
		return;
	}
	if (!owner_reachable(err, sizeof err)) {
		tui_status_error(tui, "%s", err);
		return;
	}
	race_options_init(&opts);
	opts.scenario = sc->name;
	opts.sessions = ls->sessions;
	opts.rounds = ls->rounds;
	opts.real = ls->mode != MODE_NAIVE;
	opts.naive = ls->mode != MODE_REAL;
	if (ls->replay.active)
		lab_replay_options(&ls->replay, &opts);
	opts.watch_locks = ls->watch_locks;
	if (race_options_check(&opts, err, sizeof err) != BZ_OK ||
	    lab_run_start(&opts, &ls->run, err, sizeof err) != BZ_OK) {
		tui_status_error(tui, "Not run: %s", err);
		return;
	}
	drop_report(ls);
	ls->run_error[0] = '\0';
	memset(&ls->progress, 0, sizeof ls->progress);
	lab_run_progress(ls->run, &ls->progress);
	snprintf(ls->run_scenario, sizeof ls->run_scenario, "%s", opts.scenario);
	ls->run_sessions = opts.sessions;
	ls->run_rounds = ls->rounds;
	ls->run_watch_locks = ls->watch_locks;
	ls->view = VIEW_RUNNING;
	tui_status(tui, "%s %s: %d sessions, %d rounds, %s.", ls->replay.active ? "Replaying" : "Running",
	           opts.scenario, opts.sessions, ls->rounds,
	           opts.real && opts.naive ? "real then naive" : opts.real ? "real" : "naive");
}

/* The thread ended: the report, or the engine's sentence. */
static void
finish_run(struct lab_screen *ls)
{
	struct tui *tui = ls->base.tui;
	struct race_report report;
	char err[1024];
	bz_err rc = lab_run_finish(ls->run, &report, err, sizeof err);

	ls->run = NULL;
	ls->scroll = 0;
	clear_lines(ls);
	if (rc != BZ_OK) {
		snprintf(ls->run_error, sizeof ls->run_error, "%s", err);
		ls->view = VIEW_SETUP;
		tui_status_error(tui, "Not run: %s", err);
		return;
	}
	ls->report = report;
	ls->have_report = true;
	ls->view = VIEW_RESULT;
	tui_status(tui, "Verdict %s%s. e exports the JSON report%s.", race_report_verdict(&report),
	           report.stopped || report.timed_out ? " (stopped early)" : "",
	           race_case_first_failing(&report) >= 0 ? ", s saves the failing round" : "");
}

static void
drop_report(struct lab_screen *ls)
{
	if (ls->have_report)
		race_report_free(&ls->report);
	ls->have_report = false;
	clear_lines(ls);
}

static void
clear_lines(struct lab_screen *ls)
{
	for (int i = 0; i < ls->nlines; i++)
		free(ls->lines[i].text);
	free(ls->lines);
	ls->lines = NULL;
	ls->nlines = 0;
	ls->lines_width = 0;
}

static void
add_line(struct lab_screen *ls, enum crt_color color, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (text == NULL)
		text = xstrdup("");
	ls->lines = xrealloc(ls->lines, (size_t)(ls->nlines + 1) * sizeof *ls->lines);
	ls->lines[ls->nlines++] = (struct result_line){ text, color };
}

/* Bytes of TEXT that fit WIDTH columns, cut at a blank when there is one
 * (the engine's sentences are ASCII). */
static int
wrap_at(const char *text, int width)
{
	int len = (int)strlen(text), cut;

	if (len <= width)
		return len;
	for (cut = width; cut > width / 2; cut--)
		if (text[cut] == ' ')
			return cut;
	return width;
}

/* TEXT over as many lines as it needs, each after INDENT. */
static void
add_wrapped(struct lab_screen *ls, enum crt_color color, const char *indent, const char *text, int width)
{
	int room = width - (int)strlen(indent);

	if (room < 20)
		room = 20;
	do {
		int n = wrap_at(text, room);

		add_line(ls, color, "%s%.*s", indent, n, text);
		text += n;
		while (*text == ' ')
			text++;
	} while (*text);
}

/* One mode's verdict, rejections, first anomaly and sessions. */
static void
layout_mode(struct lab_screen *ls, const struct race_mode_report *m, int width)
{
	const char *v = race_mode_verdict(m);
	bool bad = strcmp(v, "PASS") != 0 && strcmp(v, "CAUGHT") != 0;
	const struct race_session_outcome *sess = m->first_failing ? m->first_failing : m->last_round;
	char *why;

	add_line(ls, COLOR_DEFAULT, "%s", "");
	if (m->setup_failed) {
		add_line(ls, COLOR_ERROR, "%s %s (%s): could not run", v, m->scenario, race_mode_name(m->mode));
		add_wrapped(ls, COLOR_DEFAULT, "  ", m->setup_err, width);
	} else if (m->mode == RACE_REAL) {
		add_line(ls, bad ? COLOR_ERROR : COLOR_STOCK_OK, "%s %s (real): %d anomalous rounds of %d", v,
		         m->scenario, m->anomalous_rounds, m->rounds);
	} else {
		add_line(ls, bad ? COLOR_ERROR : COLOR_STOCK_OK,
		         "%s %s (naive): caught in %d of %d rounds (catch rate %.0f%%)", v, m->scenario,
		         m->anomalous_rounds, m->rounds, m->rounds ? 100.0 * m->anomalous_rounds / m->rounds : 0.0);
	}
	for (int k = 0; k < m->nreasons; k++)
		add_line(ls, COLOR_DEFAULT, "  rejected %-24s %ld", m->reasons[k].key, m->reasons[k].count);
	{
		char *locks[12];
		int nlocks = lab_locks_result(m, locks, 12);
		for (int k = 0; k < nlocks; k++) {
			add_line(ls, k < 2 ? COLOR_DEFAULT : COLOR_LOCK_WAIT, "%s", locks[k]);
			free(locks[k]);
		}
	}
	if (m->first_failing_round > 0) {
		why = xasprintf("first anomaly: %s", m->first_why);
		add_wrapped(ls, COLOR_STOCK_LOW, "  ", why, width);
		free(why);
	} else if (m->last_note[0]) {
		/* A pass, in the database's own words. */
		add_wrapped(ls, COLOR_DEFAULT, "  ", m->last_note, width);
	}
	if (sess == NULL)
		return;
	if (m->first_failing)
		add_line(ls, COLOR_DEFAULT, "  sessions of round %d (%s), the first that failed:", m->first_failing_round,
		         race_mode_name(m->mode));
	else
		add_line(ls, COLOR_DEFAULT, "  sessions of round %d (%s), the last:", m->rounds, race_mode_name(m->mode));
	add_line(ls, COLOR_COLUMN_HEADER, "  %7s  %-7s  %-5s  %10s  %s", "session", "outcome", "state", "latency us",
	         "message");
	for (int i = 0; i < m->sessions; i++)
		add_line(ls, sess[i].ok ? COLOR_DEFAULT : COLOR_SOLD_OUT, "  %7d  %-7s  %-5s  %10lld  %s", i,
		         sess[i].ok ? "ok" : "refused", sess[i].sqlstate[0] ? sess[i].sqlstate : "-",
		         (long long)sess[i].latency_us, sess[i].message);
}

/* The whole result as lines for WIDTH columns: verdict, table, modes. */
static void
layout_result(struct lab_screen *ls, int width)
{
	const struct race_report *r = &ls->report;
	const char *verdict = race_report_verdict(r);

	clear_lines(ls);
	add_line(ls, strcmp(verdict, "PASS") == 0 ? COLOR_STOCK_OK : COLOR_ERROR,
	         "Verdict %s: %s, %d sessions x %d rounds", verdict, ls->run_scenario, r->sessions, r->rounds);
	if (r->stopped || r->timed_out)
		add_wrapped(ls, COLOR_ERROR, "", r->stop_reason, width);
	for (int i = -1; ls->replay.active && i < r->nmodes; i++) {
		char *line = lab_replay_summary(&ls->replay, r, i);
		add_wrapped(ls, i < 0 ? COLOR_DEFAULT : COLOR_COLUMN_HEADER, i < 0 ? "" : "  ", line, width);
		free(line);
	}
	add_line(ls, COLOR_COLUMN_HEADER, "%-5s %6s %9s %9s %10s  %-21s %s", "mode", "rounds", "anomalous",
	         "successes", "rejections", "spread us min/med/max", "verdict");
	for (int i = 0; i < r->nmodes; i++) {
		const struct race_mode_report *m = &r->modes[i];
		char spread[48], verdict_text[32];

		if (m->nspreads > 0)
			snprintf(spread, sizeof spread, "%lld/%lld/%lld", (long long)m->spread_min_us,
			         (long long)m->spread_median_us, (long long)m->spread_max_us);
		else
			snprintf(spread, sizeof spread, "-");
		if (m->mode == RACE_NAIVE && !m->setup_failed)
			snprintf(verdict_text, sizeof verdict_text, "%s %.0f%%", race_mode_verdict(m),
			         m->rounds ? 100.0 * m->anomalous_rounds / m->rounds : 0.0);
		else
			snprintf(verdict_text, sizeof verdict_text, "%s", race_mode_verdict(m));
		add_line(ls, COLOR_DEFAULT, "%-5s %6d %9d %9ld %10ld  %-21s %s", race_mode_name(m->mode), m->rounds,
		         m->anomalous_rounds, m->successes, m->rejections, spread, verdict_text);
	}
	for (int i = 0; i < r->nmodes; i++)
		layout_mode(ls, &r->modes[i], width);
}

/* A one-line field on the status line. */
static void
open_prompt(struct lab_screen *ls, enum lab_prompt prompt)
{
	char text[300];

	ls->prompt = prompt;
	if (prompt == PROMPT_SESSIONS) {
		snprintf(text, sizeof text, "%d", ls->sessions);
		ls->edit.max = 3;
	} else if (prompt == PROMPT_ROUNDS) {
		snprintf(text, sizeof text, "%d", ls->rounds);
		ls->edit.max = 4;
	} else if (prompt == PROMPT_SAVE) {
		snprintf(text, sizeof text, "case-%s.json", ls->run_scenario);
		ls->edit.max = 0;
	} else if (prompt == PROMPT_REPLAY) {
		snprintf(text, sizeof text, "%s", ls->replay.path);
		ls->edit.max = 0;
	} else {
		snprintf(text, sizeof text, "race-%s.json", ls->run_scenario);
		ls->edit.max = 0;
	}
	line_edit_set(&ls->edit, text);
}

/* Keys while the field is open. */
static int
prompt_key(struct lab_screen *ls, const struct tui_key *key)
{
	switch (line_edit_key(&ls->edit, key)) {
	case LINE_EDIT_ACCEPT:
		prompt_accepted(ls);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		ls->prompt = PROMPT_NONE;
		line_edit_wipe(&ls->edit);
		tui_status(ls->base.tui, "Left as it was.");
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(ls->base.tui, &ls->edit);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	/* F-keys still navigate; other keys stay in the field. */
	return key->is_code ? SR_IGNORED : SR_HANDLED;
}

/* Enter in the field: a number in range, or the export's path. */
static void
prompt_accepted(struct lab_screen *ls)
{
	struct tui *tui = ls->base.tui;
	char *text = line_edit_text(&ls->edit);
	enum lab_prompt prompt = ls->prompt;
	long v;

	if (prompt == PROMPT_SAVE || prompt == PROMPT_REPLAY) {
		ls->prompt = PROMPT_NONE;
		replay_prompt_accepted(ls, prompt, text);
		free(text);
		line_edit_wipe(&ls->edit);
		return;
	}
	if (prompt == PROMPT_EXPORT) {
		ls->prompt = PROMPT_NONE;
		if (*text == '\0')
			tui_status_error(tui, "No file name: nothing was written.");
		else
			export_report(ls, text);
		free(text);
		line_edit_wipe(&ls->edit);
		return;
	}
	/* The field closes either way, so that the refusal is seen on the
	 * status line; the value stays as it was. */
	ls->prompt = PROMPT_NONE;
	if (prompt == PROMPT_SESSIONS && parse_int_range(text, RACE_MIN_SESSIONS, RACE_MAX_SESSIONS, &v) != BZ_OK)
		tui_status_error(tui, "Sessions: a whole number from %d to %d, not '%s'; still %d.", RACE_MIN_SESSIONS,
		                 RACE_MAX_SESSIONS, text, ls->sessions);
	else if (prompt == PROMPT_ROUNDS && parse_int_range(text, 1, ROUNDS_MAX, &v) != BZ_OK)
		tui_status_error(tui, "Rounds: a whole number from 1 to %d, not '%s'; still %d.", ROUNDS_MAX, text,
		                 ls->rounds);
	else if (prompt == PROMPT_SESSIONS)
		set_sessions(ls, (int)v);
	else
		set_rounds(ls, (int)v);
	line_edit_wipe(&ls->edit);
	free(text);
}

/* The JSON report into a new file: an existing one is never overwritten. */
static void
export_report(struct lab_screen *ls, const char *path)
{
	struct tui *tui = ls->base.tui;
	char *json;
	size_t len, done = 0;
	int fd;

	if (!ls->have_report) {
		tui_status_error(tui, "No report yet: run a scenario first.");
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			tui_status_error(tui, "Not overwritten: %s exists; give another name.", path);
		else
			tui_status_error(tui, "Cannot create %s: %s.", path, strerror(errno));
		return;
	}
	json = race_report_json(&ls->report, race_report_verdict(&ls->report));
	len = strlen(json);
	json[len] = '\n';
	len++;
	while (done < len) {
		ssize_t n = write(fd, json + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (close(fd) != 0 || done < len)
		tui_status_error(tui, "Writing %s failed: %s.", path, strerror(errno));
	else
		tui_status(tui, "Wrote the JSON report to %s.", path);
	free(json);
}

/* s and p (setup and result views): the save and replay prompts. */
static bool
replay_key(struct lab_screen *ls, const struct tui_key *key)
{
	if (key_is_char(key, L's')) {
		if (ls->have_report)
			open_prompt(ls, PROMPT_SAVE);
		else
			tui_status_error(ls->base.tui, "No report yet: run a scenario first.");
		return true;
	}
	if (key_is_char(key, L'p')) {
		open_prompt(ls, PROMPT_REPLAY);
		return true;
	}
	return false;
}

/* Enter in the save or replay field (tui/race_lab_replay.c). */
static void
replay_prompt_accepted(struct lab_screen *ls, enum lab_prompt prompt, const char *text)
{
	struct tui *tui = ls->base.tui;
	char msg[1200];

	if (*text == '\0') {
		tui_status_error(tui, "No file name: nothing was %s.", prompt == PROMPT_SAVE ? "written" : "replayed");
		return;
	}
	if (prompt == PROMPT_SAVE) {
		if (!ls->have_report)
			tui_status_error(tui, "No report yet: run a scenario first.");
		else if (lab_replay_save(&ls->replay, &ls->report, text, msg, sizeof msg))
			tui_status(tui, "%s", msg);
		else
			tui_status_error(tui, "%s", msg);
		return;
	}
	if (lab_replay_load(&ls->replay, text, msg, sizeof msg) != BZ_OK) {
		tui_status_error(tui, "Not replayed: %s", msg);
		return;
	}
	start_run(ls);
	if (ls->view != VIEW_RUNNING)
		lab_replay_clear(&ls->replay);
}

static void
set_sessions(struct lab_screen *ls, int n)
{
	ls->sessions = n < RACE_MIN_SESSIONS ? RACE_MIN_SESSIONS : n > RACE_MAX_SESSIONS ? RACE_MAX_SESSIONS : n;
}

static void
set_rounds(struct lab_screen *ls, int n)
{
	ls->rounds = n < 1 ? 1 : n > ROUNDS_MAX ? ROUNDS_MAX : n;
}

/* Picking what to run. */
static int
setup_key(struct lab_screen *ls, const struct tui_key *key)
{
	if (key_is_code(key, KEY_UP) && ls->selected > 0)
		ls->selected--;
	else if (key_is_code(key, KEY_DOWN) && ls->selected + 1 < ls->nscenarios)
		ls->selected++;
	else if (key_is_code(key, KEY_HOME))
		ls->selected = 0;
	else if (key_is_code(key, KEY_END))
		ls->selected = ls->nscenarios > 0 ? ls->nscenarios - 1 : 0;
	else if (key_is_code(key, KEY_MOUSE)) {
		int r = ls->top + key->y - 1;

		if (key->y < 1 || r >= ls->nscenarios)
			return SR_IGNORED;
		ls->selected = r;
	} else if (key_is_char(key, L'+'))
		set_sessions(ls, ls->sessions + 1);
	else if (key_is_char(key, L'-'))
		set_sessions(ls, ls->sessions - 1);
	else if (key_is_char(key, L'>'))
		set_rounds(ls, ls->rounds + 1);
	else if (key_is_char(key, L'<'))
		set_rounds(ls, ls->rounds - 1);
	else if (key_is_char(key, L'n'))
		open_prompt(ls, PROMPT_SESSIONS);
	else if (key_is_char(key, L'r'))
		open_prompt(ls, PROMPT_ROUNDS);
	else if (key_is_char(key, L'm'))
		ls->mode = ls->mode == MODE_REAL ? MODE_NAIVE : ls->mode == MODE_NAIVE ? MODE_BOTH : MODE_REAL;
	else if (key_is_char(key, L'w'))
		ls->watch_locks = !ls->watch_locks;
	else if (key_is_char(key, L'e')) {
		if (ls->have_report)
			open_prompt(ls, PROMPT_EXPORT);
		else
			tui_status_error(ls->base.tui, "No report yet: run a scenario first.");
	} else if (replay_key(ls, key))
		;
	else if (key_is_enter(key)) {
		lab_replay_clear(&ls->replay);   /* the scenario picked here, not the case */
		start_run(ls);
	} else
		return SR_IGNORED;
	return SR_HANDLED | SR_REDRAW;
}

/* Reading the result. */
static int
result_key(struct lab_screen *ls, const struct tui_key *key)
{
	int page = ls->visible > 1 ? ls->visible - 1 : 1;

	if (key_is_code(key, KEY_UP))
		ls->scroll--;
	else if (key_is_code(key, KEY_DOWN))
		ls->scroll++;
	else if (key_is_code(key, KEY_PPAGE))
		ls->scroll -= page;
	else if (key_is_code(key, KEY_NPAGE))
		ls->scroll += page;
	else if (key_is_code(key, KEY_HOME))
		ls->scroll = 0;
	else if (key_is_code(key, KEY_END))
		ls->scroll = ls->nlines;
	else if (key_is_char(key, L'e'))
		open_prompt(ls, PROMPT_EXPORT);
	else if (replay_key(ls, key))
		;
	else if (key_is_char(key, L'c') || key_is_char(key, TUI_KEY_ESC))
		ls->view = VIEW_SETUP;
	else if (key_is_enter(key))
		start_run(ls);
	else
		return SR_IGNORED;
	return SR_HANDLED | SR_REDRAW;
}

static int
lab_handle_key(struct screen *s, const struct tui_key *key)
{
	struct lab_screen *ls = (struct lab_screen *)s;

	if (ls->prompt != PROMPT_NONE)
		return prompt_key(ls, key);
	if (ls->view == VIEW_RUNNING) {
		if (key_is_char(key, L's') || key_is_char(key, L'S') || key_is_char(key, TUI_KEY_ESC)) {
			if (ls->run && !ls->progress.stop_asked) {
				lab_run_stop(ls->run);
				ls->progress.stop_asked = true;
				tui_status(s->tui, "Stopping after the round under way%s", text_glyph("\u2026", "..."));
			}
			return SR_HANDLED | SR_REDRAW;
		}
		/* Quitting waits for the round under way; navigating is fine. */
		return SR_IGNORED;
	}
	if (ls->view == VIEW_RESULT)
		return result_key(ls, key);
	return setup_key(ls, key);
}

static const struct screen_key *
lab_keys(const struct screen *s)
{
	const struct lab_screen *ls = (const struct lab_screen *)s;

	if (ls->prompt != PROMPT_NONE)
		return prompt_keys;
	return ls->view == VIEW_RUNNING ? running_keys : ls->view == VIEW_RESULT ? result_keys : setup_keys;
}

static bool
lab_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct lab_screen *ls = (struct lab_screen *)s;
	const char *label;
	int lw;

	if (ls->prompt == PROMPT_NONE)
		return false;
	label = ls->prompt == PROMPT_SESSIONS ? "Sessions (2-256): "
	        : ls->prompt == PROMPT_ROUNDS ? "Rounds (1-1000): "
	        : ls->prompt == PROMPT_SAVE ? "Save the failing round as a case file: "
	        : ls->prompt == PROMPT_REPLAY ? "Replay the case file: " : "Export the JSON report to a new file: ";
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	lw = text_draw(win, 0, 0, width / 2, label, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(&ls->edit, win, 0, lw, width - lw);
	return true;
}

/* The scenario list, the invariant, the sizes and how to run. */
static void
draw_setup(struct lab_screen *ls, WINDOW *win, int h, int w)
{
	const struct race_scenario_info *sc = current(ls);
	int list_rows = h - 6, y;
	char *line;

	if (list_rows < 1)
		list_rows = 1;
	ls->visible = list_rows;
	if (ls->selected < ls->top)
		ls->top = ls->selected;
	if (ls->selected >= ls->top + list_rows)
		ls->top = ls->selected - list_rows + 1;
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	text_draw(win, 0, 1, 28, "SCENARIO", TEXT_LEFT);
	text_draw(win, 0, 30, 10, "RUNS", TEXT_LEFT);
	text_draw(win, 0, 41, w - 42, "WHAT MUST HOLD", TEXT_LEFT);
	wattrset(win, A_NORMAL);
	for (int r = 0; r < list_rows && ls->top + r < ls->nscenarios; r++) {
		const struct race_scenario_info *it = ls->scenarios[ls->top + r];

		wattrset(win, ls->top + r == ls->selected ? crt_attr(COLOR_SELECTED) : A_NORMAL);
		mvwhline(win, 1 + r, 0, ' ', w);
		text_draw(win, 1 + r, 1, 28, it->name, TEXT_LEFT);
		text_draw(win, 1 + r, 30, 10, it->has_naive ? "real+naive" : "real only", TEXT_LEFT);
		text_draw(win, 1 + r, 41, w - 42, it->invariant, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
	y = h - 5;
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, y, 0, ' ', w);
	wattrset(win, A_NORMAL);
	if (sc) {
		int n = wrap_at(sc->invariant, w - 14);

		line = xasprintf("Invariant: %.*s", n, sc->invariant);
		text_draw(win, y + 1, 1, w - 2, line, TEXT_LEFT);
		free(line);
		text_draw(win, y + 2, 12, w - 13, sc->invariant + n + (sc->invariant[n] == ' '), TEXT_LEFT);
	}
	line = xasprintf("Sessions %d %s rounds %d %s mode %s%s", ls->sessions, text_glyph("\u00b7", "-"), ls->rounds,
	                 text_glyph("\u00b7", "-"), mode_allowed(ls) ? mode_words(ls->mode) : "real only (m)",
	                 ls->watch_locks ? " + locks" : "");
	wattrset(win, A_BOLD);
	text_draw(win, y + 3, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(line);
	if (ls->run_error[0]) {
		wattrset(win, crt_attr(COLOR_ERROR));
		text_draw(win, y + 4, 1, w - 2, ls->run_error, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	} else {
		text_draw(win, y + 4, 1, w - 2, "Enter runs (a test database only); +/- or n sessions; </> or r "
		          "rounds; m mode", TEXT_LEFT);
	}
}

/* The bar across every round of every mode, and the last round. */
static void
draw_running(struct lab_screen *ls, WINDOW *win, int h, int w)
{
	const struct lab_progress *p = &ls->progress;
	int total = p->planned_modes * p->rounds, bar_w = w - 24, fill;
	char *line;

	(void)h;
	line = xasprintf("%s %s %d sessions x %d rounds %s %s", ls->run_scenario, text_glyph("\u00b7", "-"),
	                 ls->run_sessions, ls->run_rounds, text_glyph("\u00b7", "-"),
	                 p->planned_modes > 1 ? "real, then naive" : p->mode == RACE_NAIVE ? "naive" : "real");
	wattrset(win, A_BOLD);
	text_draw(win, 1, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(line);
	if (bar_w < 10)
		bar_w = 10;
	fill = total > 0 ? (int)((int64_t)bar_w * p->rounds_finished / total) : 0;
	mvwaddch(win, 3, 1, '[');
	wattrset(win, crt_attr(COLOR_SELECTED));
	mvwhline(win, 3, 2, '#', fill);
	wattrset(win, A_NORMAL);
	mvwhline(win, 3, 2 + fill, '.', bar_w - fill);
	mvwaddch(win, 3, 2 + bar_w, ']');
	line = xasprintf("%d/%d rounds", p->rounds_finished, total);
	text_draw(win, 3, 4 + bar_w, w - 5 - bar_w, line, TEXT_LEFT);
	free(line);
	if (p->modes_started > 0 && p->round == 0)
		line = xasprintf("Now: %s (mode %d of %d), opening %d connections", race_mode_name(p->mode),
		                 p->modes_started, p->planned_modes, ls->run_sessions + 1);
	else if (p->modes_started == 0)
		line = xasprintf("Connecting, checking the test-database marker%s",
		                 p->planned_modes > 1 || p->mode == RACE_NAIVE ? ", loading the naive control" : "");
	else
		line = xasprintf("Now: %s (mode %d of %d), round %d of %d", race_mode_name(p->mode), p->modes_started,
		                 p->planned_modes, p->round, p->rounds);
	text_draw(win, 5, 1, w - 2, line, TEXT_LEFT);
	free(line);
	if (p->have_last) {
		char spread[32];

		if (p->last_spread_us >= 0)
			snprintf(spread, sizeof spread, "%lld us", (long long)p->last_spread_us);
		else
			snprintf(spread, sizeof spread, "unknown");
		line = xasprintf("Last round (%s %d): %d succeeded, %d refused, start spread %s", race_mode_name(p->last_mode),
		                 p->last_round, p->last_successes, p->last_rejections, spread);
		text_draw(win, 6, 1, w - 2, line, TEXT_LEFT);
		free(line);
		line = xasprintf("Anomalous rounds in this mode so far: %d", p->mode_anomalous);
		text_draw(win, 7, 1, w - 2, line, TEXT_LEFT);
		free(line);
		if (p->last_anomalies > 0) {
			wattrset(win, crt_attr(COLOR_STOCK_LOW));
			line = xasprintf("Anomaly: %s", p->last_why);
			text_draw(win, 8, 1, w - 2, line, TEXT_LEFT);
			wattrset(win, A_NORMAL);
			free(line);
		}
	}
	text_draw(win, 10, 1, w - 2, p->stop_asked ? "Stopping after the round under way."
	          : "s or Esc stops after the round under way.", TEXT_LEFT);
	if (ls->run_watch_locks)
		lab_locks_draw_live(win, 12, h - 12, w, p, ls->run_scenario, ls->run_sessions);
}

/* The result lines from the scroll position. */
static void
draw_result(struct lab_screen *ls, WINDOW *win, int h, int w)
{
	if (ls->lines_width != w)
		layout_result(ls, w - 2);
	ls->lines_width = w;
	ls->visible = h;
	if (ls->scroll > ls->nlines - h)
		ls->scroll = ls->nlines - h;
	if (ls->scroll < 0)
		ls->scroll = 0;
	for (int r = 0; r < h && ls->scroll + r < ls->nlines; r++) {
		const struct result_line *l = &ls->lines[ls->scroll + r];

		wattrset(win, l->color == COLOR_DEFAULT ? A_NORMAL : crt_attr(l->color));
		text_draw(win, r, 1, w - 2, l->text, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
	if (ls->nlines > h) {
		char more[32];

		snprintf(more, sizeof more, " %d-%d/%d ", ls->scroll + 1, ls->scroll + h, ls->nlines);
		/* On the verdict's line, which is short: every other row is content. */
		text_draw(win, 0, w - (int)strlen(more) - 1, (int)strlen(more), more, TEXT_LEFT);
	}
}

static void
lab_draw(struct screen *s, WINDOW *win)
{
	struct lab_screen *ls = (struct lab_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);

	werase(win);
	if (ls->view == VIEW_RUNNING)
		draw_running(ls, win, h, w);
	else if (ls->view == VIEW_RESULT && ls->have_report)
		draw_result(ls, win, h, w);
	else
		draw_setup(ls, win, h, w);
}
