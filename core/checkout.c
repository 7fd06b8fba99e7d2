/* The checkout state machine; the transition table is in checkout.h,
 * and every transition is one branch below. */
#include "config.h"
#include "core/checkout.h"

#include <stdio.h>
#include <string.h>

#include "core/retry.h"

static enum checkout_action finish(struct checkout *co,
    enum checkout_failure failure, bz_err err, bool spent);
static enum checkout_action succeed(struct checkout *co);
static enum checkout_action back_off(struct checkout *co,
    enum checkout_state resume, int done, bz_err err, uint32_t random);
static enum checkout_action on_submit_result(struct checkout *co,
    const struct checkout_result *r, uint32_t random);
static enum checkout_action on_check_result(struct checkout *co,
    const struct checkout_result *r, uint32_t random);
static bool under_way(const struct checkout *co);
static bool valid_method(enum checkout_method method);
static bz_err set_err(char *err, size_t errlen, bz_err code, const char *text);

/* End the attempt in FAILED. */
static enum checkout_action
finish(struct checkout *co, enum checkout_failure failure, bz_err err,
    bool spent)
{
	co->state = CHECKOUT_FAILED;
	co->failure = failure;
	co->err = err;
	co->key_spent = co->key_spent || spent;
	co->backoff_ms = 0;
	co->reconnect = false;
	return CHECKOUT_ACT_FAILED;
}

/* End the attempt in DONE: the order exists, the key is spent. */
static enum checkout_action
succeed(struct checkout *co)
{
	co->state = CHECKOUT_DONE;
	co->failure = CHECKOUT_FAIL_NONE;
	co->err = BZ_OK;
	co->key_spent = true;
	co->backoff_ms = 0;
	co->reconnect = false;
	return CHECKOUT_ACT_DONE;
}

/* Wait before the next SEND or CHECK of the same key after ERR; DONE is
 * how many of them have failed so far (the backoff grows with it). A
 * lost connection must be reset before anything else is sent on it. */
static enum checkout_action
back_off(struct checkout *co, enum checkout_state resume, int done, bz_err err,
    uint32_t random)
{
	co->state = CHECKOUT_BACKOFF;
	co->resume = resume;
	co->err = err;
	co->backoff_ms = retry_backoff_ms(done, random);
	co->reconnect = err == BZ_ERR_CONNECTION;
	return CHECKOUT_ACT_WAIT;
}

/* The answer to api_checkout. */
static enum checkout_action
on_submit_result(struct checkout *co, const struct checkout_result *r,
    uint32_t random)
{
	bz_err e = r->err != BZ_OK ? r->err : BZ_ERR_INTERNAL;
	enum retry_decision d;

	switch (r->kind) {
	case CHECKOUT_RESULT_OK:
		return succeed(co);
	case CHECKOUT_RESULT_FAILED:
		return finish(co, CHECKOUT_FAIL_REFUSED, e, true);
	case CHECKOUT_RESULT_ERROR:
		break;
	case CHECKOUT_RESULT_UNKNOWN:
	default:
		return CHECKOUT_ACT_INVALID;
	}
	d = retry_decide(e, co->attempt, co->max_attempts);
	if (d != RETRY_STOP)
		return back_off(co, CHECKOUT_SUBMITTING, co->attempt, e, random);
	/* Out of attempts with the last answer lost: the order may exist,
	 * so find out before telling the shopper anything. */
	if (e == BZ_ERR_CONNECTION) {
		co->checks = 0;
		co->cancelled = false;
		return back_off(co, CHECKOUT_CHECKING, co->attempt, e, random);
	}
	/* The server rolled every try back: nothing happened. */
	if (retry_is_transient(e))
		return finish(co, CHECKOUT_FAIL_GAVE_UP, e, false);
	/* The db layer cancelled the call at the shopper's request, and
	 * the server may have finished it anyway: ask, as checkout_cancel
	 * does (the call has ended, so the connection is free). */
	if (e == BZ_ERR_CANCELLED) {
		co->state = CHECKOUT_CHECKING;
		co->cancelled = true;
		co->checks = 1;
		co->reconnect = false;
		return CHECKOUT_ACT_CHECK;
	}
	/* Same key, different request: this key is unusable for good. */
	if (e == BZ_ERR_IDEMPOTENCY_MISMATCH || e == BZ_ERR_CONFLICT)
		return finish(co, CHECKOUT_FAIL_REFUSED, e, true);
	return finish(co, CHECKOUT_FAIL_ERROR, e, false);
}

