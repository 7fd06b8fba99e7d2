/* The checkout state machine, shared by the terminal and the race suite
 * so that the client's retry and idempotency logic is the code under
 * attack. No I/O: the caller sends the requests the machine asks for and
 * feeds the answers back; randomness and time come from the caller.
 *
 * Idempotency: one key (a random UUIDv4) per checkout ATTEMPT, made by
 * checkout_begin() and KEPT across every re-send of that attempt: after
 * a serialization failure, a lock timeout, a lost connection, a lost
 * session (log in again and press Pay: same key), a cancelled or
 * unanswered Pay. The server stores the outcome under the key, so a
 * re-send of a request that did commit gets the stored answer, never a
 * second order. A NEW key is made only when checkout_begin() sees a
 * different request (cart version, promo code, payment method: the
 * server's fingerprint) or when the old key is spent: the server stored
 * a final outcome under it (an order, or a business refusal such as
 * "sold out", which the same key would only replay).
 *
 * In-flight guard: while a request is out or about to be re-sent
 * (SUBMITTING, BACKOFF, CHECKING), checkout_submit() answers
 * CHECKOUT_ACT_BUSY and asks for nothing: a second Pay press never
 * makes a second request, and checkout_begin() refuses to change the
 * attempt under it.
 *
 * States and transitions (ACT = the action returned; "spent" = the key
 * will not be reused; attempts/checks are bounded by max_attempts):
 *
 *   state        event                           -> state       ACT
 *   IDLE,VALID., begin(valid)                    -> VALIDATING  (BZ_OK; key
 *   DONE,FAILED                                     kept if same request
 *                                                   and not spent, else new)
 *   SUBM.,BACKOFF,CHECKING  begin               -> (same)      (BZ_ERR_CONFLICT)
 *   VALIDATING   submit                          -> SUBMITTING  SEND  (attempt 1)
 *   SUBM.,BACKOFF,CHECKING  submit               -> (same)      BUSY
 *   IDLE,DONE,FAILED  submit                     -> (same)      INVALID
 *   SUBMITTING   result OK                       -> DONE        DONE  spent
 *   SUBMITTING   result FAILED(reason)           -> FAILED      FAILED refused, spent
 *   SUBMITTING   ERROR transient, attempts left  -> BACKOFF     WAIT  (resume SUBMITTING;
 *                                                   reconnect for a lost connection)
 *   SUBMITTING   ERROR connection, no attempts   -> BACKOFF     WAIT  (resume CHECKING:
 *                left (outcome unknown)             ask before saying anything)
 *   SUBMITTING   ERROR 40001/40P01/lock timeout, -> FAILED      FAILED gave_up (rolled
 *                no attempts left                                 back: nothing happened)
 *   SUBMITTING   ERROR idempotency mismatch or   -> FAILED      FAILED refused, spent
 *                conflict (key used for another
 *                request)
 *   SUBMITTING   ERROR cancelled (the db layer   -> CHECKING    CHECK (as cancel)
 *                cancelled the call)
 *   SUBMITTING   ERROR other (auth, input...)    -> FAILED      FAILED error (key kept)
 *   BACKOFF      retry                           -> SUBMITTING  SEND  (same key)
 *                                                or CHECKING    CHECK
 *   CHECKING     result OK                       -> DONE        DONE  spent
 *   CHECKING     result FAILED(reason)           -> FAILED      FAILED refused, spent
 *   CHECKING     result UNKNOWN (no record)      -> IDLE        NONE  if cancelled,
 *                                                -> FAILED      FAILED gave_up otherwise
 *   CHECKING     ERROR transient, checks left    -> BACKOFF     WAIT  (resume CHECKING)
 *   CHECKING     ERROR otherwise                 -> FAILED      FAILED unknown (key kept)
 *   VALIDATING   cancel                          -> IDLE        NONE
 *   SUBMITTING,  cancel                          -> CHECKING    CHECK (the abandoned
 *   BACKOFF(->SUBMITTING)                           request may have committed)
 *   CHECKING,    cancel                          -> FAILED      FAILED unknown (key kept)
 *   BACKOFF(->CHECKING)
 *   IDLE,DONE,FAILED  cancel                     -> (same)      NONE
 *   any other (state, event)                     -> (same)      INVALID (a stray answer)
 *
 * A result of kind UNKNOWN only answers a status query; anywhere else it
 * is INVALID. The key is never spent by an error: whatever the client
 * could not learn, re-sending the same key is safe, and it is exactly
 * what makes "Pay again after a lost answer" charge once.
 *
 * Typical driver (the race suite's, minus error handling):
 *
 *   checkout_init(&co, 0);
 *   checkout_begin(&co, cart.version, promo, CHECKOUT_WALLET, rnd16, err, sizeof err);
 *   act = checkout_submit(&co);
 *   while (act == CHECKOUT_ACT_SEND || act == CHECKOUT_ACT_CHECK ||
 *          act == CHECKOUT_ACT_WAIT) {
 *       if (act == CHECKOUT_ACT_WAIT) {
 *           if (co.reconnect) db_reset(...);
 *           sleep_ms(co.backoff_ms);
 *           act = checkout_retry(&co);
 *           continue;
 *       }
 *       r = act == CHECKOUT_ACT_SEND ? api_checkout(co.key, ...)
 *                                    : api_checkout_status(co.key);
 *       act = checkout_on_result(&co, &r, random32());
 *   }
 *   // act is DONE or FAILED (co.failure, co.err say why), or NONE
 */
