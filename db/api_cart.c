/* Typed calls for the server-side cart (0008): get, set a line, clear.
 * See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/retry.h"
#include "core/xalloc.h"
#include "db/api_internal.h"

struct cart_args {
	const char *token;
	int64_t expected_version;
	const char *product_id;
	int quantity;
	bool clear;
};

static void build_cart_get(struct db_request *req, void *ctx);
static void build_cart_change(struct db_request *req, void *ctx);
static bz_err cart_fold(void *rows, size_t count, void *out, char *err, size_t errlen);
static bz_err version_result(const struct db_request *req, struct db_cart_version *out,
                             char *err, size_t errlen);
static bz_err run_change(struct db_conn *conn, struct cart_args *args,
                         struct db_cart_version *out, char *err, size_t errlen);

static const char cart_get_sql[] =
	"SELECT version, product_id, name, category, unit_price_cents, quantity, line_total_cents,"
	" available, is_active FROM api_cart_get($1)";

/* A row as it comes: the empty cart is one row with only the version. */
struct cart_row {
	int64_t version;
	char product_id[DB_UUID_SIZE];
	char *name;
	char *category;
	int64_t unit_price_cents;
	int64_t quantity;
	int64_t line_total_cents;
	int64_t available;
	bool is_active;
};
static const struct api_col cart_cols[] = {
	API_COL(API_INT64, struct cart_row, version),
	API_COL(API_UUID_NULL, struct cart_row, product_id),
	API_COL(API_TEXT_NULL, struct cart_row, name),
	API_COL(API_TEXT_NULL, struct cart_row, category),
	API_COL(API_INT64_NULL, struct cart_row, unit_price_cents),
	API_COL(API_INT64_NULL, struct cart_row, quantity),
	API_COL(API_INT64_NULL, struct cart_row, line_total_cents),
	API_COL(API_INT64_NULL, struct cart_row, available),
	API_COL(API_BOOL_NULL, struct cart_row, is_active),
};
static const struct api_call cart_get_call = {
	.sql = cart_get_sql, API_CALL_COLS(cart_cols), .shape = API_SHAPE_ROWS,
	.out_size = sizeof(struct db_cart), .row_size = sizeof(struct cart_row),
	.fold = cart_fold, .replay_safe = true,
};

static const char cart_set_sql[] =
	"SELECT version, " API_EPOCH_US("started_at")
	" FROM api_cart_set($1, $2::bigint, $3::uuid, $4::integer)";
static const char cart_clear_sql[] =
	"SELECT version, " API_EPOCH_US("started_at") " FROM api_cart_clear($1, $2::bigint)";
static const struct api_col version_cols[] = {
	API_COL(API_INT64, struct db_cart_version, version),
	API_COL(API_INT64, struct db_cart_version, started_us),
};
/* Only their requests use these: a change runs through run_change. */
static const struct api_call cart_set_call = {
	.sql = cart_set_sql, API_CALL_COLS(version_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_cart_version), .replay_safe = true,
};
static const struct api_call cart_clear_call = {
	.sql = cart_clear_sql, API_CALL_COLS(version_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_cart_version), .replay_safe = true,
};

void
db_cart_get_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &cart_get_call, 1, params);
}

/* The cart from its rows: one version, lines with a product. */
static bz_err
cart_fold(void *rows_, size_t count, void *out_, char *err, size_t errlen)
{
	struct cart_row *rows = rows_;
	struct db_cart *out = out_;
	bz_err rc = BZ_OK;

	if (count == 0) {
		snprintf(err, errlen, "the server returned no cart row (not even its version)");
		rc = BZ_ERR_INTERNAL;
		goto out;
	}
	out->version = rows[0].version;
	out->lines = xcalloc(count, sizeof *out->lines);
	for (size_t i = 0; i < count; i++) {
		struct cart_row *r = &rows[i];
		struct db_cart_line *line;

		if (r->product_id[0] == '\0') {
			/* Only the lone row of an empty cart may lack a product. */
			if (count != 1) {
				snprintf(err, errlen, "the server returned a cart line without a product");
				rc = BZ_ERR_INTERNAL;
				goto out;
			}
			continue;
		}
		if (r->version != out->version || r->name == NULL || r->quantity < 1 ||
		    r->quantity > 1000000) {
			snprintf(err, errlen, "the server returned a malformed cart line (row %zu)", i);
			rc = BZ_ERR_INTERNAL;
			goto out;
		}
		line = &out->lines[out->count++];
		memcpy(line->product_id, r->product_id, sizeof line->product_id);
		line->name = r->name;
		line->category = r->category ? r->category : xstrdup("");
		r->name = r->category = NULL;
		line->unit_price_cents = r->unit_price_cents;
		line->quantity = (int)r->quantity;
		line->line_total_cents = r->line_total_cents;
		line->available = r->available;
		line->is_active = r->is_active;
		out->subtotal_cents += r->line_total_cents;
	}
out:
	if (rc != BZ_OK)
		db_cart_free(out);
	return rc;
}

