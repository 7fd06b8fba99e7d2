/* Attack scenarios a shopper can mount alone: promos, stock, idempotency,
 * registration, cart updates and login throttling. Each fires one action
 * from every session at once and checks the one thing that must hold. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/api.h"
#include "race/race_util.h"

#define PRICE 1000     /* cents per unit of the fixture products */
#define MONEY_MAX 100000000  /* a million, in cents: the most a saved case may give a price or balance */

static int count_ok(const struct race_worker *w, int n);

/* How many workers succeeded. */
static int
count_ok(const struct race_worker *w, int n)
{
	int ok = 0;
	for (int i = 0; i < n; i++)
		ok += w[i].ok;
	return ok;
}

/* Record a worker's failure. */
static void
worker_failed(struct race_worker *w, bz_err rc)
{
	struct db_call_info info;
	db_last_call(w->conn, &info);
	w->err = rc;
	snprintf(w->sqlstate, sizeof w->sqlstate, "%s", info.sqlstate);
}

/* A quarter of the sessions, at least one: the K of the limited scenarios. */
static int64_t
quarter(int sessions)
{
	return sessions / 4 > 0 ? sessions / 4 : 1;
}

/* ---- 1. single-use promo from N sessions of the same user ----------- */

static const struct race_param_info single_use_params[] = {
	{ "price_cents", 1, MONEY_MAX }, { "stock", 1, 10000 }, { NULL, 0, 0 },
};

static void
single_use_choose(struct race_round *r)
{
	r->param[0] = PRICE;
	r->param[1] = 5;
}

static bz_err
single_use_setup(struct race_round *r, char *err, size_t errlen)
{
	char email[128];
	bz_err rc;

	if ((rc = race_make_user(r, r->owner, "single", 0, r->ids[0], err, errlen)) != BZ_OK)
		return rc;
	snprintf(email, sizeof email, "single-%s-r%d-0@race.test", r->tag, r->round);
	for (int i = 1; i < r->sessions; i++)
		if ((rc = race_login(r, email, i, err, errlen)) != BZ_OK)
			return rc;
	if ((rc = race_product(r, "Single", r->param[0], (int)r->param[1], r->ids[1], err, errlen)) != BZ_OK ||
	    (rc = race_promo(r, "ONCE", "fixed", 100, 1, 1, r->text[0], err, errlen)) != BZ_OK)
		return rc;
	return race_cart_put(r->owner, r->tokens[0], r->ids[1], 1, &r->num[0], err, errlen);
}

static void
promo_apply_fire(struct race_worker *w)
{
	struct race_round *r = w->round;
	struct db_promo_apply out = { 0 };
	char err[256];
	bz_err rc = db_promo_apply(w->conn, r->tokens[w->index], r->text[0], r->num[0], &out, err, sizeof err);

	w->started_us = out.started_us;
	w->ok = rc == BZ_OK && out.status && strcmp(out.status, "ok") == 0;
	if (!w->ok) {
		worker_failed(w, rc);
		snprintf(w->note, sizeof w->note, "%s", out.status ? out.status : bz_err_name(rc));
	}
	db_promo_apply_free(&out);
}

/* Uses taken of the round's promo: redemptions plus live holds. */
static int64_t
promo_uses(struct race_round *r, char *err, size_t errlen)
{
	const char *p[1] = { r->text[0] };
	return race_sql_int(r,
		"SELECT (SELECT count(*) FROM promo_redemptions pr WHERE pr.promo_id = p.id)"
		"     + CASE WHEN to_regclass('promo_holds') IS NULL THEN 0 ELSE"
		"       (SELECT count(*) FROM promo_holds h WHERE h.promo_id = p.id AND h.released_at IS NULL"
		"           AND h.order_id IS NULL AND h.expires_at > now()) END"
		"  FROM promo_codes p WHERE p.code = $1", 1, p, err, errlen);
}

static int
single_use_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	int64_t uses = promo_uses(r, err, sizeof err);
	int bad = race_invariants(r, why, whylen);

	race_note(r, "the database: the promo has %lld use%s or hold%s; %d session%s told ok", (long long)uses,
	          uses == 1 ? "" : "s", uses == 1 ? "" : "s", count_ok(w, r->sessions),
	          count_ok(w, r->sessions) == 1 ? " was" : "s were");
	if (uses != 1) {
		snprintf(why, whylen, "the single-use promo shows %lld uses/holds, not 1 (%d sessions said ok) %s",
		         (long long)uses, count_ok(w, r->sessions), err);
		bad++;
	}
	return bad;
}

