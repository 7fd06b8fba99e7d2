/* Unit tests for core/checkout, the state machine the terminal and the
 * race suite drive. Scripts of events, one TAP line each, check every
 * transition of the table in checkout.h; the properties the shop relies
 * on get their own tests: a second Pay never makes a second request,
 * and every re-send of an attempt carries the same key, which changes
 * only when the request changes or the old key is spent. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "core/checkout.h"
#include "core/retry.h"
#include "tests/unit/tap_main.h"

#define MAX_EVENTS 20

enum ev { E_END = 0, E_BEGIN, E_BEGIN_NORANDOM, E_SUBMIT, E_RESULT, E_RETRY,
	E_CANCEL };

/* What the key must be after an event, compared with before it. */
enum keyx { K_SAME = 0, K_NEW };

struct event {
	enum ev ev;
	int64_t version;              /* E_BEGIN */
	const char *promo;            /* E_BEGIN */
	enum checkout_method method;  /* E_BEGIN */
	enum checkout_result_kind kind; /* E_RESULT */
	bz_err err;                   /* E_RESULT */
	int want;                     /* E_BEGIN: a bz_err; else an action */
	enum checkout_state state;
	enum keyx key;
	enum checkout_failure failure;
};

struct script {
	const char *name;
	int max_attempts;
	struct event events[MAX_EVENTS];
};

#define W CHECKOUT_WALLET
#define BT CHECKOUT_BANK_TRANSFER
#define BEGIN(v, p, m, rc, st, k) \
	{ E_BEGIN, (v), (p), (m), 0, 0, (rc), (st), (k), CHECKOUT_FAIL_NONE }
#define SUBMIT(act, st) SUBMITF(act, st, CHECKOUT_FAIL_NONE)
#define SUBMITF(act, st, fail) \
	{ E_SUBMIT, 0, NULL, W, 0, 0, (act), (st), K_SAME, (fail) }
#define RESULT(kind, e, act, st, fail) \
	{ E_RESULT, 0, NULL, W, (kind), (e), (act), (st), K_SAME, (fail) }
#define RETRY(act, st) RETRYF(act, st, CHECKOUT_FAIL_NONE)
#define RETRYF(act, st, fail) \
	{ E_RETRY, 0, NULL, W, 0, 0, (act), (st), K_SAME, (fail) }
#define CANCEL(act, st, fail) \
	{ E_CANCEL, 0, NULL, W, 0, 0, (act), (st), K_SAME, (fail) }
#define OK_ CHECKOUT_RESULT_OK
#define FAILED_ CHECKOUT_RESULT_FAILED
#define ERROR_ CHECKOUT_RESULT_ERROR
#define UNKNOWN_ CHECKOUT_RESULT_UNKNOWN
#define A(x) CHECKOUT_ACT_##x
#define S(x) CHECKOUT_##x
#define F(x) CHECKOUT_FAIL_##x
/* One failed send and its backoff: WAIT, then RETRY gives SEND. */
#define TRANSIENT(e) \
	RESULT(ERROR_, (e), A(WAIT), S(BACKOFF), F(NONE)), \
	RETRY(A(SEND), S(SUBMITTING))

static Suite *checkout_suite(void);
static void random16(uint8_t out[16]);
static void check_invariants(const struct checkout *co, enum checkout_action act,
    const char *where);

static uint32_t rng_state = 0x12345678u;

