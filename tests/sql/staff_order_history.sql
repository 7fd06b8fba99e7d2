-- pgTAP: 0020's order history. A bank-transfer order with a promo, a
-- proof, an approval and a code reveal reads back as those events in
-- that order, each with its staff member where there is one; a phone
-- order paid from the wallet shows its placer and its debit; codes never
-- appear in the history; and who may call it: a customer's token gets
-- ZB005, none ZB004, an unknown order ZB006, bazar_client has no EXECUTE.
BEGIN;
SELECT plan(14);

UPDATE shop_settings SET value = '4' WHERE key = 'bcrypt_cost';

CREATE FUNCTION pg_temp.sqlerr(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_state text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE;
	RETURN v_state;
END
$$;

DO $$ BEGIN PERFORM api_register(e, 'tap-password', 'T') FROM (VALUES ('tap-oh-ann@example.com'),
	('tap-oh-sam@example.com')) AS v (e); END $$;
UPDATE users SET is_staff = true WHERE email = 'tap-oh-sam@example.com';
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text);
INSERT INTO tap_tok
SELECT split_part(v.e, '@', 1), l.session_token
FROM (VALUES ('tap-oh-ann@example.com'), ('tap-oh-sam@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = 'tap-oh-' || p_who $$;

INSERT INTO products (id, name, category, price_cents) VALUES
	('e9000000-0000-4000-8000-000000000001', 'TAP OH Card', 'TAP', 1000);
INSERT INTO product_codes (product_id, code)
SELECT 'e9000000-0000-4000-8000-000000000001', 'OH-SECRET-' || n FROM generate_series(1, 4) AS n;
INSERT INTO promo_codes (code, discount_type, discount_value, max_uses)
VALUES ('TAPOH', 'fixed', 100, 10);

CREATE FUNCTION pg_temp.bank_order() RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
	v_ver bigint;
BEGIN
	SELECT version INTO v_ver FROM api_cart_get(pg_temp.tok('ann')) LIMIT 1;
	SELECT version INTO v_ver FROM api_cart_set(pg_temp.tok('ann'), v_ver, 'e9000000-0000-4000-8000-000000000001', 1);
	RETURN (SELECT order_id FROM api_checkout(pg_temp.tok('ann'), gen_random_uuid(), v_ver, 'TAPOH', 'bank_transfer'));
END
$$;
CREATE TEMP TABLE tap_o AS SELECT pg_temp.bank_order() AS id;
CREATE FUNCTION pg_temp.oid() RETURNS uuid LANGUAGE sql AS $$ SELECT id FROM tap_o $$;

SELECT is((SELECT string_agg(event, ', ' ORDER BY n)
           FROM api_staff_order_history(pg_temp.tok('sam'), pg_temp.oid()) WITH ORDINALITY AS h (at, event, actor_email, detail, n)),
          'placed, promo redeemed, e-mail queued',
          'a new bank-transfer order: placed, its promo redeemed, the payment instructions queued');
SELECT is((SELECT detail FROM api_staff_order_history(pg_temp.tok('sam'), pg_temp.oid()) WHERE event = 'placed'),
          'bank_transfer, 900 cents, by the customer', 'placed: method, total, by whom');

DO $$ BEGIN
	PERFORM api_attach_proof(pg_temp.tok('ann'), pg_temp.oid(), 'TRANSFER 77', NULL, NULL, NULL);
	PERFORM api_staff_approve(pg_temp.tok('sam'), pg_temp.oid(), 'paid in full');
	PERFORM api_staff_order_codes(pg_temp.tok('sam'), pg_temp.oid());
END $$;
-- Everything ran in this one transaction, so every row has the same
-- now(): the order within a moment is the event kind's.
SELECT is((SELECT string_agg(event, ', ' ORDER BY n)
           FROM api_staff_order_history(pg_temp.tok('sam'), pg_temp.oid()) WITH ORDINALITY AS h (at, event, actor_email, detail, n)
           WHERE event NOT LIKE 'e-mail%'),
          'placed, promo redeemed, proof attached, approved, codes revealed',
          'proof, approval and reveal follow, in that order');
SELECT is((SELECT format('%s|%s', actor_email, detail)
           FROM api_staff_order_history(pg_temp.tok('sam'), pg_temp.oid()) WHERE event = 'approved'),
          'tap-oh-sam@example.com|1 codes delivered: paid in full', 'the approval names the staff member, codes and reason');
SELECT is((SELECT format('%s|%s', actor_email, detail)
           FROM api_staff_order_history(pg_temp.tok('sam'), pg_temp.oid()) WHERE event = 'codes revealed'),
          'tap-oh-sam@example.com|1 codes', 'the reveal names who and how many, not the codes');
SELECT is((SELECT detail FROM api_staff_order_history(pg_temp.tok('sam'), pg_temp.oid()) WHERE event = 'proof attached'),
          'reference TRANSFER 77', 'the proof with its reference');
SELECT is((SELECT count(*) FROM api_staff_order_history(pg_temp.tok('sam'), pg_temp.oid())
           WHERE detail LIKE '%OH-SECRET%' OR event LIKE '%OH-SECRET%'),
          0::bigint, 'no code appears anywhere in the history');
SELECT ok((SELECT bool_and(actor_email IS NULL)
           FROM api_staff_order_history(pg_temp.tok('sam'), pg_temp.oid())
           WHERE event IN ('placed', 'promo redeemed', 'proof attached')),
          'the customer''s own steps name no staff member');

-- A phone order paid from the wallet: the placer and the debit.
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('sam'), 'tap-oh-ann@example.com', 5000, 'tap credit'); END $$;
CREATE TEMP TABLE tap_p AS
SELECT order_id AS id FROM api_staff_checkout_for(pg_temp.tok('sam'), 'tap-oh-ann@example.com', gen_random_uuid(),
	ARRAY['e9000000-0000-4000-8000-000000000001']::uuid[], ARRAY[2], NULL, 'wallet');
-- The debit's time is the clock's, the audit row's the transaction's
-- start: within one transaction only the set is certain.
SELECT is((SELECT string_agg(event, ', ' ORDER BY event)
           FROM api_staff_order_history(pg_temp.tok('sam'), (SELECT id FROM tap_p))
           WHERE event NOT LIKE 'e-mail%'),
          'phone order, placed, wallet debited', 'a phone order: placed, the debit, the audit row');
SELECT is((SELECT format('%s|%s', actor_email, detail)
           FROM api_staff_order_history(pg_temp.tok('sam'), (SELECT id FROM tap_p)) WHERE event = 'placed'),
          'tap-oh-sam@example.com|wallet, 2000 cents, by phone', 'placed by the staff member, by phone');
SELECT matches((SELECT detail FROM api_staff_order_history(pg_temp.tok('sam'), (SELECT id FROM tap_p))
                WHERE event = 'wallet debited'),
               '^2000 cents, balance 3000 cents: ', 'the debit with the balance it left');

-- Who may read it.
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_order_history(%L, %L)', pg_temp.tok('ann'), pg_temp.oid())),
          'ZB005', 'a customer''s session is refused (ZB005)');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_order_history(%L, %L)', pg_temp.tok('sam'), gen_random_uuid())),
          'ZB006', 'an unknown order is ZB006');
SELECT ok(NOT has_function_privilege('bazar_client', 'public.api_staff_order_history(text, uuid)', 'EXECUTE'),
          'bazar_client may not run it');

SELECT * FROM finish();
ROLLBACK;
