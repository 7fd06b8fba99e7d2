-- Verify checks for 0014_staff_locks.

-- check: api_staff_locks, api_staff_lock_stats and api_staff_signal_backend exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 3 AS ok,
       format('%s of 3 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.api_staff_locks(text)'),
                to_regprocedure('public.api_staff_lock_stats(text)'),
                to_regprocedure('public.api_staff_signal_backend(text, integer, boolean)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: bazar_staff and bazar_tester may run the lock functions; bazar_client, anon, authenticated and PUBLIC may not
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN r.rolname IN ('bazar_staff', 'bazar_tester') THEN ' may not run ' ELSE ' may run ' END)
	       || p.oid::regprocedure::text AS x
	FROM pg_proc AS p
	CROSS JOIN pg_roles AS r
	WHERE p.oid IN (to_regprocedure('public.api_staff_locks(text)'),
	                to_regprocedure('public.api_staff_lock_stats(text)'),
	                to_regprocedure('public.api_staff_signal_backend(text, integer, boolean)'))
	  AND r.rolname IN ('bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND has_function_privilege(r.oid, p.oid, 'EXECUTE') <> (r.rolname IN ('bazar_staff', 'bazar_tester'))
	UNION ALL
	SELECT 'PUBLIC may run ' || p.oid::regprocedure::text
	FROM pg_proc AS p
	CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	WHERE p.oid IN (to_regprocedure('public.api_staff_locks(text)'),
	                to_regprocedure('public.api_staff_lock_stats(text)'),
	                to_regprocedure('public.api_staff_signal_backend(text, integer, boolean)'))
	  AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
) AS bad;
