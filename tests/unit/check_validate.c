/* Unit tests for core/validate: e-mail, password, quantity and display
 * name, with their boundaries and the inputs a person (or a paste) can
 * produce by mistake. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>

#include "core/validate.h"
#include "tests/unit/tap_main.h"

#define SENTINEL_INT 4242

struct text_case {
	const char *text;
	bz_err err;
	const char *out; /* BZ_OK: the normalised text */
};

struct bytes_case {
	const char *bytes;
	size_t len;
	bz_err err;
};

struct quantity_case {
	const char *text;
	int max;
	bz_err err;
	int value;
};

static Suite *validate_suite(void);
static char *repeat(char *buf, char c, size_t n);

static const struct text_case email_cases[] = {
	{ "ann@example.com", BZ_OK, "ann@example.com" },
	{ "Ann.Smith@Example.COM", BZ_OK, "ann.smith@example.com" },
	{ "  ann@example.com\t\n", BZ_OK, "ann@example.com" },
	{ "a@b.c", BZ_OK, "a@b.c" },
	{ "first.last+tag@sub.example.co.uk", BZ_OK,
	  "first.last+tag@sub.example.co.uk" },
	{ "o'brien@example.ie", BZ_OK, "o'brien@example.ie" },
	{ "x_y-z@ex-ample.org", BZ_OK, "x_y-z@ex-ample.org" },
	{ "", BZ_ERR_INVALID_INPUT, NULL },
	{ "   ", BZ_ERR_INVALID_INPUT, NULL },
	{ "annexample.com", BZ_ERR_INVALID_INPUT, NULL },     /* no '@' */
	{ "ann@@example.com", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann@ex@ample.com", BZ_ERR_INVALID_INPUT, NULL },
	{ "@example.com", BZ_ERR_INVALID_INPUT, NULL },       /* empty local */
	{ "ann@", BZ_ERR_INVALID_INPUT, NULL },               /* empty domain */
	{ "ann@localhost", BZ_ERR_INVALID_INPUT, NULL },      /* no dot */
	{ "ann@.example.com", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann@example.com.", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann@example..com", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann@.", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann smith@example.com", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann@exa mple.com", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann\t@example.com", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann@example.com\x01", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann\x7f@example.com", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann@example.com\r\nBcc: x@y.z", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann\xc3\xa9@example.com", BZ_ERR_INVALID_INPUT, NULL }, /* UTF-8 */
	{ "ann@b\xc3\xbc" "cher.de", BZ_ERR_INVALID_INPUT, NULL },
	{ "ann@example.com\xc2\xa0", BZ_ERR_INVALID_INPUT, NULL },  /* NBSP */
	{ "\xff@example.com", BZ_ERR_INVALID_INPUT, NULL },
};

static const struct bytes_case password_cases[] = {
	{ "12345678", 8, BZ_OK },
	{ "correct horse battery staple", 28, BZ_OK },
	{ "  spaces count  ", 16, BZ_OK },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 16,
	  BZ_OK },                                   /* 8 characters, 16 bytes */
	{ "1234567", 7, BZ_ERR_INVALID_INPUT },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8,
	  BZ_ERR_INVALID_INPUT },                    /* 8 bytes, 4 characters */
	{ "", 0, BZ_ERR_INVALID_INPUT },
	{ "1234\0" "5678", 9, BZ_ERR_INVALID_INPUT }, /* inner NUL */
	{ "12345678\0", 9, BZ_ERR_INVALID_INPUT },    /* trailing NUL in LEN */
	{ "1234567\xff", 8, BZ_ERR_INVALID_INPUT },    /* not UTF-8 */
	{ "1234567\xc3", 8, BZ_ERR_INVALID_INPUT },    /* truncated sequence */
	{ "123456\xc0\xaf", 8, BZ_ERR_INVALID_INPUT }, /* overlong '/' */
	{ "12345\xed\xa0\x80", 8, BZ_ERR_INVALID_INPUT }, /* surrogate */
	{ "1234\xf4\x90\x80\x80", 8, BZ_ERR_INVALID_INPUT }, /* > U+10FFFF */
	{ "1234\xf0\x9f\x98\x80" "5678", 12, BZ_OK },  /* an emoji */
};

