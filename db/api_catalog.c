/* Typed calls for the catalog (0008): keyset pages, categories, one
 * product. Reads: always safe to run again. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static const struct api_call keyset_call = {
	.sql = keyset_sql, API_CALL_COLS(keyset_cols), API_CALL_LIST(struct catalog_page, items),
	.replay_safe = true,
};

static const char categories_sql[] = "SELECT category, products FROM api_categories()";
static const struct api_col category_cols[] = {
	API_COL(API_TEXT, struct db_category, category),
	API_COL(API_INT64, struct db_category, products),
};
static const struct api_call categories_call = {
	.sql = categories_sql, API_CALL_COLS(category_cols), API_CALL_LIST(struct db_categories, items),
	.replay_safe = true,
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
static const struct api_call product_call = {
	.sql = product_sql, API_CALL_COLS(product_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_product), .replay_safe = true,
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

	api_request(req, &keyset_call, 6, params);
}

bz_err
db_catalog_keyset_result(const struct db_request *req, struct catalog_page *out, char *err,
                         size_t errlen)
{
	return api_result(req, &keyset_call, out, err, errlen);
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

	return api_call(conn, &keyset_call, build_keyset, &args, out, err, errlen);
}

void
db_categories_request(struct db_request *req)
{
	api_request(req, &categories_call, 0, NULL);
}

bz_err
db_categories_result(const struct db_request *req, struct db_categories *out, char *err,
                     size_t errlen)
{
	return api_result(req, &categories_call, out, err, errlen);
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
	return api_call(conn, &categories_call, build_categories, NULL, out, err, errlen);
}

void
db_categories_free(struct db_categories *out)
{
	api_free(&categories_call, out);
}

void
db_product_request(struct db_request *req, const char *product_id)
{
	const char *params[] = { product_id };

	api_request(req, &product_call, 1, params);
}

bz_err
db_product_result(const struct db_request *req, struct db_product *out, char *err, size_t errlen)
{
	return api_result(req, &product_call, out, err, errlen);
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
	return api_call(conn, &product_call, build_product, (void *)(uintptr_t)product_id, out, err,
	                errlen);
}

void
db_product_free(struct db_product *out)
{
	api_free(&product_call, out);
}
