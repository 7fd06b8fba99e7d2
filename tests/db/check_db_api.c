/* Smoke tests of the typed calls (db/api.h) against a migrated scratch
 * database: each call once on its happy path, and the error paths the
 * C side must map (stale cart, unknown promo, replayed and mismatched
 * idempotency keys, stored business failures, lost sessions), run as the
 * kiosk role with the owner only seeding data. Also both halves of the
 * non-blocking pair (db_X_request + poll loop + db_X_result) for one
 * call. Prints TAP. Needs DATABASE_URL (owner of a migrated database);
 * tests/shell/db_api.test provides one. */
#include "config.h"

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/uuid.h"
#include "db/api.h"
#include "db/db.h"
#include "db/request.h"
#include "tests/db/db_tap.h"

/* Seeded by seed(): ids as text. */
static char product_a[DB_UUID_SIZE];  /* "Alpha Card", 500 cents, 5 codes */
static char product_b[DB_UUID_SIZE];  /* "Beta Card", 700 cents, no codes */
/* The bank-transfer order test_bank_transfer leaves awaiting payment. */
static char bank_order[DB_UUID_SIZE];

static bool seed(struct db_conn *owner);
static void test_accounts(struct db_conn *conn, char **token);
static void test_catalog(struct db_conn *conn);
static void test_cart_promo(struct db_conn *conn, const char *token, int64_t *version);
static void test_checkout(struct db_conn *conn, struct db_conn *owner, const char *token,
                          int64_t version);
static void test_bank_transfer(struct db_conn *conn, const char *token);
static void test_nonblocking(struct db_conn *conn, const char *token);
static void test_logout(struct db_conn *conn, const char *token);
static char *staff_login(struct db_conn *owner, struct db_conn *staff);
static void test_staff_decisions(struct db_conn *staff, const char *token);
static void test_staff_money_promos(struct db_conn *staff, const char *token,
                                    struct db_conn *client, const char *alice);
static void test_staff_codes(struct db_conn *staff, const char *token);
static void test_staff_lists(struct db_conn *staff, const char *token);
static void test_invariants(struct db_conn *owner, struct db_conn *staff, const char *token);

/* Products, codes, a promo, and a cheap bcrypt for the test. */
static bool
seed(struct db_conn *owner)
{
	char *a, *b;
	bool good;

	if (sql_exec(owner, "UPDATE shop_settings SET value = '4' WHERE key = 'bcrypt_cost'", 0, NULL) != BZ_OK)
		return false;
	a = sql_value(owner, "INSERT INTO products (name, description, category, price_cents) "
	              "VALUES ('Alpha Card', 'A test card.', 'Games', 500) RETURNING id", 0, NULL);
	b = sql_value(owner, "INSERT INTO products (name, category, price_cents) "
	              "VALUES ('Beta Card', 'Games', 700) RETURNING id", 0, NULL);
	good = a && b && *a && *b;
	if (good) {
		const char *params[] = { a };

		snprintf(product_a, sizeof product_a, "%s", a);
		snprintf(product_b, sizeof product_b, "%s", b);
		good = sql_exec(owner, "INSERT INTO product_codes (product_id, code) "
		                "SELECT $1::uuid, 'ALPHA-' || g FROM generate_series(1, 5) g", 1, params) == BZ_OK &&
		       sql_exec(owner, "INSERT INTO promo_codes (code, discount_type, discount_value, max_uses) "
		                "VALUES ('SAVE10', 'percentage', 10, 5)", 0, NULL) == BZ_OK;
	}
	free(a);
	free(b);
	return good;
}