static const struct script scripts[] = {
	{ "paid at the first try", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)) } },
	{ "second and third Pay while submitting are ignored", 0, {
		BEGIN(3, "SAVE50", BT, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		SUBMIT(A(BUSY), S(SUBMITTING)),
		SUBMIT(A(BUSY), S(SUBMITTING)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)),
		SUBMIT(A(INVALID), S(DONE)) } },
	{ "serialization failure, deadlock, lock timeout: same key", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_RETRYABLE, A(WAIT), S(BACKOFF), F(NONE)),
		SUBMIT(A(BUSY), S(BACKOFF)),          /* Pay during the backoff */
		RETRY(A(SEND), S(SUBMITTING)),
		TRANSIENT(BZ_ERR_RETRYABLE),
		TRANSIENT(BZ_ERR_LOCK_TIMEOUT),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)) } },
	{ "lost connection: reset, same key, the replay is the answer", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		TRANSIENT(BZ_ERR_CONNECTION),
		TRANSIENT(BZ_ERR_CONNECTION),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)) } },
	{ "transient errors until attempts run out: gave up, key kept", 3, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		TRANSIENT(BZ_ERR_RETRYABLE),
		TRANSIENT(BZ_ERR_LOCK_TIMEOUT),
		RESULT(ERROR_, BZ_ERR_RETRYABLE, A(FAILED), S(FAILED), F(GAVE_UP)),
		RETRYF(A(INVALID), S(FAILED), F(GAVE_UP)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)) } },
	{ "connection lost on the last attempt: ask, the order exists", 2, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		TRANSIENT(BZ_ERR_CONNECTION),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(WAIT), S(BACKOFF), F(NONE)),
		SUBMIT(A(BUSY), S(BACKOFF)),
		RETRY(A(CHECK), S(CHECKING)),
		SUBMIT(A(BUSY), S(CHECKING)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)) } },
	{ "connection lost on the last attempt: ask, no order, key kept", 2, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		TRANSIENT(BZ_ERR_CONNECTION),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(WAIT), S(BACKOFF), F(NONE)),
		RETRY(A(CHECK), S(CHECKING)),
		RESULT(UNKNOWN_, BZ_OK, A(FAILED), S(FAILED), F(GAVE_UP)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME) } },
	{ "connection lost on the last attempt: ask, refusal stored", 1, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(WAIT), S(BACKOFF), F(NONE)),
		RETRY(A(CHECK), S(CHECKING)),
		RESULT(FAILED_, BZ_ERR_OUT_OF_STOCK, A(FAILED), S(FAILED), F(REFUSED)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW) } },
	{ "the status query fails too: outcome unknown, key kept", 2, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		TRANSIENT(BZ_ERR_CONNECTION),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(WAIT), S(BACKOFF), F(NONE)),
		RETRY(A(CHECK), S(CHECKING)),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(WAIT), S(BACKOFF), F(NONE)),
		RETRY(A(CHECK), S(CHECKING)),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(FAILED), S(FAILED), F(UNKNOWN)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)) } },
	{ "status query refused by auth: outcome unknown", 2, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		CANCEL(A(CHECK), S(CHECKING), F(NONE)),
		RESULT(ERROR_, BZ_ERR_AUTH, A(FAILED), S(FAILED), F(UNKNOWN)) } },
	{ "business refusals are final and spend the key", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(FAILED_, BZ_ERR_INSUFFICIENT_FUNDS, A(FAILED), S(FAILED), F(REFUSED)),
		SUBMITF(A(INVALID), S(FAILED), F(REFUSED)),
		RESULT(OK_, BZ_OK, A(INVALID), S(FAILED), F(REFUSED)), /* stray */
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),  /* topped up: again */
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(FAILED_, BZ_ERR_OUT_OF_STOCK, A(FAILED), S(FAILED), F(REFUSED)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(FAILED_, BZ_ERR_PROMO_UNAVAILABLE, A(FAILED), S(FAILED), F(REFUSED)) } },
	{ "a business error is never retried, even as an error", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_OUT_OF_STOCK, A(FAILED), S(FAILED), F(ERROR)) } },
	{ "session lost: log in again, Pay resumes the same key", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		TRANSIENT(BZ_ERR_CONNECTION),
		RESULT(ERROR_, BZ_ERR_AUTH, A(FAILED), S(FAILED), F(ERROR)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)) } },
	{ "same key for another request: key spent", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_IDEMPOTENCY_MISMATCH, A(FAILED), S(FAILED),
		    F(REFUSED)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_CONFLICT, A(FAILED), S(FAILED), F(REFUSED)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW) } },
	{ "cart changed, limits: stored refusals", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(FAILED_, BZ_ERR_CART_CHANGED, A(FAILED), S(FAILED), F(REFUSED)),
		BEGIN(4, NULL, BT, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(FAILED_, BZ_ERR_LIMIT_REACHED, A(FAILED), S(FAILED), F(REFUSED)) } },
	{ "the db layer cancelled the call: ask what became of it", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_CANCELLED, A(CHECK), S(CHECKING), F(NONE)),
		RESULT(ERROR_, BZ_ERR_CANCELLED, A(FAILED), S(FAILED), F(UNKNOWN)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_CANCELLED, A(CHECK), S(CHECKING), F(NONE)),
		RESULT(UNKNOWN_, BZ_OK, A(NONE), S(IDLE), F(NONE)) } },
	{ "other errors: final, key kept", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_INTERNAL, A(FAILED), S(FAILED), F(ERROR)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_INVALID_INPUT, A(FAILED), S(FAILED), F(ERROR)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_PERMISSION, A(FAILED), S(FAILED), F(ERROR)) } },
	{ "a changed request gets a new key, the same request keeps it", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME),
		BEGIN(4, NULL, W, BZ_OK, S(VALIDATING), K_NEW),     /* cart changed */
		BEGIN(4, "", W, BZ_OK, S(VALIDATING), K_SAME),      /* "" = no promo */
		BEGIN(4, "  ", W, BZ_OK, S(VALIDATING), K_SAME),
		BEGIN(4, "SAVE50", W, BZ_OK, S(VALIDATING), K_NEW), /* promo added */
		BEGIN(4, " save50 ", W, BZ_OK, S(VALIDATING), K_SAME), /* same code */
		BEGIN(4, "WELCOME10", W, BZ_OK, S(VALIDATING), K_NEW),
		BEGIN(4, "WELCOME10", BT, BZ_OK, S(VALIDATING), K_NEW), /* method */
		BEGIN(4, NULL, BT, BZ_OK, S(VALIDATING), K_NEW),    /* promo removed */
		BEGIN(3, NULL, BT, BZ_OK, S(VALIDATING), K_NEW) } },
	{ "after an order, the same request is a new purchase", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW) } },
	{ "the attempt cannot change under a request", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		BEGIN(4, NULL, W, BZ_ERR_CONFLICT, S(SUBMITTING), K_SAME),
		RESULT(ERROR_, BZ_ERR_RETRYABLE, A(WAIT), S(BACKOFF), F(NONE)),
		BEGIN(4, NULL, W, BZ_ERR_CONFLICT, S(BACKOFF), K_SAME),
		RETRY(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(WAIT), S(BACKOFF), F(NONE)),
		CANCEL(A(CHECK), S(CHECKING), F(NONE)),
		BEGIN(4, NULL, W, BZ_ERR_CONFLICT, S(CHECKING), K_SAME) } },
	{ "bad begin arguments change nothing", 0, {
		BEGIN(-1, NULL, W, BZ_ERR_INVALID_INPUT, S(IDLE), K_SAME),
		BEGIN(3, "no", W, BZ_ERR_INVALID_INPUT, S(IDLE), K_SAME),
		BEGIN(3, "SAVE 50", W, BZ_ERR_INVALID_INPUT, S(IDLE), K_SAME),
		BEGIN(3, NULL, (enum checkout_method)9, BZ_ERR_INVALID_INPUT, S(IDLE), K_SAME),
		{ E_BEGIN_NORANDOM, 3, NULL, W, 0, 0, BZ_ERR_INTERNAL, S(IDLE), K_SAME,
		  F(NONE) },
		SUBMIT(A(INVALID), S(IDLE)),
		BEGIN(0, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		BEGIN(5, "x", W, BZ_ERR_INVALID_INPUT, S(VALIDATING), K_SAME),
		SUBMIT(A(SEND), S(SUBMITTING)) } },
	{ "cancel before paying", 0, {
		CANCEL(A(NONE), S(IDLE), F(NONE)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		CANCEL(A(NONE), S(IDLE), F(NONE)),
		SUBMIT(A(INVALID), S(IDLE)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME) } },
	{ "cancel while submitting: ask; nothing there: idle, key kept", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		CANCEL(A(CHECK), S(CHECKING), F(NONE)),
		SUBMIT(A(BUSY), S(CHECKING)),
		RESULT(UNKNOWN_, BZ_OK, A(NONE), S(IDLE), F(NONE)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME) } },
	{ "cancel while submitting: ask; it went through", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		CANCEL(A(CHECK), S(CHECKING), F(NONE)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)),
		CANCEL(A(NONE), S(DONE), F(NONE)) } },
	{ "cancel during a backoff: ask, with retries of the query", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(WAIT), S(BACKOFF), F(NONE)),
		CANCEL(A(CHECK), S(CHECKING), F(NONE)),
		RESULT(ERROR_, BZ_ERR_RETRYABLE, A(WAIT), S(BACKOFF), F(NONE)),
		RETRY(A(CHECK), S(CHECKING)),
		RESULT(FAILED_, BZ_ERR_INSUFFICIENT_FUNDS, A(FAILED), S(FAILED), F(REFUSED)) } },
	{ "cancel the status query: give up without claiming to know", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		CANCEL(A(CHECK), S(CHECKING), F(NONE)),
		CANCEL(A(FAILED), S(FAILED), F(UNKNOWN)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_SAME) } },
	{ "cancel while waiting to re-ask: unknown", 1, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(WAIT), S(BACKOFF), F(NONE)),
		CANCEL(A(FAILED), S(FAILED), F(UNKNOWN)) } },
	{ "stray and misplaced events change nothing", 0, {
		RESULT(OK_, BZ_OK, A(INVALID), S(IDLE), F(NONE)),
		RETRY(A(INVALID), S(IDLE)),
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		RESULT(OK_, BZ_OK, A(INVALID), S(VALIDATING), F(NONE)),
		RETRY(A(INVALID), S(VALIDATING)),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RETRY(A(BUSY), S(SUBMITTING)),
		RESULT(UNKNOWN_, BZ_OK, A(INVALID), S(SUBMITTING), F(NONE)),
		RESULT((enum checkout_result_kind)42, BZ_OK, A(INVALID), S(SUBMITTING),
		    F(NONE)),
		RESULT(OK_, BZ_OK, A(DONE), S(DONE), F(NONE)),
		RESULT(OK_, BZ_OK, A(INVALID), S(DONE), F(NONE)),
		RESULT(ERROR_, BZ_ERR_CONNECTION, A(INVALID), S(DONE), F(NONE)) } },
	{ "a refusal or error without a code counts as internal", 0, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_OK, A(FAILED), S(FAILED), F(ERROR)) } },
	{ "one attempt only: the first transient error is final", 1, {
		BEGIN(3, NULL, W, BZ_OK, S(VALIDATING), K_NEW),
		SUBMIT(A(SEND), S(SUBMITTING)),
		RESULT(ERROR_, BZ_ERR_LOCK_TIMEOUT, A(FAILED), S(FAILED), F(GAVE_UP)) } },
};

