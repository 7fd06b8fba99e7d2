-- bazar:no-transaction
-- bazar:index public.orders_status_seq_idx
--
-- Orders of one status by change sequence, for the staff's order list
-- filtered by status (api_staff_orders, 0011), e.g. the approval queue.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_seq_idx
	ON public.orders (status, change_seq);
