/* The JSON of a Resend-compatible "send an e-mail" call: the request body
 * the worker posts, and what it reads back from the answer. Pure
 * functions over bytes (cJSON), so the parser of the provider's answers,
 * which are outside data, can be fuzzed and unit-tested alone.
 *
 * The answer is never trusted: any size, any nesting, any types. Only a
 * JSON object whose "id" is a short printable string counts as a message
 * id; "name" and "message" are read the same way for errors. cJSON
 * refuses nesting deeper than CJSON_NESTING_LIMIT without recursing
 * further, so a hostile answer cannot exhaust the stack. */
#ifndef BAZAR_CORE_RESEND_JSON_H
#define BAZAR_CORE_RESEND_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct resend_answer {
	bool is_json;             /* the body parsed as JSON at all */
	bool has_id;
	char id[128];             /* printable ASCII, 1..127 characters */
	char name[64];            /* an error's name, "" when none or unusable */
	char message[200];        /* an error's message, cleaned for one line; "" when none */
};

/* {"from": FROM, "to": [TO], "subject": SUBJECT, "text": TEXT}, compact;
 * malloc'd (free with free()). NULL, with a sentence in ERR, when a field
 * is missing or not valid UTF-8 (JSON text must be), or holds a NUL. */
char *resend_request_body(const char *from, const char *to, const char *subject, const char *text,
                          char *err, size_t errlen);

/* Read LEN bytes of an answer (no terminator needed). Never fails: what
 * is unusable is simply absent from OUT. */
void resend_parse_answer(const char *body, size_t len, struct resend_answer *out);

#endif
