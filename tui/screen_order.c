/* One order: what was bought and paid, its status in words, and the
 * codes once it is fulfilled (the seed's order-success page: shown right
 * after Pay, and from My orders). For a bank transfer awaiting payment:
 * the shop's bank account, the reference to write on the transfer, what
 * happens next, and a form to attach the reference and a picture of the
 * receipt. Re-read every few seconds while it awaits payment, so a staff
 * approval shows up by itself. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/money.h"
#include "core/proof.h"
#include "core/submit_guard.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/screens.h"
#include "tui/text.h"

/* While an order awaits payment, look again this often. */
#define POLL_MS 3000

enum order_tag { TAG_INFO, TAG_ITEMS, TAG_CODES, TAG_PROOF };

/* Which field of the proof form is open, if any. */
enum proof_field { PROOF_NONE, PROOF_REFERENCE, PROOF_IMAGE };

struct order_screen {
	struct screen base;
	char order_id[DB_UUID_SIZE];
	struct db_order_info info;
	bool info_loaded;
	struct db_order items;
	struct db_code_list codes;
	int scroll;                   /* first body row shown of the long view */
	int64_t next_poll_ms;
	enum proof_field field;
	struct line_edit reference;
	struct line_edit image_path;
	struct submit_guard proof_guard;
	char proof_msg[384];
	bool proof_msg_is_error;
};

extern const struct screen_ops screen_order_ops;

static const struct screen_key view_keys[] = {
	{ "Up/Down", "", "Scroll (also k/j)", false },
	{ "t", "Attach", "Awaiting payment: attach the transfer reference (and a receipt picture)", true },
	{ "Esc", "Back", "Back to your orders", true },
	{ NULL, NULL, NULL, false },
};

