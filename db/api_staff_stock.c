/* Typed calls for 0018, the console's Inventory: stock per product
 * (api_staff_stock), a product's low-stock threshold
 * (api_staff_set_low_stock) and the two ends of a code import
 * (api_staff_import_begin / _finish) with its refused lines
 * (api_staff_import_problems). The COPY between them is db/import_copy.c.
 * See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <string.h>

#include "core/retry.h"
#include "db/api_internal.h"

/* A finish judges and moves every staged line in one statement: a
 * million take about a minute on a small machine, past API_TIMEOUT_MS. */
#define FINISH_TIMEOUT_MS (30 * 60 * 1000)

struct import_args {
	const char *token;
	const char *id;         /* a product id (begin) or a batch id */
	const char *label;
	int64_t after;
	int limit;
};

/* api_staff_set_low_stock's row: only previous goes to the caller. */
struct low_stock_row {
	char product_id[DB_UUID_SIZE];
	int low_stock_threshold;
	int previous;
};

static void build_stock(struct db_request *req, void *ctx);
static void build_begin(struct db_request *req, void *ctx);
static void build_finish(struct db_request *req, void *ctx);
static void build_problems(struct db_request *req, void *ctx);

static const char stock_sql[] =
	"SELECT product_id, name, is_active, available, reserved, sold, voided, low_stock_threshold, low"
	" FROM api_staff_stock($1)";
static const struct api_col stock_cols[] = {
	API_COL(API_UUID, struct db_stock_row, product_id),
	API_COL(API_TEXT, struct db_stock_row, name),
	API_COL(API_BOOL, struct db_stock_row, is_active),
	API_COL(API_INT64, struct db_stock_row, available),
	API_COL(API_INT64, struct db_stock_row, reserved),
	API_COL(API_INT64, struct db_stock_row, sold),
	API_COL(API_INT64, struct db_stock_row, voided),
	API_COL(API_INT, struct db_stock_row, low_stock_threshold),
	API_COL(API_BOOL, struct db_stock_row, low),
};
static const struct api_call stock_call = {
	.sql = stock_sql, API_CALL_COLS(stock_cols), API_CALL_LIST(struct db_stock, items),
	.replay_safe = true,
};

static const char low_stock_sql[] =
	"SELECT product_id, low_stock_threshold, previous"
	" FROM api_staff_set_low_stock($1, $2::uuid, $3::integer)";
static const struct api_col low_stock_cols[] = {
	API_COL(API_UUID, struct low_stock_row, product_id),
	API_COL(API_INT, struct low_stock_row, low_stock_threshold),
	API_COL(API_INT, struct low_stock_row, previous),
};
static const struct api_call low_stock_call = {
	.sql = low_stock_sql, API_CALL_COLS(low_stock_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct low_stock_row), .replay_safe = false,
};

static const char begin_sql[] =
	"SELECT batch_id, product_name, " API_EPOCH_US("started_at")
	" FROM api_staff_import_begin($1, $2::uuid, $3)";
static const struct api_col begin_cols[] = {
	API_COL(API_UUID, struct db_import_batch, batch_id),
	API_COL(API_TEXT, struct db_import_batch, product_name),
	API_COL(API_INT64, struct db_import_batch, started_us),
};
static const struct api_call begin_call = {
	.sql = begin_sql, API_CALL_COLS(begin_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_import_batch), .replay_safe = true,
};

static const char finish_sql[] =
	"SELECT batch_id, product_id, lines, imported, duplicates, malformed, again, "
	API_EPOCH_US("finished_at") " FROM api_staff_import_finish($1, $2::uuid)";
static const struct api_col finish_cols[] = {
	API_COL(API_UUID, struct db_import_totals, batch_id),
	API_COL(API_UUID, struct db_import_totals, product_id),
	API_COL(API_INT64, struct db_import_totals, lines),
	API_COL(API_INT64, struct db_import_totals, imported),
	API_COL(API_INT64, struct db_import_totals, duplicates),
	API_COL(API_INT64, struct db_import_totals, malformed),
	API_COL(API_BOOL, struct db_import_totals, again),
	API_COL(API_INT64, struct db_import_totals, finished_us),
};
static const struct api_call finish_call = {
	.sql = finish_sql, API_CALL_COLS(finish_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_import_totals), .replay_safe = true,
};

static const char problems_sql[] =
	"SELECT line_no, kind, reason, first_line"
	" FROM api_staff_import_problems($1, $2::uuid, $3::bigint, $4::integer)";
static const struct api_col problems_cols[] = {
	API_COL(API_INT64, struct db_import_problem, line_no),
	API_COL(API_TEXT, struct db_import_problem, kind),
	API_COL(API_TEXT, struct db_import_problem, reason),
	API_COL(API_INT64_NULL, struct db_import_problem, first_line),
};
static const struct api_call problems_call = {
	.sql = problems_sql, API_CALL_COLS(problems_cols),
	API_CALL_LIST(struct db_import_problems, items), .replay_safe = true,
};

/* ---- api_staff_stock ---- */

void
db_staff_stock_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &stock_call, 1, params);
}

bz_err
db_staff_stock_result(const struct db_request *req, struct db_stock *out, char *err, size_t errlen)
{
	return api_result(req, &stock_call, out, err, errlen);
}

