/* The console's Outbox view: the e-mails the shop owes its customers
 * (0021, docs/api.md §15). At the top, live counts per status with the
 * sends and failures of the last hour and the age of the oldest pending
 * message; below, the messages newest first, each on two rows: what it
 * is (time, kind, address, subject, status, attempts), then what is
 * happening to it (the error of a failed one, the worker holding the
 * lease of one being sent, the provider's id of a sent one). Enter opens
 * every field of the selected message; f cycles the filter; r tries a
 * failed message again (asked y/n, audited by the server, refused under
 * --readonly). Reached with o from the Health screen; Esc goes back.
 *
 * Sampling as on the Health screen: every REFRESH_MS the tick queues the
 * counts and the list when none of this screen's calls is pending; Z
 * freezes the display (F5 still reads once). */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/api_staff_outbox.h"
#include "tui/screen.h"
#include "tui/text.h"

#define REFRESH_MS 2000
#define LIST_LIMIT 200
/* Body rows: the counts, the last hour and filter, the column titles;
 * then two rows per message. */
#define TITLES_ROW 2
#define LIST_TOP 3
#define ROWS_PER_MESSAGE 2

enum { TAG_COUNTS = 1, TAG_LIST, TAG_RETRY };
/* A list call's tag carries the filter generation above the kind. */
#define TAG_KIND(tag) ((tag) & 0xff)
#define TAG_GEN(tag) ((tag) >> 8)

enum outbox_mode { MODE_LIST, MODE_DETAIL, MODE_CONFIRM };

struct outbox_screen {
	struct screen base;                  /* first: the manager sees a struct screen */
	struct db_outbox_messages list;      /* owned */
	struct db_outbox_counts counts;
	bool have_list, have_counts;

	int filter;                          /* into filters[] */
	int generation;                      /* raised with the filter: older lists are dropped */
	size_t selected, top;
	char selected_id[DB_UUID_SIZE];      /* kept across readings */
	int visible;                         /* messages that fit */

	enum outbox_mode mode;
	char retry_id[DB_UUID_SIZE];         /* the message the y/n is about */
	char question[160];
	bool retry_running;

	int64_t last_poll_ms;                /* 0: poll at the next tick; -1: start counting */
	bool paused;
	bool poll_forced;                    /* F5's poll: shown even when paused */
	bool failed;                         /* the last reading failed (said once) */
};

/* NULL: every status. */
static const char *const filters[] = { NULL, "pending", "sending", "sent", "failed" };
#define NFILTERS ((int)(sizeof filters / sizeof filters[0]))

extern const struct screen_ops screen_staff_outbox_ops;