static const struct race_scenario single_use = {
	.name = "promo_single_use",
	.invariant = "a single-use promo applied from every session of one user is held once",
	.role = DB_ROLE_CLIENT,
	.setup = single_use_setup, .fire = promo_apply_fire, .check = single_use_check,
	.params = single_use_params, .choose = single_use_choose,
};

/* ---- 2. promo with max_uses K from N > K users ---------------------- */

static const struct race_param_info max_uses_params[] = {
	{ "max_uses", 1, RACE_MAX_SESSIONS }, { "price_cents", 1, MONEY_MAX }, { NULL, 0, 0 },
};

static void
max_uses_choose(struct race_round *r)
{
	r->param[0] = quarter(r->sessions);
	r->param[1] = PRICE;
}

static bz_err
max_uses_setup(struct race_round *r, char *err, size_t errlen)
{
	bz_err rc;

	r->num[1] = r->param[0];  /* K */
	if ((rc = race_product(r, "MaxUses", r->param[1], 5, r->ids[1], err, errlen)) != BZ_OK ||
	    (rc = race_promo(r, "KUSES", "percentage", 10, r->num[1], 0, r->text[0], err, errlen)) != BZ_OK)
		return rc;
	for (int i = 0; i < r->sessions; i++) {
		int64_t version;
		if ((rc = race_make_user(r, r->owner, "kuses", i, NULL, err, errlen)) != BZ_OK ||
		    (rc = race_cart_put(r->owner, r->tokens[i], r->ids[1], 1, &version, err, errlen)) != BZ_OK)
			return rc;
		r->num[0] = version;  /* every fresh cart has the same first version */
	}
	return BZ_OK;
}

