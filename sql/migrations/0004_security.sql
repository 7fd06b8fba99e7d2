-- 0004_security: seed part 3, roles and row-level security.
--
-- The model: clients never touch tables. A kiosk logs in as bazar_client and
-- staff as bazar_staff; both hold NO table privileges and may only EXECUTE
-- the shop's API functions (0006 and later), which are SECURITY DEFINER,
-- owned by the migrating role, check who is asking and do the whole
-- operation in one transaction. The storefront refuses to start when its
-- role has any table privilege.
--
-- Row-level security is ENABLED on every table as a second wall: a role
-- that somehow gets a table privilege still sees no row unless a policy
-- lets it. It is deliberately not FORCEd: the API functions run as the
-- tables' owner and must read and write every row; FORCE would apply the
-- policies to the owner too and need an owner policy on every table, which
-- is the same as no policy, with more to get wrong.
--
-- The Supabase story (the same file runs there; 0003.9 provides the names
-- on plain PostgreSQL):
--   anon           nothing at all. Supabase's default privileges grant anon
--                  ALL on new tables; they are revoked here.
--   authenticated  SELECT only, and only on the tables a customer may read
--                  about themselves (orders, order_items, product_codes they
--                  bought, promo_redemptions, wallets, wallet_ledger), each
--                  filtered to their own rows by auth.uid(). Never users or
--                  sessions (password and token hashes). Writes go through
--                  the API functions.
--   service_role   a policy with full access on every table. Supabase gives
--                  it table privileges and BYPASSRLS itself; the policy
--                  states the intent where BYPASSRLS is off. On plain
--                  PostgreSQL no one logs in as it and it has no privileges.

-- bazar_client and bazar_staff: the private cluster pre-creates them as
-- LOGIN roles; elsewhere they are created NOLOGIN here, to be granted to
-- the real login roles by the operator (GRANT bazar_client TO kiosk_1).
-- Roles are cluster-wide: no rollback drops them.
DO $do$
DECLARE
	r text;
	v_can_create boolean;
BEGIN
	SELECT rolcreaterole OR rolsuper INTO v_can_create
	FROM pg_roles WHERE rolname = current_user;

	FOREACH r IN ARRAY ARRAY['bazar_client', 'bazar_staff'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			IF NOT coalesce(v_can_create, false) THEN
				RAISE EXCEPTION USING ERRCODE = '42501',
					MESSAGE = format('role %I is missing and %I may not create roles', r, current_user),
					HINT = 'Ask an administrator to run: CREATE ROLE bazar_client NOLOGIN; '
					       'CREATE ROLE bazar_staff NOLOGIN; then migrate again.';
			END IF;
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END
$do$;

-- Every table, the runner's schema_migrations included. ENABLE takes a
-- short ACCESS EXCLUSIVE lock and scans nothing.
ALTER TABLE public.schema_migrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.products ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.promo_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.order_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.product_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.promo_redemptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.wallets ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.wallet_ledger ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payment_proofs ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.email_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;

-- No client role holds a table privilege, whatever was granted before:
-- tables grant nothing to PUBLIC by default, but grants made by hand or by
-- Supabase's default privileges (ALL to anon and authenticated on every new
-- table) are undone here. The Supabase roles are revoked from Bazar's
-- tables only: other applications may share the schema there. Supabase
-- re-grants on every new table, so each later migration that creates a
-- table revokes again.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM bazar_client, bazar_staff;
REVOKE ALL ON public.schema_migrations, public.users, public.sessions,
	public.products, public.promo_codes, public.orders, public.order_items,
	public.product_codes, public.promo_redemptions, public.wallets,
	public.wallet_ledger, public.payment_proofs, public.email_outbox,
	public.audit_log
	FROM PUBLIC, anon, authenticated;

-- Only the owner creates objects in public (already the PostgreSQL 15
-- default; databases upgraded from older versions still grant it).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO bazar_client, bazar_staff;

-- The seed's helpers take ids from the caller: no client may run them,
-- whether or not the roles existed when 0002 ran.
REVOKE EXECUTE ON FUNCTION public.claim_product_codes_atomic(uuid, integer, uuid)
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff;
REVOKE EXECUTE ON FUNCTION public.increment_promo_usage(uuid)
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff;

-- Own-row reads for Supabase's authenticated role, nothing else.
GRANT SELECT ON public.orders, public.order_items, public.product_codes,
	public.promo_redemptions, public.wallets, public.wallet_ledger
	TO authenticated;

-- PostgreSQL 15 has no CREATE POLICY IF NOT EXISTS: each policy is created
-- only when missing. (SELECT auth.uid()) is evaluated once per statement
-- rather than once per row.
DO $do$
DECLARE
	p record;
BEGIN
	FOR p IN
		SELECT v.tbl, v.name, v.cmd, v.role, v.using_expr, v.check_expr
		FROM (VALUES
			('orders', 'orders_select_own', 'SELECT', 'authenticated',
			 'user_id = (SELECT auth.uid())', NULL),
			('order_items', 'order_items_select_own', 'SELECT', 'authenticated',
			 'EXISTS (SELECT 1 FROM public.orders AS o WHERE o.id = order_items.order_id AND o.user_id = (SELECT auth.uid()))', NULL),
			('product_codes', 'product_codes_select_own', 'SELECT', 'authenticated',
			 'EXISTS (SELECT 1 FROM public.orders AS o WHERE o.id = product_codes.order_id AND o.user_id = (SELECT auth.uid()))', NULL),
			('promo_redemptions', 'promo_redemptions_select_own', 'SELECT', 'authenticated',
			 'user_id = (SELECT auth.uid())', NULL),
			('wallets', 'wallets_select_own', 'SELECT', 'authenticated',
			 'user_id = (SELECT auth.uid())', NULL),
			('wallet_ledger', 'wallet_ledger_select_own', 'SELECT', 'authenticated',
			 'EXISTS (SELECT 1 FROM public.wallets AS w WHERE w.id = wallet_ledger.wallet_id AND w.user_id = (SELECT auth.uid()))', NULL)
		) AS v (tbl, name, cmd, role, using_expr, check_expr)
		UNION ALL
		SELECT t.tbl, t.tbl || '_service_role_all', 'ALL', 'service_role', 'true', 'true'
		FROM unnest(ARRAY['schema_migrations', 'users', 'sessions', 'products',
		                  'promo_codes', 'orders', 'order_items', 'product_codes',
		                  'promo_redemptions', 'wallets', 'wallet_ledger',
		                  'payment_proofs', 'email_outbox', 'audit_log']) AS t (tbl)
	LOOP
		IF NOT EXISTS (
			SELECT 1 FROM pg_policies
			WHERE schemaname = 'public' AND tablename = p.tbl AND policyname = p.name
		) THEN
			EXECUTE format('CREATE POLICY %I ON public.%I AS PERMISSIVE FOR %s TO %I USING (%s)%s',
			               p.name, p.tbl, p.cmd, p.role, p.using_expr,
			               CASE WHEN p.check_expr IS NULL THEN ''
			                    ELSE format(' WITH CHECK (%s)', p.check_expr) END);
		END IF;
	END LOOP;
END
$do$;
