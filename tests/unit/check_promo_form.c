/* Unit tests for core/promo_form: UTC dates both ways (leap days, bad
 * months, the exclusive end), percentages and amounts, limits, the whole
 * form with the field that is wrong, and the max-uses rule's sentence,
 * which must be the server's (tests/sql/staff_promos.sql). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/promo_form.h"
#include "tests/unit/tap_main.h"

static Suite *promo_form_suite(void);

/* Expected seconds computed once with `date -u -d ... +%s`. */
#define US(s) ((int64_t)(s) * 1000000)

START_TEST(dates_are_utc)
{
	int64_t us = -1;
	char err[160], buf[PROMO_FORM_TIME_BUF_SIZE];

	ck_assert_int_eq(promo_form_parse_time("2027-01-01", &us, err, sizeof err), BZ_OK);
	ck_assert_int_eq(us, US(1798761600));
	ck_assert_int_eq(promo_form_parse_time(" 2027-01-31 18:05 ", &us, err, sizeof err), BZ_OK);
	ck_assert_int_eq(us, US(1801418700));
	ck_assert_int_eq(promo_form_parse_time("2000-01-01", &us, err, sizeof err), BZ_OK);
	ck_assert_int_eq(us, US(946684800));
	ck_assert_int_eq(promo_form_parse_time("2028-02-29 23:59", &us, err, sizeof err), BZ_OK);
	ck_assert_int_eq(us, US(1835481540));
	promo_form_format_time(us, buf, sizeof buf);
	ck_assert_str_eq(buf, "2028-02-29 23:59");
	promo_form_format_time(US(1798761600), buf, sizeof buf);
	ck_assert_str_eq(buf, "2027-01-01");
	promo_form_format_time(0, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(promo_form_parse_time("   ", &us, err, sizeof err), BZ_OK);
	ck_assert_int_eq(us, 0);
	ck_assert_int_eq(promo_form_parse_time(NULL, &us, err, sizeof err), BZ_OK);
	ck_assert_int_eq(us, 0);
}
END_TEST

START_TEST(dates_round_trip)
{
	char err[160], buf[PROMO_FORM_TIME_BUF_SIZE];
	int64_t us, back;

	/* Every day of 2000..2100 at one minute past something. */
	for (us = US(946684800) + US(60 * 7); us < US(4102444800); us += US(86400 + 60)) {
		promo_form_format_time(us, buf, sizeof buf);
		ck_assert_int_eq(promo_form_parse_time(buf, &back, err, sizeof err), BZ_OK);
		ck_assert_int_eq(back, us / US(60) * US(60));
	}
}
END_TEST

START_TEST(bad_dates_are_explained)
{
	int64_t us = 42;
	char err[160];

	ck_assert_int_eq(promo_form_parse_time("2027-13-01", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "2027-13-01 has no month 13: months are 01 to 12.");
	ck_assert_int_eq(promo_form_parse_time("2027-02-29", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "2027-02-29: that month has days 01 to 28.");
	ck_assert_int_eq(promo_form_parse_time("2100-02-29", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_time("2027-04-31", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_time("2027-01-01 24:00", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "24:00: the time is 00:00 to 23:59.");
	ck_assert_int_eq(promo_form_parse_time("2027-01-01 12:60", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_time("1999-12-31", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "1999 is too long ago: the year is 2000 to 9999.");
	ck_assert_int_eq(promo_form_parse_time("31.01.2027", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "Type a date as 2027-01-31, or 2027-01-31 18:00 (UTC).");
	ck_assert_int_eq(promo_form_parse_time("2027-1-5", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_time("2027-01-01T10:00", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_time("2027-01-01 10:00:00", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_time("2027-01-01 1a:00", &us, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(us, 42);
}
END_TEST

START_TEST(values)
{
	int64_t v = 0;
	char err[160];

	ck_assert_int_eq(promo_form_parse_value(PROMO_PERCENTAGE, "15", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 15);
	ck_assert_int_eq(promo_form_parse_value(PROMO_PERCENTAGE, " 100% ", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 100);
	ck_assert_int_eq(promo_form_parse_value(PROMO_PERCENTAGE, "1", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(promo_form_parse_value(PROMO_PERCENTAGE, "101", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "101% is not a discount: a percentage is 1 to 100.");
	ck_assert_int_eq(promo_form_parse_value(PROMO_PERCENTAGE, "0", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_value(PROMO_PERCENTAGE, "12.5", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "A percentage is a whole number from 1 to 100.");
	ck_assert_int_eq(promo_form_parse_value(PROMO_PERCENTAGE, "", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_value(PROMO_FIXED, "5", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 500);
	ck_assert_int_eq(promo_form_parse_value(PROMO_FIXED, "12.5", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 1250);
	ck_assert_int_eq(promo_form_parse_value(PROMO_FIXED, "1000000.00", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 100000000);
	ck_assert_int_eq(promo_form_parse_value(PROMO_FIXED, "1000000.01", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "A fixed discount is at most 1000000.00.");
	ck_assert_int_eq(promo_form_parse_value(PROMO_FIXED, "0.00", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_value(PROMO_FIXED, "-5", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_value(PROMO_FIXED, "5.001", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "\"5.001\" is not an amount: type it as 5.00.");
	ck_assert_int_eq(promo_form_parse_value(PROMO_FIXED, "1,000", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
}
END_TEST

START_TEST(limits_and_min_order)
{
	int64_t v = -1;
	char err[160];

	ck_assert_int_eq(promo_form_parse_limit("", "Max uses", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(promo_form_parse_limit(" 7 ", "Max uses", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(promo_form_parse_limit("0", "Max uses", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "Max uses is at least 1, or empty for no limit.");
	ck_assert_int_eq(promo_form_parse_limit("-1", "Max uses", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_limit("1.5", "Max uses", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_limit("1000000001", "Max uses", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_limit("99999999999999999999", "Max uses", &v, err, sizeof err),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_min_order("", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(promo_form_parse_min_order("20", &v, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v, 2000);
	ck_assert_int_eq(promo_form_parse_min_order("-0", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_form_parse_min_order("abc", &v, err, sizeof err), BZ_ERR_INVALID_INPUT);
}
END_TEST

START_TEST(whole_form)
{
	const char *text[PF_COUNT] = { " spring-26 ", NULL, "15", "", "100", "1", "2027-03-01", "2027-06-01" };
	struct promo_values v;
	enum promo_field bad = PF_COUNT;
	char err[160];

	memset(&v, 0, sizeof v);
	ck_assert_int_eq(promo_form_check(text, PROMO_PERCENTAGE, true, &v, &bad, err, sizeof err), BZ_OK);
	ck_assert_str_eq(v.code, "SPRING-26");
	ck_assert_int_eq(v.value, 15);
	ck_assert_int_eq(v.max_uses, 100);
	ck_assert_int_eq(v.per_user_limit, 1);
	ck_assert_int_eq(v.valid_until_us - v.valid_from_us, US(92 * 86400));

	text[PF_UNTIL] = "2027-03-01";
	ck_assert_int_eq(promo_form_check(text, PROMO_PERCENTAGE, true, &v, &bad, err, sizeof err),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(bad, PF_UNTIL);
	ck_assert_str_eq(err, "The promo must end after it starts.");

	/* Editing: the code and value are not the form's, so junk there is fine. */
	text[PF_CODE] = "x";
	text[PF_VALUE] = "junk";
	text[PF_UNTIL] = "";
	text[PF_PER_USER] = "0";
	ck_assert_int_eq(promo_form_check(text, PROMO_FIXED, false, &v, &bad, err, sizeof err),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(bad, PF_PER_USER);
	ck_assert_str_eq(err, "The per-customer limit is at least 1, or empty for no limit.");
	text[PF_PER_USER] = "";
	ck_assert_int_eq(promo_form_check(text, PROMO_FIXED, false, &v, &bad, err, sizeof err), BZ_OK);
	ck_assert_int_eq(v.valid_until_us, 0);

	ck_assert_int_eq(promo_form_check(text, PROMO_FIXED, true, &v, &bad, err, sizeof err),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(bad, PF_CODE);
}
END_TEST

START_TEST(max_uses_rule)
{
	char err[200], buf[32];

	ck_assert_int_eq(promo_form_check_max_uses("TAPPR", 1, 1, 1, err, sizeof err), BZ_ERR_INVALID_INPUT);
	/* The server's sentence, word for word (tests/sql/staff_promos.sql). */
	ck_assert_str_eq(err, "TAPPR has been used 1 time and 1 use is held in carts, so max uses cannot be below 2.");
	ck_assert_int_eq(promo_form_check_max_uses("X", 4, 3, 2, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "X has been used 3 times and 2 uses are held in carts, so max uses cannot be below 5.");
	ck_assert_int_eq(promo_form_check_max_uses("X", 2, 1, 1, err, sizeof err), BZ_OK);
	ck_assert_int_eq(promo_form_check_max_uses("X", 0, 10, 10, err, sizeof err), BZ_OK);
	promo_form_value_text(PROMO_PERCENTAGE, 15, buf, sizeof buf);
	ck_assert_str_eq(buf, "15%");
	promo_form_value_text(PROMO_FIXED, 500, buf, sizeof buf);
	ck_assert_str_eq(buf, "5.00 off");
}
END_TEST

static Suite *
promo_form_suite(void)
{
	Suite *s = suite_create("promo_form");

	TAP_ADD(s, dates_are_utc);
	TAP_ADD(s, dates_round_trip);
	TAP_ADD(s, bad_dates_are_explained);
	TAP_ADD(s, values);
	TAP_ADD(s, limits_and_min_order);
	TAP_ADD(s, whole_form);
	TAP_ADD(s, max_uses_rule);
	return s;
}

int
main(void)
{
	return run_suite_tap(promo_form_suite());
}
