/* The fault scenario that needs a server of its own: the server is stopped
 * the way a power cut stops it (pg_ctl stop -m immediate: every backend
 * killed at once, no shutdown checkpoint) in the middle of a burst of
 * checkouts, and started again (crash recovery). The buyers' core/checkout
 * machines must carry every checkout across the outage with the same key:
 * every shopper ends with exactly the one order its checkout was told of,
 * debited once.
 *
 * It restarts the server it runs against, so it is explicit: it runs only
 * when named (BAZAR_RACE_ONLY in the attack program), with the fault_cmd
 * option (BAZAR_RACE_FAULT_CMD there) the command that stops and starts
 * the server (tests/shell/fault_immediate_stop.test runs
 * it on a private cluster with tests/race/restart_immediate.sh). The
 * outage must fit in the buyers' retry budget: that test raises it with
 * BAZAR_RACE_ATTEMPTS (the attempts option). */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "core/xalloc.h"
#include "db/api.h"
#include "race/race_util.h"

#define PRICE 100
#define FAULT_SHOPPERS 40     /* checkouts per buyer, one shopper (user, cart) each */
#define FAULT_WARMUP 2        /* checkouts per buyer before the fault starts */
#define FAULT_PATIENCE_S 60   /* how long the injector waits for the burst, then the server */

/* One shopper: a user with a session and a cart of one code, checked out
 * once by its buyer. Made by the setup; the outcome is written by the
 * buyer during the round and read by the check. */
struct fault_shopper {
	char user_id[DB_UUID_SIZE];
	char token[RACE_TOKEN_MAX];
	int64_t cart_version;
	bool ordered;            /* the checkout ended with an order: order_id */
	char order_id[DB_UUID_SIZE];
	int requests;            /* api_checkout and status requests it took */
	bool recovered;          /* the order was learnt by a replay or a status
	                          * query: a committed attempt's answer was lost */
	char failure[160];       /* why it ended without one */
};

static struct fault_shopper *shoppers;  /* [buyer * FAULT_SHOPPERS + n] */
static atomic_int warm;                 /* buyers past FAULT_WARMUP checkouts */
/* Written by the injector before its worker ends. */
static int fault_status;                /* the command's exit status; -1: not run */
static double fault_seconds;            /* how long the command took */
static int fault_done_before;           /* checkouts finished when it started */
static char start_before[64], start_after[64];  /* pg_postmaster_start_time() */
static char fault_note[200];
static atomic_int finished;             /* checkouts finished, for the report */

static double now_s(void);
static void sleep_ms(long ms);
static bz_err postmaster_start(struct race_round *r, char *out, size_t outlen, char *err, size_t errlen);

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* When the server was started, as text: a different value after the
 * fault is the proof that the server really went down and came back. */
static bz_err
postmaster_start(struct race_round *r, char *out, size_t outlen, char *err, size_t errlen)
{
	struct db_request req;
	bz_err rc = race_sql(r, &req, "SELECT pg_postmaster_start_time()::text", 0, NULL, err, errlen);

	if (rc == BZ_OK)
		snprintf(out, outlen, "%s", db_request_value(&req, 0, 0));
	db_request_free(&req);
	return rc;
}

/* ---- the server stopped -m immediate mid-burst ------------------------
 * Every worker but the last is a buyer: it checks out FAULT_SHOPPERS
 * ready carts one after another through race_checkout, so whatever it has
 * in flight when the server dies is a checkout. The last worker waits
 * until every buyer is warm and runs BAZAR_RACE_FAULT_CMD. */

