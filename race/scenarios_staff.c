/* Attack scenarios that involve staff or more than one kind of action at
 * once: competing approvals, the cart changed while checkout runs, and
 * orders racing a promo switched off and a code voided. Workers log in as
 * the tester role, which may call both the customer and the staff API. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/api.h"
#include "race/race_util.h"

#define PRICE 1000
#define MONEY_MAX 100000000  /* a million, in cents: the most a saved case may give a price or balance */

static int count_ok(const struct race_worker *w, int n);
static bz_err make_staff(struct race_round *r, int first_slot, char *err, size_t errlen);

/* How many workers succeeded. */
static int
count_ok(const struct race_worker *w, int n)
{
	int ok = 0;
	for (int i = 0; i < n; i++)
		ok += w[i].ok;
	return ok;
}

/* A staff user with a session in every slot from FIRST_SLOT on. */
static bz_err
make_staff(struct race_round *r, int first_slot, char *err, size_t errlen)
{
	struct db_request req;
	char user[40], email[128];
	const char *p[1] = { user };
	bz_err rc = race_make_user(r, r->owner, "staff", first_slot, user, err, errlen);

	if (rc != BZ_OK)
		return rc;
	rc = race_sql(r, &req, "UPDATE users SET is_staff = true WHERE id = $1::uuid", 1, p, err, errlen);
	db_request_free(&req);
	snprintf(email, sizeof email, "staff-%s-r%d-%d@race.test", r->tag, r->round, first_slot);
	for (int i = first_slot + 1; rc == BZ_OK && i < r->sessions; i++)
		rc = race_login(r, email, i, err, errlen);
	return rc;
}

/* ---- 8. staff approving and rejecting one bank transfer at once ------ */

static bz_err
decide_setup(struct race_round *r, char *err, size_t errlen)
{
	struct race_worker setup_worker = { .conn = r->owner, .round = r };
	struct db_checkout out;
	char customer[RACE_TOKEN_MAX];
	int64_t version;
	bz_err rc;

	if ((rc = race_make_user(r, r->owner, "payer", 0, r->ids[0], err, errlen)) != BZ_OK ||
	    (rc = race_product(r, "Transfer", PRICE, 3, r->ids[1], err, errlen)) != BZ_OK ||
	    (rc = race_cart_put(r->owner, r->tokens[0], r->ids[1], 2, &version, err, errlen)) != BZ_OK)
		return rc;
	snprintf(customer, sizeof customer, "%s", r->tokens[0]);
	rc = race_checkout(&setup_worker, customer, version, NULL, CHECKOUT_BANK_TRANSFER, NULL, &out);
	if (rc == BZ_OK)
		snprintf(r->ids[2], sizeof r->ids[2], "%s", out.order_id);
	else
		snprintf(err, errlen, "the bank-transfer order was refused: %s",
		         out.error_message ? out.error_message : bz_err_name(rc));
	db_checkout_free(&out);
	if (rc != BZ_OK)
		return rc;
	return make_staff(r, 0, err, errlen);
}

static void
decide_fire(struct race_worker *w)
{
	struct race_round *r = w->round;
	struct db_decision out = { 0 };
	char err[256];
	bool approve = w->index % 2 == 0;
	bz_err rc = approve ? db_staff_approve(w->conn, r->tokens[w->index], r->ids[2], "race", &out, err, sizeof err)
	                    : db_staff_reject(w->conn, r->tokens[w->index], r->ids[2], "race", &out, err, sizeof err);

	w->started_us = out.started_us;
	w->ok = rc == BZ_OK;
	snprintf(w->note, sizeof w->note, "%s", out.outcome ? out.outcome : bz_err_name(rc));
	w->err = rc;
	db_decision_free(&out);
}

