/* Pay on the checkout screen: the core/checkout state machine (the same
 * one the race suite attacks) driven through the manager's non-blocking
 * calls. One idempotency key per attempt, kept across every re-send: a
 * lost connection, a cancelled wait, a session that ended and a log-in
 * again all resume the same attempt, so the shopper is never charged
 * twice. See core/checkout.h for the machine and checkout_screen.h for
 * the screen's state. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "tui/checkout_screen.h"
#include "tui/manager.h"
#include "tui/screens.h"
#include "tui/text.h"

static void act_on(struct checkout_screen *cs, enum checkout_action act, const struct db_checkout *out,
                   const char *server_err);
static void send_checkout(struct checkout_screen *cs, int tag);
static void send_status(struct checkout_screen *cs);
static uint32_t random32(void);
static bool random16(uint8_t out[16]);

/* getrandom() without a fallback: a key must never be guessable. */
static bool
random16(uint8_t out[16])
{
	return getrandom(out, 16, 0) == 16;
}

/* Backoff jitter only; a failed read just means no jitter. */
static uint32_t
random32(void)
{
	uint32_t r = 0;

	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = 0;
	return r;
}

bool
pay_in_flight(const struct checkout_screen *cs)
{
	return cs->co.state == CHECKOUT_SUBMITTING || cs->co.state == CHECKOUT_BACKOFF ||
	       cs->co.state == CHECKOUT_CHECKING;
}

/* api_checkout with the attempt's key and request. Cancellable: Esc stops
 * waiting, and the machine then asks what became of it. */
static void
send_checkout(struct checkout_screen *cs, int tag)
{
	struct db_request req;
	const char *token = tui_token(cs->base.tui);

	if (token == NULL) {
		/* Logged out between presses: the session's end already sent
		 * the shopper to log in; the attempt stays as it is. */
		return;
	}
	db_checkout_request(&req, token, cs->co.key, cs->co.cart_version,
	                    cs->co.promo[0] ? cs->co.promo : NULL, checkout_method_name(cs->co.method));
	tui_call(cs->base.tui, &cs->base, tag, &req, TUI_CALL_CANCELLABLE,
	         cs->co.method == CHECKOUT_WALLET ? "Paying from your wallet" : "Placing your order",
	         checkout_done_cb);
}

/* api_checkout_status with the attempt's key. */
static void
send_status(struct checkout_screen *cs)
{
	struct db_request req;
	const char *token = tui_token(cs->base.tui);

	if (token == NULL)
		return;
	db_checkout_status_request(&req, token, cs->co.key);
	tui_call(cs->base.tui, &cs->base, TAG_STATUS, &req, 0, "Checking your order", checkout_done_cb);
}

/* Carry out what the machine asks for, and put the outcome in words. */
static void
act_on(struct checkout_screen *cs, enum checkout_action act, const struct db_checkout *out,
       const char *server_err)
{
	struct tui *tui = cs->base.tui;
	char why[256];

	switch (act) {
	case CHECKOUT_ACT_SEND:
		send_checkout(cs, TAG_PAY);
		break;
	case CHECKOUT_ACT_CHECK:
		snprintf(cs->outcome, sizeof cs->outcome, "Checking your order%s",
		         text_glyph("\u2026", "..."));
		cs->outcome_is_error = false;
		send_status(cs);
		break;
	case CHECKOUT_ACT_WAIT:
		cs->backoff_until_ms = tui_now_ms() + cs->co.backoff_ms;
		snprintf(cs->outcome, sizeof cs->outcome, "%s",
		         cs->co.reconnect ? "The connection to the shop was lost; checking your order..."
		                          : "The shop is busy; trying again with the same order...");
		cs->outcome_is_error = false;
		break;
	case CHECKOUT_ACT_DONE:
		snprintf(cs->order_id, sizeof cs->order_id, "%s", out ? out->order_id : "");
		cs->outcome[0] = '\0';
		cs->outcome_is_error = false;
		/* The order took the cart and the promo with it. */
		db_promo_apply_free(&cs->promo);
		line_edit_wipe(&cs->promo_edit);
		cs->promo_msg[0] = '\0';
		cs->cart_loaded = false;
		tui_set_cart_lines(tui, 0);
		tui_status(tui, "Order placed%s", out && out->replayed ? " (it had already gone through)" : ".");
		order_screen_open(tui, cs->order_id);
		break;
	case CHECKOUT_ACT_FAILED:
		checkout_explain(&cs->co, why, sizeof why);
		/* A refusal's own sentence says more ("only 2 left", the
		 * balance); the machine's covers everything else. */
		if (cs->co.failure == CHECKOUT_FAIL_REFUSED && server_err && *server_err)
			snprintf(cs->outcome, sizeof cs->outcome, "%s", server_err);
		else
			snprintf(cs->outcome, sizeof cs->outcome, "%s", why);
		cs->outcome_is_error = true;
		if (cs->co.err == BZ_ERR_CART_CHANGED || cs->co.err == BZ_ERR_OUT_OF_STOCK ||
		    cs->co.err == BZ_ERR_INSUFFICIENT_FUNDS || cs->co.err == BZ_ERR_PROMO_UNAVAILABLE) {
			if (cs->co.err == BZ_ERR_CART_CHANGED)
				snprintf(cs->outcome, sizeof cs->outcome,
				         "Your cart changed, please review it: nothing was charged.");
			checkout_load(cs);
		}
		if (cs->co.err == BZ_ERR_PROMO_UNAVAILABLE)
			db_promo_apply_free(&cs->promo);
		tui_status_error(tui, "%s", cs->outcome);
		break;
	case CHECKOUT_ACT_NONE:
		if (cs->co.state == CHECKOUT_IDLE) {
			snprintf(cs->outcome, sizeof cs->outcome,
			         "Stopped. The order was not placed and nothing was charged.");
			cs->outcome_is_error = false;
		}
		break;
	case CHECKOUT_ACT_BUSY:
	case CHECKOUT_ACT_INVALID:
		break;
	}
}