/* Deterministic "random" bytes: every begin gets bytes no earlier begin
 * had, so a kept key can only be the old one. */
static void
random16(uint8_t out[16])
{
	for (int i = 0; i < 16; i++) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 17;
		rng_state ^= rng_state << 5;
		out[i] = (uint8_t)rng_state;
	}
}

/* What holds after every event, whatever it was. */
static void
check_invariants(const struct checkout *co, enum checkout_action act,
    const char *where)
{
	if (co->state != CHECKOUT_IDLE || co->key[0] != '\0') {
		ck_assert_msg(uuid_is_valid(co->key) && co->key[14] == '4',
		    "%s: key %s is not a v4 UUID", where, TAP_Q(co->key));
	}
	if (act == CHECKOUT_ACT_SEND || act == CHECKOUT_ACT_CHECK)
		ck_assert_msg(co->key[0] != '\0', "%s: sent without a key", where);
	if (act == CHECKOUT_ACT_SEND)
		ck_assert_msg(co->state == CHECKOUT_SUBMITTING &&
		    co->attempt >= 1 && co->attempt <= co->max_attempts,
		    "%s: send number %d of %d in %s", where, co->attempt,
		    co->max_attempts, checkout_state_name(co->state));
	if (act == CHECKOUT_ACT_CHECK)
		ck_assert_msg(co->state == CHECKOUT_CHECKING &&
		    co->checks >= 1 && co->checks <= co->max_attempts,
		    "%s: check number %d in %s", where, co->checks,
		    checkout_state_name(co->state));
	if (act == CHECKOUT_ACT_WAIT)
		ck_assert_msg(co->state == CHECKOUT_BACKOFF &&
		    co->backoff_ms >= 0 && co->backoff_ms <= RETRY_BACKOFF_CAP_MS &&
		    co->reconnect == (co->err == BZ_ERR_CONNECTION),
		    "%s: wait of %ld ms, reconnect %d after %s", where,
		    co->backoff_ms, co->reconnect, bz_err_name(co->err));
	if (co->state == CHECKOUT_DONE)
		ck_assert(co->key_spent && co->err == BZ_OK);
	if (co->state == CHECKOUT_FAILED)
		ck_assert_msg(co->failure != CHECKOUT_FAIL_NONE && co->err != BZ_OK,
		    "%s: failed without a reason", where);
	else
		ck_assert_msg(co->failure == CHECKOUT_FAIL_NONE,
		    "%s: failure %s outside FAILED", where,
		    checkout_failure_name(co->failure));
}