#ifndef BAZAR_CORE_CHECKOUT_H
#define BAZAR_CORE_CHECKOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/promo.h"
#include "core/uuid.h"

enum checkout_method {
	CHECKOUT_WALLET,        /* "wallet": debit the balance, codes at once */
	CHECKOUT_BANK_TRANSFER, /* "bank_transfer": codes reserved until approved */
};

enum checkout_state {
	CHECKOUT_IDLE,       /* no attempt under way */
	CHECKOUT_VALIDATING, /* attempt begun and keyed; the caller confirms the
	                      * cart and promo with the server, nothing sent yet */
	CHECKOUT_SUBMITTING, /* api_checkout with co.key is out */
	CHECKOUT_BACKOFF,    /* a transient error: waiting co.backoff_ms before
	                      * re-sending (same key); co.resume says what */
	CHECKOUT_CHECKING,   /* api_checkout_status with co.key is out: asking
	                      * what became of the attempt after a lost answer
	                      * or a cancelled Pay */
	CHECKOUT_DONE,       /* the order exists (paid or awaiting payment) */
	CHECKOUT_FAILED,     /* over; co.failure and co.err say why */
};

/* What the caller must do next. */
enum checkout_action {
	CHECKOUT_ACT_NONE,    /* nothing */
	CHECKOUT_ACT_SEND,    /* send api_checkout with co.key and the attempt's
	                       * co.cart_version, co.promo, co.method */
	CHECKOUT_ACT_CHECK,   /* send api_checkout_status with co.key
	                       * (reset the connection first if co.reconnect) */
	CHECKOUT_ACT_WAIT,    /* reset the connection if co.reconnect, wait
	                       * co.backoff_ms, then call checkout_retry() */
	CHECKOUT_ACT_DONE,    /* the order exists: show it */
	CHECKOUT_ACT_FAILED,  /* the attempt is over: show checkout_explain() */
	CHECKOUT_ACT_BUSY,    /* refused: a request is already under way; nothing
	                       * to send (the in-flight guard) */
	CHECKOUT_ACT_INVALID, /* not possible in this state; nothing changed */
};

/* Why an attempt ended in CHECKOUT_FAILED. */
enum checkout_failure {
	CHECKOUT_FAIL_NONE,
	CHECKOUT_FAIL_REFUSED, /* the server stored a refusal under the key (co.err:
	                        * out of stock, funds, promo, cart changed,
	                        * limits) or the key belongs to another request
	                        * (BZ_ERR_IDEMPOTENCY_MISMATCH, BZ_ERR_CONFLICT);
	                        * the key is spent */
	CHECKOUT_FAIL_ERROR,   /* a non-transient error; nothing was stored
	                        * (e.g. BZ_ERR_AUTH: log in again, then Pay
	                        * resumes with the same key) */
	CHECKOUT_FAIL_GAVE_UP, /* transient errors until attempts ran out, and
	                        * the server has no order under the key */
	CHECKOUT_FAIL_UNKNOWN, /* the outcome could not be learnt; Pay again
	                        * re-sends the same key, so it cannot charge twice */
};

