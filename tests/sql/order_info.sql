-- pgTAP: 0013's api_my_order_info and the payment reference. A wallet
-- order (no bank details), a bank-transfer order (the shop's account and
-- the reference), no shop account configured (NULLs, order still shown),
-- another shopper's order (ZB006), no session (ZB004), proofs counted,
-- and the privileges of the new objects.
BEGIN;
SELECT plan(17);

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

CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text);
DO $$ BEGIN PERFORM api_register(e, 'tap-password', 'T') FROM (VALUES ('tap-oi-a@example.com'),
	('tap-oi-b@example.com'), ('tap-oi-staff@example.com')) AS v (e); END $$;
UPDATE users SET is_staff = true WHERE email = 'tap-oi-staff@example.com';
INSERT INTO tap_tok
SELECT split_part(v.e, '@', 1), l.session_token
FROM (VALUES ('tap-oi-a@example.com'), ('tap-oi-b@example.com'), ('tap-oi-staff@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = 'tap-oi-' || p_who $$;

INSERT INTO products (id, name, category, price_cents) VALUES
	('e9000000-0000-4000-8000-000000000001', 'TAP OI', 'TAP', 1000);
INSERT INTO product_codes (product_id, code)
SELECT 'e9000000-0000-4000-8000-000000000001', 'OI-' || n FROM generate_series(1, 4) AS n;
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('staff'), 'tap-oi-a@example.com', 5000, 'tap'); END $$;
DELETE FROM shop_bank_account;
INSERT INTO shop_bank_account (account_holder, iban, bic, bank_name)
VALUES ('TAP Shop', 'DE89370400440532013000', 'COBADEFFXXX', 'TAP Bank');

CREATE FUNCTION pg_temp.buy(p_method text) RETURNS uuid LANGUAGE sql AS $$
	SELECT order_id FROM api_checkout(pg_temp.tok('a'), gen_random_uuid(),
		(SELECT version FROM api_cart_set(pg_temp.tok('a'),
			(SELECT version FROM api_cart_get(pg_temp.tok('a')) LIMIT 1),
			'e9000000-0000-4000-8000-000000000001', 1)),
		'', p_method)
$$;
CREATE TEMP TABLE tap_orders AS SELECT pg_temp.buy('wallet') AS wallet_order, pg_temp.buy('bank_transfer') AS bank_order;

SELECT is((SELECT format('%s %s %s %s', status, payment_method, total_cents, iban IS NULL)
           FROM api_my_order_info(pg_temp.tok('a'), (SELECT wallet_order FROM tap_orders))),
          'fulfilled wallet 1000 t', 'a wallet order: fulfilled, its total, no bank details');
SELECT is((SELECT format('%s|%s|%s|%s|%s', status, account_holder, iban, bic, bank_name)
           FROM api_my_order_info(pg_temp.tok('a'), (SELECT bank_order FROM tap_orders))),
          'awaiting_payment|TAP Shop|DE89370400440532013000|COBADEFFXXX|TAP Bank',
          'a bank transfer shows the shop''s account');
SELECT ok((SELECT expires_at > now() FROM api_my_order_info(pg_temp.tok('a'), (SELECT bank_order FROM tap_orders))),
          'an unpaid bank transfer says when it lapses');
SELECT is((SELECT payment_reference FROM api_my_order_info(pg_temp.tok('a'), (SELECT bank_order FROM tap_orders))),
          'BZ-' || upper(left(replace((SELECT bank_order FROM tap_orders)::text, '-', ''), 12)),
          'the reference is BZ- and the first 12 hex digits of the order id');
SELECT matches((SELECT payment_reference FROM api_my_order_info(pg_temp.tok('a'), (SELECT wallet_order FROM tap_orders))),
               '^BZ-[0-9A-F]{12}$', 'every order has a reference of that shape');
SELECT is((SELECT format('%s %s %s', subtotal_cents, discount_cents, promo_code IS NULL)
           FROM api_my_order_info(pg_temp.tok('a'), (SELECT bank_order FROM tap_orders))),
          '1000 0 t', 'amounts and no promo');
SELECT is((SELECT proofs FROM api_my_order_info(pg_temp.tok('a'), (SELECT bank_order FROM tap_orders))),
          0::bigint, 'no proof yet');
DO $$ BEGIN PERFORM api_attach_proof(pg_temp.tok('a'), (SELECT bank_order FROM tap_orders), 'TAP-REF', NULL, NULL, NULL); END $$;
SELECT is((SELECT proofs FROM api_my_order_info(pg_temp.tok('a'), (SELECT bank_order FROM tap_orders))),
          1::bigint, 'an attached reference counts as a proof');

DELETE FROM shop_bank_account;
SELECT is((SELECT format('%s %s', status, iban IS NULL)
           FROM api_my_order_info(pg_temp.tok('a'), (SELECT bank_order FROM tap_orders))),
          'awaiting_payment t', 'without a configured account the order is still shown, bank details NULL');

SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_my_order_info(%L, %L)$$, pg_temp.tok('b'),
                                (SELECT wallet_order FROM tap_orders))),
          'ZB006', 'another shopper''s order is not found');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_my_order_info('nope', %L)$$, (SELECT wallet_order FROM tap_orders))),
          'ZB004', 'no session: ZB004');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_my_order_info(pg_temp.tok('a'), gen_random_uuid())$$),
          'ZB006', 'an unknown order is not found');

SELECT is(pg_temp.sqlerr($$INSERT INTO shop_bank_account (account_holder, iban, bic, bank_name) VALUES ('x', 'not an iban', 'COBADEFFXXX', 'b')$$),
          '23514', 'a malformed IBAN is refused');
SELECT is(pg_temp.sqlerr($$INSERT INTO shop_bank_account (account_holder, iban, bic, bank_name) VALUES ('x', 'DE89370400440532013000', 'bic?', 'b')$$),
          '23514', 'a malformed BIC is refused');
INSERT INTO shop_bank_account (account_holder, iban, bic, bank_name) VALUES ('x', 'DE89370400440532013000', 'COBADEFFXXX', 'b');
SELECT is(pg_temp.sqlerr($$INSERT INTO shop_bank_account (account_holder, iban, bic, bank_name) VALUES ('y', 'DE89370400440532013000', 'COBADEFFXXX', 'b')$$),
          '23505', 'there is one bank account row at most');

SELECT ok(NOT has_function_privilege('bazar_client', 'public.bz_payment_reference(uuid)', 'EXECUTE'),
          'the client role cannot call the reference helper directly');
SELECT ok(NOT has_table_privilege('bazar_client', 'public.shop_bank_account', 'SELECT'),
          'the client role cannot read the bank account table');

SELECT * FROM finish();
ROLLBACK;
