-- bazar:no-transaction
--
-- Rollback of 0005.2_unique_promo_code_ci: drop the case-insensitive unique
-- index on promo codes. CONCURRENTLY, so checkouts are not blocked; that
-- cannot run in a transaction, hence this file's single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.promo_codes_code_lower_key;
