-- bazar:no-transaction
-- bazar:index public.audit_log_entity_idx
--
-- Audit rows by what they are about: an order's history
-- (api_staff_order_history, 0020) reads its rows by (entity, entity_id),
-- newest last. Without it every detail view scans the whole log, which
-- only grows.
--
-- Built CONCURRENTLY so staff actions keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_entity_idx
	ON public.audit_log (entity, entity_id, at);