static const struct screen_key list_keys[] = {
	{ "Esc", "Back", "Back to the Health screen", true },
	{ "r", "Retry", "Try the selected failed message again (asks y/n; audited)", true },
	{ "f", "Filter", "Show every message, or only pending, sending, sent or failed ones", true },
	{ "Enter", "", "Every field of the selected message", false },
	{ "Z", "", "Freeze the display (Z again resumes)", false },
	{ "Up/Down", "", "Move the selection (also PgUp/PgDn, Home/End)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key detail_keys[] = {
	{ "Esc", "Close", "Close the box (also Enter)", true },
	{ "r", "Retry", "Try this message again if it failed (asks y/n; audited)", true },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key confirm_keys[] = {
	{ "y", "Yes", "Try it again (it is audited)", true },
	{ "n", "No", "Do not (also Esc)", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *outbox_create(struct tui *tui);
static void outbox_destroy(struct screen *s);
static void outbox_draw(struct screen *s, WINDOW *win);
static bool outbox_draw_prompt(struct screen *s, WINDOW *win, int width);
static int outbox_handle_key(struct screen *s, const struct tui_key *key);
static void outbox_reload(struct screen *s);
static const struct screen_key *outbox_keys(const struct screen *s);
static void outbox_forget(struct screen *s);
static bool outbox_tick(struct screen *s, int64_t now_ms);

static void poll_now(struct outbox_screen *os, bool forced);
static bool dropped(const struct outbox_screen *os);
static void said_failed(struct outbox_screen *os, bz_err rc, const char *err);
static void counts_done(struct screen *s, int tag, struct db_request *req);
static void list_done(struct screen *s, int tag, struct db_request *req);
static void retry_done(struct screen *s, int tag, struct db_request *req);
static const struct db_outbox_message *selected_message(const struct outbox_screen *os);
static void move_selection(struct outbox_screen *os, long delta);
static void ask_retry(struct outbox_screen *os);
static void send_retry(struct outbox_screen *os);
static int confirm_key(struct outbox_screen *os, const struct tui_key *key);
static void age_text(int64_t seconds, char *buf, size_t len);
static const char *kind_short(const char *kind);
static attr_t status_attr(const char *status);
static void note_text(const struct db_outbox_message *m, char *buf, size_t len);
static void draw_header(struct outbox_screen *os, WINDOW *win, int w);
static void draw_list(struct outbox_screen *os, WINDOW *win, int h, int w);
static void draw_detail(struct outbox_screen *os, WINDOW *win, int h, int w);

const struct screen_ops screen_staff_outbox_ops = {
	.name = "outbox",
	.title = "Outbox",
	.create = outbox_create,
	.destroy = outbox_destroy,
	.draw = outbox_draw,
	.draw_prompt = outbox_draw_prompt,
	.handle_key = outbox_handle_key,
	.reload = outbox_reload,
	.keys = outbox_keys,
	.forget = outbox_forget,
	.tick = outbox_tick,
	.needs_login = true,
};

/* An empty screen; reload (it is shown) reads the database. */
static struct screen *
outbox_create(struct tui *tui)
{
	struct outbox_screen *os = xcalloc(1, sizeof *os);

	os->base.ops = &screen_staff_outbox_ops;
	os->base.tui = tui;
	os->visible = 1;
	return &os->base;
}

/* Free the screen. The manager drops its calls before the screens. */
static void
outbox_destroy(struct screen *s)
{
	struct outbox_screen *os = (struct outbox_screen *)s;

	db_outbox_messages_free(&os->list);
	free(os);
}

/* Logged out: addresses and subjects name customers; the next staff
 * member starts from a fresh reading. */
static void
outbox_forget(struct screen *s)
{
	struct outbox_screen *os = (struct outbox_screen *)s;

	db_outbox_messages_free(&os->list);
	memset(&os->counts, 0, sizeof os->counts);
	os->have_list = os->have_counts = false;
	os->selected = os->top = 0;
	os->selected_id[0] = os->retry_id[0] = '\0';
	os->mode = MODE_LIST;
	os->failed = false;
	os->generation++;
}

/* Shown, or F5: read now, even when paused. The status line still says
 * what the previous screen's keys did; say this one's. */
static void
outbox_reload(struct screen *s)
{
	struct outbox_screen *os = (struct outbox_screen *)s;

	tui_status(s->tui, "Outbox: Enter details, r retries a failed one, f filters, Esc back.");
	if (tui_calls_pending(s->tui, s) == 0)
		poll_now(os, true);
	else
		os->poll_forced = true;
	os->last_poll_ms = -1;
}

/* Poll when REFRESH_MS has passed and nothing of ours is pending. */
static bool
outbox_tick(struct screen *s, int64_t now_ms)
{
	struct outbox_screen *os = (struct outbox_screen *)s;

	if (os->last_poll_ms < 0)
		os->last_poll_ms = now_ms;
	if (os->paused || tui_token(s->tui) == NULL || tui_calls_pending(s->tui, s) > 0)
		return false;
	if (os->last_poll_ms != 0 && now_ms - os->last_poll_ms < REFRESH_MS)
		return false;
	poll_now(os, false);
	os->last_poll_ms = now_ms;
	return false;
}

/* Queue one reading: the counts, then the list under the filter. */
static void
poll_now(struct outbox_screen *os, bool forced)
{
	struct tui *tui = os->base.tui;
	const char *token = tui_token(tui);
	struct db_request req;

	if (token == NULL)
		return;
	os->poll_forced = forced;
	db_staff_outbox_counts_request(&req, token);
	tui_call(tui, &os->base, TAG_COUNTS, &req, TUI_CALL_REPLAY_SAFE, "Counting the outbox",
	         counts_done);
	db_staff_outbox_request(&req, token, filters[os->filter], LIST_LIMIT);
	tui_call(tui, &os->base, TAG_LIST | (os->generation << 8), &req, TUI_CALL_REPLAY_SAFE,
	         "Reading the outbox", list_done);
}

/* Paused: an answer to a timed poll changes nothing on the screen. */
static bool
dropped(const struct outbox_screen *os)
{
	return os->paused && !os->poll_forced;
}

/* An error, said once rather than every 2 s; the session ending is the
 * manager's to say. */
static void
said_failed(struct outbox_screen *os, bz_err rc, const char *err)
{
	if (rc == BZ_ERR_AUTH || rc == BZ_ERR_CANCELLED)
		return;
	if (!os->failed)
		tui_status_error(os->base.tui, "The outbox could not be read: %s", err);
	os->failed = true;
}

static void
counts_done(struct screen *s, int tag, struct db_request *req)
{
	struct outbox_screen *os = (struct outbox_screen *)s;
	struct db_outbox_counts counts;
	char err[256];
	bz_err rc;

	(void)tag;
	rc = db_staff_outbox_counts_result(req, &counts, err, sizeof err);
	if (rc != BZ_OK) {
		said_failed(os, rc, err);
		return;
	}
	if (dropped(os))
		return;
	os->counts = counts;
	os->have_counts = true;
}

/* The list replaces the old one; the selection stays on the same
 * message when it is still listed. The forced poll ends here. */
static void
list_done(struct screen *s, int tag, struct db_request *req)
{
	struct outbox_screen *os = (struct outbox_screen *)s;
	struct db_outbox_messages list = { NULL, 0 };
	bool drop = dropped(os);
	char err[256];
	bz_err rc;

	os->poll_forced = false;
	rc = db_staff_outbox_result(req, &list, err, sizeof err);
	if (rc != BZ_OK) {
		said_failed(os, rc, err);
		return;
	}
	if (os->failed) {
		os->failed = false;
		tui_status(s->tui, "Reading the outbox again.");
	}
	if (drop || TAG_GEN(tag) != os->generation) {
		db_outbox_messages_free(&list);
		return;
	}
	db_outbox_messages_free(&os->list);
	os->list = list;
	os->have_list = true;
	for (size_t i = 0; i < list.count; i++)
		if (strcmp(list.items[i].outbox_id, os->selected_id) == 0) {
			os->selected = i;
			return;
		}
	if (os->selected >= list.count)
		os->selected = list.count ? list.count - 1 : 0;
	if (list.count > 0)
		memcpy(os->selected_id, list.items[os->selected].outbox_id, DB_UUID_SIZE);
}

/* The retry's answer: done, already pending (a repeat, or someone else
 * was first), or no longer failed; then read again. */
static void
retry_done(struct screen *s, int tag, struct db_request *req)
{
	struct outbox_screen *os = (struct outbox_screen *)s;
	struct db_outbox_retry out;
	char err[256];
	bz_err rc;

	(void)tag;
	os->retry_running = false;
	rc = db_staff_outbox_retry_result(req, &out, err, sizeof err);
	if (rc == BZ_ERR_AUTH)
		return;
	if (rc != BZ_OK)
		tui_status_error(s->tui, "Not tried again: %s", err);
	else if (out.refused && strcmp(out.status, "pending") == 0)
		tui_status(s->tui, "Already pending: it was tried again already; nothing changed.");
	else if (out.refused)
		tui_status_error(s->tui, "Not tried again: the message is %s now, not failed.", out.status);
	else
		tui_status(s->tui, "Tried again: the message is pending (after %" PRId64
		           " attempts); the worker sends it next.", out.attempts);
	db_outbox_retry_free(&out);
	if (tui_calls_pending(s->tui, s) == 0)
		poll_now(os, true);
}

static const struct db_outbox_message *
selected_message(const struct outbox_screen *os)
{
	if (os->selected >= os->list.count)
		return NULL;
	return &os->list.items[os->selected];
}

/* Move the selection by DELTA messages, within the list. */
static void
move_selection(struct outbox_screen *os, long delta)
{
	long r = (long)os->selected + delta;

	if (r >= (long)os->list.count)
		r = (long)os->list.count - 1;
	if (r < 0)
		r = 0;
	os->selected = (size_t)r;
	if (os->list.count > 0)
		memcpy(os->selected_id, os->list.items[os->selected].outbox_id, DB_UUID_SIZE);
}

/* 'r': refused under --readonly and for a message that is not failed;
 * otherwise asked y/n. */
static void
ask_retry(struct outbox_screen *os)
{
	const struct db_outbox_message *m = selected_message(os);

	if (tui_readonly(os->base.tui)) {
		tui_status_error(os->base.tui,
		                 "This console is read-only (--readonly): retrying a message is refused.");
		return;
	}
	if (m == NULL) {
		tui_status_error(os->base.tui, "No message is selected.");
		return;
	}
	if (strcmp(m->status, "failed") != 0 && strcmp(m->status, "dead") != 0) {
		tui_status_error(os->base.tui, "Only a failed message can be tried again; this one is %s.",
		                 m->status);
		return;
	}
	if (os->retry_running) {
		tui_status(os->base.tui, "A retry is already on its way.");
		return;
	}
	memcpy(os->retry_id, m->outbox_id, DB_UUID_SIZE);
	snprintf(os->question, sizeof os->question, "Try the %s to %s again (audited)? y/n",
	         kind_short(m->kind), m->to_address);
	os->mode = MODE_CONFIRM;
}

/* 'y': send the retry. Checked for --readonly once more. */
static void
send_retry(struct outbox_screen *os)
{
	const char *token = tui_token(os->base.tui);
	struct db_request req;

	os->mode = MODE_LIST;
	if (tui_readonly(os->base.tui)) {
		tui_status_error(os->base.tui,
		                 "This console is read-only (--readonly): retrying a message is refused.");
		return;
	}
	if (token == NULL)
		return;
	db_staff_outbox_retry_request(&req, token, os->retry_id);
	os->retry_running = true;
	tui_call(os->base.tui, &os->base, TAG_RETRY, &req, TUI_CALL_REPLAY_SAFE,
	         "Trying the message again", retry_done);
}

static int
confirm_key(struct outbox_screen *os, const struct tui_key *key)
{
	if (key_is_char(key, L'y') || key_is_char(key, L'Y')) {
		send_retry(os);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'n') || key_is_char(key, L'N') || key_is_char(key, TUI_KEY_ESC)) {
		os->mode = MODE_LIST;
		tui_status(os->base.tui, "Not done: nothing was changed.");
		return SR_HANDLED | SR_REDRAW;
	}
	return key->is_code ? SR_IGNORED : SR_HANDLED;
}

static int
outbox_handle_key(struct screen *s, const struct tui_key *key)
{
	struct outbox_screen *os = (struct outbox_screen *)s;
	long page = os->visible > 1 ? os->visible - 1 : 1;

	if (os->mode == MODE_CONFIRM)
		return confirm_key(os, key);
	if (os->mode == MODE_DETAIL) {
		if (key_is_char(key, TUI_KEY_ESC) || key_is_enter(key)) {
			os->mode = MODE_LIST;
			return SR_HANDLED | SR_REDRAW;
		}
		if (key_is_char(key, L'r')) {
			ask_retry(os);
			return SR_HANDLED | SR_REDRAW;
		}
		return key->is_code ? SR_IGNORED : SR_HANDLED;
	}
	if (key_is_char(key, TUI_KEY_ESC)) {
		tui_show(s->tui, "health");
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP))
		move_selection(os, -1);
	else if (key_is_code(key, KEY_DOWN))
		move_selection(os, 1);
	else if (key_is_code(key, KEY_PPAGE))
		move_selection(os, -page);
	else if (key_is_code(key, KEY_NPAGE))
		move_selection(os, page);
	else if (key_is_code(key, KEY_HOME))
		move_selection(os, -(long)os->list.count);
	else if (key_is_code(key, KEY_END))
		move_selection(os, (long)os->list.count);
	else if (key_is_code(key, KEY_MOUSE)) {
		long r = (long)os->top + (key->y - LIST_TOP) / ROWS_PER_MESSAGE;

		if (key->y < LIST_TOP || r >= (long)os->list.count)
			return SR_IGNORED;
		move_selection(os, r - (long)os->selected);
	} else if (key_is_enter(key)) {
		if (selected_message(os) == NULL)
			return SR_HANDLED;
		os->mode = MODE_DETAIL;
	} else if (key_is_char(key, L'r')) {
		ask_retry(os);
	} else if (key_is_char(key, L'f')) {
		os->filter = (os->filter + 1) % NFILTERS;
		os->generation++;
		db_outbox_messages_free(&os->list);
		os->have_list = false;
		os->selected = os->top = 0;
		os->selected_id[0] = '\0';
		tui_status(s->tui, "Showing %s messages.", filters[os->filter] ? filters[os->filter] : "all");
		if (tui_calls_pending(s->tui, s) == 0)
			poll_now(os, true);
		else
			os->last_poll_ms = 0;
	} else if (key_is_char(key, L'Z') || key_is_char(key, L'z')) {
		os->paused = !os->paused;
		tui_status(s->tui, os->paused ? "Paused: the display is frozen; Z resumes."
		                              : "Resumed: refreshing every %d s.", REFRESH_MS / 1000);
		if (!os->paused)
			os->last_poll_ms = 0;
	} else {
		return SR_IGNORED;
	}
	return SR_HANDLED | SR_REDRAW;
}

static const struct screen_key *
outbox_keys(const struct screen *s)
{
	const struct outbox_screen *os = (const struct outbox_screen *)s;

	switch (os->mode) {
	case MODE_CONFIRM:
		return confirm_keys;
	case MODE_DETAIL:
		return detail_keys;
	case MODE_LIST:
		break;
	}
	return list_keys;
}

/* The y/n question on the status line. */
static bool
outbox_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct outbox_screen *os = (struct outbox_screen *)s;

	if (os->mode != MODE_CONFIRM)
		return false;
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	text_draw(win, 0, 0, width, os->question, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	return true;
}

/* Seconds as "<1 min", "12 min", "3 h", "2 d". */
static void
age_text(int64_t seconds, char *buf, size_t len)
{
	if (seconds < 60)
		snprintf(buf, len, "<1 min");
	else if (seconds < 3600)
		snprintf(buf, len, "%" PRId64 " min", seconds / 60);
	else if (seconds < 86400)
		snprintf(buf, len, "%" PRId64 " h", seconds / 3600);
	else
		snprintf(buf, len, "%" PRId64 " d", seconds / 86400);
}

/* The kinds in a word that fits the column. */
static const char *
kind_short(const char *kind)
{
	if (strcmp(kind, "order_confirmation") == 0)
		return "confirm";
	if (strcmp(kind, "order_awaiting_payment") == 0)
		return "awaiting";
	if (strcmp(kind, "order_rejected") == 0)
		return "rejected";
	if (strcmp(kind, "wallet_topup") == 0)
		return "topup";
	return kind;
}

/* Failed red, sending yellow, sent green, pending plain. */
static attr_t
status_attr(const char *status)
{
	if (strcmp(status, "failed") == 0 || strcmp(status, "dead") == 0)
		return crt_attr(COLOR_ERROR);
	if (strcmp(status, "sending") == 0)
		return crt_attr(COLOR_STOCK_LOW);
	if (strcmp(status, "sent") == 0)
		return crt_attr(COLOR_STOCK_OK);
	return A_NORMAL;
}

/* The second row of a message: what is happening to it. */
static void
note_text(const struct db_outbox_message *m, char *buf, size_t len)
{
	char at[32];

	if (strcmp(m->status, "sent") == 0) {
		text_time(m->sent_us, at, sizeof at, "%H:%M:%S");
		snprintf(buf, len, "sent %s, provider id %s", at,
		         m->provider_message_id ? m->provider_message_id : "-");
	} else if (strcmp(m->status, "sending") == 0) {
		text_time(m->lease_until_us, at, sizeof at, "%H:%M:%S");
		snprintf(buf, len, "leased to %s until %s", m->claimed_by ? m->claimed_by : "?", at);
	} else if (strcmp(m->status, "pending") == 0 && m->last_error != NULL) {
		text_time(m->next_attempt_us, at, sizeof at, "%H:%M:%S");
		snprintf(buf, len, "retry at %s after: %s", at, m->last_error);
	} else if (strcmp(m->status, "pending") == 0) {
		snprintf(buf, len, "waiting for the worker");
	} else {
		snprintf(buf, len, "reason: %s", m->last_error ? m->last_error : "(none recorded)");
	}
}

/* The counts row and the last hour with the filter. */
static void
draw_header(struct outbox_screen *os, WINDOW *win, int w)
{
	const struct db_outbox_counts *c = &os->counts;
	const char *dot = text_glyph(" \xc2\xb7 ", " | ");
	char age[48] = "", *line;
	int x;

	mvwhline(win, 0, 0, ' ', w);
	mvwhline(win, 1, 0, ' ', w);
	if (!os->have_counts) {
		text_draw(win, 0, 1, w - 2, "Counting the outbox...", TEXT_LEFT);
	} else {
		if (c->pending > 0) {
			char a[24];

			age_text(c->oldest_pending_age_s, a, sizeof a);
			snprintf(age, sizeof age, " (oldest %s)", a);
		}
		line = xasprintf("Pending %" PRId64 "%s%sSending %" PRId64 "%s", c->pending, age, dot,
		                 c->sending, dot);
		x = 1 + text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
		free(line);
		line = xasprintf("Sent %" PRId64, c->sent);
		wattrset(win, crt_attr(COLOR_STOCK_OK));
		x += text_draw(win, 0, x, w - 1 - x, line, TEXT_LEFT);
		free(line);
		wattrset(win, A_NORMAL);
		x += text_draw(win, 0, x, w - 1 - x, dot, TEXT_LEFT);
		line = xasprintf("Failed %" PRId64, c->failed);
		if (c->failed > 0)
			wattrset(win, crt_attr(COLOR_ERROR));
		text_draw(win, 0, x, w - 1 - x, line, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(line);
	}
	line = xasprintf("Last hour: %" PRId64 " sent, %" PRId64 " failed%sShowing %s (%zu)%severy %d s%s",
	                 c->sent_last_hour, c->failed_last_hour, dot,
	                 filters[os->filter] ? filters[os->filter] : "all", os->list.count, dot,
	                 REFRESH_MS / 1000, os->paused ? "  PAUSED" : "");
	text_draw(win, 1, 1, w - 2, os->have_counts ? line : "", TEXT_LEFT);
	free(line);
}

/* The column titles and two rows per message that fits. */
static void
draw_list(struct outbox_screen *os, WINDOW *win, int h, int w)
{
	/* CREATED 11, KIND 8, TO 18, STATUS 7, TRIES 5, gaps; the subject the rest. */
	int to_w = w >= 100 ? 28 : 18;
	int subject_w = w - 2 - (12 + 9 + to_w + 1 + 8 + 6);
	int x_kind = 13, x_to = 22, x_subject = x_to + to_w + 1;
	int x_status = x_subject + subject_w + 1, x_tries = x_status + 8;

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, TITLES_ROW, 0, ' ', w);
	text_draw(win, TITLES_ROW, 1, 11, "CREATED", TEXT_LEFT);
	text_draw(win, TITLES_ROW, x_kind, 8, "KIND", TEXT_LEFT);
	text_draw(win, TITLES_ROW, x_to, to_w, "TO", TEXT_LEFT);
	text_draw(win, TITLES_ROW, x_subject, subject_w, "SUBJECT", TEXT_LEFT);
	text_draw(win, TITLES_ROW, x_status, 7, "STATUS", TEXT_LEFT);
	text_draw(win, TITLES_ROW, x_tries, 5, "TRIES", TEXT_RIGHT);
	wattrset(win, A_NORMAL);
	os->visible = (h - LIST_TOP) / ROWS_PER_MESSAGE;
	if (os->visible < 1)
		os->visible = 1;
	if (os->list.count == 0) {
		mvwhline(win, LIST_TOP, 0, ' ', w);
		text_draw(win, LIST_TOP, 2, w - 4, !os->have_list ? "Reading the outbox..."
		          : filters[os->filter] ? "No message has this status." : "The outbox is empty.",
		          TEXT_LEFT);
		return;
	}
	if (os->selected < os->top)
		os->top = os->selected;
	if (os->selected >= os->top + (size_t)os->visible)
		os->top = os->selected - (size_t)os->visible + 1;
	for (int r = 0; r < os->visible && os->top + (size_t)r < os->list.count; r++) {
		size_t i = os->top + (size_t)r;
		const struct db_outbox_message *m = &os->list.items[i];
		int y = LIST_TOP + r * ROWS_PER_MESSAGE;
		bool sel = i == os->selected;
		attr_t base = sel ? crt_attr(COLOR_SELECTED) : A_NORMAL;
		char created[32], tries[24], note[512];

		text_time(m->created_us, created, sizeof created, "%m-%d %H:%M");
		snprintf(tries, sizeof tries, "%" PRId64, m->attempts);
		note_text(m, note, sizeof note);
		wattrset(win, base);
		mvwhline(win, y, 0, ' ', w);
		text_draw(win, y, 1, 11, created, TEXT_LEFT);
		text_draw(win, y, x_kind, 8, kind_short(m->kind), TEXT_LEFT);
		text_draw(win, y, x_to, to_w, m->to_address, TEXT_LEFT);
		text_draw(win, y, x_subject, subject_w, m->subject, TEXT_LEFT);
		wattrset(win, sel ? base : status_attr(m->status));
		text_draw(win, y, x_status, 7, m->status, TEXT_LEFT);
		wattrset(win, base);
		text_draw(win, y, x_tries, 5, tries, TEXT_RIGHT);
		wattrset(win, strcmp(m->status, "failed") == 0 ? crt_attr(COLOR_ERROR) : A_DIM);
		mvwhline(win, y + 1, 0, ' ', w);
		text_draw(win, y + 1, x_kind, w - x_kind - 1, note, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
}

/* Every field of the selected message in a box over the list. */
static void
draw_detail(struct outbox_screen *os, WINDOW *win, int h, int w)
{
	const struct db_outbox_message *m = selected_message(os);
	int bw = w - 4 > 96 ? 96 : w - 4, bh = 18, y0, x0;
	char created[32], next[32], lease[32], sent[32], attempts[24];
	WINDOW *box_win;
	struct { const char *label; const char *value; } rows[14];
	int n = 0;

	if (m == NULL || bw < 20)
		return;
	if (bh > h - 1)
		bh = h - 1;
	y0 = (h - bh) / 2;
	x0 = (w - bw) / 2;
	box_win = derwin(win, bh, bw, y0, x0);
	if (box_win == NULL)
		return;
	text_time(m->created_us, created, sizeof created, "%Y-%m-%d %H:%M:%S");
	if (m->next_attempt_us > 0)
		text_time(m->next_attempt_us, next, sizeof next, "%Y-%m-%d %H:%M:%S");
	else
		snprintf(next, sizeof next, "-");
	if (m->lease_until_us > 0)
		text_time(m->lease_until_us, lease, sizeof lease, "%Y-%m-%d %H:%M:%S");
	else
		snprintf(lease, sizeof lease, "-");
	if (m->sent_us > 0)
		text_time(m->sent_us, sent, sizeof sent, "%Y-%m-%d %H:%M:%S");
	else
		snprintf(sent, sizeof sent, "-");
	snprintf(attempts, sizeof attempts, "%" PRId64, m->attempts);
	rows[n].label = "Id";            rows[n++].value = m->outbox_id;
	rows[n].label = "Order";         rows[n++].value = m->order_id[0] ? m->order_id : "-";
	rows[n].label = "Kind";          rows[n++].value = m->kind;
	rows[n].label = "To";            rows[n++].value = m->to_address;
	rows[n].label = "Subject";       rows[n++].value = m->subject;
	rows[n].label = "Status";        rows[n++].value = m->status;
	rows[n].label = "Attempts";      rows[n++].value = attempts;
	rows[n].label = "Created";       rows[n++].value = created;
	rows[n].label = "Next attempt";  rows[n++].value = next;
	rows[n].label = "Sent";          rows[n++].value = sent;
	rows[n].label = "Provider id";   rows[n++].value = m->provider_message_id ? m->provider_message_id : "-";
	rows[n].label = "Lease until";   rows[n++].value = lease;
	rows[n].label = "Claimed by";    rows[n++].value = m->claimed_by ? m->claimed_by : "-";
	rows[n].label = "Last error";    rows[n++].value = m->last_error ? m->last_error : "-";
	wattrset(box_win, crt_attr(COLOR_HELP));
	werase(box_win);
	box(box_win, 0, 0);
	text_draw(box_win, 0, 2, bw - 4, " Message ", TEXT_LEFT);
	for (int i = 0; i < n && 1 + i < bh - 2; i++) {
		text_draw(box_win, 1 + i, 2, 13, rows[i].label, TEXT_LEFT);
		text_draw(box_win, 1 + i, 16, bw - 18, rows[i].value, TEXT_LEFT);
	}
	/* A long error goes on past the box's last field row. */
	if (m->last_error != NULL && n + 1 < bh - 1) {
		wchar_t *ws = text_widen(m->last_error);
		int cut = bw - 18;

		if ((int)wcslen(ws) > cut)
			text_draw_wide(box_win, n + 1, 16, bw - 18, ws + cut - 1, TEXT_LEFT);
		free(ws);
	}
	text_draw(box_win, bh - 1, 2, bw - 4, " Esc closes; r tries a failed message again ", TEXT_LEFT);
	wattrset(box_win, A_NORMAL);
	delwin(box_win);
}

static void
outbox_draw(struct screen *s, WINDOW *win)
{
	struct outbox_screen *os = (struct outbox_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);

	draw_header(os, win, w);
	draw_list(os, win, h, w);
	if (os->mode == MODE_DETAIL)
		draw_detail(os, win, h, w);
}
