-- Rollback of 0021_mail_worker: the worker's and the console's functions
-- and the top-up trigger.
--
-- Data is preserved: email_outbox keeps its claimed_by and last_attempt_at
-- columns with their values, and shop_settings its mail_codes and
-- mail_max_attempts rows; 0021 run again reuses them. The role
-- bazar_mailer is not dropped (roles are cluster-wide); it loses what 0021
-- granted it.
DROP FUNCTION IF EXISTS public.api_staff_outbox_retry(text, uuid);
DROP FUNCTION IF EXISTS public.api_staff_outbox_counts(text);
DROP FUNCTION IF EXISTS public.api_staff_outbox(text, text, integer);
DROP FUNCTION IF EXISTS public.api_mail_fail(uuid, bigint, text);
DROP FUNCTION IF EXISTS public.api_mail_retry(uuid, bigint, text, bigint);
DROP FUNCTION IF EXISTS public.api_mail_sent(uuid, bigint, text);
DROP FUNCTION IF EXISTS public.bz_mail_owned(uuid, bigint);
DROP FUNCTION IF EXISTS public.api_mail_claim(text, integer, integer);
DROP TRIGGER IF EXISTS wallet_ledger_topup_mail ON public.wallet_ledger;
DROP FUNCTION IF EXISTS public.bz_mail_topup();
DROP FUNCTION IF EXISTS public.bz_mail_render(text, text, uuid);
DROP FUNCTION IF EXISTS public.bz_mail_idempotency_key(uuid);
DO $do$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bazar_mailer') THEN
		REVOKE EXECUTE ON FUNCTION public.schema_version() FROM bazar_mailer;
		REVOKE USAGE ON SCHEMA public FROM bazar_mailer;
	END IF;
END
$do$;
