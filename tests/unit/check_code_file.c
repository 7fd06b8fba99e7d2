/* Unit tests for core/code_file: every line out with its number, CRLF,
 * BOM, blank lines kept, CSV quoting and headers, flaws instead of
 * dropped lines, and the files refused as a whole. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>

#include "core/code_file.h"
#include "tests/unit/tap_main.h"

struct parse_case {
	const char *name;
	const char *input;
	size_t len;                  /* 0: strlen(input) */
	enum code_file_format format;
	const char *column;
	const char *want;            /* "line:flaw:text|..." */
};

static Suite *code_file_suite(void);
static const char *render(const char *buf, size_t len, enum code_file_format format,
                          const char *column);

static const struct parse_case cases[] = {
	{ "one per line", "A\nB\nC\n", 0, CODE_FILE_TEXT, NULL, "1::A|2::B|3::C|" },
	{ "no newline at the end", "A\nB", 0, CODE_FILE_TEXT, NULL, "1::A|2::B|" },
	{ "CRLF", "A\r\nB\r\n", 0, CODE_FILE_TEXT, NULL, "1::A|2::B|" },
	{ "a lone CR stays (the server calls it a control character)", "A\rB\n", 0, CODE_FILE_TEXT, NULL,
	  "1::A\rB|" },
	{ "BOM skipped", "\xef\xbb\xbf" "A\nB\n", 0, CODE_FILE_TEXT, NULL, "1::A|2::B|" },
	{ "blank lines kept with their numbers", "A\n\n  \nB\n\n", 0, CODE_FILE_TEXT, NULL,
	  "1::A|2::|3::  |4::B|5::|" },
	{ "just a newline is one blank line", "\n", 0, CODE_FILE_TEXT, NULL, "1::|" },
	{ "spaces left for the server", "  A  \n", 0, CODE_FILE_TEXT, NULL, "1::  A  |" },
	{ "not UTF-8: flawed and empty", "A\n\xff\xfe\nB\n", 0, CODE_FILE_TEXT, NULL,
	  "1::A|2:not_utf8:|3::B|" },
	{ "an overlong encoding is not UTF-8", "\xc0\xaf\n", 0, CODE_FILE_TEXT, NULL, "1:not_utf8:|" },
	{ "a truncated sequence is not UTF-8", "ab\xe2\x82\n", 0, CODE_FILE_TEXT, NULL, "1:not_utf8:|" },
	{ "UTF-8 passes", "K\xc3\xa4se-\xe2\x82\xac\n", 0, CODE_FILE_TEXT, NULL, "1::K\xc3\xa4se-\xe2\x82\xac|" },
	{ "CSV without header: first column", "A,x\nB,y\n", 0, CODE_FILE_CSV, NULL, "1::A|2::B|" },
	{ "CSV with a code header", "serial,Code\n1,A\n2,B\n", 0, CODE_FILE_CSV, NULL, "2::A|3::B|" },
	{ "CSV with a named column", "a,pin,b\n1,A,2\n3,B,4\n", 0, CODE_FILE_CSV, "PIN", "2::A|3::B|" },
	{ "CSV quotes, commas and doubled quotes", "code\n\"A,1\"\n\"B\"\"2\"\n", 0, CODE_FILE_CSV, NULL,
	  "2::A,1|3::B\"2|" },
	{ "CSV quoted line break: the record's first line", "code,n\n\"A\nB\",1\nC,2\n", 0, CODE_FILE_CSV,
	  NULL, "2::A\nB|4::C|" },
	{ "CSV missing column", "x,code\n1,A\n2\n\n3,C\n", 0, CODE_FILE_CSV, NULL,
	  "2::A|3:no_column:|4::|5::C|" },
	{ "CSV unbalanced quote loses no later line", "code\n\"A\nB\nC\n", 0, CODE_FILE_CSV, NULL,
	  "2:bad_quotes:\"A|3::B|4::C|" },
	{ "CSV CRLF", "code\r\nA\r\nB\r\n", 0, CODE_FILE_CSV, NULL, "2::A|3::B|" },
	{ "CSV blank first line: no header", "\nA\n", 0, CODE_FILE_CSV, NULL, "1::|2::A|" },
};

