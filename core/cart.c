/* The client-side cart mirror; see cart.h for the rules. Lines live in
 * one array in insertion order: at 20 lines a linear search is the
 * cheapest structure there is. */
#include "config.h"
#include "core/cart.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static bz_err refuse(enum cart_reason *reason, enum cart_reason why, bz_err err);
static void ok(enum cart_reason *reason);
static struct cart_line *find_line(const struct cart *c, const char *id);
static bool limit_ok(int limit);
static void fill_line(struct cart_line *line, const char *name,
    bz_cents unit_price_cents, int quantity);
static void append_line(struct cart *c, const char *id, const char *name,
    bz_cents unit_price_cents, int quantity);
static void remove_line(struct cart *c, struct cart_line *line);

/* Record WHY and return ERR: every refusal goes through here. */
static bz_err
refuse(enum cart_reason *reason, enum cart_reason why, bz_err err)
{
	if (reason != NULL)
		*reason = why;
	return err;
}

/* Record success. */
static void
ok(enum cart_reason *reason)
{
	if (reason != NULL)
		*reason = CART_OK;
}

/* The line whose canonical id is ID, or NULL. */
static struct cart_line *
find_line(const struct cart *c, const char *id)
{
	for (size_t i = 0; i < c->nlines; i++) {
		if (strcmp(c->lines[i].product_id, id) == 0)
			return &c->lines[i];
	}
	return NULL;
}

/* Whether a limit from the server is sane. */
static bool
limit_ok(int limit)
{
	return limit >= 1 && limit <= CART_LIMIT_CEILING;
}

/* Replace a line's name, price and quantity. */
static void
fill_line(struct cart_line *line, const char *name, bz_cents unit_price_cents,
    int quantity)
{
	char *copy = xstrdup(name != NULL ? name : "");

	free(line->name);
	line->name = copy;
	line->unit_price_cents = unit_price_cents;
	line->quantity = quantity;
}

/* Add a new line at the end, growing the array geometrically. */
static void
append_line(struct cart *c, const char *id, const char *name,
    bz_cents unit_price_cents, int quantity)
{
	struct cart_line *line;

	if (c->nlines == c->cap) {
		c->cap = c->cap == 0 ? 8 : c->cap * 2;
		c->lines = xrealloc(c->lines, c->cap * sizeof c->lines[0]);
	}
	line = &c->lines[c->nlines++];
	memcpy(line->product_id, id, sizeof line->product_id);
	line->name = NULL;
	fill_line(line, name, unit_price_cents, quantity);
}

/* Drop a line, keeping the others in order. */
static void
remove_line(struct cart *c, struct cart_line *line)
{
	size_t i = (size_t)(line - c->lines);

	free(line->name);
	memmove(line, line + 1, (c->nlines - i - 1) * sizeof *line);
	c->nlines--;
}

/* The shop's defaults, the same as the server's settings defaults. */
void
cart_limits_default(struct cart_limits *limits)
{
	limits->max_quantity = CART_DEFAULT_MAX_QUANTITY;
	limits->max_lines = CART_DEFAULT_MAX_LINES;
}

/* An empty cart that has not heard from the server. */
void
cart_init(struct cart *c)
{
	c->lines = NULL;
	c->nlines = 0;
	c->cap = 0;
	c->version = CART_VERSION_UNKNOWN;
	cart_limits_default(&c->limits);
}

/* Free everything the cart owns. */
void
cart_free(struct cart *c)
{
	cart_clear(c);
	free(c->lines);
	c->lines = NULL;
	c->cap = 0;
}

/* Empty the cart but keep its array for reuse. */
void
cart_clear(struct cart *c)
{
	for (size_t i = 0; i < c->nlines; i++)
		free(c->lines[i].name);
	c->nlines = 0;
}

/* Adopt the server's limits after checking them. */
bz_err
cart_set_limits(struct cart *c, const struct cart_limits *limits,
    enum cart_reason *reason)
{
	if (limits == NULL || !limit_ok(limits->max_quantity) ||
	    !limit_ok(limits->max_lines))
		return refuse(reason, CART_BAD_LIMITS, BZ_ERR_INVALID_INPUT);
	c->limits = *limits;
	ok(reason);
	return BZ_OK;
}

/* The checks of cart_add, in the order a shopper would fix them. The
 * limit test is written as a subtraction so that no sum can overflow an
 * int, whatever QUANTITY is. */
bz_err
cart_check_add(const struct cart *c, const char *product_id, int quantity,
    int *new_quantity, enum cart_reason *reason)
{
	char id[UUID_BUF_SIZE];
	const struct cart_line *line;
	int have;

	if (!uuid_canonical(product_id, id))
		return refuse(reason, CART_BAD_PRODUCT, BZ_ERR_INVALID_INPUT);
	if (quantity < 1)
		return refuse(reason, CART_BAD_QUANTITY, BZ_ERR_INVALID_INPUT);
	line = find_line(c, id);
	have = line != NULL ? line->quantity : 0;
	if (quantity > c->limits.max_quantity - have)
		return refuse(reason, CART_QUANTITY_LIMIT, BZ_ERR_INVALID_INPUT);
	if (line == NULL && c->nlines >= (size_t)c->limits.max_lines)
		return refuse(reason, CART_LINES_LIMIT, BZ_ERR_INVALID_INPUT);
	if (new_quantity != NULL)
		*new_quantity = have + quantity;
	ok(reason);
	return BZ_OK;
}