static void
test_accounts(struct db_conn *conn, char **token)
{
	struct db_register_out reg;
	struct db_login_out login, again;
	struct db_whoami who;
	char err[256], request_id[DB_UUID_SIZE];
	bz_err rc;

	rc = db_register(conn, "  Alice@Example.COM ", "correct horse", "Alice", &reg, err, sizeof err);
	ok(rc == BZ_OK && uuid_is_valid(reg.user_id) && reg.started_us > 1600000000000000LL,
	   "register: a user id and a server start time (%s: %s)", bz_err_name(rc), rc ? err : reg.user_id);
	rc = db_register(conn, "alice@example.com", "another pass", "Alice 2", &reg, err, sizeof err);
	ok(rc == BZ_ERR_CONFLICT, "the same e-mail again: conflict (%s: %s)", bz_err_name(rc), err);
	rc = db_register(conn, "not an email", "correct horse", "X", &reg, err, sizeof err);
	ok(rc == BZ_ERR_INVALID_INPUT, "a malformed e-mail: invalid input (%s)", err);

	rc = db_login(conn, "alice@example.com", "wrong password", NULL, &login, err, sizeof err);
	ok(rc == BZ_ERR_AUTH && login.status == DB_LOGIN_INVALID && login.token == NULL,
	   "a wrong password: auth, status invalid, no token (%s)", err);
	db_new_uuid(request_id);
	rc = db_login(conn, "ALICE@example.com", "correct horse", request_id, &login, err, sizeof err);
	ok(rc == BZ_OK && login.status == DB_LOGIN_OK && login.token && strlen(login.token) >= 32 &&
	   !login.is_staff && login.expires_us > login.started_us,
	   "login: a token, not staff, expiring later (%s)", rc ? err : "ok");
	rc = db_login(conn, "alice@example.com", "correct horse", request_id, &again, err, sizeof err);
	ok(rc == BZ_OK && login.token && again.token && strcmp(login.token, again.token) == 0,
	   "the same request id again: the same session token");
	db_login_out_free(&again);

	rc = db_whoami(conn, login.token, &who, err, sizeof err);
	ok(rc == BZ_OK && strcasecmp(who.email, "alice@example.com") == 0 &&
	   strcmp(who.user_id, login.user_id) == 0 && who.display_name && strcmp(who.display_name, "Alice") == 0,
	   "whoami: the trimmed e-mail and the name (%s)", rc ? err : who.email);
	db_whoami_free(&who);
	rc = db_whoami(conn, "not-a-token", &who, err, sizeof err);
	ok(rc == BZ_ERR_AUTH, "whoami with a made-up token: auth (%s)", err);
	*token = login.token;
	login.token = NULL;
}

static void
test_catalog(struct db_conn *conn)
{
	struct catalog_page first, second;
	struct db_catalog_cursor cursor;
	struct db_categories cats;
	struct db_product product;
	char err[256], missing[DB_UUID_SIZE];
	bz_err rc;

	rc = db_catalog_keyset(conn, NULL, "Games", NULL, 1, &first, err, sizeof err);
	ok(rc == BZ_OK && first.count == 1 && strcmp(first.items[0].name, "Alpha Card") == 0 &&
	   first.items[0].stock == 5 && first.items[0].price_cents == 500,
	   "catalog first page: Alpha Card, 5 in stock (%s)", rc ? err : "ok");
	if (first.count == 1) {
		cursor.category = first.items[0].category;
		cursor.name = first.items[0].name;
		cursor.id = first.items[0].id;
		rc = db_catalog_keyset(conn, NULL, "Games", &cursor, 10, &second, err, sizeof err);
		ok(rc == BZ_OK && second.count == 1 && strcmp(second.items[0].name, "Beta Card") == 0 &&
		   second.items[0].stock == 0, "the next page after the cursor: Beta Card, none in stock");
		catalog_page_free(&second);
	} else {
		ok(false, "the next page after the cursor (no first page)");
	}
	catalog_page_free(&first);
	rc = db_catalog_keyset(conn, "beta", NULL, NULL, 10, &first, err, sizeof err);
	ok(rc == BZ_OK && first.count == 1, "search 'beta': one product");
	catalog_page_free(&first);
	rc = db_catalog_keyset(conn, NULL, NULL, NULL, 0, &first, err, sizeof err);
	ok(rc == BZ_ERR_INVALID_INPUT, "limit 0: invalid input (%s)", err);

	rc = db_categories(conn, &cats, err, sizeof err);
	ok(rc == BZ_OK && cats.count == 1 && strcmp(cats.items[0].category, "Games") == 0 &&
	   cats.items[0].products == 2, "categories: Games with 2 products");
	db_categories_free(&cats);

	rc = db_product(conn, product_a, &product, err, sizeof err);
	ok(rc == BZ_OK && strcmp(product.description, "A test card.") == 0 && product.stock == 5,
	   "product: description and stock (%s)", rc ? err : "ok");
	db_product_free(&product);
	db_new_uuid(missing);
	rc = db_product(conn, missing, &product, err, sizeof err);
	ok(rc == BZ_ERR_NOT_FOUND, "an unknown product: not found (%s)", err);
	rc = db_product(conn, "not-a-uuid", &product, err, sizeof err);
	ok(rc == BZ_ERR_INVALID_INPUT, "a malformed id: invalid input (%s)", err);
}

