/* Typed calls for the catalog (0008): keyset pages, categories, one
 * product. Reads: always safe to run again. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/retry.h"
#include "db/api_internal.h"

struct keyset_args {
	const char *search, *category;
	const struct db_catalog_cursor *after;
	int limit;
};

static void build_keyset(struct db_request *req, void *ctx);
static void build_categories(struct db_request *req, void *ctx);
static void build_product(struct db_request *req, void *ctx);

static const char keyset_sql[] =
	"SELECT id, name, category, price_cents, stock"
	" FROM api_catalog_page($1, $2, $3, $4, $5::uuid, $6::integer)";
static const struct api_col keyset_cols[] = {
	API_COL(API_UUID, struct catalog_item, id),
	API_COL(API_TEXT, struct catalog_item, name),
	API_COL(API_TEXT, struct catalog_item, category),
	API_COL(API_INT64, struct catalog_item, price_cents),
	API_COL(API_INT64, struct catalog_item, stock),
};

static const char categories_sql[] = "SELECT category, products FROM api_categories()";
static const struct api_col category_cols[] = {
	API_COL(API_TEXT, struct db_category, category),
	API_COL(API_INT64, struct db_category, products),
};

static const char product_sql[] =
	"SELECT id, name, description, category, price_cents, stock FROM api_product($1::uuid)";
static const struct api_col product_cols[] = {
	API_COL(API_UUID, struct db_product, id),
	API_COL(API_TEXT, struct db_product, name),
	API_COL(API_TEXT, struct db_product, description),
	API_COL(API_TEXT, struct db_product, category),
	API_COL(API_INT64, struct db_product, price_cents),
	API_COL(API_INT64, struct db_product, stock),
};

void
db_catalog_keyset_request(struct db_request *req, const char *search, const char *category,
                          const struct db_catalog_cursor *after, int limit)
{
	char limit_text[24];
	bool first = after == NULL || after->id == NULL || *after->id == '\0';
	const char *params[] = {
		api_opt(search), api_opt(category),
		first ? NULL : after->category, first ? NULL : after->name, first ? NULL : after->id,
		api_int64_param(limit_text, limit),
	};

	db_request_init(req, keyset_sql, 6, params);
	db_request_expect(req, API_NCOLS(keyset_cols), DB_ANY);
}

bz_err
db_catalog_keyset_result(const struct db_request *req, struct catalog_page *out, char *err,
                         size_t errlen)
{
	void *rows = NULL;
	bz_err rc = api_outcome(req, err, errlen);

	out->items = NULL;
	out->count = 0;
	if (rc != BZ_OK)
		return rc;
	rc = api_parse_rows(req, keyset_cols, API_NCOLS(keyset_cols), sizeof *out->items, &rows,
	                    &out->count, err, errlen);
	out->items = rows;
	return rc;
}

/* Build api_catalog_page from struct keyset_args. */
static void
build_keyset(struct db_request *req, void *ctx)
{
	const struct keyset_args *a = ctx;

	db_catalog_keyset_request(req, a->search, a->category, a->after, a->limit);
}

bz_err
db_catalog_keyset(struct db_conn *conn, const char *search, const char *category,
                  const struct db_catalog_cursor *after, int limit, struct catalog_page *out,
                  char *err, size_t errlen)
{
	struct keyset_args args = { search, category, after, limit };
	struct db_request req = { 0 };
	bz_err rc;

	out->items = NULL;
	out->count = 0;
	rc = api_run(conn, &req, build_keyset, &args, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	if (rc == BZ_OK)
		rc = db_catalog_keyset_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_categories_request(struct db_request *req)
{
	db_request_init(req, categories_sql, 0, NULL);
	db_request_expect(req, API_NCOLS(category_cols), DB_ANY);
}

bz_err
db_categories_result(const struct db_request *req, struct db_categories *out, char *err,
                     size_t errlen)
{
	void *rows = NULL;
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	rc = api_parse_rows(req, category_cols, API_NCOLS(category_cols), sizeof *out->items, &rows,
	                    &out->count, err, errlen);
	out->items = rows;
	return rc;
}

/* Build api_categories. */
static void
build_categories(struct db_request *req, void *ctx)
{
	(void)ctx;
	db_categories_request(req);
}

bz_err
db_categories(struct db_conn *conn, struct db_categories *out, char *err, size_t errlen)
{
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = api_run(conn, &req, build_categories, NULL, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	if (rc == BZ_OK)
		rc = db_categories_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_categories_free(struct db_categories *out)
{
	api_free_rows(category_cols, API_NCOLS(category_cols), sizeof *out->items, out->items,
	              out->count);
	memset(out, 0, sizeof *out);
}

void
db_product_request(struct db_request *req, const char *product_id)
{
	const char *params[] = { product_id };

	db_request_init(req, product_sql, 1, params);
	db_request_expect(req, API_NCOLS(product_cols), 1);
}

bz_err
db_product_result(const struct db_request *req, struct db_product *out, char *err, size_t errlen)
{
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	return api_parse_row(req, 0, product_cols, API_NCOLS(product_cols), out, err, errlen);
}

/* Build api_product; CTX is the product id. */
static void
build_product(struct db_request *req, void *ctx)
{
	db_product_request(req, ctx);
}

bz_err
db_product(struct db_conn *conn, const char *product_id, struct db_product *out, char *err,
           size_t errlen)
{
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = api_run(conn, &req, build_product, (void *)(uintptr_t)product_id,
	             RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	if (rc == BZ_OK)
		rc = db_product_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_product_free(struct db_product *out)
{
	api_free_row(product_cols, API_NCOLS(product_cols), out);
}
