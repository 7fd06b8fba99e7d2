/* Unit tests for core/form: the log-in / register form's validation,
 * focus, mode switch, in-flight guard, login request id, the wiping of
 * passwords, and the input it refuses. */
#include "config.h"

#include <check.h>
#include <string.h>

#include "core/form.h"
#include "tests/unit/tap_main.h"

static Suite *form_suite(void);
static void set_ok(struct form *f, enum form_field field, const char *text);
static void fill_login(struct form *f, const char *email, const char *password);
static void fill_register(struct form *f, const char *email, const char *name,
                          const char *password, const char *confirm);
static bool all_zero(const char *buf, size_t size);

static const uint8_t rnd_a[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t rnd_b[16] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                   0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };

/* form_set that must succeed. */
static void
set_ok(struct form *f, enum form_field field, const char *text)
{
	char err[FORM_MESSAGE_MAX] = "";
	bz_err rc = form_set(f, field, text, err, sizeof err);

	ck_assert_msg(rc == BZ_OK, "form_set(%d, %s): %s", (int)field, TAP_Q(text), err);
}

static void
fill_login(struct form *f, const char *email, const char *password)
{
	set_ok(f, FORM_EMAIL, email);
	set_ok(f, FORM_PASSWORD, password);
}

static void
fill_register(struct form *f, const char *email, const char *name, const char *password,
              const char *confirm)
{
	ck_assert(form_set_mode(f, FORM_MODE_REGISTER));
	set_ok(f, FORM_EMAIL, email);
	set_ok(f, FORM_NAME, name);
	set_ok(f, FORM_PASSWORD, password);
	set_ok(f, FORM_CONFIRM, confirm);
}

/* Every byte of BUF is 0: a wiped secret leaves nothing behind. */
static bool
all_zero(const char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (buf[i] != '\0')
			return false;
	return true;
}

START_TEST(valid_login_is_sent_normalised)
{
	struct form f;

	form_init(&f, true);
	fill_login(&f, "  Alice@Example.COM ", "alice-demo-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_str_eq(form_email(&f), "alice@example.com");
	ck_assert_str_eq(form_password(&f), "alice-demo-pass");
	ck_assert(uuid_is_valid(form_request_id(&f)));
	ck_assert(form_busy(&f));
}
END_TEST

START_TEST(bad_email_is_explained_under_its_field)
{
	struct form f;

	form_init(&f, true);
	fill_login(&f, "alice.example.com", "alice-demo-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_INVALID);
	ck_assert_str_eq(form_error(&f, FORM_EMAIL),
	                 "An e-mail address needs an '@', as in name@example.com.");
	ck_assert_str_eq(form_error(&f, FORM_PASSWORD), "");
	ck_assert_int_eq(f.focus, FORM_EMAIL);
	ck_assert(!form_busy(&f));
	ck_assert_uint_eq(f.guard.sent, 0);
}
END_TEST

START_TEST(password_length_follows_api_register)
{
	struct form f;
	char long_pw[VALIDATE_PASSWORD_MAX + 1];

	form_init(&f, true);
	fill_login(&f, "alice@example.com", "1234567");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_INVALID);
	ck_assert_str_eq(form_error(&f, FORM_PASSWORD), "A password has at least 8 characters.");
	ck_assert_int_eq(f.focus, FORM_PASSWORD);
	/* The message goes as soon as the field is right. */
	set_ok(&f, FORM_PASSWORD, "12345678");
	ck_assert_str_eq(form_error(&f, FORM_PASSWORD), "");
	/* 8 characters, not bytes: "ééééééé" is 7 characters in 14 bytes. */
	set_ok(&f, FORM_PASSWORD, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	ck_assert_str_eq(form_error(&f, FORM_PASSWORD), "A password has at least 8 characters.");
	/* 128 bytes is the top. */
	memset(long_pw, 'x', VALIDATE_PASSWORD_MAX);
	long_pw[VALIDATE_PASSWORD_MAX] = '\0';
	set_ok(&f, FORM_PASSWORD, long_pw);
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
}
END_TEST

START_TEST(empty_fields_are_asked_for_on_submit_only)
{
	struct form f;

	form_init(&f, true);
	/* Leaving an empty field does not nag. */
	ck_assert(form_focus_next(&f));
	ck_assert_str_eq(form_error(&f, FORM_EMAIL), "");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_INVALID);
	ck_assert_str_eq(form_error(&f, FORM_EMAIL), "Please enter your e-mail address.");
	ck_assert_str_eq(form_error(&f, FORM_PASSWORD), "Please enter a password.");
	/* Focus on the first wrong field. */
	ck_assert_int_eq(f.focus, FORM_EMAIL);
}
END_TEST

START_TEST(leaving_a_typed_field_checks_it)
{
	struct form f;

	form_init(&f, true);
	set_ok(&f, FORM_EMAIL, "bob@");
	/* Typing alone says nothing yet... */
	ck_assert_str_eq(form_error(&f, FORM_EMAIL), "");
	ck_assert(form_focus_next(&f));
	/* ...leaving the field does... */
	ck_assert_str_ne(form_error(&f, FORM_EMAIL), "");
	/* ...and from then on each change re-checks it. */
	set_ok(&f, FORM_EMAIL, "bob@example.com");
	ck_assert_str_eq(form_error(&f, FORM_EMAIL), "");
}
END_TEST

START_TEST(register_checks_confirmation_and_name)
{
	struct form f;

	form_init(&f, true);
	fill_register(&f, "new@example.com", "New", "secret-pass", "secret-pasS");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_INVALID);
	ck_assert_str_eq(form_error(&f, FORM_CONFIRM), "The two passwords are not the same.");
	ck_assert_int_eq(f.focus, FORM_CONFIRM);
	/* Fixing the password to match the confirmation clears it too. */
	set_ok(&f, FORM_PASSWORD, "secret-pasS");
	ck_assert_str_eq(form_error(&f, FORM_CONFIRM), "");
	/* The name is optional, but when given it follows validate_display_name. */
	set_ok(&f, FORM_NAME, "   ");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_str_eq(form_display_name(&f), "");
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_REGISTER, FORM_ANSWER_FAILED), FORM_NEXT_NONE);
	set_ok(&f, FORM_NAME, "  Ann \xe2\x80\xae Lee ");  /* U+202E, a direction override */
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_INVALID);
	ck_assert_int_eq(f.focus, FORM_NAME);
	ck_assert_str_eq(form_error(&f, FORM_NAME), "A name cannot contain control characters.");
	set_ok(&f, FORM_NAME, "  Ann Lee ");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_str_eq(form_display_name(&f), "Ann Lee");
}
END_TEST

