/* Unit tests for core/submit_guard: a hammered submit sends once, the
 * guard opens again after the answer, and a disabled guard lets every
 * submit through (the tester's --no-submit-guard). */
#include "config.h"

#include <check.h>

#include "core/submit_guard.h"
#include "tests/unit/tap_main.h"

static Suite *guard_suite(void);

START_TEST(hammered_enter_sends_once)
{
	struct submit_guard g;

	guard_init(&g, true);
	ck_assert_int_eq(guard_submit(&g), GUARD_SEND);
	ck_assert(guard_busy(&g));
	for (int i = 0; i < 9; i++)
		ck_assert_int_eq(guard_submit(&g), GUARD_BUSY);
	ck_assert_uint_eq(g.sent, 1);
	ck_assert_uint_eq(g.ignored, 9);
}
END_TEST

START_TEST(answer_reopens_the_form)
{
	struct submit_guard g;

	guard_init(&g, true);
	ck_assert_int_eq(guard_submit(&g), GUARD_SEND);
	guard_done(&g);
	ck_assert(!guard_busy(&g));
	ck_assert_int_eq(guard_submit(&g), GUARD_SEND);
	ck_assert_uint_eq(g.sent, 2);
}
END_TEST

START_TEST(stray_answer_does_not_unlock_twice)
{
	struct submit_guard g;

	guard_init(&g, true);
	guard_done(&g);
	ck_assert_int_eq(g.in_flight, 0);
	ck_assert_int_eq(guard_submit(&g), GUARD_SEND);
	ck_assert_int_eq(guard_submit(&g), GUARD_BUSY);
}
END_TEST

START_TEST(disabled_guard_passes_everything)
{
	struct submit_guard g;

	guard_init(&g, false);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(guard_submit(&g), GUARD_SEND);
	ck_assert_int_eq(g.in_flight, 10);
	ck_assert(guard_busy(&g));
	for (int i = 0; i < 10; i++)
		guard_done(&g);
	ck_assert(!guard_busy(&g));
	ck_assert_uint_eq(g.ignored, 0);
}
END_TEST

static Suite *
guard_suite(void)
{
	Suite *s = suite_create("submit_guard");

	TAP_ADD(s, hammered_enter_sends_once);
	TAP_ADD(s, answer_reopens_the_form);
	TAP_ADD(s, stray_answer_does_not_unlock_twice);
	TAP_ADD(s, disabled_guard_passes_everything);
	return s;
}

int
main(void)
{
	return run_suite_tap(guard_suite());
}
