-- pgTAP: 0010's checkout and the customer's own reads. api_checkout with
-- its idempotency (replays, re-login, fingerprint mismatch, failures
-- stored under the key), all or nothing (insufficient funds with the
-- balance, out of stock, promo refused, stale or empty cart: no order, no
-- code, no debit, no promo use), wallet and bank transfer (reservation,
-- caps, lazy expiry), payment proofs, api_checkout_status, api_my_*, and
-- bad input everywhere. Concurrency is the race suite's (tests/race).
BEGIN;
SELECT plan(118);

UPDATE shop_settings SET value = '4' WHERE key = 'bcrypt_cost';

-- SQLSTATE and DETAIL of a statement's error, or 'no error'.
CREATE FUNCTION pg_temp.sqlerr(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_state text;
	v_detail text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL;
	RETURN v_state || ' ' || coalesce(v_detail, '');
END
$$;

-- Shoppers, a staff member, their sessions.
CREATE TEMP TABLE tap_reg AS
SELECT r.* FROM (VALUES
	('tap-alice@example.com', 'Alice'), ('tap-bob@example.com', 'Bob'),
	('tap-carol@example.com', 'Carol'), ('tap-dave@example.com', 'Dave'),
	('tap-staff@example.com', 'Staff')) AS v (e, n)
CROSS JOIN LATERAL api_register(v.e, 'tap-password', v.n) AS r;
UPDATE users SET is_staff = true WHERE email = 'tap-staff@example.com';
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text, user_id uuid);
INSERT INTO tap_tok
SELECT split_part(v.e, '@', 1), l.session_token, l.user_id
FROM (VALUES ('tap-alice@example.com'), ('tap-bob@example.com'), ('tap-carol@example.com'),
             ('tap-dave@example.com'), ('tap-staff@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = 'tap-' || p_who $$;
CREATE FUNCTION pg_temp.uid(p_who text) RETURNS uuid LANGUAGE sql AS
$$ SELECT user_id FROM tap_tok WHERE who = 'tap-' || p_who $$;

-- Catalog: P1 10.00 with 3 codes, P2 5.00 with 5, P3 inactive, P4 with none.
INSERT INTO products (id, name, category, price_cents, is_active) VALUES
	('e1000000-0000-4000-8000-000000000001', 'TAP One', 'TAP', 1000, true),
	('e1000000-0000-4000-8000-000000000002', 'TAP Two', 'TAP', 500, true),
	('e1000000-0000-4000-8000-000000000003', 'TAP Gone', 'TAP', 700, true),
	('e1000000-0000-4000-8000-000000000004', 'TAP Empty', 'TAP', 900, true);
INSERT INTO product_codes (product_id, code, created_at)
SELECT 'e1000000-0000-4000-8000-000000000001', 'ONE-' || n, timestamptz '2024-01-01' + n * interval '1 s'
FROM generate_series(1, 3) AS n;
INSERT INTO product_codes (product_id, code, created_at)
SELECT 'e1000000-0000-4000-8000-000000000002', 'TWO-' || n, timestamptz '2024-01-01' + n * interval '1 s'
FROM generate_series(1, 5) AS n;
INSERT INTO product_codes (product_id, code)
SELECT 'e1000000-0000-4000-8000-000000000003', 'GONE-' || n FROM generate_series(1, 3) AS n;
INSERT INTO promo_codes (id, code, discount_type, discount_value, max_uses, min_order_cents) VALUES
	('e2000000-0000-4000-8000-000000000001', 'TAPHALF', 'percentage', 50, 1, 0),
	('e2000000-0000-4000-8000-000000000002', 'TAPFIX', 'fixed', 300, NULL, 0),
	('e2000000-0000-4000-8000-000000000003', 'TAPBIG', 'fixed', 100, NULL, 1000000);

-- Wallets: alice 50.00, carol 100.00, bob and dave 0.
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('staff'), 'tap-alice@example.com', 5000, 'tap'); END $$;
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('staff'), 'tap-carol@example.com', 10000, 'tap'); END $$;

-- Cart helper: set lines against the current version; returns the new version.
CREATE FUNCTION pg_temp.cart(p_who text, p_product text, p_qty integer) RETURNS bigint LANGUAGE sql AS $$
	SELECT version FROM api_cart_set(pg_temp.tok(p_who),
		(SELECT version FROM api_cart_get(pg_temp.tok(p_who)) LIMIT 1),
		('e1000000-0000-4000-8000-00000000000' || p_product)::uuid, p_qty)
$$;
CREATE FUNCTION pg_temp.ver(p_who text) RETURNS bigint LANGUAGE sql AS
$$ SELECT version FROM api_cart_get(pg_temp.tok(p_who)) LIMIT 1 $$;
CREATE FUNCTION pg_temp.key(n integer) RETURNS uuid LANGUAGE sql AS
$$ SELECT ('e3000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid $$;

-- ---------------------------------------------------------------- bad input
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_checkout('nope', gen_random_uuid(), 0, NULL, 'wallet')$$),
          'ZB004 session unknown, expired or revoked', 'a bad token: ZB004');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, NULL, 0, NULL, 'wallet')$$, pg_temp.tok('alice'))),
          'ZB008 idempotency_key', 'no idempotency key: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, gen_random_uuid(), NULL, NULL, 'wallet')$$, pg_temp.tok('alice'))),
          'ZB008 cart_version', 'no cart version: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, gen_random_uuid(), -1, NULL, 'wallet')$$, pg_temp.tok('alice'))),
          'ZB008 cart_version', 'a negative cart version: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, gen_random_uuid(), 0, NULL, 'cash')$$, pg_temp.tok('alice'))),
          'ZB008 payment_method', 'an unknown payment method: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, gen_random_uuid(), 0, NULL, NULL)$$, pg_temp.tok('alice'))),
          'ZB008 payment_method', 'no payment method: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, gen_random_uuid(), 0, %L, 'wallet')$$,
                                pg_temp.tok('alice'), repeat('X', 65))),
          'ZB008 promo_code', 'a promo code over 64 characters: ZB008');
