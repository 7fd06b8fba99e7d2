/* Typed calls for placing orders (0010): checkout, the status of an
 * attempt, and the proof of a bank transfer. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/api_internal.h"
#include "db/events.h"

struct checkout_args {
	const char *token, *key;
	int64_t cart_version;
	const char *promo_code, *payment_method;
	bool status_only;
};

struct checkout_for_args {
	const char *token, *email, *key;
	const char *const *product_ids;
	const int *quantities;
	size_t count;
	const char *promo_code, *payment_method;
};

struct proof_args {
	const char *token, *order_id, *reference, *file_name, *content_type;
	const void *image;
	size_t image_len;
};

static bz_err stored_outcome(struct db_checkout *out, char *err, size_t errlen);
static bz_err checkout_check(const struct db_request *req, void *out, char *err, size_t errlen);
static bz_err status_check(const struct db_request *req, void *out, char *err, size_t errlen);
static void build_checkout(struct db_request *req, void *ctx);
static void build_proof(struct db_request *req, void *ctx);
static void build_checkout_for(struct db_request *req, void *ctx);

static const char checkout_sql[] =
	"SELECT outcome, order_id, order_status, subtotal_cents, discount_cents, total_cents,"
	" balance_cents, error_code, error_message, replayed, " API_EPOCH_US("started_at")
	" FROM api_checkout($1, $2::uuid, $3::bigint, $4, $5)";
static const struct api_col checkout_cols[] = {
	API_COL(API_TEXT, struct db_checkout, outcome),
	API_COL(API_UUID_NULL, struct db_checkout, order_id),
	API_COL(API_TEXT_NULL, struct db_checkout, order_status),
	API_COL(API_INT64_NULL, struct db_checkout, subtotal_cents),
	API_COL(API_INT64_NULL, struct db_checkout, discount_cents),
	API_COL(API_INT64_NULL, struct db_checkout, total_cents),
	API_COL(API_INT64_NULL, struct db_checkout, balance_cents),
	API_COL(API_TEXT_NULL, struct db_checkout, error_code),
	API_COL(API_TEXT_NULL, struct db_checkout, error_message),
	API_COL(API_BOOL_NULL, struct db_checkout, replayed),
	API_COL(API_INT64, struct db_checkout, started_us),
};
/* Every attempt carries the same key: a first attempt that committed
 * before its answer was lost is replayed by the server, not redone. */
static const struct api_call checkout_call = {
	.sql = checkout_sql, API_CALL_COLS(checkout_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_checkout), .check = checkout_check, .replay_safe = true,
};

static const char checkout_for_sql[] =
	"SELECT outcome, order_id, order_status, subtotal_cents, discount_cents, total_cents,"
	" balance_cents, error_code, error_message, replayed, " API_EPOCH_US("started_at")
	" FROM api_staff_checkout_for($1, $2, $3::uuid, $4::uuid[], $5::integer[], $6, $7)";
/* The same columns as api_checkout, hence the same parser; keyed like a
 * shopper's checkout: replayed with the same key. */
static const struct api_call checkout_for_call = {
	.sql = checkout_for_sql, API_CALL_COLS(checkout_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_checkout), .check = checkout_check, .replay_safe = true,
};

static const char status_sql[] =
	"SELECT outcome, order_id, order_status, subtotal_cents, discount_cents, total_cents,"
	" balance_cents, error_code, error_message, " API_EPOCH_US("finished_at")
	" FROM api_checkout_status($1, $2::uuid)";
static const struct api_col status_cols[] = {
	API_COL(API_TEXT, struct db_checkout, outcome),
	API_COL(API_UUID_NULL, struct db_checkout, order_id),
	API_COL(API_TEXT_NULL, struct db_checkout, order_status),
	API_COL(API_INT64_NULL, struct db_checkout, subtotal_cents),
	API_COL(API_INT64_NULL, struct db_checkout, discount_cents),
	API_COL(API_INT64_NULL, struct db_checkout, total_cents),
	API_COL(API_INT64_NULL, struct db_checkout, balance_cents),
	API_COL(API_TEXT_NULL, struct db_checkout, error_code),
	API_COL(API_TEXT_NULL, struct db_checkout, error_message),
	API_COL(API_INT64_NULL, struct db_checkout, finished_us),
};
static const struct api_call status_call = {
	.sql = status_sql, API_CALL_COLS(status_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_checkout), .check = status_check, .replay_safe = true,
};

static const char proof_sql[] =
	"SELECT proof_id, size_bytes, sha256, " API_EPOCH_US("started_at")
	" FROM api_attach_proof($1, $2::uuid, $3, $4, $5, $6::bytea)";