/* The answer to api_checkout_status. */
static enum checkout_action
on_check_result(struct checkout *co, const struct checkout_result *r,
    uint32_t random)
{
	bz_err e = r->err != BZ_OK ? r->err : BZ_ERR_INTERNAL;
	enum retry_decision d;

	switch (r->kind) {
	case CHECKOUT_RESULT_OK:
		return succeed(co);
	case CHECKOUT_RESULT_FAILED:
		return finish(co, CHECKOUT_FAIL_REFUSED, e, true);
	case CHECKOUT_RESULT_UNKNOWN:
		/* No record: the request never committed (or, abandoned, has
		 * not yet; the unspent key covers that: a later Pay with the
		 * same request re-sends it and gets the truth). */
		if (co->cancelled) {
			co->state = CHECKOUT_IDLE;
			co->cancelled = false;
			co->failure = CHECKOUT_FAIL_NONE;
			co->err = BZ_OK;
			co->reconnect = false;
			return CHECKOUT_ACT_NONE;
		}
		return finish(co, CHECKOUT_FAIL_GAVE_UP,
		    co->err != BZ_OK ? co->err : BZ_ERR_CONNECTION, false);
	case CHECKOUT_RESULT_ERROR:
		break;
	default:
		return CHECKOUT_ACT_INVALID;
	}
	d = retry_decide(e, co->checks, co->max_attempts);
	if (d != RETRY_STOP)
		return back_off(co, CHECKOUT_CHECKING, co->checks, e, random);
	return finish(co, CHECKOUT_FAIL_UNKNOWN, e, false);
}

/* A request is out or about to be re-sent: the in-flight guard. */
static bool
under_way(const struct checkout *co)
{
	return co->state == CHECKOUT_SUBMITTING ||
	    co->state == CHECKOUT_BACKOFF || co->state == CHECKOUT_CHECKING;
}

/* The payment methods api_checkout knows. */
static bool
valid_method(enum checkout_method method)
{
	return method == CHECKOUT_WALLET || method == CHECKOUT_BANK_TRANSFER;
}

/* Write TEXT into ERR (when there is one) and return CODE. */
static bz_err
set_err(char *err, size_t errlen, bz_err code, const char *text)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", text);
	return code;
}

/* Idle, keyless, with the attempt bound. */
void
checkout_init(struct checkout *co, int max_attempts)
{
	memset(co, 0, sizeof *co);
	co->state = CHECKOUT_IDLE;
	co->cart_version = -1;
	co->method = CHECKOUT_WALLET;
	co->max_attempts = max_attempts >= 1 ? max_attempts :
	    RETRY_DEFAULT_MAX_ATTEMPTS;
	co->resume = CHECKOUT_SUBMITTING;
	co->failure = CHECKOUT_FAIL_NONE;
	co->err = BZ_OK;
}

/* Validate the request, then decide between the old key and a new one.
 * Everything is checked before anything is written, so a refused begin
 * leaves the machine exactly as it was. */
