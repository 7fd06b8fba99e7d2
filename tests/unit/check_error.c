/* Unit tests for core/error: every code has a name and a message, and
 * values outside the enum are answered safely rather than read past the
 * table. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <check.h>

#include "core/error.h"
#include "tests/unit/tap_main.h"

static Suite *error_suite(void);

/* Names that logs, tests and the database mapping rely on. */
static const struct {
	bz_err err;
	const char *name;
} stable_names[] = {
	{ BZ_OK, "ok" },
	{ BZ_ERR_INVALID_INPUT, "invalid_input" },
	{ BZ_ERR_OVERFLOW, "overflow" },
	{ BZ_ERR_OUT_OF_STOCK, "out_of_stock" },
	{ BZ_ERR_PROMO_UNAVAILABLE, "promo_unavailable" },
	{ BZ_ERR_RETRYABLE, "retryable" },
	{ BZ_ERR_LOCK_TIMEOUT, "lock_timeout" },
	{ BZ_ERR_SCHEMA_MISMATCH, "schema_mismatch" },
	{ BZ_ERR_CHECKSUM, "checksum" },
	{ BZ_ERR_INTERNAL, "internal" },
};

START_TEST(every_code_named)
{
	bz_err err = (bz_err)_i;
	const char *name = bz_err_name(err);

	ck_assert_msg(name != NULL, "bz_err_name(%d) is NULL", _i);
	ck_assert_msg(name[0] != '\0', "bz_err_name(%d) is empty", _i);
	ck_assert_msg(strcmp(name, "unknown") != 0,
	    "code %d has no entry in the name table", _i);
	ck_assert_msg(strspn(name, "abcdefghijklmnopqrstuvwxyz_") == strlen(name),
	    "bz_err_name(%d) = \"%s\" is not a lower_case identifier", _i, name);
}
END_TEST

START_TEST(every_code_has_message)
{
	bz_err err = (bz_err)_i;
	const char *msg = bz_err_message(err);
	size_t len;

	ck_assert_msg(msg != NULL, "bz_err_message(%d) is NULL", _i);
	len = strlen(msg);
	ck_assert_msg(len > 1, "bz_err_message(%d) is empty", _i);
	ck_assert_msg(strcmp(msg, "Unknown error.") != 0,
	    "code %d has no entry in the message table", _i);
	/* A sentence for a person: capital first, full stop last. */
	ck_assert_msg(msg[0] >= 'A' && msg[0] <= 'Z' && msg[len - 1] == '.',
	    "bz_err_message(%d) = \"%s\" is not a sentence", _i, msg);
}
END_TEST

START_TEST(names_unique)
{
	for (int a = 0; a < BZ_ERR__COUNT; a++) {
		for (int b = a + 1; b < BZ_ERR__COUNT; b++)
			ck_assert_msg(strcmp(bz_err_name((bz_err)a), bz_err_name((bz_err)b)) != 0,
			    "codes %d and %d are both named \"%s\"", a, b,
			    bz_err_name((bz_err)a));
	}
}
END_TEST

START_TEST(names_stable)
{
	for (size_t i = 0; i < sizeof stable_names / sizeof stable_names[0]; i++)
		ck_assert_str_eq(bz_err_name(stable_names[i].err), stable_names[i].name);
	ck_assert_int_eq(BZ_OK, 0);
}
END_TEST

START_TEST(out_of_range_safe)
{
	static const long values[] = { BZ_ERR__COUNT, BZ_ERR__COUNT + 1, 1000,
	    INT_MAX, -1, INT_MIN };

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		bz_err err = (bz_err)values[i];

		ck_assert_msg(bz_err_name(err) != NULL &&
		    strcmp(bz_err_name(err), "unknown") == 0,
		    "bz_err_name(%ld) is not \"unknown\"", values[i]);
		ck_assert_msg(bz_err_message(err) != NULL &&
		    strcmp(bz_err_message(err), "Unknown error.") == 0,
		    "bz_err_message(%ld) is not \"Unknown error.\"", values[i]);
	}
}
END_TEST

/* The suite: one test case per behaviour, one TAP line per error code. */
static Suite *
error_suite(void)
{
	Suite *s = suite_create("error");

	tap_add(s, "every_code_named", every_code_named, 0, BZ_ERR__COUNT, NULL, NULL);
	tap_add(s, "every_code_has_message", every_code_has_message, 0,
	    BZ_ERR__COUNT, NULL, NULL);
	TAP_ADD(s, names_unique);
	TAP_ADD(s, names_stable);
	TAP_ADD(s, out_of_range_safe);
	return s;
}

int
main(void)
{
	return run_suite_tap(error_suite());
}
