/* Typed calls for promo holds (0009): apply (validate and hold one use)
 * and release. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/retry.h"
#include "db/api_internal.h"

struct promo_args {
	const char *token, *code;
	int64_t cart_version;
};

static void build_apply(struct db_request *req, void *ctx);
static void build_release(struct db_request *req, void *ctx);

static const char apply_sql[] =
	"SELECT status, message, promo_code, discount_cents, subtotal_cents, total_cents, "
	API_EPOCH_US("hold_expires_at") ", " API_EPOCH_US("started_at")
	" FROM api_promo_apply($1, $2, $3::bigint)";
static const struct api_col apply_cols[] = {
	API_COL(API_TEXT, struct db_promo_apply, status),
	API_COL(API_TEXT, struct db_promo_apply, message),
	API_COL(API_TEXT_NULL, struct db_promo_apply, promo_code),
	API_COL(API_INT64_NULL, struct db_promo_apply, discount_cents),
	API_COL(API_INT64_NULL, struct db_promo_apply, subtotal_cents),
	API_COL(API_INT64_NULL, struct db_promo_apply, total_cents),
	API_COL(API_INT64_NULL, struct db_promo_apply, hold_expires_us),
	API_COL(API_INT64, struct db_promo_apply, started_us),
};

static const char release_sql[] = "SELECT 1 FROM api_promo_release($1, $2)";

void
db_promo_apply_request(struct db_request *req, const char *token, const char *code,
                       int64_t cart_version)
{
	char version[24];
	const char *params[] = { token, code, api_int64_param(version, cart_version) };

	db_request_init(req, apply_sql, 3, params);
	db_request_expect(req, API_NCOLS(apply_cols), 1);
}

bz_err
db_promo_apply_result(const struct db_request *req, struct db_promo_apply *out, char *err,
                      size_t errlen)
{
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	rc = api_parse_row(req, 0, apply_cols, API_NCOLS(apply_cols), out, err, errlen);
	if (rc != BZ_OK)
		return rc;
	if (strcmp(out->status, "ok") == 0)
		return BZ_OK;
	/* A business answer: the row stays filled for the caller to show. */
	snprintf(err, errlen, "%s", out->message);
	return strcmp(out->status, "hold_limit") == 0 ? BZ_ERR_LIMIT_REACHED : BZ_ERR_PROMO_UNAVAILABLE;
}

/* Build api_promo_apply from struct promo_args. */
static void
build_apply(struct db_request *req, void *ctx)
{
	const struct promo_args *a = ctx;

	db_promo_apply_request(req, a->token, a->code, a->cart_version);
}

bz_err
db_promo_apply(struct db_conn *conn, const char *token, const char *code, int64_t cart_version,
               struct db_promo_apply *out, char *err, size_t errlen)
{
	struct promo_args args = { token, code, cart_version };
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	/* A user holds at most one use per promo (an existing hold is
	 * reused), so a repeat cannot take a second one. */
	rc = api_run(conn, &req, build_apply, &args, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	if (rc == BZ_OK)
		rc = db_promo_apply_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_promo_apply_free(struct db_promo_apply *out)
{
	api_free_row(apply_cols, API_NCOLS(apply_cols), out);
}

void
db_promo_release_request(struct db_request *req, const char *token, const char *code)
{
	const char *params[] = { token, code };

	db_request_init(req, release_sql, 2, params);
	db_request_expect(req, 1, 1);
}

bz_err
db_promo_release_result(const struct db_request *req, char *err, size_t errlen)
{
	return api_outcome(req, err, errlen);
}

/* Build api_promo_release from struct promo_args. */
static void
build_release(struct db_request *req, void *ctx)
{
	const struct promo_args *a = ctx;

	db_promo_release_request(req, a->token, a->code);
}

bz_err
db_promo_release(struct db_conn *conn, const char *token, const char *code, char *err, size_t errlen)
{
	struct promo_args args = { token, code, 0 };
	struct db_request req = { 0 };
	bz_err rc;

	rc = api_run(conn, &req, build_release, &args, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	db_request_free(&req);
	return rc;
}
