/* Unit tests for core/mail_policy: the verdict of every kind of attempt,
 * the backoff's bounds with the provider's Retry-After, and the parsing
 * of Retry-After in both of its forms and in forms it must refuse. */
#include "config.h"

#include <stdint.h>
#include <time.h>

#include <check.h>

#include "core/mail_policy.h"
#include "tests/unit/tap_main.h"

struct verdict_case {
	bool answered;
	long status;
	bool has_id;
	const char *error_name;
	enum mail_verdict want;
};

struct retry_after_case {
	const char *value;
	bool ok;
	long want_ms;
};

static Suite *mail_policy_suite(void);

/* 2026-11-29T12:00:00Z, the "now" of the date cases. */
#define NOW ((time_t)1795953600)

static const struct verdict_case verdict_cases[] = {
	/* No answer at all: the outcome is unknown; the key makes a retry safe. */
	{ false, 0, false, NULL, MAIL_RETRY },
	{ false, 200, true, NULL, MAIL_RETRY },        /* a status without an answer counts as none */
	{ true, 200, true, NULL, MAIL_SENT },
	{ true, 201, true, NULL, MAIL_SENT },
	{ true, 299, true, NULL, MAIL_SENT },
	{ true, 200, false, NULL, MAIL_RETRY },        /* 200 with a malformed body */
	{ true, 429, false, "rate_limit_exceeded", MAIL_RETRY },
	{ true, 408, false, NULL, MAIL_RETRY },
	{ true, 500, false, NULL, MAIL_RETRY },
	{ true, 502, false, NULL, MAIL_RETRY },
	{ true, 503, false, NULL, MAIL_RETRY },
	{ true, 599, false, NULL, MAIL_RETRY },
	{ true, 409, false, "concurrent_idempotent_requests", MAIL_RETRY },
	{ true, 409, false, "invalid_idempotent_request", MAIL_FAILED },
	{ true, 409, false, NULL, MAIL_FAILED },
	{ true, 400, false, NULL, MAIL_FAILED },
	{ true, 401, false, "missing_api_key", MAIL_FAILED },
	{ true, 403, false, NULL, MAIL_FAILED },
	{ true, 404, false, NULL, MAIL_FAILED },
	{ true, 422, false, "validation_error", MAIL_FAILED },
	{ true, 422, true, NULL, MAIL_FAILED },        /* an id on an error is still an error */
	{ true, 300, false, NULL, MAIL_FAILED },       /* a redirect is not followed */
	{ true, 100, false, NULL, MAIL_FAILED },
	{ true, 600, false, NULL, MAIL_FAILED },
	{ true, -1, false, NULL, MAIL_FAILED },
};

static const struct retry_after_case retry_after_cases[] = {
	{ "0", true, 0 },
	{ "1", true, 1000 },
	{ "120", true, 120000 },
	{ " 7 ", true, 7000 },
	{ "\t30", true, 30000 },
	{ "3600", true, 3600000 },
	{ "86400", true, MAIL_RETRY_AFTER_CAP_MS },           /* a day: capped at an hour */
	{ "99999999999999999999", false, 0 },                 /* overflow */
	{ "-1", false, 0 },
	{ "1.5", false, 0 },
	{ "5s", false, 0 },
	{ "", false, 0 },
	{ "   ", false, 0 },
	{ "soon", false, 0 },
	{ "Sun, 29 Nov 2026 12:00:30 GMT", true, 30000 },
	{ "Sun, 29 Nov 2026 11:00:00 GMT", true, 0 },         /* in the past: now */
	{ "Mon, 30 Nov 2026 12:00:00 GMT", true, MAIL_RETRY_AFTER_CAP_MS },
	{ "Sun, 29 Nov 2026 12:00:30 UTC", false, 0 },        /* only GMT */
	{ "Sunday, 29-Nov-26 12:00:30 GMT", false, 0 },       /* the obsolete forms are refused */
	{ "Sun Nov 29 12:00:30 2026", false, 0 },
	{ "Sun, 29 Foo 2026 12:00:30 GMT", false, 0 },
	{ "Sun, 32 Nov 2026 12:00:30 GMT", false, 0 },
	{ "Sun, 29 Nov 2026 25:00:30 GMT", false, 0 },
	{ "Sun, 29 Nov 2026 12:00:30 GMTx", false, 0 },
};

