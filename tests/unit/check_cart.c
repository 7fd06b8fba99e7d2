/* Unit tests for core/cart: per-line and per-cart limits, merging of the
 * same product, removal, and subtotals up to the int64 edge. Scenarios
 * are short scripts of operations against a fresh cart, one TAP line
 * each; every step states its expected error, reason and quantity. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "core/cart.h"
#include "tests/unit/tap_main.h"

#define P1 "11111111-1111-4111-8111-111111111111"
#define P_ABSENT "11111111-1111-4111-8111-11111111111f"
#define P2 "22222222-2222-4222-8222-222222222222"
#define P3 "33333333-3333-4333-8333-333333333333"
#define MAX_STEPS 8

enum op { END = 0, ADD, SET, REMOVE };

struct step {
	enum op op;
	const char *id;
	int quantity;
	bz_cents price;
	bz_err err;
	enum cart_reason reason;
	int have;       /* cart_quantity_of(id) afterwards */
	size_t nlines;  /* lines afterwards */
};

struct scenario {
	const char *name;
	int max_quantity, max_lines; /* 0: the defaults */
	struct step steps[MAX_STEPS];
};

struct subtotal_case {
	bz_cents price[3];
	int quantity[3];
	bz_err err;
	bz_cents subtotal;
};

static Suite *cart_suite(void);
static bz_err run_op(struct cart *c, const struct step *s, enum cart_reason *r);

