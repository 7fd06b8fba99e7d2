-- bazar:no-transaction
-- bazar:index public.product_codes_product_code_key
--
-- One code string per product: the race sold the same gift-card code on two
-- orders because nothing stopped a code from being imported twice.
-- sql/preflight/0005.1_unique_product_code.sql lists duplicated codes and
-- the orders they were sold on, and the runner stops before this file while
-- there are any (void or delete the spare copy, and make good the customer
-- who got a code someone else also got).
--
-- Built CONCURRENTLY, outside a transaction, so imports and checkouts carry
-- on. If a duplicate slips in during the build it fails and leaves an
-- INVALID index; the runner drops it (named above) before retrying.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS product_codes_product_code_key
	ON public.product_codes (product_id, code);
