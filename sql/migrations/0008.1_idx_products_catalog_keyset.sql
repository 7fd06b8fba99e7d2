-- bazar:no-transaction
-- bazar:index public.products_catalog_keyset_idx
--
-- The catalog in page order: api_catalog_page (0008) reads each page as a
-- range of this index after the previous page's (category, name, id), and
-- a category filter is a prefix of it, so a page costs the same at product
-- 100,000 as at product 1 and never sorts the table. Partial: withdrawn
-- products are never listed.
--
-- products is an existing table: built CONCURRENTLY, outside a
-- transaction, one statement. A failed build leaves an INVALID index; the
-- runner drops it (named above) before retrying.
CREATE INDEX CONCURRENTLY IF NOT EXISTS products_catalog_keyset_idx
	ON public.products (category, name, id)
	WHERE is_active;