bz_err
checkout_begin(struct checkout *co, int64_t cart_version,
    const char *promo_code, enum checkout_method method,
    const uint8_t random[16], char *err, size_t errlen)
{
	char promo[PROMO_CODE_BUF_SIZE] = "";
	bool blank = true, same;

	if (under_way(co))
		return set_err(err, errlen, BZ_ERR_CONFLICT,
		    "A payment is already in progress.");
	if (random == NULL)
		return set_err(err, errlen, BZ_ERR_INTERNAL,
		    "No random bytes for the idempotency key.");
	if (cart_version < 0)
		return set_err(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Your cart has not been loaded yet.");
	if (!valid_method(method))
		return set_err(err, errlen, BZ_ERR_INVALID_INPUT,
		    "Please choose a payment method.");
	for (const char *p = promo_code; p != NULL && *p != '\0'; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
		    *p != '\v' && *p != '\f')
			blank = false;
	}
	if (!blank && promo_code_normalize(promo_code, promo, err, errlen) != BZ_OK)
		return BZ_ERR_INVALID_INPUT;

	same = co->key[0] != '\0' && !co->key_spent &&
	    co->cart_version == cart_version && co->method == method &&
	    strcmp(co->promo, promo) == 0;
	if (!same) {
		uuid_v4_format(random, co->key);
		co->key_spent = false;
		co->cart_version = cart_version;
		co->method = method;
		memcpy(co->promo, promo, sizeof co->promo);
	}
	co->state = CHECKOUT_VALIDATING;
	co->attempt = 0;
	co->checks = 0;
	co->backoff_ms = 0;
	co->reconnect = false;
	co->resume = CHECKOUT_SUBMITTING;
	co->cancelled = false;
	co->failure = CHECKOUT_FAIL_NONE;
	co->err = BZ_OK;
	return BZ_OK;
}

/* Pay: one request per attempt, never a second one alongside. */
enum checkout_action
checkout_submit(struct checkout *co)
{
	if (under_way(co))
		return CHECKOUT_ACT_BUSY;
	if (co->state != CHECKOUT_VALIDATING)
		return CHECKOUT_ACT_INVALID;
	co->state = CHECKOUT_SUBMITTING;
	co->attempt = 1;
	return CHECKOUT_ACT_SEND;
}

/* Dispatch an answer on the state that asked for it; an answer nobody
 * is waiting for (after cancel, twice) changes nothing. */
enum checkout_action
checkout_on_result(struct checkout *co, const struct checkout_result *result,
    uint32_t random)
{
	if (result == NULL)
		return CHECKOUT_ACT_INVALID;
	if (co->state == CHECKOUT_SUBMITTING)
		return on_submit_result(co, result, random);
	if (co->state == CHECKOUT_CHECKING)
		return on_check_result(co, result, random);
	return CHECKOUT_ACT_INVALID;
}

/* The wait is over: the same key goes out again. */
enum checkout_action
checkout_retry(struct checkout *co)
{
	if (co->state == CHECKOUT_SUBMITTING || co->state == CHECKOUT_CHECKING)
		return CHECKOUT_ACT_BUSY;
	if (co->state != CHECKOUT_BACKOFF)
		return CHECKOUT_ACT_INVALID;
	co->backoff_ms = 0;
	if (co->resume == CHECKOUT_CHECKING) {
		co->state = CHECKOUT_CHECKING;
		co->checks++;
		return CHECKOUT_ACT_CHECK;
	}
	co->state = CHECKOUT_SUBMITTING;
	co->attempt++;
	return CHECKOUT_ACT_SEND;
}

/* Backing out. Once a request has gone out its fate must be learnt, so
 * cancel turns into a status query; cancelling that query gives up
 * without claiming to know. */
enum checkout_action
checkout_cancel(struct checkout *co)
{
	switch (co->state) {
	case CHECKOUT_VALIDATING:
		co->state = CHECKOUT_IDLE;
		return CHECKOUT_ACT_NONE;
	case CHECKOUT_SUBMITTING:
	case CHECKOUT_BACKOFF:
		if (co->state == CHECKOUT_BACKOFF &&
		    co->resume == CHECKOUT_CHECKING)
			return finish(co, CHECKOUT_FAIL_UNKNOWN,
			    co->err != BZ_OK ? co->err : BZ_ERR_CONNECTION, false);
		/* The abandoned request still occupies the connection. */
		if (co->state == CHECKOUT_SUBMITTING)
			co->reconnect = true;
		co->state = CHECKOUT_CHECKING;
		co->cancelled = true;
		co->checks = 1;
		co->backoff_ms = 0;
		return CHECKOUT_ACT_CHECK;
	case CHECKOUT_CHECKING:
		return finish(co, CHECKOUT_FAIL_UNKNOWN,
		    co->err != BZ_OK ? co->err : BZ_ERR_CONNECTION, false);
	case CHECKOUT_IDLE:
	case CHECKOUT_DONE:
	case CHECKOUT_FAILED:
		return CHECKOUT_ACT_NONE;
	}
	return CHECKOUT_ACT_INVALID;
}