SELECT is((SELECT count(*) FROM idempotency_keys), 0::bigint, 'raised errors store nothing under any key');

-- --------------------------------------------------- empty and stale carts
CREATE TEMP TABLE r_empty AS
SELECT * FROM api_checkout(pg_temp.tok('alice'), pg_temp.key(1), pg_temp.ver('alice'), NULL, 'wallet');
SELECT results_eq($$SELECT outcome, error_code, error_message, replayed FROM r_empty$$,
                  $$VALUES ('failed'::text, 'ZB009'::text, 'Your cart is empty.'::text, false)$$,
                  'an empty cart: outcome failed, ZB009, returned not raised');

DO $$ BEGIN PERFORM pg_temp.cart('alice', '1', 2); END $$;
DO $$ BEGIN PERFORM pg_temp.cart('alice', '2', 1); END $$;
CREATE TEMP TABLE r_stale AS
SELECT * FROM api_checkout(pg_temp.tok('alice'), pg_temp.key(2), pg_temp.ver('alice') - 1, NULL, 'wallet');
SELECT results_eq($$SELECT outcome, error_code, order_id FROM r_stale$$,
                  $$VALUES ('failed'::text, 'ZB009'::text, NULL::uuid)$$,
                  'a cart changed since it was priced (inventory theft): ZB009, no order');
SELECT is((SELECT error_message FROM r_stale), 'Your cart changed, please review it.',
          'the stale cart message asks the shopper to review');
SELECT is((SELECT response ->> 'detail' FROM idempotency_keys WHERE key = pg_temp.key(2)),
          format('version=%s', pg_temp.ver('alice')), 'the stored detail names the current version');
SELECT is((SELECT count(*) FROM orders WHERE user_id = pg_temp.uid('alice')), 0::bigint,
          'no order was created for the stale cart');
SELECT results_eq(
	format($$SELECT outcome, error_code, replayed FROM api_checkout(%L, %L, %s, NULL, 'wallet')$$,
	       pg_temp.tok('alice'), pg_temp.key(2), pg_temp.ver('alice') - 1),
	$$VALUES ('failed'::text, 'ZB009'::text, true)$$,
	'the same key again: the stored failure, replayed');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, %L, %s, NULL, 'wallet')$$,
                                pg_temp.tok('alice'), pg_temp.key(2), pg_temp.ver('alice'))),
          format('ZB010 idempotency_key=%s', pg_temp.key(2)),
          'the same key with another cart version: ZB010');

-- ------------------------------------------------ a wallet checkout, paid
-- alice: 2 x TAP One + 1 x TAP Two = 25.00, TAPFIX -3.00 = 22.00 of her 50.00
CREATE TEMP TABLE r_ok AS
SELECT * FROM api_checkout(pg_temp.tok('alice'), pg_temp.key(3), pg_temp.ver('alice'), ' tapfix ', 'wallet');
SELECT results_eq(
	$$SELECT outcome, order_status, subtotal_cents, discount_cents, total_cents, balance_cents, error_code, replayed FROM r_ok$$,
	$$VALUES ('ok'::text, 'fulfilled'::text, 2500::bigint, 300::bigint, 2200::bigint, 2800::bigint, NULL::text, false)$$,
	'wallet checkout: ok, fulfilled, prices from the database, promo applied, balance after');
SELECT ok((SELECT started_at <= clock_timestamp() AND order_id IS NOT NULL FROM r_ok),
          'it returns the order id and started_at');
SELECT results_eq(
	$$SELECT status, payment_method, subtotal_cents, discount_cents, total_cents, cart_version, idempotency_key
	  FROM orders WHERE id = (SELECT order_id FROM r_ok)$$,
	format($$VALUES ('fulfilled'::text, 'wallet'::text, 2500::bigint, 300::bigint, 2200::bigint, %s::bigint, %L::text)$$,
	       pg_temp.ver('alice') - 1, pg_temp.key(3)),
	'the order row records amounts, the priced cart version and the key');
SELECT results_eq(
	$$SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = (SELECT order_id FROM r_ok) ORDER BY product_id$$,
	$$VALUES ('e1000000-0000-4000-8000-000000000001'::uuid, 2::bigint, 1000::bigint),
	         ('e1000000-0000-4000-8000-000000000002'::uuid, 1::bigint, 500::bigint)$$,
	'order items carry the database prices');
SELECT results_eq(
	$$SELECT code, status, used_at IS NOT NULL FROM product_codes WHERE order_id = (SELECT order_id FROM r_ok) ORDER BY code$$,
	$$VALUES ('ONE-1'::text, 'sold'::text, true), ('ONE-2', 'sold', true), ('TWO-1', 'sold', true)$$,
	'exactly the oldest codes, sold, on the order');
