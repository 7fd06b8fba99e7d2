/* The log-in / register form; see form.h. */
#include "config.h"
#include "core/form.h"

#include <stdio.h>
#include <string.h>

static char *field_buffer(struct form *f, enum form_field field, size_t *size);
static const char *text_refusal(const char *text, size_t len);
static bool is_blank(const char *s);
static bool check_field(struct form *f, enum form_field field);
static void leave_field(struct form *f);
static bool move_focus(struct form *f, int step);
static void wipe_passwords(struct form *f);
static void wipe_fields(struct form *f);
static void switch_mode(struct form *f, enum form_mode mode);

/* FIELD's buffer and its size in bytes (the text plus its NUL). */
static char *
field_buffer(struct form *f, enum form_field field, size_t *size)
{
	switch (field) {
	case FORM_EMAIL:
		*size = sizeof f->email;
		return f->email;
	case FORM_NAME:
		*size = sizeof f->name;
		return f->name;
	case FORM_PASSWORD:
		*size = sizeof f->password;
		return f->password;
	case FORM_CONFIRM:
		*size = sizeof f->confirm;
		return f->confirm;
	case FORM_FIELD_COUNT:
		break;
	}
	*size = 0;
	return NULL;
}

/* Why TEXT (LEN bytes) cannot be in a field, or NULL when it can: it
 * must be UTF-8 without C0, DEL or C1 control characters (a pasted
 * escape sequence or newline is refused, not stored). */
static const char *
text_refusal(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = validate_utf8_char(s + i, len - i, &cp);

		if (n == 0)
			return "This is not valid UTF-8 text.";
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return "Control characters cannot be typed here.";
		i += n;
	}
	return NULL;
}

/* Only ASCII whitespace (the optional name left empty). */
static bool
is_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!strchr(" \t\r\n\v\f", *s))
			return false;
	return true;
}

/* Check FIELD by its rule and set its message. True when it is fine. */
static bool
check_field(struct form *f, enum form_field field)
{
	char *msg = f->error[field];
	size_t len = sizeof f->error[field];
	bz_err rc = BZ_OK;

	msg[0] = '\0';
	switch (field) {
	case FORM_EMAIL:
		rc = validate_email(f->email, NULL, msg, len);
		break;
	case FORM_NAME:
		if (!is_blank(f->name))
			rc = validate_display_name(f->name, NULL, msg, len);
		break;
	case FORM_PASSWORD:
		rc = validate_password(f->password, strlen(f->password), msg, len);
		break;
	case FORM_CONFIRM:
		if (f->confirm[0] == '\0') {
			snprintf(msg, len, "Please type the password again.");
			rc = BZ_ERR_INVALID_INPUT;
		} else if (strcmp(f->confirm, f->password) != 0) {
			snprintf(msg, len, "The two passwords are not the same.");
			rc = BZ_ERR_INVALID_INPUT;
		}
		break;
	case FORM_FIELD_COUNT:
		break;
	}
	if (rc == BZ_OK)
		msg[0] = '\0';
	return rc == BZ_OK;
}

/* The focus leaves its field: one with text in it is checked from now
 * on; an empty one is not nagged about until submit. */
static void
leave_field(struct form *f)
{
	if (form_text(f, f->focus)[0] != '\0') {
		f->touched[f->focus] = true;
		check_field(f, f->focus);
	}
}

/* Focus the next shown field in direction STEP (+1 or -1), wrapping. */
static bool
move_focus(struct form *f, int step)
{
	int i = (int)f->focus;

	if (form_busy(f))
		return false;
	leave_field(f);
	do
		i = (i + step + FORM_FIELD_COUNT) % FORM_FIELD_COUNT;
	while (!form_shows(f, (enum form_field)i));
	f->focus = (enum form_field)i;
	return true;
}

/* Overwrite both passwords; the pair changed, so its request id goes. */
static void
wipe_passwords(struct form *f)
{
	explicit_bzero(f->password, sizeof f->password);
	explicit_bzero(f->confirm, sizeof f->confirm);
	f->touched[FORM_PASSWORD] = f->touched[FORM_CONFIRM] = false;
	f->error[FORM_PASSWORD][0] = f->error[FORM_CONFIRM][0] = '\0';
	f->request_id[0] = '\0';
}

