/* Typed calls over the SQL API (sql/migrations/0007..0013, docs/api.md).
 *
 * Every API function has three C functions:
 *   db_X_request(req, args...)   builds the request, for the terminal's
 *                                poll loop (db/request.h); nothing is sent;
 *   db_X_result(req, out, ...)   parses a finished request into OUT;
 *   db_X(conn, args..., out, err, errlen)
 *                                blocking: build, run (with retries where a
 *                                repeat is harmless), parse. For the
 *                                command-line tools, tests and the race lab.
 *
 * Return values: BZ_OK, or the error, with a sentence for the person in
 * ERR. For calls whose SQL function reports a business outcome in a row
 * rather than raising (login, promo apply, checkout, staff decisions),
 * the outcome is mapped to the same bz_err codes (e.g. a checkout that
 * failed for stock returns BZ_ERR_OUT_OF_STOCK) and OUT is filled as well,
 * so that the caller sees the stored details (replayed, balance...).
 * On any other error OUT owns nothing.
 *
 * Output structs own their strings (free with the matching _free, which
 * accepts a zeroed struct). Uuids are 36-character lower-case text in
 * char[DB_UUID_SIZE]; "" means none. Money is int64 cents. Times are
 * microseconds since the Unix epoch (UTC), 0 when the server sent none.
 * started_us is the server's clock_timestamp() at the function's first
 * line (the race lab's start spread).
 *
 * Function names are not schema-qualified: they resolve through the
 * session's search_path, which is how the attack suite and the race lab
 * point the same calls at the naive control (schema "naive", loaded only
 * by tests). That is safe for the shop's roles: none of them may create a
 * schema or a function, so nothing can shadow the API.
 *
 * Retries (db_call_with_retry + core/retry, at most
 * RETRY_DEFAULT_MAX_ATTEMPTS): serialization failures, deadlocks and lock
 * timeouts rolled back, so every call may run again. A lost connection
 * is reset, and the call sent again only when the repeat is harmless:
 * reads (staff reads too; a second code reveal is audited twice, which is
 * true); checkout and phone orders (same idempotency key: the server
 * replays the stored outcome); login (same request id: the same session
 * and token); register (see db_register); cart changes (a repeat of a
 * change that did commit is refused as a stale version, never applied
 * twice); promo apply/release (a user has at most one hold per promo);
 * logout; promo on/off; expire_stale; staff decisions (the repeat is told
 * "already decided", by oneself). Not replayed: top-up, promo creation,
 * code import and void, proof upload (no key: a repeat could act twice or
 * report its own work as someone else's); those return
 * BZ_ERR_CONNECTION, and the caller must look before trying again.
 * db_last_call (db/request.h) tells how many attempts ran and the last
 * SQLSTATE. */
#ifndef BAZAR_DB_API_H
#define BAZAR_DB_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/checkout.h"
#include "core/error.h"
#include "db/catalog.h"
#include "db/request.h"

struct db_conn;

#define DB_UUID_SIZE 37

/* A fresh random (v4) uuid as text: idempotency keys, login request ids.
 * BZ_ERR_IO if the kernel has no randomness to give. */
bz_err db_new_uuid(char out[DB_UUID_SIZE]);

/* A PostgreSQL text[] literal holding ITEMS exactly (every element
 * quoted, '"' and '\\' escaped), for a $n::text[] parameter. Caller
 * frees. */
char *db_text_array_literal(const char *const *items, size_t count);

/* ---- Accounts (0007) ------------------------------------------------ */

struct db_register_out {
	char user_id[DB_UUID_SIZE];
	int64_t started_us;
};

/* api_register. BZ_ERR_CONFLICT: the e-mail is taken. When that answer
 * comes on a retry after a lost connection, the account may well be the
 * one our own first attempt created: ERR then says so and suggests
 * logging in (the password decides). */
void db_register_request(struct db_request *req, const char *email, const char *password,
                         const char *display_name);
bz_err db_register_result(const struct db_request *req, struct db_register_out *out,
                          char *err, size_t errlen);
bz_err db_register(struct db_conn *conn, const char *email, const char *password,
                   const char *display_name, struct db_register_out *out, char *err, size_t errlen);

enum db_login_status {
	DB_LOGIN_OK,
	DB_LOGIN_INVALID,    /* wrong e-mail or password (indistinguishable) */
	DB_LOGIN_THROTTLED,  /* too many failures: refused for a while */
};

struct db_login_out {
	enum db_login_status status;
	char *token;            /* owned; the session secret: never log it. NULL unless OK */
	char user_id[DB_UUID_SIZE];
	bool is_staff;
	int64_t expires_us;
	int64_t started_us;
};

/* api_login with REQUEST_ID (a uuid the caller keeps for this submit:
 * a double submit or a retry yields the same session and token).
 * db_login makes one when REQUEST_ID is NULL or "". BZ_OK only for
 * status OK; BZ_ERR_AUTH for INVALID, BZ_ERR_THROTTLED for THROTTLED
 * (OUT->status says which in every case). */
void db_login_request(struct db_request *req, const char *email, const char *password,
                      const char *request_id);
bz_err db_login_result(const struct db_request *req, struct db_login_out *out,
                       char *err, size_t errlen);
bz_err db_login(struct db_conn *conn, const char *email, const char *password,
                const char *request_id, struct db_login_out *out, char *err, size_t errlen);
/* Frees the token after overwriting it. */
void db_login_out_free(struct db_login_out *out);

/* api_logout: ends this session only. */
void db_logout_request(struct db_request *req, const char *token);
bz_err db_logout_result(const struct db_request *req, char *err, size_t errlen);
bz_err db_logout(struct db_conn *conn, const char *token, char *err, size_t errlen);

struct db_whoami {
	char user_id[DB_UUID_SIZE];
	char *email;
	char *display_name;
	bool is_staff;
	int64_t expires_us;
};

/* api_whoami. BZ_ERR_AUTH when the session is unknown, expired or revoked. */
void db_whoami_request(struct db_request *req, const char *token);
bz_err db_whoami_result(const struct db_request *req, struct db_whoami *out, char *err, size_t errlen);
bz_err db_whoami(struct db_conn *conn, const char *token, struct db_whoami *out,
                 char *err, size_t errlen);
void db_whoami_free(struct db_whoami *out);

/* ---- Cart (0008) ---------------------------------------------------- */

struct db_cart_line {
	char product_id[DB_UUID_SIZE];
	char *name;
	char *category;
	int64_t unit_price_cents;
	int quantity;
	int64_t line_total_cents;
	int64_t available;      /* codes in stock right now */
	bool is_active;         /* still on sale */
};

struct db_cart {
	int64_t version;
	struct db_cart_line *lines;   /* owned */
	size_t count;
	int64_t subtotal_cents;       /* sum of the line totals */
};

/* api_cart_get: the server-side cart, with its version. */
void db_cart_get_request(struct db_request *req, const char *token);
bz_err db_cart_get_result(const struct db_request *req, struct db_cart *out, char *err, size_t errlen);
bz_err db_cart_get(struct db_conn *conn, const char *token, struct db_cart *out,
                   char *err, size_t errlen);