SELECT is((SELECT balance_cents FROM wallets WHERE user_id = pg_temp.uid('alice')), 2800::bigint,
          'the wallet was debited once');
SELECT results_eq(
	$$SELECT amount_cents, balance_after_cents, reason FROM wallet_ledger
	  WHERE order_id = (SELECT order_id FROM r_ok)$$,
	$$VALUES (-2200::bigint, 2800::bigint, 'order'::text)$$,
	'one ledger row for the debit, with the balance after it');
SELECT results_eq(
	$$SELECT used_count, (SELECT count(*) FROM promo_redemptions WHERE promo_id = p.id AND order_id = (SELECT order_id FROM r_ok))
	  FROM promo_codes AS p WHERE code = 'TAPFIX'$$,
	$$VALUES (1::bigint, 1::bigint)$$,
	'the promo use is counted and its redemption recorded');
SELECT is((SELECT count(*) FROM promo_holds WHERE user_id = pg_temp.uid('alice')
           AND order_id = (SELECT order_id FROM r_ok)), 1::bigint,
          'the promo hold is converted (linked to the order)');
SELECT is((SELECT count(*) FROM api_cart_get(pg_temp.tok('alice')) WHERE product_id IS NOT NULL), 0::bigint,
          'the cart is emptied');
SELECT is(pg_temp.ver('alice'), (SELECT cart_version FROM orders WHERE id = (SELECT order_id FROM r_ok)) + 1,
          'and its version bumped');
SELECT results_eq(
	$$SELECT kind, to_address FROM email_outbox WHERE order_id = (SELECT order_id FROM r_ok)$$,
	$$VALUES ('order_confirmation'::text, 'tap-alice@example.com'::text)$$,
	'a confirmation mail is queued in the same transaction');
SELECT results_eq(
	$$SELECT outcome, order_id, fingerprint FROM idempotency_keys WHERE key = pg_temp.key(3)$$,
	format($$VALUES ('ok'::text, %L::uuid, %L::text)$$, (SELECT order_id FROM r_ok),
	       format('cart=%s|promo=tapfix|pay=wallet', pg_temp.ver('alice') - 1)),
	'the key row holds the outcome, the order and the fingerprint (cart, promo lower-cased, method)');

-- ------------------------------------------------------------- replays
CREATE TEMP TABLE r_replay AS
SELECT * FROM api_checkout(pg_temp.tok('alice'), pg_temp.key(3), (SELECT cart_version FROM orders WHERE id = (SELECT order_id FROM r_ok)),
                           'TAPFIX', 'wallet');
SELECT results_eq(
	$$SELECT outcome, order_id, order_status, total_cents, balance_cents, replayed FROM r_replay$$,
	$$SELECT outcome, order_id, order_status, total_cents, balance_cents, true FROM r_ok$$,
	'the same key and request: the stored result, replayed = true');
SELECT is((SELECT count(*) FROM orders WHERE user_id = pg_temp.uid('alice')), 1::bigint, 'still one order');
SELECT is((SELECT count(*) FROM wallet_ledger l JOIN wallets w ON w.id = l.wallet_id
           WHERE w.user_id = pg_temp.uid('alice') AND l.amount_cents < 0), 1::bigint, 'still one debit');
-- A re-login is a new session token; the key is the user's, not the session's.
INSERT INTO tap_tok SELECT 'tap-alice2', session_token, user_id
FROM api_login('tap-alice@example.com', 'tap-password', gen_random_uuid());
SELECT results_eq(
	format($$SELECT order_id, replayed FROM api_checkout(%L, %L, %s, 'tapfix', 'wallet')$$,
	       pg_temp.tok('alice2'), pg_temp.key(3), (SELECT cart_version FROM orders WHERE id = (SELECT order_id FROM r_ok))),
	$$SELECT order_id, true FROM r_ok$$,
	'after a re-login the same key resumes the same attempt');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, %L, %s, 'TAPFIX', 'bank_transfer')$$,
                                pg_temp.tok('alice'), pg_temp.key(3),
                                (SELECT cart_version FROM orders WHERE id = (SELECT order_id FROM r_ok)))),
          format('ZB010 idempotency_key=%s', pg_temp.key(3)), 'same key, other payment method: ZB010');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, %L, %s, NULL, 'wallet')$$,
                                pg_temp.tok('alice'), pg_temp.key(3),
                                (SELECT cart_version FROM orders WHERE id = (SELECT order_id FROM r_ok)))),
          format('ZB010 idempotency_key=%s', pg_temp.key(3)), 'same key, no promo: ZB010');
SELECT results_eq(
	format($$SELECT outcome, replayed FROM api_checkout(%L, %L, 0, NULL, 'wallet')$$, pg_temp.tok('bob'), pg_temp.key(3)),
	$$VALUES ('failed'::text, false)$$,
	'keys are per user: bob''s key 3 is a new attempt of his (his empty cart)');

-- ------------------------------------------ insufficient funds: nothing happens
DO $$ BEGIN PERFORM pg_temp.cart('bob', '2', 2); END $$;
DO $$ BEGIN PERFORM pg_temp.cart('bob', '1', 1); END $$;
CREATE TEMP TABLE bob_before AS
SELECT (SELECT count(*) FROM product_codes WHERE status = 'available') AS avail,
       (SELECT used_count FROM promo_codes WHERE code = 'TAPFIX') AS promo_used,
       pg_temp.ver('bob') AS ver;