static void
test_cart_promo(struct db_conn *conn, const char *token, int64_t *version)
{
	struct db_cart cart;
	struct db_cart_version v1, stale;
	struct db_promo_apply promo;
	char err[256];
	bz_err rc;

	rc = db_cart_get(conn, token, &cart, err, sizeof err);
	ok(rc == BZ_OK && cart.count == 0, "an empty cart: no lines, version %" PRId64, cart.version);
	*version = cart.version;
	db_cart_free(&cart);

	rc = db_cart_set(conn, token, *version, product_a, 2, &v1, err, sizeof err);
	ok(rc == BZ_OK && v1.version > *version && v1.started_us > 0,
	   "cart_set: a newer version (%" PRId64 ")", v1.version);
	rc = db_cart_set(conn, token, *version, product_a, 3, &stale, err, sizeof err);
	ok(rc == BZ_ERR_CART_CHANGED && stale.version == v1.version,
	   "a change against the old version: cart changed, current version %" PRId64 " (%s)",
	   stale.version, err);
	rc = db_cart_get(conn, token, &cart, err, sizeof err);
	ok(rc == BZ_OK && cart.count == 1 && cart.lines[0].quantity == 2 &&
	   cart.subtotal_cents == 1000 && cart.version == v1.version && cart.lines[0].available == 5,
	   "the cart holds 2 x Alpha Card, subtotal 1000");
	db_cart_free(&cart);
	*version = v1.version;

	rc = db_promo_apply(conn, token, "nope", *version, &promo, err, sizeof err);
	ok(rc == BZ_ERR_PROMO_UNAVAILABLE && promo.status && strcmp(promo.status, "unknown") == 0,
	   "an unknown promo: unavailable, status unknown (%s)", err);
	db_promo_apply_free(&promo);
	rc = db_promo_apply(conn, token, "save10", *version, &promo, err, sizeof err);
	ok(rc == BZ_OK && promo.discount_cents == 100 && promo.total_cents == 900 &&
	   promo.hold_expires_us > promo.started_us,
	   "SAVE10 on 1000: discount 100, a hold until later (%s)", rc ? err : "ok");
	db_promo_apply_free(&promo);
	rc = db_promo_apply(conn, token, "save10", *version - 1, &promo, err, sizeof err);
	ok(rc == BZ_ERR_CART_CHANGED, "applying a promo to an old cart version: cart changed");
	rc = db_promo_release(conn, token, "save10", err, sizeof err);
	ok(rc == BZ_OK, "release the hold (%s)", rc ? err : "ok");
	rc = db_promo_apply(conn, token, "save10", *version, &promo, err, sizeof err);
	ok(rc == BZ_OK, "and take it again");
	db_promo_apply_free(&promo);
}

