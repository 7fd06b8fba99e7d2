/* Promo arithmetic, code format and status words; see promo.h. */
#include "config.h"
#include "core/promo.h"

#include <stdio.h>
#include <string.h>

struct status_entry {
	const char *name;
	const char *message;
};

static bool is_space(char c);
static bool is_code_char(char c);
static char to_upper(char c);
static void trim(const char *text, size_t *start, size_t *end);

/* Indexed by enum promo_status; the names are the server's. */
static const struct status_entry statuses[PROMO_STATUS__COUNT] = {
	[PROMO_OK] = { "ok", "The code has been applied." },
	[PROMO_UNKNOWN] = { "unknown",
	    "We do not know this code. Please check the spelling." },
	[PROMO_INACTIVE] = { "inactive", "This code is no longer active." },
	[PROMO_NOT_STARTED] = { "not_started", "This code is not valid yet." },
	[PROMO_EXPIRED] = { "expired", "This code has expired." },
	[PROMO_MIN_ORDER] = { "min_order",
	    "Your order does not reach the minimum amount for this code." },
	[PROMO_ALREADY_USED] = { "already_used",
	    "You have already used this code." },
	[PROMO_USED_UP] = { "used_up", "This code has been used up." },
	[PROMO_HOLD_LIMIT] = { "hold_limit",
	    "You have too many codes reserved in open checkouts. "
	    "Finish or remove one first." },
};

/* The ASCII whitespace a pasted code may carry around it. */
static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/* The characters a code is made of (ASCII only, locale-independent). */
static bool
is_code_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* ASCII upper case: toupper() follows the locale (Turkish 'i'). */
static char
to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
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

/* Split arithmetic instead of a 128-bit product: with subtotal = q*100
 * + r, floor(subtotal * v / 100) = q*v + floor(r*v / 100) exactly, and
 * for 0 < v < 100 neither q*v (< subtotal) nor r*v (< 10000) overflows. */
bz_cents
promo_discount(enum promo_type type, int64_t value, bz_cents subtotal)
{
	if (subtotal <= 0 || value <= 0)
		return 0;
	switch (type) {
	case PROMO_PERCENTAGE:
		if (value >= 100)
			return subtotal;
		return subtotal / 100 * value + subtotal % 100 * value / 100;
	case PROMO_FIXED:
		return value < subtotal ? value : subtotal;
	}
	return 0;
}

/* Parse the stored discount_type. */
bz_err
promo_type_parse(const char *text, enum promo_type *out)
{
	if (text == NULL)
		return BZ_ERR_INVALID_INPUT;
	if (strcmp(text, "percentage") == 0)
		*out = PROMO_PERCENTAGE;
	else if (strcmp(text, "fixed") == 0)
		*out = PROMO_FIXED;
	else
		return BZ_ERR_INVALID_INPUT;
	return BZ_OK;
}

/* The stored spelling of a discount type. */
const char *
promo_type_name(enum promo_type type)
{
	return type == PROMO_PERCENTAGE ? "percentage" :
	    type == PROMO_FIXED ? "fixed" : "?";
}

/* Validate and canonicalise a typed code. The reasons name the rule the
 * shopper broke, since a code is usually copied from somewhere. */
bz_err
promo_code_normalize(const char *text, char out[PROMO_CODE_BUF_SIZE],
    char *err, size_t errlen)
{
	const char *why = NULL;
	size_t start, end;

	if (text == NULL) {
		why = "Please enter a promo code.";
		goto fail;
	}
	trim(text, &start, &end);
	if (start == end) {
		why = "Please enter a promo code.";
		goto fail;
	}
	for (size_t i = start; i < end; i++) {
		if (!is_code_char(text[i])) {
			why = "A promo code has only letters, digits, '-' and '_'.";
			goto fail;
		}
	}
	if (end - start < PROMO_CODE_MIN) {
		why = "A promo code has at least 3 characters.";
		goto fail;
	}
	if (end - start > PROMO_CODE_MAX) {
		why = "A promo code has at most 32 characters.";
		goto fail;
	}
	for (size_t i = start; i < end; i++)
		out[i - start] = to_upper(text[i]);
	out[end - start] = '\0';
	return BZ_OK;
fail:
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", why);
	return BZ_ERR_INVALID_INPUT;
}

/* Compare two codes the way the server does: lower(a) = lower(b). */
bool
promo_code_equal(const char *a, const char *b)
{
	size_t as, ae, bs, be;

	if (a == NULL || b == NULL)
		return false;
	trim(a, &as, &ae);
	trim(b, &bs, &be);
	if (ae - as != be - bs)
		return false;
	for (size_t i = 0; i < ae - as; i++) {
		if (to_upper(a[as + i]) != to_upper(b[bs + i]))
			return false;
	}
	return true;
}

/* Look the server's word up in the table. */
bz_err
promo_status_parse(const char *text, enum promo_status *out)
{
	if (text == NULL)
		return BZ_ERR_INTERNAL;
	for (int i = 0; i < PROMO_STATUS__COUNT; i++) {
		if (strcmp(text, statuses[i].name) == 0) {
			*out = (enum promo_status)i;
			return BZ_OK;
		}
	}
	return BZ_ERR_INTERNAL;
}

/* The server's word for a status. */
const char *
promo_status_name(enum promo_status status)
{
	if ((int)status < 0 || status >= PROMO_STATUS__COUNT)
		return "?";
	return statuses[status].name;
}

/* The shopper's sentence for a status. */
const char *
promo_status_message(enum promo_status status)
{
	if ((int)status < 0 || status >= PROMO_STATUS__COUNT)
		return "This code cannot be used right now.";
	return statuses[status].message;
}

/* A refusal of any kind is "promo unavailable" in the error model. */
bz_err
promo_status_err(enum promo_status status)
{
	return status == PROMO_OK ? BZ_OK : BZ_ERR_PROMO_UNAVAILABLE;
}
