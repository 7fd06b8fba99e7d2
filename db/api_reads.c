/* Typed calls for the customer's own reads (0010): orders, one order,
 * codes, wallet, ledger. Reads: always safe to run again (replay_safe).
 * See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/api_internal.h"

struct read_args {
	const char *token;
	const char *order_id;
	int limit;
	int64_t before_us;
};

static void build_my_orders(struct db_request *req, void *ctx);
static void build_my_order(struct db_request *req, void *ctx);
static void build_my_codes(struct db_request *req, void *ctx);
static void build_my_wallet(struct db_request *req, void *ctx);
static void build_my_ledger(struct db_request *req, void *ctx);
static bz_err my_order_fold(void *rows, size_t count, void *out, char *err, size_t errlen);

static const char my_orders_sql[] =
	"SELECT order_id, status, payment_method, subtotal_cents, discount_cents, total_cents,"
	" promo_code, items, " API_EPOCH_US("created_at") ", " API_EPOCH_US("expires_at")
	" FROM api_my_orders($1, $2::integer, "
	" CASE WHEN $3::bigint IS NULL THEN NULL ELSE " API_FROM_EPOCH_US("$3") " END)";
static const struct api_col my_orders_cols[] = {
	API_COL(API_UUID, struct db_order_summary, order_id),
	API_COL(API_TEXT, struct db_order_summary, status),
	API_COL(API_TEXT, struct db_order_summary, payment_method),
	API_COL(API_INT64, struct db_order_summary, subtotal_cents),
	API_COL(API_INT64, struct db_order_summary, discount_cents),
	API_COL(API_INT64, struct db_order_summary, total_cents),
	API_COL(API_TEXT_NULL, struct db_order_summary, promo_code),
	API_COL(API_INT64, struct db_order_summary, items),
	API_COL(API_INT64, struct db_order_summary, created_us),
	API_COL(API_INT64_NULL, struct db_order_summary, expires_us),
};
static const struct api_call my_orders_call = {
	.sql = my_orders_sql, API_CALL_COLS(my_orders_cols), API_CALL_LIST(struct db_order_list, items),
	.replay_safe = true,
};

static const char my_order_sql[] =
	"SELECT order_id, status, payment_method, total_cents, product_id, product_name, quantity,"
	" unit_price_cents, line_total_cents, " API_EPOCH_US("created_at") ", "
	API_EPOCH_US("expires_at") " FROM api_my_order($1, $2::uuid)";
/* One row per item, the order's columns repeated on each. */
struct my_order_row {
	char order_id[DB_UUID_SIZE];
	char *status;
	char *payment_method;
	int64_t total_cents;
	struct db_order_item item;
	int64_t created_us;
	int64_t expires_us;
};
static const struct api_col my_order_cols[] = {
	API_COL(API_UUID, struct my_order_row, order_id),
	API_COL(API_TEXT, struct my_order_row, status),
	API_COL(API_TEXT, struct my_order_row, payment_method),
	API_COL(API_INT64, struct my_order_row, total_cents),
	API_COL(API_UUID, struct my_order_row, item.product_id),
	API_COL(API_TEXT, struct my_order_row, item.product_name),
	API_COL(API_INT64, struct my_order_row, item.quantity),
	API_COL(API_INT64, struct my_order_row, item.unit_price_cents),
	API_COL(API_INT64, struct my_order_row, item.line_total_cents),
	API_COL(API_INT64, struct my_order_row, created_us),
	API_COL(API_INT64_NULL, struct my_order_row, expires_us),
};
static const struct api_col order_item_cols[] = {
	API_COL(API_TEXT, struct db_order_item, product_name),
};
static const struct api_call my_order_call = {
	.sql = my_order_sql, API_CALL_COLS(my_order_cols), .shape = API_SHAPE_ROWS,
	.out_size = sizeof(struct db_order), .row_size = sizeof(struct my_order_row),
	.fold = my_order_fold, .replay_safe = true,
};

static const char my_codes_sql[] =
	"SELECT order_id, product_id, product_name, code, " API_EPOCH_US("sold_at")
	" FROM api_my_codes($1, $2::uuid)";
