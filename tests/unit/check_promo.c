/* Unit tests for core/promo: the discount arithmetic (including every
 * row of tests/fixtures/promo_cases.tsv, the table the SQL function
 * bz_promo_discount runs too), the code format, and the status words.
 *
 * The table file is found through $top_srcdir, which the test harness
 * exports. A missing or malformed file is a failure, not a skip: it is
 * the only thing keeping the two implementations of the rule together. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/promo.h"
#include "tests/unit/tap_main.h"

#define CASES_FILE "tests/fixtures/promo_cases.tsv"
#define CASES_MAX 4096
/* Fewer rows than this means the file was truncated or emptied. */
#define CASES_MIN 20

struct discount_case {
	enum promo_type type;
	int64_t value;
	bz_cents subtotal;
	bz_cents want;
	int line; /* in the file; 0 for the rows written here */
};

struct code_case {
	const char *text;
	bz_err err;
	const char *canonical; /* on BZ_OK */
};

struct equal_case {
	const char *a, *b;
	bool equal;
};

struct status_case {
	const char *text;
	bz_err err;
	enum promo_status status;
};

static Suite *promo_suite(void);
static void load_cases(void);
static bool parse_int64(const char *text, int64_t *out);
static bz_cents reference_discount(enum promo_type type, int64_t value,
    bz_cents subtotal);
static void check_discount(const struct discount_case *c, const char *where);

static struct discount_case file_cases[CASES_MAX];
static int file_ncases;
static char file_path[4096];
static char file_error[4608]; /* empty when the file loaded cleanly */

/* Outside the SQL table's domain (the database's CHECK constraints keep
 * such values out of promo_codes), so only the C side is held to them:
 * the clamp to 0..subtotal. */
static const struct discount_case clamp_cases[] = {
	{ PROMO_PERCENTAGE, 0, 10000, 0, 0 },
	{ PROMO_PERCENTAGE, -10, 10000, 0, 0 },
	{ PROMO_PERCENTAGE, INT64_MIN, 10000, 0, 0 },
	{ PROMO_PERCENTAGE, 101, 10000, 10000, 0 },
	{ PROMO_PERCENTAGE, 1000, 10000, 10000, 0 },
	{ PROMO_PERCENTAGE, INT64_MAX, INT64_MAX, INT64_MAX, 0 },
	{ PROMO_FIXED, 0, 10000, 0, 0 },
	{ PROMO_FIXED, -1, 10000, 0, 0 },
	{ PROMO_FIXED, INT64_MIN, 10000, 0, 0 },
	{ PROMO_FIXED, INT64_MIN, INT64_MIN, 0, 0 },
	{ PROMO_PERCENTAGE, 50, INT64_MIN, 0, 0 },
	{ PROMO_PERCENTAGE, -50, -10000, 0, 0 },  /* two negatives: still 0 */
	{ (enum promo_type)7, 10, 10000, 0, 0 },  /* an unknown type */
};

static const struct code_case code_cases[] = {
	{ "WELCOME10", BZ_OK, "WELCOME10" },
	{ "welcome10", BZ_OK, "WELCOME10" },
	{ "  Save50\t", BZ_OK, "SAVE50" },
	{ "\r\nspring-sale_2024\n", BZ_OK, "SPRING-SALE_2024" },
	{ "abc", BZ_OK, "ABC" },                         /* 3: the minimum */
	{ "a-_", BZ_OK, "A-_" },
	{ "---", BZ_OK, "---" },
	{ "0123456789abcdefghijklmnopqrstuv", BZ_OK,     /* 32: the maximum */
	  "0123456789ABCDEFGHIJKLMNOPQRSTUV" },
	{ "ab", BZ_ERR_INVALID_INPUT, NULL },
	{ " ab ", BZ_ERR_INVALID_INPUT, NULL },
	{ "0123456789abcdefghijklmnopqrstuvw", BZ_ERR_INVALID_INPUT, NULL }, /* 33 */
	{ "", BZ_ERR_INVALID_INPUT, NULL },
	{ "   ", BZ_ERR_INVALID_INPUT, NULL },
	{ "SAVE 50", BZ_ERR_INVALID_INPUT, NULL },        /* inner space */
	{ "SAVE\t50", BZ_ERR_INVALID_INPUT, NULL },
	{ "SAVE.50", BZ_ERR_INVALID_INPUT, NULL },
	{ "SAVE50!", BZ_ERR_INVALID_INPUT, NULL },
	{ "SAVE'50", BZ_ERR_INVALID_INPUT, NULL },        /* quote */
	{ "x'; DROP TABLE promo_codes; --", BZ_ERR_INVALID_INPUT, NULL },
	{ "caf\xc3\xa9", BZ_ERR_INVALID_INPUT, NULL },   /* non-ASCII */
	{ "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", BZ_ERR_INVALID_INPUT, NULL },
	{ "SAVE\x7f", BZ_ERR_INVALID_INPUT, NULL },
	{ "SAVE\x01", BZ_ERR_INVALID_INPUT, NULL },
	{ "\xc2\xa0SAVE50", BZ_ERR_INVALID_INPUT, NULL }, /* NBSP is not trimmed */
};

