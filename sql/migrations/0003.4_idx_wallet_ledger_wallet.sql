-- bazar:no-transaction
-- bazar:index public.wallet_ledger_wallet_created_idx
--
-- A wallet's statement in time order.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS wallet_ledger_wallet_created_idx
	ON public.wallet_ledger (wallet_id, created_at);