static int
decide_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->ids[2] };
	int ok = count_ok(w, r->sessions);
	int64_t decisions = race_sql_int(r, "SELECT count(*) FROM audit_log WHERE entity_id = $1 "
	                                 "AND action IN ('order.approve', 'order.reject', 'order.approved', "
	                                 "'order.rejected')", 1, p, err, sizeof err);
	int bad = race_invariants(r, why, whylen);

	if (ok != 1) {
		snprintf(why, whylen, "%d staff decisions on one order took effect (audit rows: %lld) %s",
		         ok, (long long)decisions, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario decide = {
	.name = "staff_decide",
	.invariant = "staff approving and rejecting one bank transfer at once: exactly one outcome",
	.role = DB_ROLE_TESTER,
	.setup = decide_setup, .fire = decide_fire, .check = decide_check,
};

/* ---- 9. the cart changed while checkout runs ------------------------- */

static bz_err
theft_setup(struct race_round *r, char *err, size_t errlen)
{
	char email[128];
	bz_err rc;

	if ((rc = race_make_user(r, r->owner, "thief", 0, r->ids[0], err, errlen)) != BZ_OK ||
	    (rc = race_fund(r, r->ids[0], 1000 * PRICE, err, errlen)) != BZ_OK ||
	    (rc = race_product(r, "Priced", PRICE, 5, r->ids[1], err, errlen)) != BZ_OK ||
	    (rc = race_product(r, "Extra", 20 * PRICE, 10 * r->sessions, r->ids[3], err, errlen)) != BZ_OK ||
	    (rc = race_cart_put(r->owner, r->tokens[0], r->ids[1], 1, &r->num[0], err, errlen)) != BZ_OK)
		return rc;
	snprintf(email, sizeof email, "thief-%s-r%d-0@race.test", r->tag, r->round);
	for (int i = 1; i < r->sessions; i++)
		if ((rc = race_login(r, email, i, err, errlen)) != BZ_OK)
			return rc;
	return BZ_OK;
}

static void
theft_fire(struct race_worker *w)
{
	struct race_round *r = w->round;
	char err[256];

	if (w->index == 0) {
		/* The checkout starts 0-4 ms after the cart changes, round by
		 * round, so that changes land before, during and after it: the
		 * thief's timing is not the shop's choice. */
		struct timespec lag = { 0, (long)(r->round % 5) * 1000000L };
		struct db_checkout out;
		bz_err rc;

		nanosleep(&lag, NULL);
		rc = race_checkout(w, r->tokens[0], r->num[0], NULL, CHECKOUT_WALLET, NULL, &out);
		w->ok = rc == BZ_OK;
		snprintf(w->note, sizeof w->note, "%s", w->ok ? "checkout" : out.error_code ? out.error_code : bz_err_name(rc));
		db_checkout_free(&out);
	} else {
		/* The other terminal slips more into the cart, priced or not. */
		struct db_cart_version v = { 0 };
		bz_err rc = db_cart_set(w->conn, r->tokens[w->index], r->num[0], r->ids[3], 1 + w->index % 9,
		                        &v, err, sizeof err);
		w->started_us = v.started_us;
		w->ok = rc == BZ_OK;
		snprintf(w->note, sizeof w->note, "%s", w->ok ? "cart change" : bz_err_name(rc));
	}
}

static int
theft_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[2] = { r->ids[0], r->ids[3] };
	int64_t extra_items = race_sql_int(r, "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id "
	                                   "WHERE o.user_id = $1::uuid AND i.product_id = $2::uuid", 2, p, err, sizeof err);
	int64_t extra_codes = race_sql_int(r, "SELECT count(*) FROM product_codes c JOIN orders o ON o.id = c.order_id "
	                                   "WHERE o.user_id = $1::uuid AND c.product_id = $2::uuid", 2, p, err, sizeof err);
	int64_t paid = race_sql_int(r, "SELECT coalesce(sum(total_cents), 0) FROM orders WHERE user_id = $1::uuid",
	                            1, p, err, sizeof err);
	int bad = race_invariants(r, why, whylen);

	(void)w;
	/* The checkout priced one unit of "Priced" at version num[0]: an order
	 * may hold that and nothing else, paid at that price. */
	if (extra_items != 0 || extra_codes != 0 || (paid != 0 && paid != PRICE)) {
		snprintf(why, whylen, "the order holds %lld unpriced lines and %lld unpriced codes; paid %lld "
		         "for a cart priced at %d %s", (long long)extra_items, (long long)extra_codes,
		         (long long)paid, PRICE, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario theft = {
	.name = "cart_change_during_checkout",
	.invariant = "changing the cart while checkout runs never adds unpaid goods to the order",
	.role = DB_ROLE_CLIENT,
	.setup = theft_setup, .fire = theft_fire, .check = theft_check,
};


/* ---- 4. a wallet with money for M orders, N > M at once ---------------
 * Parallel payments from one wallet need parallel orders for one
 * customer: phone orders, placed by staff through the same checkout path. */

/* wallet_overspend: money for orders_funded orders at price_cents. */
static const struct race_param_info wallet_params[] = {
	{ "orders_funded", 1, RACE_MAX_SESSIONS }, { "price_cents", 1, MONEY_MAX }, { NULL, 0, 0 },
};
/* promo_per_user_limit: plenty of money, the promo is the limit. */
static const struct race_param_info per_user_params[] = {
	{ "price_cents", 101, MONEY_MAX }, { "balance_cents", 0, MONEY_MAX }, { NULL, 0, 0 },
};

static void
wallet_choose(struct race_round *r)
{
	r->param[0] = r->sessions / 4 > 0 ? r->sessions / 4 : 1;  /* M */
	r->param[1] = PRICE;
}

static void
per_user_choose(struct race_round *r)
{
	r->param[0] = PRICE;
	r->param[1] = 100 * PRICE * r->sessions;
}

static bz_err
phone_setup(struct race_round *r, bool with_promo, int64_t price, int64_t balance, char *err, size_t errlen)
{
	bz_err rc;

	if ((rc = race_make_user(r, r->owner, "wallet", 0, r->ids[0], err, errlen)) != BZ_OK)
		return rc;
	snprintf(r->text[2], sizeof r->text[2], "wallet-%s-r%d-0@race.test", r->tag, r->round);
	/* Exactly M payments' worth (or plenty, when the promo is the limit). */
	if ((rc = race_fund(r, r->ids[0], balance, err, errlen)) != BZ_OK ||
	    (rc = race_product(r, "Phone", price, 2 * r->sessions, r->ids[1], err, errlen)) != BZ_OK)
		return rc;
	if (with_promo &&
	    (rc = race_promo(r, "ONEPERUSER", "fixed", 100, 0, 1, r->text[0], err, errlen)) != BZ_OK)
		return rc;
	return make_staff(r, 0, err, errlen);
}

static bz_err
wallet_setup(struct race_round *r, char *err, size_t errlen)
{
	r->num[1] = r->param[0];  /* M */
	return phone_setup(r, false, r->param[1], r->param[0] * r->param[1], err, errlen);
}

static bz_err
per_user_setup(struct race_round *r, char *err, size_t errlen)
{
	return phone_setup(r, true, r->param[0], r->param[1], err, errlen);
}

static void
phone_fire(struct race_worker *w)
{
	struct race_round *r = w->round;
	struct db_checkout out = { 0 };
	const char *products[1] = { r->ids[1] };
	const int quantities[1] = { 1 };
	char key[DB_UUID_SIZE], err[256];
	bz_err rc = db_new_uuid(key);

	if (rc == BZ_OK)
		rc = db_staff_checkout_for(w->conn, r->tokens[w->index], r->text[2], key, products, quantities,
		                           1, r->text[0][0] ? r->text[0] : NULL, "wallet", &out, err, sizeof err);
	w->started_us = out.started_us;
	w->ok = rc == BZ_OK;
	w->err = rc;
	snprintf(w->note, sizeof w->note, "%s", w->ok ? "paid" : out.error_code ? out.error_code : bz_err_name(rc));
	db_checkout_free(&out);
}

static int
wallet_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->ids[0] };
	int ok = count_ok(w, r->sessions);
	int64_t balance = race_sql_int(r, "SELECT balance_cents FROM wallets WHERE user_id = $1::uuid",
	                               1, p, err, sizeof err);
	int64_t orders = race_sql_int(r, "SELECT count(*) FROM orders WHERE user_id = $1::uuid "
	                              "AND status = 'fulfilled'", 1, p, err, sizeof err);
	int bad = race_invariants(r, why, whylen);

	race_note(r, "the database: money for %lld orders, %lld fulfilled, balance left %lld; %d sessions told paid",
	          (long long)r->num[1], (long long)orders, (long long)balance, ok);
	if (ok != r->num[1] || orders != r->num[1] || balance != 0) {
		snprintf(why, whylen, "money for %lld orders: %d paid, %lld fulfilled, balance left %lld %s",
		         (long long)r->num[1], ok, (long long)orders, (long long)balance, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario wallet = {
	.name = "wallet_overspend",
	.invariant = "a wallet with money for M orders pays exactly M of N parallel orders",
	.role = DB_ROLE_TESTER,
	.setup = wallet_setup, .fire = phone_fire, .check = wallet_check,
	.params = wallet_params, .choose = wallet_choose,
};

/* ---- 3. a per-user promo limit across parallel orders ----------------- */

static int
per_user_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[2] = { r->ids[0], r->text[0] };
	int64_t discounted = race_sql_int(r, "SELECT count(*) FROM orders o JOIN promo_codes pc ON pc.id = o.promo_id "
	                                  "WHERE o.user_id = $1::uuid AND pc.code = $2", 2, p, err, sizeof err);
	int64_t redemptions = race_sql_int(r, "SELECT count(*) FROM promo_redemptions pr JOIN promo_codes pc "
	                                   "ON pc.id = pr.promo_id WHERE pr.user_id = $1::uuid AND pc.code = $2",
	                                   2, p, err, sizeof err);
	int bad = race_invariants(r, why, whylen);

	(void)w;
	if (discounted != 1 || redemptions != 1) {
		snprintf(why, whylen, "a once-per-customer promo: %lld discounted orders, %lld redemptions %s",
		         (long long)discounted, (long long)redemptions, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario per_user = {
	.name = "promo_per_user_limit",
	.invariant = "a once-per-customer promo used by N parallel orders of one customer applies once",
	.role = DB_ROLE_TESTER,
	.setup = per_user_setup, .fire = phone_fire, .check = per_user_check,
	.params = per_user_params, .choose = per_user_choose,
};

/* ---- 10. orders racing a promo switched off and a code voided --------- */

static bz_err
switch_off_setup(struct race_round *r, char *err, size_t errlen)
{
	int buyers = r->sessions - 2;
	struct db_request req;
	bz_err rc;

	if ((rc = race_product(r, "SwitchOff", PRICE, buyers, r->ids[1], err, errlen)) != BZ_OK ||
	    (rc = race_promo(r, "SWITCH", "fixed", 100, 0, 0, r->text[0], err, errlen)) != BZ_OK)
		return rc;
	for (int i = 0; i < buyers; i++) {
		char user[40];
		if ((rc = race_make_user(r, r->owner, "switch", i, user, err, errlen)) != BZ_OK ||
		    (rc = race_fund(r, user, 10 * PRICE, err, errlen)) != BZ_OK ||
		    (rc = race_cart_put(r->owner, r->tokens[i], r->ids[1], 1, &r->num[0], err, errlen)) != BZ_OK)
			return rc;
	}
	/* The code staff will void: one every buyer may be about to get. */
	{
		const char *p[1] = { r->ids[1] };
		rc = race_sql(r, &req, "SELECT code FROM product_codes WHERE product_id = $1::uuid "
		              "ORDER BY created_at, id LIMIT 1", 1, p, err, errlen);
		if (rc == BZ_OK)
			snprintf(r->text[3], sizeof r->text[3], "%s", db_request_value(&req, 0, 0));
		db_request_free(&req);
		if (rc != BZ_OK)
			return rc;
	}
	return make_staff(r, buyers, err, errlen);
}

static void
switch_off_fire(struct race_worker *w)
{
	struct race_round *r = w->round;
	char err[256];
	bz_err rc;

	if (w->index < r->sessions - 2) {
		struct db_checkout out;
		rc = race_checkout(w, r->tokens[w->index], r->num[0], r->text[0], CHECKOUT_WALLET, NULL, &out);
		w->ok = rc == BZ_OK;
		snprintf(w->note, sizeof w->note, "%s", w->ok ? "bought" : out.error_code ? out.error_code : bz_err_name(rc));
		db_checkout_free(&out);
		return;
	}
	if (w->index == r->sessions - 2)
		rc = db_staff_promo_set_active(w->conn, r->tokens[w->index], r->text[0], false, err, sizeof err);
	else
		rc = db_staff_void_code(w->conn, r->tokens[w->index], r->ids[1], r->text[3], "race", err, sizeof err);
	w->ok = rc == BZ_OK;
	snprintf(w->note, sizeof w->note, "%s %s", w->index == r->sessions - 2 ? "switch-off" : "void",
	         w->ok ? "done" : bz_err_name(rc));
}

static int
switch_off_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->ids[1] };
	int64_t void_on_order = race_sql_int(r, "SELECT count(*) FROM product_codes WHERE product_id = $1::uuid "
	                                     "AND status = 'void' AND order_id IS NOT NULL", 1, p, err, sizeof err);
	int64_t voided = race_sql_int(r, "SELECT count(*) FROM product_codes WHERE product_id = $1::uuid "
	                              "AND status = 'void'", 1, p, err, sizeof err);
	int64_t sold = race_sql_int(r, "SELECT count(*) FROM product_codes WHERE product_id = $1::uuid "
	                            "AND order_id IS NOT NULL", 1, p, err, sizeof err);
	int bought = 0, bad = race_invariants(r, why, whylen);
	bool void_done = w[r->sessions - 1].ok;

	for (int i = 0; i < r->sessions - 2; i++)
		bought += w[i].ok;
	/* A voided code is on no order; every purchase holds its own code; the
	 * void took effect exactly when staff were told it did. */
	if (void_on_order != 0 || sold != bought || voided != (void_done ? 1 : 0)) {
		snprintf(why, whylen, "%lld voided codes on orders; %d purchases hold %lld codes; void said %s, "
		         "%lld codes void %s", (long long)void_on_order, bought, (long long)sold,
		         void_done ? "done" : "refused", (long long)voided, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario switch_off = {
	.name = "promo_off_code_void",
	.invariant = "orders racing a promo switch-off and a code void: no void code sold, every sale has its code",
	.role = DB_ROLE_TESTER,
	.setup = switch_off_setup, .fire = switch_off_fire, .check = switch_off_check,
};

/* ---- faults: checkout backends killed mid-flight ----------------------
 * The last worker terminates every backend running a checkout, a few
 * times over; the buyers' core/checkout machines reconnect and retry with
 * the same key (asking for the outcome when the answer was lost). Every
 * buyer must end with exactly one order. */

#define KILL_PASSES 40

static bz_err
killed_setup(struct race_round *r, char *err, size_t errlen)
{
	bz_err rc = race_product(r, "Killed", PRICE, 2 * r->sessions, r->ids[1], err, errlen);

	for (int i = 0; rc == BZ_OK && i < r->sessions - 1; i++) {
		char user[40];
		if ((rc = race_make_user(r, r->owner, "killed", i, user, err, errlen)) == BZ_OK &&
		    (rc = race_fund(r, user, 10 * PRICE, err, errlen)) == BZ_OK)
			rc = race_cart_put(r->owner, r->tokens[i], r->ids[1], 1, &r->num[0], err, errlen);
	}
	return rc;
}

static void
killed_fire(struct race_worker *w)
{
	struct race_round *r = w->round;

	if (w->index < r->sessions - 1) {
		struct db_checkout out;
		bz_err rc = race_checkout(w, r->tokens[w->index], r->num[0], NULL, CHECKOUT_WALLET, NULL, &out);
		w->ok = rc == BZ_OK;
		snprintf(w->note, sizeof w->note, "%s", w->ok ? (w->attempts > 1 ? "bought after retry" : "bought")
		         : out.error_code ? out.error_code : bz_err_name(rc));
		db_checkout_free(&out);
		return;
	}
	/* The killer, on its own (owner) connection: the owner may signal
	 * backends only as a member of pg_signal_backend (attack.test grants it). */
	for (int pass = 0; pass < KILL_PASSES; pass++) {
		char err[256];
		struct timespec ts = { 0, 3 * 1000000L };
		r->num[6] += race_sql_int(r, "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
		                          "WHERE application_name LIKE 'bazar checkout %' "
		                          "AND pid <> pg_backend_pid()) AS k WHERE k.pg_terminate_backend",
		                          0, NULL, err, sizeof err);
		nanosleep(&ts, NULL);
	}
	w->ok = true;
	snprintf(w->note, sizeof w->note, "killer");
}

static int
killed_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->ids[1] };
	int64_t bad_buyers = race_sql_int(r,
		"SELECT count(*) FROM (SELECT o.user_id FROM orders o JOIN order_items i ON i.order_id = o.id "
		"WHERE i.product_id = $1::uuid GROUP BY o.user_id HAVING count(DISTINCT o.id) <> 1) AS x",
		1, p, err, sizeof err);
	int64_t buyers = race_sql_int(r, "SELECT count(DISTINCT o.user_id) FROM orders o JOIN order_items i "
	                              "ON i.order_id = o.id WHERE i.product_id = $1::uuid", 1, p, err, sizeof err);
	int ok = 0, bad = race_invariants(r, why, whylen);

	for (int i = 0; i < r->sessions - 1; i++)
		ok += w[i].ok;
	race_note(r, "round %d: %lld checkout backends killed, %d of %d buyers converged", r->round,
	       (long long)r->num[6], ok, r->sessions - 1);
	if (bad_buyers != 0 || buyers != ok || ok != r->sessions - 1) {
		snprintf(why, whylen, "after %lld kills: %d of %d checkouts converged, %lld buyers with an order, "
		         "%lld with more than one %s", (long long)r->num[6], ok, r->sessions - 1,
		         (long long)buyers, (long long)bad_buyers, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario killed = {
	.name = "checkout_backend_killed",
	.invariant = "checkouts whose backends are killed mid-flight retry with the same key: one order each",
	.role = DB_ROLE_CLIENT,
	.no_naive = true,
	.setup = killed_setup, .fire = killed_fire, .check = killed_check,
};

const struct race_scenario *const race_staff_scenarios[] = {
	&per_user, &wallet, &decide, &theft, &switch_off, &killed, NULL,
};
