/* The console's Stock screen (F9): every product's codes by status, the
 * ones below their low-stock threshold highlighted (and marked "LOW" for
 * a monochrome terminal); set a threshold ('t'), import a file of codes
 * ('i'), void one code ('v'). Each change asks y/n first; --readonly
 * refuses them before any call.
 *
 * An import: the file is read and checked here (core/code_file: an empty
 * or binary file is refused before anything is sent), the batch begun
 * with tui_call, then the lines go with COPY on a second connection of
 * the staff role, a slice per tick (at most SLICE_MS of sending, so keys
 * and redraws keep coming and the progress bar moves; Esc abandons it and
 * the server discards every staged line), then finish and the refused
 * lines come back through tui_call, into a scrollable report. The second
 * connection keeps the COPY away from the manager's one-call-at-a-time
 * connection; it is opened for the import and closed after it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/code_file.h"
#include "core/parse.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "db/db.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/text.h"

#define SLICE_MS 40
#define PROBLEM_LIMIT 10000
#define MAX_FILE_BYTES ((size_t)512 * 1024 * 1024)
#define LIST_TOP 2
#define NUM_W 7

enum view {
	VIEW_LIST,     /* the products */
	VIEW_REPORT,   /* an import's totals and refused lines */
};

enum prompt {
	PROMPT_NONE,
	PROMPT_THRESHOLD,
	PROMPT_PATH,
	PROMPT_CODE,
	PROMPT_REASON,
	PROMPT_CONFIRM,
};

/* What the y/n is about. */
enum action {
	ACT_THRESHOLD,
	ACT_IMPORT,
	ACT_VOID,
};

/* Where an import is. */
enum import_state {
	IMP_NONE,
	IMP_BEGIN,      /* api_staff_import_begin on its way */
	IMP_COPY,       /* lines going out, a slice per tick */
	IMP_FINISH,     /* api_staff_import_finish on its way */
	IMP_PROBLEMS,   /* the refused lines on their way */
};

enum stock_call {
	CALL_STOCK,
	CALL_THRESHOLD,
	CALL_VOID,
	CALL_BEGIN,
	CALL_FINISH,
	CALL_PROBLEMS,
};

struct stock_screen {
	struct screen base;
	unsigned generation;
	enum view view;
	struct db_stock stock;
	bool have_stock, stock_pending;
	bool keep_status;             /* the next stock read leaves the status line alone */
	size_t selected, top;
	int visible;

	enum prompt prompt;
	enum action action;
	struct line_edit edit;
	char notice[200];
	char product_id[DB_UUID_SIZE];   /* what the action is about */
	char *product_name;
	int threshold;
	char *path;
	char *code;
	char *reason;
	bool change_running;

	enum import_state imp;
	char *file_buf;
	struct code_file file;
	bool file_open;
	struct db_conn *copy_conn;
	struct db_code_copy *copy;
	char batch_id[DB_UUID_SIZE];
	int64_t lines_sent;

	struct db_import_totals totals;
	struct db_import_problems problems;
	char *report_title;
	size_t report_top;
};

extern const struct screen_ops screen_staff_stock_ops;