static void
test_checkout(struct db_conn *conn, struct db_conn *owner, const char *token, int64_t version)
{
	struct db_checkout co, replay, status;
	struct db_order_list orders;
	struct db_order order;
	struct db_code_list codes;
	struct db_ledger ledger;
	struct db_call_info info;
	char err[256], key[DB_UUID_SIZE], other[DB_UUID_SIZE];
	int64_t balance = -1;
	bz_err rc;

	sql_exec(owner, "WITH w AS (UPDATE wallets SET balance_cents = balance_cents + 5000 "
	         "WHERE user_id = (SELECT id FROM users WHERE lower(email) = 'alice@example.com') "
	         "RETURNING id, balance_cents) INSERT INTO wallet_ledger (wallet_id, amount_cents, "
	         "balance_after_cents, reason) SELECT id, 5000, balance_cents, 'test top-up' FROM w",
	         0, NULL);
	db_new_uuid(key);
	rc = db_checkout(conn, token, key, version, "SAVE10", "wallet", &co, err, sizeof err);
	ok(rc == BZ_OK && uuid_is_valid(co.order_id) && co.order_status &&
	   strcmp(co.order_status, "fulfilled") == 0 && co.total_cents == 900 &&
	   co.discount_cents == 100 && co.balance_cents == 4100 && !co.replayed && co.started_us > 0,
	   "checkout by wallet: fulfilled, 900 paid, 4100 left (%s)", rc ? err : "ok");
	rc = db_checkout(conn, token, key, version, "save10", "wallet", &replay, err, sizeof err);
	ok(rc == BZ_OK && replay.replayed && strcmp(replay.order_id, co.order_id) == 0,
	   "the same key again: the stored order, replayed (%s)", rc ? err : "ok");
	db_checkout_free(&replay);
	rc = db_checkout(conn, token, key, version, "save10", "bank_transfer", &replay, err, sizeof err);
	ok(rc == BZ_ERR_IDEMPOTENCY_MISMATCH, "the same key for another request: mismatch (%s)", err);
	db_last_call(conn, &info);
	ok(strcmp(info.sqlstate, "ZB010") == 0 && info.attempts == 1,
	   "db_last_call: ZB010 after 1 attempt (%s, %d)", info.sqlstate, info.attempts);

	rc = db_checkout_status(conn, token, key, &status, err, sizeof err);
	ok(rc == BZ_OK && strcmp(status.outcome, "ok") == 0 && strcmp(status.order_id, co.order_id) == 0 &&
	   status.finished_us > 0, "checkout_status of the key: ok, that order");
	db_checkout_free(&status);
	db_new_uuid(other);
	rc = db_checkout_status(conn, token, other, &status, err, sizeof err);
	ok(rc == BZ_OK && strcmp(status.outcome, "unknown") == 0, "an unused key: unknown");
	db_checkout_free(&status);

	rc = db_my_orders(conn, token, 10, 0, &orders, err, sizeof err);
	ok(rc == BZ_OK && orders.count == 1 && strcmp(orders.items[0].order_id, co.order_id) == 0 &&
	   orders.items[0].items == 2 && orders.items[0].promo_code &&
	   strcasecmp(orders.items[0].promo_code, "SAVE10") == 0,
	   "my_orders: the order, 2 codes, SAVE10 (%s)", rc ? err : "ok");
	if (rc == BZ_OK && orders.count == 1) {
		struct db_order_list older;

		rc = db_my_orders(conn, token, 10, orders.items[0].created_us, &older, err, sizeof err);
		ok(rc == BZ_OK && older.count == 0, "the page before it is empty (keyset by epoch us)");
		db_order_list_free(&older);
	} else {
		ok(false, "the page before it is empty");
	}
	db_order_list_free(&orders);
	rc = db_my_order(conn, token, co.order_id, &order, err, sizeof err);
	ok(rc == BZ_OK && order.count == 1 && order.items[0].quantity == 2 &&
	   strcmp(order.items[0].product_name, "Alpha Card") == 0 && order.items[0].line_total_cents == 1000,
	   "my_order: 2 x Alpha Card (%s)", rc ? err : "ok");
	db_order_free(&order);
	rc = db_my_order(conn, token, other, &order, err, sizeof err);
	ok(rc == BZ_ERR_NOT_FOUND, "someone else's (or no) order: not found");
	rc = db_my_codes(conn, token, co.order_id, &codes, err, sizeof err);
	ok(rc == BZ_OK && codes.count == 2 && strncmp(codes.items[0].code, "ALPHA-", 6) == 0 &&
	   strcmp(codes.items[0].code, codes.items[1].code) != 0, "my_codes: two different codes");
	db_code_list_free(&codes);
	rc = db_my_wallet(conn, token, &balance, err, sizeof err);
	ok(rc == BZ_OK && balance == 4100, "my_wallet: 4100 (%" PRId64 ")", balance);
	rc = db_my_ledger(conn, token, 10, &ledger, err, sizeof err);
	ok(rc == BZ_OK && ledger.count == 2 && ledger.items[0].amount_cents == -900 &&
	   ledger.items[0].balance_after_cents == 4100 && strcmp(ledger.items[0].order_id, co.order_id) == 0 &&
	   ledger.items[1].order_id[0] == '\0', "my_ledger: the debit (with its order) and the top-up");
	db_ledger_free(&ledger);
	db_checkout_free(&co);

	/* A stored business failure: Beta Card has no codes. */
	{
		struct db_cart cart;
		struct db_cart_version v;

		db_cart_get(conn, token, &cart, err, sizeof err);
		db_cart_set(conn, token, cart.version, product_b, 1, &v, err, sizeof err);
		db_cart_free(&cart);
		db_new_uuid(key);
		rc = db_checkout(conn, token, key, v.version, NULL, "wallet", &co, err, sizeof err);
		ok(rc == BZ_ERR_OUT_OF_STOCK && co.error == BZ_ERR_OUT_OF_STOCK && co.outcome &&
		   strcmp(co.outcome, "failed") == 0 && co.error_code && strcmp(co.error_code, "ZB001") == 0,
		   "sold out: out_of_stock, stored as failed ZB001 (%s)", err);
		db_checkout_free(&co);
		rc = db_checkout_status(conn, token, key, &status, err, sizeof err);
		ok(rc == BZ_OK && strcmp(status.outcome, "failed") == 0 && status.error == BZ_ERR_OUT_OF_STOCK,
		   "its status: failed, out_of_stock");
		db_checkout_free(&status);
		rc = db_cart_set(conn, token, v.version, product_b, 0, &v, err, sizeof err);
		ok(rc == BZ_OK, "remove the line again");
	}
}

