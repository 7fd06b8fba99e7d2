-- Verify checks for 0001_base, run by `bazar verify` once it is applied.
-- Each section: a '-- check:' line, then one SELECT returning one row
-- (ok boolean, detail text shown when ok is false).

-- check: all base tables exist
SELECT count(*) = 0 AS ok,
       'missing: ' || string_agg(t.name, ', ' ORDER BY t.name) AS detail
FROM unnest(ARRAY['users', 'sessions', 'products', 'product_codes', 'promo_codes',
                  'promo_redemptions', 'orders', 'order_items', 'wallets', 'wallet_ledger',
                  'payment_proofs', 'email_outbox', 'audit_log', 'schema_migrations']) AS t (name)
WHERE to_regclass(format('public.%I', t.name)) IS NULL;

-- check: pgcrypto is installed (bcrypt password hashes)
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgcrypto') AS ok,
       'CREATE EXTENSION pgcrypto is missing' AS detail;

-- check: e-mail addresses are unique case-insensitively
SELECT EXISTS (
	SELECT 1 FROM pg_index AS i
	WHERE i.indexrelid = to_regclass('public.users_email_lower_key')
	  AND i.indisunique AND i.indisvalid
) AS ok, 'unique index users_email_lower_key is missing or invalid' AS detail;
