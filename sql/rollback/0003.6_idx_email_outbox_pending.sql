-- bazar:no-transaction
--
-- Rollback of 0003.6_idx_email_outbox_pending: drop the partial index of mail still to send.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.email_outbox_pending_idx;