static const struct scenario scenarios[] = {
	{ "add one", 0, 0, {
		{ ADD, P1, 1, 500, BZ_OK, CART_OK, 1, 1 } } },
	{ "add the per-line maximum", 0, 0, {
		{ ADD, P1, 10, 500, BZ_OK, CART_OK, 10, 1 } } },
	{ "add above the maximum at once", 0, 0, {
		{ ADD, P1, 11, 500, BZ_ERR_INVALID_INPUT, CART_QUANTITY_LIMIT, 0, 0 } } },
	{ "merge sums quantities", 0, 0, {
		{ ADD, P1, 3, 500, BZ_OK, CART_OK, 3, 1 },
		{ ADD, P1, 4, 500, BZ_OK, CART_OK, 7, 1 } } },
	{ "merge up to exactly the maximum", 0, 0, {
		{ ADD, P1, 6, 500, BZ_OK, CART_OK, 6, 1 },
		{ ADD, P1, 4, 500, BZ_OK, CART_OK, 10, 1 } } },
	{ "merge over the maximum is refused whole", 0, 0, {
		{ ADD, P1, 6, 500, BZ_OK, CART_OK, 6, 1 },
		{ ADD, P1, 5, 500, BZ_ERR_INVALID_INPUT, CART_QUANTITY_LIMIT, 6, 1 },
		{ ADD, P1, 4, 500, BZ_OK, CART_OK, 10, 1 },
		{ ADD, P1, 1, 500, BZ_ERR_INVALID_INPUT, CART_QUANTITY_LIMIT, 10, 1 } } },
	{ "merge ignores the case of the id", 0, 0, {
		{ ADD, "AAAAAAAA-1111-4111-8111-111111111111", 2, 500, BZ_OK, CART_OK, 2, 1 },
		{ ADD, "aaaaaaaa-1111-4111-8111-111111111111", 2, 500, BZ_OK, CART_OK, 4, 1 } } },
	{ "a huge quantity cannot overflow the sum", 0, 0, {
		{ ADD, P1, 5, 500, BZ_OK, CART_OK, 5, 1 },
		{ ADD, P1, 2147483647, 500, BZ_ERR_INVALID_INPUT, CART_QUANTITY_LIMIT, 5, 1 } } },
	{ "zero and negative quantities", 0, 0, {
		{ ADD, P1, 0, 500, BZ_ERR_INVALID_INPUT, CART_BAD_QUANTITY, 0, 0 },
		{ ADD, P1, -1, 500, BZ_ERR_INVALID_INPUT, CART_BAD_QUANTITY, 0, 0 },
		{ ADD, P1, -2147483647 - 1, 500, BZ_ERR_INVALID_INPUT, CART_BAD_QUANTITY, 0, 0 } } },
	{ "bad product ids", 0, 0, {
		{ ADD, "", 1, 500, BZ_ERR_INVALID_INPUT, CART_BAD_PRODUCT, 0, 0 },
		{ ADD, "42", 1, 500, BZ_ERR_INVALID_INPUT, CART_BAD_PRODUCT, 0, 0 },
		{ ADD, P1 " ", 1, 500, BZ_ERR_INVALID_INPUT, CART_BAD_PRODUCT, 0, 0 },
		{ ADD, "11111111-1111-4111-8111-11111111111g", 1, 500,
		  BZ_ERR_INVALID_INPUT, CART_BAD_PRODUCT, 0, 0 },
		{ ADD, NULL, 1, 500, BZ_ERR_INVALID_INPUT, CART_BAD_PRODUCT, 0, 0 } } },
	{ "bad prices", 0, 0, {
		{ ADD, P1, 1, 0, BZ_ERR_INVALID_INPUT, CART_BAD_PRICE, 0, 0 },
		{ ADD, P1, 1, -500, BZ_ERR_INVALID_INPUT, CART_BAD_PRICE, 0, 0 },
		{ ADD, P1, 1, 1, BZ_OK, CART_OK, 1, 1 },
		{ ADD, P1, 1, 0, BZ_ERR_INVALID_INPUT, CART_BAD_PRICE, 1, 1 } } },
	{ "lines limit", 5, 2, {
		{ ADD, P1, 1, 500, BZ_OK, CART_OK, 1, 1 },
		{ ADD, P2, 1, 500, BZ_OK, CART_OK, 1, 2 },
		{ ADD, P3, 1, 500, BZ_ERR_INVALID_INPUT, CART_LINES_LIMIT, 0, 2 },
		{ ADD, P1, 2, 500, BZ_OK, CART_OK, 3, 2 },       /* merging is fine */
		{ REMOVE, P2, 0, 0, BZ_OK, CART_OK, 0, 1 },
		{ ADD, P3, 1, 500, BZ_OK, CART_OK, 1, 2 } } },
	{ "limits from the server", 3, 1, {
		{ ADD, P1, 3, 500, BZ_OK, CART_OK, 3, 1 },
		{ ADD, P1, 1, 500, BZ_ERR_INVALID_INPUT, CART_QUANTITY_LIMIT, 3, 1 },
		{ ADD, P2, 1, 500, BZ_ERR_INVALID_INPUT, CART_LINES_LIMIT, 0, 1 } } },
	{ "remove", 0, 0, {
		{ ADD, P1, 2, 500, BZ_OK, CART_OK, 2, 1 },
		{ REMOVE, P_ABSENT, 0, 0, BZ_ERR_NOT_FOUND, CART_NOT_IN_CART, 0, 1 },
		{ REMOVE, P1, 0, 0, BZ_OK, CART_OK, 0, 0 },
		{ REMOVE, P1, 0, 0, BZ_ERR_NOT_FOUND, CART_NOT_IN_CART, 0, 0 },
		{ REMOVE, "nope", 0, 0, BZ_ERR_INVALID_INPUT, CART_BAD_PRODUCT, 0, 0 } } },
	{ "set is absolute, 0 removes", 0, 0, {
		{ SET, P1, 4, 500, BZ_OK, CART_OK, 4, 1 },
		{ SET, P1, 2, 500, BZ_OK, CART_OK, 2, 1 },
		{ SET, P1, 10, 500, BZ_OK, CART_OK, 10, 1 },
		{ SET, P1, 11, 500, BZ_ERR_INVALID_INPUT, CART_QUANTITY_LIMIT, 10, 1 },
		{ SET, P1, -1, 500, BZ_ERR_INVALID_INPUT, CART_BAD_QUANTITY, 10, 1 },
		{ SET, P1, 0, 500, BZ_OK, CART_OK, 0, 0 },
		{ SET, P2, 0, 500, BZ_OK, CART_OK, 0, 0 },       /* absent: no-op */
		{ SET, P2, 1, 0, BZ_ERR_INVALID_INPUT, CART_BAD_PRICE, 0, 0 } } },
	{ "set respects the lines limit", 10, 1, {
		{ SET, P1, 1, 500, BZ_OK, CART_OK, 1, 1 },
		{ SET, P2, 1, 500, BZ_ERR_INVALID_INPUT, CART_LINES_LIMIT, 0, 1 },
		{ SET, P1, 0, 500, BZ_OK, CART_OK, 0, 0 },
		{ SET, P2, 1, 500, BZ_OK, CART_OK, 1, 1 } } },
};

