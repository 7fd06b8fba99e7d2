-- Verify checks for 0006_storefront_api: the kiosk's functions exist, run as
-- their owner with a pinned search_path, and only the shop's roles may call them.

-- check: schema_version() and catalog_page(text, integer, integer) exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 2 AS ok,
       format('%s of 2 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.schema_version()'),
                to_regprocedure('public.catalog_page(text, integer, integer)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: bazar_client and bazar_staff may execute the storefront functions
SELECT count(*) = 0 AS ok,
       string_agg(r.rolname || ' may not run ' || f.sig, ', ') AS detail
FROM pg_roles AS r
CROSS JOIN (VALUES ('public.schema_version()'),
                   ('public.catalog_page(text, integer, integer)')) AS f (sig)
WHERE r.rolname IN ('bazar_client', 'bazar_staff')
  AND NOT coalesce(has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE'), false);

-- check: PUBLIC may not execute the storefront functions
SELECT count(*) = 0 AS ok,
       'PUBLIC may run: ' || string_agg(p.oid::regprocedure::text, ', ') AS detail
FROM pg_proc AS p
CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
WHERE p.oid IN (to_regprocedure('public.schema_version()'),
                to_regprocedure('public.catalog_page(text, integer, integer)'))
  AND a.grantee = 0 AND a.privilege_type = 'EXECUTE';
