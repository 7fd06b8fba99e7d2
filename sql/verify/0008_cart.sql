-- Verify checks for 0008_cart: the cart tables, the cart and catalog API
-- and who may call it.

-- check: carts and cart_lines exist with row-level security
SELECT count(*) = 2 AS ok,
       format('%s of 2 tables found with RLS enabled', count(*)) AS detail
FROM pg_class AS c
WHERE c.oid IN (to_regclass('public.carts'), to_regclass('public.cart_lines'))
  AND c.relrowsecurity;

-- check: the cart and catalog functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 8 AS ok,
       format('%s of 8 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.bz_cart_lock(uuid)'),
                to_regprocedure('public.bz_cart_check_version(bigint, bigint)'),
                to_regprocedure('public.api_cart_get(text)'),
                to_regprocedure('public.api_cart_set(text, bigint, uuid, integer)'),
                to_regprocedure('public.api_cart_clear(text, bigint)'),
                to_regprocedure('public.api_catalog_page(text, text, text, text, uuid, integer)'),
                to_regprocedure('public.api_categories()'),
                to_regprocedure('public.api_product(uuid)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: bazar_client, bazar_staff and bazar_tester may execute the cart and catalog API
SELECT count(*) = 0 AS ok,
       string_agg(r.rolname || ' may not run ' || f.sig, ', ') AS detail
FROM pg_roles AS r
CROSS JOIN (VALUES ('public.api_cart_get(text)'), ('public.api_cart_set(text, bigint, uuid, integer)'),
                   ('public.api_cart_clear(text, bigint)'),
                   ('public.api_catalog_page(text, text, text, text, uuid, integer)'),
                   ('public.api_categories()'), ('public.api_product(uuid)')) AS f (sig)
WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester')
  AND NOT coalesce(has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE'), false);

-- check: no client role may execute the internal bz_ helpers, and PUBLIC none of 0008's functions
SELECT count(*) = 0 AS ok,
       'executable by: ' || string_agg(g.who || ' -> ' || g.fn, ', ' ORDER BY g.who, g.fn) AS detail
FROM (
	SELECT 'PUBLIC' AS who, p.oid::regprocedure::text AS fn
	FROM pg_proc AS p
	CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	WHERE p.oid IN (to_regprocedure('public.bz_cart_lock(uuid)'),
	                to_regprocedure('public.bz_cart_check_version(bigint, bigint)'),
	                to_regprocedure('public.api_cart_get(text)'),
	                to_regprocedure('public.api_cart_set(text, bigint, uuid, integer)'),
	                to_regprocedure('public.api_cart_clear(text, bigint)'),
	                to_regprocedure('public.api_catalog_page(text, text, text, text, uuid, integer)'),
	                to_regprocedure('public.api_categories()'),
	                to_regprocedure('public.api_product(uuid)'))
	  AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
	UNION
	SELECT r.rolname::text, p.oid::regprocedure::text
	FROM pg_roles AS r
	CROSS JOIN pg_proc AS p
	WHERE r.rolname IN ('anon', 'authenticated', 'bazar_client', 'bazar_staff', 'bazar_tester')
	  AND p.oid IN (to_regprocedure('public.bz_cart_lock(uuid)'),
	                to_regprocedure('public.bz_cart_check_version(bigint, bigint)'))
	  AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
) AS g;