static const struct quantity_case quantity_cases[] = {
	{ "1", 10, BZ_OK, 1 },
	{ "10", 10, BZ_OK, 10 },
	{ " 3 ", 10, BZ_OK, 3 },
	{ "\t7\n", 10, BZ_OK, 7 },
	{ "+2", 10, BZ_OK, 2 },
	{ "007", 10, BZ_OK, 7 },               /* decimal, never octal */
	{ "1", 1, BZ_OK, 1 },
	{ "2147483647", 2147483647, BZ_OK, 2147483647 },
	{ "11", 10, BZ_ERR_OVERFLOW, 0 },
	{ "0", 10, BZ_ERR_OVERFLOW, 0 },
	{ "-1", 10, BZ_ERR_OVERFLOW, 0 },
	{ "-0", 10, BZ_ERR_OVERFLOW, 0 },
	{ "2147483648", 2147483647, BZ_ERR_OVERFLOW, 0 },
	{ "99999999999999999999999", 10, BZ_ERR_OVERFLOW, 0 },
	{ "-99999999999999999999999", 10, BZ_ERR_OVERFLOW, 0 },
	{ "", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "  ", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "two", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "2.0", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "2,5", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "1e1", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "0x3", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "3 4", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "+", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "--1", 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "\xef\xbc\x93", 10, BZ_ERR_INVALID_INPUT, 0 }, /* FULLWIDTH THREE */
	{ "3", 0, BZ_ERR_INTERNAL, 0 },        /* no limit: a caller bug */
	{ "3", -5, BZ_ERR_INTERNAL, 0 },
};

static const struct text_case name_cases[] = {
	{ "Ann", BZ_OK, "Ann" },
	{ "  Ann Smith  ", BZ_OK, "Ann Smith" },
	{ "A", BZ_OK, "A" },
	{ "Zo\xc3\xab O'Neil-Brown", BZ_OK, "Zo\xc3\xab O'Neil-Brown" },
	{ "\xe5\xb1\xb1\xe7\x94\xb0", BZ_OK, "\xe5\xb1\xb1\xe7\x94\xb0" },
	{ "\xf0\x9f\x98\x80 fan", BZ_OK, "\xf0\x9f\x98\x80 fan" },
	{ "", BZ_ERR_INVALID_INPUT, NULL },
	{ " \t ", BZ_ERR_INVALID_INPUT, NULL },
	{ "Ann\nSmith", BZ_ERR_INVALID_INPUT, NULL },
	{ "Ann\tSmith", BZ_ERR_INVALID_INPUT, NULL },
	{ "Ann\x1b[31mRed", BZ_ERR_INVALID_INPUT, NULL },   /* terminal escape */
	{ "Ann\x7f", BZ_ERR_INVALID_INPUT, NULL },
	{ "Ann\xc2\x85", BZ_ERR_INVALID_INPUT, NULL },       /* C1 NEL */
	{ "Ann\xc2\x9b" "31m", BZ_ERR_INVALID_INPUT, NULL }, /* C1 CSI */
	{ "Ann\xe2\x80\xae" "nimda", BZ_ERR_INVALID_INPUT, NULL }, /* RLO */
	{ "Ann\xe2\x81\xa6x", BZ_ERR_INVALID_INPUT, NULL },  /* LRI */
	{ "Ann\xe2\x80\xa8x", BZ_ERR_INVALID_INPUT, NULL },  /* LINE SEP */
	{ "Ann\xff", BZ_ERR_INVALID_INPUT, NULL },
	{ "Ann\xc3", BZ_ERR_INVALID_INPUT, NULL },
	{ "Ann\xc1\x81", BZ_ERR_INVALID_INPUT, NULL },       /* overlong 'A' */
	{ "Ann\xe0\x80\x80", BZ_ERR_INVALID_INPUT, NULL },   /* overlong NUL */
	{ "Ann\xed\xbf\xbf", BZ_ERR_INVALID_INPUT, NULL },   /* surrogate */
	{ "Ann\x80", BZ_ERR_INVALID_INPUT, NULL },           /* stray continuation */
	{ "Ann\xf8\x88\x80\x80\x80", BZ_ERR_INVALID_INPUT, NULL }, /* 5 bytes */
};

