/* Placeholder: being written (issue 4). */
#include "config.h"

#include <check.h>

#include "core/cart_view.h"
#include "tests/unit/tap_main.h"

START_TEST(placeholder)
{
	ck_assert(1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cart_view");

	TAP_ADD(s, placeholder);
	return run_suite_tap(s);
}
