/* The in-flight guard of a form: a submit while the previous one is
 * still being answered is ignored, not sent again (Enter hammered, Enter
 * during a slow call). The checkout has its own (core/checkout.h); the
 * log-in and register forms, the promo field and the transfer proof use
 * this one. No I/O.
 *
 *   if (guard_submit(&g) == GUARD_SEND) send ...;   // else: say "working"
 *   ... when the answer arrives: guard_done(&g);
 *
 * A tester's --no-submit-guard turns it off (enabled = false): every
 * submit is sent, and the server's own idempotency must hold alone. */
#ifndef BAZAR_CORE_SUBMIT_GUARD_H
#define BAZAR_CORE_SUBMIT_GUARD_H

#include <stdbool.h>

struct submit_guard {
	bool enabled;        /* false: pass every submit through */
	int in_flight;       /* submits sent and not yet answered */
	unsigned sent;       /* submits let through, for the screen and tests */
	unsigned ignored;    /* submits refused while one was in flight */
};

enum guard_verdict {
	GUARD_SEND,          /* send it */
	GUARD_BUSY,          /* one is in flight: do nothing (show "working...") */
};

/* An enabled guard with nothing in flight. */
void guard_init(struct submit_guard *g, bool enabled);

/* The user submitted. */
enum guard_verdict guard_submit(struct submit_guard *g);

/* One answer arrived (success or failure alike). */
void guard_done(struct submit_guard *g);

/* True while an answer is awaited: the form shows "working..." and is
 * locked. */
bool guard_busy(const struct submit_guard *g);

#endif
