/* Unit tests for core/cart_view: loading the server's lines (copies,
 * flags, totals, bad rows refused whole), the checkout verdict and its
 * sentence, the quantity rules (+, -, set, remove, add from the catalog)
 * with their refusals, and the selection across reloads. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "core/cart_view.h"
#include "tests/unit/tap_main.h"

#define P1 "11111111-1111-4111-8111-111111111111"
#define P2 "22222222-2222-4222-8222-222222222222"
#define P3 "33333333-3333-4333-8333-333333333333"
#define P4 "44444444-4444-4444-8444-444444444444"
#define P_ABSENT "99999999-9999-4999-8999-999999999999"

/* One line the way the server sends it. */
#define SRC(id, name, price, qty, avail, active) \
	{ (id), (name), "Games", (price), (qty), (bz_cents)(price) * (qty), (avail), (active) }

/* One row of the plan table: a single-line cart, a change, the verdict. */
struct plan_case {
	const char *what;
	int quantity;
	int64_t available;
	bool active;
	int max_quantity;           /* 0: the default 10 */
	enum cart_change change;
	int value;
	bz_err rc;
	int new_quantity;           /* when rc is BZ_OK */
	const char *why;            /* a part of the refusal's sentence */
};

/* One bad server answer, refused whole. */
struct bad_load_case {
	const char *what;
	int64_t version;
	struct cart_view_source src[2];
	size_t count;
	bz_err rc;
	const char *err;
};

static Suite *cart_view_suite(void);
static void load_ok(struct cart_view *v, int64_t version, const struct cart_view_source *src,
                    size_t count);

static const struct plan_case plan_cases[] = {
	{ "+ adds one", 2, 5, true, 0, CART_CHANGE_MORE, 0, BZ_OK, 3, NULL },
	{ "+ up to the stock", 4, 5, true, 0, CART_CHANGE_MORE, 0, BZ_OK, 5, NULL },
	{ "+ past the stock", 5, 5, true, 0, CART_CHANGE_MORE, 0, BZ_ERR_OUT_OF_STOCK, 0,
	  "Only 5 left of Celeste." },
	{ "+ on a sold-out line", 1, 0, true, 0, CART_CHANGE_MORE, 0, BZ_ERR_OUT_OF_STOCK, 0,
	  "Celeste is sold out." },
	{ "+ at the per-product limit", 10, 50, true, 0, CART_CHANGE_MORE, 0,
	  BZ_ERR_LIMIT_REACHED, 0, "At most 10 per product (you have 10 of Celeste)." },
	{ "+ at a lower limit from the server", 3, 50, true, 3, CART_CHANGE_MORE, 0,
	  BZ_ERR_LIMIT_REACHED, 0, "At most 3 per product" },
	{ "+ on a withdrawn product", 1, 50, false, 0, CART_CHANGE_MORE, 0, BZ_ERR_NOT_FOUND, 0,
	  "Celeste is no longer sold: remove it." },
	{ "+ on a huge quantity does not overflow", INT_MAX, 50, true, 0, CART_CHANGE_MORE, 0,
	  BZ_ERR_LIMIT_REACHED, 0, "At most 10 per product" },
	{ "- takes one", 3, 5, true, 0, CART_CHANGE_LESS, 0, BZ_OK, 2, NULL },
	{ "- on a short line needs no stock", 5, 2, true, 0, CART_CHANGE_LESS, 0, BZ_OK, 4, NULL },
	{ "- on a sold-out line", 2, 0, true, 0, CART_CHANGE_LESS, 0, BZ_OK, 1, NULL },
	{ "- never goes to 0", 1, 5, true, 0, CART_CHANGE_LESS, 0, BZ_ERR_INVALID_INPUT, 0,
	  "1 is the least: remove the line to drop Celeste." },
	{ "- on a withdrawn product", 3, 5, false, 0, CART_CHANGE_LESS, 0, BZ_ERR_NOT_FOUND, 0,
	  "no longer sold" },
	{ "- above a lowered limit stays refused", 12, 50, true, 10, CART_CHANGE_LESS, 0,
	  BZ_ERR_LIMIT_REACHED, 0, "At most 10 per product." },
	{ "set within the rules", 1, 20, true, 0, CART_CHANGE_SET, 7, BZ_OK, 7, NULL },
	{ "set to the limit", 1, 20, true, 0, CART_CHANGE_SET, 10, BZ_OK, 10, NULL },
	{ "set above the limit", 1, 20, true, 0, CART_CHANGE_SET, 11, BZ_ERR_LIMIT_REACHED, 0,
	  "At most 10 per product." },
	{ "set INT_MAX", 1, 20, true, 0, CART_CHANGE_SET, INT_MAX, BZ_ERR_LIMIT_REACHED, 0,
	  "At most 10 per product." },
	{ "set -1", 2, 20, true, 0, CART_CHANGE_SET, -1, BZ_ERR_INVALID_INPUT, 0,
	  "The quantity cannot be negative." },
	{ "set INT_MIN", 2, 20, true, 0, CART_CHANGE_SET, INT_MIN, BZ_ERR_INVALID_INPUT, 0,
	  "negative" },
	{ "set 0 removes", 2, 20, true, 0, CART_CHANGE_SET, 0, BZ_OK, 0, NULL },
	{ "set the same quantity changes nothing", 4, 1, true, 0, CART_CHANGE_SET, 4, BZ_OK, 4, NULL },
	{ "set past the stock", 2, 3, true, 0, CART_CHANGE_SET, 4, BZ_ERR_OUT_OF_STOCK, 0,
	  "Only 3 left of Celeste." },
	{ "set lower on a short line", 6, 3, true, 0, CART_CHANGE_SET, 5, BZ_OK, 5, NULL },
	{ "set on a withdrawn product", 2, 3, false, 0, CART_CHANGE_SET, 1, BZ_ERR_NOT_FOUND, 0,
	  "no longer sold" },
	{ "remove", 3, 5, true, 0, CART_CHANGE_REMOVE, 0, BZ_OK, 0, NULL },
	{ "remove a withdrawn product", 3, 5, false, 0, CART_CHANGE_REMOVE, 0, BZ_OK, 0, NULL },
	{ "remove a sold-out line", 3, 0, true, 0, CART_CHANGE_REMOVE, 0, BZ_OK, 0, NULL },
	{ "an unknown change", 3, 5, true, 0, (enum cart_change)99, 0, BZ_ERR_INVALID_INPUT, 0,
	  "not a change" },
};

