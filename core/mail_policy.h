/* What the mail worker does with one attempt's outcome, and how long it
 * waits before the next. Pure functions: the worker asks them, the unit
 * tests pin them down.
 *
 * Every attempt at one outbox row carries the same Idempotency-Key, so
 * sending again is always safe: if an earlier attempt reached the
 * provider, the provider answers with that attempt's message instead of
 * sending a second e-mail. That is why every outcome that leaves the
 * result unknown is retried rather than guessed at:
 *
 *   no HTTP answer (connect failure, timeout, dropped connection)  retry
 *   2xx with a message id                                          sent
 *   2xx without a readable id (malformed body)                     retry
 *   429 Too Many Requests                                          retry, honouring Retry-After
 *   409 concurrent_idempotent_requests (the key is in flight)      retry
 *   408 Request Timeout, 5xx                                       retry
 *   any other 4xx (validation, auth, a key reused with another
 *   body), or anything else                                        failed for good
 */
#ifndef BAZAR_CORE_MAIL_POLICY_H
#define BAZAR_CORE_MAIL_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* Backoff ceiling for attempt n (1-based): BASE * 2^(n-1), at most CAP. */
#define MAIL_BACKOFF_BASE_MS 1000L
#define MAIL_BACKOFF_CAP_MS (10L * 60 * 1000)
/* A provider's Retry-After is honoured up to this long. */
#define MAIL_RETRY_AFTER_CAP_MS (60L * 60 * 1000)

enum mail_verdict {
	MAIL_SENT,
	MAIL_RETRY,
	MAIL_FAILED,
};

/* One attempt as the worker saw it. */
struct mail_attempt {
	bool answered;           /* an HTTP status came back */
	long http_status;        /* when answered */
	bool has_message_id;     /* a 2xx body held a message id */
	const char *error_name;  /* the provider's error "name", or NULL */
};

enum mail_verdict mail_verdict_of(const struct mail_attempt *attempt);

/* Milliseconds to wait after attempt ATTEMPT failed: full jitter, uniform
 * in 0..min(CAP, BASE * 2^(ATTEMPT-1)) chosen by RANDOM, but never less
 * than RETRY_AFTER_MS (the provider's word, -1 when it gave none) up to
 * MAIL_RETRY_AFTER_CAP_MS. ATTEMPT < 1 counts as 1. */
long mail_retry_delay_ms(int attempt, uint32_t random, long retry_after_ms);

/* A Retry-After header's value (RFC 9110 10.2.3: delay-seconds, or an
 * HTTP-date) as milliseconds from NOW; a date in the past is 0. False for
 * anything else (empty, negative, garbage, a date that does not parse),
 * which the caller treats as no header at all. */
bool mail_parse_retry_after(const char *value, time_t now, long *ms_out);

/* Stable names for logs and tests: "sent", "retry", "failed". */
const char *mail_verdict_name(enum mail_verdict verdict);

#endif