START_TEST(confirmation_must_be_typed)
{
	struct form f;

	form_init(&f, true);
	fill_register(&f, "new@example.com", "", "secret-pass", "");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_INVALID);
	ck_assert_str_eq(form_error(&f, FORM_CONFIRM), "Please type the password again.");
}
END_TEST

START_TEST(focus_moves_and_wraps_in_login)
{
	struct form f;

	form_init(&f, true);
	ck_assert_int_eq(f.focus, FORM_EMAIL);
	ck_assert(form_focus_next(&f));
	ck_assert_int_eq(f.focus, FORM_PASSWORD);
	ck_assert(form_focus_next(&f));
	ck_assert_int_eq(f.focus, FORM_EMAIL);
	ck_assert(form_focus_prev(&f));
	ck_assert_int_eq(f.focus, FORM_PASSWORD);
	ck_assert_int_eq(form_last_field(&f), FORM_PASSWORD);
	/* The register-only fields cannot be focused in log-in mode. */
	ck_assert(!form_focus_set(&f, FORM_NAME));
	ck_assert(!form_focus_set(&f, FORM_CONFIRM));
	ck_assert_int_eq(f.focus, FORM_PASSWORD);
	ck_assert(form_focus_set(&f, FORM_EMAIL));
	ck_assert_int_eq(f.focus, FORM_EMAIL);
}
END_TEST

START_TEST(focus_moves_through_register_fields)
{
	static const enum form_field order[] = { FORM_NAME, FORM_PASSWORD, FORM_CONFIRM, FORM_EMAIL };
	struct form f;

	form_init(&f, true);
	ck_assert(form_set_mode(&f, FORM_MODE_REGISTER));
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		ck_assert(form_focus_next(&f));
		ck_assert_int_eq(f.focus, order[i]);
	}
	ck_assert(form_focus_prev(&f));
	ck_assert_int_eq(f.focus, FORM_CONFIRM);
	ck_assert_int_eq(form_last_field(&f), FORM_CONFIRM);
}
END_TEST

