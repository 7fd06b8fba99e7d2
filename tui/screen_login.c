/* The log-in / register screen: an e-mail field and a masked password
 * field (register adds a name and the password again), inline messages
 * under the fields, and one request at a time: while it is answered the
 * form is locked and says "working…" itself. The rules live in
 * core/form.h; this file draws them, feeds them keys and sends the calls
 * (db_login / db_register through tui_call, never blocking).
 *
 * Secrets: the password sits in its line_edit and the form until the
 * answer (form.h says why), and is overwritten then; the copies a call
 * holds (its parameter, the token in its result) are overwritten when
 * the answer has been read. The token goes to tui_session_start and
 * nowhere else. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/form.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/screen.h"
#include "tui/text.h"

/* Columns of the labels; the form is centred in at most this width. */
#define LABEL_W 13
#define FORM_W 66
/* First body row of the fields; each field takes two (its message below). */
#define FIELDS_TOP 4

/* The tag of a call: which call, and the screen's epoch when it was sent
 * (answers to calls from before a forget() are dropped). */
#define TAG(ls, call) (((ls)->epoch << 1) | ((call) == FORM_CALL_REGISTER ? 1 : 0))

struct login_screen {
	struct screen base;               /* first: the manager sees a struct screen */
	struct form form;
	struct line_edit edit[FORM_FIELD_COUNT];
	char notice[256];                 /* the last answer, under the form; "" for none */
	bool notice_is_error;
	int epoch;                        /* bumped by forget() */
	/* Body rows of the last draw, for mouse clicks; -1 when not drawn. */
	int field_row[FORM_FIELD_COUNT];
	int switch_row, button_row;
};

extern const struct screen_ops screen_login_ops;

static const char *const field_label[FORM_FIELD_COUNT] = {
	[FORM_EMAIL] = "E-mail",
	[FORM_NAME] = "Name",
	[FORM_PASSWORD] = "Password",
	[FORM_CONFIRM] = "Again",
};