CREATE TEMP TABLE r_poor AS
SELECT * FROM api_checkout(pg_temp.tok('bob'), pg_temp.key(4), pg_temp.ver('bob'), 'TAPFIX', 'wallet');
SELECT results_eq(
	$$SELECT outcome, error_code, error_message, balance_cents, total_cents, order_id FROM r_poor$$,
	$$VALUES ('failed'::text, 'ZB003'::text, 'Your wallet holds 0.00; this order costs 17.00.'::text, 0::bigint, 1700::bigint, NULL::uuid)$$,
	'insufficient funds: ZB003 returned, with the balance in the message');
SELECT is((SELECT response ->> 'detail' FROM idempotency_keys WHERE key = pg_temp.key(4) AND user_id = pg_temp.uid('bob')),
          'balance_cents=0 total_cents=1700', 'and in the stored detail');
SELECT is((SELECT count(*) FROM orders WHERE user_id = pg_temp.uid('bob')), 0::bigint, 'no order');
SELECT is((SELECT count(*) FROM product_codes WHERE status = 'available'), (SELECT avail FROM bob_before),
          'no code claimed');
SELECT is((SELECT count(*) FROM wallet_ledger l JOIN wallets w ON w.id = l.wallet_id WHERE w.user_id = pg_temp.uid('bob')),
          0::bigint, 'no ledger row');
SELECT is((SELECT used_count FROM promo_codes WHERE code = 'TAPFIX'), (SELECT promo_used FROM bob_before),
          'no promo use');
SELECT is((SELECT count(*) FROM promo_redemptions r JOIN promo_codes p ON p.id = r.promo_id
           WHERE p.code = 'TAPFIX' AND r.user_id = pg_temp.uid('bob')), 0::bigint, 'no redemption');
SELECT is(pg_temp.ver('bob'), (SELECT ver FROM bob_before), 'the cart is unchanged');
SELECT is((SELECT count(*) FROM api_cart_get(pg_temp.tok('bob')) WHERE product_id IS NOT NULL), 2::bigint,
          'the cart keeps its lines');
SELECT is((SELECT count(*) FROM email_outbox WHERE to_address = 'tap-bob@example.com'), 0::bigint, 'no mail');

-- -------------------------------------------- out of stock: nothing happens
-- carol (100.00) wants 2 x TAP One; 1 is left.
DO $$ BEGIN PERFORM pg_temp.cart('carol', '1', 2); END $$;
DO $$ BEGIN PERFORM pg_temp.cart('carol', '2', 1); END $$;
CREATE TEMP TABLE r_oos AS
SELECT * FROM api_checkout(pg_temp.tok('carol'), pg_temp.key(5), pg_temp.ver('carol'), NULL, 'wallet');
SELECT results_eq(
	$$SELECT outcome, error_code, error_message, order_id FROM r_oos$$,
	$$VALUES ('failed'::text, 'ZB001'::text, 'Sorry, only 1 of TAP One are left.'::text, NULL::uuid)$$,
	'out of stock: ZB001 returned with what is left');
SELECT is((SELECT response ->> 'detail' FROM idempotency_keys WHERE key = pg_temp.key(5)),
          'product_id=e1000000-0000-4000-8000-000000000001 requested=2 available=1',
          'the detail names the product, requested and available');
SELECT is((SELECT count(*) FROM orders WHERE user_id = pg_temp.uid('carol')), 0::bigint, 'no order');
SELECT results_eq(
	$$SELECT status, count(*) FROM product_codes WHERE product_id IN ('e1000000-0000-4000-8000-000000000001',
	  'e1000000-0000-4000-8000-000000000002') GROUP BY status ORDER BY status$$,
	$$VALUES ('available'::text, 5::bigint), ('sold', 3)$$,
	'no code claimed (TAP Two''s code is not kept either)');
SELECT is((SELECT balance_cents FROM wallets WHERE user_id = pg_temp.uid('carol')), 10000::bigint, 'no debit');

-- --------------------------------------------------------- promo refusals
DO $$ BEGIN PERFORM pg_temp.cart('carol', '1', 0); END $$;
SELECT results_eq(
	format($$SELECT outcome, error_code, error_message FROM api_checkout(%L, %L, %s, 'NOSUCH', 'wallet')$$,
	       pg_temp.tok('carol'), pg_temp.key(6), pg_temp.ver('carol')),
	$$VALUES ('failed'::text, 'ZB002'::text, 'This promo code does not exist.'::text)$$,
	'an unknown promo: ZB002');
SELECT results_eq(
	format($$SELECT outcome, error_code, error_message FROM api_checkout(%L, %L, %s, 'TAPBIG', 'wallet')$$,
	       pg_temp.tok('carol'), pg_temp.key(7), pg_temp.ver('carol')),
	$$VALUES ('failed'::text, 'ZB002'::text, 'This promo code needs an order of at least 10000.00.'::text)$$,
	'a minimum order not reached: ZB002');
