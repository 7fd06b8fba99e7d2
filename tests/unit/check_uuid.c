/* Unit tests for core/uuid: v4 formatting of caller-supplied random
 * bytes, and the checks of UUID text arriving from elsewhere. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <check.h>

#include "core/uuid.h"
#include "tests/unit/tap_main.h"

struct format_case {
	uint8_t random[16];
	const char *text;
};

struct valid_case {
	const char *text;
	bool valid;
	const char *canonical; /* when valid */
};

static Suite *uuid_suite(void);

static const struct format_case format_cases[] = {
	/* All zeros and all ones: only the version and variant bits show. */
	{ { 0 }, "00000000-0000-4000-8000-000000000000" },
	{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	  "ffffffff-ffff-4fff-bfff-ffffffffffff" },
	{ { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	    0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef },
	  "01234567-89ab-4def-8123-456789abcdef" },
	/* A version nibble of 1 and a variant of 11xx are overwritten. */
	{ { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x12, 0x34,
	    0xc0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 },
	  "deadbeef-0011-4234-8001-020304050607" },
};

static const struct valid_case valid_cases[] = {
	{ "00000000-0000-4000-8000-000000000000", true,
	  "00000000-0000-4000-8000-000000000000" },
	{ "DEADBEEF-0011-4234-8001-020304050607", true,
	  "deadbeef-0011-4234-8001-020304050607" },
	{ "DeadBeef-0011-1234-C001-0203040506aF", true,   /* any version/variant */
	  "deadbeef-0011-1234-c001-0203040506af" },
	{ "", false, NULL },
	{ "deadbeef-0011-4234-8001-02030405060", false, NULL },   /* 35 chars */
	{ "deadbeef-0011-4234-8001-0203040506070", false, NULL }, /* 37 chars */
	{ "deadbeef00114234800102030405060708", false, NULL },    /* no hyphens */
	{ "deadbeef-0011-4234-8001_020304050607", false, NULL },
	{ "deadbeeg-0011-4234-8001-020304050607", false, NULL },  /* 'g' */
	{ "{deadbeef-0011-4234-8001-020304050607}", false, NULL },
	{ " deadbeef-0011-4234-8001-02030405060", false, NULL },
	{ "deadbeef-0011-4234-8001-02030405060 ", false, NULL },
	{ "deadbeef-0011-4234-8001-0203040506\xc3\xa9", false, NULL },
	{ "-deadbeef-011-4234-8001-020304050607", false, NULL },
};

START_TEST(format_table)
{
	const struct format_case *c = &format_cases[_i];
	char out[UUID_BUF_SIZE + 4];

	memset(out, 'X', sizeof out);
	uuid_v4_format(c->random, out);
	ck_assert_msg(strcmp(out, c->text) == 0, "uuid_v4_format gave %s, want %s",
	    TAP_Q(out), TAP_Q(c->text));
	ck_assert_int_eq(out[UUID_BUF_SIZE], 'X'); /* nothing past the NUL */
	ck_assert(uuid_is_valid(out));
}
END_TEST

START_TEST(format_does_not_touch_input)
{
	uint8_t random[16], copy[16];
	char out[UUID_BUF_SIZE];

	memset(random, 0xff, sizeof random);
	memcpy(copy, random, sizeof copy);
	uuid_v4_format(random, out);
	ck_assert_mem_eq(random, copy, sizeof random);
}
END_TEST

START_TEST(format_distinct_inputs_distinct_keys)
{
	/* 122 bits are kept: inputs differing only outside the fixed bits
	 * give different text. */
	uint8_t a[16] = { 0 }, b[16] = { 0 };
	char ta[UUID_BUF_SIZE], tb[UUID_BUF_SIZE];

	for (int byte = 0; byte < 16; byte++) {
		memset(b, 0, sizeof b);
		b[byte] = byte == 6 ? 0x01 : byte == 8 ? 0x01 : 0x80;
		uuid_v4_format(a, ta);
		uuid_v4_format(b, tb);
		ck_assert_msg(strcmp(ta, tb) != 0, "byte %d lost: %s", byte, ta);
	}
}
END_TEST

START_TEST(valid_table)
{
	const struct valid_case *c = &valid_cases[_i];
	char out[UUID_BUF_SIZE] = "untouched";

	ck_assert_msg(uuid_is_valid(c->text) == c->valid,
	    "uuid_is_valid(%s) = %d, want %d", TAP_Q(c->text), !c->valid,
	    c->valid);
	ck_assert(uuid_canonical(c->text, out) == c->valid);
	if (c->valid)
		ck_assert_str_eq(out, c->canonical);
	else
		ck_assert_str_eq(out, "untouched");
}
END_TEST

START_TEST(valid_null)
{
	char out[UUID_BUF_SIZE] = "untouched";

	ck_assert(!uuid_is_valid(NULL));
	ck_assert(!uuid_canonical(NULL, out));
	ck_assert_str_eq(out, "untouched");
}
END_TEST

/* The suite: one test case per behaviour, tables run one row per TAP line. */
static Suite *
uuid_suite(void)
{
	Suite *s = suite_create("uuid");

	TAP_ADD_TABLE(s, format_table, format_cases);
	TAP_ADD(s, format_does_not_touch_input);
	TAP_ADD(s, format_distinct_inputs_distinct_keys);
	TAP_ADD_TABLE(s, valid_table, valid_cases);
	TAP_ADD(s, valid_null);
	return s;
}

int
main(void)
{
	return run_suite_tap(uuid_suite());
}
