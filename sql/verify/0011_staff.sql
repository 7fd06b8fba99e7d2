-- Verify checks for 0011_staff: the staff functions exist, run as their
-- owner with a pinned search_path, only bazar_staff and bazar_tester may
-- call them, and the kiosk role none of them.

-- check: 0011's 14 functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 14 AS ok,
       format('%s of 14 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (
	to_regprocedure('public.bz_staff_decide(uuid, uuid, boolean, text, timestamptz)'),
	to_regprocedure('public.bz_expire_stale()'),
	to_regprocedure('public.api_staff_approve(text, uuid, text)'),
	to_regprocedure('public.api_staff_reject(text, uuid, text)'),
	to_regprocedure('public.api_staff_expire_stale(text)'),
	to_regprocedure('public.api_staff_topup(text, text, bigint, text)'),
	to_regprocedure('public.api_staff_promo_create(text, text, text, bigint, bigint, bigint, bigint, timestamptz, timestamptz)'),
	to_regprocedure('public.api_staff_promo_set_active(text, text, boolean)'),
	to_regprocedure('public.api_staff_import_codes(text, uuid, text[])'),
	to_regprocedure('public.api_staff_void_code(text, uuid, text, text)'),
	to_regprocedure('public.api_staff_orders(text, text, integer, bigint)'),
	to_regprocedure('public.api_staff_find_customer(text, text)'),
	to_regprocedure('public.api_staff_order_codes(text, uuid)'),
	to_regprocedure('public.api_staff_checkout_for(text, text, uuid, uuid[], integer[], text, text)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: bazar_staff and bazar_tester may execute the staff functions; bazar_client, anon, authenticated and PUBLIC none of 0011's
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN r.rolname IN ('bazar_staff', 'bazar_tester') THEN ' may not run ' ELSE ' may run ' END)
	       || p.oid::regprocedure::text AS x
	FROM pg_proc AS p
	CROSS JOIN pg_roles AS r
	WHERE p.pronamespace = 'public'::regnamespace
	  AND (p.proname LIKE 'api\_staff\_%' OR p.proname IN ('bz_staff_decide', 'bz_expire_stale'))
	  AND r.rolname IN ('bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
	      <> (r.rolname IN ('bazar_staff', 'bazar_tester') AND p.proname LIKE 'api\_staff\_%')
	UNION ALL
	SELECT 'PUBLIC may run ' || p.oid::regprocedure::text
	FROM pg_proc AS p
	CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	WHERE p.pronamespace = 'public'::regnamespace
	  AND (p.proname LIKE 'api\_staff\_%' OR p.proname IN ('bz_staff_decide', 'bz_expire_stale'))
	  AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
) AS bad;

-- check: wallet_ledger.created_by exists (the staff member of a top-up)
SELECT EXISTS (
	SELECT 1 FROM information_schema.columns
	WHERE table_schema = 'public' AND table_name = 'wallet_ledger' AND column_name = 'created_by'
) AS ok, 'column wallet_ledger.created_by is missing' AS detail;
