-- pgTAP: 0004's security model. RLS on every table; the kiosk and staff
-- roles hold no table privilege and may run only the API functions, never
-- the seed's helpers that take ids from the caller.
BEGIN;
SELECT plan(24);

-- The shop's tables, i.e. every table in public except ones an extension
-- (pgTAP) brought along.
CREATE TEMP VIEW tap_public_relations AS
SELECT c.oid, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
FROM pg_class AS c
WHERE c.relnamespace = 'public'::regnamespace
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e');
GRANT SELECT ON tap_public_relations TO PUBLIC;

SELECT cmp_ok((SELECT count(*) FROM tap_public_relations WHERE relkind IN ('r', 'p')),
              '>=', 14::bigint, 'the schema has its 14 tables (so the checks below are not vacuous)');
SELECT is_empty(
	$$SELECT relname FROM tap_public_relations WHERE relkind IN ('r', 'p') AND NOT relrowsecurity$$,
	'row-level security is enabled on every table in public');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'public.schema_migrations'::regclass),
          'row-level security is enabled on schema_migrations too');
SELECT is_empty(
	$$SELECT relname FROM tap_public_relations WHERE relforcerowsecurity$$,
	'row-level security is not forced (the API functions run as the owner)');

SELECT is_empty(
	$$SELECT r.rolname || ' ' || p.priv || ' ' || t.relname
	  FROM tap_public_relations AS t
	  CROSS JOIN (VALUES ('bazar_client'), ('bazar_staff')) AS r (rolname)
	  CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE')) AS p (priv)
	  WHERE t.relkind <> 'S' AND has_table_privilege(r.rolname, t.oid, p.priv)$$,
	'bazar_client and bazar_staff have no SELECT/INSERT/UPDATE/DELETE on any table in public');
SELECT is_empty(
	$$SELECT r.rolname || ' ' || p.priv || ' ' || t.relname
	  FROM tap_public_relations AS t
	  CROSS JOIN (VALUES ('bazar_client'), ('bazar_staff')) AS r (rolname)
	  CROSS JOIN (VALUES ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) AS p (priv)
	  WHERE t.relkind <> 'S' AND has_table_privilege(r.rolname, t.oid, p.priv)$$,
	'nor TRUNCATE/REFERENCES/TRIGGER');
SELECT is_empty(
	$$SELECT p.priv || ' ' || t.relname
	  FROM tap_public_relations AS t
	  CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE')) AS p (priv)
	  WHERE t.relkind <> 'S' AND has_table_privilege('anon', t.oid, p.priv)$$,
	'anon has no privilege on any table in public');
SELECT is_empty(
	$$SELECT p.priv || ' ' || t.relname
	  FROM tap_public_relations AS t
	  CROSS JOIN (VALUES ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) AS p (priv)
	  WHERE t.relkind <> 'S' AND has_table_privilege('authenticated', t.oid, p.priv)$$,
	'authenticated cannot write any table');
SELECT is_empty(
	$$SELECT relname FROM tap_public_relations
	  WHERE relname IN ('users', 'sessions', 'payment_proofs', 'schema_migrations', 'audit_log', 'email_outbox')
	    AND has_table_privilege('authenticated', oid, 'SELECT')$$,
	'authenticated cannot read users, sessions, proofs, outbox, audit log or schema_migrations');

-- the seed's helpers
SELECT ok(NOT has_function_privilege('bazar_client', 'claim_product_codes_atomic(uuid, integer, uuid)', 'EXECUTE'),
          'bazar_client cannot execute claim_product_codes_atomic');
SELECT ok(NOT has_function_privilege('bazar_client', 'increment_promo_usage(uuid)', 'EXECUTE'),
          'bazar_client cannot execute increment_promo_usage');
SELECT is_empty(
	$$SELECT r.rolname || ' ' || f.sig
	  FROM (VALUES ('bazar_staff'), ('anon'), ('authenticated')) AS r (rolname)
	  CROSS JOIN (VALUES ('claim_product_codes_atomic(uuid, integer, uuid)'), ('increment_promo_usage(uuid)')) AS f (sig)
	  WHERE has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'bazar_staff, anon and authenticated cannot execute the seed helpers either');