UPDATE promo_codes SET used_count = 1 WHERE code = 'TAPHALF';
INSERT INTO promo_redemptions (promo_id, user_id) VALUES ('e2000000-0000-4000-8000-000000000001', pg_temp.uid('dave'));
SELECT results_eq(
	format($$SELECT outcome, error_code, error_message FROM api_checkout(%L, %L, %s, 'taphalf', 'wallet')$$,
	       pg_temp.tok('carol'), pg_temp.key(8), pg_temp.ver('carol')),
	$$VALUES ('failed'::text, 'ZB002'::text, 'This promo code has been used up.'::text)$$,
	'a used-up promo: ZB002');
UPDATE promo_codes SET is_active = false WHERE code = 'TAPFIX';
SELECT results_eq(
	format($$SELECT outcome, error_code, error_message FROM api_checkout(%L, %L, %s, 'tapfix', 'wallet')$$,
	       pg_temp.tok('carol'), pg_temp.key(9), pg_temp.ver('carol')),
	$$VALUES ('failed'::text, 'ZB002'::text, 'This promo code is not active.'::text)$$,
	'an inactive promo: ZB002');
UPDATE promo_codes SET is_active = true WHERE code = 'TAPFIX';
SELECT is((SELECT count(*) FROM orders WHERE user_id = pg_temp.uid('carol')), 0::bigint,
          'no promo refusal left an order');

-- ---------------------------------------------- an inactive product in the cart
DO $$ BEGIN PERFORM pg_temp.cart('dave', '3', 1); END $$;
UPDATE products SET is_active = false WHERE id = 'e1000000-0000-4000-8000-000000000003';
SELECT results_eq(
	format($$SELECT outcome, error_code, error_message FROM api_checkout(%L, %L, %s, NULL, 'bank_transfer')$$,
	       pg_temp.tok('dave'), pg_temp.key(10), pg_temp.ver('dave')),
	$$VALUES ('failed'::text, 'ZB001'::text, 'No longer sold: TAP Gone.'::text)$$,
	'a product taken off sale since it was put in the cart: ZB001');
DO $$ BEGIN PERFORM pg_temp.cart('dave', '3', 0); END $$;

-- ---------------------------------------------------- api_checkout_status
SELECT results_eq(
	format($$SELECT outcome, order_id, order_status, total_cents FROM api_checkout_status(%L, %L)$$,
	       pg_temp.tok('alice'), pg_temp.key(3)),
	$$SELECT 'ok'::text, order_id, 'fulfilled'::text, 2200::bigint FROM r_ok$$,
	'api_checkout_status: the stored outcome of a key');
SELECT results_eq(
	format($$SELECT outcome, error_code FROM api_checkout_status(%L, %L)$$, pg_temp.tok('bob'), pg_temp.key(4)),
	$$VALUES ('failed'::text, 'ZB003'::text)$$,
	'api_checkout_status: a stored failure');
SELECT results_eq(
	format($$SELECT outcome, order_id FROM api_checkout_status(%L, %L)$$, pg_temp.tok('alice'), gen_random_uuid()),
	$$VALUES ('unknown'::text, NULL::uuid)$$,
	'api_checkout_status: unknown for a key never used');
SELECT results_eq(
	format($$SELECT outcome FROM api_checkout_status(%L, %L)$$, pg_temp.tok('dave'), pg_temp.key(4)),
	$$VALUES ('unknown'::text)$$,
	'api_checkout_status: another user''s key is unknown to me');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_checkout_status('nope', gen_random_uuid())$$),
          'ZB004 session unknown, expired or revoked', 'api_checkout_status: ZB004 without a session');

-- --------------------------------------------------- a revoked session
DO $$ BEGIN PERFORM api_logout(pg_temp.tok('alice2')); END $$;
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_checkout(%L, gen_random_uuid(), %s, NULL, 'wallet')$$,
                                pg_temp.tok('alice2'), pg_temp.ver('alice'))),
          'ZB004 session unknown, expired or revoked', 'a logged-out session: ZB004, nothing stored');
SELECT is((SELECT count(*) FROM idempotency_keys WHERE user_id = pg_temp.uid('alice')), 3::bigint,
          'alice still has exactly her three keys');

-- ------------------------------------------------------- bank transfer
-- dave (0.00) reserves 2 x TAP Two with TAPFIX: 10.00 - 3.00.
DO $$ BEGIN PERFORM pg_temp.cart('dave', '2', 2); END $$;
CREATE TEMP TABLE r_bank AS
SELECT * FROM api_checkout(pg_temp.tok('dave'), pg_temp.key(11), pg_temp.ver('dave'), 'TAPFIX', 'bank_transfer');
SELECT results_eq(
	$$SELECT outcome, order_status, total_cents, balance_cents FROM r_bank$$,
	$$VALUES ('ok'::text, 'awaiting_payment'::text, 700::bigint, 0::bigint)$$,
	'bank transfer: the order waits for payment; an empty wallet does not matter');
SELECT ok((SELECT expires_at BETWEEN now() + interval '47 hours' AND now() + interval '49 hours'
           FROM orders WHERE id = (SELECT order_id FROM r_bank)),
          'it expires after bank_transfer_hours (48)');
SELECT results_eq(
	$$SELECT pc.status, count(*), bool_and(pc.reserved_until = o.expires_at), bool_and(pc.used_at IS NULL)
	  FROM product_codes pc JOIN orders o ON o.id = pc.order_id
	  WHERE pc.order_id = (SELECT order_id FROM r_bank) GROUP BY pc.status$$,
	$$VALUES ('reserved'::text, 2::bigint, true, true)$$,
	'its codes are reserved until the order expires');
