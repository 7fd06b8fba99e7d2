/* Shared runner for the Check unit suites: runs a suite and prints TAP on
 * stdout for automake's tap-driver, one line per test case (and per
 * iteration of a loop test), so a failing input is counted and named. */
#ifndef BAZAR_TESTS_UNIT_TAP_MAIN_H
#define BAZAR_TESTS_UNIT_TAP_MAIN_H

#include <stddef.h>

#include <check.h>

/* Add TEST as its own test case named NAME (Check reports only the test
 * case name, so one test per case keeps every TAP line named), run for
 * _i in [START, END) with the optional per-test fixture. */
void tap_add(Suite *suite, const char *name, const TTest *test, int start,
    int end, SFun setup, SFun teardown);

/* The common cases of tap_add: a single run, and one run per table row. */
#define TAP_ADD(suite, test) \
	tap_add((suite), #test, (test), 0, 1, NULL, NULL)
#define TAP_ADD_TABLE(suite, test, table) \
	tap_add((suite), #test, (test), 0, \
	    (int)(sizeof(table) / sizeof((table)[0])), NULL, NULL)

/* Record a test that cannot run on this machine. It is reported as
 * "ok N - NAME # SKIP REASON": counted and named, never silent. */
void tap_skip(const char *name, const char *reason);

/* TEXT (LEN bytes, or up to its NUL when LEN is (size_t)-1) as a quoted
 * C-like literal for failure messages: "12\x00.34", "\t12". NULL gives
 * "(null)". The result lives in one of four static buffers. */
const char *tap_quote(const char *text, size_t len);
#define TAP_Q(text) tap_quote((text), (size_t)-1)

/* Run SUITE (freed afterwards) and print its TAP stream. Returns the exit
 * status for main(): 0 once the stream is complete, even with failures,
 * because the TAP lines carry the verdicts (as tests/lib/tap.sh does). */
int run_suite_tap(Suite *suite);

#endif
