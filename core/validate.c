/* Input checks for the forms; see validate.h for the rules and why. */
#include "config.h"
#include "core/validate.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "core/xalloc.h"

static bool is_space(char c);
static void trim(const char *text, size_t *start, size_t *end);
static bz_err fail(char *err, size_t errlen, bz_err code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool is_forbidden_in_name(uint32_t cp);
static bz_err check_domain(const char *d, size_t len, char *err, size_t errlen);

/* The ASCII whitespace that is trimmed (isspace() follows the locale). */
static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/* The bounds [*START, *END) of TEXT without surrounding whitespace. */
static void
trim(const char *text, size_t *start, size_t *end)
{
	size_t i = 0, e = strlen(text);

	while (i < e && is_space(text[i]))
		i++;
	while (e > i && is_space(text[e - 1]))
		e--;
	*start = i;
	*end = e;
}

/* Write the sentence into ERR (when there is one) and return CODE. */
static bz_err
fail(char *err, size_t errlen, bz_err code, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

size_t
validate_utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0; /* continuation byte, 0xc0/0xc1 (overlong), 0xf5.. */
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Control characters, and invisible ones that change how the text
 * around them is displayed. */
static bool
is_forbidden_in_name(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The part after the '@': a dot somewhere, no empty label. */
static bz_err
check_domain(const char *d, size_t len, char *err, size_t errlen)
{
	if (len == 0)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Something is missing after the '@'.");
	if (memchr(d, '.', len) == NULL)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "The part after the '@' needs a dot, as in example.com.");
	if (d[0] == '.' || d[len - 1] == '.')
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "The part after the '@' cannot start or end with a dot.");
	for (size_t i = 1; i < len; i++) {
		if (d[i] == '.' && d[i - 1] == '.')
			return fail(err, errlen, BZ_ERR_INVALID_INPUT,
			    "The part after the '@' cannot have two dots in a row.");
	}
	return BZ_OK;
}

/* Check the address on its trimmed bounds, then copy it lower-cased. */
bz_err
validate_email(const char *text, char out[VALIDATE_EMAIL_BUF_SIZE], char *err,
    size_t errlen)
{
	const char *s, *at = NULL;
	size_t start, end, len;
	bz_err rc;

	if (text == NULL)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Please enter your e-mail address.");
	trim(text, &start, &end);
	s = text + start;
	len = end - start;
	if (len == 0)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Please enter your e-mail address.");
	if (len > VALIDATE_EMAIL_MAX)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "An e-mail address has at most %d characters.",
		    VALIDATE_EMAIL_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80)
			return fail(err, errlen, BZ_ERR_INVALID_INPUT,
			    "Please use an e-mail address written with plain "
			    "ASCII letters.");
		if (c <= 0x20 || c == 0x7f)
			return fail(err, errlen, BZ_ERR_INVALID_INPUT,
			    "An e-mail address cannot contain spaces or control "
			    "characters.");
		if (c == '@') {
			if (at != NULL)
				return fail(err, errlen, BZ_ERR_INVALID_INPUT,
				    "An e-mail address has exactly one '@'.");
			at = s + i;
		}
	}
	if (at == NULL)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "An e-mail address needs an '@', as in name@example.com.");
	if (at == s)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Something is missing before the '@'.");
	if ((size_t)(at - s) > VALIDATE_EMAIL_LOCAL_MAX)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "The part before the '@' has at most %d characters.",
		    VALIDATE_EMAIL_LOCAL_MAX);
	rc = check_domain(at + 1, len - (size_t)(at + 1 - s), err, errlen);
	if (rc != BZ_OK)
		return rc;
	if (out != NULL) {
		memcpy(out, s, len);
		out[len] = '\0';
		validate_ascii_lower(out);
	}
	return BZ_OK;
}

/* ASCII lower case in place. */
void
validate_ascii_lower(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	}
}

/* Count characters while checking the encoding; the byte limit first,
 * so a huge input is not walked. */