/* Every field, message and the request id; an empty log-in form. The
 * guard and the submit's flags are the caller's business. */
static void
wipe_fields(struct form *f)
{
	wipe_passwords(f);
	explicit_bzero(f->email, sizeof f->email);
	explicit_bzero(f->name, sizeof f->name);
	explicit_bzero(f->name_sent, sizeof f->name_sent);
	memset(f->touched, 0, sizeof f->touched);
	memset(f->error, 0, sizeof f->error);
	f->mode = FORM_MODE_LOGIN;
	f->focus = FORM_EMAIL;
}

/* Change the mode, lock or not (an answer may need it while locked). */
static void
switch_mode(struct form *f, enum form_mode mode)
{
	if (f->mode == mode)
		return;
	if (mode == FORM_MODE_LOGIN) {
		explicit_bzero(f->name, sizeof f->name);
		explicit_bzero(f->confirm, sizeof f->confirm);
	}
	f->mode = mode;
	memset(f->touched, 0, sizeof f->touched);
	memset(f->error, 0, sizeof f->error);
	if (!form_shows(f, f->focus))
		f->focus = FORM_PASSWORD;
}

void
form_init(struct form *f, bool guard_enabled)
{
	memset(f, 0, sizeof *f);
	f->mode = FORM_MODE_LOGIN;
	f->focus = FORM_EMAIL;
	guard_init(&f->guard, guard_enabled);
}

void
form_clear(struct form *f)
{
	bool enabled = f->guard.enabled;

	explicit_bzero(f, sizeof *f);
	form_init(f, enabled);
}

bz_err
form_set(struct form *f, enum form_field field, const char *text, char *err, size_t errlen)
{
	size_t size, len;
	char *buf;
	const char *why;

	if (text == NULL)
		text = "";
	if ((unsigned)field >= FORM_FIELD_COUNT || !form_shows(f, field)) {
		snprintf(err, errlen, "This form has no such field.");
		return BZ_ERR_INTERNAL;
	}
	if (form_busy(f)) {
		snprintf(err, errlen, "Please wait: the form is being sent.");
		return BZ_ERR_CONFLICT;
	}
	buf = field_buffer(f, field, &size);
	len = strnlen(text, size);
	if (len >= size) {
		if (field == FORM_EMAIL)
			snprintf(err, errlen, "An e-mail address has at most %d characters.",
			         VALIDATE_EMAIL_MAX);
		else if (field == FORM_NAME)
			snprintf(err, errlen, "A name has at most %d characters.", VALIDATE_NAME_MAX);
		else
			snprintf(err, errlen, "A password has at most %d bytes (%d plain letters).",
			         VALIDATE_PASSWORD_MAX, VALIDATE_PASSWORD_MAX);
		return BZ_ERR_INVALID_INPUT;
	}
	if ((why = text_refusal(text, len)) != NULL) {
		snprintf(err, errlen, "%s", why);
		return BZ_ERR_INVALID_INPUT;
	}
	if ((field == FORM_EMAIL || field == FORM_PASSWORD) && strcmp(buf, text) != 0)
		f->request_id[0] = '\0';
	/* The whole buffer: a shorter password leaves no tail of the old one. */
	explicit_bzero(buf, size);
	memcpy(buf, text, len);
	if (f->touched[field])
		check_field(f, field);
	if (field == FORM_PASSWORD && f->touched[FORM_CONFIRM])
		check_field(f, FORM_CONFIRM);
	return BZ_OK;
}

const char *
form_text(const struct form *f, enum form_field field)
{
	switch (field) {
	case FORM_EMAIL:
		return f->email;
	case FORM_NAME:
		return f->name;
	case FORM_PASSWORD:
		return f->password;
	case FORM_CONFIRM:
		return f->confirm;
	case FORM_FIELD_COUNT:
		break;
	}
	return "";
}

const char *
form_error(const struct form *f, enum form_field field)
{
	return (unsigned)field < FORM_FIELD_COUNT ? f->error[field] : "";
}

bool
form_shows(const struct form *f, enum form_field field)
{
	if (field == FORM_EMAIL || field == FORM_PASSWORD)
		return true;
	return (field == FORM_NAME || field == FORM_CONFIRM) && f->mode == FORM_MODE_REGISTER;
}

