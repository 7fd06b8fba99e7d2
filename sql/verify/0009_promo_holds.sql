-- Verify checks for 0009_promo_holds: the holds table, the one rule's
-- functions, increment_promo_usage following it, and who may call what.

-- check: promo_holds exists with row-level security and its unique index of open holds
SELECT EXISTS (
	SELECT 1 FROM pg_class AS c
	JOIN pg_index AS i ON i.indrelid = c.oid
	WHERE c.oid = to_regclass('public.promo_holds') AND c.relrowsecurity
	  AND i.indexrelid = to_regclass('public.promo_holds_open_promo_user_key')
	  AND i.indisunique AND i.indisvalid
) AS ok, 'promo_holds, its RLS or promo_holds_open_promo_user_key is missing' AS detail;

-- check: the promo functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 8 AS ok,
       format('%s of 8 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.bz_promo_discount(text, bigint, bigint)'),
                to_regprocedure('public.bz_promo_room(uuid, uuid)'),
                to_regprocedure('public.bz_require_read_committed(text)'),
                to_regprocedure('public.bz_promo_take(uuid, uuid, bigint)'),
                to_regprocedure('public.bz_promo_redeem(uuid, uuid)'),
                to_regprocedure('public.bz_promo_release_order(uuid)'),
                to_regprocedure('public.api_promo_apply(text, text, bigint)'),
                to_regprocedure('public.api_promo_release(text, text)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: increment_promo_usage follows the one rule (calls bz_promo_room)
SELECT coalesce((SELECT p.prosrc LIKE '%bz_promo_room%' FROM pg_proc AS p
                 WHERE p.oid = to_regprocedure('public.increment_promo_usage(uuid)')), false) AS ok,
       'increment_promo_usage(uuid) is missing or does not count promo holds' AS detail;

-- check: bazar_client, bazar_staff and bazar_tester may execute the promo API
SELECT count(*) = 0 AS ok,
       string_agg(r.rolname || ' may not run ' || f.sig, ', ') AS detail
FROM pg_roles AS r
CROSS JOIN (VALUES ('public.api_promo_apply(text, text, bigint)'),
                   ('public.api_promo_release(text, text)')) AS f (sig)
WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester')
  AND NOT coalesce(has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE'), false);

-- check: no client role may execute the internal helpers, and PUBLIC none of 0009's functions
SELECT count(*) = 0 AS ok,
       'executable by: ' || string_agg(g.who || ' -> ' || g.fn, ', ' ORDER BY g.who, g.fn) AS detail
FROM (
	SELECT 'PUBLIC' AS who, p.oid::regprocedure::text AS fn
	FROM pg_proc AS p
	CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	WHERE p.oid IN (to_regprocedure('public.bz_promo_discount(text, bigint, bigint)'),
	                to_regprocedure('public.bz_promo_room(uuid, uuid)'),
	                to_regprocedure('public.bz_require_read_committed(text)'),
	                to_regprocedure('public.bz_promo_take(uuid, uuid, bigint)'),
	                to_regprocedure('public.bz_promo_redeem(uuid, uuid)'),
	                to_regprocedure('public.bz_promo_release_order(uuid)'),
	                to_regprocedure('public.increment_promo_usage(uuid)'),
	                to_regprocedure('public.api_promo_apply(text, text, bigint)'),
	                to_regprocedure('public.api_promo_release(text, text)'))
	  AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
	UNION
	SELECT r.rolname::text, p.oid::regprocedure::text
	FROM pg_roles AS r
	CROSS JOIN pg_proc AS p
	WHERE r.rolname IN ('anon', 'authenticated', 'bazar_client', 'bazar_staff', 'bazar_tester')
	  AND p.oid IN (to_regprocedure('public.bz_promo_discount(text, bigint, bigint)'),
	                to_regprocedure('public.bz_promo_room(uuid, uuid)'),
	                to_regprocedure('public.bz_require_read_committed(text)'),
	                to_regprocedure('public.bz_promo_take(uuid, uuid, bigint)'),
	                to_regprocedure('public.bz_promo_redeem(uuid, uuid)'),
	                to_regprocedure('public.bz_promo_release_order(uuid)'),
	                to_regprocedure('public.increment_promo_usage(uuid)'))
	  AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
) AS g;
