-- Rollback of 0011_staff: drop the staff API and the sweep, and the
-- pg_cron job 0011 scheduled where pg_cron is installed. Kept with its
-- data: wallet_ledger.created_by.
DO $do$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
		EXECUTE $q$SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'bazar-expire-stale'$q$;
	END IF;
END
$do$;

DROP FUNCTION IF EXISTS public.api_staff_checkout_for(text, text, uuid, uuid[], integer[], text, text);
DROP FUNCTION IF EXISTS public.api_staff_order_codes(text, uuid);
DROP FUNCTION IF EXISTS public.api_staff_find_customer(text, text);
DROP FUNCTION IF EXISTS public.api_staff_orders(text, text, integer, bigint);
DROP FUNCTION IF EXISTS public.api_staff_void_code(text, uuid, text, text);
DROP FUNCTION IF EXISTS public.api_staff_import_codes(text, uuid, text[]);
DROP FUNCTION IF EXISTS public.api_staff_promo_set_active(text, text, boolean);
DROP FUNCTION IF EXISTS public.api_staff_promo_create(text, text, text, bigint, bigint, bigint, bigint, timestamptz, timestamptz);
DROP FUNCTION IF EXISTS public.api_staff_topup(text, text, bigint, text);
DROP FUNCTION IF EXISTS public.api_staff_expire_stale(text);
DROP FUNCTION IF EXISTS public.bz_expire_stale();
DROP FUNCTION IF EXISTS public.api_staff_reject(text, uuid, text);
DROP FUNCTION IF EXISTS public.api_staff_approve(text, uuid, text);
DROP FUNCTION IF EXISTS public.bz_staff_decide(uuid, uuid, boolean, text, timestamptz);