void db_cart_free(struct db_cart *cart);

struct db_cart_version {
	int64_t version;     /* the new version; after BZ_ERR_CART_CHANGED, the current one (-1 if unknown) */
	int64_t started_us;
};

/* api_cart_set: QUANTITY of PRODUCT_ID (0 removes the line) against
 * EXPECTED_VERSION. BZ_ERR_CART_CHANGED: someone changed the cart first;
 * OUT->version is then the current version: reload and show the cart. */
void db_cart_set_request(struct db_request *req, const char *token, int64_t expected_version,
                         const char *product_id, int quantity);
bz_err db_cart_set_result(const struct db_request *req, struct db_cart_version *out,
                          char *err, size_t errlen);
bz_err db_cart_set(struct db_conn *conn, const char *token, int64_t expected_version,
                   const char *product_id, int quantity, struct db_cart_version *out,
                   char *err, size_t errlen);

/* api_cart_clear, likewise. */
void db_cart_clear_request(struct db_request *req, const char *token, int64_t expected_version);
bz_err db_cart_clear_result(const struct db_request *req, struct db_cart_version *out,
                            char *err, size_t errlen);
bz_err db_cart_clear(struct db_conn *conn, const char *token, int64_t expected_version,
                     struct db_cart_version *out, char *err, size_t errlen);

/* ---- Catalog (0008) ------------------------------------------------- */

/* Where the previous page ended: its last item's category, name and id.
 * A zeroed cursor (or NULL) asks for the first page. */
struct db_catalog_cursor {
	const char *category;
	const char *name;
	const char *id;
};

/* api_catalog_page: active products ordered by (category, name, id),
 * after CURSOR, optionally filtered by SEARCH (name or category contains)
 * and CATEGORY (exact); LIMIT 1..500. The page reuses db/catalog.h's
 * struct (free with catalog_page_free); the next cursor is the last
 * item's category, name and id. */
void db_catalog_keyset_request(struct db_request *req, const char *search, const char *category,
                               const struct db_catalog_cursor *after, int limit);
bz_err db_catalog_keyset_result(const struct db_request *req, struct catalog_page *out,
                                char *err, size_t errlen);
bz_err db_catalog_keyset(struct db_conn *conn, const char *search, const char *category,
                         const struct db_catalog_cursor *after, int limit,
                         struct catalog_page *out, char *err, size_t errlen);

struct db_category {
	char *category;
	int64_t products;
};

struct db_categories {
	struct db_category *items;
	size_t count;
};

/* api_categories. */
void db_categories_request(struct db_request *req);
bz_err db_categories_result(const struct db_request *req, struct db_categories *out,
                            char *err, size_t errlen);
bz_err db_categories(struct db_conn *conn, struct db_categories *out, char *err, size_t errlen);
void db_categories_free(struct db_categories *out);

struct db_product {
	char id[DB_UUID_SIZE];
	char *name;
	char *description;
	char *category;
	int64_t price_cents;
	int64_t stock;
};

/* api_product. BZ_ERR_NOT_FOUND when it does not exist or is withdrawn. */
void db_product_request(struct db_request *req, const char *product_id);
bz_err db_product_result(const struct db_request *req, struct db_product *out,
                         char *err, size_t errlen);
bz_err db_product(struct db_conn *conn, const char *product_id, struct db_product *out,
                  char *err, size_t errlen);
void db_product_free(struct db_product *out);

/* ---- Promo holds (0009) --------------------------------------------- */

struct db_promo_apply {
	char *status;          /* "ok", "unknown", "inactive", "not_started", "expired",
	                          "min_order", "already_used", "used_up", "hold_limit" */
	char *message;         /* the shopper's sentence */
	char *promo_code;      /* NULL unless ok */
	int64_t discount_cents;
	int64_t subtotal_cents;
	int64_t total_cents;
	int64_t hold_expires_us;
	int64_t started_us;
};

/* api_promo_apply: validate CODE against the cart at CART_VERSION and
 * hold one use. BZ_OK for "ok"; BZ_ERR_LIMIT_REACHED for "hold_limit";
 * BZ_ERR_PROMO_UNAVAILABLE for the other reasons (ERR = the server's
 * sentence, OUT filled); BZ_ERR_CART_CHANGED for a stale version. */
void db_promo_apply_request(struct db_request *req, const char *token, const char *code,
                            int64_t cart_version);
bz_err db_promo_apply_result(const struct db_request *req, struct db_promo_apply *out,
                             char *err, size_t errlen);
bz_err db_promo_apply(struct db_conn *conn, const char *token, const char *code,
                      int64_t cart_version, struct db_promo_apply *out, char *err, size_t errlen);
void db_promo_apply_free(struct db_promo_apply *out);

/* api_promo_release: give this user's live hold on CODE back. */
void db_promo_release_request(struct db_request *req, const char *token, const char *code);
bz_err db_promo_release_result(const struct db_request *req, char *err, size_t errlen);
bz_err db_promo_release(struct db_conn *conn, const char *token, const char *code,
                        char *err, size_t errlen);

/* ---- Checkout (0010) ------------------------------------------------ */

struct db_checkout {
	char *outcome;            /* "ok" or "failed"; checkout_status also "unknown" */
	bz_err error;             /* a "failed" outcome's reason (BZ_OK otherwise) */
	char order_id[DB_UUID_SIZE];
	char *order_status;       /* NULL without an order */
	int64_t subtotal_cents;
	int64_t discount_cents;
	int64_t total_cents;
	int64_t balance_cents;    /* wallet balance after it (or at the failure) */
	char *error_code;         /* SQLSTATE of the stored failure, NULL when ok */
	char *error_message;      /* the shopper's sentence for it */
	bool replayed;            /* checkout: the stored outcome of an earlier call */
	int64_t started_us;       /* checkout: when this call started on the server */
	int64_t finished_us;      /* checkout_status: when the attempt finished */
};

/* api_checkout: order the cart priced at CART_VERSION, with PROMO_CODE
 * (NULL or "" for none) and PAYMENT_METHOD ("wallet" or
 * "bank_transfer", see checkout_method_name), under IDEMPOTENCY_KEY (a
 * uuid kept for the whole attempt: see core/checkout.h). BZ_OK for
 * outcome "ok". A stored business failure returns its error
 * (BZ_ERR_OUT_OF_STOCK, _PROMO_UNAVAILABLE, _INSUFFICIENT_FUNDS,
 * _CART_CHANGED, _LIMIT_REACHED) with ERR = the server's sentence and OUT
 * filled (replayed, balance). Raised errors: BZ_ERR_AUTH (session),
 * BZ_ERR_INVALID_INPUT, BZ_ERR_IDEMPOTENCY_MISMATCH (same key, different
 * request). db_checkout retries, with the same key, after transient
 * errors and lost connections. */
void db_checkout_request(struct db_request *req, const char *token, const char *idempotency_key,
                         int64_t cart_version, const char *promo_code, const char *payment_method);
bz_err db_checkout_result(const struct db_request *req, struct db_checkout *out,
                          char *err, size_t errlen);