static int
max_uses_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	int ok = count_ok(w, r->sessions);
	int64_t uses = promo_uses(r, err, sizeof err);
	int bad = race_invariants(r, why, whylen);

	if (ok != r->num[1] || uses != r->num[1]) {
		snprintf(why, whylen, "max_uses %lld: %d users got the discount, %lld uses/holds recorded %s",
		         (long long)r->num[1], ok, (long long)uses, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario max_uses = {
	.name = "promo_max_uses",
	.invariant = "a promo with max_uses K applied by N > K users is granted exactly K times",
	.role = DB_ROLE_CLIENT,
	.setup = max_uses_setup, .fire = promo_apply_fire, .check = max_uses_check,
	.params = max_uses_params, .choose = max_uses_choose,
};

/* ---- 5. N checkouts for the last K codes ----------------------------- */

static const struct race_param_info last_codes_params[] = {
	{ "codes", 1, RACE_MAX_SESSIONS }, { "price_cents", 1, MONEY_MAX },
	{ "balance_cents", 0, MONEY_MAX }, { NULL, 0, 0 },
};

static void
last_codes_choose(struct race_round *r)
{
	r->param[0] = quarter(r->sessions);
	r->param[1] = PRICE;
	r->param[2] = 10 * PRICE;
}

static bz_err
last_codes_setup(struct race_round *r, char *err, size_t errlen)
{
	bz_err rc;

	r->num[1] = r->param[0];  /* K codes */
	if ((rc = race_product(r, "LastCodes", r->param[1], (int)r->num[1], r->ids[1], err, errlen)) != BZ_OK)
		return rc;
	for (int i = 0; i < r->sessions; i++) {
		char user[40];
		if ((rc = race_make_user(r, r->owner, "last", i, user, err, errlen)) != BZ_OK ||
		    (rc = race_fund(r, user, r->param[2], err, errlen)) != BZ_OK ||
		    (rc = race_cart_put(r->owner, r->tokens[i], r->ids[1], 1, &r->num[0], err, errlen)) != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

static void
checkout_fire(struct race_worker *w)
{
	struct race_round *r = w->round;
	struct db_checkout out;
	bz_err rc = race_checkout(w, r->tokens[w->index], r->num[0], NULL, CHECKOUT_WALLET,
	                          r->text[1][0] ? r->text[1] : NULL, &out);

	w->ok = rc == BZ_OK;
	if (w->ok)
		snprintf(w->note, sizeof w->note, "%s", out.order_id);
	else {
		w->err = rc;
		snprintf(w->note, sizeof w->note, "%s", out.error_code ? out.error_code : bz_err_name(rc));
	}
	db_checkout_free(&out);
}

static int
last_codes_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->ids[1] };
	int ok = count_ok(w, r->sessions);
	int64_t sold = race_sql_int(r, "SELECT count(*) FROM product_codes WHERE product_id = $1::uuid "
	                            "AND order_id IS NOT NULL", 1, p, err, sizeof err);
	int64_t orders = race_sql_int(r, "SELECT count(DISTINCT order_id) FROM order_items "
	                              "WHERE product_id = $1::uuid", 1, p, err, sizeof err);
	int bad = race_invariants(r, why, whylen);

	race_note(r, "the database: %lld codes for sale, %lld orders, %lld codes assigned; %d checkouts told ok",
	          (long long)r->num[1], (long long)orders, (long long)sold, ok);
	if (ok != r->num[1] || sold != r->num[1] || orders != r->num[1]) {
		snprintf(why, whylen, "%lld codes: %d checkouts succeeded, %lld orders, %lld codes assigned %s",
		         (long long)r->num[1], ok, (long long)orders, (long long)sold, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario last_codes = {
	.name = "last_codes",
	.invariant = "N buyers of the last K codes make exactly K orders, no code twice",
	.role = DB_ROLE_CLIENT,
	.setup = last_codes_setup, .fire = checkout_fire, .check = last_codes_check,
	.params = last_codes_params, .choose = last_codes_choose,
};

/* ---- 6. the same idempotency key N times ------------------------------ */

static const struct race_param_info same_key_params[] = {
	{ "price_cents", 1, MONEY_MAX }, { "balance_cents", 0, MONEY_MAX }, { "quantity", 1, 100 },
	{ NULL, 0, 0 },
};

static void
same_key_choose(struct race_round *r)
{
	r->param[0] = PRICE;
	r->param[1] = 100 * PRICE;
	r->param[2] = 2;
}

static bz_err
same_key_setup(struct race_round *r, char *err, size_t errlen)
{
	char email[128];
	bz_err rc;

	if ((rc = race_make_user(r, r->owner, "samekey", 0, r->ids[0], err, errlen)) != BZ_OK ||
	    (rc = race_fund(r, r->ids[0], r->param[1], err, errlen)) != BZ_OK ||
	    (rc = race_product(r, "SameKey", r->param[0], r->sessions + 5 + (int)r->param[2], r->ids[1],
	                       err, errlen)) != BZ_OK ||
	    (rc = race_cart_put(r->owner, r->tokens[0], r->ids[1], (int)r->param[2], &r->num[0], err,
	                        errlen)) != BZ_OK ||
	    (rc = db_new_uuid(r->text[1])) != BZ_OK)
		return rc;
	/* Every session of the same shopper (a double click, a second tab). */
	snprintf(email, sizeof email, "samekey-%s-r%d-0@race.test", r->tag, r->round);
	for (int i = 1; i < r->sessions; i++)
		if ((rc = race_login(r, email, i, err, errlen)) != BZ_OK)
			return rc;
	return BZ_OK;
}

static int
same_key_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->ids[0] };
	int64_t orders = race_sql_int(r, "SELECT count(*) FROM orders WHERE user_id = $1::uuid", 1, p, err, sizeof err);
	int64_t debits = race_sql_int(r, "SELECT count(*) FROM wallet_ledger l JOIN wallets x ON x.id = l.wallet_id "
	                              "WHERE x.user_id = $1::uuid AND l.amount_cents < 0", 1, p, err, sizeof err);
	int bad = race_invariants(r, why, whylen);
	const char *first = NULL;

	for (int i = 0; i < r->sessions; i++) {
		if (!w[i].ok)
			continue;
		if (first == NULL)
			first = w[i].note;
		else if (strcmp(first, w[i].note) != 0) {
			snprintf(why, whylen, "one key answered with two orders: %s and %s", first, w[i].note);
			bad++;
			break;
		}
	}
	if (orders != 1 || debits != 1) {
		snprintf(why, whylen, "one idempotency key made %lld orders and %lld debits %s",
		         (long long)orders, (long long)debits, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario same_key = {
	.name = "same_idempotency_key",
	.invariant = "one idempotency key sent from N sessions makes one order and one debit",
	.role = DB_ROLE_CLIENT,
	.setup = same_key_setup, .fire = checkout_fire, .check = same_key_check,
	.params = same_key_params, .choose = same_key_choose,
};

/* ---- 6b. double submit as a person does it ----------------------------
 * One shopper, one session, one checkout sent twice a few milliseconds
 * apart (a double click, Enter pressed twice): the same token, cart
 * version and idempotency key on two connections, as two browser requests
 * would be. Workers 2k and 2k+1 are shopper k's two presses; the second
 * press lags 0-3 ms, varying by shopper and round. */

static char double_keys[RACE_MAX_SESSIONS][DB_UUID_SIZE];

/* lag_base: shopper k's second press lags (k + lag_base) % 4 ms. */
static const struct race_param_info double_submit_params[] = {
	{ "price_cents", 1, MONEY_MAX }, { "balance_cents", 0, MONEY_MAX }, { "lag_base", 0, 3 },
	{ NULL, 0, 0 },
};

static void
double_submit_choose(struct race_round *r)
{
	r->param[0] = PRICE;
	r->param[1] = 10 * PRICE;
	r->param[2] = r->round % 4;
}

static bz_err
double_submit_setup(struct race_round *r, char *err, size_t errlen)
{
	int shoppers = (r->sessions + 1) / 2;
	bz_err rc;

	if ((rc = race_product(r, "Double", r->param[0], 2 * shoppers + 5, r->ids[1], err, errlen)) != BZ_OK)
		return rc;
	for (int k = 0; k < shoppers; k++) {
		char user[40];
		if ((rc = race_make_user(r, r->owner, "double", k, user, err, errlen)) != BZ_OK ||
		    (rc = race_fund(r, user, r->param[1], err, errlen)) != BZ_OK ||
		    (rc = race_cart_put(r->owner, r->tokens[k], r->ids[1], 1, &r->num[0], err, errlen)) != BZ_OK ||
		    (rc = db_new_uuid(double_keys[k])) != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

static void
double_submit_fire(struct race_worker *w)
{
	struct race_round *r = w->round;
	int k = w->index / 2;
	struct db_checkout out;
	bz_err rc;

	if (w->index % 2 == 1) {
		struct timespec lag = { 0, (long)((k + r->param[2]) % 4) * 1000000L };
		nanosleep(&lag, NULL);
	}
	rc = race_checkout(w, r->tokens[k], r->num[0], NULL, CHECKOUT_WALLET, double_keys[k], &out);
	w->ok = rc == BZ_OK;
	if (w->ok)
		snprintf(w->note, sizeof w->note, "%s", out.order_id);
	else {
		w->err = rc;
		snprintf(w->note, sizeof w->note, "%s", out.error_code ? out.error_code : bz_err_name(rc));
	}
	db_checkout_free(&out);
}

static int
double_submit_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "", pattern[128];
	const char *p[1] = { pattern };
	int shoppers = (r->sessions + 1) / 2, bad = race_invariants(r, why, whylen);
	int64_t wrong_orders, wrong_debits;

	snprintf(pattern, sizeof pattern, "double-%s-r%d-%%@race.test", r->tag, r->round);
	wrong_orders = race_sql_int(r, "SELECT count(*) FROM users u WHERE u.email LIKE $1 AND "
	                            "(SELECT count(*) FROM orders o WHERE o.user_id = u.id) <> 1",
	                            1, p, err, sizeof err);
	wrong_debits = race_sql_int(r, "SELECT count(*) FROM users u WHERE u.email LIKE $1 AND "
	                            "(SELECT count(*) FROM wallet_ledger l JOIN wallets x ON x.id = l.wallet_id "
	                            " WHERE x.user_id = u.id AND l.amount_cents < 0) <> 1", 1, p, err, sizeof err);
	race_note(r, "the database: of %d shoppers who pressed twice, %lld without exactly one order, "
	          "%lld without exactly one debit", shoppers, (long long)wrong_orders, (long long)wrong_debits);
	/* Both presses are answered, with the same order. */
	for (int k = 0; k < shoppers; k++) {
		const struct race_worker *a = &w[2 * k], *b = 2 * k + 1 < r->sessions ? &w[2 * k + 1] : NULL;
		if (!a->ok || (b && (!b->ok || strcmp(a->note, b->note) != 0))) {
			snprintf(why, whylen, "shopper %d pressed twice: first %s %s, second %s %s", k,
			         a->ok ? "got" : "failed", a->note, b && b->ok ? "got" : "failed", b ? b->note : "-");
			bad++;
			break;
		}
	}
	if (wrong_orders != 0 || wrong_debits != 0) {
		snprintf(why, whylen, "%lld of %d shoppers who pressed twice do not have exactly one order, "
		         "%lld not exactly one debit %s", (long long)wrong_orders, shoppers,
		         (long long)wrong_debits, err);
		bad++;
	}
	return bad;
}

static const struct race_scenario double_submit = {
	.name = "double_submit",
	.invariant = "one checkout sent twice by the same session within milliseconds: one order, both told of it",
	.role = DB_ROLE_CLIENT,
	.setup = double_submit_setup, .fire = double_submit_fire, .check = double_submit_check,
	.params = double_submit_params, .choose = double_submit_choose,
};

/* ---- 7. the same e-mail registered N times ---------------------------- */

static bz_err
same_email_setup(struct race_round *r, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	snprintf(r->text[0], sizeof r->text[0], "twin-%s-r%d@race.test", r->tag, r->round);
	return BZ_OK;
}

static void
register_fire(struct race_worker *w)
{
	struct db_register_out out = { .started_us = 0 };
	char err[256];
	bz_err rc = db_register(w->conn, w->round->text[0], "race-password-1", "Twin", &out, err, sizeof err);

	w->started_us = out.started_us;
	w->ok = rc == BZ_OK;
	if (!w->ok)
		worker_failed(w, rc);
}

static int
same_email_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->text[0] };
	int64_t accounts = race_sql_int(r, "SELECT count(*) FROM users WHERE lower(email) = lower($1)",
	                                1, p, err, sizeof err);
	int ok = count_ok(w, r->sessions);

	if (accounts != 1 || ok != 1) {
		snprintf(why, whylen, "one e-mail registered from %d sessions: %lld accounts, %d said ok %s",
		         r->sessions, (long long)accounts, ok, err);
		return 1;
	}
	return 0;
}

static const struct race_scenario same_email = {
	.name = "same_email",
	.invariant = "the same e-mail registered from N sessions makes one account",
	.role = DB_ROLE_CLIENT,
	.setup = same_email_setup, .fire = register_fire, .check = same_email_check,
};

/* ---- 11. two or more terminals changing one cart ---------------------- */

static bz_err
cart_setup(struct race_round *r, char *err, size_t errlen)
{
	char email[128];
	bz_err rc;

	if ((rc = race_make_user(r, r->owner, "cart", 0, r->ids[0], err, errlen)) != BZ_OK)
		return rc;
	snprintf(email, sizeof email, "cart-%s-r%d-0@race.test", r->tag, r->round);
	for (int i = 1; i < r->sessions; i++)
		if ((rc = race_login(r, email, i, err, errlen)) != BZ_OK)
			return rc;
	/* The cart exists with one line before the terminals race: creating a
	 * cart row would serialise them on its key and hide the race. Each
	 * terminal then sets that line to its own quantity. */
	if ((rc = race_product(r, "CartA", PRICE, 1, r->ids[1], err, errlen)) != BZ_OK)
		return rc;
	return race_cart_put(r->owner, r->tokens[0], r->ids[1], 1, &r->num[0], err, errlen);
}

static void
cart_fire(struct race_worker *w)
{
	struct race_round *r = w->round;
	struct db_cart_version out = { 0 };
	char err[256];
	/* Every terminal changes the quantity to its own number, from the
	 * same version it saw. */
	int quantity = 1 + w->index % 9;
	bz_err rc = db_cart_set(w->conn, r->tokens[w->index], r->num[0], r->ids[1], quantity, &out,
	                        err, sizeof err);

	w->started_us = out.started_us;
	w->ok = rc == BZ_OK;
	snprintf(w->note, sizeof w->note, "%d", quantity);
	if (!w->ok) {
		worker_failed(w, rc);
		snprintf(w->note, sizeof w->note, "%s", bz_err_name(rc));
	}
}

static int
cart_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->ids[0] };
	int ok = count_ok(w, r->sessions);
	int64_t quantity = race_sql_int(r, "SELECT coalesce(sum(quantity), 0) FROM cart_lines "
	                                "WHERE user_id = $1::uuid", 1, p, err, sizeof err);
	int64_t version = race_sql_int(r, "SELECT version FROM carts WHERE user_id = $1::uuid",
	                               1, p, err, sizeof err);
	const char *winner = NULL;

	for (int i = 0; i < r->sessions; i++)
		if (w[i].ok)
			winner = w[i].note;
	if (ok != 1 || winner == NULL || quantity != atoll(winner) || version != r->num[0] + 1) {
		snprintf(why, whylen, "%d changes from version %lld were accepted; cart holds %lld at "
		         "version %lld (lost updates) %s", ok, (long long)r->num[0], (long long)quantity,
		         (long long)version, err);
		return 1;
	}
	return 0;
}

static const struct race_scenario cart = {
	.name = "cart_lost_update",
	.invariant = "N terminals changing one cart from the same version: one wins, none is lost",
	.role = DB_ROLE_CLIENT,
	.setup = cart_setup, .fire = cart_fire, .check = cart_check,
};

/* ---- 12. N wrong passwords at once ------------------------------------ */

static bz_err
throttle_setup(struct race_round *r, char *err, size_t errlen)
{
	bz_err rc = race_make_user(r, r->owner, "guess", 0, r->ids[0], err, errlen);
	snprintf(r->text[0], sizeof r->text[0], "guess-%s-r%d-0@race.test", r->tag, r->round);
	return rc;
}

static void
throttle_fire(struct race_worker *w)
{
	struct db_login_out out = { 0 };
	char err[256], request_id[DB_UUID_SIZE];
	bz_err rc = db_new_uuid(request_id);

	if (rc == BZ_OK)
		rc = db_login(w->conn, w->round->text[0], "not-the-password", request_id, &out, err, sizeof err);
	w->started_us = out.started_us;
	/* "ok" here means the guess was counted as a failure. */
	w->ok = out.status == DB_LOGIN_INVALID;
	snprintf(w->note, sizeof w->note, "%s", out.status == DB_LOGIN_THROTTLED ? "throttled" :
	         out.status == DB_LOGIN_OK ? "LOGGED IN" : out.status == DB_LOGIN_INVALID ? "invalid" :
	         bz_err_name(rc));
	db_login_out_free(&out);
}

static int
throttle_check(struct race_round *r, const struct race_worker *w, char *why, size_t whylen)
{
	char err[256] = "";
	const char *p[1] = { r->text[0] };
	int invalid = count_ok(w, r->sessions), throttled = 0;
	int64_t failures = race_sql_int(r, "SELECT coalesce(max(failures), 0) FROM login_throttle "
	                                "WHERE email_lower = lower($1)", 1, p, err, sizeof err);
	int64_t locked = race_sql_int(r, "SELECT count(*) FROM login_throttle WHERE email_lower = lower($1) "
	                              "AND locked_until > now()", 1, p, err, sizeof err);

	for (int i = 0; i < r->sessions; i++)
		throttled += strcmp(w[i].note, "throttled") == 0;
	/* Every wrong guess is counted, the throttled ones too; no more than
	 * the limit ever reach the password check; the lock engages. */
	if (failures != r->sessions || invalid + throttled != r->sessions || invalid > 5 ||
	    (r->sessions >= 5 && locked != 1)) {
		snprintf(why, whylen, "%d wrong guesses: the counter says %lld; %d were checked against the "
		         "password, %d throttled; locked=%lld %s", r->sessions, (long long)failures, invalid,
		         throttled, (long long)locked, err);
		return 1;
	}
	return 0;
}

static const struct race_scenario throttle = {
	.name = "login_throttle",
	.invariant = "N parallel wrong passwords are all counted and the throttle engages",
	.role = DB_ROLE_CLIENT,
	.setup = throttle_setup, .fire = throttle_fire, .check = throttle_check,
};

const struct race_scenario *const race_customer_scenarios[] = {
	&single_use, &max_uses, &last_codes, &same_key, &double_submit, &same_email, &cart, &throttle, NULL,
};
