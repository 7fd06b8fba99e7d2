-- Verify checks for 0019_staff_promos.

-- check: 0019's 2 functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 2 AS ok,
       format('%s of 2 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.api_staff_promos(text)'),
                to_regprocedure('public.api_staff_promo_update(text, text, timestamptz, timestamptz, bigint, bigint, bigint)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: only bazar_staff and bazar_tester may run 0019's functions
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN want THEN ' may not run ' ELSE ' may run ' END) || f.sig AS x
	FROM (VALUES ('public.api_staff_promos(text)'),
	             ('public.api_staff_promo_update(text, text, timestamptz, timestamptz, bigint, bigint, bigint)')) AS f (sig)
	CROSS JOIN pg_roles AS r
	CROSS JOIN LATERAL (SELECT r.rolname IN ('bazar_staff', 'bazar_tester') AS want) AS w
	WHERE r.rolname IN ('bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND to_regprocedure(f.sig) IS NOT NULL
	  AND has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE') <> w.want
	UNION ALL
	SELECT 'PUBLIC may run ' || p.oid::regprocedure::text
	FROM pg_proc AS p
	WHERE p.oid IN (to_regprocedure('public.api_staff_promos(text)'),
	                to_regprocedure('public.api_staff_promo_update(text, text, timestamptz, timestamptz, bigint, bigint, bigint)'))
	  AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	              WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
) AS bad;