static const struct bad_load_case bad_loads[] = {
	{ "a negative version", -1, { SRC(P1, "A", 100, 1, 5, true) }, 1, BZ_ERR_INVALID_INPUT,
	  "version" },
	{ "a product id that is not a uuid", 3, { SRC("42", "A", 100, 1, 5, true) }, 1,
	  BZ_ERR_INVALID_INPUT, "line 1 has no valid product id" },
	{ "no product id", 3, { SRC(P1, "A", 100, 1, 5, true), SRC(NULL, "B", 100, 1, 5, true) }, 2,
	  BZ_ERR_INVALID_INPUT, "line 2 has no valid product id" },
	{ "quantity 0", 3, { SRC(P1, "A", 100, 0, 5, true) }, 1, BZ_ERR_INVALID_INPUT, "quantity 0" },
	{ "a negative quantity", 3, { SRC(P1, "A", 100, -2, 5, true) }, 1, BZ_ERR_INVALID_INPUT,
	  "quantity -2" },
	{ "the most negative quantity", 3, { SRC(P1, "A", 100, INT_MIN, 5, true) }, 1,
	  BZ_ERR_INVALID_INPUT, "quantity" },
	{ "a negative price", 3, { SRC(P1, "A", -100, 1, 5, true) }, 1, BZ_ERR_INVALID_INPUT,
	  "negative price" },
	{ "two products one digit apart", 3,
	  { SRC(P1, "A", 100, 1, 5, true),
	    SRC("11111111-1111-4111-8111-11111111111F", "A", 100, 1, 5, true) }, 2, BZ_OK, NULL },
	{ "the same product twice, other case", 3,
	  { SRC("ABCDEF01-2345-4789-8BCD-EF0123456789", "A", 100, 1, 5, true),
	    SRC("abcdef01-2345-4789-8bcd-ef0123456789", "A", 100, 1, 5, true) }, 2,
	  BZ_ERR_INVALID_INPUT, "lines 1 and 2 are the same product" },
	{ "a subtotal that does not fit", 3,
	  { { P1, "A", "", INT64_MAX, 1, INT64_MAX, 5, true },
	    { P2, "B", "", 1, 1, 1, 5, true } }, 2, BZ_ERR_OVERFLOW, "does not fit" },
};