enum form_field
form_last_field(const struct form *f)
{
	return f->mode == FORM_MODE_REGISTER ? FORM_CONFIRM : FORM_PASSWORD;
}

bool
form_focus_next(struct form *f)
{
	return move_focus(f, 1);
}

bool
form_focus_prev(struct form *f)
{
	return move_focus(f, -1);
}

bool
form_focus_set(struct form *f, enum form_field field)
{
	if (form_busy(f) || (unsigned)field >= FORM_FIELD_COUNT || !form_shows(f, field))
		return false;
	if (field != f->focus) {
		leave_field(f);
		f->focus = field;
	}
	return true;
}

bool
form_set_mode(struct form *f, enum form_mode mode)
{
	if (form_busy(f))
		return false;
	switch_mode(f, mode);
	return true;
}

enum form_mode
form_mode(const struct form *f)
{
	return f->mode;
}

bool
form_busy(const struct form *f)
{
	return guard_busy(&f->guard);
}

enum form_verdict
form_submit(struct form *f, const uint8_t random[16])
{
	enum form_field first_bad = FORM_FIELD_COUNT;
	bool was_busy = form_busy(f);

	if (f->guard.enabled && was_busy) {
		guard_submit(&f->guard);  /* counted as ignored */
		return FORM_BUSY;
	}
	for (int i = 0; i < FORM_FIELD_COUNT; i++) {
		enum form_field field = (enum form_field)i;

		if (!form_shows(f, field))
			continue;
		f->touched[field] = true;
		if (!check_field(f, field) && first_bad == FORM_FIELD_COUNT)
			first_bad = field;
	}
	if (first_bad != FORM_FIELD_COUNT) {
		f->focus = first_bad;
		return FORM_INVALID;
	}
	/* Both checked just above: these cannot fail. */
	validate_email(f->email, f->email_sent, NULL, 0);
	f->name_sent[0] = '\0';
	if (f->mode == FORM_MODE_REGISTER && !is_blank(f->name))
		validate_display_name(f->name, f->name_sent, NULL, 0);
	if (!was_busy)
		f->registered = f->logged_in = false;
	if (f->request_id[0] == '\0')
		uuid_v4_format(random, f->request_id);
	guard_submit(&f->guard);
	return FORM_SEND;
}

const char *
form_email(const struct form *f)
{
	return f->email_sent;
}

const char *
form_password(const struct form *f)
{
	return f->password;
}

const char *
form_display_name(const struct form *f)
{
	return f->name_sent;
}

const char *
form_request_id(const struct form *f)
{
	return f->request_id;
}

enum form_next
form_on_answer(struct form *f, enum form_call call, enum form_answer answer)
{
	if (call == FORM_CALL_REGISTER) {
		/* A duplicate (no guard) of a register that already worked: the
		 * server refused it, which is the point. */
		if (f->registered || f->logged_in) {
			guard_done(&f->guard);
			return FORM_NEXT_IGNORE;
		}
		switch (answer) {
		case FORM_ANSWER_OK:
			/* The submit stays in flight: its login comes next. */
			f->registered = true;
			return FORM_NEXT_LOGIN;
		case FORM_ANSWER_REFUSED:
			guard_done(&f->guard);
			wipe_passwords(f);
			f->focus = FORM_EMAIL;
			return FORM_NEXT_NONE;
		case FORM_ANSWER_FAILED:
			guard_done(&f->guard);
			return FORM_NEXT_NONE;
		}
		return FORM_NEXT_NONE;
	}
	if (f->logged_in) {
		guard_done(&f->guard);
		return FORM_NEXT_IGNORE;
	}
	guard_done(&f->guard);
	/* The account exists now, whatever the login says: log in next time. */
	if (f->registered)
		switch_mode(f, FORM_MODE_LOGIN);
	switch (answer) {
	case FORM_ANSWER_OK:
		/* email_sent stays: it says who logged in. */
		f->logged_in = true;
		wipe_fields(f);
		return FORM_NEXT_DONE;
	case FORM_ANSWER_REFUSED:
		wipe_passwords(f);
		f->focus = FORM_PASSWORD;
		return FORM_NEXT_NONE;
	case FORM_ANSWER_FAILED:
		return FORM_NEXT_NONE;
	}
	return FORM_NEXT_NONE;
}
