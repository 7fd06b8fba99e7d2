/* Strict number, duration and boolean parsing; see parse.h. */
#include "config.h"
#include "core/parse.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

struct duration_unit {
	const char *suffix;
	long ms;
};

static bool is_digit(char c);
static char ascii_lower(char c);
static bool ascii_equal_fold(const char *a, const char *b);
static bz_err parse_digits(const char *s, size_t len, unsigned long limit,
    unsigned long *out);

/* A suffix must match the whole rest of the text, so order does not matter. */
static const struct duration_unit duration_units[] = {
	{ "",    1L },
	{ "ms",  1L },
	{ "s",   1000L },
	{ "min", 60L * 1000L },
};

/* ASCII digits only: isdigit() may accept more in some locales. */
static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* tolower() for ASCII letters only (no Turkish dotless i surprises). */
static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* strcasecmp restricted to ASCII folding; B is lower case already. */
static bool
ascii_equal_fold(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		if (ascii_lower(*a) != *b)
			return false;
	}
	return *a == '\0' && *b == '\0';
}

/* LEN (> 0) ASCII digits into *OUT. Overflow when the value exceeds LIMIT;
 * digits keep being checked after that, so "99999999999999999999x" is
 * still reported as malformed rather than as too large. */
static bz_err
parse_digits(const char *s, size_t len, unsigned long limit, unsigned long *out)
{
	unsigned long v = 0;
	bool too_big = false;

	if (len == 0)
		return BZ_ERR_INVALID_INPUT;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return BZ_ERR_INVALID_INPUT;
		if (too_big)
			continue;
		if (__builtin_mul_overflow(v, 10ul, &v) ||
		    __builtin_add_overflow(v, (unsigned long)(s[i] - '0'), &v) ||
		    v > limit)
			too_big = true;
	}
	if (too_big)
		return BZ_ERR_OVERFLOW;
	*out = v;
	return BZ_OK;
}

/* Parse a signed decimal and check it against [MIN, MAX]. */
bz_err
parse_int_range(const char *text, long min, long max, long *out)
{
	const char *digits;
	bool negative = false;
	unsigned long magnitude, limit;
	long value;
	bz_err err;

	if (min > max)
		return BZ_ERR_INTERNAL;
	if (text == NULL)
		return BZ_ERR_INVALID_INPUT;
	digits = text;
	if (*digits == '+' || *digits == '-') {
		negative = *digits == '-';
		digits++;
	}
	/* |LONG_MIN| as an unsigned long, so the full range parses. */
	limit = negative ? 0ul - (unsigned long)LONG_MIN : (unsigned long)LONG_MAX;
	err = parse_digits(digits, strlen(digits), limit, &magnitude);
	if (err != BZ_OK)
		return err;
	if (!negative)
		value = (long)magnitude;
	else if (magnitude == 0ul - (unsigned long)LONG_MIN)
		value = LONG_MIN;
	else
		value = -(long)magnitude;
	if (value < min || value > max)
		return BZ_ERR_OVERFLOW;
	*out = value;
	return BZ_OK;
}

/* Parse "250ms", "2s", "1min" or "250" (ms) into milliseconds. */
bz_err
parse_duration_ms(const char *text, long max_ms, long *out_ms)
{
	size_t ndigits;
	unsigned long count, ms;
	bz_err err;

	if (max_ms < 0)
		return BZ_ERR_INTERNAL;
	if (text == NULL)
		return BZ_ERR_INVALID_INPUT;
	for (ndigits = 0; is_digit(text[ndigits]); ndigits++)
		;
	for (size_t i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++) {
		const struct duration_unit *u = &duration_units[i];

		if (strcmp(text + ndigits, u->suffix) != 0)
			continue;
		err = parse_digits(text, ndigits, (unsigned long)max_ms, &count);
		if (err == BZ_OK && __builtin_mul_overflow(count, (unsigned long)u->ms, &ms))
			err = BZ_ERR_OVERFLOW;
		if (err == BZ_OK && ms > (unsigned long)max_ms)
			err = BZ_ERR_OVERFLOW;
		if (err == BZ_OK)
			*out_ms = (long)ms;
		return err;
	}
	return BZ_ERR_INVALID_INPUT;
}

/* Parse the usual spellings of a yes/no setting. */
bz_err
parse_bool(const char *text, bool *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };

	if (text == NULL)
		return BZ_ERR_INVALID_INPUT;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (ascii_equal_fold(text, yes[i])) {
			*out = true;
			return BZ_OK;
		}
		if (ascii_equal_fold(text, no[i])) {
			*out = false;
			return BZ_OK;
		}
	}
	return BZ_ERR_INVALID_INPUT;
}
