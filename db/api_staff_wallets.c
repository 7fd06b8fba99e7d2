/* Typed calls for 0016, the console's Wallets screen: one customer's
 * wallet head (api_staff_customer_wallet), their movements with the staff
 * member of each top-up (api_staff_customer_ledger), and the audit log
 * (api_staff_audit). Reads: safe to run again. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include "db/api_internal.h"

struct wallets_args {
	const char *token;
	const char *customer;
	int limit;
};

static void build_wallet(struct db_request *req, void *ctx);
static void build_ledger(struct db_request *req, void *ctx);
static void build_audit(struct db_request *req, void *ctx);

static const char wallet_sql[] =
	"SELECT user_id, email, display_name, is_staff, balance_cents, orders, ledger_entries, "
	API_EPOCH_US("created_at") " FROM api_staff_customer_wallet($1, $2)";
static const struct api_col wallet_cols[] = {
	API_COL(API_UUID, struct db_staff_wallet, user_id),
	API_COL(API_TEXT, struct db_staff_wallet, email),
	API_COL(API_TEXT_NULL, struct db_staff_wallet, display_name),
	API_COL(API_BOOL, struct db_staff_wallet, is_staff),
	API_COL(API_INT64, struct db_staff_wallet, balance_cents),
	API_COL(API_INT64, struct db_staff_wallet, orders),
	API_COL(API_INT64, struct db_staff_wallet, ledger_entries),
	API_COL(API_INT64, struct db_staff_wallet, created_us),
};
static const struct api_call wallet_call = {
	.sql = wallet_sql, API_CALL_COLS(wallet_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_staff_wallet), .replay_safe = true,
};

static const char ledger_sql[] =
	"SELECT entry_id, amount_cents, balance_after_cents, reason, order_id, order_reference,"
	" created_by_email, " API_EPOCH_US("created_at")
	" FROM api_staff_customer_ledger($1, $2, $3::integer)";
static const struct api_col ledger_cols[] = {
	API_COL(API_UUID, struct db_staff_ledger_entry, entry_id),
	API_COL(API_INT64, struct db_staff_ledger_entry, amount_cents),
	API_COL(API_INT64, struct db_staff_ledger_entry, balance_after_cents),
	API_COL(API_TEXT, struct db_staff_ledger_entry, reason),
	API_COL(API_UUID_NULL, struct db_staff_ledger_entry, order_id),
	API_COL(API_TEXT_NULL, struct db_staff_ledger_entry, order_reference),
	API_COL(API_TEXT_NULL, struct db_staff_ledger_entry, created_by_email),
	API_COL(API_INT64, struct db_staff_ledger_entry, created_us),
};
static const struct api_call ledger_call = {
	.sql = ledger_sql, API_CALL_COLS(ledger_cols), API_CALL_LIST(struct db_staff_ledger, items),
	.replay_safe = true,
};

static const char audit_sql[] =
	"SELECT audit_id, " API_EPOCH_US("at") ", actor_email, action, entity, entity_id, subject,"
	" summary, details FROM api_staff_audit($1, $2::integer)";
static const struct api_col audit_cols[] = {
	API_COL(API_UUID, struct db_audit_entry, audit_id),
	API_COL(API_INT64, struct db_audit_entry, at_us),
	API_COL(API_TEXT_NULL, struct db_audit_entry, actor_email),
	API_COL(API_TEXT, struct db_audit_entry, action),
	API_COL(API_TEXT, struct db_audit_entry, entity),
	API_COL(API_TEXT_NULL, struct db_audit_entry, entity_id),
	API_COL(API_TEXT_NULL, struct db_audit_entry, subject),
	API_COL(API_TEXT_NULL, struct db_audit_entry, summary),
	API_COL(API_TEXT, struct db_audit_entry, details),
};
static const struct api_call audit_call = {
	.sql = audit_sql, API_CALL_COLS(audit_cols), API_CALL_LIST(struct db_audit, items),
	.replay_safe = true,
};

/* ---- api_staff_customer_wallet ---- */

void
db_staff_customer_wallet_request(struct db_request *req, const char *token, const char *customer)
{
	const char *params[] = { token, customer };

	api_request(req, &wallet_call, 2, params);
}

bz_err
db_staff_customer_wallet_result(const struct db_request *req, struct db_staff_wallet *out,
                                char *err, size_t errlen)
{
	return api_result(req, &wallet_call, out, err, errlen);
}

/* Build api_staff_customer_wallet from struct wallets_args. */
static void
build_wallet(struct db_request *req, void *ctx)
{
	const struct wallets_args *a = ctx;

	db_staff_customer_wallet_request(req, a->token, a->customer);
}

bz_err
db_staff_customer_wallet(struct db_conn *conn, const char *token, const char *customer,
                         struct db_staff_wallet *out, char *err, size_t errlen)
{
	struct wallets_args args = { token, customer, 0 };

	return api_call(conn, &wallet_call, build_wallet, &args, out, err, errlen);
}

void
db_staff_wallet_free(struct db_staff_wallet *out)
{
	api_free(&wallet_call, out);
}

/* ---- api_staff_customer_ledger ---- */

void
db_staff_customer_ledger_request(struct db_request *req, const char *token, const char *customer,
                                 int limit)
{
	char limit_text[24];
	const char *params[] = { token, customer, api_int64_param(limit_text, limit) };

	api_request(req, &ledger_call, 3, params);
}

bz_err
db_staff_customer_ledger_result(const struct db_request *req, struct db_staff_ledger *out,
                                char *err, size_t errlen)
{
	return api_result(req, &ledger_call, out, err, errlen);
}

/* Build api_staff_customer_ledger from struct wallets_args. */
static void
build_ledger(struct db_request *req, void *ctx)
{
	const struct wallets_args *a = ctx;

	db_staff_customer_ledger_request(req, a->token, a->customer, a->limit);
}

bz_err
db_staff_customer_ledger(struct db_conn *conn, const char *token, const char *customer, int limit,
                         struct db_staff_ledger *out, char *err, size_t errlen)
{
	struct wallets_args args = { token, customer, limit };

	return api_call(conn, &ledger_call, build_ledger, &args, out, err, errlen);
}

void
db_staff_ledger_free(struct db_staff_ledger *out)
{
	api_free(&ledger_call, out);
}

/* ---- api_staff_audit ---- */

void
db_staff_audit_request(struct db_request *req, const char *token, int limit)
{
	char limit_text[24];
	const char *params[] = { token, api_int64_param(limit_text, limit) };

	api_request(req, &audit_call, 2, params);
}

bz_err
db_staff_audit_result(const struct db_request *req, struct db_audit *out, char *err, size_t errlen)
{
	return api_result(req, &audit_call, out, err, errlen);
}

/* Build api_staff_audit from struct wallets_args. */
static void
build_audit(struct db_request *req, void *ctx)
{
	const struct wallets_args *a = ctx;

	db_staff_audit_request(req, a->token, a->limit);
}

bz_err
db_staff_audit(struct db_conn *conn, const char *token, int limit, struct db_audit *out, char *err,
               size_t errlen)
{
	struct wallets_args args = { token, NULL, limit };

	return api_call(conn, &audit_call, build_audit, &args, out, err, errlen);
}

void
db_audit_free(struct db_audit *out)
{
	api_free(&audit_call, out);
}
