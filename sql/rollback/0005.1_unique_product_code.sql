-- bazar:no-transaction
--
-- Rollback of 0005.1_unique_product_code: drop the unique index on
-- product_codes (product_id, code). CONCURRENTLY, so checkouts are not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.product_codes_product_code_key;
