-- bazar:no-transaction
-- bazar:index public.order_items_order_idx
--
-- The lines of an order; also keeps ON DELETE CASCADE from orders cheap.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS order_items_order_idx
	ON public.order_items (order_id);
