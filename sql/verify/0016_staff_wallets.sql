-- Verify checks for 0016_staff_wallets.

-- check: 0016's 4 functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 4 AS ok,
       format('%s of 4 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.bz_staff_customer(text)'),
                to_regprocedure('public.api_staff_customer_wallet(text, text)'),
                to_regprocedure('public.api_staff_customer_ledger(text, text, integer)'),
                to_regprocedure('public.api_staff_audit(text, integer)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: only bazar_staff and bazar_tester may run 0016's api functions; no one may run bz_staff_customer
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN want THEN ' may not run ' ELSE ' may run ' END) || f.sig AS x
	FROM (VALUES ('public.bz_staff_customer(text)', false),
	             ('public.api_staff_customer_wallet(text, text)', true),
	             ('public.api_staff_customer_ledger(text, text, integer)', true),
	             ('public.api_staff_audit(text, integer)', true)) AS f (sig, api)
	CROSS JOIN pg_roles AS r
	CROSS JOIN LATERAL (SELECT f.api AND r.rolname IN ('bazar_staff', 'bazar_tester') AS want) AS w
	WHERE r.rolname IN ('bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND to_regprocedure(f.sig) IS NOT NULL
	  AND has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE') <> w.want
	UNION ALL
	SELECT 'PUBLIC may run ' || p.oid::regprocedure::text
	FROM pg_proc AS p
	WHERE p.oid IN (to_regprocedure('public.bz_staff_customer(text)'),
	                to_regprocedure('public.api_staff_customer_wallet(text, text)'),
	                to_regprocedure('public.api_staff_customer_ledger(text, text, integer)'),
	                to_regprocedure('public.api_staff_audit(text, integer)'))
	  AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	              WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
) AS bad;
