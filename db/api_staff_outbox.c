/* Typed calls for the console's Outbox view (0021): the messages
 * (api_staff_outbox), the counts per status (api_staff_outbox_counts)
 * and a failed message tried again (api_staff_outbox_retry). The list
 * and the counts are reads; the retry is safe to repeat because the
 * server refuses a retry of a message that is not failed, so a repeat
 * after a lost answer finds it pending and changes nothing. See
 * db/api_staff_outbox.h. */
#include "config.h"
#include "db/api_staff_outbox.h"

#include <stdlib.h>
#include <string.h>

#include "core/retry.h"
#include "core/xalloc.h"
#include "db/api_internal.h"
#include "db/db_internal.h"

struct outbox_args {
	const char *token;
	const char *status;
	int limit;
	const char *outbox_id;
};

static void build_list(struct db_request *req, void *ctx);
static void build_counts(struct db_request *req, void *ctx);
static void build_retry(struct db_request *req, void *ctx);

static const char list_sql[] =
	"SELECT outbox_id, kind, to_address, subject, status, attempts, "
	API_EPOCH_US("next_attempt_at") ", " API_EPOCH_US("lease_until") ", claimed_by,"
	" provider_message_id, last_error, order_id, " API_EPOCH_US("created_at") ", "
	API_EPOCH_US("sent_at") " FROM api_staff_outbox($1, $2, $3::integer)";
static const struct api_col list_cols[] = {
	API_COL(API_UUID, struct db_outbox_message, outbox_id),
	API_COL(API_TEXT, struct db_outbox_message, kind),
	API_COL(API_TEXT, struct db_outbox_message, to_address),
	API_COL(API_TEXT, struct db_outbox_message, subject),
	API_COL(API_TEXT, struct db_outbox_message, status),
	API_COL(API_INT64, struct db_outbox_message, attempts),
	API_COL(API_INT64_NULL, struct db_outbox_message, next_attempt_us),
	API_COL(API_INT64_NULL, struct db_outbox_message, lease_until_us),
	API_COL(API_TEXT_NULL, struct db_outbox_message, claimed_by),
	API_COL(API_TEXT_NULL, struct db_outbox_message, provider_message_id),
	API_COL(API_TEXT_NULL, struct db_outbox_message, last_error),
	API_COL(API_UUID_NULL, struct db_outbox_message, order_id),
	API_COL(API_INT64, struct db_outbox_message, created_us),
	API_COL(API_INT64_NULL, struct db_outbox_message, sent_us),
};
static const struct api_call list_call = {
	.sql = list_sql, API_CALL_COLS(list_cols), API_CALL_LIST(struct db_outbox_messages, items),
	.replay_safe = true,
};

/* The age of the oldest pending message by the server's clock, so a
 * terminal whose clock is wrong still shows the right age. */
static const char counts_sql[] =
	"SELECT pending, sending, sent, failed,"
	" (extract(epoch FROM now() - oldest_pending_at))::bigint, sent_last_hour, failed_last_hour"
	" FROM api_staff_outbox_counts($1)";
static const struct api_col counts_cols[] = {
	API_COL(API_INT64, struct db_outbox_counts, pending),
	API_COL(API_INT64, struct db_outbox_counts, sending),
	API_COL(API_INT64, struct db_outbox_counts, sent),
	API_COL(API_INT64, struct db_outbox_counts, failed),
	API_COL(API_INT64_NULL, struct db_outbox_counts, oldest_pending_age_s),
	API_COL(API_INT64, struct db_outbox_counts, sent_last_hour),
	API_COL(API_INT64, struct db_outbox_counts, failed_last_hour),
};
static const struct api_call counts_call = {
	.sql = counts_sql, API_CALL_COLS(counts_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_outbox_counts), .replay_safe = true,
};

static const char retry_sql[] =
	"SELECT outbox_id, status, attempts FROM api_staff_outbox_retry($1, $2::uuid)";
static const struct api_col retry_cols[] = {
	API_COL(API_UUID, struct db_outbox_retry, outbox_id),
	API_COL(API_TEXT, struct db_outbox_retry, status),
	API_COL(API_INT64, struct db_outbox_retry, attempts),
};
/* A repeat finds the message pending and is refused: nothing twice. */
static const struct api_call retry_call = {
	.sql = retry_sql, API_CALL_COLS(retry_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_outbox_retry), .replay_safe = true,
};

