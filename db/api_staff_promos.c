/* Typed calls for 0019, the console's Promos screen: every promo with its
 * usage (api_staff_promos) and a change of its dates and limits
 * (api_staff_promo_update). Both are safe to run again: the list is a
 * read, and the update sets values (a repeat changes nothing and says
 * so). See db/api.h. */
#include "config.h"
#include "db/api.h"

#include "db/api_internal.h"

struct promos_args {
	const char *token;
	const char *code;
	const struct db_promo_limits *limits;
};

static void build_promos(struct db_request *req, void *ctx);
static void build_update(struct db_request *req, void *ctx);

static const char promos_sql[] =
	"SELECT promo_id, code, discount_type, discount_value, min_order_cents, max_uses,"
	" per_user_limit, " API_EPOCH_US("valid_from") ", " API_EPOCH_US("valid_until") ","
	" is_active, used_count, redemptions, live_holds, state, " API_EPOCH_US("created_at")
	" FROM api_staff_promos($1)";
static const struct api_col promos_cols[] = {
	API_COL(API_UUID, struct db_staff_promo, promo_id),
	API_COL(API_TEXT, struct db_staff_promo, code),
	API_COL(API_TEXT, struct db_staff_promo, discount_type),
	API_COL(API_INT64, struct db_staff_promo, discount_value),
	API_COL(API_INT64, struct db_staff_promo, min_order_cents),
	API_COL(API_INT64_NULL, struct db_staff_promo, max_uses),
	API_COL(API_INT64_NULL, struct db_staff_promo, per_user_limit),
	API_COL(API_INT64_NULL, struct db_staff_promo, valid_from_us),
	API_COL(API_INT64_NULL, struct db_staff_promo, valid_until_us),
	API_COL(API_BOOL, struct db_staff_promo, is_active),
	API_COL(API_INT64, struct db_staff_promo, used_count),
	API_COL(API_INT64, struct db_staff_promo, redemptions),
	API_COL(API_INT64, struct db_staff_promo, live_holds),
	API_COL(API_TEXT, struct db_staff_promo, state),
	API_COL(API_INT64, struct db_staff_promo, created_us),
};
static const struct api_call promos_call = {
	.sql = promos_sql, API_CALL_COLS(promos_cols), API_CALL_LIST(struct db_staff_promos, items),
	.replay_safe = true,
};

/* 0 travels as NULL (none); times as epoch microseconds. */
static const char update_sql[] =
	"SELECT promo_id, code, used_count, live_holds, changed, " API_EPOCH_US("started_at")
	" FROM api_staff_promo_update($1, $2,"
	" CASE WHEN $3::bigint IS NULL THEN NULL ELSE " API_FROM_EPOCH_US("$3") " END,"
	" CASE WHEN $4::bigint IS NULL THEN NULL ELSE " API_FROM_EPOCH_US("$4") " END,"
	" $5::bigint, $6::bigint, $7::bigint)";
static const struct api_col update_cols[] = {
	API_COL(API_UUID, struct db_promo_update, promo_id),
	API_COL(API_TEXT, struct db_promo_update, code),
	API_COL(API_INT64, struct db_promo_update, used_count),
	API_COL(API_INT64, struct db_promo_update, live_holds),
	API_COL(API_BOOL, struct db_promo_update, changed),
	API_COL(API_INT64, struct db_promo_update, started_us),
};
/* Setting values twice is the same as once. */
static const struct api_call update_call = {
	.sql = update_sql, API_CALL_COLS(update_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_promo_update), .replay_safe = true,
};

/* ---- api_staff_promos ---- */

void
db_staff_promos_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &promos_call, 1, params);
}

bz_err
db_staff_promos_result(const struct db_request *req, struct db_staff_promos *out, char *err,
                       size_t errlen)
{
	return api_result(req, &promos_call, out, err, errlen);
}

/* Build api_staff_promos from struct promos_args. */
static void
build_promos(struct db_request *req, void *ctx)
{
	const struct promos_args *a = ctx;

	db_staff_promos_request(req, a->token);
}

bz_err
db_staff_promos(struct db_conn *conn, const char *token, struct db_staff_promos *out, char *err,
                size_t errlen)
{
	struct promos_args args = { token, NULL, NULL };

	return api_call(conn, &promos_call, build_promos, &args, out, err, errlen);
}

void
db_staff_promos_free(struct db_staff_promos *out)
{
	api_free(&promos_call, out);
}

/* ---- api_staff_promo_update ---- */

void
db_staff_promo_update_request(struct db_request *req, const char *token, const char *code,
                              const struct db_promo_limits *limits)
{
	char from[24], until[24], max_uses[24], per_user[24], min_order[24];
	const char *params[] = {
		token, code,
		limits->valid_from_us > 0 ? api_int64_param(from, limits->valid_from_us) : NULL,
		limits->valid_until_us > 0 ? api_int64_param(until, limits->valid_until_us) : NULL,
		limits->max_uses > 0 ? api_int64_param(max_uses, limits->max_uses) : NULL,
		limits->per_user_limit > 0 ? api_int64_param(per_user, limits->per_user_limit) : NULL,
		api_int64_param(min_order, limits->min_order_cents),
	};

	api_request(req, &update_call, 7, params);
}

bz_err
db_staff_promo_update_result(const struct db_request *req, struct db_promo_update *out, char *err,
                             size_t errlen)
{
	return api_result(req, &update_call, out, err, errlen);
}

/* Build api_staff_promo_update from struct promos_args. */
static void
build_update(struct db_request *req, void *ctx)
{
	const struct promos_args *a = ctx;

	db_staff_promo_update_request(req, a->token, a->code, a->limits);
}

bz_err
db_staff_promo_update(struct db_conn *conn, const char *token, const char *code,
                      const struct db_promo_limits *limits, struct db_promo_update *out, char *err,
                      size_t errlen)
{
	struct promos_args args = { token, code, limits };

	return api_call(conn, &update_call, build_update, &args, out, err, errlen);
}

void
db_promo_update_free(struct db_promo_update *out)
{
	api_free(&update_call, out);
}
