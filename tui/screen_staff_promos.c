/* The console's Promos screen (F11): every promo with its usage (used of
 * max as a bar meter, with the uses held in carts right now), its end
 * date in UTC and its state in colour; 's' cycles the sort, '/' narrows
 * by code. 'n' opens the new-promo form, 'e' the form for the selected
 * promo's dates and limits, 'd' / 'a' switch it off / on. Every change
 * is confirmed (y/n on the status line) and audited by the server; with
 * --readonly each is refused on the screen before any call.
 *
 * The form checks every field with core/promo_form.h first (dates are
 * typed and shown in UTC: see there why), and an edit checks max uses
 * against the usage the list showed; the server checks both again under
 * the promo's row lock, and its sentence is shown under the form, which
 * stays open with what was typed.
 *
 * Live: the list is read again every POLL_MS while it is shown (holds
 * come and go by themselves), at most one read in flight. Creating a
 * promo is not replayed after a lost connection (db/api.h): the list is
 * read again and the staff member told to look before trying again. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/money.h"
#include "core/promo.h"
#include "core/promo_form.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/text.h"

#define POLL_MS 5000
#define SEARCH_MAX 32
/* Rows above the list (title, columns) and below it (a rule, two detail lines). */
#define LIST_TOP 2
#define DETAIL_ROWS 3
/* Fixed column widths at 80 columns; the code column takes what is left. */
#define DISC_W 11
#define USED_W 9
#define METER_W 10
#define HOLDS_W 5
#define UNTIL_W 16
#define STATE_W 9
/* The form: label column, field width. */
#define LABEL_W 16
#define FIELD_W 18
#define FORM_TOP 2

enum mode {
	MODE_LIST,
	MODE_SEARCH,    /* the search line is open on the status line */
	MODE_FORM,      /* the new / edit form fills the body */
	MODE_CONFIRM,   /* y/n on the status line */
};

enum action {
	ACT_CREATE,
	ACT_UPDATE,
	ACT_OFF,
	ACT_ON,
};

enum sort_order { SORT_NEWEST, SORT_CODE, SORT_USAGE, SORT_UNTIL, SORT_N };

enum promos_call {
	CALL_LIST,
	CALL_CHANGE,
};

struct promos_screen {
	struct screen base;          /* first: the manager sees a struct screen */
	unsigned generation;         /* bumped by forget: older answers are dropped */
	enum mode mode;

	struct db_staff_promos list; /* owned; newest first as the server sends it */
	bool have_list;
	bool list_pending, list_again;
	int64_t last_poll_ms;
	size_t *view;                /* owned; indexes into list, filtered and sorted */
	size_t nview;
	char selected_code[PROMO_CODE_BUF_SIZE];  /* kept across reloads */
	size_t selected, top;
	int visible;
	enum sort_order sort;
	char search_text[SEARCH_MAX + 1];
	struct line_edit search;

	/* The form. */
	bool creating;
	enum promo_type type;
	struct line_edit field[PF_COUNT];
	enum promo_field focus;
	char form_error[200];
	char edit_code[PROMO_CODE_BUF_SIZE];  /* the promo being edited */
	int64_t edit_used, edit_held;

	/* What y would do. */
	enum action action;
	struct promo_values values;
	char act_code[PROMO_CODE_BUF_SIZE];
	char question[240];
	bool change_running;
};

extern const struct screen_ops screen_staff_promos_ops;

static const char *const sort_names[SORT_N] = { "newest", "code", "usage", "end date" };

