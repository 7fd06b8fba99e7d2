-- Rollback of 0006_storefront_api: drop the kiosk's first API functions.
-- No data lives in functions; nothing is lost.
DROP FUNCTION IF EXISTS public.catalog_page(text, integer, integer);
DROP FUNCTION IF EXISTS public.schema_version();
