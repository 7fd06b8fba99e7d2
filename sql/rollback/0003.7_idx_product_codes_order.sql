-- bazar:no-transaction
--
-- Rollback of 0003.7_idx_product_codes_order: drop the partial index of codes by order.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.product_codes_order_idx;
