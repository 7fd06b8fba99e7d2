-- Verify checks for 0017_client_events.

-- check: 0017's 4 functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 4 AS ok,
       format('%s of 4 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.api_record_client_events(text[], text[], text[], bigint[], integer[], integer[])'),
                to_regprocedure('public.api_staff_health(text, integer)'),
                to_regprocedure('public.api_staff_health_series(text, integer)'),
                to_regprocedure('public.api_staff_health_rates(text, integer)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: client_events exists with row security and no role but its owner may touch it
SELECT count(*) = 1 AS ok, 'client_events missing, without row security, or granted to an API role' AS detail
FROM pg_class AS c
WHERE c.oid = to_regclass('public.client_events') AND c.relrowsecurity
  AND NOT EXISTS (SELECT 1 FROM pg_roles AS r
                  WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester', 'anon', 'authenticated')
                    AND (has_table_privilege(r.oid, c.oid, 'SELECT') OR has_table_privilege(r.oid, c.oid, 'INSERT')
                      OR has_table_privilege(r.oid, c.oid, 'UPDATE') OR has_table_privilege(r.oid, c.oid, 'DELETE')));

-- check: the recorder is for the three API roles, the reads for staff and tester only
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN w.want THEN ' may not run ' ELSE ' may run ' END) || f.sig AS x
	FROM (VALUES ('public.api_record_client_events(text[], text[], text[], bigint[], integer[], integer[])', true),
	             ('public.api_staff_health(text, integer)', false),
	             ('public.api_staff_health_series(text, integer)', false),
	             ('public.api_staff_health_rates(text, integer)', false)) AS f (sig, client)
	CROSS JOIN pg_roles AS r
	CROSS JOIN LATERAL (SELECT r.rolname IN ('bazar_staff', 'bazar_tester')
	                           OR (f.client AND r.rolname = 'bazar_client') AS want) AS w
	WHERE r.rolname IN ('bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND to_regprocedure(f.sig) IS NOT NULL
	  AND has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE') <> w.want
) AS bad;