bz_err
validate_password(const char *pw, size_t len, char *err, size_t errlen)
{
	const unsigned char *p = (const unsigned char *)pw;
	size_t i = 0, chars = 0;

	if (pw == NULL || len == 0)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Please enter a password.");
	if (len > VALIDATE_PASSWORD_MAX)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "This password is too long: at most %d bytes "
		    "(%d plain letters).", VALIDATE_PASSWORD_MAX,
		    VALIDATE_PASSWORD_MAX);
	while (i < len) {
		uint32_t cp;
		size_t n;

		if (p[i] == 0)
			return fail(err, errlen, BZ_ERR_INVALID_INPUT,
			    "A password cannot contain a NUL character.");
		n = validate_utf8_char(p + i, len - i, &cp);
		if (n == 0)
			return fail(err, errlen, BZ_ERR_INVALID_INPUT,
			    "This password is not valid UTF-8 text.");
		i += n;
		chars++;
	}
	if (chars < VALIDATE_PASSWORD_MIN)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "A password has at least %d characters.",
		    VALIDATE_PASSWORD_MIN);
	return BZ_OK;
}

/* Trim into a private copy (parse_int_range wants the bare number),
 * parse over the widest range, then say which bound was crossed. */
bz_err
validate_quantity(const char *text, int max, int *out, char *err,
    size_t errlen)
{
	size_t start, end;
	char *copy = NULL;
	long value;
	bz_err rc;

	if (max < 1)
		return fail(err, errlen, BZ_ERR_INTERNAL,
		    "The quantity limit is not set.");
	if (text == NULL)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Please enter a quantity.");
	trim(text, &start, &end);
	if (start == end)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Please enter a quantity.");
	copy = xmalloc(end - start + 1);
	memcpy(copy, text + start, end - start);
	copy[end - start] = '\0';
	rc = parse_int_range(copy, LONG_MIN, LONG_MAX, &value);
	if (rc == BZ_ERR_INVALID_INPUT) {
		rc = fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "The quantity must be a whole number, like 2.");
		goto out;
	}
	/* Beyond a long is a very large or very negative number. */
	if (rc == BZ_ERR_OVERFLOW)
		value = copy[0] == '-' ? LONG_MIN : LONG_MAX;
	if (value < 1) {
		rc = fail(err, errlen, BZ_ERR_OVERFLOW,
		    "The quantity must be at least 1.");
		goto out;
	}
	if (value > max) {
		rc = fail(err, errlen, BZ_ERR_OVERFLOW,
		    "You can buy at most %d of one product.", max);
		goto out;
	}
	*out = (int)value;
	rc = BZ_OK;
out:
	free(copy);
	return rc;
}

/* Walk the trimmed name once: encoding, forbidden characters, length. */
bz_err
validate_display_name(const char *text, char out[VALIDATE_NAME_BUF_SIZE],
    char *err, size_t errlen)
{
	const unsigned char *s;
	size_t start, end, i, chars = 0;

	if (text == NULL)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Please enter a name.");
	trim(text, &start, &end);
	if (start == end)
		return fail(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Please enter a name.");
	s = (const unsigned char *)text + start;
	for (i = 0; i < end - start; chars++) {
		uint32_t cp;
		size_t n = validate_utf8_char(s + i, end - start - i, &cp);

		if (n == 0)
			return fail(err, errlen, BZ_ERR_INVALID_INPUT,
			    "This name is not valid UTF-8 text.");
		if (is_forbidden_in_name(cp))
			return fail(err, errlen, BZ_ERR_INVALID_INPUT,
			    "A name cannot contain control characters.");
		if (chars == VALIDATE_NAME_MAX)
			return fail(err, errlen, BZ_ERR_INVALID_INPUT,
			    "A name has at most %d characters.",
			    VALIDATE_NAME_MAX);
		i += n;
	}
	if (out != NULL) {
		memcpy(out, s, end - start);
		out[end - start] = '\0';
	}
	return BZ_OK;
}
