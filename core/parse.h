/* Strict parsers for values that come from the environment and from
 * command-line flags (BAZAR_MIGRATE_RETRIES, lock timeouts, ports, test
 * sizes). No I/O and no getenv here: the caller fetches the text and turns
 * an error into a sentence naming the variable.
 *
 * Shared rules, chosen so that a typo is an error rather than a surprise:
 * - ASCII decimal digits only, no surrounding or inner whitespace, nothing
 *   after the number ("10x", "0x10", "1e3", " 5" are malformed);
 * - leading zeros are decimal ("010" is ten), never octal;
 * - locale-independent (no strtol, no isdigit, no strcasecmp).
 *
 * Errors: BZ_ERR_INVALID_INPUT when the text is malformed (also NULL or
 * empty); BZ_ERR_OVERFLOW when it is a well-formed number outside the
 * accepted range, however far outside (even beyond a long); error.h
 * describes BZ_ERR_OVERFLOW as exactly that. BZ_ERR_INTERNAL when the
 * caller's own bounds are inconsistent (a bug). *out is written only on
 * BZ_OK. */
#ifndef BAZAR_CORE_PARSE_H
#define BAZAR_CORE_PARSE_H

#include <stdbool.h>

#include "core/error.h"

/* A whole number in MIN..MAX (inclusive), with an optional '+' or '-'. */
bz_err parse_int_range(const char *text, long min, long max, long *out);

/* A duration: DIGITS followed by one of "ms", "s", "min" (lower case,
 * no space), or bare DIGITS meaning milliseconds. No sign, no fraction
 * ("1.5s": write "1500ms"); "m" alone is refused as ambiguous. The result
 * must be in 0..MAX_MS milliseconds; MAX_MS must be >= 0. */
bz_err parse_duration_ms(const char *text, long max_ms, long *out_ms);

/* "1", "yes", "true", "on" / "0", "no", "false", "off", ASCII case
 * folded ("YES", "Off"); anything else, the empty string included, is
 * BZ_ERR_INVALID_INPUT. */
bz_err parse_bool(const char *text, bool *out);

#endif
