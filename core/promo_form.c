/* The console's promo form rules: see core/promo_form.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "core/promo_form.h"

#define US_PER_MINUTE INT64_C(60000000)
#define MINUTES_PER_DAY 1440

static bz_err fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void trim(const char *text, char *buf, size_t len, bool *too_long);
static int64_t days_from_civil(int64_t y, int m, int d);
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d);
static bool all_digits(const char *s, size_t n);
static int digits_value(const char *s, size_t n);

/* Write the sentence into ERR (may be NULL) and say the input is invalid. */
static bz_err
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return BZ_ERR_INVALID_INPUT;
}

/* TEXT without surrounding ASCII spaces into BUF; *TOO_LONG when it did
 * not fit (BUF then holds the start). NULL is "". */
static void
trim(const char *text, char *buf, size_t len, bool *too_long)
{
	size_t start = 0, end;

	*too_long = false;
	if (text == NULL)
		text = "";
	end = strlen(text);
	while (start < end && text[start] == ' ')
		start++;
	while (end > start && text[end - 1] == ' ')
		end--;
	if (end - start >= len) {
		*too_long = true;
		end = start + len - 1;
	}
	memcpy(buf, text + start, end - start);
	buf[end - start] = '\0';
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm): no time zone, no libc, so the form means UTC everywhere. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The reverse of days_from_civil. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* True when the N bytes at S are ASCII digits. */
static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The value of N ASCII digits (N <= 4). */
static int
digits_value(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM", UTC. */
bz_err
promo_form_parse_time(const char *text, int64_t *us, char *err, size_t errlen)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	char buf[32];
	bool too_long, leap;
	size_t n;
	int year, month, day, hour = 0, minute = 0, last;

	trim(text, buf, sizeof buf, &too_long);
	n = strlen(buf);
	if (n == 0 && !too_long) {
		*us = 0;
		return BZ_OK;
	}
	if (too_long || (n != 10 && n != 16) || !all_digits(buf, 4) || buf[4] != '-' ||
	    !all_digits(buf + 5, 2) || buf[7] != '-' || !all_digits(buf + 8, 2) ||
	    (n == 16 && (buf[10] != ' ' || !all_digits(buf + 11, 2) || buf[13] != ':' ||
	                 !all_digits(buf + 14, 2))))
		return fail(err, errlen, "Type a date as 2027-01-31, or 2027-01-31 18:00 (UTC).");
	year = digits_value(buf, 4);
	month = digits_value(buf + 5, 2);
	day = digits_value(buf + 8, 2);
	if (n == 16) {
		hour = digits_value(buf + 11, 2);
		minute = digits_value(buf + 14, 2);
	}
	if (year < 2000)
		return fail(err, errlen, "%.4s is too long ago: the year is 2000 to 9999.", buf);
	if (month < 1 || month > 12)
		return fail(err, errlen, "%.10s has no month %d: months are 01 to 12.", buf, month);
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	last = mdays[month - 1] + (month == 2 && leap);
	if (day < 1 || day > last)
		return fail(err, errlen, "%.10s: that month has days 01 to %d.", buf, last);
	if (hour > 23 || minute > 59)
		return fail(err, errlen, "%s: the time is 00:00 to 23:59.", buf + 11);
	*us = ((days_from_civil(year, month, day) * MINUTES_PER_DAY) + hour * 60 + minute) * US_PER_MINUTE;
	return BZ_OK;
}

void
promo_form_format_time(int64_t us, char *buf, size_t len)
{
	int64_t minutes, days, y;
	int m, d, mod;

	if (len == 0)
		return;
	if (us <= 0) {
		buf[0] = '\0';
		return;
	}
	minutes = us / US_PER_MINUTE;
	days = minutes / MINUTES_PER_DAY;
	mod = (int)(minutes % MINUTES_PER_DAY);
	civil_from_days(days, &y, &m, &d);
	if (mod == 0)
		snprintf(buf, len, "%04lld-%02d-%02d", (long long)y, m, d);
	else
		snprintf(buf, len, "%04lld-%02d-%02d %02d:%02d", (long long)y, m, d, mod / 60, mod % 60);
}

bz_err
promo_form_parse_value(enum promo_type type, const char *text, int64_t *value, char *err,
                       size_t errlen)
{
	char buf[32], max[MONEY_FORMAT_MAX];
	bool too_long;
	size_t n;
	int64_t v = 0;
	bz_err rc;

	trim(text, buf, sizeof buf, &too_long);
	n = strlen(buf);
	if (type == PROMO_PERCENTAGE) {
		if (n > 0 && buf[n - 1] == '%')
			buf[--n] = '\0';
		if (n == 0 || n > 3 || too_long || !all_digits(buf, n))
			return fail(err, errlen, "A percentage is a whole number from 1 to 100.");
		v = digits_value(buf, n);
		if (v < 1 || v > 100)
			return fail(err, errlen, "%lld%% is not a discount: a percentage is 1 to 100.",
			            (long long)v);
		*value = v;
		return BZ_OK;
	}
	money_format(PROMO_FORM_FIXED_MAX_CENTS, max, sizeof max);
	if (n == 0)
		return fail(err, errlen, "Type the amount off, such as 5.00.");
	rc = too_long ? BZ_ERR_INVALID_INPUT : money_parse_nonneg(buf, &v);
	if (rc == BZ_ERR_OVERFLOW || (rc == BZ_OK && v > PROMO_FORM_FIXED_MAX_CENTS))
		return fail(err, errlen, "A fixed discount is at most %s.", max);
	if (rc != BZ_OK)
		return fail(err, errlen, "\"%.20s\" is not an amount: type it as 5.00.", buf);
	if (v == 0)
		return fail(err, errlen, "A discount of 0.00 is none: type 0.01 to %s.", max);
	*value = v;
	return BZ_OK;
}