static const struct screen_key list_keys[] = {
	{ "t", "Thresh", "Set the selected product's low-stock threshold (then y/n)", false },
	{ "i", "Import", "Import codes for the selected product from a text or CSV file", true },
	{ "v", "Void", "Void one available code of the selected product (code, reason, y/n)", false },
	{ "Up/Down", "", "Move the selection (also k/j, or click a row)", false },
	{ "r", "", "Read the stock again (same as F5)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key report_keys[] = {
	{ "Esc", "Back", "Back to the products", true },
	{ "Up/Down", "", "Scroll the refused lines (also PgUp/PgDn)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key copy_keys[] = {
	{ "Esc", "Stop", "Abandon the import: the server discards every line sent", true },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key field_keys[] = {
	{ "Esc", "Cancel", "Close the line; nothing is changed", true },
	{ "Enter", "OK", "Take what you typed", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key confirm_keys[] = {
	{ "y", "Yes", "Do it", true },
	{ "n", "No", "Do not (also Esc)", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *stock_create(struct tui *tui);
static void stock_destroy(struct screen *s);
static void stock_draw(struct screen *s, WINDOW *win);
static bool stock_draw_prompt(struct screen *s, WINDOW *win, int width);
static int stock_handle_key(struct screen *s, const struct tui_key *key);
static void stock_reload(struct screen *s);
static const struct screen_key *stock_keys(const struct screen *s);
static void stock_forget(struct screen *s);
static bool stock_tick(struct screen *s, int64_t now_ms);

static void clear_all(struct stock_screen *ss);
static void stop_import(struct stock_screen *ss, const char *why);
static int make_tag(const struct stock_screen *ss, enum stock_call call);
static bool tag_is_current(const struct stock_screen *ss, int tag);
static void stock_done(struct screen *s, int tag, struct db_request *req);
static void threshold_done(struct screen *s, int tag, struct db_request *req);
static void void_done(struct screen *s, int tag, struct db_request *req);
static void begin_done(struct screen *s, int tag, struct db_request *req);
static void finish_done(struct screen *s, int tag, struct db_request *req);
static void problems_done(struct screen *s, int tag, struct db_request *req);
static void start_action(struct stock_screen *ss, enum action action);
static int field_accepted(struct stock_screen *ss);
static void confirmed(struct stock_screen *ss);
static bool open_file(struct stock_screen *ss, const char *path, char *err, size_t errlen);
static void send_slice(struct stock_screen *ss);
static int64_t monotonic_ms(void);
static void draw_list(struct stock_screen *ss, WINDOW *win, int h, int w);
static void draw_progress(struct stock_screen *ss, WINDOW *win, int h, int w);
static void draw_report(struct stock_screen *ss, WINDOW *win, int h, int w);

const struct screen_ops screen_staff_stock_ops = {
	.name = "stock",
	.title = "Stock",
	.create = stock_create,
	.destroy = stock_destroy,
	.draw = stock_draw,
	.draw_prompt = stock_draw_prompt,
	.handle_key = stock_handle_key,
	.reload = stock_reload,
	.keys = stock_keys,
	.forget = stock_forget,
	.tick = stock_tick,
	.needs_login = true,
};

static struct screen *
stock_create(struct tui *tui)
{
	struct stock_screen *ss = xcalloc(1, sizeof *ss);

	ss->base.ops = &screen_staff_stock_ops;
	ss->base.tui = tui;
	ss->visible = 1;
	return &ss->base;
}

static void
stock_destroy(struct screen *s)
{
	struct stock_screen *ss = (struct stock_screen *)s;

	clear_all(ss);
	free(ss);
}

/* End an import wherever it is (an unfinished COPY is abandoned: the
 * server keeps none of its lines), saying WHY on the status line. */
static void
stop_import(struct stock_screen *ss, const char *why)
{
	if (ss->copy)
		db_code_copy_abort(ss->copy, "abandoned in the console");
	ss->copy = NULL;
	if (ss->copy_conn)
		db_close(ss->copy_conn);
	ss->copy_conn = NULL;
	if (ss->file_open)
		code_file_close(&ss->file);
	ss->file_open = false;
	free(ss->file_buf);
	ss->file_buf = NULL;
	ss->imp = IMP_NONE;
	if (why)
		tui_status_error(ss->base.tui, "%s", why);
}

/* Free and scrub everything, keeping base and generation. */
static void
clear_all(struct stock_screen *ss)
{
	struct screen base = ss->base;
	unsigned generation = ss->generation;

	stop_import(ss, NULL);
	db_stock_free(&ss->stock);
	db_import_problems_free(&ss->problems);
	line_edit_wipe(&ss->edit);
	free(ss->product_name);
	free(ss->path);
	free(ss->code);
	free(ss->reason);
	free(ss->report_title);
	memset(ss, 0, sizeof *ss);
	ss->base = base;
	ss->generation = generation;
	ss->visible = 1;
}

static void
stock_forget(struct screen *s)
{
	struct stock_screen *ss = (struct stock_screen *)s;

	clear_all(ss);
	ss->generation++;
}

static int
make_tag(const struct stock_screen *ss, enum stock_call call)
{
	return (int)((ss->generation & 0xffffffu) << 3) | (int)call;
}

static bool
tag_is_current(const struct stock_screen *ss, int tag)
{
	return (unsigned)tag >> 3 == (ss->generation & 0xffffffu);
}

static void
stock_reload(struct screen *s)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	struct db_request req;

	if (tui_token(s->tui) == NULL || ss->stock_pending)
		return;
	ss->stock_pending = true;
	db_staff_stock_request(&req, tui_token(s->tui));
	tui_call(s->tui, s, make_tag(ss, CALL_STOCK), &req, TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE,
	         "Reading the stock", stock_done);
}

static void
stock_done(struct screen *s, int tag, struct db_request *req)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	struct db_stock fresh = { NULL, 0 };
	char err[256], keep[DB_UUID_SIZE] = "";
	size_t low = 0;

	if (!tag_is_current(ss, tag))
		return;
	ss->stock_pending = false;
	if (db_staff_stock_result(req, &fresh, err, sizeof err) != BZ_OK) {
		if (req->err != BZ_ERR_AUTH)
			tui_status_error(s->tui, "The stock could not be read: %s", err);
		return;
	}
	if (ss->have_stock && ss->selected < ss->stock.count)
		memcpy(keep, ss->stock.items[ss->selected].product_id, sizeof keep);
	db_stock_free(&ss->stock);
	ss->stock = fresh;
	ss->have_stock = true;
	ss->selected = 0;
	for (size_t i = 0; i < fresh.count; i++) {
		low += fresh.items[i].low && fresh.items[i].is_active;
		if (keep[0] != '\0' && strcmp(fresh.items[i].product_id, keep) == 0)
			ss->selected = i;
	}
	if (ss->imp == IMP_NONE && ss->view == VIEW_LIST && !ss->change_running && !ss->keep_status)
		tui_status(s->tui, "%zu products, %zu low on stock", fresh.count, low);
	ss->keep_status = false;
}

/* 't', 'i', 'v' on the selected product: refused under --readonly and
 * while another change runs; else its first prompt. */
static void
start_action(struct stock_screen *ss, enum action action)
{
	static const char *const what[] = { "threshold changes", "imports", "voiding codes" };
	const struct db_stock_row *row;

	if (tui_readonly(ss->base.tui)) {
		tui_status_error(ss->base.tui, "This console is read-only (--readonly): %s are refused.",
		                 what[action]);
		return;
	}
	if (ss->change_running || ss->imp != IMP_NONE) {
		tui_status_error(ss->base.tui, "A change is on its way: wait for its answer first.");
		return;
	}
	if (ss->selected >= ss->stock.count) {
		tui_status_error(ss->base.tui, "No product is selected.");
		return;
	}
	row = &ss->stock.items[ss->selected];
	snprintf(ss->product_id, sizeof ss->product_id, "%s", row->product_id);
	free(ss->product_name);
	ss->product_name = xstrdup(row->name);
	ss->action = action;
	ss->notice[0] = '\0';
	ss->edit.masked = false;
	ss->edit.max = 0;
	switch (action) {
	case ACT_THRESHOLD:
		ss->prompt = PROMPT_THRESHOLD;
		ss->edit.max = 7;
		line_edit_set(&ss->edit, NULL);
		break;
	case ACT_IMPORT:
		ss->prompt = PROMPT_PATH;
		line_edit_set(&ss->edit, ss->path);
		break;
	case ACT_VOID:
		ss->prompt = PROMPT_CODE;
		line_edit_set(&ss->edit, NULL);
		break;
	}
}

/* Enter in the open field. */
static int
field_accepted(struct stock_screen *ss)
{
	char *text = line_edit_text(&ss->edit), *t = text, *end;
	char err[256];
	long n;

	while (*t == ' ')
		t++;
	end = t + strlen(t);
	while (end > t && end[-1] == ' ')
		*--end = '\0';
	switch (ss->prompt) {
	case PROMPT_THRESHOLD:
		if (parse_int_range(t, 0, 1000000, &n) != BZ_OK) {
			snprintf(ss->notice, sizeof ss->notice,
			         "A threshold is a whole number from 0 to 1000000.");
			break;
		}
		ss->threshold = (int)n;
		ss->prompt = PROMPT_CONFIRM;
		break;
	case PROMPT_PATH:
		free(ss->path);
		ss->path = xstrdup(t);
		if (!open_file(ss, t, err, sizeof err)) {
			snprintf(ss->notice, sizeof ss->notice, "%.190s", err);
			break;
		}
		ss->prompt = PROMPT_CONFIRM;
		break;
	case PROMPT_CODE:
		if (*t == '\0') {
			snprintf(ss->notice, sizeof ss->notice, "Type the whole code to void.");
			break;
		}
		free(ss->code);
		ss->code = xstrdup(t);
		ss->prompt = PROMPT_REASON;
		line_edit_set(&ss->edit, NULL);
		break;
	case PROMPT_REASON:
		if (*t == '\0') {
			snprintf(ss->notice, sizeof ss->notice, "Voiding needs a reason: it goes in the audit log.");
			break;
		}
		free(ss->reason);
		ss->reason = xstrdup(t);
		ss->prompt = PROMPT_CONFIRM;
		break;
	case PROMPT_NONE:
	case PROMPT_CONFIRM:
		break;
	}
	if (ss->prompt == PROMPT_CONFIRM) {
		ss->notice[0] = '\0';
		line_edit_wipe(&ss->edit);
	}
	free(text);
	return SR_HANDLED | SR_REDRAW;
}

/* Read PATH whole and check it as a code file (format by its name):
 * false with a sentence when it cannot be imported at all. */
static bool
open_file(struct stock_screen *ss, const char *path, char *err, size_t errlen)
{
	struct stat st;
	size_t cap, n = 0;
	int fd;
	char why[200];

	if (*path == '\0') {
		snprintf(err, errlen, "Type the path of a file of codes.");
		return false;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open it: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode) ||
	    (S_ISREG(st.st_mode) && (size_t)st.st_size > MAX_FILE_BYTES)) {
		snprintf(err, errlen, "%s: %s", path, S_ISDIR(st.st_mode) ? "it is a directory"
		         : "it is over 512 MiB; use bazar import-codes on parts");
		close(fd);
		return false;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	free(ss->file_buf);
	ss->file_buf = xmalloc(cap);
	for (;;) {
		ssize_t got;
		if (n == cap) {
			cap *= 2;
			ss->file_buf = xrealloc(ss->file_buf, cap);
		}
		got = read(fd, ss->file_buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || n + (size_t)got > MAX_FILE_BYTES) {
			if (got != 0) {
				snprintf(err, errlen, "%s: cannot read it whole", path);
				close(fd);
				return false;
			}
			break;
		}
		n += (size_t)got;
	}
	close(fd);
	if (code_file_open(&ss->file, ss->file_buf, n, code_file_format_for(path), NULL, why,
	                   sizeof why) != BZ_OK) {
		snprintf(err, errlen, "%s: %s", path, why);
		free(ss->file_buf);
		ss->file_buf = NULL;
		return false;
	}
	ss->file_open = true;
	return true;
}

/* 'y': send the change. */
static void
confirmed(struct stock_screen *ss)
{
	struct db_request req;
	const char *token = tui_token(ss->base.tui);
	const char *label;

	ss->prompt = PROMPT_NONE;
	if (tui_readonly(ss->base.tui) || token == NULL) {
		tui_status_error(ss->base.tui, "Refused: %s.", token ? "the console is read-only" : "not logged in");
		stop_import(ss, NULL);
		return;
	}
	switch (ss->action) {
	case ACT_THRESHOLD:
		ss->change_running = true;
		db_staff_set_low_stock_request(&req, token, ss->product_id, ss->threshold);
		tui_call(ss->base.tui, &ss->base, make_tag(ss, CALL_THRESHOLD), &req, 0,
		         "Setting the threshold", threshold_done);
		break;
	case ACT_VOID:
		ss->change_running = true;
		db_staff_void_code_request(&req, token, ss->product_id, ss->code, ss->reason);
		tui_call(ss->base.tui, &ss->base, make_tag(ss, CALL_VOID), &req, 0, "Voiding the code",
		         void_done);
		break;
	case ACT_IMPORT:
		label = strrchr(ss->path, '/') ? strrchr(ss->path, '/') + 1 : ss->path;
		ss->imp = IMP_BEGIN;
		ss->lines_sent = 0;
		db_staff_import_begin_request(&req, token, ss->product_id, label);
		tui_call(ss->base.tui, &ss->base, make_tag(ss, CALL_BEGIN), &req, TUI_CALL_REPLAY_SAFE,
		         "Beginning the import", begin_done);
		break;
	}
}

static void
threshold_done(struct screen *s, int tag, struct db_request *req)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	char err[256];
	int previous = 0;

	if (!tag_is_current(ss, tag))
		return;
	ss->change_running = false;
	if (db_staff_set_low_stock_result(req, &previous, err, sizeof err) == BZ_OK)
		tui_status(s->tui, "The low-stock threshold of %s is %d (was %d).", ss->product_name,
		           ss->threshold, previous);
	else if (req->err != BZ_ERR_AUTH)
		tui_status_error(s->tui, "The threshold was not set: %s", err);
	ss->keep_status = true;
	stock_reload(s);
}

static void
void_done(struct screen *s, int tag, struct db_request *req)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	char err[256];

	if (!tag_is_current(ss, tag))
		return;
	ss->change_running = false;
	if (db_staff_void_code_result(req, err, sizeof err) == BZ_OK)
		tui_status(s->tui, "Voided one code of %s.", ss->product_name);
	else if (req->err != BZ_ERR_AUTH)
		tui_status_error(s->tui, "Not voided: %s", err);
	if (ss->code)
		explicit_bzero(ss->code, strlen(ss->code));
	ss->keep_status = true;
	stock_reload(s);
}

/* The batch is there: open the second connection and start the COPY;
 * the ticks send the lines. */
static void
begin_done(struct screen *s, int tag, struct db_request *req)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	struct db_import_batch batch;
	char err[256], why[400];

	if (!tag_is_current(ss, tag) || ss->imp != IMP_BEGIN)
		return;
	if (db_staff_import_begin_result(req, &batch, err, sizeof err) != BZ_OK) {
		snprintf(why, sizeof why, "The import was not begun: %s", err);
		stop_import(ss, req->err == BZ_ERR_AUTH ? NULL : why);
		return;
	}
	snprintf(ss->batch_id, sizeof ss->batch_id, "%s", batch.batch_id);
	db_import_batch_free(&batch);
	if (db_connect(DB_ROLE_STAFF, "bazar console import", &ss->copy_conn, err, sizeof err) != BZ_OK ||
	    db_code_copy_begin(ss->copy_conn, ss->batch_id, &ss->copy, err, sizeof err) != BZ_OK) {
		snprintf(why, sizeof why, "The lines could not be sent, nothing was imported: %s", err);
		stop_import(ss, why);
		return;
	}
	ss->imp = IMP_COPY;
	tui_status(s->tui, "Sending %s: Esc abandons the import.", ss->path);
}

/* Send lines for at most SLICE_MS; at the end of the file end the COPY
 * and ask the server to finish. */
static void
send_slice(struct stock_screen *ss)
{
	struct code_line line;
	struct db_request req;
	int64_t until = monotonic_ms() + SLICE_MS, rows = 0;
	char err[256], why[400];
	int n = 0;

	while (code_file_next(&ss->file, &line)) {
		if (db_code_copy_line(ss->copy, (int64_t)line.line_no, line.text, line.len,
		                      code_flaw_word(line.flaw), err, sizeof err) != BZ_OK) {
			snprintf(why, sizeof why, "Sending the lines failed, nothing was imported: %s", err);
			stop_import(ss, why);
			return;
		}
		/* The clock is read every 256 lines: it is cheap, not free. */
		if (++n % 256 == 0 && monotonic_ms() >= until) {
			db_code_copy_sent(ss->copy, &ss->lines_sent, NULL);
			return;
		}
	}
	if (db_code_copy_end(ss->copy, &rows, err, sizeof err) != BZ_OK) {
		ss->copy = NULL;
		snprintf(why, sizeof why, "Sending the lines failed, nothing was imported: %s", err);
		stop_import(ss, why);
		return;
	}
	ss->copy = NULL;
	ss->lines_sent = rows;
	db_close(ss->copy_conn);
	ss->copy_conn = NULL;
	ss->imp = IMP_FINISH;
	db_staff_import_finish_request(&req, tui_token(ss->base.tui), ss->batch_id);
	tui_call(ss->base.tui, &ss->base, make_tag(ss, CALL_FINISH), &req, TUI_CALL_REPLAY_SAFE,
	         "Checking and moving the codes", finish_done);
}

static void
finish_done(struct screen *s, int tag, struct db_request *req)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	struct db_request next;
	char err[256], why[400];

	if (!tag_is_current(ss, tag) || ss->imp != IMP_FINISH)
		return;
	if (db_staff_import_finish_result(req, &ss->totals, err, sizeof err) != BZ_OK) {
		snprintf(why, sizeof why, "The import failed, nothing was imported: %s", err);
		stop_import(ss, req->err == BZ_ERR_AUTH ? NULL : why);
		return;
	}
	ss->imp = IMP_PROBLEMS;
	db_staff_import_problems_request(&next, tui_token(s->tui), ss->batch_id, 0, PROBLEM_LIMIT);
	tui_call(s->tui, s, make_tag(ss, CALL_PROBLEMS), &next, TUI_CALL_REPLAY_SAFE,
	         "Reading the refused lines", problems_done);
}

static void
problems_done(struct screen *s, int tag, struct db_request *req)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	char err[256];
	const char *label = strrchr(ss->path, '/') ? strrchr(ss->path, '/') + 1 : ss->path;

	if (!tag_is_current(ss, tag) || ss->imp != IMP_PROBLEMS)
		return;
	db_import_problems_free(&ss->problems);
	if (db_staff_import_problems_result(req, &ss->problems, err, sizeof err) != BZ_OK)
		tui_status_error(s->tui, "Imported, but the refused lines cannot be listed: %s", err);
	else
		tui_status(s->tui, "%s: %lld of %lld lines imported. Esc goes back.", label,
		           (long long)ss->totals.imported, (long long)ss->totals.lines);
	free(ss->report_title);
	ss->report_title = xasprintf("%s into %s", label, ss->product_name);
	ss->report_top = 0;
	ss->view = VIEW_REPORT;
	stop_import(ss, NULL);
	ss->keep_status = true;
	stock_reload(s);
}

