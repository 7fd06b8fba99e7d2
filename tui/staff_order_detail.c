/* The console's order detail, shared by the Bank transfers and Orders
 * screens; see staff_order_detail.h. Data comes only through the typed
 * calls of db/api.h, run by the manager's queue: nothing here waits for
 * the database. */
#include "config.h"
#include "tui/staff_order_detail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "tui/text.h"

/* An open order awaiting payment is read again this often. */
#define DETAIL_POLL_MS 2000
#define TAG_KIND_BITS 9
#define TAG_KIND_MASK ((1 << TAG_KIND_BITS) - 1)
#define TAG_GENERATION_MASK 0x3ffffu

/* The detail's calls (with STAFF_DETAIL_TAG set). */
enum detail_call {
	DETAIL_HEAD = STAFF_DETAIL_TAG,
	DETAIL_PROOFS,
	DETAIL_CODES,
	DETAIL_IMAGE,
	DETAIL_HISTORY,
};

static const struct screen_key detail_keys_list[] = {
	{ "Esc", "Back", "Back to the list", true },
	{ "c", "Codes", "Reveal the order's codes (every reveal is audited)", true },
	{ "e", "Export", "Save the selected proof's picture to a file you name (audited)", false },
	{ "Tab", "", "Select the next proof", false },
	{ "Up/Down", "", "Scroll (also k/j)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key detail_decide_keys_list[] = {
	{ "Esc", "Back", "Back to the list", false },
	{ "a", "Approve", "The transfer arrived: approve, the codes are delivered (asks first)", true },
	{ "r", "Reject", "No transfer: reject with a reason, the codes go back on sale (asks first)", true },
	{ "c", "", "Reveal the order's codes (every reveal is audited)", false },
	{ "e", "", "Save the selected proof's picture to a file you name (audited)", false },
	{ "Tab", "", "Select the next proof", false },
	{ "Up/Down", "", "Scroll (also k/j)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key export_keys_list[] = {
	{ "Enter", "Save", "Save the picture to this path (an existing file is never overwritten)", true },
	{ "Esc", "Cancel", "Close the prompt, nothing is saved", true },
	{ NULL, NULL, NULL, false },
};

static void clear_data(struct staff_detail *d);
static void scrub_codes(struct staff_detail *d);
static void queue_read(struct staff_detail *d, bool announce);
static void head_done(struct staff_detail *d, struct db_request *req);
static void codes_done(struct staff_detail *d, struct db_request *req);
static void image_done(struct staff_detail *d, struct db_request *req);
static bz_err write_new_file(const char *path, const unsigned char *data, size_t len, char *err,
                             size_t errlen);
static void start_export(struct staff_detail *d);
static void send_export(struct staff_detail *d);
static int export_key(struct staff_detail *d, const struct tui_key *key);
static const struct db_staff_proof *selected_proof(const struct staff_detail *d);
static void format_size(int64_t bytes, char *buf, size_t len);
static void draw_history(struct staff_detail *d, WINDOW *win, int *y);
static void put(WINDOW *win, int *y, int first, int x, const char *text, attr_t attr);
static void put_columns(WINDOW *win, int *y, int first, int x, const char *left, int left_w,
                        const char *mid, int mid_w, const char *right, int right_w);

int
staff_tag(unsigned generation, int kind)
{
	return (int)((generation & TAG_GENERATION_MASK) << TAG_KIND_BITS) | (kind & TAG_KIND_MASK);
}

bool
staff_tag_current(int tag, unsigned generation)
{
	return (((unsigned)tag >> TAG_KIND_BITS) & TAG_GENERATION_MASK) ==
	       (generation & TAG_GENERATION_MASK);
}

int
staff_tag_kind(int tag)
{
	return tag & TAG_KIND_MASK;
}

bool
staff_detail_owns(int tag)
{
	return (staff_tag_kind(tag) & STAFF_DETAIL_TAG) != 0;
}

void
staff_detail_init(struct staff_detail *d, struct screen *owner, tui_done_fn done)
{
	memset(d, 0, sizeof *d);
	d->owner = owner;
	d->done = done;
	d->path.max = LINE_EDIT_MAX;
}

/* Codes are secrets: overwrite them before the memory goes back. */
static void
scrub_codes(struct staff_detail *d)
{
	for (size_t i = 0; i < d->codes.count; i++)
		if (d->codes.items[i].code)
			memset(d->codes.items[i].code, 0, strlen(d->codes.items[i].code));
	db_staff_codes_free(&d->codes);
	memset(&d->codes, 0, sizeof d->codes);
	d->codes_revealed = false;
}

/* Drop everything read about the order. */
static void
clear_data(struct staff_detail *d)
{
	scrub_codes(d);
	db_staff_order_detail_free(&d->head);
	db_staff_proofs_free(&d->proofs);
	db_order_history_free(&d->history);
	memset(&d->head, 0, sizeof d->head);
	memset(&d->proofs, 0, sizeof d->proofs);
	memset(&d->history, 0, sizeof d->history);
	free(d->export_path);
	d->export_path = NULL;
	d->loaded = false;
	d->reading = false;
	d->proof_sel = 0;
	d->scroll = 0;
	d->exporting = false;
	d->next_read_ms = 0;
}

void
staff_detail_open(struct staff_detail *d, const char *order_id)
{
	clear_data(d);
	d->generation++;
	d->open = true;
	snprintf(d->order_id, sizeof d->order_id, "%s", order_id);
	queue_read(d, false);
}

void
staff_detail_close(struct staff_detail *d)
{
	clear_data(d);
	d->generation++;
	d->open = false;
	d->order_id[0] = '\0';
}

void
staff_detail_forget(struct staff_detail *d)
{
	staff_detail_close(d);
	line_edit_wipe(&d->path);
}

/* Head and items, the proofs, then the history, one call each; the
 * history comes last, so its answer ends the read. */
static void
queue_read(struct staff_detail *d, bool announce)
{
	struct tui *tui = d->owner->tui;
	const char *token = tui_token(tui);
	struct db_request req;

	if (token == NULL || !d->open || d->reading)
		return;
	db_staff_order_detail_request(&req, token, d->order_id);
	tui_call(tui, d->owner, staff_tag(d->generation, DETAIL_HEAD), &req, TUI_CALL_REPLAY_SAFE,
	         "Reading the order", d->done);
	db_staff_order_proofs_request(&req, token, d->order_id);
	tui_call(tui, d->owner, staff_tag(d->generation, DETAIL_PROOFS), &req, TUI_CALL_REPLAY_SAFE,
	         "Reading the transfer proofs", d->done);
	db_staff_order_history_request(&req, token, d->order_id);
	tui_call(tui, d->owner, staff_tag(d->generation, DETAIL_HISTORY), &req, TUI_CALL_REPLAY_SAFE,
	         "Reading the order's history", d->done);
	d->reading = true;
	d->announce = announce;
}

void
staff_detail_refresh(struct staff_detail *d)
{
	queue_read(d, false);
}

void
staff_detail_tick(struct staff_detail *d, int64_t now_ms)
{
	if (!d->open || !d->loaded || d->reading || strcmp(d->head.status, "awaiting_payment") != 0 ||
	    tui_calls_pending(d->owner->tui, d->owner) > 0)
		return;
	if (d->next_read_ms == 0) {
		d->next_read_ms = now_ms + DETAIL_POLL_MS;
		return;
	}
	if (now_ms >= d->next_read_ms) {
		d->next_read_ms = 0;
		queue_read(d, true);
	}
}

void
staff_detail_done(struct staff_detail *d, int tag, struct db_request *req)
{
	char err[256];

	if (!staff_tag_current(tag, d->generation) || !d->open)
		return;
	switch (staff_tag_kind(tag)) {
	case DETAIL_HEAD:
		head_done(d, req);
		break;
	case DETAIL_PROOFS: {
		struct db_staff_proofs proofs;

		if (db_staff_order_proofs_result(req, &proofs, err, sizeof err) != BZ_OK) {
			if (req->err != BZ_ERR_AUTH)
				tui_status_error(d->owner->tui, "The transfer proofs could not be read: %s", err);
			break;
		}
		db_staff_proofs_free(&d->proofs);
		d->proofs = proofs;
		if (d->proof_sel >= proofs.count)
			d->proof_sel = 0;
		break;
	}
	case DETAIL_HISTORY: {
		struct db_order_history history;

		d->reading = false;
		if (db_staff_order_history_result(req, &history, err, sizeof err) != BZ_OK) {
			if (req->err != BZ_ERR_AUTH)
				tui_status_error(d->owner->tui, "The order's history could not be read: %s", err);
			break;
		}
		db_order_history_free(&d->history);
		d->history = history;
		break;
	}
	case DETAIL_CODES:
		codes_done(d, req);
		break;
	case DETAIL_IMAGE:
		image_done(d, req);
		break;
	default:
		break;
	}
}

/* The head and items arrived. */
static void
head_done(struct staff_detail *d, struct db_request *req)
{
	struct db_staff_order_detail head;
	char err[256];
	enum crt_color color;
	bz_err rc = db_staff_order_detail_result(req, &head, err, sizeof err);

	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(d->owner->tui, "The order could not be read: %s", err);
		return;
	}
	if (d->announce && d->loaded && strcmp(d->head.status, head.status) != 0)
		tui_status(d->owner->tui, "Order %s is now %s.", head.payment_reference,
		           staff_status_words(head.status, head.decision_reason, head.decided_by_email,
		                              &color));
	db_staff_order_detail_free(&d->head);
	d->head = head;
	d->loaded = true;
}

/* The codes were revealed (and the reveal audited by the server). */
static void
codes_done(struct staff_detail *d, struct db_request *req)
{
	struct db_staff_codes codes;
	char err[256];
	bz_err rc = db_staff_order_codes_result(req, &codes, err, sizeof err);

	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(d->owner->tui, "The codes could not be revealed: %s", err);
		return;
	}
	scrub_codes(d);
	d->codes = codes;
	d->codes_revealed = true;
	tui_status(d->owner->tui, "%zu code%s of %s revealed (audited).", codes.count,
	           codes.count == 1 ? "" : "s", d->loaded ? d->head.payment_reference : "the order");
	/* The reveal is now in the history: show it. */
	queue_read(d, false);
}

