/* UUIDs as text: idempotency keys and login request ids are random
 * (version 4) UUIDs, and product ids arrive from the server as UUID text.
 *
 * core/ has no I/O, so the randomness comes from the caller: 16 bytes
 * from getrandom() (db/ or cli/ reads them). Six of the 128 bits are
 * fixed by the version and variant, leaving 122 random ones, which is
 * what makes two terminals' keys collide "never" rather than "rarely".
 *
 * Text form: 36 characters, lower-case hex in groups 8-4-4-4-12, the
 * same as PostgreSQL's uuid output, so a key compares equal to the one
 * the server echoes back with a plain strcmp. */
#ifndef BAZAR_CORE_UUID_H
#define BAZAR_CORE_UUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UUID_TEXT_LEN 36
/* A buffer that holds the text plus its NUL. */
#define UUID_BUF_SIZE (UUID_TEXT_LEN + 1)

/* Write the version 4 UUID made from RANDOM (16 bytes; the version and
 * variant bits are overwritten) as text into OUT (UUID_BUF_SIZE bytes,
 * NUL-terminated). */
void uuid_v4_format(const uint8_t random[16], char out[UUID_BUF_SIZE]);

/* True when TEXT is exactly 36 characters of UUID text, hex digits of
 * either case, hyphens at positions 8, 13, 18 and 23. Any version is
 * accepted (the server's gen_random_uuid() ids are v4, imported ones
 * need not be). NULL is false. */
bool uuid_is_valid(const char *text);

/* Copy the valid UUID TEXT into OUT in lower case, the canonical form
 * for comparisons. Returns false (OUT untouched) when TEXT is not valid. */
bool uuid_canonical(const char *text, char out[UUID_BUF_SIZE]);

#endif
