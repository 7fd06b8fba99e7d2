/* Typed call for api_my_order_info (0013): the head of one of one's
 * orders, with the payment reference and the shop's bank account. A read:
 * safe to run again. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include "db/api_internal.h"

struct order_info_args {
	const char *token;
	const char *order_id;
};

static void build_order_info(struct db_request *req, void *ctx);

static const char order_info_sql[] =
	"SELECT order_id, status, payment_method, subtotal_cents, discount_cents, total_cents,"
	" promo_code, " API_EPOCH_US("created_at") ", " API_EPOCH_US("expires_at") ", "
	API_EPOCH_US("decided_at") ", decision_reason, payment_reference, account_holder, iban,"
	" bic, bank_name, proofs FROM api_my_order_info($1, $2::uuid)";
static const struct api_col order_info_cols[] = {
	API_COL(API_UUID, struct db_order_info, order_id),
	API_COL(API_TEXT, struct db_order_info, status),
	API_COL(API_TEXT, struct db_order_info, payment_method),
	API_COL(API_INT64, struct db_order_info, subtotal_cents),
	API_COL(API_INT64, struct db_order_info, discount_cents),
	API_COL(API_INT64, struct db_order_info, total_cents),
	API_COL(API_TEXT_NULL, struct db_order_info, promo_code),
	API_COL(API_INT64, struct db_order_info, created_us),
	API_COL(API_INT64_NULL, struct db_order_info, expires_us),
	API_COL(API_INT64_NULL, struct db_order_info, decided_us),
	API_COL(API_TEXT_NULL, struct db_order_info, decision_reason),
	API_COL(API_TEXT, struct db_order_info, payment_reference),
	API_COL(API_TEXT_NULL, struct db_order_info, account_holder),
	API_COL(API_TEXT_NULL, struct db_order_info, iban),
	API_COL(API_TEXT_NULL, struct db_order_info, bic),
	API_COL(API_TEXT_NULL, struct db_order_info, bank_name),
	API_COL(API_INT64, struct db_order_info, proofs),
};
static const struct api_call order_info_call = {
	.sql = order_info_sql, API_CALL_COLS(order_info_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_order_info), .replay_safe = true,
};

void
db_my_order_info_request(struct db_request *req, const char *token, const char *order_id)
{
	const char *params[] = { token, order_id };

	api_request(req, &order_info_call, 2, params);
}

bz_err
db_my_order_info_result(const struct db_request *req, struct db_order_info *out, char *err,
                        size_t errlen)
{
	return api_result(req, &order_info_call, out, err, errlen);
}

/* Build api_my_order_info from struct order_info_args. */
static void
build_order_info(struct db_request *req, void *ctx)
{
	const struct order_info_args *a = ctx;

	db_my_order_info_request(req, a->token, a->order_id);
}

bz_err
db_my_order_info(struct db_conn *conn, const char *token, const char *order_id,
                 struct db_order_info *out, char *err, size_t errlen)
{
	struct order_info_args args = { token, order_id };

	return api_call(conn, &order_info_call, build_order_info, &args, out, err, errlen);
}

void
db_order_info_free(struct db_order_info *out)
{
	api_free(&order_info_call, out);
}