/* Create PATH (it must not exist) and write DATA into it. */
static bz_err
write_new_file(const char *path, const unsigned char *data, size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0600);
	size_t done = 0;

	if (fd < 0) {
		if (errno == EEXIST)
			snprintf(err, errlen, "%s exists already; choose another name", path);
		else
			snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return BZ_ERR_IO;
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return BZ_ERR_IO;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(path);
		return BZ_ERR_IO;
	}
	return BZ_OK;
}

/* The picture arrived (its export is audited): write it to the path. */
static void
image_done(struct staff_detail *d, struct db_request *req)
{
	struct db_proof_image image;
	char err[512], size[32];
	char *path = d->export_path;
	bz_err rc = db_staff_proof_image_result(req, &image, err, sizeof err);

	d->export_path = NULL;
	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(d->owner->tui, "The picture could not be read: %s", err);
		free(path);
		return;
	}
	if (path == NULL || write_new_file(path, image.data, image.len, err, sizeof err) != BZ_OK) {
		tui_status_error(d->owner->tui, "Not saved: %s.", path ? err : "no path");
	} else {
		format_size((int64_t)image.len, size, sizeof size);
		tui_status(d->owner->tui, "Saved %s (%s %s, SHA-256 %.8s%s); the export is audited.",
		           path, size, image.content_type, image.sha256, text_glyph("\u2026", "..."));
	}
	db_proof_image_free(&image);
	free(path);
	/* The server audited the export whether or not the file was written. */
	queue_read(d, false);
}