static const struct subtotal_case subtotal_cases[] = {
	{ { 0, 0, 0 }, { 0, 0, 0 }, BZ_OK, 0 },                  /* empty */
	{ { 500, 0, 0 }, { 1, 0, 0 }, BZ_OK, 500 },
	{ { 500, 1999, 1 }, { 3, 2, 10 }, BZ_OK, 1500 + 3998 + 10 },
	{ { INT64_MAX, 0, 0 }, { 1, 0, 0 }, BZ_OK, INT64_MAX },
	{ { INT64_MAX / 10, 0, 0 }, { 10, 0, 0 }, BZ_OK, INT64_MAX / 10 * 10 },
	{ { INT64_MAX / 10 + 1, 0, 0 }, { 10, 0, 0 }, BZ_ERR_OVERFLOW, 0 },
	{ { INT64_MAX / 2, INT64_MAX / 2, 1 }, { 1, 1, 1 }, BZ_OK, INT64_MAX },
	{ { INT64_MAX / 2, INT64_MAX / 2, 2 }, { 1, 1, 1 }, BZ_ERR_OVERFLOW, 0 },
	{ { INT64_MAX, 1, 0 }, { 1, 1, 0 }, BZ_ERR_OVERFLOW, 0 },
	{ { INT64_MAX, 0, 0 }, { 2, 0, 0 }, BZ_ERR_OVERFLOW, 0 },
};

/* Apply one scripted step. */
static bz_err
run_op(struct cart *c, const struct step *s, enum cart_reason *r)
{
	switch (s->op) {
	case ADD:
		return cart_add(c, s->id, "Thing", s->price, s->quantity, r);
	case SET:
		return cart_set(c, s->id, "Thing", s->price, s->quantity, r);
	case REMOVE:
		return cart_remove(c, s->id, r);
	case END:
		break;
	}
	return BZ_ERR_INTERNAL;
}

START_TEST(scenario_table)
{
	const struct scenario *sc = &scenarios[_i];
	struct cart c;

	cart_init(&c);
	if (sc->max_quantity != 0) {
		struct cart_limits l = { sc->max_quantity, sc->max_lines };

		ck_assert_int_eq(cart_set_limits(&c, &l, NULL), BZ_OK);
	}
	for (int i = 0; i < MAX_STEPS && sc->steps[i].op != END; i++) {
		const struct step *s = &sc->steps[i];
		enum cart_reason r = (enum cart_reason)99;
		bz_err err = run_op(&c, s, &r);

		ck_assert_msg(err == s->err && r == s->reason,
		    "%s, step %d: %s, %s; want %s, %s", sc->name, i + 1,
		    bz_err_name(err), cart_reason_name(r), bz_err_name(s->err),
		    cart_reason_name(s->reason));
		if (s->id != NULL)
			ck_assert_msg(cart_quantity_of(&c, s->id) == s->have,
			    "%s, step %d: quantity %d, want %d", sc->name, i + 1,
			    cart_quantity_of(&c, s->id), s->have);
		ck_assert_msg(c.nlines == s->nlines, "%s, step %d: %zu lines, want %zu",
		    sc->name, i + 1, c.nlines, s->nlines);
	}
	cart_free(&c);
}
END_TEST

START_TEST(subtotal_table)
{
	const struct subtotal_case *sc = &subtotal_cases[_i];
	static const char *const ids[3] = { P1, P2, P3 };
	struct cart c;
	struct cart_limits l = { CART_LIMIT_CEILING, 3 };
	bz_cents got = -42;
	bz_err err;

	cart_init(&c);
	ck_assert_int_eq(cart_set_limits(&c, &l, NULL), BZ_OK);
	for (int i = 0; i < 3; i++) {
		if (sc->quantity[i] > 0)
			ck_assert_int_eq(cart_add(&c, ids[i], "x", sc->price[i],
			    sc->quantity[i], NULL), BZ_OK);
	}
	err = cart_subtotal(&c, &got);
	ck_assert_msg(err == sc->err, "subtotal: %s, want %s", bz_err_name(err),
	    bz_err_name(sc->err));
	ck_assert(got == (sc->err == BZ_OK ? sc->subtotal : -42));
	cart_free(&c);
}
END_TEST

START_TEST(line_total_overflow)
{
	struct cart_line line = { P1, 2, INT64_MAX / 2 + 1, NULL };
	bz_cents got = -42;

	ck_assert_int_eq(cart_line_total(&line, &got), BZ_ERR_OVERFLOW);
	ck_assert(got == -42);
	line.unit_price_cents = INT64_MAX / 2;
	ck_assert_int_eq(cart_line_total(&line, &got), BZ_OK);
	ck_assert(got == INT64_MAX - 1);
}
END_TEST