static const struct screen_key list_keys[] = {
	{ "n", "New", "Create a promo (a form; asks y/n before saving)", true },
	{ "e", "Edit", "Edit the selected promo's dates and limits", false },
	{ "d", "Off", "Deactivate the selected promo (y/n): shoppers can no longer apply it", false },
	{ "a", "", "Activate the selected promo again (y/n)", false },
	{ "s", "", "Sort: newest, code, usage (used + held of max), end date", false },
	{ "/", "", "Show only codes containing a text (empty: all)", false },
	{ "Up/Down", "", "Move the selection (also k/j, or click a row)", false },
	{ "r", "", "Read the list again (same as F5; it also refreshes by itself)", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key form_keys[] = {
	{ "Enter", "Save", "Check the form, then ask y/n before saving", true },
	{ "Esc", "Cancel", "Close the form; nothing is changed", true },
	{ "Tab/Down", "", "Next field (Shift-Tab/Up: previous)", false },
	{ "Space", "", "On Type: switch between percentage and fixed amount", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key search_keys[] = {
	{ "Enter", "OK", "Show only codes containing this text", true },
	{ "Esc", "Cancel", "Close the line; the filter stays as it was", true },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key confirm_keys[] = {
	{ "y", "Yes", "Do it (it is audited)", true },
	{ "n", "No", "Do not (also Esc)", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *promos_create(struct tui *tui);
static void promos_destroy(struct screen *s);
static void promos_draw(struct screen *s, WINDOW *win);
static bool promos_draw_prompt(struct screen *s, WINDOW *win, int width);
static int promos_handle_key(struct screen *s, const struct tui_key *key);
static void promos_reload(struct screen *s);
static const struct screen_key *promos_keys(const struct screen *s);
static void promos_forget(struct screen *s);
static bool promos_tick(struct screen *s, int64_t now_ms);

static void clear_all(struct promos_screen *ps);
static int make_tag(const struct promos_screen *ps, enum promos_call call);
static bool tag_is_current(const struct promos_screen *ps, int tag);
static void request_list(struct promos_screen *ps);
static void list_done(struct screen *s, int tag, struct db_request *req);
static void change_done(struct screen *s, int tag, struct db_request *req);
static void rebuild_view(struct promos_screen *ps);
static int compare_rows(const struct promos_screen *ps, const struct db_staff_promo *a,
                        const struct db_staff_promo *b);
static const struct db_staff_promo *selected_promo(const struct promos_screen *ps);
static bool refuse_readonly(struct promos_screen *ps, const char *what);
static void open_form(struct promos_screen *ps, bool creating);
static bool form_shows(const struct promos_screen *ps, enum promo_field f);
static void form_move(struct promos_screen *ps, int delta);
static void form_submit(struct promos_screen *ps);
static void ask_switch(struct promos_screen *ps, bool on);
static void send_change(struct promos_screen *ps);
static int form_key(struct promos_screen *ps, const struct tui_key *key);
static int search_key(struct promos_screen *ps, const struct tui_key *key);
static int confirm_key(struct promos_screen *ps, const struct tui_key *key);
static int list_key(struct promos_screen *ps, const struct tui_key *key);
static void limit_text(int64_t v, char *buf, size_t len);
static attr_t state_attr(const char *state);
static const char *state_words(const char *state);
static void draw_meter(WINDOW *win, int y, int x, int w, const struct db_staff_promo *p);
static void draw_list(struct promos_screen *ps, WINDOW *win, int h, int w);
static void draw_form(struct promos_screen *ps, WINDOW *win, int h, int w);

const struct screen_ops screen_staff_promos_ops = {
	.name = "promos",
	.title = "Promos",
	.create = promos_create,
	.destroy = promos_destroy,
	.draw = promos_draw,
	.draw_prompt = promos_draw_prompt,
	.handle_key = promos_handle_key,
	.reload = promos_reload,
	.keys = promos_keys,
	.forget = promos_forget,
	.tick = promos_tick,
	.needs_login = true,
};

static struct screen *
promos_create(struct tui *tui)
{
	struct promos_screen *ps = xcalloc(1, sizeof *ps);

	ps->base.ops = &screen_staff_promos_ops;
	ps->base.tui = tui;
	ps->visible = 1;
	return &ps->base;
}

static void
promos_destroy(struct screen *s)
{
	struct promos_screen *ps = (struct promos_screen *)s;

	clear_all(ps);
	free(ps);
}

/* Free and scrub everything, keeping base and generation. */
static void
clear_all(struct promos_screen *ps)
{
	struct screen base = ps->base;
	unsigned generation = ps->generation;

	db_staff_promos_free(&ps->list);
	free(ps->view);
	for (int i = 0; i < PF_COUNT; i++)
		line_edit_wipe(&ps->field[i]);
	line_edit_wipe(&ps->search);
	memset(ps, 0, sizeof *ps);
	ps->base = base;
	ps->generation = generation;
	ps->visible = 1;
}

/* Log-out: the list and any typed form go; answers on their way are dropped. */
static void
promos_forget(struct screen *s)
{
	struct promos_screen *ps = (struct promos_screen *)s;

	clear_all(ps);
	ps->generation++;
}

static int
make_tag(const struct promos_screen *ps, enum promos_call call)
{
	return (int)((ps->generation & 0xffffffu) << 2) | (int)call;
}

static bool
tag_is_current(const struct promos_screen *ps, int tag)
{
	return (unsigned)tag >> 2 == (ps->generation & 0xffffffu);
}

static void
promos_reload(struct screen *s)
{
	request_list((struct promos_screen *)s);
}

/* Read the list; if a read is in flight, one more goes when it is back. */
static void
request_list(struct promos_screen *ps)
{
	struct db_request req;

	if (tui_token(ps->base.tui) == NULL)
		return;
	if (ps->list_pending) {
		ps->list_again = true;
		return;
	}
	ps->list_pending = true;
	db_staff_promos_request(&req, tui_token(ps->base.tui));
	tui_call(ps->base.tui, &ps->base, make_tag(ps, CALL_LIST), &req,
	         TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE, "Reading the promos", list_done);
}

/* Every POLL_MS while the list is on screen: holds expire by themselves. */
static bool
promos_tick(struct screen *s, int64_t now_ms)
{
	struct promos_screen *ps = (struct promos_screen *)s;

	if (ps->mode == MODE_FORM || ps->list_pending || tui_token(s->tui) == NULL)
		return false;
	if (now_ms - ps->last_poll_ms >= POLL_MS) {
		ps->last_poll_ms = now_ms;
		if (ps->have_list)
			request_list(ps);
	}
	return false;
}

static void
list_done(struct screen *s, int tag, struct db_request *req)
{
	struct promos_screen *ps = (struct promos_screen *)s;
	struct db_staff_promos fresh = { NULL, 0 };
	char err[256];
	bz_err rc;

	if (!tag_is_current(ps, tag))
		return;
	ps->list_pending = false;
	rc = db_staff_promos_result(req, &fresh, err, sizeof err);
	if (ps->list_again) {
		ps->list_again = false;
		request_list(ps);
	}
	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(s->tui, "The promos could not be read: %s", err);
		return;
	}
	db_staff_promos_free(&ps->list);
	ps->list = fresh;
	if (!ps->have_list)
		tui_status(s->tui, "%zu promo%s: n new, e edit, d deactivate, a activate, s sort, / search",
		           fresh.count, fresh.count == 1 ? "" : "s");
	ps->have_list = true;
	rebuild_view(ps);
}

/* The sort's order of two promos; ties by code. */
static int
compare_rows(const struct promos_screen *ps, const struct db_staff_promo *a,
             const struct db_staff_promo *b)
{
	int64_t ua, ub;

	switch (ps->sort) {
	case SORT_NEWEST:
		if (a->created_us != b->created_us)
			return a->created_us > b->created_us ? -1 : 1;
		break;
	case SORT_USAGE:
		/* Fullest first, in thousandths of max; unlimited last. */
		ua = a->max_uses > 0 ? (a->used_count + a->live_holds) * 1000 / a->max_uses : -1;
		ub = b->max_uses > 0 ? (b->used_count + b->live_holds) * 1000 / b->max_uses : -1;
		if (ua != ub)
			return ua > ub ? -1 : 1;
		break;
	case SORT_UNTIL:
		/* Soonest end first; never-ending last. */
		ua = a->valid_until_us > 0 ? a->valid_until_us : INT64_MAX;
		ub = b->valid_until_us > 0 ? b->valid_until_us : INT64_MAX;
		if (ua != ub)
			return ua < ub ? -1 : 1;
		break;
	case SORT_CODE:
	case SORT_N:
		break;
	}
	return strcmp(a->code, b->code);
}

/* The filtered, sorted view (an insertion sort: a shop has tens of
 * promos); the selection stays on its code. */
static void
rebuild_view(struct promos_screen *ps)
{
	size_t n = 0;

	free(ps->view);
	ps->view = xcalloc(ps->list.count ? ps->list.count : 1, sizeof *ps->view);
	for (size_t i = 0; i < ps->list.count; i++) {
		const struct db_staff_promo *p = &ps->list.items[i];
		size_t j;

		if (ps->search_text[0] != '\0' && strcasestr(p->code, ps->search_text) == NULL)
			continue;
		for (j = n; j > 0 && compare_rows(ps, p, &ps->list.items[ps->view[j - 1]]) < 0; j--)
			ps->view[j] = ps->view[j - 1];
		ps->view[j] = i;
		n++;
	}
	ps->nview = n;
	ps->selected = 0;
	for (size_t j = 0; j < n; j++)
		if (strcmp(ps->list.items[ps->view[j]].code, ps->selected_code) == 0)
			ps->selected = j;
	if (ps->top > ps->selected)
		ps->top = ps->selected;
}

static const struct db_staff_promo *
selected_promo(const struct promos_screen *ps)
{
	if (ps->selected >= ps->nview)
		return NULL;
	return &ps->list.items[ps->view[ps->selected]];
}

/* --readonly: say so and refuse WHAT before anything is asked. */
static bool
refuse_readonly(struct promos_screen *ps, const char *what)
{
	if (!tui_readonly(ps->base.tui))
		return false;
	tui_status_error(ps->base.tui, "This console is read-only (--readonly): %s is refused.", what);
	return true;
}

/* The new-promo form (empty) or the edit form (the selected promo's values). */
static void
open_form(struct promos_screen *ps, bool creating)
{
	const struct db_staff_promo *p = selected_promo(ps);
	char buf[MONEY_FORMAT_MAX + PROMO_FORM_TIME_BUF_SIZE];

	if (refuse_readonly(ps, creating ? "creating a promo" : "editing a promo"))
		return;
	if (ps->change_running) {
		tui_status_error(ps->base.tui, "A change is on its way: wait for its answer first.");
		return;
	}
	if (!creating && p == NULL) {
		tui_status_error(ps->base.tui, "Select a promo first, then e edits its dates and limits.");
		return;
	}
	for (int i = 0; i < PF_COUNT; i++) {
		line_edit_wipe(&ps->field[i]);
		ps->field[i].max = i == PF_CODE ? PROMO_CODE_MAX : 20;
	}
	ps->creating = creating;
	ps->form_error[0] = '\0';
	ps->type = PROMO_PERCENTAGE;
	ps->focus = creating ? PF_CODE : PF_MIN_ORDER;
	if (!creating) {
		snprintf(ps->edit_code, sizeof ps->edit_code, "%s", p->code);
		ps->edit_used = p->used_count;
		ps->edit_held = p->live_holds;
		(void)promo_type_parse(p->discount_type, &ps->type);
		money_format(p->min_order_cents, buf, sizeof buf);
		line_edit_set(&ps->field[PF_MIN_ORDER], p->min_order_cents > 0 ? buf : "");
		limit_text(p->max_uses, buf, sizeof buf);
		line_edit_set(&ps->field[PF_MAX_USES], buf);
		limit_text(p->per_user_limit, buf, sizeof buf);
		line_edit_set(&ps->field[PF_PER_USER], buf);
		promo_form_format_time(p->valid_from_us, buf, sizeof buf);
		line_edit_set(&ps->field[PF_FROM], buf);
		promo_form_format_time(p->valid_until_us, buf, sizeof buf);
		line_edit_set(&ps->field[PF_UNTIL], buf);
	}
	ps->mode = MODE_FORM;
	tui_status(ps->base.tui, "%s: Tab moves, Enter saves (asks y/n), Esc cancels.",
	           creating ? "New promo" : ps->edit_code);
}

/* A limit as the form shows it: "" for unlimited. */
static void
limit_text(int64_t v, char *buf, size_t len)
{
	if (v > 0)
		snprintf(buf, len, "%lld", (long long)v);
	else if (len > 0)
		buf[0] = '\0';
}

static bool
form_shows(const struct promos_screen *ps, enum promo_field f)
{
	return ps->creating || f >= PF_MIN_ORDER;
}

/* Tab / Down (+1), Shift-Tab / Up (-1), wrapping over the shown fields. */
static void
form_move(struct promos_screen *ps, int delta)
{
	int f = (int)ps->focus;

	do
		f = (f + delta + PF_COUNT) % PF_COUNT;
	while (!form_shows(ps, (enum promo_field)f));
	ps->focus = (enum promo_field)f;
}

/* Enter in the form: check every field, then ask y/n. */
static void
form_submit(struct promos_screen *ps)
{
	const char *texts[PF_COUNT];
	char *owned[PF_COUNT];
	char value[32], until[PROMO_FORM_TIME_BUF_SIZE], limit[32];
	enum promo_field bad = PF_CODE;
	bz_err rc;

	for (int i = 0; i < PF_COUNT; i++)
		texts[i] = owned[i] = line_edit_text(&ps->field[i]);
	memset(&ps->values, 0, sizeof ps->values);
	rc = promo_form_check(texts, ps->type, ps->creating, &ps->values, &bad, ps->form_error,
	                      sizeof ps->form_error);
	if (rc == BZ_OK && !ps->creating) {
		bad = PF_MAX_USES;
		rc = promo_form_check_max_uses(ps->edit_code, ps->values.max_uses, ps->edit_used,
		                               ps->edit_held, ps->form_error, sizeof ps->form_error);
	}
	for (int i = 0; i < PF_COUNT; i++)
		free(owned[i]);
	if (rc != BZ_OK) {
		ps->focus = bad;
		return;
	}
	ps->form_error[0] = '\0';
	promo_form_format_time(ps->values.valid_until_us, until, sizeof until);
	limit_text(ps->values.max_uses, limit, sizeof limit);
	if (ps->creating) {
		promo_form_value_text(ps->type, ps->values.value, value, sizeof value);
		ps->action = ACT_CREATE;
		snprintf(ps->act_code, sizeof ps->act_code, "%s", ps->values.code);
		snprintf(ps->question, sizeof ps->question, "Create %s: %s, max uses %s, until %s? y/n",
		         ps->values.code, value, limit[0] ? limit : "unlimited", until[0] ? until : "never");
	} else {
		ps->action = ACT_UPDATE;
		snprintf(ps->act_code, sizeof ps->act_code, "%s", ps->edit_code);
		snprintf(ps->question, sizeof ps->question, "Save %s: max uses %s, until %s? y/n",
		         ps->edit_code, limit[0] ? limit : "unlimited", until[0] ? until : "never");
	}
	ps->mode = MODE_CONFIRM;
}

/* 'd' / 'a': ask before switching the selected promo off / on. */
static void
ask_switch(struct promos_screen *ps, bool on)
{
	const struct db_staff_promo *p = selected_promo(ps);

	if (refuse_readonly(ps, on ? "activating a promo" : "deactivating a promo"))
		return;
	if (p == NULL) {
		tui_status_error(ps->base.tui, "Select a promo first.");
		return;
	}
	if (ps->change_running) {
		tui_status_error(ps->base.tui, "A change is on its way: wait for its answer first.");
		return;
	}
	if (p->is_active == on) {
		tui_status(ps->base.tui, "%s is already %s.", p->code, on ? "active" : "off");
		return;
	}
	ps->action = on ? ACT_ON : ACT_OFF;
	snprintf(ps->act_code, sizeof ps->act_code, "%s", p->code);
	if (on)
		snprintf(ps->question, sizeof ps->question, "Activate %s again? y/n", p->code);
	else
		snprintf(ps->question, sizeof ps->question,
		         "Deactivate %s (used %lld, %lld held)? Shoppers can no longer apply it. y/n",
		         p->code, (long long)p->used_count, (long long)p->live_holds);
	ps->mode = MODE_CONFIRM;
}

/* 'y': send the change. Checked for --readonly once more. */
static void
send_change(struct promos_screen *ps)
{
	struct db_request req;
	struct db_promo_spec spec;
	struct db_promo_limits limits;
	const char *token = tui_token(ps->base.tui);
	char what[80];
	unsigned flags = TUI_CALL_REPLAY_SAFE;

	ps->mode = ps->action == ACT_CREATE || ps->action == ACT_UPDATE ? MODE_FORM : MODE_LIST;
	if (refuse_readonly(ps, "changing a promo") || token == NULL)
		return;
	switch (ps->action) {
	case ACT_CREATE:
		spec = (struct db_promo_spec){
			.code = ps->values.code, .discount_type = promo_type_name(ps->values.type),
			.discount_value = ps->values.value, .min_order_cents = ps->values.min_order_cents,
			.max_uses = ps->values.max_uses, .per_user_limit = ps->values.per_user_limit,
			.valid_from_us = ps->values.valid_from_us, .valid_until_us = ps->values.valid_until_us,
		};
		db_staff_promo_create_request(&req, token, &spec);
		flags = 0;  /* not replayed: see db/api.h */
		snprintf(what, sizeof what, "Creating %s", ps->act_code);
		break;
	case ACT_UPDATE:
		limits = (struct db_promo_limits){
			.valid_from_us = ps->values.valid_from_us, .valid_until_us = ps->values.valid_until_us,
			.max_uses = ps->values.max_uses, .per_user_limit = ps->values.per_user_limit,
			.min_order_cents = ps->values.min_order_cents,
		};
		db_staff_promo_update_request(&req, token, ps->act_code, &limits);
		snprintf(what, sizeof what, "Saving %s", ps->act_code);
		break;
	case ACT_OFF:
	case ACT_ON:
		db_staff_promo_set_active_request(&req, token, ps->act_code, ps->action == ACT_ON);
		snprintf(what, sizeof what, "%s %s", ps->action == ACT_ON ? "Activating" : "Deactivating",
		         ps->act_code);
		break;
	}
	ps->change_running = true;
	tui_call(ps->base.tui, &ps->base, make_tag(ps, CALL_CHANGE), &req, flags, what, change_done);
}

static void
change_done(struct screen *s, int tag, struct db_request *req)
{
	struct promos_screen *ps = (struct promos_screen *)s;
	struct db_promo_created created;
	struct db_promo_update updated;
	char err[256] = "";
	bool unchanged = false;
	bz_err rc = BZ_OK;

	if (!tag_is_current(ps, tag))
		return;
	ps->change_running = false;
	switch (ps->action) {
	case ACT_CREATE:
		rc = db_staff_promo_create_result(req, &created, err, sizeof err);
		if (rc == BZ_OK)
			db_promo_created_free(&created);
		break;
	case ACT_UPDATE:
		rc = db_staff_promo_update_result(req, &updated, err, sizeof err);
		if (rc == BZ_OK) {
			unchanged = !updated.changed;
			db_promo_update_free(&updated);
		}
		break;
	case ACT_OFF:
	case ACT_ON:
		rc = db_staff_promo_set_active_result(req, err, sizeof err);
		break;
	}
	if (rc == BZ_ERR_AUTH)
		return;
	if (rc == BZ_ERR_CONNECTION && ps->action == ACT_CREATE) {
		tui_status_error(s->tui, "Connection lost while creating %s: it may or may not exist; "
		                 "the list is read again, look before retrying.", ps->act_code);
		ps->mode = MODE_LIST;
	} else if (rc != BZ_OK) {
		/* The server's sentence under the form (or on the status line). */
		if (ps->mode == MODE_FORM)
			snprintf(ps->form_error, sizeof ps->form_error, "%s", err);
		tui_status_error(s->tui, "Refused: %s", err);
		return;
	} else {
		snprintf(ps->selected_code, sizeof ps->selected_code, "%s", ps->act_code);
		ps->mode = MODE_LIST;
		tui_status(s->tui, "%s %s%s.", ps->act_code,
		           ps->action == ACT_CREATE ? "created" : ps->action == ACT_UPDATE ? "saved"
		           : ps->action == ACT_ON ? "activated" : "deactivated",
		           unchanged ? " (nothing was different)" : "");
	}
	for (int i = 0; i < PF_COUNT; i++)
		line_edit_wipe(&ps->field[i]);
	request_list(ps);
}

/* Keys in the form: fields, Tab, the type toggle, Enter, Esc. */
static int
form_key(struct promos_screen *ps, const struct tui_key *key)
{
	if (key_is_char(key, L'\t') || key_is_code(key, KEY_DOWN)) {
		form_move(ps, 1);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_BTAB) || key_is_code(key, KEY_UP)) {
		form_move(ps, -1);
		return SR_HANDLED | SR_REDRAW;
	}
	if (ps->focus == PF_TYPE && (key_is_char(key, L' ') || key_is_code(key, KEY_LEFT) ||
	                             key_is_code(key, KEY_RIGHT))) {
		ps->type = ps->type == PROMO_PERCENTAGE ? PROMO_FIXED : PROMO_PERCENTAGE;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_enter(key)) {
		if (ps->change_running)
			return SR_HANDLED;
		form_submit(ps);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, TUI_KEY_ESC)) {
		for (int i = 0; i < PF_COUNT; i++)
			line_edit_wipe(&ps->field[i]);
		ps->mode = MODE_LIST;
		tui_status(ps->base.tui, "Form closed: nothing was changed.");
		return SR_HANDLED | SR_REDRAW;
	}
	if (ps->focus == PF_TYPE)
		return key->is_code ? SR_IGNORED : SR_HANDLED;
	switch (line_edit_key(&ps->field[ps->focus], key)) {
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(ps->base.tui, &ps->field[ps->focus]);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_ACCEPT:
	case LINE_EDIT_CANCEL:
	case LINE_EDIT_IGNORED:
		break;
	}
	return SR_IGNORED;
}

static int
search_key(struct promos_screen *ps, const struct tui_key *key)
{
	char *text;

	switch (line_edit_key(&ps->search, key)) {
	case LINE_EDIT_ACCEPT:
		text = line_edit_text(&ps->search);
		snprintf(ps->search_text, sizeof ps->search_text, "%s", text);
		free(text);
		ps->mode = MODE_LIST;
		rebuild_view(ps);
		tui_status(ps->base.tui, ps->search_text[0] ? "%zu promo%s match" : "All %zu promo%s",
		           ps->nview, ps->nview == 1 ? "" : "s");
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		ps->mode = MODE_LIST;
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(ps->base.tui, &ps->search);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	return SR_IGNORED;
}

static int
confirm_key(struct promos_screen *ps, const struct tui_key *key)
{
	if (key_is_char(key, L'y') || key_is_char(key, L'Y')) {
		send_change(ps);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'n') || key_is_char(key, L'N') || key_is_char(key, TUI_KEY_ESC)) {
		/* A form goes back to the form, with what was typed. */
		ps->mode = ps->action == ACT_CREATE || ps->action == ACT_UPDATE ? MODE_FORM : MODE_LIST;
		tui_status(ps->base.tui, "Not done: nothing was changed.");
		return SR_HANDLED | SR_REDRAW;
	}
	return key->is_code ? SR_IGNORED : SR_HANDLED;
}

/* Up/Down/PgUp/PgDn/Home/End and clicks over the list. */
static int
list_key(struct promos_screen *ps, const struct tui_key *key)
{
	long page = ps->visible > 1 ? ps->visible - 1 : 1, delta, sel;

	if (key_is_code(key, KEY_MOUSE)) {
		size_t row;

		if (key->y < LIST_TOP || key->y >= LIST_TOP + ps->visible)
			return SR_HANDLED;
		row = ps->top + (size_t)(key->y - LIST_TOP);
		if (row < ps->nview)
			ps->selected = row;
		delta = 0;
	} else if (key_is_code(key, KEY_UP) || key_is_char(key, L'k')) {
		delta = -1;
	} else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j')) {
		delta = 1;
	} else if (key_is_code(key, KEY_PPAGE)) {
		delta = -page;
	} else if (key_is_code(key, KEY_NPAGE)) {
		delta = page;
	} else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g')) {
		delta = -(LONG_MAX / 2);
	} else if (key_is_code(key, KEY_END) || key_is_char(key, L'G')) {
		delta = LONG_MAX / 2;
	} else {
		return SR_IGNORED;
	}
	if (ps->nview == 0)
		return SR_HANDLED;
	sel = (long)ps->selected;
	sel = delta > 0 && sel + delta >= (long)ps->nview ? (long)ps->nview - 1
	      : delta < 0 && sel + delta < 0 ? 0 : sel + delta;
	ps->selected = (size_t)sel;
	snprintf(ps->selected_code, sizeof ps->selected_code, "%s",
	         ps->list.items[ps->view[ps->selected]].code);
	return SR_HANDLED | SR_REDRAW;
}

static int
promos_handle_key(struct screen *s, const struct tui_key *key)
{
	struct promos_screen *ps = (struct promos_screen *)s;

	switch (ps->mode) {
	case MODE_FORM:
		return form_key(ps, key);
	case MODE_SEARCH:
		return search_key(ps, key);
	case MODE_CONFIRM:
		return confirm_key(ps, key);
	case MODE_LIST:
		break;
	}
	if (key_is_char(key, L'n')) {
		open_form(ps, true);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'e')) {
		open_form(ps, false);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'd') || key_is_char(key, L'a')) {
		ask_switch(ps, key_is_char(key, L'a'));
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L's')) {
		ps->sort = (enum sort_order)((ps->sort + 1) % SORT_N);
		rebuild_view(ps);
		tui_status(s->tui, "Sorted by %s.", sort_names[ps->sort]);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'/')) {
		ps->search.max = SEARCH_MAX;
		line_edit_set(&ps->search, ps->search_text);
		ps->mode = MODE_SEARCH;
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, L'r')) {
		request_list(ps);
		return SR_HANDLED;
	}
	return list_key(ps, key);
}