SELECT is((SELECT used_count FROM promo_codes WHERE code = 'TAPFIX'), 2::bigint,
          'its promo use is counted (given back on rejection or expiry)');
SELECT is((SELECT count(*) FROM wallet_ledger l JOIN wallets w ON w.id = l.wallet_id WHERE w.user_id = pg_temp.uid('dave')),
          0::bigint, 'no wallet movement');
SELECT is((SELECT kind FROM email_outbox WHERE order_id = (SELECT order_id FROM r_bank)), 'order_awaiting_payment',
          'the payment instructions are queued');
SELECT is((SELECT count(*) FROM api_my_codes(pg_temp.tok('dave'), NULL)), 0::bigint,
          'reserved codes are not shown to the customer before payment');

-- caps: unpaid orders, reserved codes
UPDATE shop_settings SET value = '1' WHERE key = 'max_unpaid_orders_per_user';
DO $$ BEGIN PERFORM pg_temp.cart('dave', '2', 1); END $$;
SELECT results_eq(
	format($$SELECT outcome, error_code, error_message FROM api_checkout(%L, %L, %s, NULL, 'bank_transfer')$$,
	       pg_temp.tok('dave'), pg_temp.key(12), pg_temp.ver('dave')),
	$$VALUES ('failed'::text, 'ZB012'::text, 'You already have 1 unpaid orders; pay for one or wait until it expires.'::text)$$,
	'too many unpaid orders: ZB012');
UPDATE shop_settings SET value = '3' WHERE key = 'max_unpaid_orders_per_user';
UPDATE shop_settings SET value = '2' WHERE key = 'max_reserved_codes_per_user';
SELECT results_eq(
	format($$SELECT outcome, error_code FROM api_checkout(%L, %L, %s, NULL, 'bank_transfer')$$,
	       pg_temp.tok('dave'), pg_temp.key(13), pg_temp.ver('dave')),
	$$VALUES ('failed'::text, 'ZB012'::text)$$,
	'too many reserved codes: ZB012');
SELECT is((SELECT response ->> 'detail' FROM idempotency_keys WHERE key = pg_temp.key(13)),
          'reserved_codes=2 requested=1 max=2', 'the detail names the reserved codes and the cap');
UPDATE shop_settings SET value = '30' WHERE key = 'max_reserved_codes_per_user';
SELECT is((SELECT count(*) FROM orders WHERE user_id = pg_temp.uid('dave')), 1::bigint,
          'refused bank transfers left no order');

-- --------------------------------------------------------- payment proofs
CREATE TEMP TABLE tap_png AS SELECT '\x89504e470d0a1a0a0000000d49484452'::bytea AS img;
CREATE TEMP TABLE r_proof AS
SELECT * FROM api_attach_proof(pg_temp.tok('dave'), (SELECT order_id FROM r_bank), ' TRX-42 ', 'receipt.png',
                               'image/gif', (SELECT img FROM tap_png));
SELECT results_eq(
	$$SELECT size_bytes, sha256 FROM r_proof$$,
	$$SELECT 16::bigint, encode(sha256(img), 'hex') FROM tap_png$$,
	'a PNG proof: size and SHA-256 returned');
SELECT results_eq(
	$$SELECT reference, file_name, content_type, size_bytes, sha256 = sha256(image) FROM payment_proofs
	  WHERE id = (SELECT proof_id FROM r_proof)$$,
	$$VALUES ('TRX-42'::text, 'receipt.png'::text, 'image/png'::text, 16::bigint, true)$$,
	'stored with the detected type (not the claimed one), trimmed reference and its hash');
SELECT results_eq(
	format($$SELECT size_bytes FROM api_attach_proof(%L, %L, 'TRX-43', 'r.jpg', 'image/jpeg', '\xffd8ffe000104a46'::bytea)$$,
	       pg_temp.tok('dave'), (SELECT order_id FROM r_bank)),
	$$VALUES (8::bigint)$$,
	'a JPEG proof is accepted');
SELECT results_eq(
	format($$SELECT size_bytes, sha256 FROM api_attach_proof(%L, %L, 'TRX-44', NULL, NULL, NULL)$$,
	       pg_temp.tok('dave'), (SELECT order_id FROM r_bank)),
	$$VALUES (0::bigint, NULL::text)$$,
	'a reference without a picture is accepted');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_attach_proof(%L, %L, 'T', 'a.gif', 'image/gif', '\x474946383961'::bytea)$$,
                                pg_temp.tok('dave'), (SELECT order_id FROM r_bank))),
          'ZB008 content_type claimed=image/gif', 'a GIF is refused by its magic bytes: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_attach_proof(%L, %L, 'T', 'a.png', 'image/png', '\x89504e47'::bytea)$$,
                                pg_temp.tok('dave'), (SELECT order_id FROM r_bank))),
          'ZB008 content_type claimed=image/png', 'a truncated PNG signature is refused: ZB008');
UPDATE shop_settings SET value = '10' WHERE key = 'proof_max_bytes';
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_attach_proof(%L, %L, 'T', 'a.png', 'image/png', %L::bytea)$$,
                                pg_temp.tok('dave'), (SELECT order_id FROM r_bank), (SELECT img FROM tap_png))),
          'ZB008 size_bytes=16 max=10', 'a picture over proof_max_bytes: ZB008');
