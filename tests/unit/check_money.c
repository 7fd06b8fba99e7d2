/* Unit tests for core/money: parsing, formatting, their round trip, the
 * int64 boundaries, and independence from the locale. */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/money.h"
#include "tests/unit/tap_main.h"

/* Written by every parser call; checked unchanged after every error. */
#define SENTINEL ((bz_cents)0x5eed5eed5eedLL)

struct valid_case {
	const char *text;
	bz_cents cents;
};

struct invalid_case {
	const char *text;
	bz_err err;
};

struct buf_case {
	const char *text;
	size_t len;
	bz_err err;
	bz_cents cents;
};

struct format_case {
	bz_cents cents;
	const char *text;
};

static Suite *money_suite(void);
static void check_parse_ok(const char *text, bz_cents want);
static void check_parse_err(const char *text, bz_err want);
static void locale_teardown(void);
static void check_unchanged_in_locale(const char *name);
static const char *find_comma_locale(void);

static const struct valid_case valid_cases[] = {
	{ "0", 0 },
	{ "12", 1200 },
	{ "12.3", 1230 },
	{ "12.34", 1234 },
	{ "-5.00", -500 },
	{ "+5", 500 },
	{ " 7.5 ", 750 },
	{ "   1.01", 101 },
	{ "1.01   ", 101 },
	{ "007.50", 750 },
	{ "0.01", 1 },
	{ "-0.01", -1 },
	{ "0.10", 10 },
	{ "0.1", 10 },
	{ "-0", 0 },
	{ "-0.00", 0 },
	{ "+0.1", 10 },
	{ "100000", 10000000 },
	{ "00000000000000000000000000001.00", 100 },
	{ "92233720368547758.07", INT64_MAX },
	{ "+92233720368547758.07", INT64_MAX },
	{ "92233720368547758.06", INT64_MAX - 1 },
	{ "92233720368547758", INT64_C(9223372036854775800) },
	{ "-92233720368547758.08", INT64_MIN },
	{ "-92233720368547758.07", INT64_MIN + 1 },
	{ "-92233720368547758", -INT64_C(9223372036854775800) },
	{ "-0000092233720368547758.08", INT64_MIN },
};

static const char *const invalid_cases[] = {
	"", " ", "   ", "-", "+", ".", "-.", "1.", "-1.", ".5", "-.5", "+.5",
	"1.234", "0.001", "12.345", "1.2.3", "1..2",
	"1,000", "1,00", "1,000.00", "1 000", "1_000", "1'000",
	"+-5", "-+5", "--5", "++5", "- 5", "+ 5", "5 .00", "5. 00", "5 -",
	"1e3", "1E3", "1.5e2", "0x10", "0X1A", "inf", "-inf", "nan", "infinity",
	"abc", "12abc", "$12", "12$", "12\xe2\x82\xac", "\xe2\x82\xac" "12",
	"\t12", "12\t", "12\n", "\n12", "12\r", "\v12", "\f12",
	"\xef\xbc\x91",      /* FULLWIDTH DIGIT ONE */
	"\xd9\xa1\xd9\xa2",  /* ARABIC-INDIC ONE TWO */
	"1\xd9\xa2",         /* an ASCII digit then a non-ASCII one */
	"\xc2\xa0" "12",     /* NO-BREAK SPACE before */
	"12\xc2\xa0",        /* NO-BREAK SPACE after */
	"\xe2\x88\x92" "5",  /* MINUS SIGN, not hyphen-minus */
	/* Malformed beats too large: the caller should fix the text first. */
	"99999999999999999999999999.999",
	"-92233720368547758.089",
	"99999999999999999999999999x",
};

