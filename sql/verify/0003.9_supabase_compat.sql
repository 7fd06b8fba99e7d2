-- Verify checks for 0003.9_supabase_compat: what 0004's policies refer to.

-- check: roles anon, authenticated and service_role exist
SELECT count(*) = 3 AS ok,
       'found only: ' || coalesce(string_agg(rolname, ', ' ORDER BY rolname), 'none') AS detail
FROM pg_roles
WHERE rolname IN ('anon', 'authenticated', 'service_role');

-- check: auth.uid() exists
SELECT to_regprocedure('auth.uid()') IS NOT NULL AS ok,
       'function auth.uid() is missing' AS detail;
