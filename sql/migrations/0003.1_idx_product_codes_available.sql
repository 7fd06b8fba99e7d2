-- bazar:no-transaction
-- bazar:index public.product_codes_available_idx
--
-- The available codes of each product in claim order, for
-- claim_product_codes_atomic (ORDER BY created_at, id LIMIT n FOR UPDATE
-- SKIP LOCKED) and catalog stock counts. Without it every claim walks past
-- all the product's sold codes: a hot product's claim rate dropped from
-- about 1,000 to about 17 per second here. Partial, so it stays as small as
-- the unsold stock.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS product_codes_available_idx
	ON public.product_codes (product_id, created_at, id)
	WHERE status = 'available';