START_TEST(mode_switch_wipes_register_fields)
{
	struct form f;

	form_init(&f, true);
	fill_register(&f, "new@example.com", "Ann", "secret-pass", "secret-pass");
	ck_assert(form_focus_set(&f, FORM_CONFIRM));
	ck_assert(form_set_mode(&f, FORM_MODE_LOGIN));
	ck_assert_int_eq(form_mode(&f), FORM_MODE_LOGIN);
	ck_assert(!form_shows(&f, FORM_NAME));
	ck_assert(!form_shows(&f, FORM_CONFIRM));
	/* The focus was on a field that went away. */
	ck_assert_int_eq(f.focus, FORM_PASSWORD);
	ck_assert_str_eq(form_text(&f, FORM_EMAIL), "new@example.com");
	ck_assert_str_eq(form_text(&f, FORM_PASSWORD), "secret-pass");
	ck_assert(all_zero(f.confirm, sizeof f.confirm));
	ck_assert(all_zero(f.name, sizeof f.name));
	/* A hidden field cannot be written. */
	{
		char err[FORM_MESSAGE_MAX];

		ck_assert_int_eq(form_set(&f, FORM_CONFIRM, "x", err, sizeof err), BZ_ERR_INTERNAL);
	}
	/* Back to register: the messages of the other mode are gone, and the
	 * confirmation has to be typed again. */
	ck_assert(form_set_mode(&f, FORM_MODE_REGISTER));
	ck_assert_str_eq(form_text(&f, FORM_CONFIRM), "");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_INVALID);
	ck_assert_int_eq(f.focus, FORM_CONFIRM);
}
END_TEST

START_TEST(hammered_submit_sends_once)
{
	struct form f;
	int sends = 0;

	form_init(&f, true);
	fill_login(&f, "alice@example.com", "alice-demo-pass");
	for (int i = 0; i < 10; i++)
		if (form_submit(&f, rnd_a) == FORM_SEND)
			sends++;
	ck_assert_int_eq(sends, 1);
	ck_assert_uint_eq(f.guard.sent, 1);
	ck_assert_uint_eq(f.guard.ignored, 9);
	ck_assert(form_busy(&f));
	/* The answer opens the form again. */
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_REFUSED), FORM_NEXT_NONE);
	ck_assert(!form_busy(&f));
}
END_TEST

START_TEST(form_is_locked_in_flight)
{
	struct form f;
	char err[FORM_MESSAGE_MAX];

	form_init(&f, true);
	fill_login(&f, "alice@example.com", "alice-demo-pass");
	ck_assert(form_focus_set(&f, FORM_PASSWORD));
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_int_eq(form_set(&f, FORM_PASSWORD, "other-password", err, sizeof err),
	                 BZ_ERR_CONFLICT);
	ck_assert_str_eq(form_text(&f, FORM_PASSWORD), "alice-demo-pass");
	ck_assert(!form_focus_next(&f));
	ck_assert(!form_focus_set(&f, FORM_EMAIL));
	ck_assert_int_eq(f.focus, FORM_PASSWORD);
	ck_assert(!form_set_mode(&f, FORM_MODE_REGISTER));
	ck_assert_int_eq(form_mode(&f), FORM_MODE_LOGIN);
}
END_TEST

START_TEST(without_guard_every_submit_goes_with_the_same_id)
{
	struct form f;
	char first[UUID_BUF_SIZE];
	int sends = 0;

	form_init(&f, false);
	fill_login(&f, "alice@example.com", "alice-demo-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	sends++;
	memcpy(first, form_request_id(&f), sizeof first);
	for (int i = 1; i < 10; i++) {
		/* Other random bytes each time: only a new pair may use them. */
		if (form_submit(&f, i % 2 ? rnd_b : rnd_a) == FORM_SEND)
			sends++;
		ck_assert_str_eq(form_request_id(&f), first);
	}
	ck_assert_int_eq(sends, 10);
	ck_assert_int_eq(f.guard.in_flight, 10);
	/* The first answer logs in; the nine duplicates are ignored. */
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_OK), FORM_NEXT_DONE);
	for (int i = 1; i < 10; i++)
		ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_OK), FORM_NEXT_IGNORE);
	ck_assert(!form_busy(&f));
}
END_TEST