/* Build api_staff_stock from struct import_args. */
static void
build_stock(struct db_request *req, void *ctx)
{
	const struct import_args *a = ctx;

	db_staff_stock_request(req, a->token);
}

bz_err
db_staff_stock(struct db_conn *conn, const char *token, struct db_stock *out, char *err,
               size_t errlen)
{
	struct import_args args = { .token = token };

	return api_call(conn, &stock_call, build_stock, &args, out, err, errlen);
}

void
db_stock_free(struct db_stock *out)
{
	api_free(&stock_call, out);
}

/* ---- api_staff_set_low_stock ---- */

void
db_staff_set_low_stock_request(struct db_request *req, const char *token, const char *product_id,
                               int threshold)
{
	char text[24];
	const char *params[] = { token, product_id, api_int64_param(text, threshold) };

	api_request(req, &low_stock_call, 3, params);
}

bz_err
db_staff_set_low_stock_result(const struct db_request *req, int *previous, char *err,
                              size_t errlen)
{
	struct low_stock_row row;
	bz_err rc = api_result(req, &low_stock_call, &row, err, errlen);

	if (rc == BZ_OK && previous)
		*previous = row.previous;
	return rc;
}

/* ---- api_staff_import_begin ---- */

void
db_staff_import_begin_request(struct db_request *req, const char *token, const char *product_id,
                              const char *label)
{
	const char *params[] = { token, product_id, label ? label : "" };

	api_request(req, &begin_call, 3, params);
}

bz_err
db_staff_import_begin_result(const struct db_request *req, struct db_import_batch *out, char *err,
                             size_t errlen)
{
	return api_result(req, &begin_call, out, err, errlen);
}

/* Build api_staff_import_begin from struct import_args. */
static void
build_begin(struct db_request *req, void *ctx)
{
	const struct import_args *a = ctx;

	db_staff_import_begin_request(req, a->token, a->id, a->label);
}

bz_err
db_staff_import_begin(struct db_conn *conn, const char *token, const char *product_id,
                      const char *label, struct db_import_batch *out, char *err, size_t errlen)
{
	struct import_args args = { .token = token, .id = product_id, .label = label };

	return api_call(conn, &begin_call, build_begin, &args, out, err, errlen);
}

void
db_import_batch_free(struct db_import_batch *out)
{
	api_free(&begin_call, out);
}

/* ---- api_staff_import_finish ---- */

void
db_staff_import_finish_request(struct db_request *req, const char *token, const char *batch_id)
{
	const char *params[] = { token, batch_id };

	api_request(req, &finish_call, 2, params);
}

bz_err
db_staff_import_finish_result(const struct db_request *req, struct db_import_totals *out,
                              char *err, size_t errlen)
{
	return api_result(req, &finish_call, out, err, errlen);
}

/* Build api_staff_import_finish from struct import_args. */
static void
build_finish(struct db_request *req, void *ctx)
{
	const struct import_args *a = ctx;

	db_staff_import_finish_request(req, a->token, a->id);
}

bz_err
db_staff_import_finish(struct db_conn *conn, const char *token, const char *batch_id,
                       struct db_import_totals *out, char *err, size_t errlen)
{
	struct import_args args = { .token = token, .id = batch_id };
	struct db_request req = { 0 };
	int attempts = 0;
	bz_err rc;

	/* api_call with the finish's own time limit. */
	memset(out, 0, sizeof *out);
	rc = db_call_with_retry(conn, &req, build_finish, &args, RETRY_DEFAULT_MAX_ATTEMPTS,
	                        finish_call.replay_safe, FINISH_TIMEOUT_MS, &attempts);
	if (rc == BZ_OK)
		rc = api_result(&req, &finish_call, out, err, errlen);
	else
		db_request_error(&req, err, errlen);
	db_request_free(&req);
	return rc;
}

/* ---- api_staff_import_problems ---- */

void
db_staff_import_problems_request(struct db_request *req, const char *token, const char *batch_id,
                                 int64_t after, int limit)
{
	char after_text[24], limit_text[24];
	const char *params[] = { token, batch_id, api_int64_param(after_text, after),
	                         api_int64_param(limit_text, limit) };

	api_request(req, &problems_call, 4, params);
}

bz_err
db_staff_import_problems_result(const struct db_request *req, struct db_import_problems *out,
                                char *err, size_t errlen)
{
	return api_result(req, &problems_call, out, err, errlen);
}

/* Build api_staff_import_problems from struct import_args. */
static void
build_problems(struct db_request *req, void *ctx)
{
	const struct import_args *a = ctx;

	db_staff_import_problems_request(req, a->token, a->id, a->after, a->limit);
}

bz_err
db_staff_import_problems(struct db_conn *conn, const char *token, const char *batch_id,
                         int64_t after, int limit, struct db_import_problems *out, char *err,
                         size_t errlen)
{
	struct import_args args = { .token = token, .id = batch_id, .after = after, .limit = limit };

	return api_call(conn, &problems_call, build_problems, &args, out, err, errlen);
}

void
db_import_problems_free(struct db_import_problems *out)
{
	api_free(&problems_call, out);
}