/* Every line of BUF as "line:flaw:text|", or "error: ..." when refused. */
static const char *
render(const char *buf, size_t len, enum code_file_format format, const char *column)
{
	static char out[4096];
	struct code_file f;
	struct code_line line;
	char err[256];
	size_t n = 0;

	if (code_file_open(&f, buf, len, format, column, err, sizeof err) != BZ_OK) {
		snprintf(out, sizeof out, "error: %s", err);
		return out;
	}
	out[0] = '\0';
	while (code_file_next(&f, &line)) {
		const char *w = code_flaw_word(line.flaw);
		n += (size_t)snprintf(out + n, sizeof out - n, "%zu:%s:%.*s|", line.line_no, w ? w : "",
		                      (int)line.len, line.text);
		if (n >= sizeof out)
			break;
	}
	code_file_close(&f);
	return out;
}

START_TEST(parse_table)
{
	const struct parse_case *c = &cases[_i];
	size_t len = c->len ? c->len : strlen(c->input);

	ck_assert_msg(strcmp(render(c->input, len, c->format, c->column), c->want) == 0,
	              "%s: got %s, want %s", c->name, TAP_Q(render(c->input, len, c->format, c->column)),
	              TAP_Q(c->want));
}
END_TEST

START_TEST(refused_files)
{
	ck_assert_str_eq(render("", 0, CODE_FILE_TEXT, NULL), "error: the file is empty: there is no line to import");
	ck_assert_str_eq(render("\xef\xbb\xbf", 3, CODE_FILE_TEXT, NULL),
	                 "error: the file is empty: there is no line to import");
	ck_assert_str_eq(render("A\nB\n\0junk", 10, CODE_FILE_TEXT, NULL),
	                 "error: this is not a text file (a NUL byte on line 3); give one code per line, or CSV");
	ck_assert_str_eq(render("a,b\n1,2\n", 8, CODE_FILE_CSV, "pin"),
	                 "error: the CSV file's first line has no column named \"pin\"");
}
END_TEST

START_TEST(too_long_is_cut_at_a_character)
{
	char buf[CODE_FILE_MAX_BYTES + 16];
	struct code_file f;
	struct code_line line;
	char err[128];

	/* 'x' then two-byte characters: byte 1000 is the middle of one. */
	buf[0] = 'x';
	for (size_t i = 1; i + 1 < sizeof buf - 1; i += 2) {
		buf[i] = '\xc3';
		buf[i + 1] = '\xa4';
	}
	buf[sizeof buf - 1] = '\n';
	ck_assert_int_eq(code_file_open(&f, buf, sizeof buf, CODE_FILE_TEXT, NULL, err, sizeof err), BZ_OK);
	ck_assert(code_file_next(&f, &line));
	ck_assert_int_eq(line.flaw, CODE_FLAW_TOO_LONG);
	ck_assert_uint_eq(line.len, CODE_FILE_MAX_BYTES - 1);
	ck_assert(code_utf8_valid(line.text, line.len));
	ck_assert(!code_file_next(&f, &line));
	code_file_close(&f);
}
END_TEST

START_TEST(offset_and_format)
{
	struct code_file f;
	struct code_line line;
	char err[128];

	ck_assert_int_eq(code_file_open(&f, "AB\nCD\n", 6, CODE_FILE_TEXT, NULL, err, sizeof err), BZ_OK);
	ck_assert(code_file_next(&f, &line));
	ck_assert_uint_eq(code_file_offset(&f), 3);
	ck_assert(code_file_next(&f, &line));
	ck_assert_uint_eq(code_file_offset(&f), 6);
	code_file_close(&f);
	ck_assert_int_eq(code_file_format_for("codes.CSV"), CODE_FILE_CSV);
	ck_assert_int_eq(code_file_format_for("codes.txt"), CODE_FILE_TEXT);
	ck_assert_int_eq(code_file_format_for("csv"), CODE_FILE_TEXT);
}
END_TEST

/* The suite: one test case per behaviour, tables run one row per TAP line. */
static Suite *
code_file_suite(void)
{
	Suite *s = suite_create("code_file");

	TAP_ADD_TABLE(s, parse_table, cases);
	TAP_ADD(s, refused_files);
	TAP_ADD(s, too_long_is_cut_at_a_character);
	TAP_ADD(s, offset_and_format);
	return s;
}

int
main(void)
{
	return run_suite_tap(code_file_suite());
}