START_TEST(script_table)
{
	const struct script *sc = &scripts[_i];
	struct checkout co;
	char where[256], err[160];

	checkout_init(&co, sc->max_attempts);
	for (int i = 0; i < MAX_EVENTS && sc->events[i].ev != E_END; i++) {
		const struct event *e = &sc->events[i];
		char before[UUID_BUF_SIZE];
		uint8_t rnd[16];
		struct checkout_result r = { e->kind, e->err };
		int got = -1;

		snprintf(where, sizeof where, "%s, event %d", sc->name, i + 1);
		memcpy(before, co.key, sizeof before);
		random16(rnd);
		err[0] = '\0';
		switch (e->ev) {
		case E_BEGIN:
			got = checkout_begin(&co, e->version, e->promo, e->method,
			    rnd, err, sizeof err);
			ck_assert_msg(got == e->want, "%s: begin gave %s, want %s",
			    where, bz_err_name((bz_err)got), bz_err_name((bz_err)e->want));
			ck_assert_msg((got == BZ_OK) == (err[0] == '\0'),
			    "%s: reason %s", where, TAP_Q(err));
			break;
		case E_BEGIN_NORANDOM:
			got = checkout_begin(&co, e->version, e->promo, e->method,
			    NULL, err, sizeof err);
			ck_assert_msg(got == e->want, "%s: begin gave %s", where,
			    bz_err_name((bz_err)got));
			break;
		case E_SUBMIT:
			got = checkout_submit(&co);
			break;
		case E_RESULT:
			got = checkout_on_result(&co, &r, rng_state);
			break;
		case E_RETRY:
			got = checkout_retry(&co);
			break;
		case E_CANCEL:
			got = checkout_cancel(&co);
			break;
		case E_END:
			break;
		}
		if (e->ev != E_BEGIN && e->ev != E_BEGIN_NORANDOM)
			ck_assert_msg(got == e->want, "%s: action %s, want %s", where,
			    checkout_action_name((enum checkout_action)got),
			    checkout_action_name((enum checkout_action)e->want));
		ck_assert_msg(co.state == e->state, "%s: state %s, want %s", where,
		    checkout_state_name(co.state), checkout_state_name(e->state));
		ck_assert_msg(co.failure == e->failure, "%s: failure %s, want %s",
		    where, checkout_failure_name(co.failure),
		    checkout_failure_name(e->failure));
		if (e->key == K_SAME)
			ck_assert_msg(strcmp(co.key, before) == 0,
			    "%s: key changed from %s to %s", where, before, co.key);
		else
			ck_assert_msg(strcmp(co.key, before) != 0 && co.key[0] != '\0',
			    "%s: key %s kept, want a new one", where, co.key);
		check_invariants(&co, (enum checkout_action)(e->ev == E_BEGIN ||
		    e->ev == E_BEGIN_NORANDOM ? CHECKOUT_ACT_NONE : got), where);
	}
}
END_TEST