UPDATE shop_settings SET value = '5242880' WHERE key = 'proof_max_bytes';
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_attach_proof(%L, %L, '  ', NULL, NULL, NULL)$$,
                                pg_temp.tok('dave'), (SELECT order_id FROM r_bank))),
          'ZB008 reference', 'an empty reference: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_attach_proof(%L, %L, 'T', '../x.png', NULL, %L::bytea)$$,
                                pg_temp.tok('dave'), (SELECT order_id FROM r_bank), (SELECT img FROM tap_png))),
          'ZB008 file_name', 'a file name with a slash: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_attach_proof(%L, %L, 'T', NULL, NULL, NULL)$$,
                                pg_temp.tok('carol'), (SELECT order_id FROM r_bank))),
          format('ZB006 order_id=%s', (SELECT order_id FROM r_bank)), 'someone else''s order: ZB006');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_attach_proof(%L, %L, 'T', NULL, NULL, NULL)$$,
                                pg_temp.tok('alice'), (SELECT order_id FROM r_ok))),
          format('ZB006 order_id=%s', (SELECT order_id FROM r_ok)), 'an order not awaiting payment: ZB006');
DO $$ BEGIN PERFORM api_attach_proof(pg_temp.tok('dave'), (SELECT order_id FROM r_bank), 'TRX-45', NULL, NULL, NULL); END $$;
DO $$ BEGIN PERFORM api_attach_proof(pg_temp.tok('dave'), (SELECT order_id FROM r_bank), 'TRX-46', NULL, NULL, NULL); END $$;
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_attach_proof(%L, %L, 'T', NULL, NULL, NULL)$$,
                                pg_temp.tok('dave'), (SELECT order_id FROM r_bank))),
          'ZB012 proofs=5 max=5', 'a sixth proof: ZB012');

-- ----------------------------------------- lazy expiry of lapsed reservations
-- TAP Two: 5 codes; alice bought 1, dave reserved 2: 2 left. Dave's
-- reservation lapses; carol then buys 4, which needs dave's 2.
UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = (SELECT order_id FROM r_bank);
UPDATE product_codes SET reserved_until = now() - interval '1 minute' WHERE order_id = (SELECT order_id FROM r_bank);
DO $$ BEGIN PERFORM pg_temp.cart('carol', '2', 4); END $$;
CREATE TEMP TABLE r_lazy AS
SELECT * FROM api_checkout(pg_temp.tok('carol'), pg_temp.key(14), pg_temp.ver('carol'), NULL, 'wallet');
SELECT results_eq($$SELECT outcome, order_status, total_cents FROM r_lazy$$,
                  $$VALUES ('ok'::text, 'fulfilled'::text, 2000::bigint)$$,
                  'a claim short of stock releases lapsed reservations of the product and succeeds');
SELECT results_eq(
	$$SELECT status, decision_reason, decided_by FROM orders WHERE id = (SELECT order_id FROM r_bank)$$,
	$$VALUES ('cancelled'::text, 'expired'::text, NULL::uuid)$$,
	'the lapsed order is cancelled as expired');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = (SELECT order_id FROM r_bank)), 0::bigint,
          'it holds no code any more');
SELECT is((SELECT used_count FROM promo_codes WHERE code = 'TAPFIX'), 1::bigint,
          'its promo use was given back');
SELECT is((SELECT count(*) FROM promo_redemptions WHERE order_id = (SELECT order_id FROM r_bank)), 0::bigint,
          'and its redemption removed');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = (SELECT order_id FROM r_lazy) AND status = 'sold'),
          4::bigint, 'carol got her 4 codes');

-- ------------------------------------------------------------ bz_claim_codes
INSERT INTO orders (id, user_id, status) VALUES ('e4000000-0000-4000-8000-000000000001', pg_temp.uid('dave'), 'pending');
SELECT is(pg_temp.sqlerr($$SELECT bz_claim_codes('e1000000-0000-4000-8000-000000000004', 1, 'e4000000-0000-4000-8000-000000000001', NULL)$$),
          'ZB001 product_id=e1000000-0000-4000-8000-000000000004 requested=1 available=0',
          'bz_claim_codes: no stock at all: ZB001');
SELECT is(pg_temp.sqlerr($$SELECT bz_claim_codes('e1000000-0000-4000-8000-000000000004', 0, 'e4000000-0000-4000-8000-000000000001', NULL)$$),
          'ZB008 bz_claim_codes', 'bz_claim_codes: quantity 0: ZB008');
SELECT is(pg_temp.sqlerr($$SELECT bz_claim_codes(NULL, 1, 'e4000000-0000-4000-8000-000000000001', NULL)$$),
          'ZB008 bz_claim_codes', 'bz_claim_codes: no product: ZB008');
SELECT is(bz_claim_codes('e1000000-0000-4000-8000-000000000003', 2, 'e4000000-0000-4000-8000-000000000001',
                         now() + interval '1 hour'), 2, 'bz_claim_codes reserves N codes');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = 'e4000000-0000-4000-8000-000000000001'
           AND status = 'reserved' AND reserved_until = now() + interval '1 hour'), 2::bigint,
          'reserved, with reserved_until');