static void
test_bank_transfer(struct db_conn *conn, const char *token)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0 };
	struct db_cart cart;
	struct db_cart_version v;
	struct db_checkout co;
	struct db_proof proof;
	char err[256], key[DB_UUID_SIZE];
	bz_err rc;

	db_cart_get(conn, token, &cart, err, sizeof err);
	db_cart_set(conn, token, cart.version, product_a, 1, &v, err, sizeof err);
	db_cart_free(&cart);
	db_new_uuid(key);
	rc = db_checkout(conn, token, key, v.version, "", "bank_transfer", &co, err, sizeof err);
	ok(rc == BZ_OK && co.order_status && strcmp(co.order_status, "awaiting_payment") == 0,
	   "checkout by bank transfer: awaiting payment (%s)", rc ? err : "ok");
	rc = db_attach_proof(conn, token, co.order_id, "TRF-123", "receipt.png", "image/png",
	                     png, sizeof png, &proof, err, sizeof err);
	ok(rc == BZ_OK && proof.size_bytes == (int64_t)sizeof png && proof.sha256 &&
	   strlen(proof.sha256) == 64, "attach a PNG proof: size and sha256 (%s)", rc ? err : "ok");
	db_proof_free(&proof);
	rc = db_attach_proof(conn, token, co.order_id, "TRF-123", "receipt.gif", "image/png",
	                     "GIF89a", 6, &proof, err, sizeof err);
	ok(rc == BZ_ERR_INVALID_INPUT, "a GIF claiming to be PNG: invalid input (%s)", err);
	rc = db_attach_proof(conn, token, co.order_id, "TRF-124", NULL, NULL, NULL, 0, &proof, err, sizeof err);
	ok(rc == BZ_OK && proof.size_bytes == 0 && proof.sha256 == NULL,
	   "a reference without a picture (%s)", rc ? err : "ok");
	db_proof_free(&proof);
	snprintf(bank_order, sizeof bank_order, "%s", co.order_id);
	db_checkout_free(&co);
}

/* The terminal's way: build, poll, parse. */
static void
test_nonblocking(struct db_conn *conn, const char *token)
{
	struct db_request req;
	struct db_cart cart;
	char err[256];
	int spins = 0;
	bz_err rc;

	db_cart_get_request(&req, token);
	db_request_start(conn, &req);
	while (req.state == DB_REQ_SENT || req.state == DB_REQ_BUSY) {
		struct pollfd pfd = { db_request_socket(conn), db_request_events(&req), 0 };

		poll(&pfd, 1, 50);
		db_request_step(conn, &req);
		spins++;
	}
	rc = db_cart_get_result(&req, &cart, err, sizeof err);
	ok(rc == BZ_OK && spins >= 1, "cart_get through the poll loop (%d steps): %zu lines",
	   spins, cart.count);
	db_cart_free(&cart);
	db_request_free(&req);
}

static void
test_logout(struct db_conn *conn, const char *token)
{
	struct db_whoami who;
	struct db_cart cart;
	char err[256];
	bz_err rc;

	rc = db_logout(conn, token, err, sizeof err);
	ok(rc == BZ_OK, "logout (%s)", rc ? err : "ok");
	rc = db_whoami(conn, token, &who, err, sizeof err);
	ok(rc == BZ_ERR_AUTH, "after logout the session is gone: auth (%s)", err);
	rc = db_cart_get(conn, token, &cart, err, sizeof err);
	ok(rc == BZ_ERR_AUTH, "and the cart says log in again (%s)", err);
}

/* A staff account: registered like anyone, flagged by the owner. */
static char *
staff_login(struct db_conn *owner, struct db_conn *staff)
{
	struct db_register_out reg;
	struct db_login_out login;
	char err[256];
	char *token = NULL;

	if (db_register(staff, "bob@example.com", "staff password", "Bob", &reg, err, sizeof err) != BZ_OK ||
	    sql_exec(owner, "UPDATE users SET is_staff = true WHERE lower(email) = 'bob@example.com'",
	             0, NULL) != BZ_OK ||
	    db_login(staff, "bob@example.com", "staff password", NULL, &login, err, sizeof err) != BZ_OK) {
		diag("staff login: %s", err);
		return NULL;
	}
	ok(login.is_staff, "a staff login says so");
	token = login.token;
	login.token = NULL;
	return token;
}