bz_err
promo_form_parse_limit(const char *text, const char *what, int64_t *out, char *err, size_t errlen)
{
	char buf[32];
	bool too_long;
	size_t n;
	int64_t v = 0;

	trim(text, buf, sizeof buf, &too_long);
	n = strlen(buf);
	if (n == 0 && !too_long) {
		*out = 0;
		return BZ_OK;
	}
	if (too_long || !all_digits(buf, n) || n > 10)
		return fail(err, errlen, "%s is a whole number of at least 1, or empty for no limit.", what);
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (buf[i] - '0');
	if (v < 1)
		return fail(err, errlen, "%s is at least 1, or empty for no limit.", what);
	if (v > PROMO_FORM_LIMIT_MAX)
		return fail(err, errlen, "%s is at most %lld, or empty for no limit.", what,
		            (long long)PROMO_FORM_LIMIT_MAX);
	*out = v;
	return BZ_OK;
}

bz_err
promo_form_parse_min_order(const char *text, int64_t *cents, char *err, size_t errlen)
{
	char buf[32], max[MONEY_FORMAT_MAX];
	bool too_long;
	int64_t v = 0;
	bz_err rc;

	trim(text, buf, sizeof buf, &too_long);
	if (buf[0] == '\0' && !too_long) {
		*cents = 0;
		return BZ_OK;
	}
	money_format(PROMO_FORM_MIN_ORDER_MAX_CENTS, max, sizeof max);
	rc = too_long ? BZ_ERR_INVALID_INPUT : money_parse_nonneg(buf, &v);
	if (rc == BZ_ERR_OVERFLOW || (rc == BZ_OK && v > PROMO_FORM_MIN_ORDER_MAX_CENTS))
		return fail(err, errlen, "The minimum order is at most %s.", max);
	if (rc != BZ_OK)
		return fail(err, errlen, "\"%.20s\" is not a minimum order: type it as 20.00, or leave it empty.",
		            buf);
	*cents = v;
	return BZ_OK;
}

bz_err
promo_form_check(const char *const text[PF_COUNT], enum promo_type type, bool creating,
                 struct promo_values *out, enum promo_field *bad, char *err, size_t errlen)
{
	bz_err rc;

	if (creating) {
		*bad = PF_CODE;
		rc = promo_code_normalize(text[PF_CODE], out->code, err, errlen);
		if (rc != BZ_OK)
			return rc;
		out->type = type;
		*bad = PF_VALUE;
		rc = promo_form_parse_value(type, text[PF_VALUE], &out->value, err, errlen);
		if (rc != BZ_OK)
			return rc;
	}
	*bad = PF_MIN_ORDER;
	rc = promo_form_parse_min_order(text[PF_MIN_ORDER], &out->min_order_cents, err, errlen);
	if (rc != BZ_OK)
		return rc;
	*bad = PF_MAX_USES;
	rc = promo_form_parse_limit(text[PF_MAX_USES], "Max uses", &out->max_uses, err, errlen);
	if (rc != BZ_OK)
		return rc;
	*bad = PF_PER_USER;
	rc = promo_form_parse_limit(text[PF_PER_USER], "The per-customer limit", &out->per_user_limit,
	                            err, errlen);
	if (rc != BZ_OK)
		return rc;
	*bad = PF_FROM;
	rc = promo_form_parse_time(text[PF_FROM], &out->valid_from_us, err, errlen);
	if (rc != BZ_OK)
		return rc;
	*bad = PF_UNTIL;
	rc = promo_form_parse_time(text[PF_UNTIL], &out->valid_until_us, err, errlen);
	if (rc != BZ_OK)
		return rc;
	if (out->valid_from_us != 0 && out->valid_until_us != 0 && out->valid_until_us <= out->valid_from_us)
		return fail(err, errlen, "The promo must end after it starts.");
	return BZ_OK;
}

bz_err
promo_form_check_max_uses(const char *code, int64_t max_uses, int64_t used, int64_t held,
                          char *err, size_t errlen)
{
	if (max_uses == 0 || max_uses >= used + held)
		return BZ_OK;
	return fail(err, errlen, "%s has been used %lld time%s and %lld use%s held in carts, so max uses "
	            "cannot be below %lld.", code, (long long)used, used == 1 ? "" : "s",
	            (long long)held, held == 1 ? " is" : "s are", (long long)(used + held));
}

void
promo_form_value_text(enum promo_type type, int64_t value, char *buf, size_t len)
{
	char amount[MONEY_FORMAT_MAX];

	if (type == PROMO_PERCENTAGE) {
		snprintf(buf, len, "%lld%%", (long long)value);
		return;
	}
	money_format(value, amount, sizeof amount);
	snprintf(buf, len, "%s off", amount);
}
