-- Verify checks for 0004_security: row-level security everywhere, client
-- roles with no table privileges and no access to the seed's helpers.

-- check: row-level security is enabled on every table in schema public
SELECT count(*) = 0 AS ok,
       'RLS off on: ' || string_agg(c.relname, ', ' ORDER BY c.relname) AS detail
FROM pg_class AS c
WHERE c.relnamespace = 'public'::regnamespace
  AND c.relkind IN ('r', 'p')
  AND NOT c.relrowsecurity;

-- check: bazar_client and bazar_staff hold no privilege on any table or view in public
SELECT count(*) = 0 AS ok,
       string_agg(r.rolname || ' has ' || pr.priv || ' on ' || c.relname, ', '
                  ORDER BY r.rolname, c.relname, pr.priv) AS detail
FROM pg_roles AS r
CROSS JOIN pg_class AS c
CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS pr (priv)
WHERE r.rolname IN ('bazar_client', 'bazar_staff')
  AND c.relnamespace = 'public'::regnamespace
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  AND has_table_privilege(r.oid, c.oid, pr.priv);

-- check: anon holds no privilege on the shop's tables
SELECT count(*) = 0 AS ok,
       string_agg('anon has ' || pr.priv || ' on ' || c.relname, ', ' ORDER BY c.relname, pr.priv) AS detail
FROM pg_roles AS r
CROSS JOIN pg_class AS c
CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS pr (priv)
WHERE r.rolname = 'anon'
  AND c.relnamespace = 'public'::regnamespace
  AND c.relname IN ('schema_migrations', 'users', 'sessions', 'products', 'promo_codes',
                    'orders', 'order_items', 'product_codes', 'promo_redemptions', 'wallets',
                    'wallet_ledger', 'payment_proofs', 'email_outbox', 'audit_log')
  AND has_table_privilege(r.oid, c.oid, pr.priv);

-- check: the seed helpers are not executable by any client role
SELECT count(*) = 0 AS ok,
       string_agg(r.rolname || ' may run ' || p.oid::regprocedure::text, ', ') AS detail
FROM pg_roles AS r
CROSS JOIN pg_proc AS p
WHERE r.rolname IN ('anon', 'authenticated', 'bazar_client', 'bazar_staff')
  AND p.oid IN (to_regprocedure('public.claim_product_codes_atomic(uuid, integer, uuid)'),
                to_regprocedure('public.increment_promo_usage(uuid)'))
  AND has_function_privilege(r.oid, p.oid, 'EXECUTE');

-- check: the own-row and service_role policies exist
SELECT count(*) = 20 AS ok,
       format('%s of 20 policies found', count(*)) AS detail
FROM pg_policies
WHERE schemaname = 'public'
  AND (policyname IN ('orders_select_own', 'order_items_select_own', 'product_codes_select_own',
                      'promo_redemptions_select_own', 'wallets_select_own', 'wallet_ledger_select_own')
       OR policyname = tablename || '_service_role_all');