bz_err db_checkout(struct db_conn *conn, const char *token, const char *idempotency_key,
                   int64_t cart_version, const char *promo_code, const char *payment_method,
                   struct db_checkout *out, char *err, size_t errlen);
void db_checkout_free(struct db_checkout *out);

/* api_checkout_status: what became of the attempt under IDEMPOTENCY_KEY
 * (after a cancelled or unanswered Pay). BZ_OK whenever the question was
 * answered; OUT->outcome is "ok", "failed" (OUT->error says why) or
 * "unknown" (nothing committed under the key: sending the checkout again
 * with it is safe). */
void db_checkout_status_request(struct db_request *req, const char *token,
                                const char *idempotency_key);
bz_err db_checkout_status_result(const struct db_request *req, struct db_checkout *out,
                                 char *err, size_t errlen);
bz_err db_checkout_status(struct db_conn *conn, const char *token, const char *idempotency_key,
                          struct db_checkout *out, char *err, size_t errlen);

/* The answer to a finished api_checkout or api_checkout_status (RC from
 * db_checkout_result / db_checkout_status_result, OUT as filled) as the
 * checkout state machine takes it: the one mapping the terminal and the
 * race lab share. */
struct checkout_result db_checkout_classify(bz_err rc, const struct db_checkout *out);

struct db_proof {
	char proof_id[DB_UUID_SIZE];
	int64_t size_bytes;
	char *sha256;             /* hex; NULL for a reference without a picture */
	int64_t started_us;
};

/* api_attach_proof: the transfer REFERENCE and optionally a picture
 * (IMAGE of IMAGE_LEN bytes, PNG or JPEG, sent as binary bytea; NULL for
 * none) for one's own order awaiting payment. Not replayed after a lost
 * connection (it would store the proof twice). */
void db_attach_proof_request(struct db_request *req, const char *token, const char *order_id,
                             const char *reference, const char *file_name,
                             const char *content_type, const void *image, size_t image_len);
bz_err db_attach_proof_result(const struct db_request *req, struct db_proof *out,
                              char *err, size_t errlen);
bz_err db_attach_proof(struct db_conn *conn, const char *token, const char *order_id,
                       const char *reference, const char *file_name, const char *content_type,
                       const void *image, size_t image_len, struct db_proof *out,
                       char *err, size_t errlen);
void db_proof_free(struct db_proof *out);

/* ---- Customer reads (0010) ------------------------------------------ */

struct db_order_summary {
	char order_id[DB_UUID_SIZE];
	char *status;
	char *payment_method;
	int64_t subtotal_cents;
	int64_t discount_cents;
	int64_t total_cents;
	char *promo_code;         /* NULL without a promo */
	int64_t items;            /* codes ordered */
	int64_t created_us;
	int64_t expires_us;       /* bank transfers: when an unpaid order lapses; else 0 */
};

struct db_order_list {
	struct db_order_summary *items;
	size_t count;
};

/* api_my_orders: newest first, LIMIT 1..100, created before BEFORE_US
 * (0: from the newest; the next page passes the last created_us). */
void db_my_orders_request(struct db_request *req, const char *token, int limit, int64_t before_us);
bz_err db_my_orders_result(const struct db_request *req, struct db_order_list *out,
                           char *err, size_t errlen);
bz_err db_my_orders(struct db_conn *conn, const char *token, int limit, int64_t before_us,
                    struct db_order_list *out, char *err, size_t errlen);
void db_order_list_free(struct db_order_list *out);

struct db_order_item {
	char product_id[DB_UUID_SIZE];
	char *product_name;
	int64_t quantity;
	int64_t unit_price_cents;
	int64_t line_total_cents;
};

struct db_order {
	char order_id[DB_UUID_SIZE];
	char *status;
	char *payment_method;
	int64_t total_cents;
	int64_t created_us;
	int64_t expires_us;
	struct db_order_item *items;
	size_t count;
};

/* api_my_order: one of one's orders with its items; BZ_ERR_NOT_FOUND
 * when it is not one's own. */
void db_my_order_request(struct db_request *req, const char *token, const char *order_id);
bz_err db_my_order_result(const struct db_request *req, struct db_order *out,
                          char *err, size_t errlen);
bz_err db_my_order(struct db_conn *conn, const char *token, const char *order_id,
                   struct db_order *out, char *err, size_t errlen);
void db_order_free(struct db_order *out);

struct db_order_info {
	char order_id[DB_UUID_SIZE];
	char *status;
	char *payment_method;
	int64_t subtotal_cents;
	int64_t discount_cents;
	int64_t total_cents;
	char *promo_code;         /* NULL without a promo */
	int64_t created_us;
	int64_t expires_us;       /* unpaid bank transfers: when it lapses; else 0 */
	int64_t decided_us;       /* when staff approved or rejected it; else 0 */
	char *decision_reason;    /* NULL when none */
	char *payment_reference;  /* what a bank transfer must carry: "BZ-1A2B3C4D5E6F" */
	char *account_holder;     /* the shop's bank account: bank transfers only, */
	char *iban;               /* and NULL when the shop has none configured */
	char *bic;
	char *bank_name;
	int64_t proofs;           /* transfer proofs attached */
};

/* api_my_order_info (0013): the head of one of one's orders;
 * BZ_ERR_NOT_FOUND when it is not one's own. */
void db_my_order_info_request(struct db_request *req, const char *token, const char *order_id);
bz_err db_my_order_info_result(const struct db_request *req, struct db_order_info *out,
                               char *err, size_t errlen);
bz_err db_my_order_info(struct db_conn *conn, const char *token, const char *order_id,
                        struct db_order_info *out, char *err, size_t errlen);
void db_order_info_free(struct db_order_info *out);

struct db_code {
	char order_id[DB_UUID_SIZE];
	char product_id[DB_UUID_SIZE];
	char *product_name;
	char *code;               /* the secret the shopper paid for */
	int64_t sold_us;
};

struct db_code_list {
	struct db_code *items;
	size_t count;
};

/* api_my_codes: the codes of one's fulfilled orders (ORDER_ID NULL or
 * "") or of one of them. */
void db_my_codes_request(struct db_request *req, const char *token, const char *order_id);
bz_err db_my_codes_result(const struct db_request *req, struct db_code_list *out,
                          char *err, size_t errlen);
bz_err db_my_codes(struct db_conn *conn, const char *token, const char *order_id,
                   struct db_code_list *out, char *err, size_t errlen);
void db_code_list_free(struct db_code_list *out);

/* api_my_wallet: the balance (0 without a wallet). */
void db_my_wallet_request(struct db_request *req, const char *token);
bz_err db_my_wallet_result(const struct db_request *req, int64_t *balance_cents,
                           char *err, size_t errlen);
bz_err db_my_wallet(struct db_conn *conn, const char *token, int64_t *balance_cents,
                    char *err, size_t errlen);

struct db_ledger_entry {
	char entry_id[DB_UUID_SIZE];
	int64_t amount_cents;         /* + top-up or refund, - payment */
	int64_t balance_after_cents;
	char *reason;
	char order_id[DB_UUID_SIZE];  /* "" when not about an order */
	int64_t created_us;
};