/* Load or fail the test. */
static void
load_ok(struct cart_view *v, int64_t version, const struct cart_view_source *src, size_t count)
{
	char err[200] = "";
	bz_err rc = cart_view_load(v, version, src, count, err, sizeof err);

	ck_assert_msg(rc == BZ_OK, "load: %s (%s)", bz_err_name(rc), err);
}

START_TEST(empty_view)
{
	struct cart_view v;
	struct cart_limits bad = { 0, 5 }, mine = { 4, 6 };

	cart_view_init(&v, NULL);
	ck_assert_int_eq(v.limits.max_quantity, CART_DEFAULT_MAX_QUANTITY);
	ck_assert_int_eq(v.limits.max_lines, CART_DEFAULT_MAX_LINES);
	ck_assert(v.version == CART_VERSION_UNKNOWN);
	ck_assert_uint_eq(v.count, 0);
	ck_assert(!v.can_checkout);
	ck_assert_str_eq(v.why_not, "Your cart is empty.");
	ck_assert_ptr_null(cart_view_selected(&v));
	cart_view_move(&v, 1);
	cart_view_move(&v, -1);
	ck_assert_uint_eq(v.selected, 0);
	cart_view_init(&v, &bad);  /* out of range: the defaults */
	ck_assert_int_eq(v.limits.max_quantity, CART_DEFAULT_MAX_QUANTITY);
	cart_view_init(&v, &mine);
	ck_assert_int_eq(v.limits.max_quantity, 4);
	ck_assert_int_eq(v.limits.max_lines, 6);
	/* The empty cart from the server: version 0, no line. */
	load_ok(&v, 0, NULL, 0);
	ck_assert(v.version == 0);
	ck_assert(!v.can_checkout);
	cart_view_clear(&v);
	cart_view_clear(&v);  /* twice is harmless */
	ck_assert_int_eq(v.limits.max_quantity, 4);  /* the limits stay */
}
END_TEST

START_TEST(load_copies_and_totals)
{
	char id[] = P2, name[] = "Hollow Knight";
	struct cart_view_source src[] = {
		SRC(P1, "Celeste", 1999, 2, 3, true),
		{ id, name, NULL, 1499, 3, 4497, 40, true },
	};
	struct cart_view v;

	cart_view_init(&v, NULL);
	load_ok(&v, 7, src, 2);
	/* The view owns its copies: the caller's buffers may go away. */
	memset(name, 'x', sizeof name - 1);
	memset(id, '0', sizeof id - 1);
	ck_assert_str_eq(v.lines[1].name, "Hollow Knight");
	ck_assert_str_eq(v.lines[1].product_id, P2);
	ck_assert_str_eq(v.lines[1].category, "");
	ck_assert_str_eq(v.lines[0].category, "Games");
	ck_assert(v.version == 7);
	ck_assert(v.subtotal_cents == 2 * 1999 + 4497);
	ck_assert(v.items == 5);
	ck_assert_uint_eq(v.flagged, 0);
	ck_assert(v.can_checkout);
	ck_assert_str_eq(v.why_not, "");
	ck_assert(v.lines[1].line_total_cents == 4497);
	ck_assert_int_eq(v.lines[0].flag, CART_LINE_OK);
	cart_view_clear(&v);
	ck_assert(v.version == CART_VERSION_UNKNOWN);
	ck_assert_uint_eq(v.count, 0);
	ck_assert(v.subtotal_cents == 0);
}
END_TEST

