-- bazar:no-transaction
-- bazar:index public.product_codes_order_idx
--
-- The codes delivered on an order (receipts, refunds, the console).
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS product_codes_order_idx
	ON public.product_codes (order_id)
	WHERE order_id IS NOT NULL;