struct db_ledger {
	struct db_ledger_entry *items;
	size_t count;
};

/* api_my_ledger: newest first, LIMIT 1..500. */
void db_my_ledger_request(struct db_request *req, const char *token, int limit);
bz_err db_my_ledger_result(const struct db_request *req, struct db_ledger *out,
                           char *err, size_t errlen);
bz_err db_my_ledger(struct db_conn *conn, const char *token, int limit, struct db_ledger *out,
                    char *err, size_t errlen);
void db_ledger_free(struct db_ledger *out);

/* ---- Staff (0011, 0012) --------------------------------------------- */

struct db_decision {
	char *outcome;            /* "approved", "rejected", "already_decided", "expired" */
	char *order_status;
	char *decided_by_email;   /* who decided (NULL for an expiry) */
	int64_t decided_us;
	int64_t started_us;
};

/* api_staff_approve / api_staff_reject a bank-transfer order, with an
 * optional REASON. BZ_OK when this call decided it; BZ_ERR_ALREADY_DECIDED
 * when someone else had (ERR names who and when; OUT filled) or it had
 * expired. Replayed after a lost connection: a decision that did commit
 * comes back as already decided, by oneself. */
void db_staff_decide_request(struct db_request *req, const char *token, const char *order_id,
                             bool approve, const char *reason);
bz_err db_staff_decide_result(const struct db_request *req, struct db_decision *out,
                              char *err, size_t errlen);
bz_err db_staff_approve(struct db_conn *conn, const char *token, const char *order_id,
                        const char *reason, struct db_decision *out, char *err, size_t errlen);
bz_err db_staff_reject(struct db_conn *conn, const char *token, const char *order_id,
                       const char *reason, struct db_decision *out, char *err, size_t errlen);
void db_decision_free(struct db_decision *out);

struct db_topup {
	char user_id[DB_UUID_SIZE];
	int64_t balance_cents;    /* after the top-up */
	char ledger_id[DB_UUID_SIZE];
	int64_t started_us;
};

/* api_staff_topup: credit AMOUNT_CENTS to the wallet of USER_EMAIL. Not
 * replayed after a lost connection (it would credit twice): check the
 * customer's ledger first. */
void db_staff_topup_request(struct db_request *req, const char *token, const char *user_email,
                            int64_t amount_cents, const char *reason);
bz_err db_staff_topup_result(const struct db_request *req, struct db_topup *out,
                             char *err, size_t errlen);
bz_err db_staff_topup(struct db_conn *conn, const char *token, const char *user_email,
                      int64_t amount_cents, const char *reason, struct db_topup *out,
                      char *err, size_t errlen);

/* A new promo; 0 in max_uses, per_user_limit, valid_from_us or
 * valid_until_us means "none" (unlimited, always). */
struct db_promo_spec {
	const char *code;
	const char *discount_type;    /* "percentage" or "fixed" */
	int64_t discount_value;       /* percent 1..100, or cents */
	int64_t min_order_cents;
	int64_t max_uses;
	int64_t per_user_limit;
	int64_t valid_from_us;
	int64_t valid_until_us;
};

struct db_promo_created {
	char promo_id[DB_UUID_SIZE];
	char *code;                   /* as stored (upper case) */
	int64_t started_us;
};

/* api_staff_promo_create. BZ_ERR_CONFLICT when the code exists. */
void db_staff_promo_create_request(struct db_request *req, const char *token,
                                   const struct db_promo_spec *spec);
bz_err db_staff_promo_create_result(const struct db_request *req, struct db_promo_created *out,
                                    char *err, size_t errlen);
bz_err db_staff_promo_create(struct db_conn *conn, const char *token, const struct db_promo_spec *spec,
                             struct db_promo_created *out, char *err, size_t errlen);
void db_promo_created_free(struct db_promo_created *out);

/* api_staff_promo_set_active: switch CODE on or off. */
void db_staff_promo_set_active_request(struct db_request *req, const char *token, const char *code,
                                       bool active);
bz_err db_staff_promo_set_active_result(const struct db_request *req, char *err, size_t errlen);
bz_err db_staff_promo_set_active(struct db_conn *conn, const char *token, const char *code,
                                 bool active, char *err, size_t errlen);

struct db_import_line {
	char *code;               /* as the server kept it (trimmed) */
	char *result;             /* "imported", "duplicate", "invalid" */
};

struct db_import {
	struct db_import_line *lines;   /* one per input line, in order */
	size_t count;
	size_t imported, duplicate, invalid;
};

/* api_staff_import_codes: COUNT codes for PRODUCT_ID, sent as one text[]
 * (db_text_array_literal: any character survives). Not replayed after a
 * lost connection (the repeat would report its own codes as duplicates). */
void db_staff_import_codes_request(struct db_request *req, const char *token,
                                   const char *product_id, const char *const *codes, size_t count);
bz_err db_staff_import_codes_result(const struct db_request *req, struct db_import *out,
                                    char *err, size_t errlen);
bz_err db_staff_import_codes(struct db_conn *conn, const char *token, const char *product_id,
                             const char *const *codes, size_t count, struct db_import *out,
                             char *err, size_t errlen);
void db_import_free(struct db_import *out);

/* api_staff_void_code: take one available code of PRODUCT_ID off sale.
 * BZ_ERR_CONFLICT when it is sold, reserved or void already (ERR says
 * which); BZ_ERR_NOT_FOUND when the product has no such code. */
void db_staff_void_code_request(struct db_request *req, const char *token, const char *product_id,
                                const char *code, const char *reason);
bz_err db_staff_void_code_result(const struct db_request *req, char *err, size_t errlen);
bz_err db_staff_void_code(struct db_conn *conn, const char *token, const char *product_id,
                          const char *code, const char *reason, char *err, size_t errlen);

struct db_staff_order {
	char order_id[DB_UUID_SIZE];
	int64_t change_seq;       /* the next page starts after the last one */
	char *status;
	char *customer_email;
	char *payment_method;
	int64_t total_cents;
	int64_t items;
	int64_t proofs;
	int64_t created_us;
	int64_t expires_us;
	char *decided_by_email;   /* NULL when undecided */
	int64_t decided_us;
	char *decision_reason;    /* NULL when none */
};

struct db_staff_orders {
	struct db_staff_order *items;
	size_t count;
};

/* api_staff_orders: orders of STATUS (NULL or "": all), oldest change
 * first, after AFTER_SEQ (0 from the start), LIMIT 1..500. */
void db_staff_orders_request(struct db_request *req, const char *token, const char *status,
                             int limit, int64_t after_seq);
bz_err db_staff_orders_result(const struct db_request *req, struct db_staff_orders *out,
                              char *err, size_t errlen);
bz_err db_staff_orders(struct db_conn *conn, const char *token, const char *status, int limit,
                       int64_t after_seq, struct db_staff_orders *out, char *err, size_t errlen);
void db_staff_orders_free(struct db_staff_orders *out);

struct db_customer {
	char user_id[DB_UUID_SIZE];
	char *email;
	char *display_name;
	bool is_staff;
	int64_t balance_cents;
	int64_t orders;
	int64_t created_us;
};