START_TEST(attempt_carries_the_request)
{
	struct checkout co;
	uint8_t rnd[16];

	checkout_init(&co, 0);
	ck_assert_int_eq(co.max_attempts, RETRY_DEFAULT_MAX_ATTEMPTS);
	ck_assert_str_eq(co.key, "");
	random16(rnd);
	ck_assert_int_eq(checkout_begin(&co, 17, " welcome10 ",
	    CHECKOUT_BANK_TRANSFER, rnd, NULL, 0), BZ_OK);
	ck_assert(co.cart_version == 17);
	ck_assert_str_eq(co.promo, "WELCOME10");
	ck_assert_int_eq(co.method, CHECKOUT_BANK_TRANSFER);
	ck_assert_str_eq(checkout_method_name(co.method), "bank_transfer");
	ck_assert(uuid_is_valid(co.key));
	ck_assert_int_eq(checkout_begin(&co, 17, NULL, CHECKOUT_WALLET, rnd,
	    NULL, 0), BZ_OK);
	ck_assert_str_eq(co.promo, "");
	ck_assert_str_eq(checkout_method_name(co.method), "wallet");
}
END_TEST

START_TEST(driver_loop_sends_at_most_max_attempts)
{
	/* The race suite's loop against a server that always fails the
	 * same transient way: bounded, and every send has the same key. */
	static const bz_err errors[] = { BZ_ERR_RETRYABLE, BZ_ERR_LOCK_TIMEOUT,
		BZ_ERR_CONNECTION };

	for (size_t k = 0; k < sizeof errors / sizeof errors[0]; k++) {
		for (int max = 1; max <= 8; max++) {
			struct checkout co;
			enum checkout_action act;
			char key[UUID_BUF_SIZE];
			uint8_t rnd[16];
			int sends = 0, checks = 0, waits = 0;

			checkout_init(&co, max);
			random16(rnd);
			ck_assert_int_eq(checkout_begin(&co, 1, NULL,
			    CHECKOUT_WALLET, rnd, NULL, 0), BZ_OK);
			memcpy(key, co.key, sizeof key);
			act = checkout_submit(&co);
			while (act == CHECKOUT_ACT_SEND || act == CHECKOUT_ACT_CHECK ||
			    act == CHECKOUT_ACT_WAIT) {
				struct checkout_result r = { CHECKOUT_RESULT_ERROR,
					errors[k] };

				ck_assert_str_eq(co.key, key);
				if (act == CHECKOUT_ACT_WAIT) {
					waits++;
					act = checkout_retry(&co);
					continue;
				}
				if (act == CHECKOUT_ACT_SEND)
					sends++;
				else
					checks++;
				ck_assert(sends + checks <= 2 * max);
				act = checkout_on_result(&co, &r, (uint32_t)sends);
			}
			ck_assert_int_eq(act, CHECKOUT_ACT_FAILED);
			ck_assert_int_eq(sends, max);
			/* Only a lost answer needs asking about. */
			ck_assert_int_eq(checks,
			    errors[k] == BZ_ERR_CONNECTION ? max : 0);
			ck_assert_int_eq(waits, sends + checks - 1);
			ck_assert_int_eq(co.failure, errors[k] == BZ_ERR_CONNECTION ?
			    CHECKOUT_FAIL_UNKNOWN : CHECKOUT_FAIL_GAVE_UP);
			ck_assert(!co.key_spent);
		}
	}
}
END_TEST

