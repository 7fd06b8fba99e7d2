-- Verify checks for 0020_order_history.

-- check: api_staff_order_history exists as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 1 AS ok,
       format('%s of 1 function found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid = to_regprocedure('public.api_staff_order_history(text, uuid)')
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: bazar_staff and bazar_tester may run it; bazar_client, anon and authenticated may not
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN r.rolname IN ('bazar_staff', 'bazar_tester') THEN ' may not run ' ELSE ' may run ' END)
	       || 'api_staff_order_history' AS x
	FROM pg_roles AS r
	WHERE to_regprocedure('public.api_staff_order_history(text, uuid)') IS NOT NULL
	  AND r.rolname IN ('bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND has_function_privilege(r.oid, 'public.api_staff_order_history(text, uuid)', 'EXECUTE')
	      <> (r.rolname IN ('bazar_staff', 'bazar_tester'))
) AS bad;
