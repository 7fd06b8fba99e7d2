/* A bank-transfer proof image, judged before it is sent: PNG or JPEG by
 * its first bytes (a file name or a claimed type proves nothing), at
 * most PROOF_MAX_BYTES. The server checks the same again (api_attach_proof,
 * 0010); this is so the shopper hears at once, in words, what is wrong
 * with the file they named. No I/O: the caller reads the file. */
#ifndef BAZAR_CORE_PROOF_H
#define BAZAR_CORE_PROOF_H

#include <stddef.h>

#include "core/error.h"

/* 5 MB, as shop_settings.proof_max_bytes ships. */
#define PROOF_MAX_BYTES (5u * 1024u * 1024u)

/* DATA of LEN bytes: BZ_OK and *CONTENT_TYPE ("image/png" or
 * "image/jpeg"), or BZ_ERR_INVALID_INPUT with the reason in ERR (empty,
 * too large, not a PNG or JPEG picture). */
bz_err proof_check(const unsigned char *data, size_t len, const char **content_type,
                   char *err, size_t errlen);

/* The transfer reference a shopper typed: 1..200 printable characters
 * after trimming, as api_attach_proof wants. BZ_OK or
 * BZ_ERR_INVALID_INPUT with the reason. */
bz_err proof_reference_check(const char *reference, char *err, size_t errlen);

#endif
