-- pgTAP: 0012's bz_check_invariants(). All invariants hold on the demo
-- data and after real checkouts, approvals and rejections through the API;
-- each one fails, naming the offending rows, on a deliberately broken row
-- (constraints and unique indexes that would refuse the broken row are
-- dropped inside a savepoint first). Also bz_first_rows and the staff
-- wrapper.
BEGIN;
SELECT plan(49);

\set demo_file `printf '%s/seed/demo.sql' "${BAZAR_SQL_DIR:-$top_srcdir/sql}"`
\i :demo_file

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
-- ok and offending of one invariant.
CREATE FUNCTION pg_temp.inv_ok(p_name text) RETURNS boolean LANGUAGE sql AS
$$ SELECT ok FROM bz_check_invariants() WHERE check_name = p_name $$;
CREATE FUNCTION pg_temp.inv_rows(p_name text) RETURNS jsonb LANGUAGE sql AS
$$ SELECT offending FROM bz_check_invariants() WHERE check_name = p_name $$;
-- The checks that fail, comma-separated ('' when all hold).
CREATE FUNCTION pg_temp.failing() RETURNS text LANGUAGE sql AS
$$ SELECT coalesce(string_agg(check_name, ',' ORDER BY check_name), '') FROM bz_check_invariants() WHERE NOT ok $$;

SELECT results_eq(
	$$SELECT check_name FROM bz_check_invariants()$$,
	$$VALUES ('wallet_balance_equals_ledger'::text), ('no_negative_balance'), ('ledger_running_balance'),
	         ('wallet_orders_debited_once'), ('promo_used_count_equals_redemptions'), ('promo_within_max_uses'),
	         ('promo_per_user_limit'), ('one_live_hold_per_promo_user'), ('one_code_one_order'),
	         ('code_status_matches_order'), ('fulfilled_orders_hold_their_codes'),
	         ('reserved_codes_match_awaiting_orders'), ('order_total_equals_items'),
	         ('one_order_per_idempotency_key'), ('one_account_per_email')$$,
	'bz_check_invariants has the 15 invariants, in a fixed order');
SELECT cmp_ok((SELECT count(*) FROM products), '>=', 13::bigint, 'the demo data is loaded');
SELECT is(pg_temp.failing(), '', 'every invariant holds on the demo data');
SELECT is((SELECT count(*) FROM bz_check_invariants() WHERE offending <> '[]'::jsonb), 0::bigint,
          'with no offending rows');

