/* Catalog reads for the storefront, through the SQL API function
 * catalog_page(p_search text, p_limit integer, p_offset integer). */
#ifndef BAZAR_DB_CATALOG_H
#define BAZAR_DB_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct db_conn;

struct catalog_item {
	char id[37];          /* uuid text */
	char *name;           /* owned */
	char *category;       /* owned */
	int64_t price_cents;
	int64_t stock;        /* available codes right now */
};

struct catalog_page {
	struct catalog_item *items; /* owned */
	size_t count;
};

/* One page of active products, ordered by category then name. search may be
 * NULL or "" for all; limit 1..500. */
bz_err db_catalog_page(struct db_conn *conn, const char *search, int limit, int offset,
                       struct catalog_page *out, char *err, size_t errlen);
void catalog_page_free(struct catalog_page *page);

#endif
