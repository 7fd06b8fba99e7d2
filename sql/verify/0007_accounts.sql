-- Verify checks for 0007_accounts: settings, secrets, throttle, the new
-- sessions columns, the account API and who may call it.

-- check: shop_settings, shop_secrets and login_throttle exist with row-level security
SELECT count(*) = 3 AS ok,
       format('%s of 3 tables found with RLS enabled', count(*)) AS detail
FROM pg_class AS c
WHERE c.oid IN (to_regclass('public.shop_settings'), to_regclass('public.shop_secrets'),
                to_regclass('public.login_throttle'))
  AND c.relrowsecurity;

-- check: the session secret exists
SELECT EXISTS (SELECT 1 FROM public.shop_secrets WHERE name = 'session_hmac' AND octet_length(secret) >= 32) AS ok,
       'shop_secrets has no session_hmac of 32 bytes' AS detail;

-- check: sessions has login_request_hash and last_seen_at
SELECT count(*) = 2 AS ok, format('%s of 2 columns found', count(*)) AS detail
FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = 'sessions'
  AND column_name IN ('login_request_hash', 'last_seen_at');

-- check: the role bazar_tester exists
SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bazar_tester') AS ok,
       'role bazar_tester is missing' AS detail;

-- check: the account functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 7 AS ok,
       format('%s of 7 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.bz_setting_int(text, integer)'),
                to_regprocedure('public.bz_session_user(text)'),
                to_regprocedure('public.bz_session_staff(text)'),
                to_regprocedure('public.api_register(text, text, text)'),
                to_regprocedure('public.api_login(text, text, uuid)'),
                to_regprocedure('public.api_logout(text)'),
                to_regprocedure('public.api_whoami(text)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: bazar_client, bazar_staff and bazar_tester may execute the account API
SELECT count(*) = 0 AS ok,
       string_agg(r.rolname || ' may not run ' || f.sig, ', ') AS detail
FROM pg_roles AS r
CROSS JOIN (VALUES ('public.api_register(text, text, text)'), ('public.api_login(text, text, uuid)'),
                   ('public.api_logout(text)'), ('public.api_whoami(text)')) AS f (sig)
WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester')
  AND NOT coalesce(has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE'), false);

-- check: no client role may execute the internal bz_ helpers, and PUBLIC none of 0007's functions
SELECT count(*) = 0 AS ok,
       'executable by: ' || string_agg(g.who || ' -> ' || g.fn, ', ' ORDER BY g.who, g.fn) AS detail
FROM (
	SELECT 'PUBLIC' AS who, p.oid::regprocedure::text AS fn
	FROM pg_proc AS p
	CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	WHERE p.oid IN (to_regprocedure('public.bz_setting_int(text, integer)'),
	                to_regprocedure('public.bz_session_user(text)'),
	                to_regprocedure('public.bz_session_staff(text)'),
	                to_regprocedure('public.api_register(text, text, text)'),
	                to_regprocedure('public.api_login(text, text, uuid)'),
	                to_regprocedure('public.api_logout(text)'),
	                to_regprocedure('public.api_whoami(text)'))
	  AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'
	UNION
	SELECT r.rolname::text, p.oid::regprocedure::text
	FROM pg_roles AS r
	CROSS JOIN pg_proc AS p
	WHERE r.rolname IN ('anon', 'authenticated', 'bazar_client', 'bazar_staff', 'bazar_tester')
	  AND p.oid IN (to_regprocedure('public.bz_setting_int(text, integer)'),
	                to_regprocedure('public.bz_session_user(text)'),
	                to_regprocedure('public.bz_session_staff(text)'))
	  AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
) AS g;