START_TEST(default_limits)
{
	struct cart c;
	char id[48]; /* room for any int in %08d, as the compiler sees it */

	cart_init(&c);
	ck_assert_int_eq(c.limits.max_quantity, 10);
	ck_assert_int_eq(c.limits.max_lines, 20);
	ck_assert(c.version == CART_VERSION_UNKNOWN);
	/* 20 different products fit, the 21st does not. */
	for (int i = 0; i < 21; i++) {
		enum cart_reason r;

		snprintf(id, sizeof id, "%08d-0000-4000-8000-000000000000", i);
		ck_assert_int_eq(cart_add(&c, id, "x", 100, 1, &r),
		    i < 20 ? BZ_OK : BZ_ERR_INVALID_INPUT);
		ck_assert_int_eq(r, i < 20 ? CART_OK : CART_LINES_LIMIT);
	}
	ck_assert_uint_eq(c.nlines, 20);
	cart_free(&c);
}
END_TEST

START_TEST(bad_limits)
{
	static const struct cart_limits bad[] = {
		{ 0, 20 }, { 10, 0 }, { -1, 20 }, { 10, -1 },
		{ CART_LIMIT_CEILING + 1, 20 }, { 10, CART_LIMIT_CEILING + 1 },
	};
	struct cart c;
	enum cart_reason r;

	cart_init(&c);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(cart_set_limits(&c, &bad[i], &r),
		    BZ_ERR_INVALID_INPUT);
		ck_assert_int_eq(r, CART_BAD_LIMITS);
		ck_assert_int_eq(c.limits.max_quantity, 10); /* unchanged */
		ck_assert_int_eq(c.limits.max_lines, 20);
	}
	ck_assert_int_eq(cart_set_limits(&c, NULL, &r), BZ_ERR_INVALID_INPUT);
	cart_free(&c);
}
END_TEST