/* The proof 'e' exports, if it has a picture. */
static const struct db_staff_proof *
selected_proof(const struct staff_detail *d)
{
	if (d->proof_sel >= d->proofs.count)
		return NULL;
	return &d->proofs.items[d->proof_sel];
}

/* 'e': open the path prompt, with the picture's file name to start from. */
static void
start_export(struct staff_detail *d)
{
	const struct db_staff_proof *p = selected_proof(d);

	if (p == NULL) {
		tui_status_error(d->owner->tui, "This order has no transfer proof.");
		return;
	}
	if (p->size_bytes == 0) {
		tui_status_error(d->owner->tui,
		                 "Proof %zu is a reference without a picture: nothing to export (Tab selects another).",
		                 d->proof_sel + 1);
		return;
	}
	if (d->export_path != NULL) {
		tui_status(d->owner->tui, "A picture is on its way already.");
		return;
	}
	d->exporting = true;
	/* A path refused a moment ago comes back to be corrected. */
	if (d->path.len == 0)
		line_edit_set(&d->path, p->file_name);
}

/* Enter in the prompt: refuse an empty path or an existing file at once;
 * otherwise fetch the picture (the file is created when it arrives,
 * never over an existing one). */
static void
send_export(struct staff_detail *d)
{
	const struct db_staff_proof *p = selected_proof(d);
	char *path = line_edit_text(&d->path);
	struct stat st;
	struct db_request req;

	if (p == NULL || tui_token(d->owner->tui) == NULL) {
		d->exporting = false;
		free(path);
		return;
	}
	/* Refused: the prompt closes so that the reason shows; e brings the
	 * path back. */
	d->exporting = false;
	if (*path == '\0') {
		tui_status_error(d->owner->tui, "Not saved: type the path of a new file for the picture.");
		free(path);
		return;
	}
	if (lstat(path, &st) == 0) {
		tui_status_error(d->owner->tui, "Not saved: %s exists already; e to choose another name.",
		                 path);
		free(path);
		return;
	}
	line_edit_wipe(&d->path);
	d->export_path = path;
	db_staff_proof_image_request(&req, tui_token(d->owner->tui), p->proof_id);
	tui_call(d->owner->tui, d->owner, staff_tag(d->generation, DETAIL_IMAGE), &req,
	         TUI_CALL_REPLAY_SAFE, "Fetching the proof picture", d->done);
}

