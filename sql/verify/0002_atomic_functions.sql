-- Verify checks for 0002_atomic_functions: the seed's own verification
-- (used_at column, claim routine, sample promos) and the helpers' privileges.

-- check: product_codes.used_at column exists
SELECT EXISTS (
	SELECT 1 FROM information_schema.columns
	WHERE table_schema = 'public' AND table_name = 'product_codes' AND column_name = 'used_at'
) AS ok, 'column product_codes.used_at is missing' AS detail;

-- check: claim_product_codes_atomic routine exists
SELECT EXISTS (
	SELECT 1 FROM information_schema.routines
	WHERE routine_schema = 'public' AND routine_name = 'claim_product_codes_atomic'
) AS ok, 'function claim_product_codes_atomic(uuid, integer, uuid) is missing' AS detail;

-- check: increment_promo_usage routine exists
SELECT to_regprocedure('public.increment_promo_usage(uuid)') IS NOT NULL AS ok,
       'function increment_promo_usage(uuid) is missing' AS detail;

-- check: sample promos WELCOME10 and SAVE50 are present
SELECT count(DISTINCT upper(code)) = 2 AS ok,
       'found: ' || coalesce(string_agg(code, ', ' ORDER BY code), 'none') AS detail
FROM public.promo_codes
WHERE upper(code) IN ('WELCOME10', 'SAVE50');

-- check: the seed helpers pin their search_path
SELECT count(*) = 2 AS ok, 'search_path pinned on only: ' || coalesce(string_agg(p.oid::regprocedure::text, ', '), 'neither') AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.claim_product_codes_atomic(uuid, integer, uuid)'),
                to_regprocedure('public.increment_promo_usage(uuid)'))
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: the seed helpers are not executable by PUBLIC or any client role
SELECT count(*) = 0 AS ok,
       'executable by: ' || string_agg(g.who || ' -> ' || g.fn, ', ' ORDER BY g.who, g.fn) AS detail
FROM (
	SELECT 'PUBLIC' AS who, p.oid::regprocedure::text AS fn
	FROM pg_proc AS p
	CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	WHERE p.oid IN (to_regprocedure('public.claim_product_codes_atomic(uuid, integer, uuid)'),
	                to_regprocedure('public.increment_promo_usage(uuid)'))
	  AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
	UNION
	SELECT r.rolname::text, p.oid::regprocedure::text
	FROM pg_roles AS r
	CROSS JOIN pg_proc AS p
	WHERE r.rolname IN ('anon', 'authenticated', 'bazar_client', 'bazar_staff')
	  AND p.oid IN (to_regprocedure('public.claim_product_codes_atomic(uuid, integer, uuid)'),
	                to_regprocedure('public.increment_promo_usage(uuid)'))
	  AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
) AS g;