static bz_err
fault_setup(struct race_round *r, char *err, size_t errlen)
{
	int nbuyers = r->sessions - 1;
	bz_err rc;

	free(shoppers);
	shoppers = xcalloc((size_t)nbuyers * FAULT_SHOPPERS, sizeof *shoppers);
	atomic_store(&warm, 0);
	atomic_store(&finished, 0);
	fault_status = -1;
	fault_seconds = 0;
	fault_done_before = 0;
	start_after[0] = fault_note[0] = '\0';
	if ((rc = postmaster_start(r, start_before, sizeof start_before, err, errlen)) != BZ_OK)
		return rc;
	if ((rc = race_product(r, "Fault", PRICE, nbuyers * FAULT_SHOPPERS, r->ids[1], err, errlen)) != BZ_OK)
		return rc;
	for (int b = 0; b < nbuyers; b++) {
		char tag[32];
		snprintf(tag, sizeof tag, "fault%d", b);
		for (int n = 0; n < FAULT_SHOPPERS; n++) {
			struct fault_shopper *s = &shoppers[b * FAULT_SHOPPERS + n];
			/* race_make_user leaves the token in r->tokens[n]. */
			if ((rc = race_make_user(r, r->owner, tag, n, s->user_id, err, errlen)) != BZ_OK ||
			    (rc = race_fund(r, s->user_id, 10 * PRICE, err, errlen)) != BZ_OK ||
			    (rc = race_cart_put(r->owner, r->tokens[n], r->ids[1], 1, &s->cart_version,
			                        err, errlen)) != BZ_OK)
				return rc;
			snprintf(s->token, sizeof s->token, "%s", r->tokens[n]);
		}
	}
	return BZ_OK;
}

/* A buyer: its shoppers' checkouts back to back. */
static void
fault_buy(struct race_worker *w)
{
	int failed = 0;

	for (int n = 0; n < FAULT_SHOPPERS; n++) {
		struct fault_shopper *s = &shoppers[w->index * FAULT_SHOPPERS + n];
		struct db_checkout out;
		bz_err rc;

		w->attempts = 0;
		rc = race_checkout(w, s->token, s->cart_version, NULL, CHECKOUT_WALLET, NULL, &out);
		s->requests = w->attempts;
		if (rc == BZ_OK) {
			s->ordered = true;
			snprintf(s->order_id, sizeof s->order_id, "%s", out.order_id);
			s->recovered = out.replayed || out.finished_us != 0;
		} else {
			failed++;
			snprintf(s->failure, sizeof s->failure, "ended %s after %d requests%s%.100s",
			         out.error_code ? out.error_code : bz_err_name(rc), w->attempts,
			         out.error_message ? ": " : "", out.error_message ? out.error_message : "");
		}
		db_checkout_free(&out);
		atomic_fetch_add(&finished, 1);
		if (n + 1 == FAULT_WARMUP)
			atomic_fetch_add(&warm, 1);
	}
	w->attempts = 0;
	w->ok = failed == 0;
	snprintf(w->note, sizeof w->note, "%s", w->ok ? "converged" : "did not converge");
}

/* The injector: the fault in the middle of the burst, then fresh
 * connections for the check. */
static void
fault_inject(struct race_worker *w)
{
	struct race_round *r = w->round;
	double t0, deadline = now_s() + FAULT_PATIENCE_S;
	char err[256];
	int status;

	while (atomic_load(&warm) < r->sessions - 1 && now_s() < deadline)
		sleep_ms(1);
	fault_done_before = atomic_load(&finished);
	t0 = now_s();
	status = race_fault_cmd() ? system(race_fault_cmd()) : -1;
	fault_seconds = now_s() - t0;
	fault_status = status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	/* The owner's and this worker's connections died with the server. */
	deadline = now_s() + FAULT_PATIENCE_S;
	while (db_reset(r->owner, err, sizeof err) != BZ_OK && now_s() < deadline)
		sleep_ms(100);
	if (postmaster_start(r, start_after, sizeof start_after, err, sizeof err) != BZ_OK)
		snprintf(fault_note, sizeof fault_note, "the server did not come back: %.160s", err);
	db_reset(w->conn, err, sizeof err);
	w->ok = fault_status == 0;
	snprintf(w->note, sizeof w->note, "%s", w->ok ? "injector" : "fault command failed");
}