START_TEST(random_events_keep_the_promises)
{
	/* Thousands of random event sequences against a model of the two
	 * promises: at most one request out at any time, and the key changes
	 * only in a successful begin, exactly when the request changed or
	 * the key was spent. */
	uint32_t x = 0xdecafbadu;

	for (int run = 0; run < 2000; run++) {
		struct checkout co;
		bool outstanding = false, spent = false;
		int64_t version = -1;
		char promo[PROMO_CODE_BUF_SIZE] = "";
		enum checkout_method method = CHECKOUT_WALLET;

		checkout_init(&co, 1 + run % 6);
		for (int step = 0; step < 60; step++) {
			char before[UUID_BUF_SIZE], where[96];
			enum checkout_action act = CHECKOUT_ACT_NONE;
			uint8_t rnd[16];
			int64_t v;
			const char *p;
			enum checkout_method m;
			struct checkout_result r;

			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			snprintf(where, sizeof where, "run %d step %d", run, step);
			memcpy(before, co.key, sizeof before);
			random16(rnd);
			switch (x % 7) {
			case 0:
				v = (int64_t)(x >> 8) % 3;
				p = (x >> 12) % 3 == 0 ? NULL :
				    (x >> 12) % 3 == 1 ? "save50" : "SAVE50";
				m = (x >> 16) % 2 ? CHECKOUT_WALLET : CHECKOUT_BANK_TRANSFER;
				if (checkout_begin(&co, v, p, m, rnd, NULL, 0) == BZ_OK) {
					bool same = before[0] != '\0' && !spent &&
					    v == version && m == method &&
					    strcmp(promo, p == NULL ? "" : "SAVE50") == 0;

					ck_assert_msg(!outstanding, "%s: begin while out", where);
					ck_assert_msg(same == (strcmp(before, co.key) == 0),
					    "%s: key %s -> %s, same request %d", where,
					    before, co.key, same);
					if (!same)
						spent = false;
					version = v;
					method = m;
					strcpy(promo, p == NULL ? "" : "SAVE50");
				} else {
					ck_assert_str_eq(before, co.key);
				}
				continue;
			case 1:
			case 2:
				act = checkout_submit(&co);
				break;
			case 3:
				act = checkout_retry(&co);
				break;
			case 4:
				act = checkout_cancel(&co);
				/* A cancelled request is abandoned: not out any more. */
				if (co.state != CHECKOUT_SUBMITTING)
					outstanding = false;
				break;
			default:
				r.kind = (enum checkout_result_kind)((x >> 8) % 4);
				r.err = (bz_err)((x >> 12) % BZ_ERR__COUNT);
				act = checkout_on_result(&co, &r, x);
				if (act != CHECKOUT_ACT_INVALID)
					outstanding = false;
				break;
			}
			ck_assert_msg(strcmp(before, co.key) == 0,
			    "%s: key changed outside begin", where);
			if (act == CHECKOUT_ACT_SEND || act == CHECKOUT_ACT_CHECK) {
				ck_assert_msg(!outstanding, "%s: a second request", where);
				outstanding = true;
			}
			if (co.key_spent)
				spent = true;
			check_invariants(&co, act, where);
		}
	}
}
END_TEST

