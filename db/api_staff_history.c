/* Typed call for 0020, the console's order history: one order's events,
 * oldest first, assembled on the server from the rows that record them.
 * A read: safe to run again. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include "db/api_internal.h"

struct history_args {
	const char *token;
	const char *order_id;
};

static void build_history(struct db_request *req, void *ctx);

static const char history_sql[] =
	"SELECT " API_EPOCH_US("at") ", event, actor_email, detail"
	" FROM api_staff_order_history($1, $2::uuid)";
static const struct api_col history_cols[] = {
	API_COL(API_INT64, struct db_order_event, at_us),
	API_COL(API_TEXT, struct db_order_event, event),
	API_COL(API_TEXT_NULL, struct db_order_event, actor_email),
	API_COL(API_TEXT, struct db_order_event, detail),
};
static const struct api_call history_call = {
	.sql = history_sql, API_CALL_COLS(history_cols), API_CALL_LIST(struct db_order_history, items),
	.replay_safe = true,
};

void
db_staff_order_history_request(struct db_request *req, const char *token, const char *order_id)
{
	const char *params[] = { token, order_id };

	api_request(req, &history_call, 2, params);
}

/* The blocking call's builder. */
static void
build_history(struct db_request *req, void *ctx)
{
	const struct history_args *a = ctx;

	db_staff_order_history_request(req, a->token, a->order_id);
}

bz_err
db_staff_order_history_result(const struct db_request *req, struct db_order_history *out,
                              char *err, size_t errlen)
{
	return api_result(req, &history_call, out, err, errlen);
}

bz_err
db_staff_order_history(struct db_conn *conn, const char *token, const char *order_id,
                       struct db_order_history *out, char *err, size_t errlen)
{
	struct history_args args = { .token = token, .order_id = order_id };

	return api_call(conn, &history_call, build_history, &args, out, err, errlen);
}

void
db_order_history_free(struct db_order_history *out)
{
	api_free(&history_call, out);
}
