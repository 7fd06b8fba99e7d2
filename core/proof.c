/* Bank-transfer proofs; see proof.h. */
#include "config.h"
#include "core/proof.h"

#include <stdio.h>
#include <string.h>

/* The signatures the server also accepts: PNG's eight bytes, and JPEG's
 * SOI marker followed by the start of a marker. */
static const unsigned char png_magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
static const unsigned char jpeg_magic[] = { 0xff, 0xd8, 0xff };

#define REFERENCE_MAX 200

bz_err
proof_check(const unsigned char *data, size_t len, const char **content_type, char *err,
            size_t errlen)
{
	*content_type = NULL;
	if (data == NULL || len == 0) {
		snprintf(err, errlen, "the file is empty");
		return BZ_ERR_INVALID_INPUT;
	}
	if (len > PROOF_MAX_BYTES) {
		snprintf(err, errlen, "the file is %.1f MB; a proof may be at most %u MB",
		         (double)len / (1024.0 * 1024.0), PROOF_MAX_BYTES / (1024u * 1024u));
		return BZ_ERR_INVALID_INPUT;
	}
	if (len >= sizeof png_magic && memcmp(data, png_magic, sizeof png_magic) == 0) {
		*content_type = "image/png";
		return BZ_OK;
	}
	if (len >= sizeof jpeg_magic && memcmp(data, jpeg_magic, sizeof jpeg_magic) == 0) {
		*content_type = "image/jpeg";
		return BZ_OK;
	}
	snprintf(err, errlen, "the file is not a PNG or JPEG picture");
	return BZ_ERR_INVALID_INPUT;
}

bz_err
proof_reference_check(const char *reference, char *err, size_t errlen)
{
	const unsigned char *p = (const unsigned char *)(reference ? reference : "");
	size_t start = 0, end = strlen((const char *)p), chars = 0;

	while (start < end && (p[start] == ' ' || p[start] == '\t'))
		start++;
	while (end > start && (p[end - 1] == ' ' || p[end - 1] == '\t'))
		end--;
	if (start == end) {
		snprintf(err, errlen, "please enter the transfer reference");
		return BZ_ERR_INVALID_INPUT;
	}
	for (size_t i = start; i < end; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			snprintf(err, errlen, "the reference may not hold control characters");
			return BZ_ERR_INVALID_INPUT;
		}
		/* UTF-8: count characters, not continuation bytes. */
		if ((p[i] & 0xc0) != 0x80)
			chars++;
	}
	if (chars > REFERENCE_MAX) {
		snprintf(err, errlen, "the reference is %zu characters; at most %d", chars, REFERENCE_MAX);
		return BZ_ERR_INVALID_INPUT;
	}
	return BZ_OK;
}
