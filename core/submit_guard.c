/* The form in-flight guard; see submit_guard.h. */
#include "config.h"
#include "core/submit_guard.h"

void
guard_init(struct submit_guard *g, bool enabled)
{
	g->enabled = enabled;
	g->in_flight = 0;
	g->sent = 0;
	g->ignored = 0;
}

enum guard_verdict
guard_submit(struct submit_guard *g)
{
	if (g->enabled && g->in_flight > 0) {
		g->ignored++;
		return GUARD_BUSY;
	}
	g->in_flight++;
	g->sent++;
	return GUARD_SEND;
}

void
guard_done(struct submit_guard *g)
{
	/* An answer nobody waits for (a stray one) must not go negative. */
	if (g->in_flight > 0)
		g->in_flight--;
}

bool
guard_busy(const struct submit_guard *g)
{
	return g->in_flight > 0;
}
