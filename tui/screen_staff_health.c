/* The console's Health screen: is the shop working, at a glance. At the
 * top, sparklines of the last SERIES_MINUTES minutes (orders created,
 * orders paid, calls that failed for a technical reason, per minute);
 * then the order success and checkout completion rates as bar meters;
 * then the clients' failures by class (the shop's refusals apart from
 * constraint violations, serialization failures, deadlocks, timeouts and
 * the rest) as bar meters of all client calls; then per API function the
 * server's calls and mean time (pg_stat_user_functions) next to the
 * clients' calls, 95th percentile, errors and refusals (0017's events).
 * One line counts the mail outbox (0021): pending, sent and failed in the
 * last hour, failed now; o opens the Outbox view on it.
 *
 * Sampling: every REFRESH_MS the tick queues the four reads, but only
 * when none of this screen's calls is pending. Z freezes the display
 * (answers that arrive meanwhile are dropped; F5 still reads once); c, m,
 * p and e sort the table by calls, mean, p95 or errors; w changes the
 * window of the rates, classes and client columns (15 min, 1 h, 24 h).
 * Nothing here changes anything, so --readonly has nothing to refuse. */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/api.h"
#include "db/api_staff_outbox.h"
#include "tui/screen.h"
#include "tui/sparkline.h"
#include "tui/text.h"

#define REFRESH_MS 2000
#define SERIES_MINUTES 30
/* Body rows: three sparklines, two rates, two rows of classes, the
 * summary, the mail line, the column titles; the table below. */
#define SPARK_ROWS 3
#define RATES_TOP SPARK_ROWS
#define CLASSES_TOP (RATES_TOP + 2)
#define SUMMARY_ROW (CLASSES_TOP + 2)
#define MAIL_ROW (SUMMARY_ROW + 1)
#define LIST_TOP (MAIL_ROW + 2)

enum { TAG_FUNCTIONS = 1, TAG_SERIES, TAG_RATES, TAG_MAIL };

enum sort_by { SORT_CALLS, SORT_MEAN, SORT_P95, SORT_ERRORS };

struct health_screen {
	struct screen base;                  /* first: the manager sees a struct screen */
	struct db_health_functions funcs;    /* owned; sorted as asked */
	struct db_health_series series;      /* owned */
	struct db_health_rates rates;
	struct db_outbox_counts mail;
	bool have_funcs, have_series, have_rates, have_mail;

	enum sort_by sort;
	int window_idx;                      /* into windows[] */
	size_t selected, top;
	int visible;

	int64_t last_poll_ms;                /* 0: poll at the next tick */
	bool paused;
	bool poll_forced;                    /* F5's poll: shown even when paused */
	bool failed;                         /* the last answer was an error (said once) */
};

static const int windows[] = { 15, 60, 1440 };
static const char *const window_names[] = { "15 min", "1 h", "24 h" };
static const char *const sort_names[] = { "calls", "mean", "p95", "errors" };

extern const struct screen_ops screen_staff_health_ops;

static const struct screen_key health_keys_list[] = {
	{ "Z", "Pause", "Freeze the display (Z again resumes)", true },
	{ "o", "Outbox", "The mail outbox: every message, live counts, retry a failed one", true },
	{ "c/m/p/e", "", "Sort the functions by calls, mean time, client p95 or errors", false },
	{ "w", "", "Window of the rates, classes and client columns: 15 min, 1 h, 24 h", false },
	{ "Up/Down", "", "Move the selection (also PgUp/PgDn, Home/End)", false },
	{ "MEAN", "", "Column: the server's mean time per call, since its statistics were reset", false },
	{ "P95", "", "Column: 95th percentile of the clients' own timings in the window", false },
	{ "ERR/REF", "", "Columns: client calls failed (technical) / refused by the shop", false },
	{ NULL, NULL, NULL, false },
};

static struct screen *health_create(struct tui *tui);
static void health_destroy(struct screen *s);
static void health_draw(struct screen *s, WINDOW *win);
static int health_handle_key(struct screen *s, const struct tui_key *key);
static void health_reload(struct screen *s);
static const struct screen_key *health_keys(const struct screen *s);
static void health_forget(struct screen *s);
static bool health_tick(struct screen *s, int64_t now_ms);