-- --------------------------------------------------------- customer reads
SELECT results_eq(
	format($$SELECT order_id, status, total_cents, promo_code, items FROM api_my_orders(%L, 10, NULL)$$, pg_temp.tok('alice')),
	$$SELECT order_id, 'fulfilled'::text, 2200::bigint, 'TAPFIX'::text, 3::bigint FROM r_ok$$,
	'api_my_orders: my orders only, with promo and item count');
SELECT is((SELECT count(*) FROM api_my_orders(pg_temp.tok('dave'), 10, NULL)), 2::bigint,
          'api_my_orders: dave sees his 2 orders (the expired one too)');
SELECT is((SELECT count(*) FROM api_my_orders(pg_temp.tok('dave'), 10, now() - interval '1 day')), 0::bigint,
          'api_my_orders: before a time');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_my_orders(%L, 0, NULL)$$, pg_temp.tok('alice'))),
          'ZB008 limit=0', 'api_my_orders: a bad page size: ZB008');
SELECT results_eq(
	format($$SELECT product_name, quantity, unit_price_cents, line_total_cents FROM api_my_order(%L, %L)$$,
	       pg_temp.tok('alice'), (SELECT order_id FROM r_ok)),
	$$VALUES ('TAP One'::text, 2::bigint, 1000::bigint, 2000::bigint), ('TAP Two', 1, 500, 500)$$,
	'api_my_order: the items of my order');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_my_order(%L, %L)$$, pg_temp.tok('bob'), (SELECT order_id FROM r_ok))),
          format('ZB006 order_id=%s', (SELECT order_id FROM r_ok)), 'api_my_order: someone else''s order: ZB006');
SELECT results_eq(
	format($$SELECT code FROM api_my_codes(%L, NULL) ORDER BY code$$, pg_temp.tok('alice')),
	$$VALUES ('ONE-1'::text), ('ONE-2'), ('TWO-1')$$,
	'api_my_codes: my codes');
SELECT is((SELECT count(*) FROM api_my_codes(pg_temp.tok('bob'), (SELECT order_id FROM r_ok))), 0::bigint,
          'api_my_codes: nothing of an order that is not mine');
SELECT is((SELECT count(*) FROM api_my_codes(pg_temp.tok('carol'), NULL)), 4::bigint,
          'api_my_codes: carol sees exactly her 4');
SELECT is((SELECT balance_cents FROM api_my_wallet(pg_temp.tok('carol'))), 8000::bigint, 'api_my_wallet');
SELECT is((SELECT balance_cents FROM api_my_wallet(pg_temp.tok('bob'))), 0::bigint, 'api_my_wallet: empty');
SELECT results_eq(
	format($$SELECT amount_cents, balance_after_cents FROM api_my_ledger(%L, 10)$$, pg_temp.tok('carol')),
	$$VALUES (-2000::bigint, 8000::bigint), (10000, 10000)$$,
	'api_my_ledger: my movements, newest first');
SELECT is((SELECT count(*) FROM api_my_ledger(pg_temp.tok('carol'), 1)), 1::bigint, 'api_my_ledger: limited');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_my_ledger(%L, 501)$$, pg_temp.tok('carol'))),
          'ZB008 limit=501', 'api_my_ledger: a bad page size: ZB008');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_my_wallet('nope')$$),
          'ZB004 session unknown, expired or revoked', 'api_my_wallet: ZB004 without a session');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_my_codes('nope', NULL)$$),
          'ZB004 session unknown, expired or revoked', 'api_my_codes: ZB004 without a session');

-- ---------------------------------------------------------------- privileges
SELECT ok(has_function_privilege('bazar_client', 'api_checkout(text, uuid, bigint, text, text)', 'EXECUTE')
          AND has_function_privilege('bazar_tester', 'api_checkout(text, uuid, bigint, text, text)', 'EXECUTE'),
          'bazar_client and bazar_tester may check out');
SELECT ok(NOT has_function_privilege('bazar_client', 'bz_checkout_run(uuid, uuid, text, bigint, uuid[], integer[], text, text, uuid, timestamptz)', 'EXECUTE')
          AND NOT has_function_privilege('bazar_client', 'bz_claim_codes(uuid, integer, uuid, timestamptz)', 'EXECUTE')
          AND NOT has_function_privilege('bazar_staff', 'bz_expire_orders(uuid[])', 'EXECUTE'),
          'no client role may call the internal helpers');
CREATE TEMP TABLE tap_set AS
SELECT set_config('tap.alice', pg_temp.tok('alice'), true) AS a, set_config('tap.key1', pg_temp.key(1)::text, true) AS k;
SET ROLE bazar_client;
SELECT results_eq(
	$$SELECT outcome, replayed FROM api_checkout(current_setting('tap.alice'), current_setting('tap.key1')::uuid, 0, NULL, 'wallet')$$,
	$$VALUES ('failed'::text, true)$$,
	'as bazar_client: api_checkout works (a replay here)');
SELECT throws_ok($$SELECT * FROM idempotency_keys$$, '42501', 'permission denied for table idempotency_keys',
                 'as bazar_client: idempotency_keys cannot be read');
SELECT throws_ok($$SELECT bz_expire_orders('{}')$$, '42501', 'permission denied for function bz_expire_orders',
                 'as bazar_client: bz_expire_orders cannot be called');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
