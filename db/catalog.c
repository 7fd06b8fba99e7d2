/* Catalog reads for the storefront; see catalog.h. One typed C function
 * over the SQL API function catalog_page(), which the kiosk role may
 * execute (it has no table privileges of its own). */
#include "config.h"
#include "db/catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/db_internal.h"

#define CATALOG_MAX_LIMIT 500
/* A search longer than this is a paste accident, not a product name. */
#define CATALOG_MAX_SEARCH 200

/* Columns in the order the SELECT below names them. */
enum { COL_ID, COL_NAME, COL_CATEGORY, COL_PRICE, COL_STOCK, COL__COUNT };

static const char catalog_sql[] =
	"SELECT id, name, category, price_cents, stock FROM catalog_page($1, $2, $3)";

static bz_err parse_int64(const char *text, int64_t *out);
static bz_err copy_row(const PGresult *res, int row, struct catalog_item *item,
                       char *err, size_t errlen);

/* Parse a bigint column in text form; anything but a whole number is a
 * server answer we did not expect. */
static bz_err
parse_int64(const char *text, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0')
		return BZ_ERR_INTERNAL;
	*out = (int64_t)v;
	return BZ_OK;
}

/* Fill ITEM from ROW of RES. On error ITEM holds nothing to free. */
static bz_err
copy_row(const PGresult *res, int row, struct catalog_item *item, char *err, size_t errlen)
{
	const char *id = PQgetvalue(res, row, COL_ID);

	memset(item, 0, sizeof *item);
	if (PQgetisnull(res, row, COL_ID) || strlen(id) >= sizeof item->id ||
	    PQgetisnull(res, row, COL_PRICE) || PQgetisnull(res, row, COL_STOCK) ||
	    parse_int64(PQgetvalue(res, row, COL_PRICE), &item->price_cents) != BZ_OK ||
	    parse_int64(PQgetvalue(res, row, COL_STOCK), &item->stock) != BZ_OK) {
		snprintf(err, errlen, "catalog_page returned a malformed row %d", row);
		return BZ_ERR_INTERNAL;
	}
	memcpy(item->id, id, strlen(id) + 1);
	/* A product without a category still has to be listed somewhere. */
	item->name = xstrdup(PQgetvalue(res, row, COL_NAME));
	item->category = xstrdup(PQgetisnull(res, row, COL_CATEGORY) ? ""
	                         : PQgetvalue(res, row, COL_CATEGORY));
	return BZ_OK;
}

bz_err
db_catalog_page(struct db_conn *conn, const char *search, int limit, int offset,
                struct catalog_page *out, char *err, size_t errlen)
{
	char limit_text[16], offset_text[16];
	const char *params[3];
	PGresult *res = NULL;
	bz_err rc = BZ_OK;
	int rows;

	out->items = NULL;
	out->count = 0;
	if (limit < 1 || limit > CATALOG_MAX_LIMIT || offset < 0) {
		snprintf(err, errlen, "catalog page limit must be 1..%d and offset >= 0",
		         CATALOG_MAX_LIMIT);
		return BZ_ERR_INVALID_INPUT;
	}
	if (search != NULL && strlen(search) > CATALOG_MAX_SEARCH) {
		snprintf(err, errlen, "search text is longer than %d bytes", CATALOG_MAX_SEARCH);
		return BZ_ERR_INVALID_INPUT;
	}
	snprintf(limit_text, sizeof limit_text, "%d", limit);
	snprintf(offset_text, sizeof offset_text, "%d", offset);
	/* SQL NULL means "no filter"; an empty string would too, but NULL says so. */
	params[0] = (search != NULL && *search != '\0') ? search : NULL;
	params[1] = limit_text;
	params[2] = offset_text;

	res = PQexecParams(conn->pg, catalog_sql, 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = db_error_from_result(res, err, errlen);
		goto out;
	}
	if (PQnfields(res) != COL__COUNT) {
		snprintf(err, errlen, "catalog_page returned %d columns, expected %d",
		         PQnfields(res), COL__COUNT);
		rc = BZ_ERR_INTERNAL;
		goto out;
	}
	rows = PQntuples(res);
	out->items = xcalloc((size_t)rows, sizeof *out->items);
	for (int i = 0; i < rows; i++) {
		rc = copy_row(res, i, &out->items[i], err, errlen);
		if (rc != BZ_OK)
			break;
		out->count++;
	}
	if (rc != BZ_OK)
		catalog_page_free(out);
out:
	PQclear(res);
	return rc;
}

void
catalog_page_free(struct catalog_page *page)
{
	if (page == NULL)
		return;
	for (size_t i = 0; i < page->count; i++) {
		free(page->items[i].name);
		free(page->items[i].category);
	}
	free(page->items);
	page->items = NULL;
	page->count = 0;
}
