-- bazar:no-transaction
--
-- Rollback of 0008.1_idx_products_catalog_keyset: drop the catalog's
-- keyset index. An index holds no data of its own. CONCURRENTLY, so the
-- shop is not blocked; that cannot run in a transaction, hence the single
-- statement.
DROP INDEX CONCURRENTLY IF EXISTS public.products_catalog_keyset_idx;