/* N copies of C into BUF, NUL-terminated; returns BUF. */
static char *
repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

START_TEST(email_table)
{
	const struct text_case *c = &email_cases[_i];
	char out[VALIDATE_EMAIL_BUF_SIZE] = "untouched";
	char err[160] = "";
	bz_err got = validate_email(c->text, out, err, sizeof err);

	ck_assert_msg(got == c->err, "validate_email(%s) = %s, want %s (%s)",
	    TAP_Q(c->text), bz_err_name(got), bz_err_name(c->err), err);
	if (c->err == BZ_OK) {
		ck_assert_str_eq(out, c->out);
	} else {
		ck_assert_str_eq(out, "untouched");
		ck_assert_msg(err[0] != '\0', "no reason for %s", TAP_Q(c->text));
	}
}
END_TEST

START_TEST(email_lengths)
{
	char text[600], local[100], domain[400], out[VALIDATE_EMAIL_BUF_SIZE];
	char err[160];

	/* Local part: 64 accepted, 65 refused. */
	snprintf(text, sizeof text, "%s@example.com", repeat(local, 'a', 64));
	ck_assert_int_eq(validate_email(text, out, err, sizeof err), BZ_OK);
	snprintf(text, sizeof text, "%s@example.com", repeat(local, 'a', 65));
	ck_assert_int_eq(validate_email(text, out, err, sizeof err),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_msg(strstr(err, "64") != NULL, "%s", err);

	/* Whole address: 254 accepted, 255 refused ("a@" + domain). */
	repeat(domain, 'd', 248);
	memcpy(domain + 248, ".com", 5);
	snprintf(text, sizeof text, "a@%s", domain);
	ck_assert_uint_eq(strlen(text), 254);
	ck_assert_int_eq(validate_email(text, out, err, sizeof err), BZ_OK);
	ck_assert_str_eq(out, text);
	snprintf(text, sizeof text, "ab@%s", domain);
	ck_assert_int_eq(validate_email(text, out, err, sizeof err),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_msg(strstr(err, "254") != NULL, "%s", err);

	/* Trimming happens before the length is counted. */
	snprintf(text, sizeof text, "   a@%s   ", domain);
	ck_assert_int_eq(validate_email(text, out, err, sizeof err), BZ_OK);
}
END_TEST

START_TEST(email_null_and_optional_out)
{
	char err[160];

	ck_assert_int_eq(validate_email(NULL, NULL, err, sizeof err),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(validate_email("a@b.c", NULL, NULL, 0), BZ_OK);
	ck_assert_int_eq(validate_email("a@b", NULL, NULL, 0),
	    BZ_ERR_INVALID_INPUT);
}
END_TEST

START_TEST(ascii_lower)
{
	char s[] = "AbC@\xc3\x89xample.COM-Z";

	validate_ascii_lower(s);
	ck_assert_str_eq(s, "abc@\xc3\x89xample.com-z"); /* non-ASCII untouched */
}
END_TEST

START_TEST(password_table)
{
	const struct bytes_case *c = &password_cases[_i];
	char err[160] = "";
	bz_err got = validate_password(c->bytes, c->len, err, sizeof err);

	ck_assert_msg(got == c->err, "validate_password(%s) = %s, want %s (%s)",
	    tap_quote(c->bytes, c->len), bz_err_name(got), bz_err_name(c->err),
	    err);
	if (c->err != BZ_OK)
		ck_assert(err[0] != '\0');
}
END_TEST

START_TEST(password_lengths)
{
	char pw[300];

	ck_assert_int_eq(validate_password(repeat(pw, 'x', 128), 128, NULL, 0),
	    BZ_OK);
	ck_assert_int_eq(validate_password(repeat(pw, 'x', 129), 129, NULL, 0),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(validate_password(repeat(pw, 'x', 299), 299, NULL, 0),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(validate_password(NULL, 8, NULL, 0),
	    BZ_ERR_INVALID_INPUT);
	/* 43 three-byte characters = 129 bytes: refused by bytes. */
	for (int i = 0; i < 43; i++)
		memcpy(pw + 3 * i, "\xe2\x82\xac", 3);
	ck_assert_int_eq(validate_password(pw, 129, NULL, 0),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(validate_password(pw, 126, NULL, 0), BZ_OK);
}
END_TEST

START_TEST(quantity_table)
{
	const struct quantity_case *c = &quantity_cases[_i];
	int got = SENTINEL_INT;
	char err[160] = "";
	bz_err rc = validate_quantity(c->text, c->max, &got, err, sizeof err);

	ck_assert_msg(rc == c->err, "validate_quantity(%s, %d) = %s, want %s (%s)",
	    TAP_Q(c->text), c->max, bz_err_name(rc), bz_err_name(c->err), err);
	if (c->err == BZ_OK) {
		ck_assert_int_eq(got, c->value);
	} else {
		ck_assert_int_eq(got, SENTINEL_INT);
		ck_assert(err[0] != '\0');
	}
}
END_TEST

START_TEST(quantity_messages)
{
	char err[160];
	int got;

	ck_assert_int_eq(validate_quantity("11", 10, &got, err, sizeof err),
	    BZ_ERR_OVERFLOW);
	ck_assert_str_eq(err, "You can buy at most 10 of one product.");
	ck_assert_int_eq(validate_quantity("0", 10, &got, err, sizeof err),
	    BZ_ERR_OVERFLOW);
	ck_assert_str_eq(err, "The quantity must be at least 1.");
	ck_assert_int_eq(validate_quantity(NULL, 10, &got, err, sizeof err),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "Please enter a quantity.");
}
END_TEST

START_TEST(name_table)
{
	const struct text_case *c = &name_cases[_i];
	char out[VALIDATE_NAME_BUF_SIZE] = "untouched";
	char err[160] = "";
	bz_err got = validate_display_name(c->text, out, err, sizeof err);

	ck_assert_msg(got == c->err, "validate_display_name(%s) = %s, want %s (%s)",
	    TAP_Q(c->text), bz_err_name(got), bz_err_name(c->err), err);
	if (c->err == BZ_OK) {
		ck_assert_str_eq(out, c->out);
	} else {
		ck_assert_str_eq(out, "untouched");
		ck_assert(err[0] != '\0');
	}
}
END_TEST

START_TEST(name_lengths)
{
	char name[VALIDATE_NAME_BUF_SIZE + 8], out[VALIDATE_NAME_BUF_SIZE];
	char err[160];

	ck_assert_int_eq(validate_display_name(repeat(name, 'n', 80), out, err,
	    sizeof err), BZ_OK);
	ck_assert_int_eq(validate_display_name(repeat(name, 'n', 81), out, err,
	    sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_msg(strstr(err, "80") != NULL, "%s", err);
	/* Characters, not bytes: 80 four-byte characters fill the buffer. */
	for (int i = 0; i < 80; i++)
		memcpy(name + 4 * i, "\xf0\x9f\x98\x80", 4);
	name[320] = '\0';
	ck_assert_int_eq(validate_display_name(name, out, err, sizeof err), BZ_OK);
	ck_assert_str_eq(out, name);
	memcpy(name + 320, "x", 2);
	ck_assert_int_eq(validate_display_name(name, out, err, sizeof err),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(validate_display_name(NULL, out, err, sizeof err),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(validate_display_name("Ann", NULL, NULL, 0), BZ_OK);
}
END_TEST

/* The suite: one test case per behaviour, tables run one row per TAP line. */
static Suite *
validate_suite(void)
{
	Suite *s = suite_create("validate");

	TAP_ADD_TABLE(s, email_table, email_cases);
	TAP_ADD(s, email_lengths);
	TAP_ADD(s, email_null_and_optional_out);
	TAP_ADD(s, ascii_lower);
	TAP_ADD_TABLE(s, password_table, password_cases);
	TAP_ADD(s, password_lengths);
	TAP_ADD_TABLE(s, quantity_table, quantity_cases);
	TAP_ADD(s, quantity_messages);
	TAP_ADD_TABLE(s, name_table, name_cases);
	TAP_ADD(s, name_lengths);
	return s;
}

int
main(void)
{
	return run_suite_tap(validate_suite());
}
