-- bazar:no-transaction
--
-- Rollback of 0020.1_idx_audit_log_entity: drop the index of audit rows by entity.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.audit_log_entity_idx;