static void
fault_fire(struct race_worker *w)
{
	if (w->index < w->round->sessions - 1)
		fault_buy(w);
	else
		fault_inject(w);
}

/* Per shopper: the database holds exactly the order the checkout was
 * told of (none if it was told of none), with exactly one debit. */
static int
fault_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	int nshoppers = (r->sessions - 1) * FAULT_SHOPPERS, bad = race_invariants(r, why, whylen);
	int ordered = 0, retried = 0, recovered = 0, wrong = 0;
	char err[256] = "", first_wrong[400] = "";

	(void)w;
	for (int i = 0; i < nshoppers; i++) {
		const struct fault_shopper *s = &shoppers[i];
		const char *p[2] = { s->user_id, s->order_id };
		struct db_request req;
		long long orders = -1, debits = -1;
		bool that_one = false;

		if (race_sql(r, &req,
		             "SELECT (SELECT count(*) FROM orders WHERE user_id = $1::uuid),"
		             "       EXISTS (SELECT 1 FROM orders WHERE user_id = $1::uuid AND id::text = $2),"
		             "       (SELECT count(*) FROM wallet_ledger l JOIN wallets x ON x.id = l.wallet_id"
		             "         WHERE x.user_id = $1::uuid AND l.amount_cents < 0)",
		             2, p, err, sizeof err) == BZ_OK) {
			orders = atoll(db_request_value(&req, 0, 0));
			that_one = strcmp(db_request_value(&req, 0, 1), "t") == 0;
			debits = atoll(db_request_value(&req, 0, 2));
		}
		db_request_free(&req);
		ordered += s->ordered;
		retried += s->requests > 1;
		recovered += s->recovered;
		if (s->ordered && orders == 1 && that_one && debits == 1)
			continue;
		if (wrong++ == 0)
			snprintf(first_wrong, sizeof first_wrong, "shopper %d of buyer %d: checkout %s; the "
			         "database has %lld orders%s and %lld debits %s", i % FAULT_SHOPPERS,
			         i / FAULT_SHOPPERS, s->ordered ? "told of an order" : s->failure, orders,
			         s->ordered && !that_one ? " (not the one told of)" : "", debits, err);
	}
	race_note(r, "round %d: fault command exit %d after %.1f s, started after %d checkouts; server "
	       "started %s, then %s", r->round, fault_status, fault_seconds, fault_done_before,
	       start_before, start_after[0] ? start_after : "(unknown)");
	race_note(r, "round %d: %d checkouts, %d ended with an order; %d retried across the outage, %d "
	       "answers lost after commit recovered by the key; %d shoppers with the wrong orders",
	       r->round, nshoppers, ordered, retried, recovered, wrong);
	/* A broken invariant says more than a count; it stays first. */
	if (wrong > 0 && bad++ == 0)
		snprintf(why, whylen, "%d of %d checkouts did not converge; first: %s", wrong, nshoppers, first_wrong);
	if (fault_status != 0 || fault_note[0] || strcmp(start_before, start_after) == 0) {
		snprintf(why, whylen, "the fault did not happen as planned: command exit %d, server start %s "
		         "then %s %s", fault_status, start_before, start_after, fault_note);
		bad++;
	} else if (retried == 0) {
		/* Nothing was in flight when the server went down: this round
		 * proved nothing. */
		snprintf(why, whylen, "no checkout was under way when the server stopped (the burst ended "
		         "before the fault)");
		bad++;
	}
	return bad;
}

static const struct race_scenario server_restart = {
	.name = "checkout_server_restart",
	.invariant = "checkouts across a server stopped -m immediate and restarted converge: one order each, one debit",
	.role = DB_ROLE_CLIENT,
	.no_naive = true,
	.explicit_only = true,
	.needs = "fault_cmd",
	.setup = fault_setup, .fire = fault_fire, .check = fault_check,
};

const struct race_scenario *const race_fault_scenarios[] = {
	&server_restart, NULL,
};