START_TEST(request_id_kept_for_the_same_pair)
{
	struct form f;
	char first[UUID_BUF_SIZE];

	form_init(&f, true);
	fill_login(&f, "alice@example.com", "alice-demo-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	memcpy(first, form_request_id(&f), sizeof first);
	/* No answer (lost connection): the fields stay, and so does the id. */
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_FAILED), FORM_NEXT_NONE);
	ck_assert_str_eq(form_text(&f, FORM_PASSWORD), "alice-demo-pass");
	ck_assert_int_eq(form_submit(&f, rnd_b), FORM_SEND);
	ck_assert_str_eq(form_request_id(&f), first);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_FAILED), FORM_NEXT_NONE);
	/* Writing the same text again is no change, nor is the mode switch. */
	set_ok(&f, FORM_EMAIL, "alice@example.com");
	ck_assert(form_set_mode(&f, FORM_MODE_REGISTER));
	ck_assert(form_set_mode(&f, FORM_MODE_LOGIN));
	ck_assert_int_eq(form_submit(&f, rnd_b), FORM_SEND);
	ck_assert_str_eq(form_request_id(&f), first);
}
END_TEST

START_TEST(request_id_renewed_when_the_pair_changes)
{
	struct form f;
	char first[UUID_BUF_SIZE], second[UUID_BUF_SIZE];

	form_init(&f, true);
	fill_login(&f, "alice@example.com", "alice-demo-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	memcpy(first, form_request_id(&f), sizeof first);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_FAILED), FORM_NEXT_NONE);
	set_ok(&f, FORM_PASSWORD, "alice-demo-pasz");
	ck_assert_int_eq(form_submit(&f, rnd_b), FORM_SEND);
	ck_assert_str_ne(form_request_id(&f), first);
	memcpy(second, form_request_id(&f), sizeof second);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_FAILED), FORM_NEXT_NONE);
	/* Changing the e-mail renews it too, even with the same random bytes. */
	set_ok(&f, FORM_EMAIL, "bob@example.com");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_str_ne(form_request_id(&f), second);
}
END_TEST

START_TEST(successful_login_spends_the_id_and_wipes)
{
	struct form f;
	char first[UUID_BUF_SIZE];

	form_init(&f, true);
	fill_login(&f, "Alice@example.com", "alice-demo-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	memcpy(first, form_request_id(&f), sizeof first);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_OK), FORM_NEXT_DONE);
	/* Who logged in is still known; nothing else is. */
	ck_assert_str_eq(form_email(&f), "alice@example.com");
	ck_assert(all_zero(f.password, sizeof f.password));
	ck_assert(all_zero(f.email, sizeof f.email));
	ck_assert_str_eq(form_request_id(&f), "");
	ck_assert(!form_busy(&f));
	/* The same pair later (after a log-out) is a new login: a new id. */
	fill_login(&f, "Alice@example.com", "alice-demo-pass");
	ck_assert_int_eq(form_submit(&f, rnd_b), FORM_SEND);
	ck_assert(uuid_is_valid(form_request_id(&f)));
	ck_assert_str_ne(form_request_id(&f), first);
}
END_TEST

START_TEST(wrong_password_wipes_it_and_keeps_the_email)
{
	struct form f;

	form_init(&f, true);
	fill_login(&f, "alice@example.com", "wrong-password");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_REFUSED), FORM_NEXT_NONE);
	ck_assert(all_zero(f.password, sizeof f.password));
	ck_assert_str_eq(form_text(&f, FORM_EMAIL), "alice@example.com");
	ck_assert_int_eq(f.focus, FORM_PASSWORD);
	ck_assert_str_eq(form_request_id(&f), "");
	/* No stale "please enter a password" before the shopper typed. */
	ck_assert_str_eq(form_error(&f, FORM_PASSWORD), "");
}
END_TEST

START_TEST(register_then_login_keeps_the_password_until_the_login)
{
	struct form f;

	form_init(&f, true);
	fill_register(&f, "New@Example.com", "Ann", "secret-pass", "secret-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_REGISTER, FORM_ANSWER_OK), FORM_NEXT_LOGIN);
	/* Still in flight: the login is part of the same submit. */
	ck_assert(form_busy(&f));
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_BUSY);
	ck_assert_str_eq(form_email(&f), "new@example.com");
	ck_assert_str_eq(form_password(&f), "secret-pass");
	ck_assert(uuid_is_valid(form_request_id(&f)));
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_OK), FORM_NEXT_DONE);
	ck_assert(all_zero(f.password, sizeof f.password));
	ck_assert(all_zero(f.confirm, sizeof f.confirm));
	ck_assert_int_eq(form_mode(&f), FORM_MODE_LOGIN);
	ck_assert(!form_busy(&f));
}
END_TEST