static void
test_staff_decisions(struct db_conn *staff, const char *token)
{
	struct db_decision d;
	struct db_staff_codes codes;
	char err[256];
	bz_err rc;

	rc = db_staff_approve(staff, token, bank_order, "transfer seen", &d, err, sizeof err);
	ok(rc == BZ_OK && strcmp(d.outcome, "approved") == 0 && d.order_status &&
	   strcmp(d.order_status, "fulfilled") == 0 && d.decided_by_email &&
	   strcmp(d.decided_by_email, "bob@example.com") == 0 && d.decided_us > 0,
	   "approve: fulfilled, decided by bob (%s)", rc ? err : "ok");
	db_decision_free(&d);
	rc = db_staff_reject(staff, token, bank_order, NULL, &d, err, sizeof err);
	ok(rc == BZ_ERR_ALREADY_DECIDED && d.outcome && strcmp(d.outcome, "already_decided") == 0 &&
	   strstr(err, "bob@example.com") != NULL,
	   "a late reject: already decided, and by whom (%s)", err);
	db_decision_free(&d);
	rc = db_staff_order_codes(staff, token, bank_order, &codes, err, sizeof err);
	ok(rc == BZ_OK && codes.count == 1 && strcmp(codes.items[0].status, "sold") == 0 &&
	   strncmp(codes.items[0].code, "ALPHA-", 6) == 0, "order_codes: the one sold code (%s)",
	   rc ? err : "ok");
	db_staff_codes_free(&codes);
}

static void
test_staff_money_promos(struct db_conn *staff, const char *token, struct db_conn *client,
                        const char *alice)
{
	struct db_topup topup;
	struct db_promo_spec spec = { .code = "summer-5", .discount_type = "fixed",
	                              .discount_value = 500, .max_uses = 10 };
	struct db_promo_created created;
	struct db_promo_apply apply;
	struct db_cart cart;
	struct db_cart_version v;
	char err[256];
	bz_err rc;

	rc = db_staff_topup(staff, token, "ALICE@example.com", 1000, "goodwill", &topup, err, sizeof err);
	ok(rc == BZ_OK && uuid_is_valid(topup.ledger_id) && topup.balance_cents > 1000,
	   "top-up by e-mail: a ledger row and the new balance %" PRId64 " (%s)", topup.balance_cents,
	   rc ? err : "ok");
	rc = db_staff_topup(staff, token, "nobody@example.com", 1000, "goodwill", &topup, err, sizeof err);
	ok(rc == BZ_ERR_NOT_FOUND, "top-up of an unknown e-mail: not found (%s)", err);
	rc = db_staff_topup(client, alice, "alice@example.com", 1000, "self", &topup, err, sizeof err);
	ok(rc == BZ_ERR_PERMISSION, "the kiosk role cannot even call it: permission (%s)", err);

	rc = db_staff_promo_create(staff, token, &spec, &created, err, sizeof err);
	ok(rc == BZ_OK && strcmp(created.code, "SUMMER-5") == 0 && uuid_is_valid(created.promo_id),
	   "promo_create: stored upper-case (%s)", rc ? err : created.code);
	db_promo_created_free(&created);
	rc = db_staff_promo_create(staff, token, &spec, &created, err, sizeof err);
	ok(rc == BZ_ERR_CONFLICT, "the same code again: conflict (%s)", err);
	rc = db_staff_promo_set_active(staff, token, "Summer-5", false, err, sizeof err);
	ok(rc == BZ_OK, "switch it off (%s)", rc ? err : "ok");
	db_cart_get(client, alice, &cart, err, sizeof err);
	db_cart_set(client, alice, cart.version, product_a, 1, &v, err, sizeof err);
	rc = db_promo_apply(client, alice, "SUMMER-5", v.version, &apply, err, sizeof err);
	ok(rc == BZ_ERR_PROMO_UNAVAILABLE && apply.status && strcmp(apply.status, "inactive") == 0,
	   "a switched-off promo: unavailable, inactive (%s)", err);
	db_promo_apply_free(&apply);
	db_cart_free(&cart);
}

