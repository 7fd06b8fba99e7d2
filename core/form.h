/* The log-in / register form behind the log-in screen: its fields, which
 * one has focus, the inline validation under each field, the in-flight
 * guard, and the login request id. No I/O: the screen hands in what the
 * shopper typed and sends what form_submit asks for; randomness comes
 * from the caller.
 *
 * Fields. Log in: e-mail, password. Register: e-mail, display name
 * (optional), password, password again. A field holds at most its
 * buffer's bytes of valid UTF-8 without control characters; form_set
 * refuses anything else and keeps the old text.
 *
 * Validation (core/validate.h, the server's rules or stricter):
 * e-mail as validate_email; password as validate_password, 8 characters
 * to 128 bytes, as api_register (0007) counts 8..128 characters; the
 * name as validate_display_name when not empty; the confirmation equal
 * to the password. A field is checked once it has been "touched": left
 * with text in it, or submitted; from then on every change re-checks
 * it, so its message goes away as soon as it is fixed.
 *
 * Locked while in flight: between a sent submit and its answer, form_set,
 * focus moves and the mode switch are refused, and form_submit answers
 * FORM_BUSY without sending (core/submit_guard.h). With the guard
 * disabled (the tester's --no-submit-guard) the fields stay locked but
 * every submit is sent, with the same fields and the same request id,
 * so the server's idempotency is seen holding on its own.
 *
 * Login request id (api_login's p_request_id): one random uuid per
 * submitted (e-mail, password) pair. A submit of the same pair again
 * (Enter hammered without the guard, a retry after an unanswered call)
 * reuses it, and the server answers with the same session; any change of
 * the e-mail or the password drops it, and the next submit makes a new
 * one. A successful login spends it: the server refuses to replay an id
 * whose session has ended, so the next login (after a log-out) needs a
 * new one.
 *
 * Secrets: the passwords stay in the form until the answer to their
 * submit (so that a register can be followed by its login, and a submit
 * that got no answer can be sent again with the same request id); a
 * definite answer (logged in, wrong password, throttled, already
 * registered) wipes them, overwriting the buffers.
 *
 *   form_init(&f, guard_enabled);
 *   form_set(&f, FORM_EMAIL, "alice@example.com", err, sizeof err);
 *   form_set(&f, FORM_PASSWORD, pw, err, sizeof err);
 *   if (form_submit(&f, random16) == FORM_SEND)
 *       send login (form_email(&f), form_password(&f), form_request_id(&f))
 *   ... answer: switch (form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_OK)) ...
 */
#ifndef BAZAR_CORE_FORM_H
#define BAZAR_CORE_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/submit_guard.h"
#include "core/uuid.h"
#include "core/validate.h"

/* Room for any sentence the form writes under a field. */
#define FORM_MESSAGE_MAX 160

enum form_mode {
	FORM_MODE_LOGIN,
	FORM_MODE_REGISTER,
};

/* In the order they are shown (and Tab moves). */
enum form_field {
	FORM_EMAIL,
	FORM_NAME,      /* register only; may stay empty */
	FORM_PASSWORD,
	FORM_CONFIRM,   /* register only: the password again */
	FORM_FIELD_COUNT
};

/* What the screen should do after form_submit. */
enum form_verdict {
	FORM_SEND,     /* send the call form_mode() names, with form_email() etc. */
	FORM_BUSY,     /* one is in flight: nothing to send; keep showing "working" */
	FORM_INVALID,  /* a field is wrong: its message is set and it has focus */
};

/* Which call an answer belongs to. */
enum form_call {
	FORM_CALL_LOGIN,
	FORM_CALL_REGISTER,
};

/* How a call ended, as the form needs to know it. */
enum form_answer {
	FORM_ANSWER_OK,       /* logged in / account created */
	FORM_ANSWER_REFUSED,  /* the server said no: wrong e-mail or password,
	                       * throttled, already registered, malformed */
	FORM_ANSWER_FAILED,   /* no answer: connection lost, cancelled, a bug;
	                       * the server may or may not have done it */
};

/* What the screen should do after an answer. */
enum form_next {
	FORM_NEXT_NONE,    /* show the answer's message; the form is open again */
	FORM_NEXT_LOGIN,   /* the account exists: send the login now, with
	                    * form_email(), form_password(), form_request_id() */
	FORM_NEXT_DONE,    /* logged in: start the session; the form is cleared */
	FORM_NEXT_IGNORE,  /* a duplicate of an answer already acted on (only
	                    * without the guard): say nothing */
};