bz_err
db_cart_get_result(const struct db_request *req, struct db_cart *out, char *err, size_t errlen)
{
	return api_result(req, &cart_get_call, out, err, errlen);
}

/* Build api_cart_get; CTX is the token. */
static void
build_cart_get(struct db_request *req, void *ctx)
{
	db_cart_get_request(req, ctx);
}

bz_err
db_cart_get(struct db_conn *conn, const char *token, struct db_cart *out, char *err, size_t errlen)
{
	return api_call(conn, &cart_get_call, build_cart_get, (void *)(uintptr_t)token, out, err,
	                errlen);
}

void
db_cart_free(struct db_cart *cart)
{
	for (size_t i = 0; cart->lines && i < cart->count; i++) {
		free(cart->lines[i].name);
		free(cart->lines[i].category);
	}
	free(cart->lines);
	memset(cart, 0, sizeof *cart);
}

void
db_cart_set_request(struct db_request *req, const char *token, int64_t expected_version,
                    const char *product_id, int quantity)
{
	char version[24], qty[24];
	const char *params[] = { token, api_int64_param(version, expected_version), product_id,
	                         api_int64_param(qty, quantity) };

	api_request(req, &cart_set_call, 4, params);
}

void
db_cart_clear_request(struct db_request *req, const char *token, int64_t expected_version)
{
	char version[24];
	const char *params[] = { token, api_int64_param(version, expected_version) };

	api_request(req, &cart_clear_call, 2, params);
}

/* The answer of a cart change; a stale version carries the current one
 * in the DETAIL ("version=N"). */
static bz_err
version_result(const struct db_request *req, struct db_cart_version *out, char *err, size_t errlen)
{
	bz_err rc = api_result(req, &cart_set_call, out, err, errlen);

	if (rc == BZ_ERR_CART_CHANGED && !api_detail_int64(req->detail, "version", &out->version))
		out->version = -1;
	return rc;
}

bz_err
db_cart_set_result(const struct db_request *req, struct db_cart_version *out, char *err, size_t errlen)
{
	return version_result(req, out, err, errlen);
}

bz_err
db_cart_clear_result(const struct db_request *req, struct db_cart_version *out, char *err,
                     size_t errlen)
{
	return version_result(req, out, err, errlen);
}

/* Build a set or a clear from struct cart_args. */
static void
build_cart_change(struct db_request *req, void *ctx)
{
	const struct cart_args *a = ctx;

	if (a->clear)
		db_cart_clear_request(req, a->token, a->expected_version);
	else
		db_cart_set_request(req, a->token, a->expected_version, a->product_id, a->quantity);
}

/* A change is harmless to send again: one that did commit bumped the
 * version, so its repeat is refused as stale rather than applied twice. */
static bz_err
run_change(struct db_conn *conn, struct cart_args *args, struct db_cart_version *out,
           char *err, size_t errlen)
{
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = api_run(conn, &req, build_cart_change, args, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	if (rc == BZ_OK || req.state == DB_REQ_FAILED)
		rc = version_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

bz_err
db_cart_set(struct db_conn *conn, const char *token, int64_t expected_version,
            const char *product_id, int quantity, struct db_cart_version *out,
            char *err, size_t errlen)
{
	struct cart_args args = { token, expected_version, product_id, quantity, false };

	return run_change(conn, &args, out, err, errlen);
}

bz_err
db_cart_clear(struct db_conn *conn, const char *token, int64_t expected_version,
              struct db_cart_version *out, char *err, size_t errlen)
{
	struct cart_args args = { token, expected_version, NULL, 0, true };

	return run_change(conn, &args, out, err, errlen);
}
