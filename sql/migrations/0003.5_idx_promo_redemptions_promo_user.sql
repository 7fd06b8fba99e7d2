-- bazar:no-transaction
-- bazar:index public.promo_redemptions_promo_user_idx
--
-- Counting one customer's uses of a promo (per_user_limit) at checkout.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS promo_redemptions_promo_user_idx
	ON public.promo_redemptions (promo_id, user_id);