START_TEST(register_refused_wipes_the_passwords)
{
	struct form f;

	form_init(&f, true);
	fill_register(&f, "alice@example.com", "", "secret-pass", "secret-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_REGISTER, FORM_ANSWER_REFUSED),
	                 FORM_NEXT_NONE);
	ck_assert(!form_busy(&f));
	ck_assert(all_zero(f.password, sizeof f.password));
	ck_assert(all_zero(f.confirm, sizeof f.confirm));
	ck_assert_int_eq(form_mode(&f), FORM_MODE_REGISTER);
	ck_assert_int_eq(f.focus, FORM_EMAIL);
}
END_TEST

START_TEST(register_duplicates_without_guard_are_ignored)
{
	struct form f;

	form_init(&f, false);
	fill_register(&f, "new@example.com", "", "secret-pass", "secret-pass");
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	/* The first creates the account; the nine others are refused by the
	 * server as already registered, which must not be shown. */
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_REGISTER, FORM_ANSWER_OK), FORM_NEXT_LOGIN);
	for (int i = 1; i < 10; i++)
		ck_assert_int_eq(form_on_answer(&f, FORM_CALL_REGISTER, FORM_ANSWER_REFUSED),
		                 FORM_NEXT_IGNORE);
	ck_assert(form_busy(&f));
	ck_assert_str_eq(form_password(&f), "secret-pass");
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_OK), FORM_NEXT_DONE);
	ck_assert(!form_busy(&f));
}
END_TEST