static bool
stock_tick(struct screen *s, int64_t now_ms)
{
	struct stock_screen *ss = (struct stock_screen *)s;

	(void)now_ms;
	if (ss->imp != IMP_COPY)
		return false;
	send_slice(ss);
	return true;
}

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Keys while a prompt is open. */
static int
prompt_key(struct stock_screen *ss, const struct tui_key *key)
{
	if (ss->prompt == PROMPT_CONFIRM) {
		if (key_is_char(key, L'y') || key_is_char(key, L'Y')) {
			confirmed(ss);
			return SR_HANDLED | SR_REDRAW;
		}
		if (key_is_char(key, L'n') || key_is_char(key, L'N') || key_is_char(key, TUI_KEY_ESC)) {
			ss->prompt = PROMPT_NONE;
			stop_import(ss, NULL);
			tui_status(ss->base.tui, "Cancelled: nothing was changed.");
			return SR_HANDLED | SR_REDRAW;
		}
		return key->is_code ? SR_IGNORED : SR_HANDLED;
	}
	switch (line_edit_key(&ss->edit, key)) {
	case LINE_EDIT_ACCEPT:
		return field_accepted(ss);
	case LINE_EDIT_CANCEL:
		ss->prompt = PROMPT_NONE;
		ss->notice[0] = '\0';
		line_edit_wipe(&ss->edit);
		tui_status(ss->base.tui, "Cancelled: nothing was changed.");
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(ss->base.tui, &ss->edit);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	return SR_IGNORED;
}

static int
stock_handle_key(struct screen *s, const struct tui_key *key)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	long page = ss->visible > 1 ? ss->visible - 1 : 1, delta = 0;

	/* While the batch is begun and its lines go out, only Esc: leaving
	 * the screen would stop the ticks that send them. */
	if (ss->imp == IMP_BEGIN || ss->imp == IMP_COPY) {
		if (key_is_char(key, TUI_KEY_ESC))
			stop_import(ss, "Import abandoned: nothing was imported.");
		return SR_HANDLED | SR_REDRAW;
	}
	if (ss->prompt != PROMPT_NONE)
		return prompt_key(ss, key);
	ss->notice[0] = '\0';
	if (ss->view == VIEW_REPORT) {
		if (key_is_char(key, TUI_KEY_ESC) || key_is_code(key, KEY_LEFT)) {
			ss->view = VIEW_LIST;
			return SR_HANDLED | SR_REDRAW;
		}
	} else if (key_is_char(key, L't')) {
		start_action(ss, ACT_THRESHOLD);
		return SR_HANDLED | SR_REDRAW;
	} else if (key_is_char(key, L'i')) {
		start_action(ss, ACT_IMPORT);
		return SR_HANDLED | SR_REDRAW;
	} else if (key_is_char(key, L'v')) {
		start_action(ss, ACT_VOID);
		return SR_HANDLED | SR_REDRAW;
	} else if (key_is_char(key, L'r')) {
		stock_reload(s);
		return SR_HANDLED;
	} else if (key_is_code(key, KEY_MOUSE)) {
		size_t row = ss->top + (size_t)(key->y - LIST_TOP);
		if (key->y >= LIST_TOP && row < ss->stock.count)
			ss->selected = row;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		delta = -1;
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		delta = 1;
	else if (key_is_code(key, KEY_PPAGE))
		delta = -page;
	else if (key_is_code(key, KEY_NPAGE))
		delta = page;
	else
		return SR_IGNORED;
	if (ss->view == VIEW_REPORT) {
		long t = (long)ss->report_top + delta, last = (long)ss->problems.count - ss->visible;
		ss->report_top = (size_t)(t > last ? (last > 0 ? last : 0) : t < 0 ? 0 : t);
	} else if (ss->stock.count > 0) {
		long sel = (long)ss->selected + delta;
		ss->selected = (size_t)(sel < 0 ? 0 : sel >= (long)ss->stock.count ? (long)ss->stock.count - 1 : sel);
	}
	return SR_HANDLED | SR_REDRAW;
}

/* The products, low ones highlighted and marked. */
static void
draw_list(struct stock_screen *ss, WINDOW *win, int h, int w)
{
	int name_w = w - 2 - 5 * (NUM_W + 1) - 4;
	int x = 1;

	wattrset(win, A_BOLD);
	text_draw(win, 0, 1, w - 2, "Stock: codes per product; LOW when fewer are available than the threshold",
	          TEXT_LEFT);
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 1, 0, ' ', w);
	x += text_draw(win, 1, x, name_w, "Product", TEXT_PAD) + 1;
	x += text_draw(win, 1, x, NUM_W, "Avail", TEXT_RIGHT | TEXT_PAD) + 1;
	x += text_draw(win, 1, x, NUM_W, "Resvd", TEXT_RIGHT | TEXT_PAD) + 1;
	x += text_draw(win, 1, x, NUM_W, "Sold", TEXT_RIGHT | TEXT_PAD) + 1;
	x += text_draw(win, 1, x, NUM_W, "Void", TEXT_RIGHT | TEXT_PAD) + 1;
	x += text_draw(win, 1, x, NUM_W, "Low at", TEXT_RIGHT | TEXT_PAD) + 1;
	wattrset(win, A_NORMAL);
	ss->visible = h - LIST_TOP - 1 > 0 ? h - LIST_TOP - 1 : 1;
	if (ss->stock.count == 0) {
		text_draw(win, LIST_TOP, 2, w - 4, ss->have_stock ? "No products." : text_glyph("\u2026", "..."),
		          TEXT_LEFT);
		return;
	}
	if (ss->selected < ss->top)
		ss->top = ss->selected;
	if (ss->selected >= ss->top + (size_t)ss->visible)
		ss->top = ss->selected - (size_t)ss->visible + 1;
	for (int r = 0; r < ss->visible && ss->top + (size_t)r < ss->stock.count; r++) {
		size_t i = ss->top + (size_t)r;
		const struct db_stock_row *p = &ss->stock.items[i];
		char num[5][24], *name;
		int y = LIST_TOP + r;

		snprintf(num[0], sizeof num[0], "%lld", (long long)p->available);
		snprintf(num[1], sizeof num[1], "%lld", (long long)p->reserved);
		snprintf(num[2], sizeof num[2], "%lld", (long long)p->sold);
		snprintf(num[3], sizeof num[3], "%lld", (long long)p->voided);
		snprintf(num[4], sizeof num[4], "%d", p->low_stock_threshold);
		name = xasprintf("%s%s", p->name, p->is_active ? "" : " (inactive)");
		if (i == ss->selected)
			wattrset(win, crt_attr(COLOR_SELECTED));
		else if (p->low)
			wattrset(win, crt_attr(COLOR_STOCK_LOW));
		mvwhline(win, y, 0, ' ', w);
		x = 1;
		x += text_draw(win, y, x, name_w, name, TEXT_PAD) + 1;
		for (int c = 0; c < 5; c++)
			x += text_draw(win, y, x, NUM_W, num[c], TEXT_RIGHT | TEXT_PAD) + 1;
		if (p->low)
			text_draw(win, y, x, 3, "LOW", TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(name);
	}
}

/* The import's progress bar, in a box over the list. */
static void
draw_progress(struct stock_screen *ss, WINDOW *win, int h, int w)
{
	int bw = w - 8 > 60 ? 60 : w - 8, y = h / 2 - 2, bar = bw - 12, fill, pct;
	size_t done = ss->file_open ? code_file_offset(&ss->file) : 0;
	size_t total = ss->file_open ? ss->file.len : 1;
	char line[160];

	if (bw < 20)
		return;
	pct = ss->imp == IMP_COPY && total ? (int)(done * 100 / total) : 100;
	fill = pct * bar / 100;
	wattrset(win, crt_attr(COLOR_HELP));
	for (int r = 0; r < 5; r++)
		mvwhline(win, y + r, 4, ' ', bw);
	snprintf(line, sizeof line, "Importing into %s", ss->product_name ? ss->product_name : "");
	text_draw(win, y, 6, bw - 4, line, TEXT_LEFT);
	for (int i = 0; i < bar; i++)
		mvwaddch(win, y + 2, 6 + i, i < fill ? '#' : '.');
	snprintf(line, sizeof line, "%3d%%", pct);
	text_draw(win, y + 2, 7 + bar, 5, line, TEXT_LEFT);
	if (ss->imp == IMP_COPY)
		snprintf(line, sizeof line, "%lld lines sent; Esc abandons", (long long)ss->lines_sent);
	else
		snprintf(line, sizeof line, "%lld lines sent; the server checks them",
		         (long long)ss->lines_sent);
	text_draw(win, y + 3, 6, bw - 4, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
}

/* An import's totals, then every refused line, scrollable. */
static void
draw_report(struct stock_screen *ss, WINDOW *win, int h, int w)
{
	char line[200];
	const struct db_import_totals *t = &ss->totals;

	wattrset(win, A_BOLD);
	text_draw(win, 0, 1, w - 2, ss->report_title ? ss->report_title : "", TEXT_LEFT);
	wattrset(win, A_NORMAL);
	snprintf(line, sizeof line, "%lld lines: %lld imported, %lld duplicates, %lld malformed%s",
	         (long long)t->lines, (long long)t->imported, (long long)t->duplicates,
	         (long long)t->malformed, t->again ? " (finished before)" : "");
	text_draw(win, 1, 1, w - 2, line, TEXT_LEFT);
	mvwhline(win, 2, 0, ACS_HLINE, w);
	ss->visible = h - 4 > 0 ? h - 4 : 1;
	if (ss->problems.count == 0) {
		text_draw(win, 3, 2, w - 4, "Every line was imported.", TEXT_LEFT);
		return;
	}
	for (int r = 0; r < ss->visible && ss->report_top + (size_t)r < ss->problems.count; r++) {
		const struct db_import_problem *p = &ss->problems.items[ss->report_top + (size_t)r];
		snprintf(line, sizeof line, "line %lld: %s: %s", (long long)p->line_no, p->kind, p->reason);
		wattrset(win, crt_attr(strcmp(p->kind, "malformed") == 0 ? COLOR_ERROR : COLOR_STOCK_LOW));
		text_draw(win, 3 + r, 2, w - 4, line, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
	snprintf(line, sizeof line, "%zu refused line%s%s; Up/Down scroll, Esc back", ss->problems.count,
	         ss->problems.count == 1 ? "" : "s",
	         ss->problems.count == PROBLEM_LIMIT ? " (the first 10000; bazar import-codes lists all)" : "");
	text_draw(win, h - 1, 1, w - 2, line, TEXT_LEFT);
}

static void
stock_draw(struct screen *s, WINDOW *win)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);

	if (ss->view == VIEW_REPORT)
		draw_report(ss, win, h, w);
	else
		draw_list(ss, win, h, w);
	if (ss->imp == IMP_COPY || ss->imp == IMP_FINISH || ss->imp == IMP_PROBLEMS)
		draw_progress(ss, win, h, w);
	if (ss->notice[0] != '\0') {
		wattrset(win, crt_attr(COLOR_ERROR));
		text_draw(win, h - 1, 0, w, ss->notice, TEXT_PAD);
		wattrset(win, A_NORMAL);
	}
}

static bool
stock_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct stock_screen *ss = (struct stock_screen *)s;
	char *label = NULL;
	int lw;

	switch (ss->prompt) {
	case PROMPT_NONE:
		return false;
	case PROMPT_THRESHOLD:
		label = xasprintf("Low-stock threshold for %s: ", ss->product_name);
		break;
	case PROMPT_PATH:
		label = xasprintf("File of codes for %s: ", ss->product_name);
		break;
	case PROMPT_CODE:
		label = xasprintf("Code of %s to void: ", ss->product_name);
		break;
	case PROMPT_REASON:
		label = xasprintf("Reason for voiding it: ");
		break;
	case PROMPT_CONFIRM:
		if (ss->action == ACT_THRESHOLD)
			label = xasprintf("Set the threshold of %s to %d", ss->product_name, ss->threshold);
		else if (ss->action == ACT_IMPORT)
			label = xasprintf("Import %s into %s", ss->path, ss->product_name);
		else
			label = xasprintf("Void that code of %s (%s)", ss->product_name, ss->reason);
		wattrset(win, crt_attr(COLOR_PROMPT));
		mvwhline(win, 0, 0, ' ', width);
		lw = text_draw(win, 0, 0, width - 6, label, TEXT_LEFT);
		text_draw(win, 0, lw, width - lw, "? y/n", TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(label);
		return true;
	}
	wattrset(win, crt_attr(COLOR_PROMPT));
	lw = text_draw(win, 0, 0, width / 2, label, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(&ss->edit, win, 0, lw, width - lw);
	free(label);
	return true;
}

static const struct screen_key *
stock_keys(const struct screen *s)
{
	const struct stock_screen *ss = (const struct stock_screen *)s;

	if (ss->imp == IMP_BEGIN || ss->imp == IMP_COPY)
		return copy_keys;
	if (ss->prompt == PROMPT_CONFIRM)
		return confirm_keys;
	if (ss->prompt != PROMPT_NONE)
		return field_keys;
	return ss->view == VIEW_REPORT ? report_keys : list_keys;
}
