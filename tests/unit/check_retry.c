/* Unit tests for core/retry: which errors are retried, how many times,
 * and the bounds of the jittered backoff. */
#include "config.h"

#include <stdint.h>

#include <check.h>

#include "core/retry.h"
#include "tests/unit/tap_main.h"

struct decide_case {
	bz_err err;
	int attempt;
	int max_attempts;
	enum retry_decision want;
};

struct backoff_case {
	int attempt;
	uint32_t random;
	long want;
};

static Suite *retry_suite(void);

static const struct decide_case decide_cases[] = {
	/* The three transient errors, with attempts left. */
	{ BZ_ERR_RETRYABLE, 1, 5, RETRY_AGAIN },
	{ BZ_ERR_RETRYABLE, 4, 5, RETRY_AGAIN },
	{ BZ_ERR_LOCK_TIMEOUT, 1, 5, RETRY_AGAIN },
	{ BZ_ERR_LOCK_TIMEOUT, 4, 5, RETRY_AGAIN },
	{ BZ_ERR_CONNECTION, 1, 5, RETRY_RECONNECT },
	{ BZ_ERR_CONNECTION, 4, 5, RETRY_RECONNECT },
	/* Attempts used up: the last attempt is final. */
	{ BZ_ERR_RETRYABLE, 5, 5, RETRY_STOP },
	{ BZ_ERR_LOCK_TIMEOUT, 5, 5, RETRY_STOP },
	{ BZ_ERR_CONNECTION, 5, 5, RETRY_STOP },
	{ BZ_ERR_RETRYABLE, 6, 5, RETRY_STOP },
	{ BZ_ERR_RETRYABLE, 1, 1, RETRY_STOP },   /* one attempt: no retry */
	{ BZ_ERR_RETRYABLE, 1, 2, RETRY_AGAIN },
	{ BZ_ERR_CONNECTION, 1000, 1001, RETRY_RECONNECT },
	/* Nonsense arguments stop rather than loop. */
	{ BZ_ERR_RETRYABLE, 0, 5, RETRY_STOP },
	{ BZ_ERR_RETRYABLE, -1, 5, RETRY_STOP },
	{ BZ_ERR_RETRYABLE, 1, 0, RETRY_STOP },
	{ BZ_ERR_CONNECTION, 1, -5, RETRY_STOP },
	/* Success and every answer or bug: never again. */
	{ BZ_OK, 1, 5, RETRY_STOP },
	{ BZ_ERR_INVALID_INPUT, 1, 5, RETRY_STOP },
	{ BZ_ERR_OVERFLOW, 1, 5, RETRY_STOP },
	{ BZ_ERR_NOT_FOUND, 1, 5, RETRY_STOP },
	{ BZ_ERR_CONFLICT, 1, 5, RETRY_STOP },
	{ BZ_ERR_OUT_OF_STOCK, 1, 5, RETRY_STOP },
	{ BZ_ERR_PROMO_UNAVAILABLE, 1, 5, RETRY_STOP },
	{ BZ_ERR_INSUFFICIENT_FUNDS, 1, 5, RETRY_STOP },
	{ BZ_ERR_CONSTRAINT, 1, 5, RETRY_STOP },
	{ BZ_ERR_PERMISSION, 1, 5, RETRY_STOP },
	{ BZ_ERR_AUTH, 1, 5, RETRY_STOP },
	{ BZ_ERR_SCHEMA_MISMATCH, 1, 5, RETRY_STOP },
	{ BZ_ERR_CHECKSUM, 1, 5, RETRY_STOP },
	{ BZ_ERR_IO, 1, 5, RETRY_STOP },
	{ BZ_ERR_ENVIRONMENT, 1, 5, RETRY_STOP },
	{ BZ_ERR_INTERNAL, 1, 5, RETRY_STOP },
	{ BZ_ERR_CART_CHANGED, 1, 5, RETRY_STOP },
	{ BZ_ERR_IDEMPOTENCY_MISMATCH, 1, 5, RETRY_STOP },
	{ BZ_ERR_THROTTLED, 1, 5, RETRY_STOP },
	{ BZ_ERR_LIMIT_REACHED, 1, 5, RETRY_STOP },
	{ BZ_ERR_ALREADY_DECIDED, 1, 5, RETRY_STOP },
	/* Cancelled by us: the checkout machine asks instead of re-sending. */
	{ BZ_ERR_CANCELLED, 1, 5, RETRY_STOP },
	{ BZ_ERR__COUNT, 1, 5, RETRY_STOP },      /* a code added later */
};