/* Check, then merge or append. */
bz_err
cart_add(struct cart *c, const char *product_id, const char *name,
    bz_cents unit_price_cents, int quantity, enum cart_reason *reason)
{
	char id[UUID_BUF_SIZE];
	struct cart_line *line;
	int total;
	bz_err err;

	err = cart_check_add(c, product_id, quantity, &total, reason);
	if (err != BZ_OK)
		return err;
	if (unit_price_cents < 1)
		return refuse(reason, CART_BAD_PRICE, BZ_ERR_INVALID_INPUT);
	uuid_canonical(product_id, id);
	line = find_line(c, id);
	if (line != NULL)
		fill_line(line, name, unit_price_cents, total);
	else
		append_line(c, id, name, unit_price_cents, total);
	return BZ_OK;
}

/* Absolute quantity, as the server's api_cart_set. */
bz_err
cart_set(struct cart *c, const char *product_id, const char *name,
    bz_cents unit_price_cents, int quantity, enum cart_reason *reason)
{
	char id[UUID_BUF_SIZE];
	struct cart_line *line;

	if (!uuid_canonical(product_id, id))
		return refuse(reason, CART_BAD_PRODUCT, BZ_ERR_INVALID_INPUT);
	if (quantity < 0)
		return refuse(reason, CART_BAD_QUANTITY, BZ_ERR_INVALID_INPUT);
	line = find_line(c, id);
	if (quantity == 0) {
		if (line != NULL)
			remove_line(c, line);
		ok(reason);
		return BZ_OK;
	}
	if (quantity > c->limits.max_quantity)
		return refuse(reason, CART_QUANTITY_LIMIT, BZ_ERR_INVALID_INPUT);
	if (line == NULL && c->nlines >= (size_t)c->limits.max_lines)
		return refuse(reason, CART_LINES_LIMIT, BZ_ERR_INVALID_INPUT);
	if (unit_price_cents < 1)
		return refuse(reason, CART_BAD_PRICE, BZ_ERR_INVALID_INPUT);
	if (line != NULL)
		fill_line(line, name, unit_price_cents, quantity);
	else
		append_line(c, id, name, unit_price_cents, quantity);
	ok(reason);
	return BZ_OK;
}

/* Remove a line that must exist. */
bz_err
cart_remove(struct cart *c, const char *product_id, enum cart_reason *reason)
{
	char id[UUID_BUF_SIZE];
	struct cart_line *line;

	if (!uuid_canonical(product_id, id))
		return refuse(reason, CART_BAD_PRODUCT, BZ_ERR_INVALID_INPUT);
	line = find_line(c, id);
	if (line == NULL)
		return refuse(reason, CART_NOT_IN_CART, BZ_ERR_NOT_FOUND);
	remove_line(c, line);
	ok(reason);
	return BZ_OK;
}

/* Look a product up by id in any case. */
const struct cart_line *
cart_find(const struct cart *c, const char *product_id)
{
	char id[UUID_BUF_SIZE];

	if (!uuid_canonical(product_id, id))
		return NULL;
	return find_line(c, id);
}

/* Quantity of one product, 0 when absent. */
int
cart_quantity_of(const struct cart *c, const char *product_id)
{
	const struct cart_line *line = cart_find(c, product_id);

	return line != NULL ? line->quantity : 0;
}

/* Price times quantity, checked. */
bz_err
cart_line_total(const struct cart_line *line, bz_cents *out)
{
	bz_cents total;

	if (__builtin_mul_overflow(line->unit_price_cents,
	    (bz_cents)line->quantity, &total))
		return BZ_ERR_OVERFLOW;
	*out = total;
	return BZ_OK;
}

/* Sum of the line totals, every step checked. */
bz_err
cart_subtotal(const struct cart *c, bz_cents *out)
{
	bz_cents sum = 0, line_total;

	for (size_t i = 0; i < c->nlines; i++) {
		if (cart_line_total(&c->lines[i], &line_total) != BZ_OK ||
		    __builtin_add_overflow(sum, line_total, &sum))
			return BZ_ERR_OVERFLOW;
	}
	*out = sum;
	return BZ_OK;
}

/* Sentences with the cart's own numbers in them. */
void
cart_explain(const struct cart *c, enum cart_reason reason, char *buf,
    size_t buflen)
{
	switch (reason) {
	case CART_OK:
		snprintf(buf, buflen, "Your cart has been updated.");
		return;
	case CART_BAD_PRODUCT:
		snprintf(buf, buflen, "This product cannot be found.");
		return;
	case CART_BAD_QUANTITY:
		snprintf(buf, buflen, "The quantity must be at least 1.");
		return;
	case CART_QUANTITY_LIMIT:
		snprintf(buf, buflen,
		    "You can have at most %d of one product in your cart.",
		    c->limits.max_quantity);
		return;
	case CART_LINES_LIMIT:
		snprintf(buf, buflen,
		    "Your cart can hold at most %d different products.",
		    c->limits.max_lines);
		return;
	case CART_BAD_PRICE:
		snprintf(buf, buflen, "This product has no valid price.");
		return;
	case CART_NOT_IN_CART:
		snprintf(buf, buflen, "This product is not in your cart.");
		return;
	case CART_BAD_LIMITS:
		snprintf(buf, buflen, "The shop's cart limits are not valid.");
		return;
	}
	snprintf(buf, buflen, "Your cart could not be changed.");
}

/* Names for logs and tests. */
const char *
cart_reason_name(enum cart_reason reason)
{
	switch (reason) {
	case CART_OK:             return "ok";
	case CART_BAD_PRODUCT:    return "bad_product";
	case CART_BAD_QUANTITY:   return "bad_quantity";
	case CART_QUANTITY_LIMIT: return "quantity_limit";
	case CART_LINES_LIMIT:    return "lines_limit";
	case CART_BAD_PRICE:      return "bad_price";
	case CART_NOT_IN_CART:    return "not_in_cart";
	case CART_BAD_LIMITS:     return "bad_limits";
	}
	return "?";
}