static const struct api_col proof_cols[] = {
	API_COL(API_UUID, struct db_proof, proof_id),
	API_COL(API_INT64, struct db_proof, size_bytes),
	API_COL(API_TEXT_NULL, struct db_proof, sha256),
	API_COL(API_INT64, struct db_proof, started_us),
};
/* No key: a repeat after a lost answer would store the proof twice. */
static const struct api_call proof_call = {
	.sql = proof_sql, API_CALL_COLS(proof_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_proof),
};

/* Check a parsed outcome and turn a stored failure into its error.
 * "ok" needs an order; "failed" needs a known reason. */
static bz_err
stored_outcome(struct db_checkout *out, char *err, size_t errlen)
{
	if (strcmp(out->outcome, "ok") == 0) {
		if (out->order_id[0] == '\0') {
			snprintf(err, errlen, "the server said the checkout succeeded but named no order");
			return BZ_ERR_INTERNAL;
		}
		out->error = BZ_OK;
		return BZ_OK;
	}
	if (strcmp(out->outcome, "failed") == 0) {
		out->error = api_error_from_code(out->error_code);
		if (out->error == BZ_OK)
			out->error = BZ_ERR_INTERNAL;  /* failed without saying why */
		snprintf(err, errlen, "%s", out->error_message ? out->error_message
		                                               : bz_err_message(out->error));
		return out->error;
	}
	if (strcmp(out->outcome, "unknown") == 0)
		return BZ_OK;
	snprintf(err, errlen, "the server returned an unknown checkout outcome (%.40s)", out->outcome);
	return BZ_ERR_INTERNAL;
}

void
db_checkout_request(struct db_request *req, const char *token, const char *idempotency_key,
                    int64_t cart_version, const char *promo_code, const char *payment_method)
{
	char version[24];
	const char *params[] = { token, idempotency_key, api_int64_param(version, cart_version),
	                         api_opt(promo_code), payment_method };

	api_request(req, &checkout_call, 5, params);
}

/* A checkout's answer: placed, or a stored failure. */
static bz_err
checkout_check(const struct db_request *req, void *out_, char *err, size_t errlen)
{
	struct db_checkout *out = out_;
	bz_err rc;

	rc = stored_outcome(out, err, errlen);
	/* The call worked; the shop said no: that is the call's outcome. */
	if (strcmp(out->outcome, "failed") == 0)
		db_events_refused(req, out->error_code);
	/* "unknown" is checkout_status's word, never checkout's. */
	if (rc == BZ_OK && strcmp(out->outcome, "ok") != 0) {
		snprintf(err, errlen, "the server returned checkout outcome %.40s", out->outcome);
		rc = BZ_ERR_INTERNAL;
	}
	if (rc == BZ_ERR_INTERNAL)
		db_checkout_free(out);
	return rc;
}

bz_err
db_checkout_result(const struct db_request *req, struct db_checkout *out, char *err, size_t errlen)
{
	return api_result(req, &checkout_call, out, err, errlen);
}

/* Build api_checkout or api_checkout_status from struct checkout_args. */
static void
build_checkout(struct db_request *req, void *ctx)
{
	const struct checkout_args *a = ctx;

	if (a->status_only)
		db_checkout_status_request(req, a->token, a->key);
	else
		db_checkout_request(req, a->token, a->key, a->cart_version, a->promo_code,
		                    a->payment_method);
}

bz_err
db_checkout(struct db_conn *conn, const char *token, const char *idempotency_key,
            int64_t cart_version, const char *promo_code, const char *payment_method,
            struct db_checkout *out, char *err, size_t errlen)
{
	struct checkout_args args = { token, idempotency_key, cart_version, promo_code,
	                              payment_method, false };

	return api_call(conn, &checkout_call, build_checkout, &args, out, err, errlen);
}

struct checkout_result
db_checkout_classify(bz_err rc, const struct db_checkout *out)
{
	struct checkout_result res = { CHECKOUT_RESULT_OK, BZ_OK };

	if (rc == BZ_OK && out->outcome && strcmp(out->outcome, "unknown") == 0)
		res.kind = CHECKOUT_RESULT_UNKNOWN;
	else if (rc == BZ_OK)
		res.kind = CHECKOUT_RESULT_OK;
	else if (out->outcome && strcmp(out->outcome, "failed") == 0)
		res = (struct checkout_result){ CHECKOUT_RESULT_FAILED, rc };
	else
		/* Nothing stored under the key: the call itself failed. */
		res = (struct checkout_result){ CHECKOUT_RESULT_ERROR, rc };
	return res;
}