START_TEST(explain_sentences)
{
	static const struct {
		enum checkout_failure failure;
		bz_err err;
		const char *want; /* NULL: bz_err_message(err) */
	} cases[] = {
		{ CHECKOUT_FAIL_REFUSED, BZ_ERR_OUT_OF_STOCK, NULL },
		{ CHECKOUT_FAIL_REFUSED, BZ_ERR_INSUFFICIENT_FUNDS, NULL },
		{ CHECKOUT_FAIL_ERROR, BZ_ERR_PERMISSION, NULL },
		{ CHECKOUT_FAIL_ERROR, BZ_ERR_AUTH,
		  "Please log in again; your payment will continue where it stopped." },
		{ CHECKOUT_FAIL_UNKNOWN, BZ_ERR_CONNECTION,
		  "We could not confirm your payment. Press Pay to check again: "
		  "you will not be charged twice." },
	};
	struct checkout co;
	char buf[256];

	checkout_init(&co, 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		co.state = CHECKOUT_FAILED;
		co.failure = cases[i].failure;
		co.err = cases[i].err;
		checkout_explain(&co, buf, sizeof buf);
		ck_assert_str_eq(buf, cases[i].want != NULL ? cases[i].want :
		    bz_err_message(cases[i].err));
	}
	co.failure = CHECKOUT_FAIL_GAVE_UP;
	checkout_explain(&co, buf, sizeof buf);
	ck_assert(strstr(buf, "not placed") != NULL);
	for (int s = CHECKOUT_IDLE; s <= CHECKOUT_DONE; s++) {
		co.state = (enum checkout_state)s;
		checkout_explain(&co, buf, sizeof buf);
		ck_assert(strlen(buf) > 5);
	}
}
END_TEST

