/* Shared pieces of the attack scenarios: fixtures made through the owner
 * connection, and a checkout driven by core/checkout exactly as the
 * terminal drives it (same key across retries, status query when the
 * answer was lost). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/checkout.h"
#include "db/api.h"
#include "race/race_util.h"

static bool random_bytes(void *buf, size_t len);

/* Bytes from the kernel; false when it has none to give. */
static bool
random_bytes(void *buf, size_t len)
{
	return getrandom(buf, len, 0) == (ssize_t)len;
}

bz_err
race_product(struct race_round *r, const char *tag, int64_t price_cents, int codes, char *id_out,
             char *err, size_t errlen)
{
	struct db_request req;
	char name[96], price[32], count[32];
	const char *p1[2] = { name, price };
	bz_err rc;

	snprintf(name, sizeof name, "%s %s r%d", tag, r->tag, r->round);
	snprintf(price, sizeof price, "%lld", (long long)price_cents);
	rc = race_sql(r, &req, "INSERT INTO products (name, category, price_cents) "
	              "VALUES ($1, 'Race', $2::bigint) RETURNING id", 2, p1, err, errlen);
	if (rc == BZ_OK)
		snprintf(id_out, 40, "%s", db_request_value(&req, 0, 0));
	db_request_free(&req);
	if (rc != BZ_OK || codes <= 0)
		return rc;
	snprintf(count, sizeof count, "%d", codes);
	{
		const char *p2[3] = { id_out, name, count };
		rc = race_sql(r, &req, "INSERT INTO product_codes (product_id, code) "
		              "SELECT $1::uuid, $2 || ' code ' || g FROM generate_series(1, $3::int) AS g",
		              3, p2, err, errlen);
		db_request_free(&req);
	}
	return rc;
}

bz_err
race_promo(struct race_round *r, const char *tag, const char *type, int64_t value,
           int64_t max_uses, int64_t per_user_limit, char *code_out, char *err, size_t errlen)
{
	struct db_request req;
	char value_s[32], max_s[32], per_s[32];
	const char *p[5] = { code_out, type, value_s, max_uses > 0 ? max_s : NULL,
	                     per_user_limit > 0 ? per_s : NULL };
	bz_err rc;

	snprintf(code_out, 80, "%s-%s-%d", tag, r->tag, r->round);
	snprintf(value_s, sizeof value_s, "%lld", (long long)value);
	snprintf(max_s, sizeof max_s, "%lld", (long long)max_uses);
	snprintf(per_s, sizeof per_s, "%lld", (long long)per_user_limit);
	rc = race_sql(r, &req, "INSERT INTO promo_codes (code, discount_type, discount_value, max_uses, "
	              "per_user_limit) VALUES ($1, $2, $3::bigint, $4::integer, $5::integer)",
	              5, p, err, errlen);
	db_request_free(&req);
	return rc;
}

bz_err
race_login(struct race_round *r, const char *email, int slot, char *err, size_t errlen)
{
	struct db_login_out login = { 0 };
	char request_id[DB_UUID_SIZE];
	bz_err rc = db_new_uuid(request_id);

	if (rc == BZ_OK)
		rc = db_login(r->owner, email, "race-password-1", request_id, &login, err, errlen);
	if (rc == BZ_OK)
		snprintf(r->tokens[slot], RACE_TOKEN_MAX, "%s", login.token);
	db_login_out_free(&login);
	return rc;
}

bz_err
race_fund(struct race_round *r, const char *user_id, int64_t cents, char *err, size_t errlen)
{
	struct db_request req;
	char amount[32];
	const char *p[2] = { user_id, amount };
	bz_err rc;

	snprintf(amount, sizeof amount, "%lld", (long long)cents);
	/* A wallet's balance is the sum of its ledger: fund both. */
	rc = race_sql(r, &req,
		"WITH w AS (UPDATE wallets SET balance_cents = balance_cents + $2::bigint "
		"           WHERE user_id = $1::uuid RETURNING id, balance_cents) "
		"INSERT INTO wallet_ledger (wallet_id, amount_cents, balance_after_cents, reason) "
		"SELECT id, $2::bigint, balance_cents, 'race fixture' FROM w RETURNING wallet_id",
		2, p, err, errlen);
	if (rc == BZ_OK && (req.nrows != 1)) {
		snprintf(err, errlen, "user %s has no wallet", user_id);
		rc = BZ_ERR_NOT_FOUND;
	}
	db_request_free(&req);
	return rc;
}

