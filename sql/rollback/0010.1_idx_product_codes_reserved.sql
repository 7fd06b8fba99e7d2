-- bazar:no-transaction
--
-- Rollback of 0010.1_idx_product_codes_reserved: drop the partial index of reserved codes.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.product_codes_reserved_idx;