static void poll_now(struct health_screen *hs, bool forced);
static bool dropped(const struct health_screen *hs);
static void funcs_done(struct screen *s, int tag, struct db_request *req);
static void series_done(struct screen *s, int tag, struct db_request *req);
static void rates_done(struct screen *s, int tag, struct db_request *req);
static void mail_done(struct screen *s, int tag, struct db_request *req);
static void said_failed(struct health_screen *hs, bz_err rc, const char *err);
static int64_t errors_of(const struct db_health_function *f);
static int64_t sort_key(const struct db_health_function *f, enum sort_by by);
static int compare_funcs(const void *a, const void *b);
static void sort_funcs(struct health_screen *hs);
static void move_selection(struct health_screen *hs, long delta);
static void ms_text(int64_t us, char *buf, size_t len);
static void draw_sparks(struct health_screen *hs, WINDOW *win, int w);
static void draw_rate(WINDOW *win, int y, int w, const char *label, int pct, const char *words,
                      attr_t attr);
static void draw_classes(struct health_screen *hs, WINDOW *win, int w);
static void draw_mail(struct health_screen *hs, WINDOW *win, int w);
static void draw_table(struct health_screen *hs, WINDOW *win, int h, int w);

const struct screen_ops screen_staff_health_ops = {
	.name = "health",
	.title = "Health",
	.create = health_create,
	.destroy = health_destroy,
	.draw = health_draw,
	.handle_key = health_handle_key,
	.reload = health_reload,
	.keys = health_keys,
	.forget = health_forget,
	.tick = health_tick,
	.needs_login = true,
};

/* An empty screen; the first tick (or reload) reads the database. */
static struct screen *
health_create(struct tui *tui)
{
	struct health_screen *hs = xcalloc(1, sizeof *hs);

	hs->base.ops = &screen_staff_health_ops;
	hs->base.tui = tui;
	hs->window_idx = 1;
	hs->visible = 1;
	return &hs->base;
}

/* Free the screen. The manager drops its calls before the screens. */
static void
health_destroy(struct screen *s)
{
	struct health_screen *hs = (struct health_screen *)s;

	db_health_functions_free(&hs->funcs);
	db_health_series_free(&hs->series);
	free(hs);
}

/* Logged out: nothing here is personal, but the next staff member starts
 * from a fresh reading. */
static void
health_forget(struct screen *s)
{
	struct health_screen *hs = (struct health_screen *)s;

	db_health_functions_free(&hs->funcs);
	db_health_series_free(&hs->series);
	memset(&hs->rates, 0, sizeof hs->rates);
	memset(&hs->mail, 0, sizeof hs->mail);
	hs->have_funcs = hs->have_series = hs->have_rates = hs->have_mail = false;
	hs->selected = hs->top = 0;
	hs->failed = false;
}

/* Shown, or F5: read now, even when paused. */
static void
health_reload(struct screen *s)
{
	struct health_screen *hs = (struct health_screen *)s;

	if (tui_calls_pending(s->tui, s) == 0)
		poll_now(hs, true);
	else
		hs->poll_forced = true;
	hs->last_poll_ms = -1;
}

/* Poll when REFRESH_MS has passed and nothing of ours is pending. */
static bool
health_tick(struct screen *s, int64_t now_ms)
{
	struct health_screen *hs = (struct health_screen *)s;

	if (hs->last_poll_ms < 0)
		hs->last_poll_ms = now_ms;
	if (hs->paused || tui_token(s->tui) == NULL || tui_calls_pending(s->tui, s) > 0)
		return false;
	if (hs->last_poll_ms != 0 && now_ms - hs->last_poll_ms < REFRESH_MS)
		return false;
	poll_now(hs, false);
	hs->last_poll_ms = now_ms;
	return false;
}

/* Queue one reading: the functions, the series, the mail counts, the
 * rates (last: the forced poll of a paused screen ends with it). */
