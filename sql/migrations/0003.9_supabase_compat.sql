-- 0003.9_supabase_compat: on plain PostgreSQL, provide what Supabase has,
-- so that 0004_security's policies are the same text everywhere.
--
-- Supabase already has the roles anon, authenticated and service_role, the
-- schema auth and auth.uid(); there this file changes nothing. Elsewhere it
-- creates only the missing ones and marks each with the comment
-- 'created by bazar compat', so that its rollback removes exactly those.
--
-- Roles are cluster-wide (shared with every other database on the server),
-- so they are created NOLOGIN, are never dropped by a rollback, and creating
-- them needs CREATEROLE: the private cluster's owner role has it. Without it,
-- this file stops with a message saying what to create by hand.

DO $do$
DECLARE
	r text;
	v_can_create boolean;
BEGIN
	SELECT rolcreaterole OR rolsuper INTO v_can_create
	FROM pg_roles WHERE rolname = current_user;

	FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			IF NOT coalesce(v_can_create, false) THEN
				RAISE EXCEPTION USING ERRCODE = '42501',
					MESSAGE = format('role %I is missing and %I may not create roles', r, current_user),
					HINT = 'Ask an administrator to run: CREATE ROLE anon NOLOGIN; '
					       'CREATE ROLE authenticated NOLOGIN; CREATE ROLE service_role NOLOGIN; '
					       'then migrate again.';
			END IF;
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
			EXECUTE format('COMMENT ON ROLE %I IS %L', r, 'created by bazar compat');
		END IF;
	END LOOP;
END
$do$;

-- auth.uid(): the id of the signed-in user from the request's JWT claims as
-- PostgREST sets them, or NULL when there is none (never an error: an empty
-- setting becomes NULL). Kiosks connecting through libpq never set it, so
-- own-row policies simply match nothing for them.
DO $do$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'auth') THEN
		CREATE SCHEMA auth;
		COMMENT ON SCHEMA auth IS 'created by bazar compat';
		GRANT USAGE ON SCHEMA auth TO PUBLIC;
	END IF;

	IF to_regprocedure('auth.uid()') IS NULL THEN
		CREATE FUNCTION auth.uid() RETURNS uuid
		LANGUAGE sql
		STABLE
		AS $fn$
			SELECT coalesce(
				nullif(current_setting('request.jwt.claim.sub', true), ''),
				nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
			)::uuid
		$fn$;
		COMMENT ON FUNCTION auth.uid() IS 'created by bazar compat';
	END IF;
END
$do$;
