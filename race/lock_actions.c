/* The business action behind each worker of a scenario, for the lock
 * watcher's labels ("s07 pay from wallet waits on s03"). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "race/race.h"

struct action {
	const char *scenario;
	const char *action;
};

/* Scenarios whose workers all do the same thing. */
static const struct action actions[] = {
	{ "promo_single_use", "apply promo" },
	{ "promo_max_uses", "apply promo" },
	{ "promo_per_user_limit", "buy with promo" },
	{ "last_codes", "check out" },
	{ "same_idempotency_key", "check out (same key)" },
	{ "double_submit", "check out (double submit)" },
	{ "same_email", "register" },
	{ "cart_lost_update", "change cart" },
	{ "login_throttle", "log in" },
	{ "wallet_overspend", "pay from wallet" },
	{ "checkout_backend_killed", "check out" },
	{ "checkout_server_restart", "check out" },
};

const char *
race_lock_action(const char *scenario, int worker, int sessions)
{
	if (scenario == NULL || worker < 0)
		return "other";
	/* The scenarios that mix actions do it by worker index (race/scenarios_staff.c). */
	if (strcmp(scenario, "staff_decide") == 0)
		return worker % 2 == 0 ? "approve order" : "reject order";
	if (strcmp(scenario, "cart_change_during_checkout") == 0)
		return worker == 0 ? "check out" : "change cart";
	if (strcmp(scenario, "promo_off_code_void") == 0)
		return worker < sessions - 2 ? "check out" : worker == sessions - 2 ? "switch promo off" : "void code";
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i].scenario, scenario) == 0)
			return actions[i].action;
	return "act";
}

void
race_lock_who(char *buf, size_t len, const char *scenario, int sessions, int waiter, int waiter_pid,
              int blocker, int blocker_pid)
{
	char w[16], b[16];

	if (waiter >= 0)
		snprintf(w, sizeof w, "s%02d", waiter);
	else
		snprintf(w, sizeof w, "pid %d", waiter_pid);
	if (blocker >= 0)
		snprintf(b, sizeof b, "s%02d", blocker);
	else
		snprintf(b, sizeof b, "pid %d", blocker_pid);
	snprintf(buf, len, "%s %s -> %s", w, race_lock_action(scenario, waiter, sessions), b);
}