static void
poll_now(struct health_screen *hs, bool forced)
{
	struct tui *tui = hs->base.tui;
	const char *token = tui_token(tui);
	struct db_request req;
	unsigned flags = TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE;

	if (token == NULL)
		return;
	hs->poll_forced = forced;
	db_staff_health_request(&req, token, windows[hs->window_idx]);
	tui_call(tui, &hs->base, TAG_FUNCTIONS, &req, flags, "Reading the function statistics",
	         funcs_done);
	db_staff_health_series_request(&req, token, SERIES_MINUTES);
	tui_call(tui, &hs->base, TAG_SERIES, &req, flags, "Reading the last half hour", series_done);
	db_staff_outbox_counts_request(&req, token);
	tui_call(tui, &hs->base, TAG_MAIL, &req, flags, "Counting the mail outbox", mail_done);
	db_staff_health_rates_request(&req, token, windows[hs->window_idx]);
	tui_call(tui, &hs->base, TAG_RATES, &req, flags, "Reading the rates", rates_done);
}

/* Paused: an answer to a timed poll changes nothing on the screen. */
static bool
dropped(const struct health_screen *hs)
{
	return hs->paused && !hs->poll_forced;
}

/* An error, said once rather than every 2 s; the session ending is the
 * manager's to say. */
static void
said_failed(struct health_screen *hs, bz_err rc, const char *err)
{
	if (rc == BZ_ERR_AUTH || rc == BZ_ERR_CANCELLED)
		return;
	if (!hs->failed)
		tui_status_error(hs->base.tui, "The health figures could not be read: %s", err);
	hs->failed = true;
}

/* The per-function rows arrived: they replace the table, sorted. */
static void
funcs_done(struct screen *s, int tag, struct db_request *req)
{
	struct health_screen *hs = (struct health_screen *)s;
	struct db_health_functions funcs = { NULL, 0 };
	char err[256];
	bz_err rc;

	(void)tag;
	rc = db_staff_health_result(req, &funcs, err, sizeof err);
	if (rc != BZ_OK) {
		said_failed(hs, rc, err);
		return;
	}
	if (hs->failed) {
		hs->failed = false;
		tui_status(s->tui, "Reading the health figures again.");
	}
	if (dropped(hs)) {
		db_health_functions_free(&funcs);
		return;
	}
	db_health_functions_free(&hs->funcs);
	hs->funcs = funcs;
	hs->have_funcs = true;
	sort_funcs(hs);
	if (hs->selected >= hs->funcs.count)
		hs->selected = hs->funcs.count ? hs->funcs.count - 1 : 0;
}

/* The minutes arrived: they replace the sparklines' data. */
static void
series_done(struct screen *s, int tag, struct db_request *req)
{
	struct health_screen *hs = (struct health_screen *)s;
	struct db_health_series series = { NULL, 0 };
	char err[256];
	bz_err rc;

	(void)tag;
	rc = db_staff_health_series_result(req, &series, err, sizeof err);
	if (rc != BZ_OK) {
		said_failed(hs, rc, err);
		return;
	}
	if (dropped(hs)) {
		db_health_series_free(&series);
		return;
	}
	db_health_series_free(&hs->series);
	hs->series = series;
	hs->have_series = true;
}

/* The rates arrived; the forced poll of a paused screen ends here. */
static void
rates_done(struct screen *s, int tag, struct db_request *req)
{
	struct health_screen *hs = (struct health_screen *)s;
	struct db_health_rates rates;
	char err[256];
	bool drop = dropped(hs);
	bz_err rc;

	(void)tag;
	hs->poll_forced = false;
	rc = db_staff_health_rates_result(req, &rates, err, sizeof err);
	if (rc != BZ_OK) {
		said_failed(hs, rc, err);
		return;
	}
	if (drop)
		return;
	hs->rates = rates;
	hs->have_rates = true;
}

/* The outbox's counts arrived. */
static void
mail_done(struct screen *s, int tag, struct db_request *req)
{
	struct health_screen *hs = (struct health_screen *)s;
	struct db_outbox_counts mail;
	char err[256];
	bz_err rc;

	(void)tag;
	rc = db_staff_outbox_counts_result(req, &mail, err, sizeof err);
	if (rc != BZ_OK) {
		said_failed(hs, rc, err);
		return;
	}
	if (dropped(hs))
		return;
	hs->mail = mail;
	hs->have_mail = true;
}

