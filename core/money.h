/* Money as whole minor units (cents) in an int64, the same as the
 * database's bigint columns: no floating point anywhere, so 0.10 + 0.20 is
 * exactly 0.30 and a total never drifts by a cent.
 *
 * Text form, for parsing and formatting alike (locale-independent: the
 * decimal separator is always '.', whatever LC_NUMERIC says):
 *
 *   [spaces] [+|-] DIGITS [ . D [D] ] [spaces]
 *
 * - "12", "12.3", "12.34", "-5.00", "+5", " 7.5 " are accepted;
 *   "12.3" means 12.30.
 * - At least one digit before the point and one or two after it:
 *   ".5" and "1." are rejected, so a stray or truncated separator
 *   never silently becomes a price.
 * - More than two decimals ("1.234") is rejected, never rounded.
 * - No thousands grouping: "1,000" is rejected, because with both ','
 *   and '.' in use as decimal separators it would mean 1000.00 to one
 *   reader and 1.00 to the next.
 * - Only ASCII digits and the ASCII space (0x20) around the number: no
 *   tabs, exponents, hex, "inf", inner spaces or non-ASCII digits.
 * - Leading zeros are allowed and mean nothing ("007.50" is 7.50).
 * - "-0" and "-0.00" are zero.
 */
#ifndef BAZAR_CORE_MONEY_H
#define BAZAR_CORE_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef int64_t bz_cents;

/* Buffer size that holds any formatted amount plus its NUL
 * ("-92233720368547758.08" is 21 characters). */
#define MONEY_FORMAT_MAX 24

/* Parse TEXT (format above) into *OUT.
 * BZ_ERR_INVALID_INPUT: not in the format (including NULL);
 * BZ_ERR_OVERFLOW: well-formed but outside INT64_MIN..INT64_MAX cents.
 * *OUT is written only on BZ_OK. */
bz_err money_parse(const char *text, bz_cents *out);

/* As money_parse, for prices and payments: any leading '-' (even "-0")
 * is BZ_ERR_INVALID_INPUT, since the person meant a negative amount. */
bz_err money_parse_nonneg(const char *text, bz_cents *out);

/* As money_parse for LEN bytes that need not be NUL-terminated (a
 * PGresult value, a network field). A NUL byte inside them is
 * BZ_ERR_INVALID_INPUT rather than a silent end of the number. */
bz_err money_parse_buf(const char *text, size_t len, bz_cents *out);

/* Write CENTS as "12.34", "-0.05", "0.00" into BUF. snprintf semantics:
 * returns the length the full text needs (without the NUL), writes at
 * most BUFLEN-1 characters and always NUL-terminates when BUFLEN > 0.
 * A buffer of MONEY_FORMAT_MAX bytes is always enough. */
size_t money_format(bz_cents cents, char *buf, size_t buflen);

#endif