-- Real traffic through the API: alice pays from her wallet with a promo,
-- bob reserves by bank transfer twice; staff approve one, reject the other.
CREATE TEMP TABLE tap_tok AS
SELECT 'alice' AS who, session_token AS token FROM api_login('alice@example.com', 'alice-demo-pass', gen_random_uuid())
UNION ALL SELECT 'bob', session_token FROM api_login('bob@example.com', 'bob-demo-pass', gen_random_uuid())
UNION ALL SELECT 'staff', session_token FROM api_login('staff@example.com', 'staff-demo-pass', gen_random_uuid());
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS $$ SELECT token FROM tap_tok WHERE who = p_who $$;
CREATE FUNCTION pg_temp.buy(p_who text, p_product uuid, p_qty integer, p_promo text, p_method text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	v_ver bigint;
	v_order uuid;
BEGIN
	SELECT version INTO v_ver FROM api_cart_get(pg_temp.tok(p_who)) LIMIT 1;
	SELECT version INTO v_ver FROM api_cart_set(pg_temp.tok(p_who), v_ver, p_product, p_qty);
	SELECT order_id INTO v_order FROM api_checkout(pg_temp.tok(p_who), gen_random_uuid(), v_ver, p_promo, p_method);
	RETURN v_order;
END
$$;
CREATE TEMP TABLE tap_o AS
SELECT 'alice' AS name, pg_temp.buy('alice', '10000000-0000-4000-8000-000000000001', 2, 'WELCOME10', 'wallet') AS id
UNION ALL SELECT 'bob1', pg_temp.buy('bob', '10000000-0000-4000-8000-000000000007', 2, 'ONCE5', 'bank_transfer')
UNION ALL SELECT 'bob2', pg_temp.buy('bob', '10000000-0000-4000-8000-000000000005', 1, 'LUCKY3', 'bank_transfer');
CREATE FUNCTION pg_temp.o(p_name text) RETURNS uuid LANGUAGE sql AS $$ SELECT id FROM tap_o WHERE name = p_name $$;
SELECT is((SELECT count(*) FROM tap_o WHERE id IS NOT NULL), 3::bigint, 'three orders were placed through the API');
SELECT is(pg_temp.failing(), '', 'every invariant holds with a paid order and two awaiting payment');
CREATE TEMP TABLE tap_dec AS
SELECT (api_staff_approve(pg_temp.tok('staff'), pg_temp.o('bob1'), 'paid')).outcome AS a,
       (api_staff_reject(pg_temp.tok('staff'), pg_temp.o('bob2'), 'not paid')).outcome AS r;
SELECT results_eq($$SELECT a, r FROM tap_dec$$, $$VALUES ('approved'::text, 'rejected'::text)$$,
                  'staff approved one and rejected the other');
SELECT is(pg_temp.failing(), '', 'every invariant holds after the approval and the rejection');

-- ------------------------------------------------- each one, broken on purpose
SAVEPOINT broken;
UPDATE wallets SET balance_cents = balance_cents + 1 WHERE id = '30000000-0000-4000-8000-000000000001';
SELECT is(pg_temp.failing(), 'wallet_balance_equals_ledger', 'a balance off its ledger: only that check fails');
SELECT ok(pg_temp.inv_rows('wallet_balance_equals_ledger') @> '[{"wallet_id": "30000000-0000-4000-8000-000000000001"}]',
          'and it names the wallet');
ROLLBACK TO SAVEPOINT broken;

ALTER TABLE wallets DROP CONSTRAINT wallets_balance_nonnegative;
UPDATE wallets SET balance_cents = -5 WHERE id = '30000000-0000-4000-8000-000000000002';
SELECT is(pg_temp.inv_ok('no_negative_balance'), false, 'a negative balance: no_negative_balance fails');
SELECT ok(pg_temp.inv_rows('no_negative_balance') @> '[{"kind": "wallet", "cents": -5}]', 'and it names the wallet');
ROLLBACK TO SAVEPOINT broken;

UPDATE wallet_ledger SET balance_after_cents = balance_after_cents + 7 WHERE id = '31000000-0000-4000-8000-000000000001';
SELECT is(pg_temp.failing(), 'ledger_running_balance', 'a ledger entry with a wrong balance after: only that check fails');
SELECT ok(pg_temp.inv_rows('ledger_running_balance') @> '[{"entry_id": "31000000-0000-4000-8000-000000000001"}]',
          'and it names the entry');
ROLLBACK TO SAVEPOINT broken;

INSERT INTO wallet_ledger (wallet_id, amount_cents, balance_after_cents, reason, order_id, created_at)
SELECT wallet_id, amount_cents, balance_after_cents + amount_cents + 100000, reason, order_id, created_at + interval '1 s'
FROM wallet_ledger WHERE order_id = pg_temp.o('alice');
SELECT is(pg_temp.inv_ok('wallet_orders_debited_once'), false, 'an order debited twice: wallet_orders_debited_once fails');
SELECT ok(pg_temp.inv_rows('wallet_orders_debited_once') @> jsonb_build_array(jsonb_build_object('order_id', pg_temp.o('alice'), 'debits', 2)),
          'and it names the order and its debits');
ROLLBACK TO SAVEPOINT broken;

UPDATE promo_codes SET used_count = used_count + 1 WHERE code = 'WELCOME10';
SELECT is(pg_temp.failing(), 'promo_used_count_equals_redemptions', 'a used_count off its redemptions: only that check fails');
SELECT ok(pg_temp.inv_rows('promo_used_count_equals_redemptions') @> '[{"code": "WELCOME10", "used_count": 2, "redemptions": 1}]',
          'and it names the promo with both counts');
ROLLBACK TO SAVEPOINT broken;

-- LUCKY3 (3 uses): 0 used after the rejection; 4 live holds.
INSERT INTO users (id, email, password_hash) VALUES ('e9000000-0000-4000-8000-000000000001', 'tap-extra@example.com', 'x');
INSERT INTO promo_holds (promo_id, user_id, expires_at)
SELECT p.id, u.id, now() + interval '10 minutes'
FROM promo_codes AS p CROSS JOIN users AS u WHERE p.code = 'LUCKY3';
SELECT is(pg_temp.failing(), 'promo_within_max_uses', 'more live holds than uses left: only promo_within_max_uses fails');
SELECT ok(pg_temp.inv_rows('promo_within_max_uses') @> '[{"code": "LUCKY3", "live_holds": 4}]', 'and it names the promo');
ROLLBACK TO SAVEPOINT broken;

ALTER TABLE promo_codes DROP CONSTRAINT promo_codes_used_count_within_max;
UPDATE promo_codes SET used_count = 4 WHERE code = 'LUCKY3';
SELECT is(pg_temp.inv_ok('promo_within_max_uses'), false, 'used_count over max_uses: promo_within_max_uses fails');
ROLLBACK TO SAVEPOINT broken;

UPDATE promo_codes SET per_user_limit = 1, used_count = used_count + 1 WHERE code = 'WELCOME10';
INSERT INTO promo_redemptions (promo_id, user_id)
SELECT id, '20000000-0000-4000-8000-000000000001' FROM promo_codes WHERE code = 'WELCOME10';
SELECT is(pg_temp.failing(), 'promo_per_user_limit', 'a customer over the per-user limit: only that check fails');
SELECT ok(pg_temp.inv_rows('promo_per_user_limit') @> '[{"code": "WELCOME10", "redemptions": 2}]', 'and it names promo and count');
ROLLBACK TO SAVEPOINT broken;

DROP INDEX promo_holds_open_promo_user_key;
INSERT INTO promo_holds (promo_id, user_id, expires_at)
SELECT p.id, '20000000-0000-4000-8000-000000000002', now() + interval '10 minutes'
FROM promo_codes AS p CROSS JOIN generate_series(1, 2) WHERE p.code = 'SAVE50';
SELECT is(pg_temp.failing(), 'one_live_hold_per_promo_user', 'two live holds of one user on one promo: only that check fails');
SELECT ok(pg_temp.inv_rows('one_live_hold_per_promo_user') @> '[{"user_id": "20000000-0000-4000-8000-000000000002", "live_holds": 2}]',
          'and it names the user');
ROLLBACK TO SAVEPOINT broken;

DROP INDEX product_codes_product_code_key;
INSERT INTO product_codes (product_id, code)
SELECT product_id, code FROM product_codes WHERE order_id = pg_temp.o('alice') LIMIT 1;
SELECT is(pg_temp.failing(), 'one_code_one_order', 'a code string twice: only one_code_one_order fails');
SELECT ok(pg_temp.inv_rows('one_code_one_order') @> '[{"copies": 2}]', 'and it names the code');
ROLLBACK TO SAVEPOINT broken;

ALTER TABLE product_codes DROP CONSTRAINT product_codes_sold_has_order;
UPDATE product_codes SET order_id = pg_temp.o('alice')
WHERE id = (SELECT id FROM product_codes WHERE status = 'available' AND product_id = '10000000-0000-4000-8000-00000000000d' LIMIT 1);
SELECT is(pg_temp.failing(), 'code_status_matches_order', 'an available code on an order: only code_status_matches_order fails');
SELECT ok(pg_temp.inv_rows('code_status_matches_order') @> '[{"status": "available"}]', 'and it names the code');
ROLLBACK TO SAVEPOINT broken;

UPDATE product_codes SET status = 'available', order_id = NULL, used_at = NULL
WHERE id = (SELECT id FROM product_codes WHERE order_id = pg_temp.o('alice') LIMIT 1);
SELECT is(pg_temp.failing(), 'fulfilled_orders_hold_their_codes', 'a fulfilled order missing a code: only that check fails');
SELECT ok(pg_temp.inv_rows('fulfilled_orders_hold_their_codes') @> jsonb_build_array(jsonb_build_object(
          'order_id', pg_temp.o('alice'), 'quantity', 2, 'sold_codes', 1)), 'and it names the order, quantity and codes');
ROLLBACK TO SAVEPOINT broken;

UPDATE orders SET status = 'cancelled' WHERE id = pg_temp.o('bob1');
SELECT is(pg_temp.inv_ok('fulfilled_orders_hold_their_codes'), false, 'sold codes on an order that is not fulfilled: fails too');
ROLLBACK TO SAVEPOINT broken;

CREATE TEMP TABLE tap_bob3 AS
SELECT pg_temp.buy('bob', '10000000-0000-4000-8000-000000000006', 2, NULL, 'bank_transfer') AS id;
SELECT is(pg_temp.failing(), '', 'a new order awaiting payment: all hold');
UPDATE product_codes SET status = 'available', order_id = NULL, reserved_until = NULL
WHERE id = (SELECT id FROM product_codes WHERE order_id = (SELECT id FROM tap_bob3) LIMIT 1);
SELECT is(pg_temp.failing(), 'reserved_codes_match_awaiting_orders', 'an awaiting order missing a reserved code: only that check fails');
ROLLBACK TO SAVEPOINT broken;

UPDATE product_codes SET status = 'reserved', order_id = pg_temp.o('bob2')
WHERE id = (SELECT id FROM product_codes WHERE status = 'available' AND product_id = '10000000-0000-4000-8000-00000000000d' LIMIT 1);
SELECT is(pg_temp.failing(), 'reserved_codes_match_awaiting_orders', 'a code reserved for a rejected order: only that check fails');
ROLLBACK TO SAVEPOINT broken;

UPDATE order_items SET unit_price_cents = unit_price_cents + 1 WHERE order_id = pg_temp.o('alice');
SELECT is(pg_temp.failing(), 'order_total_equals_items', 'items that do not add up to the order: only that check fails');
SELECT ok(pg_temp.inv_rows('order_total_equals_items') @> jsonb_build_array(jsonb_build_object('order_id', pg_temp.o('alice'))),
          'and it names the order');
ROLLBACK TO SAVEPOINT broken;

ALTER TABLE orders DROP CONSTRAINT orders_amounts_valid;
UPDATE orders SET total_cents = total_cents - 1 WHERE id = pg_temp.o('bob1');
SELECT is(pg_temp.inv_ok('order_total_equals_items'), false, 'a total that is not subtotal - discount: fails');
ROLLBACK TO SAVEPOINT broken;

INSERT INTO orders (user_id, status, idempotency_key)
SELECT user_id, 'pending', idempotency_key FROM orders WHERE id = pg_temp.o('alice');
SELECT is(pg_temp.failing(), 'one_order_per_idempotency_key', 'two orders with one key: only that check fails');
ROLLBACK TO SAVEPOINT broken;

DROP INDEX users_email_lower_key;
INSERT INTO users (email, password_hash) VALUES ('ALICE@example.com', 'x');
SELECT is(pg_temp.failing(), 'one_account_per_email', 'two accounts for one e-mail: only that check fails');
SELECT ok(pg_temp.inv_rows('one_account_per_email') @> '[{"email": "alice@example.com", "accounts": 2}]', 'and it names the e-mail');
ROLLBACK TO SAVEPOINT broken;

SELECT is(pg_temp.failing(), '', 'after each repair every invariant holds again');

-- ------------------------------------------------------- bz_first_rows
SELECT is(jsonb_array_length(bz_first_rows((SELECT jsonb_agg(n) FROM generate_series(1, 25) AS n))), 21,
          'bz_first_rows keeps 20 rows and one summary');
SELECT is(bz_first_rows((SELECT jsonb_agg(n) FROM generate_series(1, 25) AS n)) -> 20, '{"more": 5}'::jsonb,
          'the summary says how many more');
SELECT is(bz_first_rows(NULL), '[]'::jsonb, 'bz_first_rows of nothing is []');
UPDATE wallets SET balance_cents = balance_cents + 1;
SELECT is(jsonb_array_length(pg_temp.inv_rows('wallet_balance_equals_ledger')), (SELECT count(*)::integer FROM wallets),
          'every offending row is listed');
ROLLBACK TO SAVEPOINT broken;

-- ------------------------------------------------- the staff wrapper
SELECT results_eq(
	format($$SELECT * FROM api_staff_check_invariants(%L)$$, pg_temp.tok('staff')),
	$$SELECT * FROM bz_check_invariants()$$,
	'api_staff_check_invariants returns bz_check_invariants for staff');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_check_invariants(%L)$$, pg_temp.tok('alice'))),
          'ZB005 user is not staff', 'and ZB005 for a customer');
SELECT ok(NOT has_function_privilege('bazar_staff', 'bz_check_invariants()', 'EXECUTE')
          AND NOT has_function_privilege('bazar_client', 'bz_check_invariants()', 'EXECUTE'),
          'bz_check_invariants itself is for the owner only');

SELECT * FROM finish();
ROLLBACK;
