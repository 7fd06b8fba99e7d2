-- Rollback of 0018_code_import: drop the Inventory functions and the
-- staging schema (lines of imports in flight only: without the functions
-- they could never be finished). The batches with their problems, the
-- per-product thresholds and the shop's default threshold stay, with
-- their rows.
DROP FUNCTION IF EXISTS public.api_staff_import_problems(text, uuid, bigint, integer);
DROP FUNCTION IF EXISTS public.api_staff_import_finish(text, uuid);
DROP FUNCTION IF EXISTS public.bz_import_batch(text, uuid);
DROP FUNCTION IF EXISTS public.api_staff_import_begin(text, uuid, text);
DROP FUNCTION IF EXISTS public.api_staff_product_codes(text, uuid, integer);
DROP FUNCTION IF EXISTS public.api_staff_set_low_stock(text, uuid, integer);
DROP FUNCTION IF EXISTS public.api_staff_stock(text);
DROP FUNCTION IF EXISTS public.bz_import_cleanup();
DROP SCHEMA IF EXISTS bazar_staging CASCADE;
