-- bazar:no-transaction
-- bazar:index public.orders_change_xid_idx
--
-- Orders by the transaction that last changed them: the cursor of the
-- staff console's change feed (api_staff_order_changes, 0012).
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_change_xid_idx
	ON public.orders (change_xid);