/* The colour of a state, by meaning. */
static attr_t
state_attr(const char *state)
{
	if (strcmp(state, "active") == 0)
		return crt_attr(COLOR_PRICE);
	if (strcmp(state, "scheduled") == 0)
		return crt_attr(COLOR_CATEGORY);
	if (strcmp(state, "used_up") == 0)
		return crt_attr(COLOR_STOCK_LOW);
	return crt_attr(COLOR_SOLD_OUT);  /* expired, off */
}

/* A state in words ("used up"). */
static const char *
state_words(const char *state)
{
	return strcmp(state, "used_up") == 0 ? "used up" : state;
}

/* htop's meter: [|||::    ] uses '|', live holds ':', of max uses; for
 * an unlimited promo the bracket holds its use count. */
static void
draw_meter(WINDOW *win, int y, int x, int w, const struct db_staff_promo *p)
{
	int inner = w - 2, used = 0, held = 0;
	char label[24];

	if (inner < 1)
		return;
	if (p->max_uses > 0) {
		used = (int)((p->used_count * inner + p->max_uses - 1) / p->max_uses);
		held = (int)(((p->used_count + p->live_holds) * inner + p->max_uses - 1) / p->max_uses) - used;
		if (used > inner)
			used = inner;
		if (used + held > inner)
			held = inner - used;
	}
	mvwaddch(win, y, x, '[');
	wattrset(win, crt_attr(COLOR_PRICE) | A_BOLD);
	for (int i = 0; i < used; i++)
		mvwaddch(win, y, x + 1 + i, '|');
	wattrset(win, crt_attr(COLOR_STOCK_LOW));
	for (int i = 0; i < held; i++)
		mvwaddch(win, y, x + 1 + used + i, ':');
	wattrset(win, A_NORMAL);
	if (p->max_uses <= 0) {
		snprintf(label, sizeof label, "no max");
		text_draw(win, y, x + 1, inner, label, TEXT_RIGHT | TEXT_PAD);
	} else {
		mvwhline(win, y, x + 1 + used + held, ' ', inner - used - held);
	}
	mvwaddch(win, y, x + w - 1, ']');
}