START_TEST(login_failing_after_register_switches_to_login)
{
	struct form f;

	form_init(&f, true);
	fill_register(&f, "new@example.com", "", "secret-pass", "secret-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_REGISTER, FORM_ANSWER_OK), FORM_NEXT_LOGIN);
	ck_assert_int_eq(form_on_answer(&f, FORM_CALL_LOGIN, FORM_ANSWER_FAILED), FORM_NEXT_NONE);
	/* The account exists: Enter now logs in, with the same request id. */
	ck_assert_int_eq(form_mode(&f), FORM_MODE_LOGIN);
	ck_assert_str_eq(form_text(&f, FORM_PASSWORD), "secret-pass");
	ck_assert(!form_busy(&f));
}
END_TEST

START_TEST(too_long_input_is_refused)
{
	struct form f;
	char err[FORM_MESSAGE_MAX] = "";
	char big[4096];

	form_init(&f, true);
	set_ok(&f, FORM_EMAIL, "alice@example.com");
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(form_set(&f, FORM_EMAIL, big, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "An e-mail address has at most 254 characters.");
	ck_assert_str_eq(form_text(&f, FORM_EMAIL), "alice@example.com");
	/* 129 bytes of password. */
	big[VALIDATE_PASSWORD_MAX + 1] = '\0';
	ck_assert_int_eq(form_set(&f, FORM_PASSWORD, big, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(form_text(&f, FORM_PASSWORD), "");
	/* 128 fit. */
	big[VALIDATE_PASSWORD_MAX] = '\0';
	set_ok(&f, FORM_PASSWORD, big);
	ck_assert_uint_eq(strlen(form_text(&f, FORM_PASSWORD)), VALIDATE_PASSWORD_MAX);
	ck_assert(form_set_mode(&f, FORM_MODE_REGISTER));
	memset(big, 'n', sizeof big - 1);
	ck_assert_int_eq(form_set(&f, FORM_NAME, big, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(form_text(&f, FORM_NAME), "");
}
END_TEST

/* Control characters and broken UTF-8, each refused in every field. */
static const char *const bad_inputs[] = {
	"alice\n@example.com",
	"alice\r",
	"\t",
	"a\x1b[2Jb",              /* an escape sequence (clear screen) */
	"del\x7f",
	"c1 \xc2\x9b x",          /* U+009B, the 8-bit CSI */
	"\xff\xfe",
	"\xc3",                   /* a cut sequence */
	"\xc0\xaf",               /* overlong '/' */
	"\xed\xa0\x80",           /* a surrogate */
	"\xf4\x90\x80\x80",       /* above U+10FFFF */
};

START_TEST(control_and_invalid_input_is_refused)
{
	static const enum form_field fields[] = { FORM_EMAIL, FORM_NAME, FORM_PASSWORD, FORM_CONFIRM };
	struct form f;
	char err[FORM_MESSAGE_MAX];

	form_init(&f, true);
	ck_assert(form_set_mode(&f, FORM_MODE_REGISTER));
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		set_ok(&f, fields[i], "kept");
		err[0] = '\0';
		ck_assert_msg(form_set(&f, fields[i], bad_inputs[_i], err, sizeof err) ==
		              BZ_ERR_INVALID_INPUT, "field %zu took %s", i, TAP_Q(bad_inputs[_i]));
		ck_assert_str_ne(err, "");
		ck_assert_str_eq(form_text(&f, fields[i]), "kept");
	}
}
END_TEST

START_TEST(wide_characters_are_fine)
{
	struct form f;

	form_init(&f, true);
	ck_assert(form_set_mode(&f, FORM_MODE_REGISTER));
	fill_register(&f, "kenji@example.jp", "\xe5\xb1\xb1\xe7\x94\xb0 \xe5\x81\xa5\xe4\xba\x8c",
	              "\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc\xe3\x83\x89\xf0\x9f\x94\x91"
	              "\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf",
	              "\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc\xe3\x83\x89\xf0\x9f\x94\x91"
	              "\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
}
END_TEST

START_TEST(clear_forgets_everything)
{
	struct form f;

	form_init(&f, false);
	fill_register(&f, "new@example.com", "Ann", "secret-pass", "secret-pass");
	ck_assert_int_eq(form_submit(&f, rnd_a), FORM_SEND);
	form_clear(&f);
	ck_assert(all_zero(f.password, sizeof f.password));
	ck_assert(all_zero(f.confirm, sizeof f.confirm));
	ck_assert(all_zero(f.email, sizeof f.email));
	ck_assert(all_zero(f.email_sent, sizeof f.email_sent));
	ck_assert_str_eq(form_request_id(&f), "");
	ck_assert_int_eq(form_mode(&f), FORM_MODE_LOGIN);
	ck_assert(!form_busy(&f));
	/* The guard's setting survives (it is the program's, not the shopper's). */
	ck_assert(!f.guard.enabled);
}
END_TEST

static Suite *
form_suite(void)
{
	Suite *s = suite_create("form");

	TAP_ADD(s, valid_login_is_sent_normalised);
	TAP_ADD(s, bad_email_is_explained_under_its_field);
	TAP_ADD(s, password_length_follows_api_register);
	TAP_ADD(s, empty_fields_are_asked_for_on_submit_only);
	TAP_ADD(s, leaving_a_typed_field_checks_it);
	TAP_ADD(s, register_checks_confirmation_and_name);
	TAP_ADD(s, confirmation_must_be_typed);
	TAP_ADD(s, focus_moves_and_wraps_in_login);
	TAP_ADD(s, focus_moves_through_register_fields);
	TAP_ADD(s, mode_switch_wipes_register_fields);
	TAP_ADD(s, hammered_submit_sends_once);
	TAP_ADD(s, form_is_locked_in_flight);
	TAP_ADD(s, without_guard_every_submit_goes_with_the_same_id);
	TAP_ADD(s, request_id_kept_for_the_same_pair);
	TAP_ADD(s, request_id_renewed_when_the_pair_changes);
	TAP_ADD(s, successful_login_spends_the_id_and_wipes);
	TAP_ADD(s, wrong_password_wipes_it_and_keeps_the_email);
	TAP_ADD(s, register_then_login_keeps_the_password_until_the_login);
	TAP_ADD(s, register_refused_wipes_the_passwords);
	TAP_ADD(s, register_duplicates_without_guard_are_ignored);
	TAP_ADD(s, login_failing_after_register_switches_to_login);
	TAP_ADD(s, too_long_input_is_refused);
	TAP_ADD_TABLE(s, control_and_invalid_input_is_refused, bad_inputs);
	TAP_ADD(s, wide_characters_are_fine);
	TAP_ADD(s, clear_forgets_everything);
	return s;
}

int
main(void)
{
	return run_suite_tap(form_suite());
}