struct form {
	enum form_mode mode;
	enum form_field focus;
	/* The fields as typed (not trimmed), NUL-terminated, NUL-padded. */
	char email[VALIDATE_EMAIL_MAX + 1];
	char name[VALIDATE_NAME_BUF_SIZE];
	char password[VALIDATE_PASSWORD_MAX + 1];
	char confirm[VALIDATE_PASSWORD_MAX + 1];
	bool touched[FORM_FIELD_COUNT];
	/* The message under each field, "" when it is fine or not checked. */
	char error[FORM_FIELD_COUNT][FORM_MESSAGE_MAX];
	/* What form_submit validated, for the call: the e-mail trimmed and
	 * lower-cased, the name trimmed. */
	char email_sent[VALIDATE_EMAIL_BUF_SIZE];
	char name_sent[VALIDATE_NAME_BUF_SIZE];
	/* The login request id of the current pair, "" when none yet. */
	char request_id[UUID_BUF_SIZE];
	struct submit_guard guard;
	/* Of the submits since the form was last idle: a register has
	 * succeeded (its login is under way); a login has succeeded. Later
	 * answers to their duplicates are FORM_NEXT_IGNORE. */
	bool registered;
	bool logged_in;
};

/* An empty log-in form, focus on the e-mail, with the guard ENABLED or
 * not (tui_submit_guard). */
void form_init(struct form *f, bool guard_enabled);

/* Wipe every field (overwriting the passwords), every message and the
 * request id, and go back to an empty log-in form; the guard keeps its
 * ENABLED setting but forgets what was in flight. */
void form_clear(struct form *f);

/* Replace FIELD's text with TEXT (NULL is ""). BZ_ERR_INVALID_INPUT with
 * a sentence in ERR when TEXT is too long for the field, is not valid
 * UTF-8 or holds a control character; BZ_ERR_CONFLICT while the form is
 * locked; BZ_ERR_INTERNAL for a field the mode does not show. On error
 * the field keeps its text. */
bz_err form_set(struct form *f, enum form_field field, const char *text, char *err,
                size_t errlen);

/* The field's text (never NULL). */
const char *form_text(const struct form *f, enum form_field field);

/* The message under FIELD, "" for none. */
const char *form_error(const struct form *f, enum form_field field);

/* True when the current mode shows FIELD. */
bool form_shows(const struct form *f, enum form_field field);

/* The last field the mode shows (where Enter submits). */
enum form_field form_last_field(const struct form *f);

/* Move the focus to the next / previous shown field, wrapping around, or
 * to FIELD (a click). The field left is checked if it holds text. False
 * (nothing moves) while locked, or when FIELD is not shown. */
bool form_focus_next(struct form *f);
bool form_focus_prev(struct form *f);
bool form_focus_set(struct form *f, enum form_field field);

/* Switch between log in and register. Leaving register wipes the name
 * and the confirmation; the e-mail and password stay. The messages go
 * (the other mode has other rules). False while locked. */
bool form_set_mode(struct form *f, enum form_mode mode);
enum form_mode form_mode(const struct form *f);

/* True between a sent submit and its answer: the form is locked and the
 * screen shows "working". */
bool form_busy(const struct form *f);

/* The shopper pressed submit. While a submit is in flight and the guard
 * is enabled: FORM_BUSY, nothing checked. Otherwise every shown field is
 * checked: FORM_INVALID (focus on the first wrong field), or FORM_SEND:
 * the guard counts it in flight, form_email() and form_display_name()
 * hold the values to send, and form_request_id() the pair's login request
 * id, made from RANDOM (16 bytes) if the pair has none yet. */
enum form_verdict form_submit(struct form *f, const uint8_t random[16]);

/* For the call after FORM_SEND or FORM_NEXT_LOGIN. */
const char *form_email(const struct form *f);
const char *form_password(const struct form *f);
const char *form_display_name(const struct form *f);
const char *form_request_id(const struct form *f);

/* The answer to one sent CALL arrived. See enum form_next; a definite
 * answer wipes the passwords (a failed login keeps the e-mail and puts
 * the focus on the password), FORM_ANSWER_FAILED keeps every field (and
 * so the request id) for a retry. After a register has succeeded, the
 * form is in log-in mode whatever the login's answer. */
enum form_next form_on_answer(struct form *f, enum form_call call, enum form_answer answer);

#endif
