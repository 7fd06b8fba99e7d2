/* The terminal's mirror of the shopper's cart, which lives on the server
 * (api_cart_get / api_cart_set): its lines, the server's version number,
 * and the shop's limits, checked here first so a refusal is explained
 * before anything is sent.
 *
 * Rules (the same as the server's, whose settings cart_max_quantity and
 * cart_max_lines are passed in as struct cart_limits):
 * - a line holds 1..max_quantity of one product (default 10);
 * - a cart holds at most max_lines lines (default 20);
 * - adding a product that is already there merges into its line: the
 *   quantities add up, and a sum over the limit is refused as a whole
 *   (the line keeps what it had), never silently capped;
 * - money is int64 cents; a subtotal that does not fit is
 *   BZ_ERR_OVERFLOW, not a wrapped number.
 * The server is the authority: it recomputes prices and totals at
 * checkout, and the version says which cart the shopper looked at.
 *
 * Every changing function leaves the cart untouched when it fails, and
 * reports why in *REASON (when REASON is not NULL; CART_OK on success);
 * cart_explain() turns a reason into a sentence with the actual limit. */
#ifndef BAZAR_CORE_CART_H
#define BAZAR_CORE_CART_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/money.h"
#include "core/uuid.h"

#define CART_DEFAULT_MAX_QUANTITY 10
#define CART_DEFAULT_MAX_LINES 20
/* Limits from the server are refused above this: a sanity bound, not a
 * business rule (a misconfigured setting should not become a 2^31 loop). */
#define CART_LIMIT_CEILING 10000
/* The version of a cart that has not heard from the server yet. */
#define CART_VERSION_UNKNOWN (-1)

struct cart_limits {
	int max_quantity; /* per line, 1..CART_LIMIT_CEILING */
	int max_lines;    /* per cart, 1..CART_LIMIT_CEILING */
};

struct cart_line {
	char product_id[UUID_BUF_SIZE]; /* lower-case UUID text */
	int quantity;                   /* >= 1 */
	bz_cents unit_price_cents;      /* > 0: the price the server last showed */
	char *name;                     /* owned by the cart; never NULL */
};

struct cart {
	struct cart_line *lines; /* in the order they were first added */
	size_t nlines;
	size_t cap;
	int64_t version;         /* the server's version, or CART_VERSION_UNKNOWN */
	struct cart_limits limits;
};

/* Why a change was refused. */
enum cart_reason {
	CART_OK = 0,
	CART_BAD_PRODUCT,    /* the product id is not UUID text */
	CART_BAD_QUANTITY,   /* a quantity below 1 (below 0 for cart_set) */
	CART_QUANTITY_LIMIT, /* the line would hold more than max_quantity */
	CART_LINES_LIMIT,    /* a new line would make more than max_lines */
	CART_BAD_PRICE,      /* a unit price below 1 cent */
	CART_NOT_IN_CART,    /* the product has no line to remove */
	CART_BAD_LIMITS,     /* a limit outside 1..CART_LIMIT_CEILING */
};

/* The default limits (10 per line, 20 lines). */
void cart_limits_default(struct cart_limits *limits);

/* An empty cart with the default limits and an unknown version. */
void cart_init(struct cart *c);

/* Release the lines' memory; the cart must be cart_init'ed again before
 * further use. */
void cart_free(struct cart *c);

/* Remove every line; limits and version stay. */
void cart_clear(struct cart *c);

/* Use the server's LIMITS from now on. Lines already over a lowered
 * limit stay as they are (the server has them too); the next change is
 * checked against the new limits. BZ_ERR_INVALID_INPUT, CART_BAD_LIMITS
 * when a limit is outside 1..CART_LIMIT_CEILING. */
bz_err cart_set_limits(struct cart *c, const struct cart_limits *limits,
    enum cart_reason *reason);

/* What adding QUANTITY of PRODUCT_ID would make the line hold, without
 * changing anything: *NEW_QUANTITY (the absolute quantity api_cart_set
 * takes, since the client merges) is written only on BZ_OK. Errors as
 * cart_add. */
bz_err cart_check_add(const struct cart *c, const char *product_id,
    int quantity, int *new_quantity, enum cart_reason *reason);

/* Add QUANTITY (>= 1) of PRODUCT_ID, merging into its line if there is
 * one (whose name and price are then refreshed to NAME and
 * UNIT_PRICE_CENTS; NAME NULL is ""). BZ_ERR_INVALID_INPUT with
 * CART_BAD_PRODUCT, CART_BAD_QUANTITY, CART_BAD_PRICE,
 * CART_QUANTITY_LIMIT or CART_LINES_LIMIT. */
bz_err cart_add(struct cart *c, const char *product_id, const char *name,
    bz_cents unit_price_cents, int quantity, enum cart_reason *reason);

/* Set PRODUCT_ID's line to exactly QUANTITY, 0 removing it (a no-op when
 * there is no line), as api_cart_set does; also how the mirror is
 * loaded from api_cart_get rows. Errors as cart_add, CART_BAD_QUANTITY
 * being a QUANTITY below 0. */
bz_err cart_set(struct cart *c, const char *product_id, const char *name,
    bz_cents unit_price_cents, int quantity, enum cart_reason *reason);

/* Remove PRODUCT_ID's line. BZ_ERR_NOT_FOUND, CART_NOT_IN_CART when
 * there is none; BZ_ERR_INVALID_INPUT, CART_BAD_PRODUCT for a bad id. */
bz_err cart_remove(struct cart *c, const char *product_id,
    enum cart_reason *reason);

/* The line of PRODUCT_ID (any case), or NULL. Valid until the next
 * change to the cart. */
const struct cart_line *cart_find(const struct cart *c, const char *product_id);

/* The quantity in PRODUCT_ID's line, 0 when there is none. */
int cart_quantity_of(const struct cart *c, const char *product_id);

/* unit price * quantity into *OUT; BZ_ERR_OVERFLOW when that does not
 * fit an int64 (*OUT untouched). */
bz_err cart_line_total(const struct cart_line *line, bz_cents *out);

/* The sum of the line totals into *OUT (0 for an empty cart);
 * BZ_ERR_OVERFLOW when any product or the sum does not fit (*OUT
 * untouched). */
bz_err cart_subtotal(const struct cart *c, bz_cents *out);

/* A sentence for the shopper about REASON, naming C's actual limits,
 * into BUF (snprintf semantics; BUF may be NULL when BUFLEN is 0). */
void cart_explain(const struct cart *c, enum cart_reason reason, char *buf,
    size_t buflen);

/* Stable name for logs and tests, e.g. "quantity_limit". Never NULL. */
const char *cart_reason_name(enum cart_reason reason);

#endif