/* A paid, rejected or expired order: there is nothing to attach. */
static const struct screen_key settled_keys[] = {
	{ "Up/Down", "", "Scroll (also k/j)", false },
	{ "Esc", "Back", "Back to your orders", true },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key form_keys[] = {
	{ "Enter", "Next", "Reference: go on to the picture; picture: send both", true },
	{ "Esc", "Cancel", "Close the form, nothing is sent", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *order_create(struct tui *tui);
static void order_destroy(struct screen *s);
static void order_draw(struct screen *s, WINDOW *win);
static int order_handle_key(struct screen *s, const struct tui_key *key);
static void order_reload(struct screen *s);
static const struct screen_key *order_keys(const struct screen *s);
static void order_forget(struct screen *s);
static bool order_tick(struct screen *s, int64_t now_ms);
static bool order_draw_prompt(struct screen *s, WINDOW *win, int width);
static void done_cb(struct screen *s, int tag, struct db_request *req);
static void clear_data(struct order_screen *os);
static void load_info(struct order_screen *os);
static int form_key(struct order_screen *os, const struct tui_key *key);
static void send_proof(struct order_screen *os);
static bz_err read_image(const char *path, unsigned char **data, size_t *len, char *err,
                         size_t errlen);
static const char *status_words(const struct db_order_info *info, enum crt_color *color);
static int put(WINDOW *win, int *y, int first, int x, const char *text, attr_t attr);
static void put_columns(WINDOW *win, int *y, int first, int x, const char *left, int left_w,
                        const char *right, int right_w, attr_t attr);

const struct screen_ops screen_order_ops = {
	.name = "order",
	.title = "Order",
	.create = order_create,
	.destroy = order_destroy,
	.draw = order_draw,
	.draw_prompt = order_draw_prompt,
	.handle_key = order_handle_key,
	.reload = order_reload,
	.keys = order_keys,
	.forget = order_forget,
	.tick = order_tick,
	.needs_login = true,
};

static struct screen *
order_create(struct tui *tui)
{
	struct order_screen *os = xcalloc(1, sizeof *os);

	os->base.ops = &screen_order_ops;
	os->base.tui = tui;
	os->reference.max = 200;
	os->image_path.max = LINE_EDIT_MAX;
	guard_init(&os->proof_guard, tui_submit_guard(tui));
	return &os->base;
}

/* Drop the order's data (codes are secrets: the structs scrub nothing,
 * so this is also what forget relies on to release them). */
static void
clear_data(struct order_screen *os)
{
	for (size_t i = 0; i < os->codes.count; i++)
		if (os->codes.items[i].code)
			memset(os->codes.items[i].code, 0, strlen(os->codes.items[i].code));
	db_code_list_free(&os->codes);
	db_order_free(&os->items);
	db_order_info_free(&os->info);
	memset(&os->codes, 0, sizeof os->codes);
	memset(&os->items, 0, sizeof os->items);
	memset(&os->info, 0, sizeof os->info);
	os->info_loaded = false;
}

static void
order_destroy(struct screen *s)
{
	struct order_screen *os = (struct order_screen *)s;

	clear_data(os);
	line_edit_wipe(&os->reference);
	line_edit_wipe(&os->image_path);
	free(os);
}

static void
order_forget(struct screen *s)
{
	struct order_screen *os = (struct order_screen *)s;

	clear_data(os);
	os->order_id[0] = '\0';
	os->field = PROOF_NONE;
	line_edit_wipe(&os->reference);
	line_edit_wipe(&os->image_path);
	os->proof_msg[0] = '\0';
}

void
order_screen_open(struct tui *tui, const char *order_id)
{
	struct order_screen *os = (struct order_screen *)tui_screen(tui, "order");

	if (os == NULL)
		return;
	if (strcmp(os->order_id, order_id) != 0) {
		clear_data(os);
		snprintf(os->order_id, sizeof os->order_id, "%s", order_id);
		os->scroll = 0;
		os->field = PROOF_NONE;
		os->proof_msg[0] = '\0';
	}
	/* Shows it and reloads it (or logs in first, then comes back). */
	tui_show(tui, "order");
}

/* The head of the order first; items and codes follow from its answer. */
static void
load_info(struct order_screen *os)
{
	struct db_request req;
	const char *token = tui_token(os->base.tui);

	if (token == NULL || os->order_id[0] == '\0')
		return;
	db_my_order_info_request(&req, token, os->order_id);
	tui_call(os->base.tui, &os->base, TAG_INFO, &req, TUI_CALL_REPLAY_SAFE, "Reading the order",
	         done_cb);
	os->next_poll_ms = 0;
}

static void
order_reload(struct screen *s)
{
	struct order_screen *os = (struct order_screen *)s;

	if (tui_calls_pending(s->tui, s) == 0)
		load_info(os);
}

static void
done_cb(struct screen *s, int tag, struct db_request *req)
{
	struct order_screen *os = (struct order_screen *)s;
	struct db_request next;
	const char *token = tui_token(s->tui);
	char err[256];

	switch (tag) {
	case TAG_INFO: {
		struct db_order_info info;
		bool was_awaiting = os->info_loaded && os->info.status &&
		                    strcmp(os->info.status, "awaiting_payment") == 0;

		if (db_my_order_info_result(req, &info, err, sizeof err) != BZ_OK) {
			tui_status_error(s->tui, "The order could not be read: %s", err);
			return;
		}
		db_order_info_free(&os->info);
		os->info = info;
		os->info_loaded = true;
		if (was_awaiting && strcmp(info.status, "awaiting_payment") != 0)
			tui_status(s->tui, "%s", strcmp(info.status, "fulfilled") == 0
			           ? "Your payment was approved: here are your codes."
			           : "This order is closed; see its status.");
		if (token == NULL)
			return;
		db_my_order_request(&next, token, os->order_id);
		tui_call(s->tui, s, TAG_ITEMS, &next, TUI_CALL_REPLAY_SAFE, "Reading the items", done_cb);
		if (strcmp(info.status, "fulfilled") == 0) {
			db_my_codes_request(&next, token, os->order_id);
			tui_call(s->tui, s, TAG_CODES, &next, TUI_CALL_REPLAY_SAFE, "Reading your codes",
			         done_cb);
		}
		break;
	}
	case TAG_ITEMS: {
		struct db_order items;

		if (db_my_order_result(req, &items, err, sizeof err) == BZ_OK) {
			db_order_free(&os->items);
			os->items = items;
		}
		break;
	}
	case TAG_CODES: {
		struct db_code_list codes;

		if (db_my_codes_result(req, &codes, err, sizeof err) == BZ_OK) {
			db_code_list_free(&os->codes);
			os->codes = codes;
		} else {
			tui_status_error(s->tui, "Your codes could not be read: %s (F5 tries again)", err);
		}
		break;
	}
	case TAG_PROOF: {
		struct db_proof proof;
		bz_err rc = db_attach_proof_result(req, &proof, err, sizeof err);

		guard_done(&os->proof_guard);
		if (rc == BZ_OK) {
			snprintf(os->proof_msg, sizeof os->proof_msg, "Attached%s. Staff will check it.",
			         proof.size_bytes > 0 ? " with the picture" : "");
			os->proof_msg_is_error = false;
			line_edit_wipe(&os->reference);
			line_edit_wipe(&os->image_path);
			os->field = PROOF_NONE;
			db_proof_free(&proof);
			load_info(os);
		} else {
			/* Not replayed after a lost answer: say so, the shopper
			 * looks before sending again. */
			snprintf(os->proof_msg, sizeof os->proof_msg, "%s%s", err,
			         rc == BZ_ERR_CONNECTION ? " (check the order's proofs before sending again)" : "");
			os->proof_msg_is_error = true;
		}
		break;
	}
	default:
		break;
	}
}

/* The file at PATH, if it is a regular file of at most PROOF_MAX_BYTES;
 * read one byte more than allowed so an oversized file is told apart. */
static bz_err
read_image(const char *path, unsigned char **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t have = 0;
	unsigned char *buf;

	*data = NULL;
	*len = 0;
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return BZ_ERR_INVALID_INPUT;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", path);
		close(fd);
		return BZ_ERR_INVALID_INPUT;
	}
	if ((uintmax_t)st.st_size > PROOF_MAX_BYTES) {
		snprintf(err, errlen, "%s is %.1f MB, over the %u MB limit",
		         strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
		         (double)st.st_size / (1024.0 * 1024.0), PROOF_MAX_BYTES / (1024u * 1024u));
		close(fd);
		return BZ_ERR_INVALID_INPUT;
	}
	buf = xmalloc(PROOF_MAX_BYTES + 1);
	for (;;) {
		ssize_t n = read(fd, buf + have, PROOF_MAX_BYTES + 1 - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return BZ_ERR_INVALID_INPUT;
		}
		if (n == 0 || have + (size_t)n > PROOF_MAX_BYTES) {
			have += (size_t)n;
			break;
		}
		have += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = have;
	return BZ_OK;
}

/* Check both fields, read and check the picture, send. */
static void
send_proof(struct order_screen *os)
{
	char *ref = line_edit_text(&os->reference), *path = line_edit_text(&os->image_path);
	unsigned char *image = NULL;
	size_t image_len = 0;
	const char *type = NULL, *name = NULL;
	char err[256];
	struct db_request req;

	if (proof_reference_check(ref, err, sizeof err) != BZ_OK) {
		os->field = PROOF_REFERENCE;
		goto refuse;
	}
	if (*path) {
		if (read_image(path, &image, &image_len, err, sizeof err) != BZ_OK ||
		    proof_check(image, image_len, &type, err, sizeof err) != BZ_OK)
			goto refuse;
		name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	}
	if (guard_submit(&os->proof_guard) == GUARD_BUSY)
		goto out;
	db_attach_proof_request(&req, tui_token(os->base.tui), os->order_id, ref, name, type, image,
	                        image_len);
	tui_call(os->base.tui, &os->base, TAG_PROOF, &req, 0, "Attaching your transfer proof", done_cb);
	snprintf(os->proof_msg, sizeof os->proof_msg, "Sending%s", text_glyph("\u2026", "..."));
	os->proof_msg_is_error = false;
	goto out;
refuse:
	snprintf(os->proof_msg, sizeof os->proof_msg, "Not sent: %s.", err);
	os->proof_msg_is_error = true;
out:
	free(image);
	free(ref);
	free(path);
}

/* Keys while the proof form is open. */
static int
form_key(struct order_screen *os, const struct tui_key *key)
{
	struct line_edit *le = os->field == PROOF_REFERENCE ? &os->reference : &os->image_path;

	if (guard_busy(&os->proof_guard))
		return key->is_code ? SR_IGNORED : SR_HANDLED;
	switch (line_edit_key(le, key)) {
	case LINE_EDIT_ACCEPT:
		if (os->field == PROOF_REFERENCE)
			os->field = PROOF_IMAGE;
		else
			send_proof(os);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		os->field = PROOF_NONE;
		os->proof_msg[0] = '\0';
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(os->base.tui, le);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	return SR_IGNORED;
}

static int
order_handle_key(struct screen *s, const struct tui_key *key)
{
	struct order_screen *os = (struct order_screen *)s;

	if (os->field != PROOF_NONE)
		return form_key(os, key);
	if (key_is_char(key, TUI_KEY_ESC) || key_is_backspace(key)) {
		tui_show(s->tui, "orders");
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k')) {
		if (os->scroll > 0)
			os->scroll--;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j')) {
		os->scroll++;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L't') && os->info_loaded &&
	    strcmp(os->info.status, "awaiting_payment") == 0) {
		os->field = PROOF_REFERENCE;
		if (os->reference.len == 0)
			line_edit_set(&os->reference, os->info.payment_reference);
		os->proof_msg[0] = '\0';
		return SR_HANDLED | SR_REDRAW;
	}
	return SR_IGNORED;
}

/* The order's state in words, and the colour that goes with it. */
static const char *
status_words(const struct db_order_info *info, enum crt_color *color)
{
	if (strcmp(info->status, "fulfilled") == 0) {
		*color = COLOR_STOCK_OK;
		return "Paid and delivered";
	}
	if (strcmp(info->status, "awaiting_payment") == 0) {
		*color = COLOR_STOCK_LOW;
		return "Awaiting approval of your bank transfer";
	}
	*color = COLOR_SOLD_OUT;
	if (strcmp(info->status, "cancelled") == 0)
		return info->decision_reason && strcmp(info->decision_reason, "expired") == 0
		       ? "Expired: no payment arrived in time; nothing was charged"
		       : "Rejected by the shop";
	return info->status;
}

/* Draw TEXT on row *Y of the long view (shifted up by FIRST rows) if it
 * is on screen; always advance *Y. Returns the columns drawn. */
static int
put(WINDOW *win, int *y, int first, int x, const char *text, attr_t attr)
{
	int row = *y - first + 1, drawn = 0;

	if (row >= 1 && row < getmaxy(win)) {
		wattrset(win, attr);
		drawn = text_draw(win, row, x, getmaxx(win) - x - 1, text, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
	(*y)++;
	return drawn;
}

/* Like put, in two columns measured on screen (a product name may be
 * CJK: printf's %-40.40s would count bytes and cut a character in two):
 * LEFT cut or padded to LEFT_W columns, a blank, then RIGHT, right-aligned
 * in RIGHT_W columns (or left-aligned in the rest when RIGHT_W is 0). */
static void
put_columns(WINDOW *win, int *y, int first, int x, const char *left, int left_w,
            const char *right, int right_w, attr_t attr)
{
	int row = *y - first + 1, rest = getmaxx(win) - x - 1 - left_w - 1;

	if (row >= 1 && row < getmaxy(win) && rest > 0) {
		wattrset(win, attr);
		text_draw(win, row, x, left_w, left, TEXT_PAD);
		text_draw(win, row, x + left_w + 1, right_w > 0 && right_w < rest ? right_w : rest, right,
		          right_w > 0 ? TEXT_RIGHT : TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
	(*y)++;
}

static void
order_draw(struct screen *s, WINDOW *win)
{
	struct order_screen *os = (struct order_screen *)s;
	const struct db_order_info *in = &os->info;
	int w = getmaxx(win), y = 0, rows;
	char when[64], money[MONEY_FORMAT_MAX], *line;
	enum crt_color color = COLOR_DEFAULT;
	const char *words;
	bool awaiting;

	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	line = os->info_loaded ? xasprintf("Order %s", in->payment_reference)
	                       : xstrdup(os->order_id[0] ? "Order (loading...)" : "No order chosen");
	text_draw(win, 0, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	free(line);
	if (!os->info_loaded)
		return;
	awaiting = strcmp(in->status, "awaiting_payment") == 0;
	/* The long view, scrolled as one. */
	rows = getmaxy(win) - 1;
	if (os->scroll < 0)
		os->scroll = 0;
	words = status_words(in, &color);
	text_time(in->created_us, when, sizeof when, "%a %d %b %H:%M");
	line = xasprintf("Placed %s %s %s", when, text_glyph("\u00b7", "-"),
	                 strcmp(in->payment_method, "wallet") == 0 ? "paid from your wallet" : "bank transfer");
	put(win, &y, os->scroll, 2, line, A_NORMAL);
	free(line);
	put(win, &y, os->scroll, 2, words, crt_attr(color) | A_BOLD);
	y++;
	for (size_t i = 0; i < os->items.count; i++) {
		const struct db_order_item *it = &os->items.items[i];

		money_format(it->line_total_cents, money, sizeof money);
		line = xasprintf("%lld %s %s", (long long)it->quantity, text_glyph("\u00d7", "x"),
		                 it->product_name);
		put_columns(win, &y, os->scroll, 4, line, 44, money, 12, A_NORMAL);
		free(line);
	}
	if (in->discount_cents > 0) {
		money_format(-in->discount_cents, money, sizeof money);
		line = xasprintf("Discount (%s) %s", in->promo_code ? in->promo_code : "promo", money);
		put(win, &y, os->scroll, 4, line, crt_attr(COLOR_PRICE));
		free(line);
	}
	money_format(in->total_cents, money, sizeof money);
	line = xasprintf("Total %s %s", awaiting ? "to pay" : "paid", money);
	put(win, &y, os->scroll, 4, line, A_BOLD);
	free(line);
	y++;
	if (strcmp(in->status, "fulfilled") == 0) {
		put(win, &y, os->scroll, 2, os->codes.count ? "Your codes:" : "Your codes (loading...)",
		    crt_attr(COLOR_CATEGORY));
		for (size_t i = 0; i < os->codes.count; i++)
			put_columns(win, &y, os->scroll, 4, os->codes.items[i].product_name, 34,
			            os->codes.items[i].code, 0, A_BOLD);
		put(win, &y, os->scroll, 2, "They are in My orders (F4) too, and on their way by e-mail.",
		    crt_attr(COLOR_STATUS));
	} else if (awaiting) {
		text_time(in->expires_us, when, sizeof when, "%a %d %b %H:%M");
		line = xasprintf("Please transfer %s by %s to:", money, when);
		put(win, &y, os->scroll, 2, line, crt_attr(COLOR_CATEGORY));
		free(line);
		if (in->iban) {
			line = xasprintf("%s, %s", in->account_holder, in->bank_name);
			put(win, &y, os->scroll, 4, line, A_NORMAL);
			free(line);
			line = xasprintf("IBAN %s   BIC %s", in->iban, in->bic);
			put(win, &y, os->scroll, 4, line, A_BOLD);
			free(line);
		} else {
			put(win, &y, os->scroll, 4, "(the shop has not set up its bank account: ask staff)",
			    crt_attr(COLOR_STOCK_LOW));
		}
		line = xasprintf("Reference: %s  (write exactly this on the transfer)", in->payment_reference);
		put(win, &y, os->scroll, 4, line, A_BOLD);
		free(line);
		put(win, &y, os->scroll, 2,
		    "Next: staff check your transfer and approve the order; your codes then show",
		    crt_attr(COLOR_STATUS));
		line = xasprintf("here by themselves, and by e-mail. Unpaid by %s, it lapses.", when);
		put(win, &y, os->scroll, 2, line, crt_attr(COLOR_STATUS));
		free(line);
		line = xasprintf("Proofs attached: %lld. Press t to attach the reference and a receipt.",
		                 (long long)in->proofs);
		put(win, &y, os->scroll, 2, line, A_NORMAL);
		free(line);
	} else if (in->decision_reason && strcmp(in->decision_reason, "expired") != 0) {
		line = xasprintf("The shop's note: %s", in->decision_reason);
		put(win, &y, os->scroll, 2, line, A_NORMAL);
		free(line);
	}
	if (os->proof_msg[0])
		put(win, &y, os->scroll, 2, os->proof_msg,
		    crt_attr(os->proof_msg_is_error ? COLOR_ERROR : COLOR_STOCK_OK));
	/* Don't scroll past the end. */
	if (os->scroll > 0 && y - os->scroll < rows)
		os->scroll = y > rows ? y - rows : 0;
}

/* The proof form on the status line. */
static bool
order_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct order_screen *os = (struct order_screen *)s;
	const char *label = os->field == PROOF_REFERENCE ? "Transfer reference: "
	                    : "Receipt picture, PNG/JPEG up to 5 MB (path, or empty for none): ";
	int lw;

	if (os->field == PROOF_NONE)
		return false;
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	lw = text_draw(win, 0, 0, width / 2 + 10, label, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(os->field == PROOF_REFERENCE ? &os->reference : &os->image_path, win, 0, lw,
	               width - lw);
	return true;
}

static const struct screen_key *
order_keys(const struct screen *s)
{
	const struct order_screen *os = (const struct order_screen *)s;

	if (os->field != PROOF_NONE)
		return form_keys;
	/* t only works while the order awaits its transfer. */
	return os->info_loaded && strcmp(os->info.status, "awaiting_payment") != 0 ? settled_keys
	                                                                             : view_keys;
}

/* Live: an order awaiting payment is read again every few seconds. */
static bool
order_tick(struct screen *s, int64_t now_ms)
{
	struct order_screen *os = (struct order_screen *)s;

	if (!os->info_loaded || strcmp(os->info.status, "awaiting_payment") != 0 ||
	    tui_calls_pending(s->tui, NULL) > 0)
		return false;
	if (os->next_poll_ms == 0) {
		os->next_poll_ms = now_ms + POLL_MS;
		return false;
	}
	if (now_ms < os->next_poll_ms)
		return false;
	load_info(os);
	return false;
}
