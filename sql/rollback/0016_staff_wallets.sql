-- Rollback of 0016_staff_wallets: drop the Wallets screen's reads and the
-- customer lookup. Nothing else was created.
DROP FUNCTION IF EXISTS public.api_staff_audit(text, integer);
DROP FUNCTION IF EXISTS public.api_staff_customer_ledger(text, text, integer);
DROP FUNCTION IF EXISTS public.api_staff_customer_wallet(text, text);
DROP FUNCTION IF EXISTS public.bz_staff_customer(text);