START_TEST(lowered_limits_keep_lines)
{
	struct cart c;
	struct cart_limits l = { 2, 1 };

	cart_init(&c);
	ck_assert_int_eq(cart_add(&c, P1, "x", 100, 8, NULL), BZ_OK);
	ck_assert_int_eq(cart_add(&c, P2, "y", 100, 1, NULL), BZ_OK);
	ck_assert_int_eq(cart_set_limits(&c, &l, NULL), BZ_OK);
	ck_assert_int_eq(cart_quantity_of(&c, P1), 8);
	ck_assert_uint_eq(c.nlines, 2);
	ck_assert_int_eq(cart_add(&c, P1, "x", 100, 1, NULL), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(cart_add(&c, P3, "z", 100, 1, NULL), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(cart_set(&c, P1, "x", 100, 2, NULL), BZ_OK);
	cart_free(&c);
}
END_TEST

START_TEST(check_add_changes_nothing)
{
	struct cart c;
	int q = -1;
	enum cart_reason r;

	cart_init(&c);
	ck_assert_int_eq(cart_add(&c, P1, "x", 100, 3, NULL), BZ_OK);
	ck_assert_int_eq(cart_check_add(&c, P1, 4, &q, &r), BZ_OK);
	ck_assert_int_eq(q, 7); /* what api_cart_set is sent */
	ck_assert_int_eq(cart_quantity_of(&c, P1), 3);
	ck_assert_int_eq(cart_check_add(&c, P2, 2, &q, &r), BZ_OK);
	ck_assert_int_eq(q, 2);
	ck_assert_uint_eq(c.nlines, 1);
	q = -1;
	ck_assert_int_eq(cart_check_add(&c, P1, 8, &q, &r), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(r, CART_QUANTITY_LIMIT);
	ck_assert_int_eq(q, -1);
	cart_free(&c);
}
END_TEST

START_TEST(merge_refreshes_name_and_price_keeps_order)
{
	struct cart c;
	const struct cart_line *l;

	cart_init(&c);
	ck_assert_int_eq(cart_add(&c, P1, "Old name", 500, 1, NULL), BZ_OK);
	ck_assert_int_eq(cart_add(&c, P2, "Second", 700, 1, NULL), BZ_OK);
	ck_assert_int_eq(cart_add(&c, P3, "Third", 900, 1, NULL), BZ_OK);
	ck_assert_int_eq(cart_add(&c, P1, "New name", 550, 2, NULL), BZ_OK);
	l = cart_find(&c, P1);
	ck_assert_ptr_nonnull(l);
	ck_assert_str_eq(l->name, "New name");
	ck_assert(l->unit_price_cents == 550);
	ck_assert_int_eq(l->quantity, 3);
	ck_assert_ptr_eq(l, &c.lines[0]); /* still first */
	/* Removing the middle line keeps the others in order. */
	ck_assert_int_eq(cart_remove(&c, P2, NULL), BZ_OK);
	ck_assert_str_eq(c.lines[0].product_id, P1);
	ck_assert_str_eq(c.lines[1].product_id, P3);
	ck_assert_str_eq(c.lines[1].name, "Third");
	/* A NULL name is stored as "", and a line's own name can be passed back. */
	ck_assert_int_eq(cart_set(&c, P3, NULL, 900, 1, NULL), BZ_OK);
	ck_assert_str_eq(cart_find(&c, P3)->name, "");
	ck_assert_int_eq(cart_add(&c, P1, c.lines[0].name, 550, 1, NULL), BZ_OK);
	ck_assert_str_eq(cart_find(&c, P1)->name, "New name");
	ck_assert_ptr_null(cart_find(&c, P2));
	ck_assert_ptr_null(cart_find(&c, "junk"));
	ck_assert_int_eq(cart_quantity_of(&c, NULL), 0);
	cart_free(&c);
}
END_TEST

START_TEST(stored_ids_are_lower_case)
{
	struct cart c;

	cart_init(&c);
	ck_assert_int_eq(cart_add(&c, "ABCDEF01-2345-4789-8BCD-EF0123456789", "x",
	    100, 1, NULL), BZ_OK);
	ck_assert_str_eq(c.lines[0].product_id,
	    "abcdef01-2345-4789-8bcd-ef0123456789");
	ck_assert_int_eq(cart_quantity_of(&c,
	    "abcdef01-2345-4789-8BCD-EF0123456789"), 1);
	cart_free(&c);
}
END_TEST

START_TEST(clear_and_reuse)
{
	struct cart c;
	bz_cents sub = -1;

	cart_init(&c);
	c.version = 7;
	for (int round = 0; round < 3; round++) {
		ck_assert_int_eq(cart_add(&c, P1, "x", 100, 2, NULL), BZ_OK);
		ck_assert_int_eq(cart_add(&c, P2, "y", 100, 2, NULL), BZ_OK);
		cart_clear(&c);
		ck_assert_uint_eq(c.nlines, 0);
		ck_assert(c.version == 7);
		ck_assert_int_eq(cart_subtotal(&c, &sub), BZ_OK);
		ck_assert(sub == 0);
	}
	cart_free(&c);
	cart_free(&c); /* twice is harmless */
	cart_init(&c);
	ck_assert_int_eq(cart_add(&c, P1, "x", 100, 1, NULL), BZ_OK);
	cart_free(&c);
}
END_TEST

START_TEST(explain_names_limits)
{
	struct cart c;
	struct cart_limits l = { 4, 7 };
	char buf[200];

	cart_init(&c);
	ck_assert_int_eq(cart_set_limits(&c, &l, NULL), BZ_OK);
	cart_explain(&c, CART_QUANTITY_LIMIT, buf, sizeof buf);
	ck_assert_str_eq(buf, "You can have at most 4 of one product in your cart.");
	cart_explain(&c, CART_LINES_LIMIT, buf, sizeof buf);
	ck_assert_str_eq(buf, "Your cart can hold at most 7 different products.");
	for (int r = CART_OK; r <= CART_BAD_LIMITS; r++) {
		cart_explain(&c, (enum cart_reason)r, buf, sizeof buf);
		ck_assert(strlen(buf) > 10);
		ck_assert_str_ne(cart_reason_name((enum cart_reason)r), "?");
	}
	cart_explain(&c, (enum cart_reason)99, buf, sizeof buf);
	ck_assert(strlen(buf) > 10);
	cart_explain(&c, CART_OK, NULL, 0); /* size query form: no crash */
	cart_free(&c);
}
END_TEST

/* The suite: one test case per behaviour, tables run one row per TAP line. */
static Suite *
cart_suite(void)
{
	Suite *s = suite_create("cart");

	TAP_ADD_TABLE(s, scenario_table, scenarios);
	TAP_ADD_TABLE(s, subtotal_table, subtotal_cases);
	TAP_ADD(s, line_total_overflow);
	TAP_ADD(s, default_limits);
	TAP_ADD(s, bad_limits);
	TAP_ADD(s, lowered_limits_keep_lines);
	TAP_ADD(s, check_add_changes_nothing);
	TAP_ADD(s, merge_refreshes_name_and_price_keeps_order);
	TAP_ADD(s, stored_ids_are_lower_case);
	TAP_ADD(s, clear_and_reuse);
	TAP_ADD(s, explain_names_limits);
	return s;
}

int
main(void)
{
	return run_suite_tap(cart_suite());
}
