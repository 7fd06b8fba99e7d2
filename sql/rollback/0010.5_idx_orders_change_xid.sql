-- bazar:no-transaction
--
-- Rollback of 0010.5_idx_orders_change_xid: drop the index of orders by change_xid.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.orders_change_xid_idx;