bz_err
race_cart_put(struct db_conn *conn, const char *token, const char *product_id, int quantity,
              int64_t *version, char *err, size_t errlen)
{
	struct db_cart cart = { 0 };
	struct db_cart_version v;
	bz_err rc = db_cart_get(conn, token, &cart, err, errlen);

	if (rc != BZ_OK)
		return rc;
	rc = db_cart_set(conn, token, cart.version, product_id, quantity, &v, err, errlen);
	db_cart_free(&cart);
	if (rc == BZ_OK)
		*version = v.version;
	return rc;
}

int
race_invariants(struct race_round *r, char *why, size_t whylen)
{
	struct db_request req;
	char err[256];
	int bad = 0;

	if (race_sql(r, &req, "SELECT check_name, ok, offending::text FROM bz_check_invariants()",
	             0, NULL, err, sizeof err) != BZ_OK) {
		snprintf(why, whylen, "bz_check_invariants failed: %s", err);
		db_request_free(&req);
		return 1;
	}
	for (int i = 0; i < req.nrows; i++)
		if (strcmp(db_request_value(&req, i, 1), "t") != 0) {
			if (bad++ == 0)
				snprintf(why, whylen, "invariant '%s' broken: %.150s", db_request_value(&req, i, 0),
				         db_request_value(&req, i, 2) ? db_request_value(&req, i, 2) : "");
		}
	db_request_free(&req);
	return bad;
}

bz_err
race_checkout(struct race_worker *w, const char *token, int64_t cart_version, const char *promo,
              enum checkout_method method, const char *fixed_key, struct db_checkout *out)
{
	struct checkout co;
	uint8_t rnd[16];
	char err[256];
	enum checkout_action act;

	memset(out, 0, sizeof *out);
	if (!random_bytes(rnd, sizeof rnd))
		return BZ_ERR_INTERNAL;
	checkout_init(&co, race_attempts());
	if (checkout_begin(&co, cart_version, promo, method, rnd, err, sizeof err) != BZ_OK)
		return BZ_ERR_INVALID_INPUT;
	if (fixed_key)
		snprintf(co.key, sizeof co.key, "%s", fixed_key);
	act = checkout_submit(&co);
	for (;;) {
		struct db_request req;
		struct checkout_result res;
		uint32_t jitter;
		bz_err rc;

		if (!random_bytes(&jitter, sizeof jitter))
			jitter = (uint32_t)w->index * 2654435761u;
		switch (act) {
		case CHECKOUT_ACT_SEND:
		case CHECKOUT_ACT_CHECK:
			if (co.reconnect)
				db_reset(w->conn, err, sizeof err);
			db_checkout_free(out);
			if (act == CHECKOUT_ACT_SEND)
				db_checkout_request(&req, token, co.key, co.cart_version,
				                    co.promo[0] ? co.promo : NULL, checkout_method_name(co.method));
			else
				db_checkout_status_request(&req, token, co.key);
			db_request_run(w->conn, &req, 30000);
			rc = act == CHECKOUT_ACT_SEND ? db_checkout_result(&req, out, err, sizeof err)
			                              : db_checkout_status_result(&req, out, err, sizeof err);
			if (act == CHECKOUT_ACT_SEND && out->started_us && !w->started_us)
				w->started_us = out->started_us;
			snprintf(w->sqlstate, sizeof w->sqlstate, "%s", req.sqlstate);
			w->attempts++;
			db_request_free(&req);
			res = db_checkout_classify(rc, out);
			act = checkout_on_result(&co, &res, jitter);
			break;
		case CHECKOUT_ACT_WAIT: {
			struct timespec ts = { co.backoff_ms / 1000, (co.backoff_ms % 1000) * 1000000L };
			if (co.reconnect)
				db_reset(w->conn, err, sizeof err);
			nanosleep(&ts, NULL);
			act = checkout_retry(&co);
			break;
		}
		case CHECKOUT_ACT_DONE:
			return BZ_OK;
		default:
			return co.err != BZ_OK ? co.err : BZ_ERR_INTERNAL;
		}
	}
}
