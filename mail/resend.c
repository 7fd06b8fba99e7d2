/* The Resend-compatible HTTP transport: POST the message as JSON with
 * libcurl, read the status, Retry-After and the JSON answer. The only
 * file that uses libcurl.
 *
 * Timeouts bound both the connection (CURLOPT_CONNECTTIMEOUT_MS) and the
 * whole request (CURLOPT_TIMEOUT_MS), so a provider that stops answering
 * costs one timeout, not a stuck worker holding its lease. The answer is
 * read into at most MAIL_MAX_ANSWER_BYTES; a longer one is cut off and
 * counted as no answer worth reading (the attempt is retried: with the
 * same Idempotency-Key a retry is never a second e-mail). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "core/resend_json.h"
#include "core/xalloc.h"
#include "mail/mail.h"

struct answer_buffer {
	char *data;
	size_t len;
	bool overflow;
	long retry_after_ms;
};

static void resend_send(const struct mail_config *cfg, const struct mail_message *msg, struct mail_result *result);
static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata);
static size_t on_header(char *buffer, size_t size, size_t nitems, void *userdata);
static struct curl_slist *request_headers(const struct mail_config *cfg, const char *idempotency_key);

const struct mail_transport mail_transport_resend = {
	.send = resend_send,
	.name = "resend",
};

bz_err
mail_global_init(char *err, size_t errlen)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		snprintf(err, errlen, "cannot start libcurl: %s", curl_easy_strerror(rc));
		return BZ_ERR_INTERNAL;
	}
	return BZ_OK;
}

void
mail_global_cleanup(void)
{
	curl_global_cleanup();
}

/* One attempt: POST, then judge what came back (core/mail_policy.h). */
static void
resend_send(const struct mail_config *cfg, const struct mail_message *msg, struct mail_result *result)
{
	struct answer_buffer answer = { .retry_after_ms = -1 };
	struct curl_slist *headers = NULL;
	struct resend_answer parsed;
	char why[200], curl_err[CURL_ERROR_SIZE] = "";
	char *body;
	CURL *curl = NULL;
	CURLcode rc;
	long status = 0;

	memset(result, 0, sizeof *result);
	result->retry_after_ms = -1;
	body = resend_request_body(msg->from, msg->to, msg->subject, msg->text, why, sizeof why);
	if (body == NULL) {
		/* Nothing was sent and nothing will change: the message is
		 * unsendable as it stands. Answered as the provider would a bad
		 * body, so the verdict is "failed". */
		result->attempt.answered = true;
		result->attempt.http_status = 422;
		snprintf(result->detail, sizeof result->detail, "not sent: %s", why);
		return;
	}
	curl = curl_easy_init();
	headers = request_headers(cfg, msg->idempotency_key);
	if (curl == NULL || headers == NULL) {
		snprintf(result->detail, sizeof result->detail, "cannot set up the HTTP request (out of memory)");
		goto out;
	}
	curl_easy_setopt(curl, CURLOPT_URL, cfg->api_url);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
	/* Threads and timeouts: no signals (libcurl's DNS timeout uses them). */
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	/* A redirect would resend the key to wherever it points. */
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "bazar-mail/" PACKAGE_VERSION);

	rc = curl_easy_perform(curl);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && answer.overflow)) {
		snprintf(result->detail, sizeof result->detail, "no answer: %s",
		         curl_err[0] ? curl_err : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	result->attempt.answered = true;
	result->attempt.http_status = status;
	result->retry_after_ms = answer.retry_after_ms;
	if (answer.overflow) {
		snprintf(result->detail, sizeof result->detail, "HTTP %ld with an answer over %d bytes", status,
		         MAIL_MAX_ANSWER_BYTES);
		goto out;
	}
	resend_parse_answer(answer.data, answer.len, &parsed);
	if (parsed.has_id) {
		result->attempt.has_message_id = true;
		snprintf(result->message_id, sizeof result->message_id, "%s", parsed.id);
	}
	if (parsed.name[0]) {
		snprintf(result->error_name, sizeof result->error_name, "%s", parsed.name);
		result->attempt.error_name = result->error_name;
	}
	if (status >= 200 && status <= 299 && parsed.has_id)
		snprintf(result->detail, sizeof result->detail, "HTTP %ld, id %s", status, parsed.id);
	else if (status >= 200 && status <= 299)
		snprintf(result->detail, sizeof result->detail, "HTTP %ld without a message id (%s)", status,
		         parsed.is_json ? "no usable \"id\"" : "not JSON");
	else
		snprintf(result->detail, sizeof result->detail, "HTTP %ld%s%s%s%s", status,
		         parsed.name[0] ? " " : "", parsed.name, parsed.message[0] ? ": " : "", parsed.message);
out:
	curl_slist_free_all(headers);
	if (curl)
		curl_easy_cleanup(curl);
	free(answer.data);
	free(body);
}

/* Content type, the key, the idempotency key. The Authorization line is
 * built here and lives only in this list. */
static struct curl_slist *
request_headers(const struct mail_config *cfg, const char *idempotency_key)
{
	struct curl_slist *list = NULL, *next;
	char *auth = xasprintf("Authorization: Bearer %s", cfg->api_key ? cfg->api_key : "");
	char *idem = xasprintf("Idempotency-Key: %s", idempotency_key);
	const char *lines[] = { "Content-Type: application/json", "Accept: application/json", auth, idem,
	                        /* No "Expect: 100-continue" round trip for a small body. */
	                        "Expect:" };

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		next = curl_slist_append(list, lines[i]);
		if (next == NULL) {
			curl_slist_free_all(list);
			list = NULL;
			break;
		}
		list = next;
	}
	/* The list holds its own copies. */
	memset(auth, 0, strlen(auth));
	free(auth);
	free(idem);
	return list;
}

/* Keep at most MAIL_MAX_ANSWER_BYTES; past that, stop the transfer. */
static size_t
on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct answer_buffer *a = userdata;
	size_t n = size * nmemb;

	if (a->len + n > MAIL_MAX_ANSWER_BYTES) {
		a->overflow = true;
		return 0;
	}
	a->data = xrealloc(a->data, a->len + n + 1);
	memcpy(a->data + a->len, ptr, n);
	a->len += n;
	a->data[a->len] = '\0';
	return n;
}

/* Retry-After, in either form (core/mail_policy.h). */
static size_t
on_header(char *buffer, size_t size, size_t nitems, void *userdata)
{
	struct answer_buffer *a = userdata;
	size_t n = size * nitems;
	static const char name[] = "Retry-After:";
	char value[64];
	size_t vlen;

	if (n > sizeof name - 1 && strncasecmp(buffer, name, sizeof name - 1) == 0) {
		vlen = n - (sizeof name - 1);
		if (vlen >= sizeof value)
			return n;
		memcpy(value, buffer + sizeof name - 1, vlen);
		value[vlen] = '\0';
		while (vlen > 0 && (value[vlen - 1] == '\r' || value[vlen - 1] == '\n' || value[vlen - 1] == ' '))
			value[--vlen] = '\0';
		if (!mail_parse_retry_after(value, time(NULL), &a->retry_after_ms))
			a->retry_after_ms = -1;
	}
	return n;
}