static void
test_staff_codes(struct db_conn *staff, const char *token)
{
	static const char *const codes[] = {
		"Q\"UOTE", "COM,MA", "{BRACE}", "BACK\\SLASH", "\\", "MIX\"\\\",{}", "NULL", "COM,MA", "",
	};
	static const char *const want[] = {
		"imported", "imported", "imported", "imported", "imported", "imported", "imported",
		"duplicate", "invalid",
	};
	size_t n = sizeof codes / sizeof codes[0];
	struct db_import imp;
	struct db_product product;
	char err[256];
	bool same = true;
	bz_err rc;

	rc = db_staff_import_codes(staff, token, product_b, codes, n, &imp, err, sizeof err);
	ok(rc == BZ_OK && imp.count == n && imp.imported == 7 && imp.duplicate == 1 && imp.invalid == 1,
	   "import: every line reported, 7 imported, 1 duplicate, 1 invalid (%s)", rc ? err : "ok");
	for (size_t i = 0; rc == BZ_OK && i < n && i < imp.count; i++)
		if (strcmp(imp.lines[i].code, codes[i]) != 0 || strcmp(imp.lines[i].result, want[i]) != 0) {
			diag("line %zu: sent [%s] want %s, got [%s] %s", i, codes[i], want[i],
			     imp.lines[i].code, imp.lines[i].result);
			same = false;
		}
	ok(rc == BZ_OK && same, "quotes, commas, braces, backslashes and \"NULL\" arrive as typed");
	db_import_free(&imp);
	rc = db_staff_import_codes(staff, token, product_b, codes, 2, &imp, err, sizeof err);
	ok(rc == BZ_OK && imp.duplicate == 2, "importing them again: duplicates, not dropped");
	db_import_free(&imp);
	rc = db_product(staff, product_b, &product, err, sizeof err);
	ok(rc == BZ_OK && product.stock == 7, "Beta Card now has 7 codes (%" PRId64 ")", product.stock);
	db_product_free(&product);

	rc = db_staff_void_code(staff, token, product_b, "{BRACE}", "leaked", err, sizeof err);
	ok(rc == BZ_OK, "void {BRACE} (%s)", rc ? err : "ok");
	rc = db_staff_void_code(staff, token, product_b, "{BRACE}", "leaked", err, sizeof err);
	ok(rc == BZ_ERR_CONFLICT && strstr(err, "void") != NULL, "voiding it again: conflict (%s)", err);
	rc = db_staff_void_code(staff, token, product_b, "NO-SUCH", NULL, err, sizeof err);
	ok(rc == BZ_ERR_NOT_FOUND, "an unknown code: not found (%s)", err);
}

static void
test_staff_lists(struct db_conn *staff, const char *token)
{
	struct db_staff_orders orders;
	struct db_customers found;
	struct db_order_changes feed, all;
	struct db_checkout co;
	const char *ids[] = { product_b };
	const int qty[] = { 2 };
	char err[256], key[DB_UUID_SIZE];
	int expired = -1;
	bz_err rc;

	rc = db_staff_orders(staff, token, NULL, 100, 0, &orders, err, sizeof err);
	ok(rc == BZ_OK && orders.count == 2 && strcmp(orders.items[orders.count - 1].order_id, bank_order) == 0 &&
	   orders.items[orders.count - 1].proofs == 2 && orders.items[orders.count - 1].decided_by_email,
	   "staff_orders: 2 orders (the sold-out attempt left none), the approved one changed last, with its 2 proofs (%s)", rc ? err : "ok");
	db_staff_orders_free(&orders);
	rc = db_staff_orders(staff, token, "awaiting_payment", 100, 0, &orders, err, sizeof err);
	ok(rc == BZ_OK && orders.count == 0, "none awaiting payment");
	db_staff_orders_free(&orders);

	rc = db_staff_find_customer(staff, token, "ALIC", &found, err, sizeof err);
	ok(rc == BZ_OK && found.count == 1 && found.items[0].orders == 2 && !found.items[0].is_staff,
	   "find_customer 'ALIC': alice, 2 orders (%s)", rc ? err : "ok");
	db_customers_free(&found);

	rc = db_staff_expire_stale(staff, token, &expired, err, sizeof err);
	ok(rc == BZ_OK && expired == 0, "expire_stale: nothing to expire (%d)", expired);

	rc = db_staff_order_changes(staff, token, -1, 100, &feed, err, sizeof err);
	ok(rc == BZ_OK && feed.count == 0 && feed.next_after > 0,
	   "the feed from now on: empty, with a cursor (%s)", rc ? err : "ok");
	db_new_uuid(key);
	rc = db_staff_checkout_for(staff, token, "alice@example.com", key, ids, qty, 1, NULL, "wallet",
	                           &co, err, sizeof err);
	ok(rc == BZ_OK && co.total_cents == 1400 && strcmp(co.order_status, "fulfilled") == 0,
	   "a phone order of 2 x Beta Card for alice: fulfilled, 1400 (%s)", rc ? err : "ok");
	/* A change shows once every older transaction has ended (the feed's
	 * horizon): an autovacuum ANALYZE may hold it back a moment. */
	for (int tries = 0; tries < 50; tries++) {
		rc = db_staff_order_changes(staff, token, feed.next_after, 100, &all, err, sizeof err);
		if (rc != BZ_OK || all.count > 0)
			break;
		db_order_changes_free(&all);
		poll(NULL, 0, 100);
	}
	/* "From now on" starts at the horizon, so a change committed just
	 * before it, while an older transaction (autovacuum) held the
	 * horizon back, may come too: at least once, never missed. */
	{
		bool seen = false;

		for (size_t i = 0; rc == BZ_OK && i < all.count; i++)
			seen = seen || strcmp(all.items[i].order_id, co.order_id) == 0;
		ok(rc == BZ_OK && seen && all.count <= 3 && all.next_after >= feed.next_after,
		   "the feed then shows that order (%zu changes)", all.count);
	}
	db_order_changes_free(&all);
	db_order_changes_free(&feed);
	db_checkout_free(&co);
	for (int tries = 0; tries < 50; tries++) {
		rc = db_staff_order_changes(staff, token, 0, 1000, &all, err, sizeof err);
		if (rc != BZ_OK || all.count >= 3)
			break;
		db_order_changes_free(&all);
		poll(NULL, 0, 100);
	}
	ok(rc == BZ_OK && all.count == 3, "the feed from 0: every order on record (%zu)", all.count);
	db_order_changes_free(&all);
}