static const struct equal_case equal_cases[] = {
	{ "SAVE50", "save50", true },
	{ "SAVE50", " Save50 ", true },
	{ "SAVE50", "SAVE50", true },
	{ "SAVE50", "SAVE5", false },
	{ "SAVE50", "SAVE500", false },
	{ "A-B", "a_b", false },
	{ "", "", true },
	{ "SAVE50", NULL, false },
	{ NULL, NULL, false },
};

static const struct status_case status_cases[] = {
	{ "ok", BZ_OK, PROMO_OK },
	{ "unknown", BZ_OK, PROMO_UNKNOWN },
	{ "inactive", BZ_OK, PROMO_INACTIVE },
	{ "not_started", BZ_OK, PROMO_NOT_STARTED },
	{ "expired", BZ_OK, PROMO_EXPIRED },
	{ "min_order", BZ_OK, PROMO_MIN_ORDER },
	{ "already_used", BZ_OK, PROMO_ALREADY_USED },
	{ "used_up", BZ_OK, PROMO_USED_UP },
	{ "hold_limit", BZ_OK, PROMO_HOLD_LIMIT },
	{ "OK", BZ_ERR_INTERNAL, PROMO_OK },         /* the server's exact words */
	{ "used up", BZ_ERR_INTERNAL, PROMO_OK },
	{ "used_up ", BZ_ERR_INTERNAL, PROMO_OK },
	{ "", BZ_ERR_INTERNAL, PROMO_OK },
	{ "not_found", BZ_ERR_INTERNAL, PROMO_OK },
	{ NULL, BZ_ERR_INTERNAL, PROMO_OK },
};

/* A strict decimal int64: optional '-', digits, nothing else. */
static bool
parse_int64(const char *text, int64_t *out)
{
	char *end;
	long long v;

	if (*text == '\0' || *text == '+' || *text == ' ')
		return false;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = (int64_t)v;
	return true;
}

/* Read the shared table into file_cases, or say in file_error why not.
 * Runs in main(), before Check forks, so every test process has it. */