struct db_customers {
	struct db_customer *items;
	size_t count;
};

/* api_staff_find_customer: e-mail or name containing QUERY (2..100
 * characters), at most 50. */
void db_staff_find_customer_request(struct db_request *req, const char *token, const char *query);
bz_err db_staff_find_customer_result(const struct db_request *req, struct db_customers *out,
                                     char *err, size_t errlen);
bz_err db_staff_find_customer(struct db_conn *conn, const char *token, const char *query,
                              struct db_customers *out, char *err, size_t errlen);
void db_customers_free(struct db_customers *out);

struct db_staff_code {
	char code_id[DB_UUID_SIZE];
	char product_id[DB_UUID_SIZE];
	char *product_name;
	char *code;
	char *status;             /* "sold" or "reserved" */
};

struct db_staff_codes {
	struct db_staff_code *items;
	size_t count;
};

/* api_staff_order_codes: reveal an order's codes (audited on the server). */
void db_staff_order_codes_request(struct db_request *req, const char *token, const char *order_id);
bz_err db_staff_order_codes_result(const struct db_request *req, struct db_staff_codes *out,
                                   char *err, size_t errlen);
bz_err db_staff_order_codes(struct db_conn *conn, const char *token, const char *order_id,
                            struct db_staff_codes *out, char *err, size_t errlen);
void db_staff_codes_free(struct db_staff_codes *out);

/* api_staff_expire_stale: lapse every unpaid order past its time; the
 * number expired in *EXPIRED. Safe to repeat. */
void db_staff_expire_stale_request(struct db_request *req, const char *token);
bz_err db_staff_expire_stale_result(const struct db_request *req, int *expired,
                                    char *err, size_t errlen);
bz_err db_staff_expire_stale(struct db_conn *conn, const char *token, int *expired,
                             char *err, size_t errlen);

struct db_order_change {
	char order_id[DB_UUID_SIZE];
	char *status;
	int64_t change_seq;
	int64_t changed_us;
};

struct db_order_changes {
	struct db_order_change *items;  /* oldest change first; may be empty */
	size_t count;
	int64_t next_after;             /* pass as AFTER next time */
};

/* api_staff_order_changes: the live feed, polled. AFTER -1 on the first
 * call ("from now on"), 0 for everything on record, else the previous
 * answer's next_after. LIMIT 1..1000. */
void db_staff_order_changes_request(struct db_request *req, const char *token, int64_t after,
                                    int limit);
bz_err db_staff_order_changes_result(const struct db_request *req, struct db_order_changes *out,
                                     char *err, size_t errlen);
bz_err db_staff_order_changes(struct db_conn *conn, const char *token, int64_t after, int limit,
                              struct db_order_changes *out, char *err, size_t errlen);
void db_order_changes_free(struct db_order_changes *out);

/* api_staff_checkout_for: a phone order for CUSTOMER_EMAIL, COUNT lines of
 * PRODUCT_IDS x QUANTITIES, through the same checkout path (same
 * idempotency semantics and results as db_checkout, key scoped to the
 * customer). Replayed with the same key after a lost connection. */
void db_staff_checkout_for_request(struct db_request *req, const char *token,
                                   const char *customer_email, const char *idempotency_key,
                                   const char *const *product_ids, const int *quantities,
                                   size_t count, const char *promo_code, const char *payment_method);
bz_err db_staff_checkout_for(struct db_conn *conn, const char *token, const char *customer_email,
                             const char *idempotency_key, const char *const *product_ids,
                             const int *quantities, size_t count, const char *promo_code,
                             const char *payment_method, struct db_checkout *out,
                             char *err, size_t errlen);
/* (Its result parses with db_checkout_result.) */

/* -- The Wallets screen's reads (0016, db/api_staff_wallets.c) --
 * CUSTOMER is a user id (as db_staff_find_customer returns it) or an
 * e-mail; BZ_ERR_NOT_FOUND when no account matches. Reads: replayed
 * after a lost connection. */

struct db_staff_wallet {
	char user_id[DB_UUID_SIZE];
	char *email;
	char *display_name;       /* NULL when none */
	bool is_staff;
	int64_t balance_cents;    /* 0 without a wallet */
	int64_t orders;
	int64_t ledger_entries;   /* movements on record */
	int64_t created_us;
};

/* api_staff_customer_wallet: one customer's head. */
void db_staff_customer_wallet_request(struct db_request *req, const char *token,
                                      const char *customer);
bz_err db_staff_customer_wallet_result(const struct db_request *req, struct db_staff_wallet *out,
                                       char *err, size_t errlen);
bz_err db_staff_customer_wallet(struct db_conn *conn, const char *token, const char *customer,
                                struct db_staff_wallet *out, char *err, size_t errlen);
void db_staff_wallet_free(struct db_staff_wallet *out);

struct db_staff_ledger_entry {
	char entry_id[DB_UUID_SIZE];
	int64_t amount_cents;         /* + top-up or refund, - payment */
	int64_t balance_after_cents;
	char *reason;
	char order_id[DB_UUID_SIZE];  /* "" when not about an order */
	char *order_reference;        /* "BZ-1A2B3C4D5E6F"; NULL when not about an order */
	char *created_by_email;       /* the staff member of a top-up; NULL for the shop's own */
	int64_t created_us;
};

struct db_staff_ledger {
	struct db_staff_ledger_entry *items;
	size_t count;
};

/* api_staff_customer_ledger: newest first, LIMIT 1..500. */
void db_staff_customer_ledger_request(struct db_request *req, const char *token,
                                      const char *customer, int limit);
bz_err db_staff_customer_ledger_result(const struct db_request *req, struct db_staff_ledger *out,
                                       char *err, size_t errlen);
bz_err db_staff_customer_ledger(struct db_conn *conn, const char *token, const char *customer,
                                int limit, struct db_staff_ledger *out, char *err, size_t errlen);
void db_staff_ledger_free(struct db_staff_ledger *out);

struct db_audit_entry {
	char audit_id[DB_UUID_SIZE];
	int64_t at_us;
	char *actor_email;        /* NULL: the shop itself (an expiry) */
	char *action;             /* "wallet.topup", "order.approved", ... */
	char *entity;             /* "wallets", "orders", ... */
	char *entity_id;          /* NULL when none */
	char *subject;            /* the entity in words; NULL when unknown */
	char *summary;            /* the details' scalar values, "amount=12.34 reason=..."; NULL when none */
	char *details;            /* the details as JSON text */
};

struct db_audit {
	struct db_audit_entry *items;
	size_t count;
};

/* api_staff_audit: the latest LIMIT (1..500) audit rows, newest first. */
void db_staff_audit_request(struct db_request *req, const char *token, int limit);
bz_err db_staff_audit_result(const struct db_request *req, struct db_audit *out,
                             char *err, size_t errlen);
bz_err db_staff_audit(struct db_conn *conn, const char *token, int limit, struct db_audit *out,
                      char *err, size_t errlen);
void db_audit_free(struct db_audit *out);

/* -- The order detail and the proofs (0015, db/api_staff_detail.c) --
 * Reads for the console's Bank transfers and Orders screens; all
 * replayed after a lost connection (a second picture export is audited
 * twice, which is true). BZ_ERR_NOT_FOUND for an unknown order or proof. */