static const struct screen_key login_keys[] = {
	{ "Tab", "Next", "Next field (also Down); Shift-Tab/Up: the previous one", true },
	{ "F8", "Sign up", "Create a new account instead of logging in", true },
	{ "Enter", "", "Next field; on the password field: log in", false },
	{ "Esc", "", "Back to the shop; what was typed here is forgotten", false },
	{ "Ctrl-U", "", "Empty the field", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key register_keys[] = {
	{ "Tab", "Next", "Next field (also Down); Shift-Tab/Up: the previous one", true },
	{ "F8", "Log in", "Log in to an existing account instead", true },
	{ "Enter", "", "Next field; on \"Again\": create the account and log in", false },
	{ "Esc", "", "Back to the shop; what was typed here is forgotten", false },
	{ "Ctrl-U", "", "Empty the field", false },
	{ NULL, NULL, NULL, false },
};

/* The console: staff accounts are made by the owner, not signed up. */
static const struct screen_key staff_login_keys[] = {
	{ "Tab", "Next", "Next field (also Down); Shift-Tab/Up: the previous one", true },
	{ "Enter", "", "Next field; on the password field: log in", false },
	{ "Ctrl-U", "", "Empty the field", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key logged_in_keys[] = {
	{ "Esc", "Back", "Back to the shop", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *login_create(struct tui *tui);
static void login_destroy(struct screen *s);
static void login_draw(struct screen *s, WINDOW *win);
static int login_handle_key(struct screen *s, const struct tui_key *key);
static void login_reload(struct screen *s);
static const struct screen_key *login_keys_now(const struct screen *s);
static void login_forget(struct screen *s);

static bool fill_random(uint8_t out[16]);
static void scrub_free(char *text);
static void scrub_request(struct db_request *req);
static void sync_edits(struct login_screen *ls);
static void set_notice(struct login_screen *ls, bool is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void submit(struct login_screen *ls);
static void send_call(struct login_screen *ls, enum form_call call);
static void call_done(struct screen *s, int tag, struct db_request *req);
static void login_answer(struct login_screen *ls, struct db_request *req);
static void register_answer(struct login_screen *ls, struct db_request *req);
static void switch_mode(struct login_screen *ls);
static void leave(struct login_screen *ls);
static int edit_key(struct login_screen *ls, const struct tui_key *key);
static int click(struct login_screen *ls, const struct tui_key *key);
static bool is_fkey(const struct tui_key *key);
static void draw_field(struct login_screen *ls, WINDOW *win, enum form_field field, int y,
                       int x, int width);
static void draw_logged_in(struct login_screen *ls, WINDOW *win);

const struct screen_ops screen_login_ops = {
	.name = "login",
	.title = "Log in",
	.create = login_create,
	.destroy = login_destroy,
	.draw = login_draw,
	.handle_key = login_handle_key,
	.reload = login_reload,
	.keys = login_keys_now,
	.forget = login_forget,
	.needs_login = false,
};

/* An empty log-in form; the guard follows --no-submit-guard. */
static struct screen *
login_create(struct tui *tui)
{
	struct login_screen *ls = xcalloc(1, sizeof *ls);

	ls->base.ops = &screen_login_ops;
	ls->base.tui = tui;
	form_init(&ls->form, tui_submit_guard(tui));
	ls->edit[FORM_EMAIL].max = LINE_EDIT_MAX;
	ls->edit[FORM_NAME].max = VALIDATE_NAME_MAX;
	ls->edit[FORM_PASSWORD].max = LINE_EDIT_MAX;
	ls->edit[FORM_CONFIRM].max = LINE_EDIT_MAX;
	ls->edit[FORM_PASSWORD].masked = true;
	ls->edit[FORM_CONFIRM].masked = true;
	for (int i = 0; i < FORM_FIELD_COUNT; i++)
		ls->field_row[i] = -1;
	ls->switch_row = ls->button_row = -1;
	return &ls->base;
}

/* Overwrite everything typed, then free. */
static void
login_destroy(struct screen *s)
{
	struct login_screen *ls = (struct login_screen *)s;

	login_forget(s);
	free(ls);
}

/* The shopper logged out or the kiosk went idle: nothing typed survives,
 * and answers still on their way are dropped when they arrive. */
static void
login_forget(struct screen *s)
{
	struct login_screen *ls = (struct login_screen *)s;

	ls->epoch = (ls->epoch + 1) & 0x3fffffff;
	form_clear(&ls->form);
	for (int i = 0; i < FORM_FIELD_COUNT; i++)
		line_edit_wipe(&ls->edit[i]);
	ls->notice[0] = '\0';
}

/* Shown again (or F5): a stale answer goes; the cursor goes where typing
 * is wanted. Nothing to read from the database. */
static void
login_reload(struct screen *s)
{
	struct login_screen *ls = (struct login_screen *)s;

	if (form_busy(&ls->form))
		return;
	ls->notice[0] = '\0';
	form_focus_set(&ls->form, form_text(&ls->form, FORM_EMAIL)[0] ? FORM_PASSWORD : FORM_EMAIL);
}

static const struct screen_key *
login_keys_now(const struct screen *s)
{
	const struct login_screen *ls = (const struct login_screen *)s;

	if (tui_token(ls->base.tui) != NULL)
		return logged_in_keys;
	if (tui_staff_only(ls->base.tui))
		return staff_login_keys;
	return form_mode(&ls->form) == FORM_MODE_REGISTER ? register_keys : login_keys;
}

/* 16 bytes from the kernel for a login request id. */
static bool
fill_random(uint8_t out[16])
{
	size_t got = 0;

	while (got < 16) {
		ssize_t n = getrandom(out + got, 16 - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

static void
scrub_free(char *text)
{
	if (text != NULL) {
		explicit_bzero(text, strlen(text));
		free(text);
	}
}

/* Overwrite the password parameter and every result cell (the token) of
 * a finished login or register call: db_request_free only frees them. */
static void
scrub_request(struct db_request *req)
{
	if (req->nparams > 1 && req->values[1] != NULL)
		explicit_bzero(req->values[1], strlen(req->values[1]));
	for (int i = 0; req->cells != NULL && i < req->nrows * req->ncols; i++)
		if (req->cells[i] != NULL)
			explicit_bzero(req->cells[i], strlen(req->cells[i]));
}

/* The form only ever empties a field on its own (an answer, a mode
 * switch): empty the line edits to match, scrubbing them. */
static void
sync_edits(struct login_screen *ls)
{
	for (int i = 0; i < FORM_FIELD_COUNT; i++)
		if (form_text(&ls->form, (enum form_field)i)[0] == '\0' && ls->edit[i].len > 0)
			line_edit_wipe(&ls->edit[i]);
}

static void
set_notice(struct login_screen *ls, bool is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ls->notice, sizeof ls->notice, fmt, ap);
	va_end(ap);
	ls->notice_is_error = is_error;
}

/* Enter on the last field (or a click on the button). */
static void
submit(struct login_screen *ls)
{
	struct tui *tui = ls->base.tui;
	uint8_t rnd[16];
	enum form_verdict verdict;

	if (!fill_random(rnd)) {
		tui_status_error(tui, "Cannot log in: the system gave no random numbers (getrandom).");
		return;
	}
	verdict = form_submit(&ls->form, rnd);
	explicit_bzero(rnd, sizeof rnd);
	switch (verdict) {
	case FORM_BUSY:
		/* The guard did its job: nothing sent, the form says "working". */
		break;
	case FORM_INVALID:
		ls->notice[0] = '\0';
		tui_status_error(tui, "%s", form_error(&ls->form, ls->form.focus));
		break;
	case FORM_SEND:
		ls->notice[0] = '\0';
		send_call(ls, form_mode(&ls->form) == FORM_MODE_REGISTER ? FORM_CALL_REGISTER
		                                                          : FORM_CALL_LOGIN);
		break;
	}
}

/* Queue the call the form asked for. Login is replay-safe (same request
 * id, same session); register is not marked so: after a lost answer the
 * shopper decides (the account may exist). Both may be cancelled with
 * Esc: a cancelled statement rolled back. */
static void
send_call(struct login_screen *ls, enum form_call call)
{
	struct db_request req;
	const struct form *f = &ls->form;

	if (call == FORM_CALL_LOGIN) {
		db_login_request(&req, form_email(f), form_password(f), form_request_id(f));
		tui_call(ls->base.tui, &ls->base, TAG(ls, call), &req,
		         TUI_CALL_REPLAY_SAFE | TUI_CALL_CANCELLABLE, "Logging in", call_done);
	} else {
		db_register_request(&req, form_email(f), form_password(f), form_display_name(f));
		tui_call(ls->base.tui, &ls->base, TAG(ls, call), &req, TUI_CALL_CANCELLABLE,
		         "Creating your account", call_done);
	}
}

/* An answer: to the form, then to the screen. */
static void
call_done(struct screen *s, int tag, struct db_request *req)
{
	struct login_screen *ls = (struct login_screen *)s;

	if ((tag >> 1) == ls->epoch) {
		if (tag & 1)
			register_answer(ls, req);
		else
			login_answer(ls, req);
		sync_edits(ls);
	}
	scrub_request(req);
}

/* OK starts the session; a wrong e-mail and a wrong password get the
 * same sentence, so the screen never tells which e-mails exist. */
static void
login_answer(struct login_screen *ls, struct db_request *req)
{
	struct tui *tui = ls->base.tui;
	struct db_login_out out;
	char err[256] = "", email[VALIDATE_EMAIL_BUF_SIZE];
	bz_err rc;
	enum form_answer answer;

	memset(&out, 0, sizeof out);
	rc = db_login_result(req, &out, err, sizeof err);
	if (rc == BZ_OK)
		answer = FORM_ANSWER_OK;
	else if (rc == BZ_ERR_AUTH || rc == BZ_ERR_THROTTLED || rc == BZ_ERR_INVALID_INPUT)
		answer = FORM_ANSWER_REFUSED;
	else
		answer = FORM_ANSWER_FAILED;
	switch (form_on_answer(&ls->form, FORM_CALL_LOGIN, answer)) {
	case FORM_NEXT_DONE:
		snprintf(email, sizeof email, "%s", form_email(&ls->form));
		if (tui_staff_only(tui) && !out.is_staff) {
			/* The console: a customer's account gets no further than
			 * this, and its new session is ended at once. (The staff
			 * functions refuse it anyway: ZB005.) */
			struct db_request bye;

			db_logout_request(&bye, out.token);
			tui_call(tui, NULL, 0, &bye, TUI_CALL_REPLAY_SAFE, "Logging out", NULL);
			set_notice(ls, true, "%s is not a staff account: the console is for staff.", email);
			tui_status_error(tui, "%s", ls->notice);
			break;
		}
		ls->notice[0] = '\0';
		tui_session_start(tui, out.token, email);
		tui_status(tui, "Logged in as %s. Welcome!", email);
		break;
	case FORM_NEXT_NONE:
		if (rc == BZ_ERR_AUTH)
			set_notice(ls, true, "Wrong e-mail or password.");
		else if (rc == BZ_ERR_THROTTLED)
			set_notice(ls, true, "Too many failed attempts for this e-mail: please wait "
			           "15 minutes and try again.");
		else if (rc == BZ_ERR_CANCELLED)
			set_notice(ls, true, "Stopped waiting: you are not logged in. Enter tries again.");
		else if (rc == BZ_ERR_CONNECTION)
			set_notice(ls, true, "The database could not be reached: Enter tries again.");
		else
			set_notice(ls, true, "Could not log in: %s", err);
		tui_status_error(tui, "%s", ls->notice);
		break;
	case FORM_NEXT_LOGIN:
	case FORM_NEXT_IGNORE:
		break;
	}
	db_login_out_free(&out);
}

/* A new account logs in at once with the same e-mail and password. */
static void
register_answer(struct login_screen *ls, struct db_request *req)
{
	struct tui *tui = ls->base.tui;
	struct db_register_out out;
	char err[256] = "";
	bz_err rc;
	enum form_answer answer;

	rc = db_register_result(req, &out, err, sizeof err);
	if (rc == BZ_OK)
		answer = FORM_ANSWER_OK;
	else if (rc == BZ_ERR_CONFLICT || rc == BZ_ERR_INVALID_INPUT)
		answer = FORM_ANSWER_REFUSED;
	else
		answer = FORM_ANSWER_FAILED;
	switch (form_on_answer(&ls->form, FORM_CALL_REGISTER, answer)) {
	case FORM_NEXT_LOGIN:
		set_notice(ls, false, "Account created for %s; logging in%s", form_email(&ls->form),
		           text_glyph("\u2026", "..."));
		tui_status(tui, "%s", ls->notice);
		send_call(ls, FORM_CALL_LOGIN);
		break;
	case FORM_NEXT_NONE:
		if (rc == BZ_ERR_CONFLICT)
			set_notice(ls, true, "This e-mail is already registered: F8 to log in instead.");
		else if (rc == BZ_ERR_INVALID_INPUT)
			set_notice(ls, true, "%s", err);
		else if (rc == BZ_ERR_CANCELLED)
			set_notice(ls, true, "Stopped waiting: no account was made. Enter tries again.");
		else if (rc == BZ_ERR_CONNECTION)
			set_notice(ls, true, "The connection was lost before the answer: the account "
			           "may exist. Enter tries again (or F8 to log in).");
		else
			set_notice(ls, true, "Could not create the account: %s", err);
		tui_status_error(tui, "%s", ls->notice);
		break;
	case FORM_NEXT_DONE:
	case FORM_NEXT_IGNORE:
		break;
	}
}

/* F8 (or a click on the line that offers it). */
static void
switch_mode(struct login_screen *ls)
{
	enum form_mode to = form_mode(&ls->form) == FORM_MODE_LOGIN ? FORM_MODE_REGISTER
	                                                              : FORM_MODE_LOGIN;

	if (!form_set_mode(&ls->form, to))
		return;
	sync_edits(ls);
	ls->notice[0] = '\0';
	tui_status(ls->base.tui, "%s", to == FORM_MODE_REGISTER
	           ? "New account: your e-mail, a name if you like, a password of 8+ characters."
	           : "Log in with your e-mail and password.");
}

/* Esc: back to the shop, abandoning the form: what was typed goes (at a
 * kiosk the next person must not find it), unless a call still needs it. */
static void
leave(struct login_screen *ls)
{
	if (!form_busy(&ls->form)) {
		form_clear(&ls->form);
		sync_edits(ls);
		ls->notice[0] = '\0';
	}
	tui_show(ls->base.tui, "catalog");
}

/* A key for the focused field. What the form refuses (too long for the
 * field) is undone in the line edit too. */
static int
edit_key(struct login_screen *ls, const struct tui_key *key)
{
	enum form_field field = ls->form.focus;
	struct line_edit *le = &ls->edit[field];
	struct line_edit before = *le;
	char err[FORM_MESSAGE_MAX];
	int r = SR_HANDLED | SR_REDRAW;
	char *text;

	switch (line_edit_key(le, key)) {
	case LINE_EDIT_CHANGED:
		text = line_edit_text(le);
		if (form_set(&ls->form, field, text, err, sizeof err) != BZ_OK) {
			*le = before;
			tui_status_error(ls->base.tui, "%s", err);
			beep();
		}
		scrub_free(text);
		break;
	case LINE_EDIT_REFUSED:
		tui_refused(ls->base.tui, le);
		r = SR_HANDLED | SR_REDRAW;
		break;
	case LINE_EDIT_IGNORED:
		r = SR_IGNORED;
		break;
	case LINE_EDIT_ACCEPT:
	case LINE_EDIT_CANCEL:
		/* Enter and Esc are taken before the field sees them. */
		break;
	}
	line_edit_wipe(&before);
	return r;
}

/* A click on a field focuses it; on the button, submits; on the line
 * that offers the other mode, switches. */
static int
click(struct login_screen *ls, const struct tui_key *key)
{
	if (form_busy(&ls->form))
		return SR_HANDLED;
	for (int i = 0; i < FORM_FIELD_COUNT; i++)
		if (ls->field_row[i] == key->y && form_shows(&ls->form, (enum form_field)i)) {
			form_focus_set(&ls->form, (enum form_field)i);
			return SR_HANDLED | SR_REDRAW;
		}
	if (key->y == ls->button_row)
		submit(ls);
	else if (key->y == ls->switch_row)
		switch_mode(ls);
	else
		return SR_HANDLED;
	return SR_HANDLED | SR_REDRAW;
}

/* F1..F63: the manager's (F8 is taken before this). */
static bool
is_fkey(const struct tui_key *key)
{
	return key->is_code && key->ch >= (wint_t)KEY_F(1) && key->ch <= (wint_t)KEY_F(63);
}

/* Enter on the last field submits; elsewhere it moves on, like Tab.
 * While a call is out, every key but Esc and the F-keys is swallowed, and
 * Enter goes to the form only to be counted (or, without the guard,
 * sent again). */
static int
login_handle_key(struct screen *s, const struct tui_key *key)
{
	struct login_screen *ls = (struct login_screen *)s;

	if (tui_token(ls->base.tui) != NULL) {
		if (!key_is_char(key, TUI_KEY_ESC))
			return SR_IGNORED;
		tui_show(ls->base.tui, "catalog");
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_char(key, TUI_KEY_ESC)) {
		leave(ls);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_MOUSE))
		return click(ls, key);
	if (form_busy(&ls->form)) {
		if (is_fkey(key) && !key_is_code(key, KEY_F(8)))
			return SR_IGNORED;
		if (key_is_enter(key))
			submit(ls);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_F(8)) && !tui_staff_only(ls->base.tui)) {
		switch_mode(ls);
	} else if (is_fkey(key)) {
		return SR_IGNORED;
	} else if (key_is_char(key, L'\t') || key_is_code(key, KEY_DOWN)) {
		form_focus_next(&ls->form);
	} else if (key_is_code(key, KEY_BTAB) || key_is_code(key, KEY_UP)) {
		form_focus_prev(&ls->form);
	} else if (key_is_enter(key)) {
		if (ls->form.focus == form_last_field(&ls->form))
			submit(ls);
		else
			form_focus_next(&ls->form);
	} else {
		return edit_key(ls, key);
	}
	return SR_HANDLED | SR_REDRAW;
}

/* One field: its label, the box (the focused one highlighted, with the
 * cursor unless the form is locked), and its message underneath. */
static void
draw_field(struct login_screen *ls, WINDOW *win, enum form_field field, int y, int x, int width)
{
	const struct line_edit *le = &ls->edit[field];
	bool focused = ls->form.focus == field;
	bool busy = form_busy(&ls->form);
	const char *msg = form_error(&ls->form, field);
	int fx = x + LABEL_W + 1, fw = width - LABEL_W - 2;
	/* A message may run on past the box, to the window's edge. */
	int msg_w = getmaxx(win) - fx - 1;

	wattrset(win, crt_attr(focused ? COLOR_PROMPT : COLOR_DEFAULT));
	text_draw(win, y, x, LABEL_W, field_label[field], TEXT_LEFT);
	wattrset(win, crt_attr(COLOR_DEFAULT));
	mvwaddch(win, y, fx - 1, '[');
	mvwaddch(win, y, fx + fw, ']');
	wattrset(win, crt_attr(focused ? COLOR_SELECTED : COLOR_DEFAULT));
	if (focused && !busy) {
		line_edit_draw(le, win, y, fx, fw);
	} else if (le->masked) {
		/* As line_edit_draw does: one '*' per character, never the text. */
		mvwhline(win, y, fx, ' ', fw);
		for (size_t i = 0; i < le->len && (int)i < fw; i++)
			mvwaddch(win, y, fx + (int)i, '*');
	} else {
		text_draw_wide(win, y, fx, fw, le->buf, TEXT_PAD);
	}
	if (*msg) {
		wattrset(win, crt_attr(COLOR_ERROR));
		text_draw(win, y + 1, fx, msg_w, msg, TEXT_LEFT);
	} else if (field == FORM_NAME && le->len == 0) {
		wattrset(win, crt_attr(COLOR_DEFAULT));
		text_draw(win, y + 1, fx, fw, "(optional: how the shop greets you)", TEXT_LEFT);
	}
	wattrset(win, A_NORMAL);
	ls->field_row[field] = y;
}

/* Someone is logged in already: say who, and how to change that. */
static void
draw_logged_in(struct login_screen *ls, WINDOW *win)
{
	char *line = xasprintf("You are logged in as %s.", tui_email(ls->base.tui));
	int w = getmaxx(win);

	text_draw(win, 2, 2, w - 4, line, TEXT_LEFT);
	text_draw(win, 4, 2, w - 4, "F7 logs out (then you can log in as someone else); "
	          "Esc goes back to the shop.", TEXT_LEFT);
	free(line);
}

static void
login_draw(struct screen *s, WINDOW *win)
{
	struct login_screen *ls = (struct login_screen *)s;
	bool reg = form_mode(&ls->form) == FORM_MODE_REGISTER;
	int h = getmaxy(win), w = getmaxx(win);
	int width = w - 4 < FORM_W ? w - 4 : FORM_W;
	int x = (w - width) / 2, y = FIELDS_TOP;
	const char *dots = text_glyph("\u2026", "...");

	for (int i = 0; i < FORM_FIELD_COUNT; i++)
		ls->field_row[i] = -1;
	ls->switch_row = ls->button_row = -1;
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	text_draw(win, 0, 1, w - 2, reg ? "Create an account" : "Log in", TEXT_LEFT);
	wattrset(win, A_NORMAL);
	if (tui_token(ls->base.tui) != NULL) {
		draw_logged_in(ls, win);
		return;
	}
	text_draw(win, 2, x, width, tui_staff_only(ls->base.tui) ? "Staff accounts only."
	                            : reg ? "Already have an account? F8 logs in instead."
	                                  : "New here? F8 creates an account.", TEXT_LEFT);
	ls->switch_row = tui_staff_only(ls->base.tui) ? -1 : 2;
	for (int i = 0; i < FORM_FIELD_COUNT; i++) {
		if (!form_shows(&ls->form, (enum form_field)i))
			continue;
		draw_field(ls, win, (enum form_field)i, y, x, width);
		y += 2;
	}
	/* The button line: what Enter does, or that it is being done. */
	if (form_busy(&ls->form)) {
		char *line = xasprintf("working%s %s", dots,
		                       ls->notice[0] && !ls->notice_is_error ? ls->notice
		                       : reg ? "creating your account" : "logging in");

		wattrset(win, crt_attr(COLOR_PROMPT));
		text_draw(win, y, x + LABEL_W + 1, width - LABEL_W - 1, line, TEXT_LEFT);
		free(line);
	} else {
		wattrset(win, crt_attr(COLOR_FKEY_LABEL));
		text_draw(win, y, x + LABEL_W + 1, width - LABEL_W - 1,
		          reg ? "[ Create account ]" : "[ Log in ]", TEXT_LEFT);
		wattrset(win, A_NORMAL);
		text_draw(win, y, x + LABEL_W + 1 + (reg ? 19 : 11), width - LABEL_W - (reg ? 20 : 12),
		          reg ? " Enter on \"Again\"" : " Enter on the password", TEXT_LEFT);
	}
	wattrset(win, A_NORMAL);
	ls->button_row = y;
	if (ls->notice[0] && (ls->notice_is_error || !form_busy(&ls->form)) && y + 2 < h) {
		wattrset(win, crt_attr(ls->notice_is_error ? COLOR_ERROR : COLOR_STATUS));
		text_draw(win, y + 2, x, width, ls->notice, TEXT_LEFT);
		wattrset(win, A_NORMAL);
	}
	if (h - 2 > y + 3)
		text_draw(win, h - 2, x, width, tui_staff_only(ls->base.tui)
		          ? "Tab/Down: next field   Shift-Tab/Up: previous"
		          : "Tab/Down: next field   Shift-Tab/Up: previous   Esc: back to shop", TEXT_LEFT);
}