void
db_checkout_free(struct db_checkout *out)
{
	api_free(&checkout_call, out);
}

void
db_staff_checkout_for_request(struct db_request *req, const char *token, const char *customer_email,
                              const char *idempotency_key, const char *const *product_ids,
                              const int *quantities, size_t count, const char *promo_code,
                              const char *payment_method)
{
	char **qty_text = xcalloc(count + 1, sizeof *qty_text);
	char *ids, *qtys;

	for (size_t i = 0; i < count; i++)
		qty_text[i] = xasprintf("%d", quantities[i]);
	ids = db_text_array_literal(product_ids, count);
	qtys = db_text_array_literal((const char *const *)qty_text, count);
	{
		const char *params[] = { token, customer_email, idempotency_key, ids, qtys,
		                         api_opt(promo_code), payment_method };

		api_request(req, &checkout_for_call, 7, params);
	}
	for (size_t i = 0; i < count; i++)
		free(qty_text[i]);
	free(qty_text);
	free(ids);
	free(qtys);
}

/* Build api_staff_checkout_for from struct checkout_for_args. */
static void
build_checkout_for(struct db_request *req, void *ctx)
{
	const struct checkout_for_args *a = ctx;

	db_staff_checkout_for_request(req, a->token, a->email, a->key, a->product_ids, a->quantities,
	                              a->count, a->promo_code, a->payment_method);
}

bz_err
db_staff_checkout_for(struct db_conn *conn, const char *token, const char *customer_email,
                      const char *idempotency_key, const char *const *product_ids,
                      const int *quantities, size_t count, const char *promo_code,
                      const char *payment_method, struct db_checkout *out, char *err, size_t errlen)
{
	struct checkout_for_args args = { token, customer_email, idempotency_key, product_ids,
	                                  quantities, count, promo_code, payment_method };

	return api_call(conn, &checkout_for_call, build_checkout_for, &args, out, err, errlen);
}

void
db_checkout_status_request(struct db_request *req, const char *token, const char *idempotency_key)
{
	const char *params[] = { token, idempotency_key };

	api_request(req, &status_call, 2, params);
}

/* A status's answer: any known outcome answers the question. */
static bz_err
status_check(const struct db_request *req, void *out_, char *err, size_t errlen)
{
	struct db_checkout *out = out_;
	bz_err rc;

	(void)req;
	rc = stored_outcome(out, err, errlen);
	if (rc == BZ_ERR_INTERNAL) {
		db_checkout_free(out);
		return rc;
	}
	/* The question was answered; a stored failure is in out->error. */
	return BZ_OK;
}

bz_err
db_checkout_status_result(const struct db_request *req, struct db_checkout *out, char *err,
                          size_t errlen)
{
	return api_result(req, &status_call, out, err, errlen);
}

bz_err
db_checkout_status(struct db_conn *conn, const char *token, const char *idempotency_key,
                   struct db_checkout *out, char *err, size_t errlen)
{
	struct checkout_args args = { token, idempotency_key, 0, NULL, NULL, true };

	return api_call(conn, &status_call, build_checkout, &args, out, err, errlen);
}

void
db_attach_proof_request(struct db_request *req, const char *token, const char *order_id,
                        const char *reference, const char *file_name, const char *content_type,
                        const void *image, size_t image_len)
{
	const char *params[] = { token, order_id, reference, api_opt(file_name),
	                         api_opt(content_type), NULL };

	api_request(req, &proof_call, 6, params);
	/* Binary: a 5 MB picture goes as 5 MB, not as 10 MB of hex text. */
	if (image != NULL)
		db_request_param_binary(req, 5, image, image_len);
}

bz_err
db_attach_proof_result(const struct db_request *req, struct db_proof *out, char *err, size_t errlen)
{
	return api_result(req, &proof_call, out, err, errlen);
}

/* Build api_attach_proof from struct proof_args. */
static void
build_proof(struct db_request *req, void *ctx)
{
	const struct proof_args *a = ctx;

	db_attach_proof_request(req, a->token, a->order_id, a->reference, a->file_name,
	                        a->content_type, a->image, a->image_len);
}

bz_err
db_attach_proof(struct db_conn *conn, const char *token, const char *order_id,
                const char *reference, const char *file_name, const char *content_type,
                const void *image, size_t image_len, struct db_proof *out, char *err, size_t errlen)
{
	struct proof_args args = { token, order_id, reference, file_name, content_type, image, image_len };

	return api_call(conn, &proof_call, build_proof, &args, out, err, errlen);
}

void
db_proof_free(struct db_proof *out)
{
	api_free(&proof_call, out);
}