struct db_staff_order_detail {
	char order_id[DB_UUID_SIZE];
	char *status;
	char *payment_method;
	char *customer_email;
	int64_t subtotal_cents;
	int64_t discount_cents;
	int64_t total_cents;
	char *promo_code;         /* NULL without a promo */
	char *payment_reference;  /* "BZ-1A2B3C4D5E6F", from the server's bz_payment_reference */
	int64_t created_us;
	int64_t expires_us;       /* unpaid bank transfers: when it lapses; else 0 */
	char *decided_by_email;   /* NULL when no staff member decided it */
	int64_t decided_us;       /* 0 when undecided */
	char *decision_reason;    /* NULL when none ("expired" for a lapse) */
	char *placed_by_email;    /* a phone order's staff member; NULL otherwise */
	int64_t proofs;           /* transfer proofs attached */
	int64_t change_seq;
	struct db_order_item *items;  /* by product name */
	size_t count;
};

/* api_staff_order_detail: one order's head and items. */
void db_staff_order_detail_request(struct db_request *req, const char *token, const char *order_id);
bz_err db_staff_order_detail_result(const struct db_request *req, struct db_staff_order_detail *out,
                                    char *err, size_t errlen);
bz_err db_staff_order_detail(struct db_conn *conn, const char *token, const char *order_id,
                             struct db_staff_order_detail *out, char *err, size_t errlen);
void db_staff_order_detail_free(struct db_staff_order_detail *out);

struct db_staff_proof {
	char proof_id[DB_UUID_SIZE];
	char *reference;          /* what the customer typed */
	char *file_name;          /* NULL for a reference without a picture */
	char *content_type;       /* "image/png", "image/jpeg"; NULL without a picture */
	int64_t size_bytes;       /* 0 without a picture */
	char *sha256;             /* hex; NULL without a picture */
	int64_t created_us;
};

struct db_staff_proofs {
	struct db_staff_proof *items;  /* oldest first */
	size_t count;
};

/* api_staff_order_proofs: the metadata of one order's proofs. */
void db_staff_order_proofs_request(struct db_request *req, const char *token, const char *order_id);
bz_err db_staff_order_proofs_result(const struct db_request *req, struct db_staff_proofs *out,
                                    char *err, size_t errlen);
bz_err db_staff_order_proofs(struct db_conn *conn, const char *token, const char *order_id,
                             struct db_staff_proofs *out, char *err, size_t errlen);
void db_staff_proofs_free(struct db_staff_proofs *out);

struct db_proof_image {
	char proof_id[DB_UUID_SIZE];
	char order_id[DB_UUID_SIZE];
	char *file_name;
	char *content_type;
	int64_t size_bytes;
	char *sha256;             /* hex, as stored */
	unsigned char *data;      /* owned; LEN bytes, equal to size_bytes */
	size_t len;
};

/* api_staff_proof_image: one proof's picture (audited on the server).
 * BZ_ERR_NOT_FOUND also for a reference without a picture. */
void db_staff_proof_image_request(struct db_request *req, const char *token, const char *proof_id);
bz_err db_staff_proof_image_result(const struct db_request *req, struct db_proof_image *out,
                                   char *err, size_t errlen);
bz_err db_staff_proof_image(struct db_conn *conn, const char *token, const char *proof_id,
                            struct db_proof_image *out, char *err, size_t errlen);
void db_proof_image_free(struct db_proof_image *out);

struct db_payment_reference {
	char order_id[DB_UUID_SIZE];
	char *payment_reference;
};

struct db_payment_references {
	struct db_payment_reference *items;  /* in the order asked; unknown ids left out */
	size_t count;
};

/* api_staff_payment_references: the references of COUNT (at most 500)
 * orders, for a list's column. */
void db_staff_payment_references_request(struct db_request *req, const char *token,
                                         const char *const *order_ids, size_t count);
bz_err db_staff_payment_references_result(const struct db_request *req,
                                          struct db_payment_references *out,
                                          char *err, size_t errlen);
bz_err db_staff_payment_references(struct db_conn *conn, const char *token,
                                   const char *const *order_ids, size_t count,
                                   struct db_payment_references *out, char *err, size_t errlen);
void db_payment_references_free(struct db_payment_references *out);

/* -- An order's history (0020, db/api_staff_history.c) -- */

struct db_order_event {
	int64_t at_us;
	char *event;              /* "placed", "approved", "codes revealed", "e-mail sent" ... */
	char *actor_email;        /* the staff member; NULL for the customer or the shop */
	char *detail;             /* a short sentence; never a code */
};

struct db_order_history {
	struct db_order_event *items;  /* oldest first */
	size_t count;
};

/* api_staff_order_history: every recorded event of one order. */
void db_staff_order_history_request(struct db_request *req, const char *token, const char *order_id);
bz_err db_staff_order_history_result(const struct db_request *req, struct db_order_history *out,
                                     char *err, size_t errlen);
bz_err db_staff_order_history(struct db_conn *conn, const char *token, const char *order_id,
                              struct db_order_history *out, char *err, size_t errlen);
void db_order_history_free(struct db_order_history *out);

/* -- The Locks screen (0014, db/api_staff_locks.c) --
 * Who waits for whom among this database's backends. The two reads are
 * replayed after a lost connection; the signal is not. */

struct db_lock_backend {
	int pid;
	int *blocked_by;          /* the pids it waits for (pg_blocking_pids); owned */
	size_t nblocked_by;
	char *blocked_by_list;    /* the same, as the server sent it: "812 913" */
	bool waiting;             /* waits for a lock */
	int64_t wait_ms;          /* since the wait began; -1 when not waiting or unknown */
	char *lock_type;          /* of the awaited lock ("transactionid", "tuple", ...); NULL */
	char *lock_mode;          /* "ShareLock" ...; NULL when not waiting */
	char *relation;           /* the table it is about; NULL when none or unknown */
	char *state;              /* "active", "idle in transaction" ...; NULL when hidden */
	int64_t xact_ms;          /* age of its transaction; -1 when none or hidden */
	int64_t query_start_us;   /* 0 when hidden */
	int64_t query_ms;         /* age of its current (or last) query; -1 when hidden */
	char *query;              /* first 200 characters, or "<insufficient privilege>" */
	char *application_name;   /* the business label: "bazar checkout key=1a2b3c4d" */
	char *usename;
};

struct db_lock_backends {
	struct db_lock_backend *items;  /* oldest transaction first */
	size_t count;
};

/* api_staff_locks: the backends of this database (other than the caller's)
 * that wait for a lock, block a waiter, sit idle in a transaction or have
 * run one for over a second. */
void db_staff_locks_request(struct db_request *req, const char *token);
bz_err db_staff_locks_result(const struct db_request *req, struct db_lock_backends *out,
                             char *err, size_t errlen);
bz_err db_staff_locks(struct db_conn *conn, const char *token, struct db_lock_backends *out,
                      char *err, size_t errlen);
void db_lock_backends_free(struct db_lock_backends *out);

