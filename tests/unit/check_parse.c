/* Unit tests for core/parse: integers in a range, durations, booleans. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "core/parse.h"
#include "tests/unit/tap_main.h"

#define SENTINEL 424242L

struct int_case {
	const char *text;
	long min, max;
	bz_err err;
	long value;
};

struct duration_case {
	const char *text;
	long max_ms;
	bz_err err;
	long ms;
};

struct bool_case {
	const char *text;
	bz_err err;
	bool value;
};

static Suite *parse_suite(void);
static void limits_setup(void);

static const struct int_case int_cases[] = {
	{ "0", 0, 10, BZ_OK, 0 },
	{ "10", 0, 10, BZ_OK, 10 },
	{ "5", 5, 5, BZ_OK, 5 },
	{ "-5", -10, 10, BZ_OK, -5 },
	{ "+7", 0, 10, BZ_OK, 7 },
	{ "007", 0, 10, BZ_OK, 7 },
	{ "010", 0, 100, BZ_OK, 10 },      /* decimal, never octal */
	{ "-0", 0, 10, BZ_OK, 0 },
	{ "5432", 1, 65535, BZ_OK, 5432 },
	{ "", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ " 5", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "5 ", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "5\n", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "\t5", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "5x", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "x5", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "0x10", 0, 100, BZ_ERR_INVALID_INPUT, 0 },
	{ "1e3", 0, 10000, BZ_ERR_INVALID_INPUT, 0 },
	{ "1.0", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "1,000", 0, 10000, BZ_ERR_INVALID_INPUT, 0 },
	{ "+", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "-", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "--5", -10, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "+-5", -10, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "- 5", -10, 10, BZ_ERR_INVALID_INPUT, 0 },
	{ "\xd9\xa1", 0, 10, BZ_ERR_INVALID_INPUT, 0 },  /* ARABIC-INDIC ONE */
	{ "\xef\xbc\x95", 0, 10, BZ_ERR_INVALID_INPUT, 0 }, /* FULLWIDTH FIVE */
	{ "11", 0, 10, BZ_ERR_OVERFLOW, 0 },
	{ "-1", 0, 10, BZ_ERR_OVERFLOW, 0 },
	{ "65536", 1, 65535, BZ_ERR_OVERFLOW, 0 },
	{ "0", 1, 65535, BZ_ERR_OVERFLOW, 0 },
	{ "99999999999999999999999", 0, 10, BZ_ERR_OVERFLOW, 0 },
	{ "-99999999999999999999999", 0, 10, BZ_ERR_OVERFLOW, 0 },
	/* Malformed wins over too large. */
	{ "99999999999999999999999x", 0, 10, BZ_ERR_INVALID_INPUT, 0 },
	/* The caller's bounds are upside down: a bug, not bad input. */
	{ "5", 10, 0, BZ_ERR_INTERNAL, 0 },
};

/* The extremes of long, as text, and one past each (set up at run time,
 * since long's width is the platform's). */
static char long_max_text[32], long_min_text[32];
static char past_max_text[32], past_min_text[32];

