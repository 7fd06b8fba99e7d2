/* Typed calls for the customer's own reads (0010): orders, one order,
 * codes, wallet, ledger. Reads: always safe to run again. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/retry.h"
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
static bz_err run_read(struct db_conn *conn, db_build_fn build, struct read_args *args,
                       struct db_request *req, char *err, size_t errlen);

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

static const char my_wallet_sql[] = "SELECT balance_cents FROM api_my_wallet($1)";

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

/* The blocking part every read shares; REQ is left for the parser. */
static bz_err
run_read(struct db_conn *conn, db_build_fn build, struct read_args *args, struct db_request *req,
         char *err, size_t errlen)
{
	return api_run(conn, req, build, args, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
}

void
db_my_orders_request(struct db_request *req, const char *token, int limit, int64_t before_us)
{
	char limit_text[24], before[24];
	const char *params[] = { token, api_int64_param(limit_text, limit),
	                         before_us > 0 ? api_int64_param(before, before_us) : NULL };

	db_request_init(req, my_orders_sql, 3, params);
	db_request_expect(req, API_NCOLS(my_orders_cols), DB_ANY);
}

bz_err
db_my_orders_result(const struct db_request *req, struct db_order_list *out, char *err,
                    size_t errlen)
{
	void *rows = NULL;
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	rc = api_parse_rows(req, my_orders_cols, API_NCOLS(my_orders_cols), sizeof *out->items,
	                    &rows, &out->count, err, errlen);
	out->items = rows;
	return rc;
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
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = run_read(conn, build_my_orders, &args, &req, err, errlen);
	if (rc == BZ_OK)
		rc = db_my_orders_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_order_list_free(struct db_order_list *out)
{
	api_free_rows(my_orders_cols, API_NCOLS(my_orders_cols), sizeof *out->items, out->items,
	              out->count);
	memset(out, 0, sizeof *out);
}

void
db_my_order_request(struct db_request *req, const char *token, const char *order_id)
{
	const char *params[] = { token, order_id };

	db_request_init(req, my_order_sql, 2, params);
	db_request_expect(req, API_NCOLS(my_order_cols), DB_ANY);
}

bz_err
db_my_order_result(const struct db_request *req, struct db_order *out, char *err, size_t errlen)
{
	struct my_order_row *rows = NULL;
	size_t count = 0;
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	rc = api_parse_rows(req, my_order_cols, API_NCOLS(my_order_cols), sizeof *rows,
	                    (void **)&rows, &count, err, errlen);
	if (rc != BZ_OK)
		return rc;
	if (count == 0) {
		/* The function raises ZB006 for another's order; an order of
		 * one's own always has items. */
		snprintf(err, errlen, "the server returned an order without items");
		rc = BZ_ERR_INTERNAL;
		goto out;
	}
	for (size_t i = 1; i < count; i++)
		if (strcmp(rows[i].order_id, rows[0].order_id) != 0) {
			snprintf(err, errlen, "the server returned items of two orders");
			rc = BZ_ERR_INTERNAL;
			goto out;
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
out:
	api_free_rows(my_order_cols, API_NCOLS(my_order_cols), sizeof *rows, rows, count);
	return rc;
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
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = run_read(conn, build_my_order, &args, &req, err, errlen);
	if (rc == BZ_OK)
		rc = db_my_order_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
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

	db_request_init(req, my_codes_sql, 2, params);
	db_request_expect(req, API_NCOLS(my_codes_cols), DB_ANY);
}

bz_err
db_my_codes_result(const struct db_request *req, struct db_code_list *out, char *err, size_t errlen)
{
	void *rows = NULL;
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	rc = api_parse_rows(req, my_codes_cols, API_NCOLS(my_codes_cols), sizeof *out->items, &rows,
	                    &out->count, err, errlen);
	out->items = rows;
	return rc;
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
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = run_read(conn, build_my_codes, &args, &req, err, errlen);
	if (rc == BZ_OK)
		rc = db_my_codes_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_code_list_free(struct db_code_list *out)
{
	api_free_rows(my_codes_cols, API_NCOLS(my_codes_cols), sizeof *out->items, out->items,
	              out->count);
	memset(out, 0, sizeof *out);
}

void
db_my_wallet_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	db_request_init(req, my_wallet_sql, 1, params);
	db_request_expect(req, 1, 1);
}

bz_err
db_my_wallet_result(const struct db_request *req, int64_t *balance_cents, char *err, size_t errlen)
{
	static const struct api_col cols[] = { { API_INT64, 0, "balance_cents" } };
	bz_err rc = api_outcome(req, err, errlen);

	*balance_cents = 0;
	if (rc != BZ_OK)
		return rc;
	return api_parse_row(req, 0, cols, 1, balance_cents, err, errlen);
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
	struct db_request req = { 0 };
	bz_err rc;

	*balance_cents = 0;
	rc = run_read(conn, build_my_wallet, &args, &req, err, errlen);
	if (rc == BZ_OK)
		rc = db_my_wallet_result(&req, balance_cents, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_my_ledger_request(struct db_request *req, const char *token, int limit)
{
	char limit_text[24];
	const char *params[] = { token, api_int64_param(limit_text, limit) };

	db_request_init(req, my_ledger_sql, 2, params);
	db_request_expect(req, API_NCOLS(my_ledger_cols), DB_ANY);
}

bz_err
db_my_ledger_result(const struct db_request *req, struct db_ledger *out, char *err, size_t errlen)
{
	void *rows = NULL;
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	rc = api_parse_rows(req, my_ledger_cols, API_NCOLS(my_ledger_cols), sizeof *out->items, &rows,
	                    &out->count, err, errlen);
	out->items = rows;
	return rc;
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
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = run_read(conn, build_my_ledger, &args, &req, err, errlen);
	if (rc == BZ_OK)
		rc = db_my_ledger_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_ledger_free(struct db_ledger *out)
{
	api_free_rows(my_ledger_cols, API_NCOLS(my_ledger_cols), sizeof *out->items, out->items,
	              out->count);
	memset(out, 0, sizeof *out);
}
