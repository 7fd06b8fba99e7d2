/* Parsing and formatting of money amounts; see money.h for the format.
 * Hand-written digit loops instead of strtod/strtoll: those honour
 * LC_NUMERIC, accept exponents, hex and leading whitespace of every kind,
 * and a double cannot hold every int64 cent value. */
#include "config.h"
#include "core/money.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(char c);
static bz_err parse_money(const char *s, size_t len, bool allow_negative,
    bz_cents *out);
static bool accumulate(uint64_t *acc, const char *digits, size_t n);

/* ASCII digits only: isdigit() may accept more in some locales. */
static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* *acc = *acc * 10^n + DIGITS; false when that no longer fits a uint64. */
static bool
accumulate(uint64_t *acc, const char *digits, size_t n)
{
	uint64_t v = *acc;

	for (size_t i = 0; i < n; i++) {
		if (__builtin_mul_overflow(v, 10u, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(digits[i] - '0'), &v))
			return false;
	}
	*acc = v;
	return true;
}

/* The whole parser. The text is checked against the format completely
 * before any arithmetic, so "99999999999999999999.999" is reported as
 * malformed (the thing to fix) rather than as too large. */
static bz_err
parse_money(const char *s, size_t len, bool allow_negative, bz_cents *out)
{
	size_t i = 0, end = len;
	size_t int_start, int_len, frac_start = 0, frac_len = 0;
	bool negative = false;
	uint64_t magnitude = 0, limit;

	if (s == NULL || out == NULL)
		return BZ_ERR_INVALID_INPUT;

	while (i < end && s[i] == ' ')
		i++;
	while (end > i && s[end - 1] == ' ')
		end--;
	if (i < end && (s[i] == '+' || s[i] == '-')) {
		negative = s[i] == '-';
		i++;
	}
	int_start = i;
	while (i < end && is_digit(s[i]))
		i++;
	int_len = i - int_start;
	if (int_len == 0)
		return BZ_ERR_INVALID_INPUT;
	if (i < end && s[i] == '.') {
		i++;
		frac_start = i;
		while (i < end && is_digit(s[i]))
			i++;
		frac_len = i - frac_start;
		if (frac_len == 0 || frac_len > 2)
			return BZ_ERR_INVALID_INPUT;
	}
	/* Anything left (a NUL, an inner space, a letter) is not ours. */
	if (i != end)
		return BZ_ERR_INVALID_INPUT;
	if (negative && !allow_negative)
		return BZ_ERR_INVALID_INPUT;

	/* Work on the magnitude: |INT64_MIN| does not fit an int64. */
	if (!accumulate(&magnitude, s + int_start, int_len) ||
	    !accumulate(&magnitude, s + frac_start, frac_len) ||
	    (frac_len < 2 && !accumulate(&magnitude, "00", 2 - frac_len)))
		return BZ_ERR_OVERFLOW;
	limit = negative ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
	if (magnitude > limit)
		return BZ_ERR_OVERFLOW;

	if (!negative)
		*out = (bz_cents)magnitude;
	else if (magnitude == (uint64_t)INT64_MAX + 1u)
		*out = INT64_MIN;
	else
		*out = -(bz_cents)magnitude;
	return BZ_OK;
}

/* Parse a NUL-terminated amount, sign allowed. */
bz_err
money_parse(const char *text, bz_cents *out)
{
	if (text == NULL)
		return BZ_ERR_INVALID_INPUT;
	return parse_money(text, strlen(text), true, out);
}

/* Parse a NUL-terminated amount that must not carry a '-'. */
bz_err
money_parse_nonneg(const char *text, bz_cents *out)
{
	if (text == NULL)
		return BZ_ERR_INVALID_INPUT;
	return parse_money(text, strlen(text), false, out);
}

/* Parse LEN bytes; an inner NUL is malformed input. */
bz_err
money_parse_buf(const char *text, size_t len, bz_cents *out)
{
	return parse_money(text, len, true, out);
}

/* Format cents as [-]D.DD. Digits are produced right to left into a local
 * buffer, then copied, so a short BUF still gets the leftmost part (as
 * snprintf would). */
size_t
money_format(bz_cents cents, char *buf, size_t buflen)
{
	char tmp[MONEY_FORMAT_MAX];
	size_t pos = sizeof tmp, len, copy;
	bool negative = cents < 0;
	/* Unsigned negation is defined for INT64_MIN too. */
	uint64_t magnitude = negative ? 0u - (uint64_t)cents : (uint64_t)cents;
	uint64_t whole = magnitude / 100u;
	unsigned frac = (unsigned)(magnitude % 100u);

	tmp[--pos] = (char)('0' + frac % 10u);
	tmp[--pos] = (char)('0' + frac / 10u);
	tmp[--pos] = '.';
	do {
		tmp[--pos] = (char)('0' + whole % 10u);
		whole /= 10u;
	} while (whole != 0);
	if (negative)
		tmp[--pos] = '-';
	len = sizeof tmp - pos;

	if (buf != NULL && buflen > 0) {
		copy = len < buflen - 1 ? len : buflen - 1;
		memcpy(buf, tmp + pos, copy);
		buf[copy] = '\0';
	}
	return len;
}
