/* The cart screen's view-model: what the shopper sees of the server's
 * cart (api_cart_get) and what a key would do to it, with no I/O, so
 * every rule is unit-tested without a terminal or a database.
 *
 * - Built from the server's lines (copied: the view owns its strings)
 *   and the shop's limits (core/cart.h).
 * - Each line carries a stock flag: ok, sold out, not enough stock
 *   ("only 2 left"), or no longer sold. A flagged line stays in the cart
 *   and blocks checkout with a sentence saying which line and why: it is
 *   flagged at checkout, never silently dropped.
 * - Quantity changes (+, -, set, remove) are planned here: the new
 *   absolute quantity for api_cart_set, or the reason it is refused.
 * - The selection follows its product across reloads.
 *
 * A refused load or plan leaves the view as it was. */
#ifndef BAZAR_CORE_CART_VIEW_H
#define BAZAR_CORE_CART_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cart.h"
#include "core/error.h"
#include "core/money.h"
#include "core/uuid.h"

/* Room for any sentence the view writes (names are cut to fit). */
#define CART_VIEW_SENTENCE_MAX 256

/* One line as the server sent it; the strings are borrowed for the
 * duration of cart_view_load only. */
struct cart_view_source {
	const char *product_id;     /* UUID text, any case */
	const char *name;           /* NULL is "" */
	const char *category;       /* NULL is "" */
	bz_cents unit_price_cents;  /* >= 0 */
	int quantity;               /* >= 1 */
	bz_cents line_total_cents;  /* >= 0 */
	int64_t available;          /* codes in stock now; below 0 is read as 0 */
	bool is_active;             /* still on sale */
};

/* What stands between a line and checkout. */
enum cart_line_flag {
	CART_LINE_OK,
	CART_LINE_SOLD_OUT,   /* no code left at all */
	CART_LINE_SHORT,      /* fewer left than the line holds */
	CART_LINE_WITHDRAWN,  /* the product is no longer sold */
};

struct cart_view_line {
	char product_id[UUID_BUF_SIZE];  /* lower case */
	char *name;                      /* owned, never NULL */
	char *category;                  /* owned, never NULL */
	bz_cents unit_price_cents;
	int quantity;
	bz_cents line_total_cents;
	int64_t available;
	bool is_active;
	enum cart_line_flag flag;
};

struct cart_view {
	struct cart_view_line *lines;    /* owned, in the server's order */
	size_t count;
	int64_t version;                 /* CART_VERSION_UNKNOWN before the first load */
	struct cart_limits limits;
	bz_cents subtotal_cents;         /* sum of the line totals */
	int64_t items;                   /* sum of the quantities */
	size_t flagged;                  /* lines whose flag is not OK */
	bool can_checkout;
	char why_not[CART_VIEW_SENTENCE_MAX]; /* why not, when !can_checkout */
	size_t selected;                 /* index into lines; 0 when empty */
};

/* A change the shopper asks for on one line. */
enum cart_change {
	CART_CHANGE_MORE,    /* + : one more */
	CART_CHANGE_LESS,    /* - : one less, never below 1 (removing is its own key) */
	CART_CHANGE_SET,     /* exactly VALUE (0 removes) */
	CART_CHANGE_REMOVE,  /* d / Delete */
};

/* An empty view with LIMITS (NULL: cart_limits_default) and an unknown
 * version. Limits outside 1..CART_LIMIT_CEILING fall back to the
 * defaults. */
void cart_view_init(struct cart_view *v, const struct cart_limits *limits);

/* Free the lines; the view is empty again (limits kept, version
 * unknown): what the screen does when the shopper logs out. */
void cart_view_clear(struct cart_view *v);

/* Replace the view with the server's cart at VERSION: COUNT lines of
 * SRC. The selected product stays selected when it is still there; else
 * the same row (or the last) is. BZ_ERR_INVALID_INPUT (ERR says which
 * line and why) for a bad product id, a duplicate product, a quantity
 * below 1, a negative price or total, or a negative version;
 * BZ_ERR_OVERFLOW when the totals do not fit. The view is untouched on
 * error. */
bz_err cart_view_load(struct cart_view *v, int64_t version, const struct cart_view_source *src,
                      size_t count, char *err, size_t errlen);

/* The selected line, NULL when the cart is empty. */
const struct cart_view_line *cart_view_selected(const struct cart_view *v);

/* Select line INDEX, clamped to the lines there are. */
void cart_view_select(struct cart_view *v, size_t index);

/* Move the selection by DELTA rows, stopping at the ends. */
void cart_view_move(struct cart_view *v, long delta);

/* The line of PRODUCT_ID (any case), or NULL. */
const struct cart_view_line *cart_view_find(const struct cart_view *v, const char *product_id);

/* What CHANGE (VALUE for CART_CHANGE_SET, ignored otherwise) makes of
 * line INDEX: BZ_OK with the new absolute quantity in *NEW_QUANTITY (0
 * removes; equal to the current one when nothing would change), or the
 * refusal with a sentence in WHY: "At most 10 per product.", "Only 2 left
 * of Celeste.", "Celeste is sold out.", "Celeste is no longer sold:
 * remove it.", a negative quantity, a line that does not exist, '-' on a
 * line of 1. Lowering needs no stock, so a short line can be fixed;
 * removing is always allowed; a withdrawn product can only be removed
 * (as the server rules). NEW_QUANTITY may be NULL (only asking).
 * BZ_ERR_INVALID_INPUT for bad input,
 * BZ_ERR_LIMIT_REACHED for the per-product limit, BZ_ERR_OUT_OF_STOCK for
 * stock, BZ_ERR_NOT_FOUND for a withdrawn product. */
bz_err cart_view_plan(const struct cart_view *v, size_t index, enum cart_change change, int value,
                      int *new_quantity, char *why, size_t whylen);

/* Adding one of PRODUCT_ID (NAME for the sentence) from the catalog:
 * one more on its line when it is in the cart (as CART_CHANGE_MORE),
 * else a new line of 1, refused with BZ_ERR_LIMIT_REACHED when the cart
 * already holds max_lines products. STOCK is what the caller knows of
 * the product's stock for a new line (-1: unknown, not checked; 0 or
 * another negative: sold out, refused with BZ_ERR_OUT_OF_STOCK); a line
 * already in the cart is checked against its own stock. *NEW_QUANTITY as
 * cart_view_plan. */
bz_err cart_view_plan_add(const struct cart_view *v, const char *product_id, const char *name,
                          int64_t stock, int *new_quantity, char *why, size_t whylen);

/* The stock cell of a line: "sold out", "only 2 left", "no longer sold",
 * or for a line that is fine "3 left" (at or below LOW) / "in stock".
 * Writes into BUF (snprintf semantics). */
void cart_view_flag_text(const struct cart_view_line *line, int64_t low, char *buf, size_t buflen);

/* Stable name for logs and tests, e.g. "sold_out". Never NULL. */
const char *cart_line_flag_name(enum cart_line_flag flag);

#endif
