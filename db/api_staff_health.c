/* Typed calls for the console's Health screen (0017): per API function
 * calls and times, the per-minute series behind its sparklines, and the
 * shop's order success and checkout completion rates. All reads, safe to
 * run again. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>

#include "db/api_internal.h"

struct health_args {
	const char *token;
	int n;   /* the window or the series length, in minutes */
};

static void build_health(struct db_request *req, void *ctx);
static void build_series(struct db_request *req, void *ctx);
static void build_rates(struct db_request *req, void *ctx);

/* A missing mean or percentile travels as -1, so 0 stays a real time. */
static const char health_sql[] =
	"SELECT function_name, calls, coalesce(mean_us, -1), client_calls,"
	" coalesce(client_p95_us, -1), refused, constraint_errors, serialization_failures,"
	" deadlocks, timeouts, other_errors FROM api_staff_health($1, $2::integer)";
static const struct api_col health_cols[] = {
	API_COL(API_TEXT, struct db_health_function, function_name),
	API_COL(API_INT64, struct db_health_function, calls),
	API_COL(API_INT64, struct db_health_function, mean_us),
	API_COL(API_INT64, struct db_health_function, client_calls),
	API_COL(API_INT64, struct db_health_function, client_p95_us),
	API_COL(API_INT64, struct db_health_function, refused),
	API_COL(API_INT64, struct db_health_function, constraint_errors),
	API_COL(API_INT64, struct db_health_function, serialization_failures),
	API_COL(API_INT64, struct db_health_function, deadlocks),
	API_COL(API_INT64, struct db_health_function, timeouts),
	API_COL(API_INT64, struct db_health_function, other_errors),
};
static const struct api_call health_call = {
	.sql = health_sql, API_CALL_COLS(health_cols),
	API_CALL_LIST(struct db_health_functions, items), .replay_safe = true,
};

static const char series_sql[] =
	"SELECT " API_EPOCH_US("minute") ", orders_created, orders_paid, checkouts,"
	" checkouts_refused, call_failures FROM api_staff_health_series($1, $2::integer)";
static const struct api_col series_cols[] = {
	API_COL(API_INT64, struct db_health_minute, minute_us),
	API_COL(API_INT64, struct db_health_minute, orders_created),
	API_COL(API_INT64, struct db_health_minute, orders_paid),
	API_COL(API_INT64, struct db_health_minute, checkouts),
	API_COL(API_INT64, struct db_health_minute, checkouts_refused),
	API_COL(API_INT64, struct db_health_minute, call_failures),
};
static const struct api_call series_call = {
	.sql = series_sql, API_CALL_COLS(series_cols),
	API_CALL_LIST(struct db_health_series, items), .replay_safe = true,
};

static const char rates_sql[] =
	"SELECT checkouts_ok, checkouts_refused, checkout_errors, coalesce(order_success_pct, -1),"
	" orders_created, orders_paid, coalesce(completion_pct, -1)"
	" FROM api_staff_health_rates($1, $2::integer)";
static const struct api_col rates_cols[] = {
	API_COL(API_INT64, struct db_health_rates, checkouts_ok),
	API_COL(API_INT64, struct db_health_rates, checkouts_refused),
	API_COL(API_INT64, struct db_health_rates, checkout_errors),
	API_COL(API_INT, struct db_health_rates, order_success_pct),
	API_COL(API_INT64, struct db_health_rates, orders_created),
	API_COL(API_INT64, struct db_health_rates, orders_paid),
	API_COL(API_INT, struct db_health_rates, completion_pct),
};
static const struct api_call rates_call = {
	.sql = rates_sql, API_CALL_COLS(rates_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_health_rates), .replay_safe = true,
};

void
db_staff_health_request(struct db_request *req, const char *token, int window_minutes)
{
	char n[24];
	const char *params[] = { token, api_int64_param(n, window_minutes) };

	api_request(req, &health_call, 2, params);
}

bz_err
db_staff_health_result(const struct db_request *req, struct db_health_functions *out, char *err,
                       size_t errlen)
{
	return api_result(req, &health_call, out, err, errlen);
}

/* Build api_staff_health from struct health_args. */
static void
build_health(struct db_request *req, void *ctx)
{
	const struct health_args *a = ctx;

	db_staff_health_request(req, a->token, a->n);
}

bz_err
db_staff_health(struct db_conn *conn, const char *token, int window_minutes,
                struct db_health_functions *out, char *err, size_t errlen)
{
	struct health_args args = { token, window_minutes };

	return api_call(conn, &health_call, build_health, &args, out, err, errlen);
}

void
db_health_functions_free(struct db_health_functions *out)
{
	api_free(&health_call, out);
}

void
db_staff_health_series_request(struct db_request *req, const char *token, int minutes)
{
	char n[24];
	const char *params[] = { token, api_int64_param(n, minutes) };

	api_request(req, &series_call, 2, params);
}

bz_err
db_staff_health_series_result(const struct db_request *req, struct db_health_series *out,
                              char *err, size_t errlen)
{
	return api_result(req, &series_call, out, err, errlen);
}

/* Build api_staff_health_series from struct health_args. */
static void
build_series(struct db_request *req, void *ctx)
{
	const struct health_args *a = ctx;

	db_staff_health_series_request(req, a->token, a->n);
}

bz_err
db_staff_health_series(struct db_conn *conn, const char *token, int minutes,
                       struct db_health_series *out, char *err, size_t errlen)
{
	struct health_args args = { token, minutes };

	return api_call(conn, &series_call, build_series, &args, out, err, errlen);
}

void
db_health_series_free(struct db_health_series *out)
{
	api_free(&series_call, out);
}

void
db_staff_health_rates_request(struct db_request *req, const char *token, int window_minutes)
{
	char n[24];
	const char *params[] = { token, api_int64_param(n, window_minutes) };

	api_request(req, &rates_call, 2, params);
}

bz_err
db_staff_health_rates_result(const struct db_request *req, struct db_health_rates *out,
                             char *err, size_t errlen)
{
	return api_result(req, &rates_call, out, err, errlen);
}

/* Build api_staff_health_rates from struct health_args. */
static void
build_rates(struct db_request *req, void *ctx)
{
	const struct health_args *a = ctx;

	db_staff_health_rates_request(req, a->token, a->n);
}

bz_err
db_staff_health_rates(struct db_conn *conn, const char *token, int window_minutes,
                      struct db_health_rates *out, char *err, size_t errlen)
{
	struct health_args args = { token, window_minutes };

	return api_call(conn, &rates_call, build_rates, &args, out, err, errlen);
}
