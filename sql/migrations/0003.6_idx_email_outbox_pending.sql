-- bazar:no-transaction
-- bazar:index public.email_outbox_pending_idx
--
-- The mail worker's queue: mails still to send (or whose lease may have
-- expired), by due time. Partial, so sent mail does not slow it down.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS email_outbox_pending_idx
	ON public.email_outbox (next_attempt_at)
	WHERE status IN ('pending', 'sending');
