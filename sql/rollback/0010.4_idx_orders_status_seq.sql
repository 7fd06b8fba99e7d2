-- bazar:no-transaction
--
-- Rollback of 0010.4_idx_orders_status_seq: drop the index of orders by status and change_seq.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.orders_status_seq_idx;
