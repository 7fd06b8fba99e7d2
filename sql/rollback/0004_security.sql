-- Rollback of 0004_security: drop its policies, disable row-level security
-- and take back the SELECT it granted to authenticated. No row is touched.
--
-- The roles bazar_client and bazar_staff are NOT dropped, even where 0004
-- created them: roles are cluster-wide, shared with every other database on
-- the server (and the private cluster's login roles exist before any
-- migration). An administrator may drop them by hand once no database uses
-- them. Privileges 0004 revoked (e.g. Supabase's default grants to anon) are
-- not handed back: no client should hold table privileges anyway.

DO $do$
DECLARE
	p record;
BEGIN
	FOR p IN
		SELECT pol.tablename, pol.policyname
		FROM pg_policies AS pol
		WHERE pol.schemaname = 'public'
		  AND (pol.policyname IN ('orders_select_own', 'order_items_select_own',
		                          'product_codes_select_own', 'promo_redemptions_select_own',
		                          'wallets_select_own', 'wallet_ledger_select_own')
		       OR pol.policyname = pol.tablename || '_service_role_all')
	LOOP
		EXECUTE format('DROP POLICY IF EXISTS %I ON public.%I', p.policyname, p.tablename);
	END LOOP;
END
$do$;

REVOKE SELECT ON public.orders, public.order_items, public.product_codes,
	public.promo_redemptions, public.wallets, public.wallet_ledger
	FROM authenticated;
REVOKE USAGE ON SCHEMA public FROM bazar_client, bazar_staff;

ALTER TABLE public.audit_log DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.email_outbox DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.payment_proofs DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.wallet_ledger DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.wallets DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.promo_redemptions DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.product_codes DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.order_items DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.orders DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.promo_codes DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.products DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.sessions DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.users DISABLE ROW LEVEL SECURITY;
ALTER TABLE public.schema_migrations DISABLE ROW LEVEL SECURITY;