/* A function's technical failures (refusals are the shop's answers). */
static int64_t
errors_of(const struct db_health_function *f)
{
	return f->constraint_errors + f->serialization_failures + f->deadlocks + f->timeouts +
	       f->other_errors;
}

/* The value of F that sort BY orders by. */
static int64_t
sort_key(const struct db_health_function *f, enum sort_by by)
{
	switch (by) {
	case SORT_CALLS:
		return f->calls > 0 ? f->calls : f->client_calls;
	case SORT_MEAN:
		return f->mean_us;
	case SORT_P95:
		return f->client_p95_us;
	case SORT_ERRORS:
		/* Technical failures first, the shop's refusals break ties. */
		return errors_of(f) * 1000000 + f->refused;
	}
	return 0;
}

/* qsort has no context: the order being applied, set by sort_funcs. */
static enum sort_by sorting;

/* Largest first; ties by name, so the order is stable between readings. */
static int
compare_funcs(const void *a_, const void *b_)
{
	const struct db_health_function *a = a_, *b = b_;
	int64_t x = sort_key(a, sorting), y = sort_key(b, sorting);

	if (x != y)
		return x < y ? 1 : -1;
	return strcmp(a->function_name, b->function_name);
}

/* Sort the table by the chosen column. */
static void
sort_funcs(struct health_screen *hs)
{
	sorting = hs->sort;
	if (hs->funcs.count > 1)
		qsort(hs->funcs.items, hs->funcs.count, sizeof hs->funcs.items[0], compare_funcs);
}

/* Move the selection by DELTA rows, within the table. */
static void
move_selection(struct health_screen *hs, long delta)
{
	long r = (long)hs->selected + delta;

	if (r >= (long)hs->funcs.count)
		r = (long)hs->funcs.count - 1;
	if (r < 0)
		r = 0;
	hs->selected = (size_t)r;
}

static int
health_handle_key(struct screen *s, const struct tui_key *key)
{
	struct health_screen *hs = (struct health_screen *)s;
	static const wchar_t sort_keys[] = L"cmpe";

	if (key_is_code(key, KEY_UP))
		move_selection(hs, -1);
	else if (key_is_code(key, KEY_DOWN))
		move_selection(hs, 1);
	else if (key_is_code(key, KEY_PPAGE))
		move_selection(hs, -(long)hs->visible);
	else if (key_is_code(key, KEY_NPAGE))
		move_selection(hs, hs->visible);
	else if (key_is_code(key, KEY_HOME))
		move_selection(hs, -(long)hs->funcs.count);
	else if (key_is_code(key, KEY_END))
		move_selection(hs, (long)hs->funcs.count);
	else if (key_is_code(key, KEY_MOUSE)) {
		long r = (long)hs->top + (key->y - LIST_TOP);

		if (key->y < LIST_TOP || key->y >= LIST_TOP + hs->visible || r >= (long)hs->funcs.count)
			return SR_IGNORED;
		move_selection(hs, r - (long)hs->selected);
	} else if (key_is_char(key, L'Z') || key_is_char(key, L'z')) {
		hs->paused = !hs->paused;
		tui_status(s->tui, hs->paused ? "Paused: the display is frozen; Z resumes."
		                              : "Resumed: refreshing every %d s.", REFRESH_MS / 1000);
		if (!hs->paused)
			hs->last_poll_ms = 0;
	} else if (key_is_char(key, L'o')) {
		tui_show(s->tui, "outbox");
	} else if (key_is_char(key, L'w')) {
		hs->window_idx = (hs->window_idx + 1) % (int)(sizeof windows / sizeof windows[0]);
		tui_status(s->tui, "Rates, classes and client columns over the last %s.",
		           window_names[hs->window_idx]);
		if (!hs->paused)
			hs->last_poll_ms = 0;
	} else {
		for (int i = 0; sort_keys[i]; i++)
			if (key_is_char(key, (wint_t)sort_keys[i])) {
				hs->sort = (enum sort_by)i;
				sort_funcs(hs);
				hs->selected = hs->top = 0;
				tui_status(s->tui, "Functions sorted by %s.", sort_names[i]);
				return SR_HANDLED | SR_REDRAW;
			}
		return SR_IGNORED;
	}
	return SR_HANDLED | SR_REDRAW;
}