static const char *const overflow_cases[] = {
	"92233720368547758.08",
	"+92233720368547758.08",
	"92233720368547758.1",
	"92233720368547759",
	"100000000000000000",
	"-92233720368547758.09",
	"-92233720368547758.1",
	"-92233720368547759",
	"184467440737095516",    /* times 100 wraps a uint64 */
	"184467440737095516.16", /* exactly 2^64 cents */
	"18446744073709551616",  /* 2^64 units */
	"99999999999999999999999999",
	"-99999999999999999999999999",
	"0000092233720368547758.08",
};

static const struct buf_case buf_cases[] = {
	{ "12\0.34", 6, BZ_ERR_INVALID_INPUT, 0 }, /* inner NUL */
	{ "1\0", 2, BZ_ERR_INVALID_INPUT, 0 },     /* trailing NUL in range */
	{ "\0" "1", 2, BZ_ERR_INVALID_INPUT, 0 },  /* leading NUL */
	{ "12.34", 0, BZ_ERR_INVALID_INPUT, 0 },   /* nothing */
	{ "12.34xyz", 5, BZ_OK, 1234 },            /* stops at LEN */
	{ "12.345", 4, BZ_OK, 1230 },              /* "12.3" */
	{ " 5 ", 3, BZ_OK, 500 },
	{ "-92233720368547758.08", 21, BZ_OK, INT64_MIN },
	{ "-92233720368547758.09", 21, BZ_ERR_OVERFLOW, 0 },
};

static const struct format_case format_cases[] = {
	{ 0, "0.00" },
	{ 1, "0.01" },
	{ -1, "-0.01" },
	{ 5, "0.05" },
	{ -5, "-0.05" },
	{ 10, "0.10" },
	{ 99, "0.99" },
	{ -99, "-0.99" },
	{ 100, "1.00" },
	{ -100, "-1.00" },
	{ 1234, "12.34" },
	{ -1234, "-12.34" },
	{ 5000, "50.00" },
	{ 123456789, "1234567.89" },
	{ INT64_MAX, "92233720368547758.07" },
	{ INT64_MAX - 1, "92233720368547758.06" },
	{ INT64_MIN, "-92233720368547758.08" },
	{ INT64_MIN + 1, "-92233720368547758.07" },
};

/* Values whose format/parse round trip is checked, boundaries first. */
static const bz_cents round_trip_values[] = {
	0, 1, -1, 9, 10, 99, 100, 101, -101, 999999, INT64_MAX, INT64_MIN,
	INT64_MAX - 1, INT64_MIN + 1, INT64_MAX / 100, INT64_MIN / 100,
	INT64_MAX / 100 * 100, INT64_MIN / 100 * 100,
};

/* Locales whose decimal separator is ','; the first one installed is used.
 * BAZAR_TEST_COMMA_LOCALE, when set, is tried first. */
static const char *const comma_locales[] = {
	"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
	"nl_NL.UTF-8", "es_ES.UTF-8", "it_IT.UTF-8", "pt_BR.UTF-8",
	"ru_RU.UTF-8", "de_DE", "fr_FR", "de_DE@euro",
};

static const char *comma_locale;

/* Assert that TEXT parses to WANT. */
static void
check_parse_ok(const char *text, bz_cents want)
{
	bz_cents got = SENTINEL;
	bz_err err = money_parse(text, &got);

	ck_assert_msg(err == BZ_OK, "money_parse(%s) returned %s, want ok",
	    TAP_Q(text), bz_err_name(err));
	ck_assert_msg(got == want, "money_parse(%s) gave %jd cents, want %jd",
	    TAP_Q(text), (intmax_t)got, (intmax_t)want);
}

/* Assert that TEXT is refused with WANT and leaves the output alone. */
static void
check_parse_err(const char *text, bz_err want)
{
	bz_cents got = SENTINEL;
	bz_err err = money_parse(text, &got);

	ck_assert_msg(err == want, "money_parse(%s) returned %s, want %s",
	    TAP_Q(text), bz_err_name(err), bz_err_name(want));
	ck_assert_msg(got == SENTINEL, "money_parse(%s) wrote %jd on error",
	    TAP_Q(text), (intmax_t)got);
}