static const struct duration_case duration_cases[] = {
	{ "0", 60000, BZ_OK, 0 },
	{ "250", 60000, BZ_OK, 250 },
	{ "250ms", 60000, BZ_OK, 250 },
	{ "2s", 60000, BZ_OK, 2000 },
	{ "1min", 60000, BZ_OK, 60000 },
	{ "0min", 60000, BZ_OK, 0 },
	{ "007s", 60000, BZ_OK, 7000 },
	{ "60000", 60000, BZ_OK, 60000 },
	{ "60s", 60000, BZ_OK, 60000 },
	{ "0ms", 0, BZ_OK, 0 },
	{ "", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "ms", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "s", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "min", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "-1", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "+1", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "1.5s", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2 s", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ " 2s", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2s ", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2S", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2MS", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2m", 60000, BZ_ERR_INVALID_INPUT, 0 },  /* minutes or ms? */
	{ "2h", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2sec", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2mins", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2msx", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "2smin", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "1e3", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "0x10", 60000, BZ_ERR_INVALID_INPUT, 0 },
	{ "60001", 60000, BZ_ERR_OVERFLOW, 0 },
	{ "61s", 60000, BZ_ERR_OVERFLOW, 0 },
	{ "1min", 59999, BZ_ERR_OVERFLOW, 0 },
	{ "1", 0, BZ_ERR_OVERFLOW, 0 },
	{ "99999999999999999999999ms", LONG_MAX, BZ_ERR_OVERFLOW, 0 },
	/* fits a long as a count, not once multiplied to milliseconds */
	{ "9223372036854775807min", LONG_MAX, BZ_ERR_OVERFLOW, 0 },
#if LONG_MAX == 9223372036854775807L
	/* the last whole minute below LONG_MAX ms, and the first above it */
	{ "153722867280912min", LONG_MAX, BZ_OK, 9223372036854720000L },
	{ "153722867280913min", LONG_MAX, BZ_ERR_OVERFLOW, 0 },
#endif
	{ "99999999999999999999999x", LONG_MAX, BZ_ERR_INVALID_INPUT, 0 },
	{ "5", -1, BZ_ERR_INTERNAL, 0 },
};

static const struct bool_case bool_cases[] = {
	{ "1", BZ_OK, true }, { "yes", BZ_OK, true }, { "YES", BZ_OK, true },
	{ "Yes", BZ_OK, true }, { "true", BZ_OK, true }, { "TRUE", BZ_OK, true },
	{ "tRuE", BZ_OK, true }, { "on", BZ_OK, true }, { "ON", BZ_OK, true },
	{ "0", BZ_OK, false }, { "no", BZ_OK, false }, { "NO", BZ_OK, false },
	{ "false", BZ_OK, false }, { "False", BZ_OK, false },
	{ "off", BZ_OK, false }, { "OFF", BZ_OK, false }, { "oFf", BZ_OK, false },
	{ "", BZ_ERR_INVALID_INPUT, false },
	{ " yes", BZ_ERR_INVALID_INPUT, false },
	{ "yes ", BZ_ERR_INVALID_INPUT, false },
	{ "y", BZ_ERR_INVALID_INPUT, false },
	{ "n", BZ_ERR_INVALID_INPUT, false },
	{ "ye", BZ_ERR_INVALID_INPUT, false },
	{ "yess", BZ_ERR_INVALID_INPUT, false },
	{ "of", BZ_ERR_INVALID_INPUT, false },
	{ "onn", BZ_ERR_INVALID_INPUT, false },
	{ "2", BZ_ERR_INVALID_INPUT, false },
	{ "01", BZ_ERR_INVALID_INPUT, false },
	{ "-1", BZ_ERR_INVALID_INPUT, false },
	{ "truex", BZ_ERR_INVALID_INPUT, false },
	{ "enabled", BZ_ERR_INVALID_INPUT, false },
	{ "tru\xc3\xa9", BZ_ERR_INVALID_INPUT, false },
	{ "\xef\xbc\xb9\xef\xbc\xa5\xef\xbc\xb3", BZ_ERR_INVALID_INPUT, false }, /* FULLWIDTH YES */
};

/* Spell out LONG_MAX, LONG_MIN and the values just outside them. */
static void
limits_setup(void)
{
	size_t n;

	snprintf(long_max_text, sizeof long_max_text, "%ld", LONG_MAX);
	snprintf(long_min_text, sizeof long_min_text, "%ld", LONG_MIN);
	/* 2^k - 1 ends in 7 for both 32- and 64-bit long; -2^k ends in 8. */
	strcpy(past_max_text, long_max_text);
	n = strlen(past_max_text);
	ck_assert_int_eq(past_max_text[n - 1], '7');
	past_max_text[n - 1] = '8';
	strcpy(past_min_text, long_min_text);
	n = strlen(past_min_text);
	ck_assert_int_eq(past_min_text[n - 1], '8');
	past_min_text[n - 1] = '9';
}

START_TEST(int_range_table)
{
	const struct int_case *c = &int_cases[_i];
	long got = SENTINEL;
	bz_err err = parse_int_range(c->text, c->min, c->max, &got);

	ck_assert_msg(err == c->err, "parse_int_range(%s, %ld, %ld) returned %s, want %s",
	    TAP_Q(c->text), c->min, c->max, bz_err_name(err), bz_err_name(c->err));
	ck_assert_msg(got == (err == BZ_OK ? c->value : SENTINEL),
	    "parse_int_range(%s, %ld, %ld) left %ld", TAP_Q(c->text), c->min,
	    c->max, got);
}
END_TEST

START_TEST(int_range_long_limits)
{
	long got = SENTINEL;

	ck_assert_int_eq(parse_int_range(long_max_text, LONG_MIN, LONG_MAX, &got), BZ_OK);
	ck_assert_int_eq(got, LONG_MAX);
	ck_assert_int_eq(parse_int_range(long_min_text, LONG_MIN, LONG_MAX, &got), BZ_OK);
	ck_assert_int_eq(got, LONG_MIN);

	got = SENTINEL;
	ck_assert_msg(parse_int_range(past_max_text, LONG_MIN, LONG_MAX, &got) == BZ_ERR_OVERFLOW,
	    "%s accepted", past_max_text);
	ck_assert_msg(parse_int_range(past_min_text, LONG_MIN, LONG_MAX, &got) == BZ_ERR_OVERFLOW,
	    "%s accepted", past_min_text);
	ck_assert_int_eq(got, SENTINEL);
}
END_TEST

START_TEST(int_range_null)
{
	long got = SENTINEL;

	ck_assert_int_eq(parse_int_range(NULL, 0, 10, &got), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(got, SENTINEL);
}
END_TEST

START_TEST(duration_table)
{
	const struct duration_case *c = &duration_cases[_i];
	long got = SENTINEL;
	bz_err err = parse_duration_ms(c->text, c->max_ms, &got);

	ck_assert_msg(err == c->err, "parse_duration_ms(%s, %ld) returned %s, want %s",
	    TAP_Q(c->text), c->max_ms, bz_err_name(err), bz_err_name(c->err));
	ck_assert_msg(got == (err == BZ_OK ? c->ms : SENTINEL),
	    "parse_duration_ms(%s, %ld) left %ld", TAP_Q(c->text), c->max_ms, got);
}
END_TEST

START_TEST(duration_null)
{
	long got = SENTINEL;

	ck_assert_int_eq(parse_duration_ms(NULL, 1000, &got), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(got, SENTINEL);
}
END_TEST

START_TEST(bool_table)
{
	const struct bool_case *c = &bool_cases[_i];

	/* Start from each value in turn, so an error that writes is seen. */
	for (int start = 0; start < 2; start++) {
		bool got = start != 0;
		bz_err err = parse_bool(c->text, &got);

		ck_assert_msg(err == c->err, "parse_bool(%s) returned %s, want %s",
		    TAP_Q(c->text), bz_err_name(err), bz_err_name(c->err));
		ck_assert_msg(got == (err == BZ_OK ? c->value : start != 0),
		    "parse_bool(%s) left %d", TAP_Q(c->text), got);
	}
}
END_TEST

START_TEST(bool_null)
{
	bool got = true;

	ck_assert_int_eq(parse_bool(NULL, &got), BZ_ERR_INVALID_INPUT);
	ck_assert(got);
}
END_TEST

/* The suite: one test case per behaviour, tables run one row per TAP line. */
static Suite *
parse_suite(void)
{
	Suite *s = suite_create("parse");

	TAP_ADD_TABLE(s, int_range_table, int_cases);
	tap_add(s, "int_range_long_limits", int_range_long_limits, 0, 1,
	    limits_setup, NULL);
	TAP_ADD(s, int_range_null);
	TAP_ADD_TABLE(s, duration_table, duration_cases);
	TAP_ADD(s, duration_null);
	TAP_ADD_TABLE(s, bool_table, bool_cases);
	TAP_ADD(s, bool_null);
	return s;
}

int
main(void)
{
	return run_suite_tap(parse_suite());
}