/* Keys while the path prompt is open. */
static int
export_key(struct staff_detail *d, const struct tui_key *key)
{
	switch (line_edit_key(&d->path, key)) {
	case LINE_EDIT_ACCEPT:
		send_export(d);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		d->exporting = false;
		line_edit_wipe(&d->path);
		tui_status(d->owner->tui, "Nothing saved.");
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(d->owner->tui, &d->path);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	/* Letters never reach the list behind the prompt. */
	return key->is_code ? SR_IGNORED : SR_HANDLED;
}

int
staff_detail_key(struct staff_detail *d, const struct tui_key *key)
{
	struct db_request req;

	if (d->exporting)
		return export_key(d, key);
	if (key_is_char(key, TUI_KEY_ESC) || key_is_backspace(key)) {
		staff_detail_close(d);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k')) {
		if (d->scroll > 0)
			d->scroll--;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j')) {
		d->scroll++;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'\t') || key_is_char(key, L'n')) {
		if (d->proofs.count > 0)
			d->proof_sel = (d->proof_sel + 1) % d->proofs.count;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'e')) {
		start_export(d);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'c')) {
		if (tui_token(d->owner->tui) == NULL)
			return SR_HANDLED;
		db_staff_order_codes_request(&req, tui_token(d->owner->tui), d->order_id);
		tui_call(d->owner->tui, d->owner, staff_tag(d->generation, DETAIL_CODES), &req,
		         TUI_CALL_REPLAY_SAFE, "Revealing the codes", d->done);
		return SR_HANDLED | SR_REDRAW;
	}
	return SR_IGNORED;
}

