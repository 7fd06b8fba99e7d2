-- bazar:no-transaction
--
-- Rollback of 0003.5_idx_promo_redemptions_promo_user: drop the index of redemptions by promo and customer.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.promo_redemptions_promo_user_idx;
