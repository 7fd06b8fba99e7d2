/* The catalog's page struct; see catalog.h. (The offset-paged
 * db_catalog_page that lived here is gone: the storefront reads keyset
 * pages, db_catalog_keyset. The SQL function catalog_page stays for
 * older clients.) */
#include "config.h"
#include "db/catalog.h"

#include <stdlib.h>

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