struct db_lock_stats {
	int64_t deadlocks;        /* since the statistics were reset: diff two samples */
	int waiting;              /* backends waiting for a lock */
	int blocking;             /* distinct backends they wait for */
	int idle_in_transaction;
	int64_t longest_xact_ms;  /* 0 when no transaction is open */
	bool sees_all;            /* the owner has pg_read_all_stats */
	bool can_signal;          /* the owner has pg_signal_backend */
};

/* api_staff_lock_stats: one sample of the Locks screen's counters. */
void db_staff_lock_stats_request(struct db_request *req, const char *token);
bz_err db_staff_lock_stats_result(const struct db_request *req, struct db_lock_stats *out,
                                  char *err, size_t errlen);
bz_err db_staff_lock_stats(struct db_conn *conn, const char *token, struct db_lock_stats *out,
                           char *err, size_t errlen);

struct db_backend_signal {
	int pid;
	char *action;             /* "cancel" or "terminate" */
	bool signalled;           /* false when the backend had ended first */
	char *usename;
	char *application_name;
	int64_t started_us;
};

/* api_staff_signal_backend: cancel the query of (TERMINATE false) or end
 * one of Bazar's own backends; audited. BZ_ERR_PERMISSION for another
 * role's or a superuser's backend, or when the owner lacks
 * pg_signal_backend (ERR says what to grant); BZ_ERR_NOT_FOUND when PID is
 * not a backend of this database. Not replayed after a lost connection. */
void db_staff_signal_backend_request(struct db_request *req, const char *token, int pid,
                                     bool terminate);
bz_err db_staff_signal_backend_result(const struct db_request *req, struct db_backend_signal *out,
                                      char *err, size_t errlen);
bz_err db_staff_signal_backend(struct db_conn *conn, const char *token, int pid, bool terminate,
                               struct db_backend_signal *out, char *err, size_t errlen);
void db_backend_signal_free(struct db_backend_signal *out);

/* -- The Promos screen (0019, db/api_staff_promos.c) --
 * Creating and switching on/off are db_staff_promo_create and
 * db_staff_promo_set_active above. */

struct db_staff_promo {
	char promo_id[DB_UUID_SIZE];
	char *code;
	char *discount_type;      /* "percentage" or "fixed" */
	int64_t discount_value;   /* percent, or cents */
	int64_t min_order_cents;
	int64_t max_uses;         /* 0: unlimited */
	int64_t per_user_limit;   /* 0: unlimited */
	int64_t valid_from_us;    /* 0: always */
	int64_t valid_until_us;   /* exclusive; 0: never ends */
	bool is_active;
	int64_t used_count;       /* the uses the one rule counts */
	int64_t redemptions;      /* uses by a known order */
	int64_t live_holds;       /* uses held in carts right now */
	char *state;              /* "active", "scheduled", "expired", "used_up", "off" */
	int64_t created_us;
};

struct db_staff_promos {
	struct db_staff_promo *items;   /* newest first */
	size_t count;
};

/* api_staff_promos: every promo with its usage. A read: replayed. */
void db_staff_promos_request(struct db_request *req, const char *token);
bz_err db_staff_promos_result(const struct db_request *req, struct db_staff_promos *out,
                              char *err, size_t errlen);
bz_err db_staff_promos(struct db_conn *conn, const char *token, struct db_staff_promos *out,
                       char *err, size_t errlen);
void db_staff_promos_free(struct db_staff_promos *out);

/* The dates and limits of a promo, all set at once; 0 means none
 * (always, never ends, unlimited; a minimum order of 0). */
struct db_promo_limits {
	int64_t valid_from_us;
	int64_t valid_until_us;
	int64_t max_uses;
	int64_t per_user_limit;
	int64_t min_order_cents;
};

struct db_promo_update {
	char promo_id[DB_UUID_SIZE];
	char *code;
	int64_t used_count;       /* counted under the promo's row lock */
	int64_t live_holds;
	bool changed;             /* false: every value was already so (not audited) */
	int64_t started_us;
};

/* api_staff_promo_update: set CODE's dates and limits to LIMITS.
 * BZ_ERR_INVALID_INPUT with the server's sentence (an end not after the
 * start, max uses below used + held, ...), BZ_ERR_NOT_FOUND for an
 * unknown code. Replayed after a lost connection: setting the same values
 * twice is the same as once (the repeat answers changed = false). */
void db_staff_promo_update_request(struct db_request *req, const char *token, const char *code,
                                   const struct db_promo_limits *limits);
bz_err db_staff_promo_update_result(const struct db_request *req, struct db_promo_update *out,
                                    char *err, size_t errlen);
bz_err db_staff_promo_update(struct db_conn *conn, const char *token, const char *code,
                             const struct db_promo_limits *limits, struct db_promo_update *out,
                             char *err, size_t errlen);
void db_promo_update_free(struct db_promo_update *out);

/* -- The Health screen (0017, db/api_staff_health.c) --
 * Per API function calls and times, the per-minute series behind the
 * sparklines, and the shop's two rates. All three are reads, replayed
 * after a lost connection. Times are microseconds. */

struct db_health_function {
	char *function_name;
	int64_t calls;            /* pg_stat_user_functions, since its last reset */
	int64_t mean_us;          /* of those calls; -1 without calls */
	int64_t client_calls;     /* the clients' events in the window (every attempt) */
	int64_t client_p95_us;    /* their 95th percentile; -1 without events */
	int64_t refused;          /* the shop said no (class ZB) */
	int64_t constraint_errors;      /* class 23 */
	int64_t serialization_failures; /* 40001 */
	int64_t deadlocks;        /* 40P01 */
	int64_t timeouts;         /* 57014, 55P03 */
	int64_t other_errors;     /* lost connections and the rest */
};

struct db_health_functions {
	struct db_health_function *items;  /* most server calls first */
	size_t count;
};

/* api_staff_health: every api_% function with server calls or client
 * events in the last WINDOW_MINUTES (1..1440). */
void db_staff_health_request(struct db_request *req, const char *token, int window_minutes);
bz_err db_staff_health_result(const struct db_request *req, struct db_health_functions *out,
                              char *err, size_t errlen);
bz_err db_staff_health(struct db_conn *conn, const char *token, int window_minutes,
                       struct db_health_functions *out, char *err, size_t errlen);
void db_health_functions_free(struct db_health_functions *out);

struct db_health_minute {
	int64_t minute_us;        /* the minute's start */
	int64_t orders_created;
	int64_t orders_paid;
	int64_t checkouts;        /* attempts (idempotency keys) */
	int64_t checkouts_refused;
	int64_t call_failures;    /* client calls failed for a technical reason */
};

struct db_health_series {
	struct db_health_minute *items;  /* oldest first, the current minute last */
	size_t count;
};

/* api_staff_health_series: the last MINUTES (1..120) minutes. */
void db_staff_health_series_request(struct db_request *req, const char *token, int minutes);
bz_err db_staff_health_series_result(const struct db_request *req, struct db_health_series *out,
                                     char *err, size_t errlen);
bz_err db_staff_health_series(struct db_conn *conn, const char *token, int minutes,
                              struct db_health_series *out, char *err, size_t errlen);