START_TEST(flags_block_checkout)
{
	struct cart_view_source src[] = {
		SRC(P1, "Fine", 100, 2, 9, true),
		SRC(P2, "Short", 100, 3, 2, true),
		SRC(P3, "Gone", 100, 1, 0, true),
		SRC(P4, "Withdrawn", 100, 1, 0, false),
	};
	struct cart_view v;
	char buf[64];

	cart_view_init(&v, NULL);
	load_ok(&v, 1, src, 4);
	ck_assert_int_eq(v.lines[0].flag, CART_LINE_OK);
	ck_assert_int_eq(v.lines[1].flag, CART_LINE_SHORT);
	ck_assert_int_eq(v.lines[2].flag, CART_LINE_SOLD_OUT);
	/* Withdrawn wins over sold out: it can only be removed. */
	ck_assert_int_eq(v.lines[3].flag, CART_LINE_WITHDRAWN);
	ck_assert_uint_eq(v.flagged, 3);
	ck_assert(!v.can_checkout);
	/* Flagged, not dropped: every line is still there and counted. */
	ck_assert_uint_eq(v.count, 4);
	ck_assert(v.items == 7);
	ck_assert(v.subtotal_cents == 700);
	ck_assert_str_eq(v.why_not,
	                 "Only 2 left of Short: lower it to check out (and 2 more lines).");
	cart_view_flag_text(&v.lines[0], 5, buf, sizeof buf);
	ck_assert_str_eq(buf, "in stock");
	cart_view_flag_text(&v.lines[0], 9, buf, sizeof buf);
	ck_assert_str_eq(buf, "9 left");
	cart_view_flag_text(&v.lines[1], 5, buf, sizeof buf);
	ck_assert_str_eq(buf, "only 2 left");
	cart_view_flag_text(&v.lines[2], 5, buf, sizeof buf);
	ck_assert_str_eq(buf, "sold out");
	cart_view_flag_text(&v.lines[3], 5, buf, sizeof buf);
	ck_assert_str_eq(buf, "no longer sold");
	ck_assert_str_eq(cart_line_flag_name(CART_LINE_SHORT), "short");
	ck_assert_str_eq(cart_line_flag_name((enum cart_line_flag)42), "?");

	/* One flagged line left: named alone. */
	load_ok(&v, 2, src + 2, 1);
	ck_assert_str_eq(v.why_not, "Gone is sold out: remove it to check out.");
	load_ok(&v, 3, src + 3, 1);
	ck_assert_str_eq(v.why_not, "Withdrawn is no longer sold: remove it to check out.");
	load_ok(&v, 4, src + 1, 2);
	ck_assert_str_eq(v.why_not,
	                 "Only 2 left of Short: lower it to check out (and 1 more line).");
	/* A negative stock from the server reads as none. */
	src[0].available = -3;
	load_ok(&v, 5, src, 1);
	ck_assert_int_eq(v.lines[0].flag, CART_LINE_SOLD_OUT);
	ck_assert(v.lines[0].available == 0);
	cart_view_clear(&v);
}
END_TEST

START_TEST(over_limit_blocks_checkout)
{
	struct cart_limits l = { 3, 20 };
	struct cart_view_source src[] = { SRC(P1, "Celeste", 100, 5, 10, true) };
	struct cart_view v;

	/* The shop lowered its limit after this line was filled. */
	cart_view_init(&v, &l);
	load_ok(&v, 1, src, 1);
	ck_assert_int_eq(v.lines[0].flag, CART_LINE_OK);
	ck_assert(!v.can_checkout);
	ck_assert_str_eq(v.why_not, "At most 3 per product: lower Celeste to check out.");
	cart_view_clear(&v);
}
END_TEST