void
pay_press(struct checkout_screen *cs)
{
	struct tui *tui = cs->base.tui;
	uint8_t rnd[16];
	char err[256];
	enum checkout_action act;

	if (pay_in_flight(cs)) {
		if (tui_submit_guard(tui)) {
			/* The in-flight guard: the press does nothing. */
			cs->pay_presses_ignored++;
			return;
		}
		/* A tester's --no-submit-guard: send it again with the same
		 * key, so the server's idempotency is seen holding alone. */
		if (cs->co.state == CHECKOUT_SUBMITTING) {
			cs->pay_extra_sent++;
			send_checkout(cs, TAG_PAY_EXTRA);
		}
		return;
	}
	if (!cs->cart_loaded || cs->cart.count == 0) {
		tui_status_error(tui, "Your cart is empty: F2 opens the shop.");
		return;
	}
	for (size_t i = 0; i < cs->cart.count; i++) {
		const struct db_cart_line *l = &cs->cart.lines[i];

		if (!l->is_active || l->available < l->quantity) {
			tui_status_error(tui, "%s is %s: change your cart first (F3).", l->name,
			                 !l->is_active ? "no longer sold"
			                 : l->available == 0 ? "sold out" : "short of stock");
			return;
		}
	}
	if (!random16(rnd)) {
		tui_status_error(tui, "This terminal has no randomness for an order key; nothing was sent.");
		return;
	}
	if (checkout_begin(&cs->co, cs->cart.version, cs->promo.promo_code, cs->method, rnd, err,
	                   sizeof err) != BZ_OK) {
		tui_status_error(tui, "%s", err);
		return;
	}
	cs->backoff_until_ms = 0;
	cs->outcome[0] = '\0';
	cs->pay_presses_ignored = cs->pay_extra_sent = 0;
	act = checkout_submit(&cs->co);
	act_on(cs, act, NULL, NULL);
}

bool
pay_cancel(struct checkout_screen *cs)
{
	if (cs->co.state != CHECKOUT_BACKOFF)
		return false;
	cs->backoff_until_ms = 0;
	act_on(cs, checkout_cancel(&cs->co), NULL, NULL);
	return true;
}

void
pay_on_answer(struct checkout_screen *cs, int tag, struct db_request *req)
{
	struct db_checkout out;
	struct checkout_result res;
	char err[256] = "";
	bz_err rc;

	memset(&out, 0, sizeof out);
	rc = tag == TAG_STATUS ? db_checkout_status_result(req, &out, err, sizeof err)
	                       : db_checkout_result(req, &out, err, sizeof err);
	if (tag == TAG_PAY_EXTRA) {
		/* Only the machine's own request moves the machine; an extra
		 * one is there to be answered with the same order. */
		db_checkout_free(&out);
		return;
	}
	res = db_checkout_classify(rc, &out);
	act_on(cs, checkout_on_result(&cs->co, &res, random32()), &out, err);
	db_checkout_free(&out);
}

bool
pay_tick(struct checkout_screen *cs, int64_t now_ms)
{
	if (cs->co.state != CHECKOUT_BACKOFF || cs->backoff_until_ms == 0 || now_ms < cs->backoff_until_ms)
		return false;
	cs->backoff_until_ms = 0;
	act_on(cs, checkout_retry(&cs->co), NULL, NULL);
	return true;
}
