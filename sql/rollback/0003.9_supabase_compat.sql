-- Rollback of 0003.9_supabase_compat: drop auth.uid() and the schema auth,
-- but only where that migration created them (marked with the comment
-- 'created by bazar compat'); Supabase's own are never touched. The schema
-- is dropped only if empty (RESTRICT), so nothing anyone put there is lost.
--
-- The roles anon, authenticated and service_role are NOT dropped: roles are
-- cluster-wide, shared with every other database on the server, and may own
-- privileges there. The ones this created carry the same comment, so an
-- administrator can find and drop them by hand:
--   SELECT rolname FROM pg_roles
--   WHERE shobj_description(oid, 'pg_authid') = 'created by bazar compat';
DO $do$
BEGIN
	IF obj_description(to_regprocedure('auth.uid()'), 'pg_proc') = 'created by bazar compat' THEN
		DROP FUNCTION auth.uid();
	END IF;
	IF EXISTS (
		SELECT 1 FROM pg_namespace AS n
		WHERE n.nspname = 'auth'
		  AND obj_description(n.oid, 'pg_namespace') = 'created by bazar compat'
	) THEN
		DROP SCHEMA auth RESTRICT;
	END IF;
END
$do$;
