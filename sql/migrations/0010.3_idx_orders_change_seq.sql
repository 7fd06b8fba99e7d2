-- bazar:no-transaction
-- bazar:index public.orders_change_seq_idx
--
-- Orders by change sequence, for the staff's order list across all
-- statuses (api_staff_orders with no status, 0011).
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_change_seq_idx
	ON public.orders (change_seq);