/* The table, the selected promo in full below it. */
static void
draw_list(struct promos_screen *ps, WINDOW *win, int h, int w)
{
	int code_w = w - (1 + 1 + DISC_W + 1 + USED_W + 1 + METER_W + 1 + HOLDS_W + 1 + UNTIL_W + 1 +
	                  STATE_W);
	const struct db_staff_promo *sel;
	char line[320], a[40], b[40], c[MONEY_FORMAT_MAX], d[PROMO_FORM_TIME_BUF_SIZE];
	const char *titles[] = { "Code", "Discount", "Used/max", "", "Holds", "Until (UTC)", "State" };
	int widths[] = { code_w, DISC_W, USED_W, METER_W, HOLDS_W, UNTIL_W, STATE_W };
	int x;

	if (code_w < 6)
		code_w = widths[0] = 6;
	snprintf(line, sizeof line, "Promos: %zu%s%s%s of %zu, sorted by %s%s", ps->nview,
	         ps->search_text[0] ? " matching \"" : "", ps->search_text,
	         ps->search_text[0] ? "\"" : "", ps->list.count, sort_names[ps->sort],
	         tui_readonly(ps->base.tui) ? "  (read-only)" : "");
	wattrset(win, A_BOLD);
	text_draw(win, 0, 1, w - 2, ps->have_list ? line : text_glyph("Promos\u2026", "Promos..."), TEXT_LEFT);
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 1, 0, ' ', w);
	x = 1;
	for (int i = 0; i < 7 && x < w; i++) {
		text_draw(win, 1, x, widths[i], titles[i],
		          i == 2 || i == 4 ? TEXT_RIGHT : TEXT_LEFT);
		x += widths[i] + 1;
	}
	wattrset(win, A_NORMAL);

	ps->visible = h - LIST_TOP - DETAIL_ROWS > 0 ? h - LIST_TOP - DETAIL_ROWS : 1;
	if (ps->have_list && ps->nview == 0) {
		text_draw(win, LIST_TOP + 1, 2, w - 4, ps->list.count ? "No code matches: / changes the search."
		          : "No promos yet: n creates one.", TEXT_LEFT);
	}
	if (ps->selected < ps->top)
		ps->top = ps->selected;
	if (ps->selected >= ps->top + (size_t)ps->visible)
		ps->top = ps->selected - (size_t)ps->visible + 1;
	for (int row = 0; row < ps->visible && ps->top + (size_t)row < ps->nview; row++) {
		size_t i = ps->top + (size_t)row;
		const struct db_staff_promo *p = &ps->list.items[ps->view[i]];
		enum promo_type type = PROMO_FIXED;
		int y = LIST_TOP + row;
		bool is_sel = i == ps->selected;

		(void)promo_type_parse(p->discount_type, &type);
		promo_form_value_text(type, p->discount_value, a, sizeof a);
		if (p->max_uses > 0)
			snprintf(b, sizeof b, "%lld/%lld", (long long)p->used_count, (long long)p->max_uses);
		else
			snprintf(b, sizeof b, "%lld/%s", (long long)p->used_count, text_glyph("\u221e", "-"));
		promo_form_format_time(p->valid_until_us, d, sizeof d);
		wattrset(win, is_sel ? crt_attr(COLOR_SELECTED) : A_NORMAL);
		mvwhline(win, y, 0, ' ', w);
		x = 1;
		x += text_draw(win, y, x, code_w, p->code, TEXT_PAD) + 1;
		x += text_draw(win, y, x, DISC_W, a, TEXT_PAD) + 1;
		x += text_draw(win, y, x, USED_W, b, TEXT_RIGHT | TEXT_PAD) + 1;
		draw_meter(win, y, x, METER_W, p);
		wattrset(win, is_sel ? crt_attr(COLOR_SELECTED) : A_NORMAL);
		x += METER_W + 1;
		snprintf(c, sizeof c, "%lld", (long long)p->live_holds);
		x += text_draw(win, y, x, HOLDS_W, c, TEXT_RIGHT | TEXT_PAD) + 1;
		x += text_draw(win, y, x, UNTIL_W, d[0] ? d : "never", TEXT_PAD) + 1;
		if (!is_sel)
			wattrset(win, state_attr(p->state));
		text_draw(win, y, x, STATE_W, state_words(p->state), TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}

	sel = selected_promo(ps);
	mvwhline(win, h - DETAIL_ROWS, 0, ACS_HLINE, w);
	if (sel == NULL)
		return;
	money_format(sel->min_order_cents, c, sizeof c);
	limit_text(sel->per_user_limit, b, sizeof b);
	promo_form_format_time(sel->valid_from_us, d, sizeof d);
	snprintf(line, sizeof line, "%s: min order %s, per customer %s, from %s (UTC)", sel->code, c,
	         b[0] ? b : "no limit", d[0] ? d : "always");
	wattrset(win, A_BOLD);
	text_draw(win, h - DETAIL_ROWS + 1, 1, w - 2, line, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	limit_text(sel->max_uses, b, sizeof b);
	snprintf(line, sizeof line, "used %lld (%lld by orders) + %lld held in carts, of %s; %s%s",
	         (long long)sel->used_count, (long long)sel->redemptions, (long long)sel->live_holds,
	         b[0] ? b : "no max", state_words(sel->state),
	         tui_readonly(ps->base.tui) ? "" : sel->is_active ? "  (e edit, d off)"
	         : "  (e edit, a on)");
	text_draw(win, h - DETAIL_ROWS + 2, 1, w - 2, line, TEXT_LEFT);
}

/* The form: one row per field, a hint beside it, the error under it. */
static void
draw_form(struct promos_screen *ps, WINDOW *win, int h, int w)
{
	static const char *const labels[PF_COUNT] = {
		"Code", "Type", "Discount", "Minimum order", "Max uses", "Per customer", "Valid from",
		"Valid until",
	};
	char hints[PF_COUNT][80], title[160];
	int y = FORM_TOP, fw = w - 2 - LABEL_W - 2 < FIELD_W ? w - 2 - LABEL_W - 2 : FIELD_W;

	snprintf(hints[PF_CODE], sizeof hints[0], "3-32 letters, digits, - or _");
	snprintf(hints[PF_TYPE], sizeof hints[0], "Space switches");
	snprintf(hints[PF_VALUE], sizeof hints[0], "%s",
	         ps->type == PROMO_PERCENTAGE ? "percent, 1 to 100" : "amount off, e.g. 5.00");
	snprintf(hints[PF_MIN_ORDER], sizeof hints[0], "e.g. 20.00; empty: none");
	if (ps->creating)
		snprintf(hints[PF_MAX_USES], sizeof hints[0], "empty: unlimited");
	else
		snprintf(hints[PF_MAX_USES], sizeof hints[0], "empty: unlimited; >= %lld (used + held)",
		         (long long)(ps->edit_used + ps->edit_held));
	snprintf(hints[PF_PER_USER], sizeof hints[0], "uses per customer; empty: unlimited");
	snprintf(hints[PF_FROM], sizeof hints[0], "YYYY-MM-DD[ HH:MM] UTC; empty: always");
	snprintf(hints[PF_UNTIL], sizeof hints[0], "exclusive, UTC; empty: never ends");

	if (ps->creating)
		snprintf(title, sizeof title, "New promo");
	else
		snprintf(title, sizeof title, "Edit %s: dates and limits (code, type and discount stay)",
		         ps->edit_code);
	wattrset(win, A_BOLD);
	text_draw(win, 0, 1, w - 2, title, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	for (int f = 0; f < PF_COUNT && y < h - 3; f++) {
		bool focus = (int)ps->focus == f;
		int x = 2 + LABEL_W;

		if (!form_shows(ps, (enum promo_field)f))
			continue;
		wattrset(win, focus ? crt_attr(COLOR_PROMPT) : A_NORMAL);
		text_draw(win, y, 1, LABEL_W, labels[f], TEXT_PAD);
		wattrset(win, A_NORMAL);
		if (f == PF_TYPE) {
			char t[40];

			snprintf(t, sizeof t, "< %s >", ps->type == PROMO_PERCENTAGE ? "percentage" : "fixed amount");
			wattrset(win, focus ? crt_attr(COLOR_SELECTED) : A_NORMAL);
			text_draw(win, y, x, fw, t, TEXT_PAD);
			wattrset(win, A_NORMAL);
		} else if (focus) {
			line_edit_draw(&ps->field[f], win, y, x, fw);
		} else {
			char *text = line_edit_text(&ps->field[f]);

			wattrset(win, A_UNDERLINE);
			text_draw(win, y, x, fw, text, TEXT_PAD);
			wattrset(win, A_NORMAL);
			free(text);
		}
		if (w - x - fw - 2 > 4)
			text_draw(win, y, x + fw + 2, w - x - fw - 3, hints[f], TEXT_LEFT);
		y += 2;
	}
	if (ps->form_error[0] != '\0') {
		/* Two lines: the server's sentences can be longer than 80 columns.
		 * They are ASCII, so a byte is a column here. */
		size_t len = strlen(ps->form_error), cut = len;
		char first[sizeof ps->form_error];

		if (w > 2 && len > (size_t)(w - 2)) {
			cut = (size_t)(w - 2);
			while (cut > 0 && ps->form_error[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = (size_t)(w - 2);
		}
		memcpy(first, ps->form_error, cut);
		first[cut] = '\0';
		wattrset(win, crt_attr(COLOR_ERROR));
		text_draw(win, h - 3, 1, w - 2, first, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		if (cut < len) {
			wattrset(win, crt_attr(COLOR_ERROR));
			text_draw(win, h - 2, 1, w - 2, ps->form_error + cut + (ps->form_error[cut] == ' '),
			          TEXT_LEFT);
			wattrset(win, A_NORMAL);
		}
	}
	text_draw(win, h - 1, 1, w - 2, "Tab/Down next field, Up back, Enter saves (asks y/n), Esc cancels",
	          TEXT_LEFT);
}

static void
promos_draw(struct screen *s, WINDOW *win)
{
	struct promos_screen *ps = (struct promos_screen *)s;
	int h = getmaxy(win), w = getmaxx(win);

	if (ps->mode == MODE_FORM || (ps->mode == MODE_CONFIRM &&
	                              (ps->action == ACT_CREATE || ps->action == ACT_UPDATE)))
		draw_form(ps, win, h, w);
	else
		draw_list(ps, win, h, w);
}

/* The search line or the y/n question. */
static bool
promos_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct promos_screen *ps = (struct promos_screen *)s;
	int lw;

	if (ps->mode == MODE_SEARCH) {
		wattrset(win, crt_attr(COLOR_PROMPT));
		lw = text_draw(win, 0, 0, width / 2, "Code contains: ", TEXT_LEFT);
		wattrset(win, A_NORMAL);
		line_edit_draw(&ps->search, win, 0, lw, width - lw);
		return true;
	}
	if (ps->mode == MODE_CONFIRM) {
		wattrset(win, crt_attr(COLOR_PROMPT));
		mvwhline(win, 0, 0, ' ', width);
		text_draw(win, 0, 0, width, ps->question, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		return true;
	}
	return false;
}

static const struct screen_key *
promos_keys(const struct screen *s)
{
	const struct promos_screen *ps = (const struct promos_screen *)s;

	switch (ps->mode) {
	case MODE_FORM:
		return form_keys;
	case MODE_SEARCH:
		return search_keys;
	case MODE_CONFIRM:
		return confirm_keys;
	case MODE_LIST:
		break;
	}
	return list_keys;
}