const struct screen_key *
staff_detail_keys(const struct staff_detail *d, bool with_decision)
{
	if (d->exporting)
		return export_keys_list;
	return with_decision ? detail_decide_keys_list : detail_keys_list;
}

bool
staff_detail_draw_prompt(struct staff_detail *d, WINDOW *win, int width)
{
	char *label;
	int lw;

	if (!d->exporting)
		return false;
	label = xasprintf("Save proof %zu's picture to: ", d->proof_sel + 1);
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	lw = text_draw(win, 0, 0, width / 2, label, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(&d->path, win, 0, lw, width - lw);
	free(label);
	return true;
}

/* Draw TEXT on row *Y of the long view (shifted up by FIRST rows) if it
 * is on screen; always advance *Y. */
static void
put(WINDOW *win, int *y, int first, int x, const char *text, attr_t attr)
{
	int row = *y - first + 1;

	if (row >= 1 && row < getmaxy(win)) {
		wattrset(win, attr);
		text_draw(win, row, x, getmaxx(win) - x - 1, text, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
	(*y)++;
}

/* Like put, in columns: LEFT in LEFT_W columns, then RIGHT right-aligned
 * in RIGHT_W (product names may be wide characters: measured on screen). */
static void
put_columns(WINDOW *win, int *y, int first, int x, const char *left, int left_w, const char *mid,
            int mid_w, const char *right, int right_w)
{
	int row = *y - first + 1;

	if (row >= 1 && row < getmaxy(win)) {
		text_draw(win, row, x, left_w, left, TEXT_PAD);
		text_draw(win, row, x + left_w + 1, mid_w, mid, TEXT_RIGHT);
		text_draw(win, row, x + left_w + 1 + mid_w + 1, right_w, right, TEXT_RIGHT);
	}
	(*y)++;
}

void
staff_detail_draw(struct staff_detail *d, WINDOW *win)
{
	const struct db_staff_order_detail *h = &d->head;
	int w = getmaxx(win), rows = getmaxy(win) - 1, y = 0, name_w;
	int64_t now_us = staff_now_us();
	char when[32], span[32], money[MONEY_FORMAT_MAX], each[MONEY_FORMAT_MAX], *line;
	enum crt_color color = COLOR_DEFAULT;
	const char *words, *dot = text_glyph("\u00b7", "-");
	bool awaiting;

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	if (!d->loaded) {
		line = xasprintf("Order %.8s (loading%s)", d->order_id, text_glyph("\u2026", "..."));
		text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(line);
		return;
	}
	words = staff_status_words(h->status, h->decision_reason, h->decided_by_email, &color);
	line = xasprintf("Order %s %s %s %s %s", h->payment_reference, dot, words, dot,
	                 staff_method_words(h->payment_method, false));
	text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(line);
	awaiting = strcmp(h->status, "awaiting_payment") == 0;
	if (d->scroll < 0)
		d->scroll = 0;

	text_time(h->created_us, when, sizeof when, "%Y-%m-%d %H:%M:%S");
	staff_format_span(now_us - h->created_us, span, sizeof span);
	line = xasprintf("Customer %s %s placed %s (%s ago)%s%s", h->customer_email, dot, when, span,
	                 h->placed_by_email ? " by phone, staff " : "",
	                 h->placed_by_email ? h->placed_by_email : "");
	put(win, &y, d->scroll, 2, line, A_NORMAL);
	free(line);
	if (awaiting && h->expires_us > 0) {
		text_time(h->expires_us, when, sizeof when, "%Y-%m-%d %H:%M:%S");
		staff_format_span(h->expires_us - now_us, span, sizeof span);
		line = h->expires_us > now_us ? xasprintf("Expires in %s (%s)", span, when)
		                              : xasprintf("Past its time since %s: it will lapse", when);
		put(win, &y, d->scroll, 2, line,
		    crt_attr(h->expires_us - now_us < 3600LL * 1000000 ? COLOR_SOLD_OUT : COLOR_STOCK_LOW));
		free(line);
	}
	if (h->decided_us > 0 || h->decision_reason) {
		text_time(h->decided_us, when, sizeof when, "%Y-%m-%d %H:%M:%S");
		/* A staff decision names who; an expiry (no one) only when. */
		line = h->decided_by_email
		       ? xasprintf("Decided (%s) by %s at %s%s%s", words, h->decided_by_email, when,
		                   h->decision_reason ? ": " : "", h->decision_reason ? h->decision_reason : "")
		       : xasprintf("Closed (%s) at %s", words, when);
		put(win, &y, d->scroll, 2, line, crt_attr(color));
		free(line);
	}

	name_w = w - 4 - 1 - 15 - 1 - 11 - 2;
	if (name_w > 50)
		name_w = 50;
	for (size_t i = 0; i < h->count; i++) {
		const struct db_order_item *it = &h->items[i];

		char *each_text;

		money_format(it->unit_price_cents, each, sizeof each);
		money_format(it->line_total_cents, money, sizeof money);
		line = xasprintf("%lld %s %s", (long long)it->quantity, text_glyph("\u00d7", "x"),
		                 it->product_name);
		each_text = xasprintf("%s each", each);
		put_columns(win, &y, d->scroll, 4, line, name_w, each_text, 15, money, 11);
		free(each_text);
		free(line);
	}
	money_format(h->subtotal_cents, money, sizeof money);
	money_format(-h->discount_cents, each, sizeof each);
	line = h->promo_code ? xasprintf("Subtotal %s %s promo %s %s", money, dot, h->promo_code, each)
	                     : xasprintf("Subtotal %s %s no promo", money, dot);
	put(win, &y, d->scroll, 4, line, A_NORMAL);
	free(line);
	money_format(h->total_cents, money, sizeof money);
	line = xasprintf("Total %s %s reference %s", money, dot, h->payment_reference);
	put(win, &y, d->scroll, 4, line, A_BOLD);
	free(line);

	line = xasprintf("Transfer proofs: %zu%s", d->proofs.count,
	                 d->proofs.count > 1 ? " (Tab selects, e exports the picture)"
	                 : d->proofs.count == 1 ? " (e exports the picture)" : "");
	put(win, &y, d->scroll, 2, line, crt_attr(COLOR_CATEGORY));
	free(line);
	for (size_t i = 0; i < d->proofs.count; i++) {
		const struct db_staff_proof *p = &d->proofs.items[i];
		bool sel = i == d->proof_sel && d->proofs.count > 1;

		text_time(p->created_us, when, sizeof when, "%Y-%m-%d %H:%M:%S");
		line = xasprintf("%s%zu. %s  ref \"%s\"", sel ? text_glyph("\u25b8", ">") : " ", i + 1, when,
		                 p->reference);
		put(win, &y, d->scroll, 3, line, sel ? A_BOLD : A_NORMAL);
		free(line);
		if (p->size_bytes > 0) {
			format_size(p->size_bytes, span, sizeof span);
			line = xasprintf("%s %s %s %s %s", p->file_name ? p->file_name : "?", dot,
			                 p->content_type ? p->content_type : "?", dot, span);
			put(win, &y, d->scroll, 7, line, A_NORMAL);
			free(line);
			line = xasprintf("SHA-256 %s", p->sha256 ? p->sha256 : "?");
			put(win, &y, d->scroll, 7, line, A_NORMAL);
			free(line);
		} else {
			put(win, &y, d->scroll, 7, "(a reference without a picture)", A_NORMAL);
		}
	}

	if (d->codes_revealed) {
		put(win, &y, d->scroll, 2,
		    d->codes.count ? "Codes, revealed (audited):" : "Codes revealed (audited): none on this order",
		    crt_attr(COLOR_CATEGORY));
		for (size_t i = 0; i < d->codes.count; i++) {
			const struct db_staff_code *c = &d->codes.items[i];

			line = xasprintf("%s  %s  (%s)", c->product_name, c->code, c->status);
			put(win, &y, d->scroll, 4, line, A_BOLD);
			free(line);
		}
	} else {
		put(win, &y, d->scroll, 2, "Codes: hidden; c reveals them (the reveal is audited).",
		    crt_attr(COLOR_STATUS));
	}
	draw_history(d, win, &y);
	/* Don't scroll past the end: clamp and draw again, once (the clamped
	 * scroll passes this test). */
	if (d->scroll > 0 && y - d->scroll < rows) {
		d->scroll = y > rows ? y - rows : 0;
		werase(win);
		staff_detail_draw(d, win);
	}
}

/* The order's time line under the rest: when, what, who, details. */
static void
draw_history(struct staff_detail *d, WINDOW *win, int *y)
{
	char when[32], *line;

	put(win, y, d->scroll, 2,
	    d->history.count ? "History:" : "History: (reading)", crt_attr(COLOR_CATEGORY));
	for (size_t i = 0; i < d->history.count; i++) {
		const struct db_order_event *e = &d->history.items[i];

		staff_format_clock(e->at_us, when, sizeof when);
		line = xasprintf("%s  %s%s%s%s%s", when, e->event, e->actor_email ? " by " : "",
		                 e->actor_email ? e->actor_email : "", e->detail[0] ? ": " : "", e->detail);
		put(win, y, d->scroll, 4, line, A_NORMAL);
		free(line);
	}
}

/* "512 B", "12.3 kB", "4.8 MB". */
static void
format_size(int64_t bytes, char *buf, size_t len)
{
	if (bytes < 1024)
		snprintf(buf, len, "%lld B", (long long)bytes);
	else if (bytes < 1024 * 1024)
		snprintf(buf, len, "%.1f kB", (double)bytes / 1024.0);
	else
		snprintf(buf, len, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
}

int64_t
staff_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
staff_format_span(int64_t span_us, char *buf, size_t len)
{
	long long s = span_us > 0 ? (long long)(span_us / 1000000) : 0;

	if (s >= 86400)
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, len, "%lldm", s / 60);
	else
		snprintf(buf, len, "%llds", s);
}

void
staff_format_clock(int64_t us, char *buf, size_t len)
{
	time_t t = (time_t)(us / 1000000), now = time(NULL);
	struct tm tm, today;
	bool is_today = us > 0 && localtime_r(&t, &tm) != NULL && localtime_r(&now, &today) != NULL &&
	                tm.tm_yday == today.tm_yday && tm.tm_year == today.tm_year;

	text_time(us, buf, len, is_today ? "%H:%M:%S" : "%Y-%m-%d %H:%M:%S");
}

const char *
staff_status_words(const char *status, const char *decision_reason, const char *decided_by_email,
                   enum crt_color *color)
{
	if (strcmp(status, "awaiting_payment") == 0) {
		*color = COLOR_STOCK_LOW;
		return "awaiting";
	}
	if (strcmp(status, "fulfilled") == 0 || strcmp(status, "paid") == 0) {
		*color = COLOR_PRICE;
		return status;
	}
	*color = COLOR_SOLD_OUT;
	if (strcmp(status, "cancelled") == 0) {
		/* An expiry has no staff member; a rejection has one. */
		if (decided_by_email != NULL)
			return "rejected";
		if (decision_reason != NULL && strcmp(decision_reason, "expired") == 0)
			return "expired";
		return "cancelled";
	}
	*color = COLOR_DEFAULT;
	return status;
}

const char *
staff_method_words(const char *method, bool short_form)
{
	if (strcmp(method, "bank_transfer") == 0)
		return short_form ? "bank" : "bank transfer";
	return method;
}
