/* Typed calls for 0021's mail worker functions; see db/api_mail.h. */
#include "config.h"
#include "db/api_mail.h"

#include <stdio.h>
#include <string.h>

#include "db/api_internal.h"

struct claim_args {
	const char *worker;
	int limit, lease_s;
};

/* One outcome call: its SQL, and the row it is about. */
struct record_args {
	const struct api_call *call;
	const struct db_mail *mail;
	const char *text;          /* provider id or error */
	long delay_ms;             /* retry only */
};

struct record_answer {
	char *status;
};

static void build_claim(struct db_request *req, void *ctx);
static void build_record(struct db_request *req, void *ctx);
static bz_err record(struct db_conn *conn, const struct api_call *call, const struct db_mail *mail,
                     const char *text, long delay_ms, enum db_mail_record *out, char *err, size_t errlen);

static const char claim_sql[] =
	"SELECT outbox_id, fencing_token, attempt, kind, to_address, subject, body_text, idempotency_key,"
	" order_id, " API_EPOCH_US("created_at")
	" FROM api_mail_claim($1, $2::integer, $3::integer)";
static const struct api_col claim_cols[] = {
	API_COL(API_UUID, struct db_mail, outbox_id),
	API_COL(API_INT64, struct db_mail, fencing_token),
	API_COL(API_INT64, struct db_mail, attempt),
	API_COL(API_TEXT, struct db_mail, kind),
	API_COL(API_TEXT, struct db_mail, to_address),
	API_COL(API_TEXT, struct db_mail, subject),
	API_COL(API_TEXT, struct db_mail, body_text),
	API_COL(API_TEXT, struct db_mail, idempotency_key),
	API_COL(API_UUID_NULL, struct db_mail, order_id),
	API_COL(API_INT64, struct db_mail, created_us),
};
/* A repeat would lease more rows and lose the first answer's: no. */
static const struct api_call claim_call = {
	.sql = claim_sql, API_CALL_COLS(claim_cols), API_CALL_LIST(struct db_mails, items),
	.replay_safe = false,
};

static const struct api_col record_cols[] = {
	API_COL(API_TEXT, struct record_answer, status),
};
/* The outcome calls are keyed by the fencing token: a repeat of one that
 * committed finds the row no longer "sending" with that token and
 * changes nothing (stale). */
static const struct api_call sent_call = {
	.sql = "SELECT api_mail_sent($1::uuid, $2::bigint, $3) AS status",
	API_CALL_COLS(record_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct record_answer), .replay_safe = true,
};
static const struct api_call retry_call = {
	.sql = "SELECT api_mail_retry($1::uuid, $2::bigint, $3, $4::bigint) AS status",
	API_CALL_COLS(record_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct record_answer), .replay_safe = true,
};
static const struct api_call fail_call = {
	.sql = "SELECT api_mail_fail($1::uuid, $2::bigint, $3) AS status",
	API_CALL_COLS(record_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct record_answer), .replay_safe = true,
};

/* Build api_mail_claim from struct claim_args. */
static void
build_claim(struct db_request *req, void *ctx)
{
	const struct claim_args *a = ctx;
	char limit[24], lease[24];
	const char *params[] = { a->worker, api_int64_param(limit, a->limit), api_int64_param(lease, a->lease_s) };

	api_request(req, &claim_call, 3, params);
}

bz_err
db_mail_claim(struct db_conn *conn, const char *worker, int limit, int lease_s, struct db_mails *out,
              char *err, size_t errlen)
{
	struct claim_args args = { worker, limit, lease_s };

	return api_call(conn, &claim_call, build_claim, &args, out, err, errlen);
}

void
db_mails_free(struct db_mails *out)
{
	api_free(&claim_call, out);
}

/* Build one outcome call from struct record_args: id, token, text, and
 * the delay for a retry. */
static void
build_record(struct db_request *req, void *ctx)
{
	const struct record_args *a = ctx;
	char token[24], delay[24];
	const char *params[] = { a->mail->outbox_id, api_int64_param(token, a->mail->fencing_token), a->text,
	                         api_int64_param(delay, a->delay_ms) };

	api_request(req, a->call, a->call == &retry_call ? 4 : 3, params);
}

/* Run one outcome call and read the server's word for it. */
static bz_err
record(struct db_conn *conn, const struct api_call *call, const struct db_mail *mail, const char *text,
       long delay_ms, enum db_mail_record *out, char *err, size_t errlen)
{
	struct record_args args = { call, mail, text, delay_ms };
	struct record_answer answer;
	bz_err rc;

	rc = api_call(conn, call, build_record, &args, &answer, err, errlen);
	if (rc != BZ_OK)
		return rc;
	if (strcmp(answer.status, "stale") == 0)
		*out = DB_MAIL_STALE;
	else if (call == &retry_call && strcmp(answer.status, "failed") == 0)
		*out = DB_MAIL_GAVE_UP;
	else if (strcmp(answer.status, "sent") == 0 || strcmp(answer.status, "retry") == 0 ||
	         strcmp(answer.status, "failed") == 0)
		*out = DB_MAIL_RECORDED;
	else {
		snprintf(err, errlen, "the server answered '%s' to a mail outcome, which this program "
		         "does not know", answer.status);
		rc = BZ_ERR_INTERNAL;
	}
	api_free(call, &answer);
	return rc;
}

bz_err
db_mail_sent(struct db_conn *conn, const struct db_mail *mail, const char *provider_message_id,
             enum db_mail_record *out, char *err, size_t errlen)
{
	return record(conn, &sent_call, mail, provider_message_id, 0, out, err, errlen);
}

bz_err
db_mail_retry(struct db_conn *conn, const struct db_mail *mail, const char *error, long delay_ms,
              enum db_mail_record *out, char *err, size_t errlen)
{
	return record(conn, &retry_call, mail, error, delay_ms, out, err, errlen);
}

bz_err
db_mail_fail(struct db_conn *conn, const struct db_mail *mail, const char *error,
             enum db_mail_record *out, char *err, size_t errlen)
{
	return record(conn, &fail_call, mail, error, 0, out, err, errlen);
}
