-- bazar:no-transaction
--
-- Rollback of 0010.6_idx_payment_proofs_order: drop the index of payment proofs by order.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.payment_proofs_order_idx;