START_TEST(verdict_table)
{
	const struct verdict_case *c = &verdict_cases[_i];
	struct mail_attempt a = { c->answered, c->status, c->has_id, c->error_name };
	enum mail_verdict got = mail_verdict_of(&a);

	ck_assert_msg(got == c->want, "answered %d, HTTP %ld, id %d, name %s: %s, want %s", c->answered,
	              c->status, c->has_id, c->error_name ? c->error_name : "-", mail_verdict_name(got),
	              mail_verdict_name(c->want));
}
END_TEST

START_TEST(retry_after_table)
{
	const struct retry_after_case *c = &retry_after_cases[_i];
	long ms = -42;
	bool ok = mail_parse_retry_after(c->value, NOW, &ms);

	ck_assert_msg(ok == c->ok, "%s: parsed %d, want %d", tap_quote(c->value, (size_t)-1), ok, c->ok);
	if (c->ok)
		ck_assert_msg(ms == c->want_ms, "%s: %ld ms, want %ld", tap_quote(c->value, (size_t)-1), ms,
		              c->want_ms);
}
END_TEST

START_TEST(retry_after_null)
{
	long ms = -42;

	ck_assert(!mail_parse_retry_after(NULL, NOW, &ms));
	ck_assert_int_eq(ms, -42);
}
END_TEST

START_TEST(delay_bounds)
{
	uint32_t x = 2463534242u;

	/* Full jitter: 0..min(cap, base * 2^(n-1)) for every attempt. */
	for (int attempt = 1; attempt <= 40; attempt++) {
		long ceiling = MAIL_BACKOFF_BASE_MS;

		for (int i = 1; i < attempt && ceiling < MAIL_BACKOFF_CAP_MS; i++)
			ceiling *= 2;
		if (ceiling > MAIL_BACKOFF_CAP_MS)
			ceiling = MAIL_BACKOFF_CAP_MS;
		for (int i = 0; i < 2000; i++) {
			long ms;

			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			ms = mail_retry_delay_ms(attempt, x, -1);
			if (ms < 0 || ms > ceiling)
				ck_abort_msg("attempt %d: %ld ms outside 0..%ld", attempt, ms, ceiling);
		}
	}
}
END_TEST

START_TEST(delay_honours_retry_after)
{
	/* Never sooner than the provider asked, up to the cap. */
	ck_assert_int_eq(mail_retry_delay_ms(1, 0, 5000), 5000);
	ck_assert_int_eq(mail_retry_delay_ms(1, 1000, 0), 1000);
	ck_assert_int_eq(mail_retry_delay_ms(20, 600000, 1000), 600000);
	ck_assert_int_eq(mail_retry_delay_ms(1, 0, 10L * 3600 * 1000), MAIL_RETRY_AFTER_CAP_MS);
	/* Odd attempts count as the first; a huge one does not overflow. */
	ck_assert_int_eq(mail_retry_delay_ms(0, 1000, -1), 1000);
	ck_assert_int_eq(mail_retry_delay_ms(-3, 1001, -1), 0);
	ck_assert_int_eq(mail_retry_delay_ms(2147483647, (uint32_t)MAIL_BACKOFF_CAP_MS, -1), MAIL_BACKOFF_CAP_MS);
}
END_TEST

START_TEST(verdict_names)
{
	ck_assert_str_eq(mail_verdict_name(MAIL_SENT), "sent");
	ck_assert_str_eq(mail_verdict_name(MAIL_RETRY), "retry");
	ck_assert_str_eq(mail_verdict_name(MAIL_FAILED), "failed");
}
END_TEST

static Suite *
mail_policy_suite(void)
{
	Suite *s = suite_create("mail_policy");

	TAP_ADD_TABLE(s, verdict_table, verdict_cases);
	TAP_ADD_TABLE(s, retry_after_table, retry_after_cases);
	TAP_ADD(s, retry_after_null);
	TAP_ADD(s, delay_bounds);
	TAP_ADD(s, delay_honours_retry_after);
	TAP_ADD(s, verdict_names);
	return s;
}

int
main(void)
{
	return run_suite_tap(mail_policy_suite());
}
