-- bazar:no-transaction
--
-- Rollback of 0003.2_idx_orders_user: drop the index of orders by customer.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.orders_user_created_idx;