void db_health_series_free(struct db_health_series *out);

struct db_health_rates {
	int64_t checkouts_ok;
	int64_t checkouts_refused;    /* the shop's refusals, apart from the rate */
	int64_t checkout_errors;      /* technical failures of checkout calls */
	int order_success_pct;        /* ok / (ok + errors); -1 when there were none */
	int64_t orders_created;
	int64_t orders_paid;
	int completion_pct;           /* paid / created; -1 without orders */
};

/* api_staff_health_rates: over the last WINDOW_MINUTES (1..1440). */
void db_staff_health_rates_request(struct db_request *req, const char *token, int window_minutes);
bz_err db_staff_health_rates_result(const struct db_request *req, struct db_health_rates *out,
                                    char *err, size_t errlen);
bz_err db_staff_health_rates(struct db_conn *conn, const char *token, int window_minutes,
                             struct db_health_rates *out, char *err, size_t errlen);

/* ---- Inventory (0018): stock, thresholds, code imports with COPY ---- */

struct db_stock_row {
	char product_id[DB_UUID_SIZE];
	char *name;
	bool is_active;
	int64_t available, reserved, sold, voided;
	int low_stock_threshold;
	bool low;                 /* fewer available than the threshold */
};

struct db_stock {
	struct db_stock_row *items;   /* active first, by name */
	size_t count;
};

/* api_staff_stock: every product's codes by status and its threshold. */
void db_staff_stock_request(struct db_request *req, const char *token);
bz_err db_staff_stock_result(const struct db_request *req, struct db_stock *out, char *err,
                             size_t errlen);
bz_err db_staff_stock(struct db_conn *conn, const char *token, struct db_stock *out, char *err,
                      size_t errlen);
void db_stock_free(struct db_stock *out);

/* api_staff_set_low_stock: THRESHOLD 0..1000000 for PRODUCT_ID; audited.
 * *PREVIOUS gets the old value (may be NULL). Not replayed. */
void db_staff_set_low_stock_request(struct db_request *req, const char *token,
                                    const char *product_id, int threshold);
bz_err db_staff_set_low_stock_result(const struct db_request *req, int *previous, char *err,
                                     size_t errlen);

struct db_import_batch {
	char batch_id[DB_UUID_SIZE];  /* the capability to stage lines */
	char *product_name;
	int64_t started_us;
};

/* api_staff_import_begin: a batch for PRODUCT_ID; LABEL names the file in
 * the audit log. Replayed after a lost connection (an unused batch is
 * abandoned after an hour). */
void db_staff_import_begin_request(struct db_request *req, const char *token,
                                   const char *product_id, const char *label);
bz_err db_staff_import_begin_result(const struct db_request *req, struct db_import_batch *out,
                                    char *err, size_t errlen);
bz_err db_staff_import_begin(struct db_conn *conn, const char *token, const char *product_id,
                             const char *label, struct db_import_batch *out, char *err,
                             size_t errlen);
void db_import_batch_free(struct db_import_batch *out);

struct db_import_totals {
	char batch_id[DB_UUID_SIZE];
	char product_id[DB_UUID_SIZE];
	int64_t lines, imported, duplicates, malformed;  /* lines = the other three */
	bool again;               /* finished before: the first finish's totals */
	int64_t finished_us;
};

/* api_staff_import_finish: judge and move the staged lines of BATCH_ID.
 * Replayed after a lost connection (a second finish reports the first). */
void db_staff_import_finish_request(struct db_request *req, const char *token,
                                    const char *batch_id);
bz_err db_staff_import_finish_result(const struct db_request *req, struct db_import_totals *out,
                                     char *err, size_t errlen);
bz_err db_staff_import_finish(struct db_conn *conn, const char *token, const char *batch_id,
                              struct db_import_totals *out, char *err, size_t errlen);

struct db_import_problem {
	int64_t line_no;
	char *kind;               /* "duplicate" or "malformed" */
	char *reason;             /* "empty line", "repeats line 4", ... */
	int64_t first_line;       /* a repeat's first line; 0 otherwise */
};

struct db_import_problems {
	struct db_import_problem *items;  /* by line number */
	size_t count;
};

/* api_staff_import_problems: the refused lines after line AFTER (0 from
 * the start), at most LIMIT (1..10000). */
void db_staff_import_problems_request(struct db_request *req, const char *token,
                                      const char *batch_id, int64_t after, int limit);
bz_err db_staff_import_problems_result(const struct db_request *req,
                                       struct db_import_problems *out, char *err, size_t errlen);
bz_err db_staff_import_problems(struct db_conn *conn, const char *token, const char *batch_id,
                                int64_t after, int limit, struct db_import_problems *out,
                                char *err, size_t errlen);
void db_import_problems_free(struct db_import_problems *out);

/* Streaming lines into a batch with COPY FROM STDIN (db/import_copy.c),
 * on a connection of the staff role with nothing else running on it.
 * Lines are buffered and sent in pieces of about 64 KiB; the COPY is one
 * statement, so either every line is staged or none. */
struct db_code_copy;

/* Start the COPY for BATCH_ID. The connection is busy until _end or
 * _abort (any request started on it meanwhile fails). */
bz_err db_code_copy_begin(struct db_conn *conn, const char *batch_id, struct db_code_copy **out,
                          char *err, size_t errlen);
/* Queue one line: its number, TEXT (LEN bytes, UTF-8 without NUL) and
 * FLAW (the staging table's word, or NULL). Sends when the buffer is
 * full: may block for that long. */
bz_err db_code_copy_line(struct db_code_copy *c, int64_t line_no, const char *text, size_t len,
                         const char *flaw, char *err, size_t errlen);
/* Lines and bytes handed to the server so far. */
void db_code_copy_sent(const struct db_code_copy *c, int64_t *lines, int64_t *bytes);
/* Send the rest and end the COPY; *ROWS gets the rows staged. Frees C. */
bz_err db_code_copy_end(struct db_code_copy *c, int64_t *rows, char *err, size_t errlen);
/* Give up: the server discards every line of this COPY. Frees C. */
void db_code_copy_abort(struct db_code_copy *c, const char *why);

/* ---- Invariants (0012): `bazar check` ------------------------------- */

struct db_invariant {
	char *name;
	bool ok;
	char **offending;         /* JSON text of each offending row (at most 20, then {"more": n}) */
	size_t noffending;
};

struct db_invariants {
	struct db_invariant *items;
	size_t count;
	size_t failed;            /* how many are not ok */
};

/* bz_check_invariants() when TOKEN is NULL (an owner connection), else
 * api_staff_check_invariants(TOKEN) (staff, race lab). BZ_OK when the
 * check ran, whatever it found: OUT->failed counts the broken ones. */
void db_check_invariants_request(struct db_request *req, const char *token);
bz_err db_check_invariants_result(const struct db_request *req, struct db_invariants *out,
                                  char *err, size_t errlen);
bz_err db_check_invariants(struct db_conn *conn, const char *token, struct db_invariants *out,
                           char *err, size_t errlen);
void db_invariants_free(struct db_invariants *out);

#endif
