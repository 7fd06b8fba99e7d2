/* Promo codes on the client: the discount arithmetic for display, the
 * format of a code, and the server's answers in words.
 *
 * The database is the authority (bz_promo_discount in SQL computes what
 * is charged); promo_discount() mirrors it exactly so the terminal can
 * show a total before asking. Both run the same table of cases,
 * tests/fixtures/promo_cases.tsv, so they cannot drift apart unnoticed.
 *
 * Rounding rule: a percentage discount is rounded DOWN to the cent,
 * floor(subtotal * value / 100): the shop never gives more than the
 * stated percentage (10% of 0.09 is 0.00; 33% of 1.01 is 0.33). A fixed
 * discount is min(value, subtotal). In both cases the result is clamped
 * to 0..subtotal, so a discount never makes a total negative, and a
 * negative subtotal (which cannot happen, but the function is total)
 * gets no discount. */
#ifndef BAZAR_CORE_PROMO_H
#define BAZAR_CORE_PROMO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/money.h"

/* The length limits of a code, in characters (ASCII, so bytes too). */
#define PROMO_CODE_MIN 3
#define PROMO_CODE_MAX 32
#define PROMO_CODE_BUF_SIZE (PROMO_CODE_MAX + 1)

/* promo_codes.discount_type. */
enum promo_type {
	PROMO_PERCENTAGE, /* value is a percentage, 1..100 */
	PROMO_FIXED,      /* value is an amount in cents, > 0 */
};

/* The statuses bz_promo_take / api_promo_apply answer with, in the order
 * the server checks them. */
enum promo_status {
	PROMO_OK,           /* 'ok': applied, one use held for you */
	PROMO_UNKNOWN,      /* 'unknown': no such code */
	PROMO_INACTIVE,     /* 'inactive': switched off by staff */
	PROMO_NOT_STARTED,  /* 'not_started': before valid_from */
	PROMO_EXPIRED,      /* 'expired': at or after valid_until */
	PROMO_MIN_ORDER,    /* 'min_order': subtotal below min_order_cents */
	PROMO_ALREADY_USED, /* 'already_used': your per-user limit is reached */
	PROMO_USED_UP,      /* 'used_up': uses plus live holds reached max_uses */
	PROMO_HOLD_LIMIT,   /* 'hold_limit': you hold too many other codes */
	PROMO_STATUS__COUNT
};

/* The discount on SUBTOTAL (see the rounding rule above). Exact for
 * every int64 SUBTOTAL: no intermediate product can overflow. VALUE
 * outside its range behaves as the clamp says: a percentage above 100
 * gives the whole subtotal, a value <= 0 gives nothing. */
bz_cents promo_discount(enum promo_type type, int64_t value, bz_cents subtotal);

/* "percentage" / "fixed" (exactly, as stored) into *OUT;
 * BZ_ERR_INVALID_INPUT otherwise (*OUT untouched). */
bz_err promo_type_parse(const char *text, enum promo_type *out);
const char *promo_type_name(enum promo_type type);

/* Check a code as the shopper typed it and write its canonical form to
 * OUT (PROMO_CODE_BUF_SIZE bytes): surrounding ASCII whitespace removed,
 * then 3..32 characters of A-Z a-z 0-9 '-' '_', upper-cased (codes are
 * compared case-insensitively everywhere, so the case carries nothing).
 * BZ_ERR_INVALID_INPUT (NULL too) with a sentence for the shopper in ERR
 * (ERRLEN bytes; ERR may be NULL); OUT is written only on BZ_OK. */
bz_err promo_code_normalize(const char *text, char out[PROMO_CODE_BUF_SIZE],
    char *err, size_t errlen);

/* Whether two codes are the same code: ASCII case-insensitive, after
 * trimming. False when either is NULL. */
bool promo_code_equal(const char *a, const char *b);

/* The server's status string into *OUT. An unrecognised string is
 * BZ_ERR_INTERNAL (an answer we did not expect: client and server
 * disagree about the API), NULL likewise; *OUT untouched. */
bz_err promo_status_parse(const char *text, enum promo_status *out);

/* The status as the server spells it ("used_up"). Never NULL. */
const char *promo_status_name(enum promo_status status);

/* A sentence for the shopper ("This code has been used up."). Never NULL. */
const char *promo_status_message(enum promo_status status);

/* BZ_OK for PROMO_OK, BZ_ERR_PROMO_UNAVAILABLE for every refusal. */
bz_err promo_status_err(enum promo_status status);

#endif
