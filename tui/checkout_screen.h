/* Private to the checkout screen's two files: screen_checkout.c (the
 * form: cart summary, promo, payment method, drawing and keys) and
 * checkout_pay.c (Pay: the core/checkout state machine driven through
 * the manager's non-blocking calls). */
#ifndef BAZAR_TUI_CHECKOUT_SCREEN_H
#define BAZAR_TUI_CHECKOUT_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/checkout.h"
#include "core/submit_guard.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/screen.h"

/* What a finished call was, for the one done callback. */
enum checkout_tag {
	TAG_CART,
	TAG_WALLET,
	TAG_PROMO_APPLY,
	TAG_PROMO_RELEASE,
	TAG_PAY,          /* api_checkout sent by the state machine */
	TAG_PAY_EXTRA,    /* --no-submit-guard: an extra Pay with the same key */
	TAG_STATUS,       /* api_checkout_status */
};

enum checkout_focus {
	FOCUS_PROMO,
	FOCUS_METHOD,
	FOCUS_PAY,
	FOCUS__COUNT
};

struct checkout_screen {
	struct screen base;            /* first: the manager sees a struct screen */

	struct db_cart cart;           /* as last read; count 0 before */
	bool cart_loaded;
	int64_t balance_cents;
	bool balance_loaded;

	struct line_edit promo_edit;
	struct db_promo_apply promo;   /* the applied promo; promo_code NULL when none */
	int64_t promo_cart_version;    /* the cart version it was priced on */
	struct submit_guard promo_guard;
	char promo_msg[256];
	bool promo_msg_is_error;

	enum checkout_method method;
	enum checkout_focus focus;

	/* Pay. */
	struct checkout co;
	int64_t backoff_until_ms;      /* CHECKOUT_ACT_WAIT: when to retry; 0 none */
	char order_id[DB_UUID_SIZE];   /* DONE: the order */
	char outcome[512];             /* the last word on the attempt */
	bool outcome_is_error;
	unsigned pay_presses_ignored;  /* Pay while one was in flight (the guard) */
	unsigned pay_extra_sent;       /* ... and sent anyway without the guard */
};

/* checkout_pay.c */

/* The shopper pressed Pay. */
void pay_press(struct checkout_screen *cs);
/* Esc while the attempt waits to retry: stop, and ask what happened. */
bool pay_cancel(struct checkout_screen *cs);
/* A TAG_PAY, TAG_PAY_EXTRA or TAG_STATUS call finished. */
void pay_on_answer(struct checkout_screen *cs, int tag, struct db_request *req);
/* Backoff timer; true when something visible changed. */
bool pay_tick(struct checkout_screen *cs, int64_t now_ms);
/* A request is out or about to be re-sent: the form is locked. */
bool pay_in_flight(const struct checkout_screen *cs);

/* screen_checkout.c */

/* Queue the reads of the cart and the wallet. */
void checkout_load(struct checkout_screen *cs);
void checkout_done_cb(struct screen *s, int tag, struct db_request *req);

#endif