START_TEST(parse_valid)
{
	check_parse_ok(valid_cases[_i].text, valid_cases[_i].cents);
}
END_TEST

START_TEST(parse_invalid)
{
	check_parse_err(invalid_cases[_i], BZ_ERR_INVALID_INPUT);
}
END_TEST

START_TEST(parse_overflow)
{
	check_parse_err(overflow_cases[_i], BZ_ERR_OVERFLOW);
}
END_TEST

START_TEST(parse_null)
{
	bz_cents got = SENTINEL;

	ck_assert_int_eq(money_parse(NULL, &got), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(money_parse_nonneg(NULL, &got), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(money_parse_buf(NULL, 3, &got), BZ_ERR_INVALID_INPUT);
	ck_assert(got == SENTINEL);
	ck_assert_int_eq(money_parse("1", NULL), BZ_ERR_INVALID_INPUT);
}
END_TEST

START_TEST(parse_nonneg_accepts)
{
	static const struct valid_case cases[] = {
		{ "5", 500 }, { "+5", 500 }, { "0", 0 }, { " 0.00 ", 0 },
		{ "92233720368547758.07", INT64_MAX },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bz_cents got = SENTINEL;
		bz_err err = money_parse_nonneg(cases[i].text, &got);

		ck_assert_msg(err == BZ_OK && got == cases[i].cents,
		    "money_parse_nonneg(%s): %s, %jd cents; want ok, %jd",
		    TAP_Q(cases[i].text), bz_err_name(err), (intmax_t)got,
		    (intmax_t)cases[i].cents);
	}
}
END_TEST

START_TEST(parse_nonneg_refuses)
{
	static const struct invalid_case cases[] = {
		{ "-5", BZ_ERR_INVALID_INPUT },
		{ "-0", BZ_ERR_INVALID_INPUT },
		{ "-0.00", BZ_ERR_INVALID_INPUT },
		{ " -0.01", BZ_ERR_INVALID_INPUT },
		/* negative is the complaint, not its size */
		{ "-92233720368547758.09", BZ_ERR_INVALID_INPUT },
		{ "abc", BZ_ERR_INVALID_INPUT },
		{ "1.234", BZ_ERR_INVALID_INPUT },
		{ "92233720368547758.08", BZ_ERR_OVERFLOW },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bz_cents got = SENTINEL;
		bz_err err = money_parse_nonneg(cases[i].text, &got);

		ck_assert_msg(err == cases[i].err && got == SENTINEL,
		    "money_parse_nonneg(%s): %s, %jd cents; want %s, untouched",
		    TAP_Q(cases[i].text), bz_err_name(err), (intmax_t)got,
		    bz_err_name(cases[i].err));
	}
}
END_TEST

START_TEST(parse_buf)
{
	const struct buf_case *c = &buf_cases[_i];
	bz_cents got = SENTINEL;
	bz_err err = money_parse_buf(c->text, c->len, &got);

	ck_assert_msg(err == c->err, "money_parse_buf(%s, %zu) returned %s, want %s",
	    tap_quote(c->text, c->len), c->len, bz_err_name(err),
	    bz_err_name(c->err));
	ck_assert_msg(got == (c->err == BZ_OK ? c->cents : SENTINEL),
	    "money_parse_buf(%s, %zu) left %jd cents",
	    tap_quote(c->text, c->len), c->len, (intmax_t)got);
}
END_TEST

START_TEST(format_values)
{
	const struct format_case *c = &format_cases[_i];
	char buf[MONEY_FORMAT_MAX];
	size_t n = money_format(c->cents, buf, sizeof buf);

	ck_assert_msg(strcmp(buf, c->text) == 0, "money_format(%jd) gave %s, want %s",
	    (intmax_t)c->cents, TAP_Q(buf), TAP_Q(c->text));
	ck_assert_msg(n == strlen(c->text), "money_format(%jd) returned %zu, want %zu",
	    (intmax_t)c->cents, n, strlen(c->text));
}
END_TEST

START_TEST(format_max_fits)
{
	/* The longest text there is, and it fits the documented maximum. */
	ck_assert_uint_eq(money_format(INT64_MIN, NULL, 0), MONEY_FORMAT_MAX - 3);
	ck_assert_uint_lt(money_format(INT64_MAX, NULL, 0), MONEY_FORMAT_MAX);
}
END_TEST

START_TEST(format_truncates_like_snprintf)
{
	char buf[16];
	size_t n;

	/* Size query: no buffer at all. */
	ck_assert_uint_eq(money_format(1234, NULL, 0), 5);

	/* buflen 0 must not write even the NUL. */
	memset(buf, 'X', sizeof buf);
	ck_assert_uint_eq(money_format(1234, buf, 0), 5);
	ck_assert_int_eq(buf[0], 'X');

	memset(buf, 'X', sizeof buf);
	n = money_format(1234, buf, 1);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(buf[1], 'X');

	memset(buf, 'X', sizeof buf);
	n = money_format(-1234, buf, 4);
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq(buf, "-12");
	ck_assert_int_eq(buf[4], 'X');

	/* One byte short of the NUL: the last character goes. */
	memset(buf, 'X', sizeof buf);
	n = money_format(1234, buf, 5);
	ck_assert_str_eq(buf, "12.3");
	ck_assert_int_eq(buf[5], 'X');

	memset(buf, 'X', sizeof buf);
	n = money_format(1234, buf, 6);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(buf, "12.34");
	ck_assert_int_eq(buf[6], 'X');
}
END_TEST

START_TEST(round_trip_boundaries)
{
	char buf[MONEY_FORMAT_MAX];
	bz_cents v = round_trip_values[_i], got = SENTINEL;

	money_format(v, buf, sizeof buf);
	ck_assert_msg(money_parse(buf, &got) == BZ_OK && got == v,
	    "%jd formatted as %s parsed back as %jd", (intmax_t)v, TAP_Q(buf),
	    (intmax_t)got);
}
END_TEST

START_TEST(round_trip_small_amounts)
{
	char buf[MONEY_FORMAT_MAX];

	/* Every amount from -2000.00 to 2000.00. */
	for (bz_cents v = -200000; v <= 200000; v++) {
		bz_cents got = SENTINEL;

		money_format(v, buf, sizeof buf);
		ck_assert_msg(money_parse(buf, &got) == BZ_OK && got == v,
		    "%jd formatted as %s parsed back as %jd", (intmax_t)v,
		    TAP_Q(buf), (intmax_t)got);
	}
}
END_TEST

START_TEST(round_trip_spread)
{
	char buf[MONEY_FORMAT_MAX];
	uint64_t x = 0x9e3779b97f4a7c15u;

	/* A fixed xorshift sequence over the whole int64 range, every
	 * magnitude represented (the shift varies the length). */
	for (int i = 0; i < 20000; i++) {
		bz_cents v, got = SENTINEL;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = (bz_cents)(x >> (i % 64));
		if (i & 1)
			v = v == INT64_MIN ? v : -v;
		money_format(v, buf, sizeof buf);
		ck_assert_msg(money_parse(buf, &got) == BZ_OK && got == v,
		    "%jd formatted as %s parsed back as %jd", (intmax_t)v,
		    TAP_Q(buf), (intmax_t)got);
	}
}
END_TEST

/* Put the process back in the "C" locale (matters with CK_FORK=no). */
static void
locale_teardown(void)
{
	setlocale(LC_ALL, "C");
}

/* Switch to locale NAME and check that money text does not change. */
static void
check_unchanged_in_locale(const char *name)
{
	char buf[MONEY_FORMAT_MAX];

	ck_assert_msg(setlocale(LC_ALL, name) != NULL, "setlocale(%s) failed", name);

	for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++)
		check_parse_ok(valid_cases[i].text, valid_cases[i].cents);
	for (size_t i = 0; i < sizeof invalid_cases / sizeof invalid_cases[0]; i++)
		check_parse_err(invalid_cases[i], BZ_ERR_INVALID_INPUT);
	for (size_t i = 0; i < sizeof overflow_cases / sizeof overflow_cases[0]; i++)
		check_parse_err(overflow_cases[i], BZ_ERR_OVERFLOW);
	for (size_t i = 0; i < sizeof format_cases / sizeof format_cases[0]; i++) {
		money_format(format_cases[i].cents, buf, sizeof buf);
		ck_assert_msg(strcmp(buf, format_cases[i].text) == 0,
		    "in %s, money_format(%jd) gave %s, want %s", name,
		    (intmax_t)format_cases[i].cents, TAP_Q(buf),
		    TAP_Q(format_cases[i].text));
	}
}

START_TEST(locale_c_utf8)
{
	check_unchanged_in_locale("C.UTF-8");
}
END_TEST

START_TEST(locale_comma_decimal)
{
	char buf[32];

	check_unchanged_in_locale(comma_locale);
	/* Prove the locale really is in force: the C library itself now
	 * writes and reads a comma, and "12,34" still is not money. */
	ck_assert_str_eq(localeconv()->decimal_point, ",");
	snprintf(buf, sizeof buf, "%.2f", 12.34);
	ck_assert_msg(strcmp(buf, "12,34") == 0, "in %s, printf gave %s",
	    comma_locale, buf);
	check_parse_err("12,34", BZ_ERR_INVALID_INPUT);
}
END_TEST

/* The first installed locale with a ',' decimal point, or NULL. Probed
 * once in the parent; the process is left in the "C" locale. */
static const char *
find_comma_locale(void)
{
	const char *env = getenv("BAZAR_TEST_COMMA_LOCALE");
	const char *found = NULL;
	size_t n = sizeof comma_locales / sizeof comma_locales[0];

	for (size_t i = env != NULL && *env != '\0' ? 0 : 1; i <= n && found == NULL; i++) {
		const char *name = i == 0 ? env : comma_locales[i - 1];

		if (setlocale(LC_ALL, name) != NULL &&
		    strcmp(localeconv()->decimal_point, ",") == 0)
			found = name;
	}
	setlocale(LC_ALL, "C");
	return found;
}

/* The suite: one test case per behaviour, tables run one row per TAP line. */
static Suite *
money_suite(void)
{
	Suite *s = suite_create("money");

	TAP_ADD_TABLE(s, parse_valid, valid_cases);
	TAP_ADD_TABLE(s, parse_invalid, invalid_cases);
	TAP_ADD_TABLE(s, parse_overflow, overflow_cases);
	TAP_ADD(s, parse_null);
	TAP_ADD(s, parse_nonneg_accepts);
	TAP_ADD(s, parse_nonneg_refuses);
	TAP_ADD_TABLE(s, parse_buf, buf_cases);
	TAP_ADD_TABLE(s, format_values, format_cases);
	TAP_ADD(s, format_max_fits);
	TAP_ADD(s, format_truncates_like_snprintf);
	TAP_ADD_TABLE(s, round_trip_boundaries, round_trip_values);
	TAP_ADD(s, round_trip_small_amounts);
	TAP_ADD(s, round_trip_spread);

	tap_add(s, "locale_c_utf8", locale_c_utf8, 0, 1, NULL, locale_teardown);
	comma_locale = find_comma_locale();
	if (comma_locale != NULL)
		tap_add(s, "locale_comma_decimal", locale_comma_decimal, 0, 1,
		    NULL, locale_teardown);
	else
		tap_skip("locale_comma_decimal",
		    "no locale with a ',' decimal point is installed "
		    "(e.g. localedef -i de_DE -f UTF-8 de_DE.UTF-8)");
	return s;
}

int
main(void)
{
	return run_suite_tap(money_suite());
}
