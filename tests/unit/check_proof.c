/* Unit tests for core/proof: PNG and JPEG by their first bytes, the size
 * cap, and the transfer reference's rules. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/proof.h"
#include "tests/unit/tap_main.h"

static Suite *proof_suite(void);

START_TEST(png_is_recognised)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
	const char *type;
	char err[128];

	ck_assert_int_eq(proof_check(png, sizeof png, &type, err, sizeof err), BZ_OK);
	ck_assert_str_eq(type, "image/png");
}
END_TEST

START_TEST(jpeg_is_recognised)
{
	static const unsigned char jpg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F' };
	const char *type;
	char err[128];

	ck_assert_int_eq(proof_check(jpg, sizeof jpg, &type, err, sizeof err), BZ_OK);
	ck_assert_str_eq(type, "image/jpeg");
}
END_TEST

START_TEST(other_files_are_refused)
{
	static const unsigned char gif[] = { 'G', 'I', 'F', '8', '9', 'a' };
	static const unsigned char short_png[] = { 0x89, 'P', 'N', 'G' };
	static const unsigned char text[] = "%PDF-1.7 a receipt";
	const char *type = "x";
	char err[128];

	ck_assert_int_eq(proof_check(gif, sizeof gif, &type, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_ptr_null(type);
	ck_assert_str_eq(err, "the file is not a PNG or JPEG picture");
	ck_assert_int_eq(proof_check(short_png, sizeof short_png, &type, err, sizeof err),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(proof_check(text, sizeof text - 1, &type, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(proof_check(text, 0, &type, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_str_eq(err, "the file is empty");
	ck_assert_int_eq(proof_check(NULL, 10, &type, err, sizeof err), BZ_ERR_INVALID_INPUT);
}
END_TEST

START_TEST(size_cap_is_exact)
{
	unsigned char *big = calloc(PROOF_MAX_BYTES + 1, 1);
	const char *type;
	char err[128];

	ck_assert_ptr_nonnull(big);
	big[0] = 0xff;
	big[1] = 0xd8;
	big[2] = 0xff;
	ck_assert_int_eq(proof_check(big, PROOF_MAX_BYTES, &type, err, sizeof err), BZ_OK);
	ck_assert_int_eq(proof_check(big, PROOF_MAX_BYTES + 1, &type, err, sizeof err),
	                 BZ_ERR_INVALID_INPUT);
	ck_assert_msg(strstr(err, "at most 5 MB") != NULL, "said: %s", err);
	free(big);
}
END_TEST

START_TEST(references)
{
	char err[128], long_ref[300];

	ck_assert_int_eq(proof_reference_check("BZ-1A2B3C4D5E6F", err, sizeof err), BZ_OK);
	ck_assert_int_eq(proof_reference_check("  Überweisung 42  ", err, sizeof err), BZ_OK);
	ck_assert_int_eq(proof_reference_check("", err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(proof_reference_check("   ", err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(proof_reference_check(NULL, err, sizeof err), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(proof_reference_check("a\x1b[2Jb", err, sizeof err), BZ_ERR_INVALID_INPUT);
	memset(long_ref, 'x', 200);
	long_ref[200] = '\0';
	ck_assert_int_eq(proof_reference_check(long_ref, err, sizeof err), BZ_OK);
	long_ref[200] = 'x';
	long_ref[201] = '\0';
	ck_assert_int_eq(proof_reference_check(long_ref, err, sizeof err), BZ_ERR_INVALID_INPUT);
}
END_TEST

static Suite *
proof_suite(void)
{
	Suite *s = suite_create("proof");

	TAP_ADD(s, png_is_recognised);
	TAP_ADD(s, jpeg_is_recognised);
	TAP_ADD(s, other_files_are_refused);
	TAP_ADD(s, size_cap_is_exact);
	TAP_ADD(s, references);
	return s;
}

int
main(void)
{
	return run_suite_tap(proof_suite());
}
