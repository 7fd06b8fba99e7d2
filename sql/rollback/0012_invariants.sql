-- Rollback of 0012_invariants: drop the invariant check and the order
-- feed. No data lives in functions; nothing is lost.
DROP FUNCTION IF EXISTS public.api_staff_order_changes(text, bigint, integer);
DROP FUNCTION IF EXISTS public.api_staff_check_invariants(text);
DROP FUNCTION IF EXISTS public.bz_check_invariants();
DROP FUNCTION IF EXISTS public.bz_first_rows(jsonb);
