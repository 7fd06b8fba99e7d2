-- Verify checks for 0010_orders: the checkout and customer functions exist,
-- run as their owner with a pinned search_path, only the shop's roles may
-- call the api_* ones and no client role the bz_* ones; the tables,
-- columns and trigger they rely on are there.

-- check: 0010's 14 functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 14 AS ok,
       format('%s of 14 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (
	to_regprocedure('public.bz_orders_stamp_change()'),
	to_regprocedure('public.bz_money_text(bigint)'),
	to_regprocedure('public.bz_promo_refusal(text, bigint)'),
	to_regprocedure('public.bz_claim_codes(uuid, integer, uuid, timestamptz)'),
	to_regprocedure('public.bz_expire_orders(uuid[])'),
	to_regprocedure('public.bz_checkout_run(uuid, uuid, text, bigint, uuid[], integer[], text, text, uuid, timestamptz)'),
	to_regprocedure('public.api_checkout(text, uuid, bigint, text, text)'),
	to_regprocedure('public.api_checkout_status(text, uuid)'),
	to_regprocedure('public.api_attach_proof(text, uuid, text, text, text, bytea)'),
	to_regprocedure('public.api_my_orders(text, integer, timestamptz)'),
	to_regprocedure('public.api_my_order(text, uuid)'),
	to_regprocedure('public.api_my_codes(text, uuid)'),
	to_regprocedure('public.api_my_wallet(text)'),
	to_regprocedure('public.api_my_ledger(text, integer)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: bazar_client, bazar_staff and bazar_tester may execute the customer functions
SELECT count(*) = 0 AS ok,
       string_agg(r.rolname || ' may not run ' || f.sig, ', ') AS detail
FROM pg_roles AS r
CROSS JOIN (VALUES ('public.api_checkout(text, uuid, bigint, text, text)'),
                   ('public.api_checkout_status(text, uuid)'),
                   ('public.api_attach_proof(text, uuid, text, text, text, bytea)'),
                   ('public.api_my_orders(text, integer, timestamptz)'),
                   ('public.api_my_order(text, uuid)'),
                   ('public.api_my_codes(text, uuid)'),
                   ('public.api_my_wallet(text)'),
                   ('public.api_my_ledger(text, integer)')) AS f (sig)
WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester')
  AND NOT coalesce(has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE'), false);

-- check: no client role may execute the internal bz_* functions of 0010, and PUBLIC none of 0010's
SELECT count(*) = 0 AS ok,
       string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || ' may run ' || f.sig AS x
	FROM pg_roles AS r
	CROSS JOIN (VALUES ('public.bz_claim_codes(uuid, integer, uuid, timestamptz)'),
	                   ('public.bz_expire_orders(uuid[])'),
	                   ('public.bz_checkout_run(uuid, uuid, text, bigint, uuid[], integer[], text, text, uuid, timestamptz)')) AS f (sig)
	WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester', 'anon', 'authenticated')
	  AND coalesce(has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE'), false)
	UNION ALL
	SELECT 'PUBLIC may run ' || p.oid::regprocedure::text
	FROM pg_proc AS p
	CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	WHERE p.pronamespace = 'public'::regnamespace
	  AND p.proname IN ('bz_orders_stamp_change', 'bz_money_text', 'bz_promo_refusal', 'bz_claim_codes',
	                    'bz_expire_orders', 'bz_checkout_run', 'api_checkout', 'api_checkout_status',
	                    'api_attach_proof', 'api_my_orders', 'api_my_order', 'api_my_codes',
	                    'api_my_wallet', 'api_my_ledger')
	  AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
) AS bad;

-- check: idempotency_keys exists with row-level security and no client privileges
SELECT coalesce(bool_and(c.relrowsecurity
                         AND NOT has_table_privilege('bazar_client', c.oid, 'SELECT')
                         AND NOT has_table_privilege('bazar_staff', c.oid, 'SELECT')), false) AS ok,
       'table public.idempotency_keys is missing, lacks RLS or is readable by a client role' AS detail
FROM pg_class AS c
WHERE c.oid = to_regclass('public.idempotency_keys');

-- check: orders and product_codes have 0010's columns
SELECT count(*) = 9 AS ok,
       format('%s of 9 columns found (orders: cart_version, expires_at, decided_by, decided_at, decision_reason, placed_by, change_seq, change_xid; product_codes: reserved_until)', count(*)) AS detail
FROM information_schema.columns
WHERE table_schema = 'public'
  AND ((table_name = 'orders' AND column_name IN ('cart_version', 'expires_at', 'decided_by', 'decided_at',
                                                  'decision_reason', 'placed_by', 'change_seq', 'change_xid'))
       OR (table_name = 'product_codes' AND column_name = 'reserved_until'));

-- check: the trigger that stamps every order change is enabled
SELECT count(*) = 1 AS ok, 'trigger orders_stamp_change on public.orders is missing or disabled' AS detail
FROM pg_trigger
WHERE tgrelid = 'public.orders'::regclass AND tgname = 'orders_stamp_change' AND tgenabled <> 'D';

-- check: product_codes' constraints know the status 'reserved'
SELECT count(*) = 2 AS ok, 'product_codes_status_valid / product_codes_sold_has_order lack ''reserved''' AS detail
FROM pg_constraint AS c
WHERE c.conrelid = 'public.product_codes'::regclass
  AND c.conname IN ('product_codes_status_valid', 'product_codes_sold_has_order')
  AND pg_get_constraintdef(c.oid) LIKE '%reserved%';
