-- Verify checks for 0018_code_import.

-- check: 0018's 8 functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 8 AS ok,
       format('%s of 8 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.bz_import_cleanup()'),
                to_regprocedure('public.bz_import_batch(text, uuid)'),
                to_regprocedure('public.api_staff_stock(text)'),
                to_regprocedure('public.api_staff_set_low_stock(text, uuid, integer)'),
                to_regprocedure('public.api_staff_product_codes(text, uuid, integer)'),
                to_regprocedure('public.api_staff_import_begin(text, uuid, text)'),
                to_regprocedure('public.api_staff_import_finish(text, uuid)'),
                to_regprocedure('public.api_staff_import_problems(text, uuid, bigint, integer)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: only bazar_staff and bazar_tester may run 0018's api functions; no one may run its bz_ helpers
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN want THEN ' may not run ' ELSE ' may run ' END) || f.sig AS x
	FROM (VALUES ('public.bz_import_cleanup()', false),
	             ('public.bz_import_batch(text, uuid)', false),
	             ('public.api_staff_stock(text)', true),
	             ('public.api_staff_set_low_stock(text, uuid, integer)', true),
	             ('public.api_staff_product_codes(text, uuid, integer)', true),
	             ('public.api_staff_import_begin(text, uuid, text)', true),
	             ('public.api_staff_import_finish(text, uuid)', true),
	             ('public.api_staff_import_problems(text, uuid, bigint, integer)', true)) AS f (sig, api)
	CROSS JOIN pg_roles AS r
	CROSS JOIN LATERAL (SELECT f.api AND r.rolname IN ('bazar_staff', 'bazar_tester') AS want) AS w
	WHERE r.rolname IN ('bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND to_regprocedure(f.sig) IS NOT NULL
	  AND has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE') <> w.want
) AS bad;

-- check: the staging table takes INSERT from bazar_staff and nothing else from any client role
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT 'bazar_staging.code_import_lines is missing' AS x
	WHERE to_regclass('bazar_staging.code_import_lines') IS NULL
	UNION ALL
	SELECT r.rolname || ' has ' || pr.priv || ' on bazar_staging.code_import_lines'
	FROM pg_roles AS r
	CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS pr (priv)
	WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester', 'anon', 'authenticated')
	  AND to_regclass('bazar_staging.code_import_lines') IS NOT NULL
	  AND has_table_privilege(r.oid, 'bazar_staging.code_import_lines', pr.priv)
	  AND NOT (r.rolname = 'bazar_staff' AND pr.priv = 'INSERT')
	UNION ALL
	SELECT 'bazar_staff may not INSERT into bazar_staging.code_import_lines'
	WHERE to_regclass('bazar_staging.code_import_lines') IS NOT NULL
	  AND NOT has_table_privilege('bazar_staff', 'bazar_staging.code_import_lines', 'INSERT')
) AS bad;