/* One sentence per situation; refusals use the error model's words. */
void
checkout_explain(const struct checkout *co, char *buf, size_t buflen)
{
	const char *text;

	switch (co->state) {
	case CHECKOUT_IDLE:
		text = "Ready to pay.";
		break;
	case CHECKOUT_VALIDATING:
		text = "Checking your cart...";
		break;
	case CHECKOUT_SUBMITTING:
	case CHECKOUT_BACKOFF:
		text = "Placing your order...";
		break;
	case CHECKOUT_CHECKING:
		text = "Checking what became of your payment...";
		break;
	case CHECKOUT_DONE:
		text = "Your order has been placed.";
		break;
	case CHECKOUT_FAILED:
	default:
		switch (co->failure) {
		case CHECKOUT_FAIL_GAVE_UP:
			text = "The shop could not take your order just now and "
			    "it was not placed. Please press Pay to try again.";
			break;
		case CHECKOUT_FAIL_UNKNOWN:
			text = "We could not confirm your payment. Press Pay to "
			    "check again: you will not be charged twice.";
			break;
		case CHECKOUT_FAIL_ERROR:
			if (co->err == BZ_ERR_AUTH) {
				text = "Please log in again; your payment will "
				    "continue where it stopped.";
				break;
			}
			text = bz_err_message(co->err);
			break;
		case CHECKOUT_FAIL_REFUSED:
			text = bz_err_message(co->err);
			break;
		case CHECKOUT_FAIL_NONE:
		default:
			text = "The payment did not go through.";
			break;
		}
		break;
	}
	snprintf(buf, buflen, "%s", text);
}

/* The spelling api_checkout expects. */
const char *
checkout_method_name(enum checkout_method method)
{
	switch (method) {
	case CHECKOUT_WALLET:        return "wallet";
	case CHECKOUT_BANK_TRANSFER: return "bank_transfer";
	}
	return "?";
}

/* Parse a payment method name. */
bz_err
checkout_method_parse(const char *text, enum checkout_method *out)
{
	if (text == NULL)
		return BZ_ERR_INVALID_INPUT;
	if (strcmp(text, "wallet") == 0)
		*out = CHECKOUT_WALLET;
	else if (strcmp(text, "bank_transfer") == 0)
		*out = CHECKOUT_BANK_TRANSFER;
	else
		return BZ_ERR_INVALID_INPUT;
	return BZ_OK;
}

/* Names of the states. */
const char *
checkout_state_name(enum checkout_state state)
{
	switch (state) {
	case CHECKOUT_IDLE:       return "idle";
	case CHECKOUT_VALIDATING: return "validating";
	case CHECKOUT_SUBMITTING: return "submitting";
	case CHECKOUT_BACKOFF:    return "backoff";
	case CHECKOUT_CHECKING:   return "checking";
	case CHECKOUT_DONE:       return "done";
	case CHECKOUT_FAILED:     return "failed";
	}
	return "?";
}

/* Names of the actions. */
const char *
checkout_action_name(enum checkout_action action)
{
	switch (action) {
	case CHECKOUT_ACT_NONE:    return "none";
	case CHECKOUT_ACT_SEND:    return "send";
	case CHECKOUT_ACT_CHECK:   return "check";
	case CHECKOUT_ACT_WAIT:    return "wait";
	case CHECKOUT_ACT_DONE:    return "done";
	case CHECKOUT_ACT_FAILED:  return "failed";
	case CHECKOUT_ACT_BUSY:    return "busy";
	case CHECKOUT_ACT_INVALID: return "invalid";
	}
	return "?";
}

/* Names of the failures. */
const char *
checkout_failure_name(enum checkout_failure failure)
{
	switch (failure) {
	case CHECKOUT_FAIL_NONE:    return "none";
	case CHECKOUT_FAIL_REFUSED: return "refused";
	case CHECKOUT_FAIL_ERROR:   return "error";
	case CHECKOUT_FAIL_GAVE_UP: return "gave_up";
	case CHECKOUT_FAIL_UNKNOWN: return "unknown";
	}
	return "?";
}
