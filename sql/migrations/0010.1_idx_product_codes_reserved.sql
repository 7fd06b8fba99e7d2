-- bazar:no-transaction
-- bazar:index public.product_codes_reserved_idx
--
-- Reserved codes by product and expiry: the checkout's lazy expiry looks
-- up the lapsed reservations of the products it is about to claim
-- (0010's bz_checkout_run) on every checkout, so this must be an index
-- probe, not a scan. Partial, so it stays as small as the unpaid stock.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS product_codes_reserved_idx
	ON public.product_codes (product_id, reserved_until)
	WHERE status = 'reserved';