START_TEST(names)
{
	enum checkout_method m = CHECKOUT_BANK_TRANSFER;

	for (int s = CHECKOUT_IDLE; s <= CHECKOUT_FAILED; s++)
		ck_assert_str_ne(checkout_state_name((enum checkout_state)s), "?");
	for (int a = CHECKOUT_ACT_NONE; a <= CHECKOUT_ACT_INVALID; a++)
		ck_assert_str_ne(checkout_action_name((enum checkout_action)a), "?");
	for (int f = CHECKOUT_FAIL_NONE; f <= CHECKOUT_FAIL_UNKNOWN; f++)
		ck_assert_str_ne(checkout_failure_name((enum checkout_failure)f), "?");
	ck_assert_str_eq(checkout_state_name((enum checkout_state)99), "?");
	ck_assert_int_eq(checkout_method_parse("wallet", &m), BZ_OK);
	ck_assert_int_eq(m, CHECKOUT_WALLET);
	ck_assert_int_eq(checkout_method_parse("bank_transfer", &m), BZ_OK);
	ck_assert_int_eq(m, CHECKOUT_BANK_TRANSFER);
	ck_assert_int_eq(checkout_method_parse("Wallet", &m), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(checkout_method_parse(NULL, &m), BZ_ERR_INVALID_INPUT);
	ck_assert_int_eq(m, CHECKOUT_BANK_TRANSFER);
	ck_assert_str_eq(checkout_method_name((enum checkout_method)9), "?");
}
END_TEST

/* The suite: one test case per behaviour, tables run one row per TAP line. */
static Suite *
checkout_suite(void)
{
	Suite *s = suite_create("checkout");

	TAP_ADD_TABLE(s, script_table, scripts);
	TAP_ADD(s, attempt_carries_the_request);
	TAP_ADD(s, driver_loop_sends_at_most_max_attempts);
	TAP_ADD(s, random_events_keep_the_promises);
	TAP_ADD(s, explain_sentences);
	TAP_ADD(s, names);
	return s;
}

int
main(void)
{
	return run_suite_tap(checkout_suite());
}