SELECT is_empty(
	$$SELECT p.oid::regprocedure::text
	  FROM pg_proc AS p
	  CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	  WHERE p.oid IN ('claim_product_codes_atomic(uuid, integer, uuid)'::regprocedure,
	                  'increment_promo_usage(uuid)'::regprocedure,
	                  'catalog_page(text, integer, integer)'::regprocedure,
	                  'schema_version()'::regprocedure)
	    AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'$$,
	'PUBLIC has EXECUTE on none of the shop''s functions');

-- the storefront API
SELECT ok(has_function_privilege('bazar_client', 'catalog_page(text, integer, integer)', 'EXECUTE')
          AND has_function_privilege('bazar_client', 'schema_version()', 'EXECUTE'),
          'bazar_client can execute catalog_page and schema_version');
SELECT ok(has_function_privilege('bazar_staff', 'catalog_page(text, integer, integer)', 'EXECUTE')
          AND has_function_privilege('bazar_staff', 'schema_version()', 'EXECUTE'),
          'bazar_staff can execute catalog_page and schema_version');

-- the same, for real, as the kiosk role
SET ROLE bazar_client;
SELECT throws_ok($$SELECT count(*) FROM products$$, '42501', 'permission denied for table products',
                 'as bazar_client: reading products directly is denied');
SELECT throws_ok($$UPDATE promo_codes SET used_count = 0$$, '42501', 'permission denied for table promo_codes',
                 'as bazar_client: updating promo_codes directly is denied');
SELECT throws_ok(
	$$SELECT * FROM claim_product_codes_atomic(gen_random_uuid(), 1, gen_random_uuid())$$,
	'42501', 'permission denied for function claim_product_codes_atomic',
	'as bazar_client: calling claim_product_codes_atomic is denied');
SELECT throws_ok($$SELECT increment_promo_usage(gen_random_uuid())$$,
	'42501', 'permission denied for function increment_promo_usage',
	'as bazar_client: calling increment_promo_usage is denied');
SELECT lives_ok($$SELECT * FROM catalog_page(NULL, 10, 0)$$, 'as bazar_client: catalog_page works');
RESET ROLE;

-- Supabase's authenticated role sees only its own rows (auth.uid() from the JWT claims)
INSERT INTO users (id, email, password_hash)
VALUES ('c0000000-0000-4000-8000-000000000001', 'tap-rls-a@example.com', 'x'),
       ('c0000000-0000-4000-8000-000000000002', 'tap-rls-b@example.com', 'x');
INSERT INTO orders (user_id) VALUES ('c0000000-0000-4000-8000-000000000001'),
                                    ('c0000000-0000-4000-8000-000000000002'),
                                    ('c0000000-0000-4000-8000-000000000002');
SET LOCAL request.jwt.claim.sub = 'c0000000-0000-4000-8000-000000000002';
SET ROLE authenticated;
SELECT results_eq($$SELECT DISTINCT user_id FROM orders$$,
                  $$VALUES ('c0000000-0000-4000-8000-000000000002'::uuid)$$,
                  'as authenticated: only the signed-in user''s orders are visible');
RESET ROLE;
SET LOCAL request.jwt.claim.sub = '';
SET ROLE authenticated;
SELECT is_empty($$SELECT id FROM orders$$, 'as authenticated without a user: no order is visible');
RESET ROLE;

-- schema_version compares versions numerically per component
INSERT INTO schema_migrations (version, name, checksum)
VALUES ('9000.9', 'tap_a', 'x'), ('9000.10', 'tap_b', 'x'), ('9000', 'tap_c', 'x');
SET ROLE bazar_client;
SELECT is(schema_version(), '9000.10', 'as bazar_client: schema_version() is the highest version, 9000.10 > 9000.9');
RESET ROLE;
DELETE FROM schema_migrations;
SELECT is(schema_version(), '', 'schema_version() is empty when nothing is recorded');

SELECT * FROM finish();
ROLLBACK;
