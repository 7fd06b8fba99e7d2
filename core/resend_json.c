/* The Resend-compatible request body and answer; see resend_json.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/resend_json.h"
#include "core/validate.h"

static bool valid_utf8(const char *s);
static void copy_clean(char *dst, size_t dstlen, const char *src);
static bool copy_token(char *dst, size_t dstlen, const char *src);

char *
resend_request_body(const char *from, const char *to, const char *subject, const char *text,
                    char *err, size_t errlen)
{
	const char *const names[] = { "from", "to", "subject", "text" };
	const char *const values[] = { from, to, subject, text };
	cJSON *root = NULL, *recipients;
	char *out = NULL;

	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		if (values[i] == NULL || values[i][0] == '\0') {
			snprintf(err, errlen, "the message has no %s", names[i]);
			return NULL;
		}
		if (!valid_utf8(values[i])) {
			snprintf(err, errlen, "the message's %s is not valid UTF-8", names[i]);
			return NULL;
		}
	}
	root = cJSON_CreateObject();
	recipients = cJSON_CreateArray();
	if (root == NULL || recipients == NULL ||
	    !cJSON_AddItemToObject(root, "from", cJSON_CreateString(from)) ||
	    !cJSON_AddItemToArray(recipients, cJSON_CreateString(to)) ||
	    !cJSON_AddItemToObject(root, "to", recipients) ||
	    !cJSON_AddItemToObject(root, "subject", cJSON_CreateString(subject)) ||
	    !cJSON_AddItemToObject(root, "text", cJSON_CreateString(text))) {
		if (root == NULL || cJSON_GetObjectItemCaseSensitive(root, "to") == NULL)
			cJSON_Delete(recipients);
		snprintf(err, errlen, "out of memory building the request");
		goto out;
	}
	out = cJSON_PrintUnformatted(root);
	if (out == NULL)
		snprintf(err, errlen, "out of memory building the request");
out:
	cJSON_Delete(root);
	return out;
}

void
resend_parse_answer(const char *body, size_t len, struct resend_answer *out)
{
	cJSON *root;
	const cJSON *id, *name, *message;

	memset(out, 0, sizeof *out);
	if (body == NULL || len == 0)
		return;
	root = cJSON_ParseWithLength(body, len);
	if (root == NULL)
		return;
	out->is_json = true;
	if (cJSON_IsObject(root)) {
		id = cJSON_GetObjectItemCaseSensitive(root, "id");
		if (cJSON_IsString(id))
			out->has_id = copy_token(out->id, sizeof out->id, id->valuestring);
		name = cJSON_GetObjectItemCaseSensitive(root, "name");
		if (cJSON_IsString(name) && !copy_token(out->name, sizeof out->name, name->valuestring))
			out->name[0] = '\0';
		message = cJSON_GetObjectItemCaseSensitive(root, "message");
		if (cJSON_IsString(message))
			copy_clean(out->message, sizeof out->message, message->valuestring);
	}
	cJSON_Delete(root);
}

/* Strict UTF-8 with no NUL inside (the C string ends at the first). */
static bool
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	while (len > 0) {
		uint32_t cp;
		size_t n = validate_utf8_char(p, len, &cp);

		if (n == 0)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

/* An id or a name: 1..DSTLEN-1 printable ASCII characters, else false
 * (and DST empty). What a provider calls its message goes into the
 * outbox and the console, so nothing else is taken. */
static bool
copy_token(char *dst, size_t dstlen, const char *src)
{
	size_t n = strlen(src);

	dst[0] = '\0';
	if (n == 0 || n >= dstlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if (src[i] < 0x21 || src[i] > 0x7e)
			return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* A provider's sentence for one line of a log or the console: control
 * characters become spaces, bytes that are not UTF-8 become '?', and it is
 * cut to fit between characters, never inside one. */
static void
copy_clean(char *dst, size_t dstlen, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t left = strlen(src), n = 0;

	while (left > 0) {
		uint32_t cp;
		size_t len = validate_utf8_char(p, left, &cp);

		if (len == 0) {
			if (n + 2 > dstlen)
				break;
			dst[n++] = '?';
			p++, left--;
			continue;
		}
		if (n + len + 1 > dstlen)
			break;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			dst[n++] = ' ';
		else {
			memcpy(dst + n, p, len);
			n += len;
		}
		p += len;
		left -= len;
	}
	dst[n] = '\0';
}