static void
test_invariants(struct db_conn *owner, struct db_conn *staff, const char *token)
{
	struct db_invariants inv;
	char err[256];
	bz_err rc;
	bool found = false;

	rc = db_check_invariants(owner, NULL, &inv, err, sizeof err);
	ok(rc == BZ_OK && inv.count >= 7 && inv.failed == 0,
	   "bz_check_invariants as owner: %zu invariants, all hold (%s)", inv.count, rc ? err : "ok");
	for (size_t i = 0; i < inv.count; i++)
		if (!inv.items[i].ok)
			diag("broken: %s %s", inv.items[i].name,
			     inv.items[i].noffending ? inv.items[i].offending[0] : "");
	db_invariants_free(&inv);
	rc = db_check_invariants(staff, token, &inv, err, sizeof err);
	ok(rc == BZ_OK && inv.count >= 7 && inv.failed == 0, "and through the staff API");
	db_invariants_free(&inv);

	sql_exec(owner, "UPDATE wallets SET balance_cents = balance_cents + 1 WHERE user_id = "
	         "(SELECT id FROM users WHERE lower(email) = 'alice@example.com')", 0, NULL);
	rc = db_check_invariants(owner, NULL, &inv, err, sizeof err);
	for (size_t i = 0; rc == BZ_OK && i < inv.count; i++)
		if (strcmp(inv.items[i].name, "wallet_balance_equals_ledger") == 0)
			found = !inv.items[i].ok && inv.items[i].noffending == 1 &&
			        inv.items[i].offending[0][0] == '{';
	ok(rc == BZ_OK && inv.failed >= 1 && found,
	   "a wallet one cent off: wallet_balance_equals_ledger broken, with its row");
	db_invariants_free(&inv);
	sql_exec(owner, "UPDATE wallets SET balance_cents = balance_cents - 1 WHERE user_id = "
	         "(SELECT id FROM users WHERE lower(email) = 'alice@example.com')", 0, NULL);
}

int
main(void)
{
	struct db_conn *owner = NULL, *client = NULL, *staff = NULL;
	char err[512], *token = NULL, *staff_token = NULL;
	int64_t version = 0;

	if (getenv("DATABASE_URL") == NULL) {
		printf("1..0 # SKIP DATABASE_URL is not set\n");
		return 0;
	}
	if (db_connect(DB_ROLE_OWNER, "check_db_api owner", &owner, err, sizeof err) != BZ_OK ||
	    db_connect(DB_ROLE_CLIENT, "check_db_api", &client, err, sizeof err) != BZ_OK ||
	    db_connect(DB_ROLE_STAFF, "check_db_api staff", &staff, err, sizeof err) != BZ_OK) {
		printf("Bail out! cannot connect: %s\n", err);
		return 1;
	}
	if (!seed(owner)) {
		printf("Bail out! cannot seed the test database\n");
		return 1;
	}
	ok(db_check_least_privilege(client, err, sizeof err) == BZ_OK,
	   "the calls run as the kiosk role, which has no table privileges");
	test_accounts(client, &token);
	if (token == NULL) {
		printf("Bail out! no session\n");
		return 1;
	}
	test_catalog(client);
	test_cart_promo(client, token, &version);
	test_checkout(client, owner, token, version);
	test_bank_transfer(client, token);
	test_nonblocking(client, token);
	staff_token = staff_login(owner, staff);
	if (staff_token != NULL) {
		test_staff_decisions(staff, staff_token);
		test_staff_money_promos(staff, staff_token, client, token);
		test_staff_codes(staff, staff_token);
		test_staff_lists(staff, staff_token);
		test_invariants(owner, staff, staff_token);
	} else {
		ok(false, "staff login");
	}
	test_logout(client, token);
	free(token);
	free(staff_token);
	db_close(staff);
	db_close(client);
	db_close(owner);
	return tap_done();
}
