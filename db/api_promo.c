/* Typed calls for promo holds (0009): apply (validate and hold one use)
 * and release. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/api_internal.h"
#include "db/events.h"

struct promo_args {
	const char *token, *code;
	int64_t cart_version;
};

static void build_apply(struct db_request *req, void *ctx);
static void build_release(struct db_request *req, void *ctx);
static bz_err apply_check(const struct db_request *req, void *out, char *err, size_t errlen);

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
/* A user holds at most one use per promo (an existing hold is reused),
 * so a repeat cannot take a second one. */
static const struct api_call apply_call = {
	.sql = apply_sql, API_CALL_COLS(apply_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_promo_apply), .check = apply_check, .replay_safe = true,
};

static const char release_sql[] = "SELECT 1 FROM api_promo_release($1, $2)";
static const struct api_call release_call = {
	.sql = release_sql, .ncols = 1, .shape = API_SHAPE_NONE, .replay_safe = true,
};

void
db_promo_apply_request(struct db_request *req, const char *token, const char *code,
                       int64_t cart_version)
{
	char version[24];
	const char *params[] = { token, code, api_int64_param(version, cart_version) };

	api_request(req, &apply_call, 3, params);
}

/* "ok", or a business answer with the server's sentence. */
static bz_err
apply_check(const struct db_request *req, void *out_, char *err, size_t errlen)
{
	const struct db_promo_apply *out = out_;

	bool limit;

	if (strcmp(out->status, "ok") == 0)
		return BZ_OK;
	/* A business answer: the row stays filled for the caller to show,
	 * and the call's event counts it as the shop's refusal. */
	limit = strcmp(out->status, "hold_limit") == 0;
	db_events_refused(req, limit ? "ZB012" : "ZB002");
	snprintf(err, errlen, "%s", out->message);
	return limit ? BZ_ERR_LIMIT_REACHED : BZ_ERR_PROMO_UNAVAILABLE;
}

bz_err
db_promo_apply_result(const struct db_request *req, struct db_promo_apply *out, char *err,
                      size_t errlen)
{
	return api_result(req, &apply_call, out, err, errlen);
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

	return api_call(conn, &apply_call, build_apply, &args, out, err, errlen);
}

void
db_promo_apply_free(struct db_promo_apply *out)
{
	api_free(&apply_call, out);
}

void
db_promo_release_request(struct db_request *req, const char *token, const char *code)
{
	const char *params[] = { token, code };

	api_request(req, &release_call, 2, params);
}

bz_err
db_promo_release_result(const struct db_request *req, char *err, size_t errlen)
{
	return api_result(req, &release_call, NULL, err, errlen);
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

	return api_call(conn, &release_call, build_release, &args, NULL, err, errlen);
}
