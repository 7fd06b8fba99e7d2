-- Verify checks for 0012_invariants.

-- check: bz_check_invariants, api_staff_check_invariants, api_staff_order_changes and bz_first_rows exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 4 AS ok,
       format('%s of 4 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.bz_first_rows(jsonb)'),
                to_regprocedure('public.bz_check_invariants()'),
                to_regprocedure('public.api_staff_check_invariants(text)'),
                to_regprocedure('public.api_staff_order_changes(text, bigint, integer)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: only bazar_staff and bazar_tester may run the feed and the staff check; no client role bz_check_invariants
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || ' may run ' || f.sig AS x
	FROM pg_roles AS r
	CROSS JOIN (VALUES ('public.bz_check_invariants()'), ('public.api_staff_check_invariants(text)'),
	                   ('public.api_staff_order_changes(text, bigint, integer)')) AS f (sig)
	WHERE r.rolname IN ('bazar_client', 'anon', 'authenticated')
	  AND coalesce(has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE'), false)
	UNION ALL
	SELECT r.rolname || ' may not run ' || f.sig
	FROM pg_roles AS r
	CROSS JOIN (VALUES ('public.api_staff_check_invariants(text)'),
	                   ('public.api_staff_order_changes(text, bigint, integer)')) AS f (sig)
	WHERE r.rolname IN ('bazar_staff', 'bazar_tester')
	  AND NOT coalesce(has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE'), false)
	UNION ALL
	SELECT r.rolname || ' may run public.bz_check_invariants()'
	FROM pg_roles AS r
	WHERE r.rolname IN ('bazar_staff', 'bazar_tester')
	  AND coalesce(has_function_privilege(r.oid, to_regprocedure('public.bz_check_invariants()'), 'EXECUTE'), false)
) AS bad;

