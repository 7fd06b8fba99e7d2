-- bazar:no-transaction
--
-- Rollback of 0003.3_idx_order_items_order: drop the index of order lines by order.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.order_items_order_idx;
