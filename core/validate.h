/* Checks of what a person types before it is sent anywhere: e-mail,
 * password, quantity, display name. (Promo codes: core/promo.h.)
 *
 * The server checks again and is the authority; these exist so that a
 * typo is explained at once, next to the field, in a sentence. Each
 * check accepts a subset of what the server accepts, never more, so a
 * value that passes here is not refused there for its format.
 *
 * Every function returns BZ_OK or an error with a sentence for the
 * person in ERR (ERRLEN bytes, NUL-terminated, ERR may be NULL);
 * outputs are written only on BZ_OK. "Whitespace" is ASCII space, tab,
 * CR, LF, VT and FF; it is trimmed around e-mails, quantities and names,
 * never around passwords. */
#ifndef BAZAR_CORE_VALIDATE_H
#define BAZAR_CORE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define VALIDATE_EMAIL_MAX 254       /* characters (= bytes: ASCII only) */
#define VALIDATE_EMAIL_LOCAL_MAX 64  /* before the '@' */
#define VALIDATE_EMAIL_BUF_SIZE (VALIDATE_EMAIL_MAX + 1)
#define VALIDATE_PASSWORD_MIN 8      /* characters (UTF-8 code points) */
#define VALIDATE_PASSWORD_MAX 128    /* bytes */
#define VALIDATE_NAME_MAX 80         /* characters (UTF-8 code points) */
#define VALIDATE_NAME_BUF_SIZE (VALIDATE_NAME_MAX * 4 + 1)

/* An e-mail address: trimmed, 1..254 characters, printable ASCII only
 * (no spaces, control characters or non-ASCII: internationalised
 * addresses are refused for now, since the server's uniqueness relies
 * on lower(), which is only unambiguous for ASCII), exactly one '@', a
 * local part of 1..64 characters, a domain with at least one dot and no
 * empty label ("a@b..c", "a@.b", "a@b." are refused). On BZ_OK the
 * trimmed, lower-cased address is written to OUT when OUT is not NULL.
 * BZ_ERR_INVALID_INPUT otherwise (NULL included). */
bz_err validate_email(const char *text, char out[VALIDATE_EMAIL_BUF_SIZE],
    char *err, size_t errlen);

/* Lower-case the ASCII letters of S in place; other bytes unchanged
 * (tolower() would follow the locale). */
void validate_ascii_lower(char *s);

/* A password of LEN bytes at PW (not trimmed: spaces count). Valid UTF-8
 * with no NUL byte, at least 8 characters and at most 128 bytes. The
 * server counts 8..128 characters; counting bytes at the top keeps this
 * check the stricter one, and 128 bytes bounds what bcrypt is handed
 * (which only reads 72). BZ_ERR_INVALID_INPUT otherwise. */
bz_err validate_password(const char *pw, size_t len, char *err, size_t errlen);

/* A quantity typed as text: trimmed, then a whole number by the rules
 * of core/parse.h (ASCII digits, optional sign, no "2.0" or "1e1").
 * BZ_ERR_INVALID_INPUT when empty or not a number; BZ_ERR_OVERFLOW
 * (parse.h's meaning: well-formed but out of range) when below 1 or
 * above MAX, the sentence saying which; BZ_ERR_INTERNAL when MAX < 1. */
bz_err validate_quantity(const char *text, int max, int *out, char *err,
    size_t errlen);

/* A display name: trimmed, valid UTF-8 (no overlong forms, surrogates or
 * code points above U+10FFFF), 1..80 characters, and no control or
 * invisible direction characters: C0, DEL, C1, U+2028/U+2029 and the
 * bidirectional embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069), which could make a name in the staff console read as
 * something else. On BZ_OK the trimmed name is written to OUT when OUT
 * is not NULL. BZ_ERR_INVALID_INPUT otherwise. */
bz_err validate_display_name(const char *text,
    char out[VALIDATE_NAME_BUF_SIZE], char *err, size_t errlen);

/* Decode one strict UTF-8 sequence at S (LEN > 0 bytes available).
 * Returns its length and sets *CP, or 0 for an invalid sequence: a stray
 * continuation byte, a truncated sequence, an overlong form, a UTF-16
 * surrogate, or a code point above U+10FFFF. */
size_t validate_utf8_char(const unsigned char *s, size_t len, uint32_t *cp);

#endif
