/* The catalog's rows as the storefront holds them: what one keyset page
 * of api_catalog_page (db_catalog_keyset in db/api.h) returns. */
#ifndef BAZAR_DB_CATALOG_H
#define BAZAR_DB_CATALOG_H

#include <stddef.h>
#include <stdint.h>

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

/* Free the items and their strings; accepts a zeroed page. */
void catalog_page_free(struct catalog_page *page);

#endif