static const struct screen_key *
health_keys(const struct screen *s)
{
	(void)s;
	return health_keys_list;
}

/* Microseconds as milliseconds: "0.42", "12.3", "1450"; "-" for -1. */
static void
ms_text(int64_t us, char *buf, size_t len)
{
	if (us < 0)
		snprintf(buf, len, "-");
	else if (us < 10000)
		snprintf(buf, len, "%.2f", (double)us / 1000.0);
	else if (us < 1000000)
		snprintf(buf, len, "%.1f", (double)us / 1000.0);
	else
		snprintf(buf, len, "%" PRId64, us / 1000);
}

/* The three per-minute sparklines, the current minute's value on the
 * right. */
static void
draw_sparks(struct health_screen *hs, WINDOW *win, int w)
{
	struct sparkline created = { .n = 0 }, paid = { .n = 0 }, failed = { .n = 0 };
	char v1[32] = "", v2[32] = "", v3[32] = "";
	const struct db_health_minute *last = NULL;

	for (size_t i = 0; i < hs->series.count; i++) {
		const struct db_health_minute *m = &hs->series.items[i];

		sparkline_push(&created, m->orders_created);
		sparkline_push(&paid, m->orders_paid);
		sparkline_push(&failed, m->call_failures);
		last = m;
	}
	if (last != NULL) {
		snprintf(v1, sizeof v1, "%" PRId64 "/min", last->orders_created);
		snprintf(v2, sizeof v2, "%" PRId64 "/min", last->orders_paid);
		snprintf(v3, sizeof v3, "%" PRId64 "/min", last->call_failures);
	}
	sparkline_draw(win, 0, w, "Orders", &created, v1);
	sparkline_draw(win, 1, w, "Paid", &paid, v2);
	if (last != NULL && last->call_failures > 0)
		wattrset(win, crt_attr(COLOR_ERROR));
	sparkline_draw(win, 2, w, "Failures", &failed, v3);
	wattrset(win, A_NORMAL);
}

/* LABEL, a meter of PCT and WORDS after it. */
static void
draw_rate(WINDOW *win, int y, int w, const char *label, int pct, const char *words, attr_t attr)
{
	char num[16];
	int meter_w = w >= 80 ? 30 : w / 3;

	mvwhline(win, y, 0, ' ', w);
	text_draw(win, y, 1, 10, label, TEXT_LEFT);
	meter_draw(win, y, 12, meter_w - 1, pct, attr);
	if (pct < 0)
		snprintf(num, sizeof num, "-");
	else
		snprintf(num, sizeof num, "%d%%", pct);
	text_draw(win, y, 12 + meter_w, 4, num, TEXT_RIGHT);
	text_draw(win, y, 17 + meter_w, w - 18 - meter_w, words, TEXT_LEFT);
}

/* The clients' calls in the window by failure class, each a meter of its
 * share of all client calls, three to a row. */
static void
draw_classes(struct health_screen *hs, WINDOW *win, int w)
{
	static const char *const names[] = { "Refused", "Constr 23", "Serial", "Deadlock",
	                                     "Timeout", "Other" };
	int64_t counts[6] = { 0 }, total = 0;
	int col_w = (w - 2) / 3;

	for (size_t i = 0; i < hs->funcs.count; i++) {
		const struct db_health_function *f = &hs->funcs.items[i];

		counts[0] += f->refused;
		counts[1] += f->constraint_errors;
		counts[2] += f->serialization_failures;
		counts[3] += f->deadlocks;
		counts[4] += f->timeouts;
		counts[5] += f->other_errors;
		total += f->client_calls;
	}
	mvwhline(win, CLASSES_TOP, 0, ' ', w);
	mvwhline(win, CLASSES_TOP + 1, 0, ' ', w);
	for (int k = 0; k < 6; k++) {
		int y = CLASSES_TOP + k / 3, x = 1 + (k % 3) * col_w;
		int meter_w = col_w - 10 - 6 - 1;
		int pct = total > 0 ? (int)(counts[k] * 100 / total) : 0;
		char num[24];

		if (counts[k] > 0 && pct == 0)
			pct = 1;
		snprintf(num, sizeof num, "%" PRId64, counts[k]);
		text_draw(win, y, x, 10, names[k], TEXT_LEFT);
		meter_draw(win, y, x + 10, meter_w, pct,
		           crt_attr(k == 0 ? COLOR_STOCK_LOW : COLOR_ERROR));
		text_draw(win, y, x + 10 + meter_w, 6, num, TEXT_RIGHT);
	}
}