static void
load_cases(void)
{
	const char *top = getenv("top_srcdir");
	char line[512];
	FILE *f;
	int lineno = 0;

	if (top == NULL || *top == '\0')
		top = ".";
	snprintf(file_path, sizeof file_path, "%s/%s", top, CASES_FILE);
	f = fopen(file_path, "r");
	if (f == NULL) {
		snprintf(file_error, sizeof file_error, "cannot open %s: %s "
		    "(is top_srcdir exported?)", file_path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *fields[4], *save = NULL, *tok, *nl;
		struct discount_case c = { 0 };
		int n = 0;

		lineno++;
		if ((nl = strchr(line, '\n')) == NULL && !feof(f)) {
			snprintf(file_error, sizeof file_error,
			    "%s:%d: line too long", file_path, lineno);
			goto out;
		}
		if (nl != NULL)
			*nl = '\0';
		if (nl != NULL && nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (lineno == 1 && strncmp(line, "type\t", 5) == 0)
			continue; /* the header */
		for (tok = strtok_r(line, "\t", &save); tok != NULL && n < 4;
		    tok = strtok_r(NULL, "\t", &save))
			fields[n++] = tok;
		if (n != 4 || tok != NULL ||
		    promo_type_parse(fields[0], &c.type) != BZ_OK ||
		    !parse_int64(fields[1], &c.value) ||
		    !parse_int64(fields[2], &c.subtotal) ||
		    !parse_int64(fields[3], &c.want)) {
			snprintf(file_error, sizeof file_error,
			    "%s:%d: want TYPE<tab>VALUE<tab>SUBTOTAL<tab>EXPECTED "
			    "with TYPE percentage|fixed and whole numbers",
			    file_path, lineno);
			goto out;
		}
		if (file_ncases == CASES_MAX) {
			snprintf(file_error, sizeof file_error,
			    "%s: more than %d rows", file_path, CASES_MAX);
			goto out;
		}
		c.line = lineno;
		file_cases[file_ncases++] = c;
	}
	if (ferror(f))
		snprintf(file_error, sizeof file_error, "%s: read error",
		    file_path);
	else if (file_ncases < CASES_MIN)
		snprintf(file_error, sizeof file_error,
		    "%s: only %d rows, want at least %d", file_path,
		    file_ncases, CASES_MIN);
out:
	fclose(f);
}

/* An independent statement of the rule, with 128-bit arithmetic, for
 * the sweeps (test code only: core/ avoids the compiler extension). */
static bz_cents
reference_discount(enum promo_type type, int64_t value, bz_cents subtotal)
{
	__int128 d;

	if (subtotal < 0)
		return 0;
	if (type == PROMO_PERCENTAGE) {
		d = (__int128)subtotal * value;
		d = d >= 0 ? d / 100 : -((-d + 99) / 100); /* floor */
	} else if (type == PROMO_FIXED) {
		d = value < subtotal ? value : subtotal;
	} else {
		d = 0;
	}
	if (d < 0)
		d = 0;
	if (d > subtotal)
		d = subtotal;
	return (bz_cents)d;
}

/* Assert one discount row; WHERE names its origin. */
static void
check_discount(const struct discount_case *c, const char *where)
{
	bz_cents got = promo_discount(c->type, c->value, c->subtotal);

	ck_assert_msg(got == c->want,
	    "%s: promo_discount(%s, %jd, %jd) = %jd, want %jd", where,
	    promo_type_name(c->type), (intmax_t)c->value, (intmax_t)c->subtotal,
	    (intmax_t)got, (intmax_t)c->want);
	ck_assert_msg(got >= 0 && (c->subtotal < 0 || got <= c->subtotal),
	    "%s: discount %jd outside 0..subtotal", where, (intmax_t)got);
}

START_TEST(cases_file_loaded)
{
	ck_assert_msg(file_error[0] == '\0', "%s", file_error);
}
END_TEST

START_TEST(cases_file_row)
{
	char where[4200];

	snprintf(where, sizeof where, "%s:%d", file_path, file_cases[_i].line);
	check_discount(&file_cases[_i], where);
	/* The reference agrees with the file too, or the file is wrong. */
	ck_assert_msg(reference_discount(file_cases[_i].type,
	    file_cases[_i].value, file_cases[_i].subtotal) == file_cases[_i].want,
	    "%s: the expected value disagrees with the stated rule", where);
}
END_TEST

START_TEST(clamp_table)
{
	check_discount(&clamp_cases[_i], "clamp_cases");
}
END_TEST

START_TEST(sweep_small_amounts)
{
	/* Every subtotal up to 200.00 at every valid percentage, and fixed
	 * values around it: the rounding edges are all in here. */
	for (bz_cents s = 0; s <= 20000; s++) {
		for (int64_t v = 1; v <= 100; v++) {
			bz_cents got = promo_discount(PROMO_PERCENTAGE, v, s);

			/* Check's ck_assert costs a write per call: test first. */
			if (got != reference_discount(PROMO_PERCENTAGE, v, s))
				ck_abort_msg("percentage %jd of %jd = %jd",
				    (intmax_t)v, (intmax_t)s, (intmax_t)got);
		}
		for (int64_t v = 1; v <= 20001; v += 400) {
			if (promo_discount(PROMO_FIXED, v, s) !=
			    reference_discount(PROMO_FIXED, v, s))
				ck_abort_msg("fixed %jd of %jd", (intmax_t)v,
				    (intmax_t)s);
		}
	}
}
END_TEST

START_TEST(sweep_whole_range)
{
	uint64_t x = 0x9e3779b97f4a7c15u;

	/* Subtotals of every magnitude up to INT64_MAX, where a plain
	 * subtotal * value would overflow. */
	for (int i = 0; i < 50000; i++) {
		bz_cents s;
		int64_t v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s = (bz_cents)((x >> 1) >> (i % 63));
		v = (int64_t)(x % 100u) + 1;
		if (promo_discount(PROMO_PERCENTAGE, v, s) !=
		    reference_discount(PROMO_PERCENTAGE, v, s))
			ck_abort_msg("percentage %jd of %jd", (intmax_t)v,
			    (intmax_t)s);
		if (promo_discount(PROMO_FIXED, (int64_t)(x >> 2), s) !=
		    reference_discount(PROMO_FIXED, (int64_t)(x >> 2), s))
			ck_abort_msg("fixed %jd of %jd", (intmax_t)(x >> 2),
			    (intmax_t)s);
	}
}
END_TEST

START_TEST(code_table)
{
	const struct code_case *c = &code_cases[_i];
	char out[PROMO_CODE_BUF_SIZE] = "untouched";
	char err[128] = "";
	bz_err got = promo_code_normalize(c->text, out, err, sizeof err);

	ck_assert_msg(got == c->err, "promo_code_normalize(%s) = %s, want %s",
	    TAP_Q(c->text), bz_err_name(got), bz_err_name(c->err));
	if (c->err == BZ_OK) {
		ck_assert_str_eq(out, c->canonical);
	} else {
		ck_assert_str_eq(out, "untouched");
		ck_assert_msg(err[0] != '\0', "no reason for %s", TAP_Q(c->text));
	}
}
END_TEST

START_TEST(code_null_and_no_err_buffer)
{
	char out[PROMO_CODE_BUF_SIZE] = "untouched";
	char err[8];

	ck_assert_int_eq(promo_code_normalize(NULL, out, NULL, 0),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_code_normalize("x", out, NULL, 0),
	    BZ_ERR_INVALID_INPUT);
	/* A short buffer gets a truncated, terminated sentence. */
	ck_assert_int_eq(promo_code_normalize("x", out, err, sizeof err),
	    BZ_ERR_INVALID_INPUT);
	ck_assert_uint_eq(strlen(err), sizeof err - 1);
	ck_assert_str_eq(out, "untouched");
}
END_TEST

START_TEST(equal_table)
{
	const struct equal_case *c = &equal_cases[_i];

	ck_assert_msg(promo_code_equal(c->a, c->b) == c->equal,
	    "promo_code_equal(%s, %s) != %d", TAP_Q(c->a), TAP_Q(c->b), c->equal);
	ck_assert(promo_code_equal(c->b, c->a) == c->equal);
}
END_TEST

START_TEST(status_table)
{
	const struct status_case *c = &status_cases[_i];
	enum promo_status got = PROMO_STATUS__COUNT;
	bz_err err = promo_status_parse(c->text, &got);

	ck_assert_msg(err == c->err, "promo_status_parse(%s) = %s, want %s",
	    TAP_Q(c->text), bz_err_name(err), bz_err_name(c->err));
	if (c->err == BZ_OK) {
		ck_assert_int_eq(got, c->status);
		ck_assert_str_eq(promo_status_name(got), c->text);
	} else {
		ck_assert_int_eq(got, PROMO_STATUS__COUNT);
	}
}
END_TEST

START_TEST(status_messages)
{
	/* Every status has its own sentence, and the error model agrees
	 * that only 'ok' is good news. */
	for (int i = 0; i < PROMO_STATUS__COUNT; i++) {
		const char *m = promo_status_message((enum promo_status)i);

		ck_assert(m != NULL && strlen(m) > 10 && m[strlen(m) - 1] == '.');
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(m, promo_status_message((enum promo_status)j));
		ck_assert_int_eq(promo_status_err((enum promo_status)i),
		    i == PROMO_OK ? BZ_OK : BZ_ERR_PROMO_UNAVAILABLE);
	}
	ck_assert_str_eq(promo_status_name(PROMO_STATUS__COUNT), "?");
	ck_assert_ptr_nonnull(promo_status_message(PROMO_STATUS__COUNT));
	ck_assert_str_eq(promo_status_message(PROMO_USED_UP),
	    "This code has been used up.");
}
END_TEST

START_TEST(type_parse)
{
	enum promo_type t = PROMO_FIXED;

	ck_assert_int_eq(promo_type_parse("percentage", &t), BZ_OK);
	ck_assert_int_eq(t, PROMO_PERCENTAGE);
	ck_assert_int_eq(promo_type_parse("fixed", &t), BZ_OK);
	ck_assert_int_eq(t, PROMO_FIXED);
	ck_assert_int_eq(promo_type_parse("Percentage", &t), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_type_parse("percent", &t), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_type_parse("", &t), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(promo_type_parse(NULL, &t), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(t, PROMO_FIXED);
	ck_assert_str_eq(promo_type_name(PROMO_PERCENTAGE), "percentage");
	ck_assert_str_eq(promo_type_name(PROMO_FIXED), "fixed");
}
END_TEST

/* The suite: one test case per behaviour, tables run one row per TAP
 * line; the file's rows are known only once it has been read. */
static Suite *
promo_suite(void)
{
	Suite *s = suite_create("promo");

	load_cases();
	TAP_ADD(s, cases_file_loaded);
	if (file_error[0] == '\0')
		tap_add(s, "cases_file_row", cases_file_row, 0, file_ncases,
		    NULL, NULL);
	TAP_ADD_TABLE(s, clamp_table, clamp_cases);
	TAP_ADD(s, sweep_small_amounts);
	TAP_ADD(s, sweep_whole_range);
	TAP_ADD_TABLE(s, code_table, code_cases);
	TAP_ADD(s, code_null_and_no_err_buffer);
	TAP_ADD_TABLE(s, equal_table, equal_cases);
	TAP_ADD_TABLE(s, status_table, status_cases);
	TAP_ADD(s, status_messages);
	TAP_ADD(s, type_parse);
	return s;
}

int
main(void)
{
	return run_suite_tap(promo_suite());
}
