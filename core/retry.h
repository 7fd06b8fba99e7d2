/* Whether a failed database call should be run again, and how long to
 * wait first. Pure functions: db/ and the checkout state machine ask
 * them, the unit tests pin them down, and no loop anywhere keeps its own
 * idea of what is retryable.
 *
 * A retry runs the WHOLE call again (the server function is one
 * transaction, so there is no half to resume) with the SAME idempotency
 * key: if the first run did commit before its answer was lost, the
 * server replays the stored result instead of charging twice.
 *
 * Retryable, and nothing else (a whitelist, so an error code added
 * later is final until someone decides otherwise):
 * - BZ_ERR_RETRYABLE: serialization failure (40001) or deadlock
 *   (40P01); the server rolled the transaction back.
 * - BZ_ERR_LOCK_TIMEOUT: lock_timeout expired; rolled back.
 * - BZ_ERR_CONNECTION: the connection failed or was lost; reset it
 *   first. The outcome of the lost call is unknown, which is exactly
 *   the case the idempotency key exists for.
 * Everything else (out of stock, funds, promo, cart changed, conflict,
 * auth, invalid input, permission, internal...) is an answer: asking
 * again would get the same one, or worse, do something twice. */
#ifndef BAZAR_CORE_RETRY_H
#define BAZAR_CORE_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define RETRY_DEFAULT_MAX_ATTEMPTS 5
/* Backoff ceiling for attempt n (1-based): BASE * 2^(n-1), at most CAP. */
#define RETRY_BACKOFF_BASE_MS 50L
#define RETRY_BACKOFF_CAP_MS 2000L

enum retry_decision {
	RETRY_STOP = 0,   /* final: success, an answer, a bug, or attempts used up */
	RETRY_AGAIN,      /* wait retry_backoff_ms(), run the call again, same key */
	RETRY_RECONNECT,  /* reset the connection, wait, run again, same key */
};

/* True for the three transient errors listed above. */
bool retry_is_transient(bz_err err);

/* What to do after attempt number ATTEMPT (1 = the first run) of at
 * most MAX_ATTEMPTS failed with ERR. RETRY_STOP for BZ_OK, for every
 * non-transient error, when ATTEMPT >= MAX_ATTEMPTS, and for nonsense
 * arguments (ATTEMPT < 1 or MAX_ATTEMPTS < 1). */
enum retry_decision retry_decide(bz_err err, int attempt, int max_attempts);

/* Milliseconds to wait before the run after attempt ATTEMPT: "full
 * jitter", uniform in 0..min(CAP, BASE * 2^(ATTEMPT-1)) chosen by
 * RANDOM (any 32 random bits from the caller), so N clients that failed
 * together do not come back together. ATTEMPT < 1 counts as 1. Always
 * within 0..RETRY_BACKOFF_CAP_MS. */
long retry_backoff_ms(int attempt, uint32_t random);

/* Stable name for logs and tests: "stop", "again", "reconnect". */
const char *retry_decision_name(enum retry_decision d);

#endif
