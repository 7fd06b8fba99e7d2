-- bazar:no-transaction
--
-- Rollback of 0010.2_idx_orders_awaiting_expiry: drop the partial index of orders awaiting payment.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.orders_awaiting_expiry_idx;