/* One line of mail: pending (and the oldest's age), sent and failed in
 * the last hour, failed now (red when any waits for staff to retry). */
static void
draw_mail(struct health_screen *hs, WINDOW *win, int w)
{
	const struct db_outbox_counts *m = &hs->mail;
	const char *dot = text_glyph(" \xc2\xb7 ", " | ");
	char age[40] = "", *line;
	int x;

	mvwhline(win, MAIL_ROW, 0, ' ', w);
	if (!hs->have_mail) {
		text_draw(win, MAIL_ROW, 1, w - 2, "Mail  counting the outbox...", TEXT_LEFT);
		return;
	}
	if (m->pending > 0) {
		int64_t s = m->oldest_pending_age_s;

		/* Short units: the line holds the way to the list at 80 columns. */
		if (s < 60)
			snprintf(age, sizeof age, " (oldest <1m)");
		else if (s < 3600)
			snprintf(age, sizeof age, " (oldest %" PRId64 "m)", s / 60);
		else if (s < 86400)
			snprintf(age, sizeof age, " (oldest %" PRId64 "h)", s / 3600);
		else
			snprintf(age, sizeof age, " (oldest %" PRId64 "d)", s / 86400);
	}
	line = xasprintf("Mail  %" PRId64 " pending%s%s%" PRId64 " sent, %" PRId64 " failed in 1 h%s%"
	                 PRId64 " failed", m->pending, age, dot, m->sent_last_hour, m->failed_last_hour,
	                 dot, m->failed);
	if (m->failed > 0)
		wattrset(win, crt_attr(COLOR_ERROR));
	x = 1 + text_draw(win, MAIL_ROW, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(line);
	/* The way to the list, when it fits (the bar says it too). */
	if (w - 1 - x >= 12)
		text_draw(win, MAIL_ROW, x, w - 1 - x, text_glyph(" \xe2\x80\x94 o: outbox", " - o: outbox"),
		          TEXT_LEFT);
}

/* The column titles and the function rows that fit. */
static void
draw_table(struct health_screen *hs, WINDOW *win, int h, int w)
{
	/* CALLS 8, MEAN 7, P95 7, CLIENT 7, ERR 5, REF 5, gaps; the name the rest. */
	int name_w = w - 2 - (9 + 8 + 8 + 8 + 6 + 6);
	int rows = h - LIST_TOP;

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, LIST_TOP - 1, 0, ' ', w);
	text_draw(win, LIST_TOP - 1, 1, name_w, "FUNCTION", TEXT_LEFT);
	text_draw(win, LIST_TOP - 1, 1 + name_w + 1, 8, hs->sort == SORT_CALLS ? "CALLS*" : "CALLS",
	          TEXT_RIGHT);
	text_draw(win, LIST_TOP - 1, 1 + name_w + 10, 7, hs->sort == SORT_MEAN ? "MEAN*" : "MEAN",
	          TEXT_RIGHT);
	text_draw(win, LIST_TOP - 1, 1 + name_w + 18, 7, hs->sort == SORT_P95 ? "P95*" : "P95",
	          TEXT_RIGHT);
	text_draw(win, LIST_TOP - 1, 1 + name_w + 26, 7, "CLIENT", TEXT_RIGHT);
	text_draw(win, LIST_TOP - 1, 1 + name_w + 34, 5, hs->sort == SORT_ERRORS ? "ERR*" : "ERR",
	          TEXT_RIGHT);
	text_draw(win, LIST_TOP - 1, 1 + name_w + 40, 5, "REF", TEXT_RIGHT);
	wattrset(win, A_NORMAL);
	hs->visible = rows > 1 ? rows : 1;
	if (hs->funcs.count == 0) {
		text_draw(win, LIST_TOP, 2, w - 4, !hs->have_funcs ? "Reading the functions..."
		          : "No API function has been called yet.", TEXT_LEFT);
		return;
	}
	if (hs->selected < hs->top)
		hs->top = hs->selected;
	if (hs->selected >= hs->top + (size_t)hs->visible)
		hs->top = hs->selected - (size_t)hs->visible + 1;
	for (int r = 0; r < hs->visible && hs->top + (size_t)r < hs->funcs.count; r++) {
		size_t i = hs->top + (size_t)r;
		const struct db_health_function *f = &hs->funcs.items[i];
		int y = LIST_TOP + r;
		int64_t errors = errors_of(f);
		char calls[24], mean[24], p95[24], client[24], err[24], ref[24];

		snprintf(calls, sizeof calls, "%" PRId64, f->calls);
		ms_text(f->mean_us, mean, sizeof mean);
		ms_text(f->client_p95_us, p95, sizeof p95);
		snprintf(client, sizeof client, "%" PRId64, f->client_calls);
		snprintf(err, sizeof err, "%" PRId64, errors);
		snprintf(ref, sizeof ref, "%" PRId64, f->refused);
		wattrset(win, i == hs->selected ? crt_attr(COLOR_SELECTED) : A_NORMAL);
		mvwhline(win, y, 0, ' ', w);
		text_draw(win, y, 1, name_w, f->function_name, TEXT_LEFT);
		text_draw(win, y, 1 + name_w + 1, 8, calls, TEXT_RIGHT);
		text_draw(win, y, 1 + name_w + 10, 7, mean, TEXT_RIGHT);
		text_draw(win, y, 1 + name_w + 18, 7, p95, TEXT_RIGHT);
		text_draw(win, y, 1 + name_w + 26, 7, client, TEXT_RIGHT);
		if (errors > 0 && i != hs->selected)
			wattrset(win, crt_attr(COLOR_ERROR));
		text_draw(win, y, 1 + name_w + 34, 5, err, TEXT_RIGHT);
		wattrset(win, i == hs->selected ? crt_attr(COLOR_SELECTED) : A_NORMAL);
		text_draw(win, y, 1 + name_w + 40, 5, ref, TEXT_RIGHT);
		wattrset(win, A_NORMAL);
	}
}