static const struct backoff_case backoff_cases[] = {
	/* random 0: no wait at all (full jitter starts at zero). */
	{ 1, 0, 0 },
	{ 5, 0, 0 },
	/* The ceiling doubles from 50 ms: random = ceiling gives it. */
	{ 1, 50, 50 },
	{ 2, 100, 100 },
	{ 3, 200, 200 },
	{ 4, 400, 400 },
	{ 5, 800, 800 },
	{ 6, 1600, 1600 },
	{ 7, 2000, 2000 },                 /* 3200 capped at 2000 */
	/* random wraps modulo ceiling + 1. */
	{ 1, 51, 0 },
	{ 1, 52, 1 },
	{ 2, 101, 0 },
	{ 7, 2001, 0 },
	{ 1, UINT32_MAX, (long)(UINT32_MAX % 51u) },
	{ 100, UINT32_MAX, (long)(UINT32_MAX % 2001u) },
	/* Odd attempts count as the first. */
	{ 0, 50, 50 },
	{ -7, 51, 0 },
	{ 2147483647, 2000, 2000 },        /* INT_MAX: no shift overflow */
};

START_TEST(decide_table)
{
	const struct decide_case *c = &decide_cases[_i];
	enum retry_decision got = retry_decide(c->err, c->attempt, c->max_attempts);

	ck_assert_msg(got == c->want, "retry_decide(%s, %d, %d) = %s, want %s",
	    bz_err_name(c->err), c->attempt, c->max_attempts,
	    retry_decision_name(got), retry_decision_name(c->want));
}
END_TEST

START_TEST(transient_is_exactly_three)
{
	int n = 0;

	for (int e = 0; e < BZ_ERR__COUNT; e++)
		n += retry_is_transient((bz_err)e);
	ck_assert_int_eq(n, 3);
}
END_TEST

START_TEST(backoff_table)
{
	const struct backoff_case *c = &backoff_cases[_i];
	long got = retry_backoff_ms(c->attempt, c->random);

	ck_assert_msg(got == c->want, "retry_backoff_ms(%d, %u) = %ld, want %ld",
	    c->attempt, c->random, got, c->want);
}
END_TEST

START_TEST(backoff_bounds)
{
	uint32_t x = 2463534242u;

	/* Many random values for every attempt: always in 0..ceiling. */
	for (int attempt = 1; attempt <= 12; attempt++) {
		long ceiling = RETRY_BACKOFF_BASE_MS << (attempt - 1);

		if (ceiling > RETRY_BACKOFF_CAP_MS)
			ceiling = RETRY_BACKOFF_CAP_MS;
		for (int i = 0; i < 5000; i++) {
			long ms;

			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			ms = retry_backoff_ms(attempt, x);
			if (ms < 0 || ms > ceiling)
				ck_abort_msg("attempt %d, random %u: %ld ms "
				    "outside 0..%ld", attempt, x, ms, ceiling);
		}
	}
}
END_TEST

START_TEST(decision_names)
{
	ck_assert_str_eq(retry_decision_name(RETRY_STOP), "stop");
	ck_assert_str_eq(retry_decision_name(RETRY_AGAIN), "again");
	ck_assert_str_eq(retry_decision_name(RETRY_RECONNECT), "reconnect");
	ck_assert_str_eq(retry_decision_name((enum retry_decision)99), "?");
}
END_TEST

/* The suite: one test case per behaviour, tables run one row per TAP line. */
static Suite *
retry_suite(void)
{
	Suite *s = suite_create("retry");

	TAP_ADD_TABLE(s, decide_table, decide_cases);
	TAP_ADD(s, transient_is_exactly_three);
	TAP_ADD_TABLE(s, backoff_table, backoff_cases);
	TAP_ADD(s, backoff_bounds);
	TAP_ADD(s, decision_names);
	return s;
}

int
main(void)
{
	return run_suite_tap(retry_suite());
}
