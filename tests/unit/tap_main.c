/* TAP output for Check suites; see tap_main.h.
 *
 * Why not Check's own srunner_set_tap(sr, "-")? It writes the plan at the
 * end, which tap-driver accepts, but it has no way to express a skipped
 * test, and it shares stdout with Check's printed summary unless the
 * verbosity is forced silent. Here Check runs silently (CK_SILENT, fork
 * mode unless CK_FORK=no) and the results are printed afterwards from
 * srunner_results(), plan first, so stdout holds nothing but TAP. */
#include "config.h"
#include "tests/unit/tap_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAP_MAX_SKIPS 16

struct tap_skip_entry {
	const char *name;
	const char *reason;
};

static struct tap_skip_entry tap_skips[TAP_MAX_SKIPS];
static int tap_nskips;

static void print_diag(const char *prefix, const char *text);
static const char *ctx_name(enum ck_result_ctx ctx);

/* Create a one-test case; see tap_main.h for why one test per case. */
void
tap_add(Suite *suite, const char *name, const TTest *test, int start, int end,
    SFun setup, SFun teardown)
{
	TCase *tc = tcase_create(name);

	if (setup != NULL || teardown != NULL)
		tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test, start, end);
	suite_add_tcase(suite, tc);
}

/* Remember a skipped test for run_suite_tap to report. */
void
tap_skip(const char *name, const char *reason)
{
	if (tap_nskips == TAP_MAX_SKIPS) {
		fprintf(stderr, "tap_skip: more than %d skips\n", TAP_MAX_SKIPS);
		abort();
	}
	tap_skips[tap_nskips].name = name;
	tap_skips[tap_nskips].reason = reason;
	tap_nskips++;
}

/* Quote TEXT so that the failing input is visible byte for byte. */
const char *
tap_quote(const char *text, size_t len)
{
	static char bufs[4][256];
	static int next;
	char *buf = bufs[next];
	size_t pos = 0;

	next = (next + 1) % 4;
	if (text == NULL)
		return "(null)";
	if (len == (size_t)-1)
		len = strlen(text);
	buf[pos++] = '"';
	for (size_t i = 0; i < len && pos < sizeof bufs[0] - 8; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '"' || c == '\\')
			pos += (size_t)snprintf(buf + pos, 3, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			buf[pos++] = (char)c;
		else
			pos += (size_t)snprintf(buf + pos, 5, "\\x%02x", c);
	}
	buf[pos++] = '"';
	buf[pos] = '\0';
	return buf;
}

/* Print TEXT as TAP diagnostics, one "# " line per line of text. */
static void
print_diag(const char *prefix, const char *text)
{
	const char *nl;

	printf("# %s", prefix);
	while ((nl = strchr(text, '\n')) != NULL) {
		printf("%.*s\n# ", (int)(nl - text), text);
		text = nl + 1;
	}
	printf("%s\n", text);
}

/* Where in the test's life a failure happened, for the diagnostics. */
static const char *
ctx_name(enum ck_result_ctx ctx)
{
	switch (ctx) {
	case CK_CTX_SETUP:    return "in setup";
	case CK_CTX_TEST:     return "in test";
	case CK_CTX_TEARDOWN: return "in teardown";
	case CK_CTX_INVALID:  break;
	}
	return "outside the test";
}

/* Run the suite silently, then print plan, results and skips. */
int
run_suite_tap(Suite *suite)
{
	SRunner *sr;
	TestResult **results;
	const char *prev = NULL;
	int n, iter = 0;
	char where[256];

	/* Pointing any of Check's own logs at "-" would put non-TAP lines
	 * (or a second plan) on our stdout. */
	unsetenv("CK_TAP_LOG_FILE_NAME");
	unsetenv("CK_LOG_FILE_NAME");
	unsetenv("CK_XML_LOG_FILE_NAME");
	/* Nothing may sit in the stdio buffer when Check forks, or each child
	 * would print it again on exit. */
	fflush(stdout);

	sr = srunner_create(suite);
	srunner_run(sr, NULL, NULL, CK_SILENT);
	n = srunner_ntests_run(sr);
	results = srunner_results(sr);

	printf("1..%d\n", n + tap_nskips);
	for (int i = 0; i < n; i++) {
		TestResult *tr = results[i];
		const char *name = tr_tcname(tr);
		int passed = tr_rtype(tr) == CK_PASS;

		/* Iterations of a loop test arrive in order, one result each;
		 * they are told apart by their table row, "name[row]". */
		iter = prev != NULL && strcmp(prev, name) == 0 ? iter + 1 : 0;
		prev = name;
		if (iter > 0 || (i + 1 < n && strcmp(tr_tcname(results[i + 1]), name) == 0))
			printf("%s %d - %s[%d]\n", passed ? "ok" : "not ok", i + 1,
			    name, iter);
		else
			printf("%s %d - %s\n", passed ? "ok" : "not ok", i + 1, name);
		if (!passed) {
			snprintf(where, sizeof where, "%s:%d (%s, %s): ",
			    tr_lfile(tr) != NULL ? tr_lfile(tr) : "?", tr_lno(tr),
			    tr_rtype(tr) == CK_ERROR ? "error" : "failure",
			    ctx_name(tr_ctx(tr)));
			print_diag(where, tr_msg(tr) != NULL ? tr_msg(tr) : "");
		}
	}
	for (int i = 0; i < tap_nskips; i++)
		printf("ok %d - %s # SKIP %s\n", n + i + 1, tap_skips[i].name,
		    tap_skips[i].reason);

	free(results);
	srunner_free(sr);
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
