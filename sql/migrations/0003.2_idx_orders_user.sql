-- bazar:no-transaction
-- bazar:index public.orders_user_created_idx
--
-- A customer's orders, newest first (order history, per-user checks).
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_created_idx
	ON public.orders (user_id, created_at);