START_TEST(bad_load_table)
{
	const struct bad_load_case *bc = &bad_loads[_i];
	struct cart_view_source before[] = { SRC(P3, "Kept", 250, 2, 9, true) };
	struct cart_view v;
	char err[200] = "";
	bz_err rc;

	cart_view_init(&v, NULL);
	load_ok(&v, 2, before, 1);
	rc = cart_view_load(&v, bc->version, bc->src, bc->count, err, sizeof err);
	ck_assert_msg(rc == bc->rc, "%s: %s (%s), want %s", bc->what, bz_err_name(rc), err,
	              bz_err_name(bc->rc));
	if (rc == BZ_OK) {
		ck_assert_uint_eq(v.count, bc->count);
	} else {
		ck_assert_msg(strstr(err, bc->err) != NULL, "%s: \"%s\" lacks \"%s\"", bc->what, err,
		              bc->err);
		/* Refused whole: the previous cart is still shown. */
		ck_assert_uint_eq(v.count, 1);
		ck_assert_str_eq(v.lines[0].name, "Kept");
		ck_assert(v.version == 2);
		ck_assert(v.subtotal_cents == 500);
		ck_assert(v.can_checkout);
	}
	cart_view_clear(&v);
}
END_TEST

START_TEST(load_without_lines_array)
{
	struct cart_view v;
	char err[100] = "";

	cart_view_init(&v, NULL);
	ck_assert_int_eq(cart_view_load(&v, 1, NULL, 2, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(cart_view_load(&v, 1, NULL, 2, NULL, 0), BZ_ERR_INVALID_INPUT);
	ck_assert(v.version == CART_VERSION_UNKNOWN);
}
END_TEST

START_TEST(selection_follows_product)
{
	struct cart_view_source first[] = {
		SRC(P1, "A", 100, 1, 9, true), SRC(P2, "B", 100, 1, 9, true),
		SRC(P3, "C", 100, 1, 9, true),
	};
	/* C moved to the top, B gone. */
	struct cart_view_source second[] = {
		SRC(P3, "C", 100, 1, 9, true), SRC(P1, "A", 100, 1, 9, true),
	};
	struct cart_view v;

	cart_view_init(&v, NULL);
	load_ok(&v, 1, first, 3);
	ck_assert_uint_eq(v.selected, 0);
	cart_view_move(&v, 2);
	ck_assert_str_eq(cart_view_selected(&v)->name, "C");
	load_ok(&v, 2, second, 2);
	ck_assert_uint_eq(v.selected, 0);
	ck_assert_str_eq(cart_view_selected(&v)->name, "C");

	/* The selected product left: the same row, or the last one. */
	load_ok(&v, 3, first, 3);
	cart_view_select(&v, 1);
	ck_assert_str_eq(cart_view_selected(&v)->name, "B");
	load_ok(&v, 4, second, 2);
	ck_assert_uint_eq(v.selected, 1);
	ck_assert_str_eq(cart_view_selected(&v)->name, "A");
	load_ok(&v, 5, first, 3);
	cart_view_select(&v, 2);
	load_ok(&v, 6, first, 1);
	ck_assert_uint_eq(v.selected, 0);
	load_ok(&v, 7, NULL, 0);
	ck_assert_ptr_null(cart_view_selected(&v));
	ck_assert_uint_eq(v.selected, 0);
	cart_view_clear(&v);
}
END_TEST

START_TEST(selection_moves_within_bounds)
{
	struct cart_view_source src[] = {
		SRC(P1, "A", 100, 1, 9, true), SRC(P2, "B", 100, 1, 9, true),
		SRC(P3, "C", 100, 1, 9, true),
	};
	struct cart_view v;

	cart_view_init(&v, NULL);
	load_ok(&v, 1, src, 3);
	cart_view_move(&v, -1);
	ck_assert_uint_eq(v.selected, 0);
	cart_view_move(&v, 1);
	ck_assert_uint_eq(v.selected, 1);
	cart_view_move(&v, 5);
	ck_assert_uint_eq(v.selected, 2);
	cart_view_move(&v, LONG_MAX);
	ck_assert_uint_eq(v.selected, 2);
	cart_view_move(&v, -2);
	ck_assert_uint_eq(v.selected, 0);
	cart_view_move(&v, 2);
	cart_view_move(&v, LONG_MIN);
	ck_assert_uint_eq(v.selected, 0);
	cart_view_select(&v, SIZE_MAX);
	ck_assert_uint_eq(v.selected, 2);
	cart_view_clear(&v);
}
END_TEST

START_TEST(plan_table)
{
	const struct plan_case *pc = &plan_cases[_i];
	struct cart_limits l = { pc->max_quantity ? pc->max_quantity : 10, 20 };
	struct cart_view_source src[] = {
		SRC(P1, "Celeste", 1999, pc->quantity, pc->available, pc->active),
	};
	struct cart_view v;
	char why[CART_VIEW_SENTENCE_MAX] = "";
	int q = -42;
	bz_err rc;

	cart_view_init(&v, &l);
	load_ok(&v, 1, src, 1);
	rc = cart_view_plan(&v, 0, pc->change, pc->value, &q, why, sizeof why);
	ck_assert_msg(rc == pc->rc, "%s: %s (%s), want %s", pc->what, bz_err_name(rc), why,
	              bz_err_name(pc->rc));
	if (rc == BZ_OK) {
		ck_assert_msg(q == pc->new_quantity, "%s: quantity %d, want %d", pc->what, q,
		              pc->new_quantity);
	} else {
		ck_assert_msg(q == -42, "%s: the quantity was written on a refusal", pc->what);
		ck_assert_msg(strstr(why, pc->why) != NULL, "%s: \"%s\" lacks \"%s\"", pc->what, why,
		              pc->why);
	}
	/* Planning changes nothing. */
	ck_assert_int_eq(v.lines[0].quantity, pc->quantity);
	ck_assert(v.version == 1);
	cart_view_clear(&v);
}
END_TEST

START_TEST(plan_needs_a_line)
{
	struct cart_view_source src[] = { SRC(P1, "A", 100, 1, 9, true) };
	struct cart_view v;
	char why[CART_VIEW_SENTENCE_MAX] = "";
	int q = -42;

	cart_view_init(&v, NULL);
	ck_assert_int_eq(cart_view_plan(&v, 0, CART_CHANGE_MORE, 0, &q, why, sizeof why),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(why, "Select a line of the cart first.");
	load_ok(&v, 1, src, 1);
	ck_assert_int_eq(cart_view_plan(&v, 1, CART_CHANGE_REMOVE, 0, &q, why, sizeof why),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(cart_view_plan(&v, SIZE_MAX, CART_CHANGE_SET, 1, &q, NULL, 0),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(q, -42);
	/* Only asking: no quantity pointer. */
	ck_assert_int_eq(cart_view_plan(&v, 0, CART_CHANGE_MORE, 0, NULL, NULL, 0), BZ_OK);
	cart_view_clear(&v);
}
END_TEST

START_TEST(plan_add_from_catalog)
{
	struct cart_limits l = { 10, 2 };
	struct cart_view_source src[] = {
		SRC(P1, "Celeste", 1999, 2, 3, true),
		SRC(P2, "Full", 100, 10, 50, true),
	};
	struct cart_view v;
	char why[CART_VIEW_SENTENCE_MAX] = "";
	int q = -42;

	cart_view_init(&v, NULL);
	/* An empty cart: a new line of one. */
	ck_assert_int_eq(cart_view_plan_add(&v, P3, "New", 5, &q, why, sizeof why), BZ_OK);
	ck_assert_int_eq(q, 1);
	ck_assert_int_eq(cart_view_plan_add(&v, P3, "New", -1, &q, why, sizeof why), BZ_OK);
	ck_assert_int_eq(q, 1);
	q = -42;
	ck_assert_int_eq(cart_view_plan_add(&v, P3, "New", 0, &q, why, sizeof why),
	                 BZ_ERR_OUT_OF_STOCK);
	ck_assert_str_eq(why, "New is sold out.");
	ck_assert_int_eq(cart_view_plan_add(&v, P3, NULL, -7, &q, why, sizeof why),
	                 BZ_ERR_OUT_OF_STOCK);
	ck_assert_str_eq(why, "This product is sold out.");
	ck_assert_int_eq(q, -42);
	ck_assert_int_eq(cart_view_plan_add(&v, "not-a-uuid", "X", 5, &q, why, sizeof why),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(cart_view_plan_add(&v, NULL, "X", 5, &q, why, sizeof why),
	                 BZ_ERR_INVALID_INPUT);

	cart_view_clear(&v);
	cart_view_init(&v, &l);
	load_ok(&v, 4, src, 2);
	/* Already there: one more on its line, checked against its stock
	 * (the catalog's number is not needed). */
	ck_assert_int_eq(cart_view_plan_add(&v, "11111111-1111-4111-8111-111111111111", "Celeste",
	                                    0, &q, why, sizeof why), BZ_OK);
	ck_assert_int_eq(q, 3);
	q = -42;
	ck_assert_int_eq(cart_view_plan_add(&v, P2, "Full", 50, &q, why, sizeof why),
	                 BZ_ERR_LIMIT_REACHED);
	ck_assert_str_eq(why, "At most 10 per product (you have 10 of Full).");
	/* Two lines of at most two: a third product does not fit. */
	ck_assert_int_eq(cart_view_plan_add(&v, P3, "Third", 5, &q, why, sizeof why),
	                 BZ_ERR_LIMIT_REACHED);
	ck_assert_str_eq(why, "Your cart can hold at most 2 different products.");
	ck_assert_int_eq(q, -42);
	/* And one more past the stock of 3. */
	src[0].quantity = 3;
	src[0].line_total_cents = 3 * 1999;
	load_ok(&v, 5, src, 2);
	ck_assert_int_eq(cart_view_plan_add(&v, P1, "Celeste", 100, &q, why, sizeof why),
	                 BZ_ERR_OUT_OF_STOCK);
	ck_assert_str_eq(why, "Only 3 left of Celeste.");
	ck_assert_ptr_nonnull(cart_view_find(&v, "11111111-1111-4111-8111-111111111111"));
	ck_assert_ptr_null(cart_view_find(&v, P_ABSENT));
	ck_assert_ptr_null(cart_view_find(&v, "junk"));
	cart_view_clear(&v);
}
END_TEST

START_TEST(long_names_are_cut_on_a_character)
{
	char name[401];
	struct cart_view_source src[] = { SRC(P1, name, 100, 1, 0, true) };
	struct cart_view v;
	char why[CART_VIEW_SENTENCE_MAX];
	const unsigned char *p;
	int q;

	/* 200 two-byte characters (é): any cut at an odd byte would split one. */
	for (int i = 0; i < 200; i++) {
		name[2 * i] = (char)0xc3;
		name[2 * i + 1] = (char)0xa9;
	}
	name[400] = '\0';
	cart_view_init(&v, NULL);
	load_ok(&v, 1, src, 1);
	ck_assert_str_eq(v.lines[0].name, name);  /* the line keeps the whole name */
	ck_assert(strlen(v.why_not) < sizeof v.why_not - 1);
	ck_assert(strstr(v.why_not, " is sold out: remove it to check out.") != NULL);
	ck_assert_int_eq(cart_view_plan(&v, 0, CART_CHANGE_MORE, 0, &q, why, sizeof why),
	                 BZ_ERR_OUT_OF_STOCK);
	/* Every sentence is whole UTF-8: pairs of c3 a9, then ASCII. */
	for (int s = 0; s < 2; s++) {
		p = (const unsigned char *)(s == 0 ? v.why_not : why);
		while (*p == 0xc3 && p[1] == 0xa9)
			p += 2;
		ck_assert_msg(*p == ' ', "sentence %d is cut inside a character", s);
		for (; *p; p++)
			ck_assert(*p < 0x80);
	}
	cart_view_clear(&v);
}
END_TEST

static Suite *
cart_view_suite(void)
{
	Suite *s = suite_create("cart_view");

	TAP_ADD(s, empty_view);
	TAP_ADD(s, load_copies_and_totals);
	TAP_ADD(s, flags_block_checkout);
	TAP_ADD(s, over_limit_blocks_checkout);
	TAP_ADD_TABLE(s, bad_load_table, bad_loads);
	TAP_ADD(s, load_without_lines_array);
	TAP_ADD(s, selection_follows_product);
	TAP_ADD(s, selection_moves_within_bounds);
	TAP_ADD_TABLE(s, plan_table, plan_cases);
	TAP_ADD(s, plan_needs_a_line);
	TAP_ADD(s, plan_add_from_catalog);
	TAP_ADD(s, long_names_are_cut_on_a_character);
	return s;
}

int
main(void)
{
	return run_suite_tap(cart_view_suite());
}