static void
health_draw(struct screen *s, WINDOW *win)
{
	struct health_screen *hs = (struct health_screen *)s;
	const struct db_health_rates *r = &hs->rates;
	int h = getmaxy(win), w = getmaxx(win);
	char *words, *summary;

	draw_sparks(hs, win, w);
	words = hs->have_rates
	        ? xasprintf("%" PRId64 " ok of %" PRId64 ", %" PRId64 " refused apart", r->checkouts_ok,
	                    r->checkouts_ok + r->checkout_errors, r->checkouts_refused)
	        : xstrdup("");
	draw_rate(win, RATES_TOP, w, "Success", hs->have_rates ? r->order_success_pct : -1, words,
	          crt_attr(COLOR_STOCK_OK));
	free(words);
	words = hs->have_rates
	        ? xasprintf("%" PRId64 " paid of %" PRId64 " orders", r->orders_paid, r->orders_created)
	        : xstrdup("");
	draw_rate(win, RATES_TOP + 1, w, "Completion", hs->have_rates ? r->completion_pct : -1, words,
	          crt_attr(COLOR_STOCK_OK));
	free(words);
	draw_classes(hs, win, w);
	summary = xasprintf("Last %s; sparklines per minute over %d min; sorted by %s; every %d s%s",
	                    window_names[hs->window_idx], SERIES_MINUTES, sort_names[hs->sort],
	                    REFRESH_MS / 1000, hs->paused ? "  PAUSED" : "");
	mvwhline(win, SUMMARY_ROW, 0, ' ', w);
	text_draw(win, SUMMARY_ROW, 1, w - 2, summary, TEXT_LEFT);
	free(summary);
	draw_mail(hs, win, w);
	draw_table(hs, win, h, w);
}
