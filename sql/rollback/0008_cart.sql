-- Rollback of 0008_cart: drop the cart and catalog API.
--
-- Data is preserved: carts and cart_lines stay with their rows, and 0008
-- run again reuses them.
DROP FUNCTION IF EXISTS public.api_product(uuid);
DROP FUNCTION IF EXISTS public.api_categories();
DROP FUNCTION IF EXISTS public.api_catalog_page(text, text, text, text, uuid, integer);
DROP FUNCTION IF EXISTS public.api_cart_clear(text, bigint);
DROP FUNCTION IF EXISTS public.api_cart_set(text, bigint, uuid, integer);
DROP FUNCTION IF EXISTS public.api_cart_get(text);
DROP FUNCTION IF EXISTS public.bz_cart_check_version(bigint, bigint);
DROP FUNCTION IF EXISTS public.bz_cart_lock(uuid);
