-- Rollback of 0007_accounts: drop the account API and the settings helper.
--
-- Data is preserved: shop_settings, shop_secrets (the session secret: a
-- new one would not matter, but keeping it keeps live tokens derivable),
-- login_throttle and the new sessions columns stay with their rows, and
-- 0007 run again reuses them. The role bazar_tester is not dropped (roles
-- are cluster-wide); it loses what 0007 granted it.
DROP FUNCTION IF EXISTS public.api_whoami(text);
DROP FUNCTION IF EXISTS public.api_logout(text);
DROP FUNCTION IF EXISTS public.api_login(text, text, uuid);
DROP FUNCTION IF EXISTS public.api_register(text, text, text);
DROP FUNCTION IF EXISTS public.bz_session_staff(text);
DROP FUNCTION IF EXISTS public.bz_session_user(text);
DROP FUNCTION IF EXISTS public.bz_setting_int(text, integer);

DO $do$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bazar_tester') THEN
		IF to_regprocedure('public.schema_version()') IS NOT NULL THEN
			REVOKE EXECUTE ON FUNCTION public.schema_version() FROM bazar_tester;
		END IF;
		IF to_regprocedure('public.catalog_page(text, integer, integer)') IS NOT NULL THEN
			REVOKE EXECUTE ON FUNCTION public.catalog_page(text, integer, integer) FROM bazar_tester;
		END IF;
		REVOKE USAGE ON SCHEMA public FROM bazar_tester;
	END IF;
END
$do$;