/* ---- api_staff_outbox ---- */

void
db_staff_outbox_request(struct db_request *req, const char *token, const char *status, int limit)
{
	char lim[24];
	const char *params[] = { token, api_opt(status), api_int64_param(lim, limit) };

	api_request(req, &list_call, 3, params);
}

bz_err
db_staff_outbox_result(const struct db_request *req, struct db_outbox_messages *out, char *err,
                       size_t errlen)
{
	return api_result(req, &list_call, out, err, errlen);
}

/* Build api_staff_outbox from struct outbox_args. */
static void
build_list(struct db_request *req, void *ctx)
{
	const struct outbox_args *a = ctx;

	db_staff_outbox_request(req, a->token, a->status, a->limit);
}

bz_err
db_staff_outbox(struct db_conn *conn, const char *token, const char *status, int limit,
                struct db_outbox_messages *out, char *err, size_t errlen)
{
	struct outbox_args args = { token, status, limit, NULL };

	return api_call(conn, &list_call, build_list, &args, out, err, errlen);
}

void
db_outbox_messages_free(struct db_outbox_messages *out)
{
	api_free(&list_call, out);
}

/* ---- api_staff_outbox_counts ---- */

void
db_staff_outbox_counts_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &counts_call, 1, params);
}

bz_err
db_staff_outbox_counts_result(const struct db_request *req, struct db_outbox_counts *out,
                              char *err, size_t errlen)
{
	return api_result(req, &counts_call, out, err, errlen);
}

/* Build api_staff_outbox_counts from struct outbox_args. */
static void
build_counts(struct db_request *req, void *ctx)
{
	const struct outbox_args *a = ctx;

	db_staff_outbox_counts_request(req, a->token);
}

bz_err
db_staff_outbox_counts(struct db_conn *conn, const char *token, struct db_outbox_counts *out,
                       char *err, size_t errlen)
{
	struct outbox_args args = { token, NULL, 0, NULL };

	return api_call(conn, &counts_call, build_counts, &args, out, err, errlen);
}

/* ---- api_staff_outbox_retry ---- */

void
db_staff_outbox_retry_request(struct db_request *req, const char *token, const char *outbox_id)
{
	const char *params[] = { token, outbox_id };

	api_request(req, &retry_call, 2, params);
}

/* The server's "only a failed message can be tried again" (ZB008 with
 * DETAIL status=X) is an answer, not an error: the message is X now. */
bz_err
db_staff_outbox_retry_result(const struct db_request *req, struct db_outbox_retry *out, char *err,
                             size_t errlen)
{
	bz_err rc = api_result(req, &retry_call, out, err, errlen);

	if (rc == BZ_ERR_INVALID_INPUT && strcmp(req->sqlstate, SQLSTATE_BZ_INVALID_INPUT) == 0 &&
	    strncmp(req->detail, "status=", 7) == 0 && req->detail[7] != '\0') {
		out->refused = true;
		out->status = xstrdup(req->detail + 7);
		rc = BZ_OK;
	}
	return rc;
}

/* Build api_staff_outbox_retry from struct outbox_args. */
static void
build_retry(struct db_request *req, void *ctx)
{
	const struct outbox_args *a = ctx;

	db_staff_outbox_retry_request(req, a->token, a->outbox_id);
}

/* By hand rather than api_call: a refusal fails the request, and it is
 * still an answer to parse. */
bz_err
db_staff_outbox_retry(struct db_conn *conn, const char *token, const char *outbox_id,
                      struct db_outbox_retry *out, char *err, size_t errlen)
{
	struct db_request req = { 0 };
	struct outbox_args args = { token, NULL, 0, outbox_id };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = api_run(conn, &req, build_retry, &args, RETRY_DEFAULT_MAX_ATTEMPTS, retry_call.replay_safe,
	             err, errlen);
	if (rc == BZ_OK || req.state == DB_REQ_FAILED)
		rc = db_staff_outbox_retry_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_outbox_retry_free(struct db_outbox_retry *out)
{
	api_free(&retry_call, out);
}