static const struct api_col my_codes_cols[] = {
	API_COL(API_UUID, struct db_code, order_id),
	API_COL(API_UUID, struct db_code, product_id),
	API_COL(API_TEXT, struct db_code, product_name),
	API_COL(API_TEXT, struct db_code, code),
	API_COL(API_INT64_NULL, struct db_code, sold_us),
};
static const struct api_call my_codes_call = {
	.sql = my_codes_sql, API_CALL_COLS(my_codes_cols), API_CALL_LIST(struct db_code_list, items),
	.replay_safe = true,
};

static const char my_wallet_sql[] = "SELECT balance_cents FROM api_my_wallet($1)";
static const struct api_col my_wallet_cols[] = { { API_INT64, 0, "balance_cents" } };
static const struct api_call my_wallet_call = {
	.sql = my_wallet_sql, API_CALL_COLS(my_wallet_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(int64_t), .replay_safe = true,
};

static const char my_ledger_sql[] =
	"SELECT entry_id, amount_cents, balance_after_cents, reason, order_id, "
	API_EPOCH_US("created_at") " FROM api_my_ledger($1, $2::integer)";
static const struct api_col my_ledger_cols[] = {
	API_COL(API_UUID, struct db_ledger_entry, entry_id),
	API_COL(API_INT64, struct db_ledger_entry, amount_cents),
	API_COL(API_INT64, struct db_ledger_entry, balance_after_cents),
	API_COL(API_TEXT, struct db_ledger_entry, reason),
	API_COL(API_UUID_NULL, struct db_ledger_entry, order_id),
	API_COL(API_INT64, struct db_ledger_entry, created_us),
};
static const struct api_call my_ledger_call = {
	.sql = my_ledger_sql, API_CALL_COLS(my_ledger_cols), API_CALL_LIST(struct db_ledger, items),
	.replay_safe = true,
};

void
db_my_orders_request(struct db_request *req, const char *token, int limit, int64_t before_us)
{
	char limit_text[24], before[24];
	const char *params[] = { token, api_int64_param(limit_text, limit),
	                         before_us > 0 ? api_int64_param(before, before_us) : NULL };

	api_request(req, &my_orders_call, 3, params);
}

bz_err
db_my_orders_result(const struct db_request *req, struct db_order_list *out, char *err,
                    size_t errlen)
{
	return api_result(req, &my_orders_call, out, err, errlen);
}

/* Build api_my_orders from struct read_args. */
static void
build_my_orders(struct db_request *req, void *ctx)
{
	const struct read_args *a = ctx;

	db_my_orders_request(req, a->token, a->limit, a->before_us);
}

bz_err
db_my_orders(struct db_conn *conn, const char *token, int limit, int64_t before_us,
             struct db_order_list *out, char *err, size_t errlen)
{
	struct read_args args = { token, NULL, limit, before_us };

	return api_call(conn, &my_orders_call, build_my_orders, &args, out, err, errlen);
}

void
db_order_list_free(struct db_order_list *out)
{
	api_free(&my_orders_call, out);
}

void
db_my_order_request(struct db_request *req, const char *token, const char *order_id)
{
	const char *params[] = { token, order_id };

	api_request(req, &my_order_call, 2, params);
}

/* One order from its item rows: they must all name the same order. */
static bz_err
my_order_fold(void *rows_, size_t count, void *out_, char *err, size_t errlen)
{
	struct my_order_row *rows = rows_;
	struct db_order *out = out_;

	if (count == 0) {
		/* The function raises ZB006 for another's order; an order of
		 * one's own always has items. */
		snprintf(err, errlen, "the server returned an order without items");
		return BZ_ERR_INTERNAL;
	}
	for (size_t i = 1; i < count; i++)
		if (strcmp(rows[i].order_id, rows[0].order_id) != 0) {
			snprintf(err, errlen, "the server returned items of two orders");
			return BZ_ERR_INTERNAL;
		}
	memcpy(out->order_id, rows[0].order_id, sizeof out->order_id);
	out->status = xstrdup(rows[0].status);
	out->payment_method = xstrdup(rows[0].payment_method);
	out->total_cents = rows[0].total_cents;
	out->created_us = rows[0].created_us;
	out->expires_us = rows[0].expires_us;
	out->items = xcalloc(count, sizeof *out->items);
	for (size_t i = 0; i < count; i++) {
		out->items[i] = rows[i].item;
		rows[i].item.product_name = NULL;  /* moved */
	}
	out->count = count;
	return BZ_OK;
}

bz_err
db_my_order_result(const struct db_request *req, struct db_order *out, char *err, size_t errlen)
{
	return api_result(req, &my_order_call, out, err, errlen);
}

/* Build api_my_order from struct read_args. */
static void
build_my_order(struct db_request *req, void *ctx)
{
	const struct read_args *a = ctx;

	db_my_order_request(req, a->token, a->order_id);
}

bz_err
db_my_order(struct db_conn *conn, const char *token, const char *order_id, struct db_order *out,
            char *err, size_t errlen)
{
	struct read_args args = { token, order_id, 0, 0 };

	return api_call(conn, &my_order_call, build_my_order, &args, out, err, errlen);
}

void
db_order_free(struct db_order *out)
{
	free(out->status);
	free(out->payment_method);
	api_free_rows(order_item_cols, API_NCOLS(order_item_cols), sizeof *out->items, out->items,
	              out->count);
	memset(out, 0, sizeof *out);
}

void
db_my_codes_request(struct db_request *req, const char *token, const char *order_id)
{
	const char *params[] = { token, api_opt(order_id) };

	api_request(req, &my_codes_call, 2, params);
}

bz_err
db_my_codes_result(const struct db_request *req, struct db_code_list *out, char *err, size_t errlen)
{
	return api_result(req, &my_codes_call, out, err, errlen);
}

/* Build api_my_codes from struct read_args. */
static void
build_my_codes(struct db_request *req, void *ctx)
{
	const struct read_args *a = ctx;

	db_my_codes_request(req, a->token, a->order_id);
}

bz_err
db_my_codes(struct db_conn *conn, const char *token, const char *order_id, struct db_code_list *out,
            char *err, size_t errlen)
{
	struct read_args args = { token, order_id, 0, 0 };

	return api_call(conn, &my_codes_call, build_my_codes, &args, out, err, errlen);
}

void
db_code_list_free(struct db_code_list *out)
{
	api_free(&my_codes_call, out);
}

void
db_my_wallet_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &my_wallet_call, 1, params);
}