/* The answer to a request, as the caller's db/ layer reports it. */
enum checkout_result_kind {
	CHECKOUT_RESULT_OK,      /* the order exists (new or replayed) */
	CHECKOUT_RESULT_FAILED,  /* outcome 'failed': a business refusal stored
	                          * under the key; err names it */
	CHECKOUT_RESULT_ERROR,   /* the call itself failed with err; nothing was
	                          * stored under the key */
	CHECKOUT_RESULT_UNKNOWN, /* status query only: no outcome under the key */
};

struct checkout_result {
	enum checkout_result_kind kind;
	bz_err err; /* FAILED, ERROR: why (BZ_OK there counts as BZ_ERR_INTERNAL) */
};

struct checkout {
	enum checkout_state state;

	/* The attempt: what is sent. Valid from checkout_begin() on. */
	char key[UUID_BUF_SIZE];           /* idempotency key; "" before the first */
	int64_t cart_version;
	char promo[PROMO_CODE_BUF_SIZE];   /* canonical code; "" = no promo */
	enum checkout_method method;
	bool key_spent;                    /* a final outcome is stored under key */

	/* Progress. */
	int max_attempts;                  /* sends per attempt, and status queries */
	int attempt;                       /* sends of this attempt so far */
	int checks;                        /* status queries so far */
	long backoff_ms;                   /* ACT_WAIT: how long */
	bool reconnect;                    /* ACT_WAIT, ACT_CHECK: reset the connection first */
	enum checkout_state resume;        /* BACKOFF: SUBMITTING or CHECKING */
	bool cancelled;                    /* CHECKING because the shopper cancelled */

	/* Outcome. */
	enum checkout_failure failure;     /* FAILED: why */
	bz_err err;                        /* FAILED: the refusal or error; in
	                                    * other states the last transient
	                                    * error of this attempt, or BZ_OK */
};

/* An idle machine with no key. MAX_ATTEMPTS < 1 means
 * RETRY_DEFAULT_MAX_ATTEMPTS. */
void checkout_init(struct checkout *co, int max_attempts);

/* Start (or restart) an attempt to buy the cart at CART_VERSION (>= 0)
 * with PROMO_CODE (NULL or blank: none; else checked by
 * promo_code_normalize) and METHOD. Makes a new key from RANDOM (16
 * bytes from the caller's getrandom()) unless the previous attempt was
 * the same request and its key is not spent. State becomes VALIDATING.
 * BZ_ERR_INVALID_INPUT (bad version, promo or method) with a sentence in
 * ERR; BZ_ERR_CONFLICT while a request is under way; BZ_ERR_INTERNAL
 * when RANDOM is NULL. Nothing changes on error. */
bz_err checkout_begin(struct checkout *co, int64_t cart_version,
    const char *promo_code, enum checkout_method method,
    const uint8_t random[16], char *err, size_t errlen);

/* The shopper pressed Pay: SEND from VALIDATING, BUSY while a request is
 * under way, INVALID with no attempt begun. */
enum checkout_action checkout_submit(struct checkout *co);

/* Feed the answer to the last SEND or CHECK. RANDOM (32 random bits)
 * jitters the backoff. See the table above. */
enum checkout_action checkout_on_result(struct checkout *co,
    const struct checkout_result *result, uint32_t random);

/* The backoff has elapsed: SEND or CHECK again with the same key. BUSY
 * while a request is out, INVALID in other states. */
enum checkout_action checkout_retry(struct checkout *co);

/* The shopper gave up waiting (or backed out before paying). */
enum checkout_action checkout_cancel(struct checkout *co);

/* A sentence for the shopper about where the attempt stands (the
 * failure, mostly), into BUF (snprintf semantics). */
void checkout_explain(const struct checkout *co, char *buf, size_t buflen);

/* "wallet" / "bank_transfer", as api_checkout takes them. */
const char *checkout_method_name(enum checkout_method method);
bz_err checkout_method_parse(const char *text, enum checkout_method *out);

/* Stable names for logs and tests ("submitting", "wait", "gave_up"). */
const char *checkout_state_name(enum checkout_state state);
const char *checkout_action_name(enum checkout_action action);
const char *checkout_failure_name(enum checkout_failure failure);

#endif