bz_err
db_my_wallet_result(const struct db_request *req, int64_t *balance_cents, char *err, size_t errlen)
{
	return api_result(req, &my_wallet_call, balance_cents, err, errlen);
}

/* Build api_my_wallet from struct read_args. */
static void
build_my_wallet(struct db_request *req, void *ctx)
{
	const struct read_args *a = ctx;

	db_my_wallet_request(req, a->token);
}

bz_err
db_my_wallet(struct db_conn *conn, const char *token, int64_t *balance_cents, char *err,
             size_t errlen)
{
	struct read_args args = { token, NULL, 0, 0 };

	return api_call(conn, &my_wallet_call, build_my_wallet, &args, balance_cents, err, errlen);
}

void
db_my_ledger_request(struct db_request *req, const char *token, int limit)
{
	char limit_text[24];
	const char *params[] = { token, api_int64_param(limit_text, limit) };

	api_request(req, &my_ledger_call, 2, params);
}

bz_err
db_my_ledger_result(const struct db_request *req, struct db_ledger *out, char *err, size_t errlen)
{
	return api_result(req, &my_ledger_call, out, err, errlen);
}

/* Build api_my_ledger from struct read_args. */
static void
build_my_ledger(struct db_request *req, void *ctx)
{
	const struct read_args *a = ctx;

	db_my_ledger_request(req, a->token, a->limit);
}

bz_err
db_my_ledger(struct db_conn *conn, const char *token, int limit, struct db_ledger *out, char *err,
             size_t errlen)
{
	struct read_args args = { token, NULL, limit, 0 };

	return api_call(conn, &my_ledger_call, build_my_ledger, &args, out, err, errlen);
}

void
db_ledger_free(struct db_ledger *out)
{
	api_free(&my_ledger_call, out);
}
