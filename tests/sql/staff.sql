-- pgTAP: 0011's staff API. Permission (a customer's token gets ZB005 from
-- every staff function, no token ZB004), bank-transfer approval and
-- rejection (exactly one decision; the loser is told who and when),
-- expiry, top-ups, promos, code import (every line reported) and void,
-- the order list and feed (0012), customer search, audited code reveal,
-- phone orders through the checkout code path, and bad input.
-- Concurrency is the race suite's (tests/race).
BEGIN;
SELECT plan(102);

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

CREATE TEMP TABLE tap_reg AS
SELECT r.* FROM (VALUES
	('tap-ann@example.com', 'Ann'), ('tap-ben@example.com', 'Ben 100%'),
	('tap-sam@example.com', 'Sam'), ('tap-sue@example.com', 'Sue')) AS v (e, n)
CROSS JOIN LATERAL api_register(v.e, 'tap-password', v.n) AS r;
UPDATE users SET is_staff = true WHERE email IN ('tap-sam@example.com', 'tap-sue@example.com');
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text, user_id uuid);
INSERT INTO tap_tok
SELECT split_part(v.e, '@', 1), l.session_token, l.user_id
FROM (VALUES ('tap-ann@example.com'), ('tap-ben@example.com'), ('tap-sam@example.com'),
             ('tap-sue@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = 'tap-' || p_who $$;
CREATE FUNCTION pg_temp.uid(p_who text) RETURNS uuid LANGUAGE sql AS
$$ SELECT user_id FROM tap_tok WHERE who = 'tap-' || p_who $$;

INSERT INTO products (id, name, category, price_cents) VALUES
	('f1000000-0000-4000-8000-000000000001', 'TAP Alpha', 'TAP', 1000),
	('f1000000-0000-4000-8000-000000000002', 'TAP Beta', 'TAP', 250);
INSERT INTO product_codes (product_id, code, created_at)
SELECT 'f1000000-0000-4000-8000-000000000001', 'ALPHA-' || n, timestamptz '2024-01-01' + n * interval '1 s'
FROM generate_series(1, 6) AS n;

-- A bank-transfer order of ann's for 2 x Alpha with a promo.
INSERT INTO promo_codes (id, code, discount_type, discount_value, max_uses)
VALUES ('f2000000-0000-4000-8000-000000000001', 'TAPSTAFF', 'fixed', 100, 10);
CREATE FUNCTION pg_temp.bank_order(p_who text, p_qty integer) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
	v_ver bigint;
	v_order uuid;
BEGIN
	SELECT version INTO v_ver FROM api_cart_get(pg_temp.tok(p_who)) LIMIT 1;
	SELECT version INTO v_ver FROM api_cart_set(pg_temp.tok(p_who), v_ver, 'f1000000-0000-4000-8000-000000000001', p_qty);
	SELECT order_id INTO v_order FROM api_checkout(pg_temp.tok(p_who), gen_random_uuid(), v_ver, 'TAPSTAFF', 'bank_transfer');
	RETURN v_order;
END
$$;
CREATE TEMP TABLE tap_orders AS
SELECT 'a1' AS name, pg_temp.bank_order('ann', 2) AS id;
INSERT INTO tap_orders SELECT 'a2', pg_temp.bank_order('ann', 1);
INSERT INTO tap_orders SELECT 'a3', pg_temp.bank_order('ann', 1);
CREATE FUNCTION pg_temp.o(p_name text) RETURNS uuid LANGUAGE sql AS $$ SELECT id FROM tap_orders WHERE name = p_name $$;

SELECT is((SELECT count(*) FROM orders WHERE id IN (SELECT id FROM tap_orders) AND status = 'awaiting_payment'),
          3::bigint, 'setup: three bank-transfer orders await payment');

-- ------------------------------------------------------- who may call what
CREATE TEMP TABLE tap_staff_calls (sig text, call text);
INSERT INTO tap_staff_calls VALUES
	('approve', $$SELECT * FROM api_staff_approve(%L, gen_random_uuid(), NULL)$$),
	('reject', $$SELECT * FROM api_staff_reject(%L, gen_random_uuid(), NULL)$$),
	('expire_stale', $$SELECT * FROM api_staff_expire_stale(%L)$$),
	('topup', $$SELECT * FROM api_staff_topup(%L, 'tap-ann@example.com', 100, 'x')$$),
	('promo_create', $$SELECT * FROM api_staff_promo_create(%L, 'TAPX', 'fixed', 1, 0, NULL, NULL, NULL, NULL)$$),
	('promo_set_active', $$SELECT * FROM api_staff_promo_set_active(%L, 'TAPSTAFF', false)$$),
	('import_codes', $$SELECT * FROM api_staff_import_codes(%L, 'f1000000-0000-4000-8000-000000000002', '{X}')$$),
	('void_code', $$SELECT * FROM api_staff_void_code(%L, 'f1000000-0000-4000-8000-000000000001', 'ALPHA-6', NULL)$$),
	('orders', $$SELECT * FROM api_staff_orders(%L, NULL, 10, NULL)$$),
	('find_customer', $$SELECT * FROM api_staff_find_customer(%L, 'tap')$$),
	('order_codes', $$SELECT * FROM api_staff_order_codes(%L, gen_random_uuid())$$),
	('checkout_for', $$SELECT * FROM api_staff_checkout_for(%L, 'tap-ann@example.com', gen_random_uuid(), '{f1000000-0000-4000-8000-000000000001}', '{1}', NULL, 'wallet')$$),
	('order_changes', $$SELECT * FROM api_staff_order_changes(%L, NULL, 10)$$),
	('check_invariants', $$SELECT * FROM api_staff_check_invariants(%L)$$);
SELECT is_empty(
	$$SELECT sig, pg_temp.sqlerr(format(call, pg_temp.tok('ann'))) FROM tap_staff_calls
	  WHERE pg_temp.sqlerr(format(call, pg_temp.tok('ann'))) <> 'ZB005 user is not staff'$$,
	'a customer''s session gets ZB005 from every staff function');
SELECT is_empty(
	$$SELECT sig FROM tap_staff_calls
	  WHERE pg_temp.sqlerr(format(call, 'not-a-token')) <> 'ZB004 session unknown, expired or revoked'$$,
	'no session: ZB004 from every staff function');
SELECT is((SELECT count(*) FROM tap_staff_calls), 14::bigint, 'all 14 staff functions were tried');
SELECT is_empty(
	$$SELECT p.oid::regprocedure::text FROM pg_proc AS p
	  WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'api\_staff\_%'
	    AND (has_function_privilege('bazar_client', p.oid, 'EXECUTE')
	         OR NOT has_function_privilege('bazar_staff', p.oid, 'EXECUTE')
	         OR NOT has_function_privilege('bazar_tester', p.oid, 'EXECUTE'))$$,
	'every api_staff_* is for bazar_staff and bazar_tester, none for bazar_client');
SELECT ok(NOT has_function_privilege('bazar_staff', 'bz_staff_decide(uuid, uuid, boolean, text, timestamptz)', 'EXECUTE')
          AND NOT has_function_privilege('bazar_staff', 'bz_expire_stale()', 'EXECUTE'),
          'the internal staff helpers are for no client role');

-- ------------------------------------------------------------ approve
CREATE TEMP TABLE r_appr AS
SELECT * FROM api_staff_approve(pg_temp.tok('sam'), pg_temp.o('a1'), ' transfer seen ');
SELECT results_eq($$SELECT outcome, order_status, decided_by_email FROM r_appr$$,
                  $$VALUES ('approved'::text, 'fulfilled'::text, 'tap-sam@example.com'::text)$$,
                  'approve: the order is fulfilled, decided by sam');
SELECT ok((SELECT decided_at IS NOT NULL AND started_at <= clock_timestamp() FROM r_appr), 'approve returns when and started_at');
SELECT results_eq(
	$$SELECT status, decided_by, decision_reason FROM orders WHERE id = pg_temp.o('a1')$$,
	$$VALUES ('fulfilled'::text, pg_temp.uid('sam'), 'transfer seen'::text)$$,
	'the order records who decided and the note');
SELECT results_eq(
	$$SELECT status, count(*), bool_and(used_at IS NOT NULL), bool_and(reserved_until IS NULL)
	  FROM product_codes WHERE order_id = pg_temp.o('a1') GROUP BY status$$,
	$$VALUES ('sold'::text, 2::bigint, true, true)$$,
	'its reserved codes are delivered (sold)');
SELECT is((SELECT count(*) FROM email_outbox WHERE order_id = pg_temp.o('a1') AND kind = 'order_confirmation'), 1::bigint,
          'the customer is mailed');
SELECT is((SELECT actor_user_id FROM audit_log WHERE action = 'order.approved' AND entity_id = pg_temp.o('a1')::text),
          pg_temp.uid('sam'), 'the approval is audited with the staff member');
SELECT is((SELECT count(*) FROM api_my_codes(pg_temp.tok('ann'), pg_temp.o('a1'))), 2::bigint,
          'the customer now sees the codes');
SELECT results_eq(
	format($$SELECT outcome, order_status, decided_by_email FROM api_staff_approve(%L, %L, NULL)$$, pg_temp.tok('sue'), pg_temp.o('a1')),
	$$VALUES ('already_decided'::text, 'fulfilled'::text, 'tap-sam@example.com'::text)$$,
	'a second approval: already_decided, told who decided');
SELECT results_eq(
	format($$SELECT outcome, order_status, decided_by_email, decided_at FROM api_staff_reject(%L, %L, NULL)$$, pg_temp.tok('sue'), pg_temp.o('a1')),
	$$SELECT 'already_decided'::text, 'fulfilled'::text, 'tap-sam@example.com'::text, decided_at FROM r_appr$$,
	'a rejection after the approval: already_decided, with who and when');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = pg_temp.o('a1') AND status = 'sold'), 2::bigint,
          'the losing rejection changed nothing');

-- ------------------------------------------------------------- reject
SELECT is((SELECT used_count FROM promo_codes WHERE code = 'TAPSTAFF'), 3::bigint, 'three orders hold a promo use');
SELECT results_eq(
	format($$SELECT outcome, order_status, decided_by_email FROM api_staff_reject(%L, %L, 'no transfer')$$, pg_temp.tok('sue'), pg_temp.o('a2')),
	$$VALUES ('rejected'::text, 'cancelled'::text, 'tap-sue@example.com'::text)$$,
	'reject: the order is cancelled, decided by sue');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = pg_temp.o('a2')), 0::bigint, 'its codes left the order');
SELECT is((SELECT count(*) FROM product_codes WHERE product_id = 'f1000000-0000-4000-8000-000000000001' AND status = 'available'),
          3::bigint, 'and are on sale again');
SELECT is((SELECT used_count FROM promo_codes WHERE code = 'TAPSTAFF'), 2::bigint, 'its promo use is given back');
SELECT is((SELECT count(*) FROM promo_redemptions WHERE order_id = pg_temp.o('a2')), 0::bigint, 'its redemption removed');
SELECT is((SELECT kind FROM email_outbox WHERE order_id = pg_temp.o('a2') AND kind <> 'order_awaiting_payment'), 'order_rejected',
          'the customer is told');
SELECT results_eq(
	format($$SELECT outcome, decided_by_email FROM api_staff_approve(%L, %L, NULL)$$, pg_temp.tok('sam'), pg_temp.o('a2')),
	$$VALUES ('already_decided'::text, 'tap-sue@example.com'::text)$$,
	'an approval after the rejection: already_decided by sue');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_approve(%L, %L, NULL)$$, pg_temp.tok('sam'), 'f9000000-0000-4000-8000-000000000009')),
          'ZB006 order_id=f9000000-0000-4000-8000-000000000009', 'an unknown order: ZB006');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_reject(%L, %L, %L)$$, pg_temp.tok('sam'), pg_temp.o('a3'), repeat('x', 501))),
          'ZB008 reason', 'a note over 500 characters: ZB008');
SELECT results_eq(
	format($$SELECT o.outcome, o.order_status, o.decided_by_email FROM orders AS w
	         CROSS JOIN LATERAL api_staff_approve(%L, w.id, NULL) AS o WHERE w.id = %L$$,
	       pg_temp.tok('sam'), (SELECT order_id FROM api_my_orders(pg_temp.tok('ann'), 10, NULL) WHERE status = 'fulfilled')),
	$$VALUES ('already_decided'::text, 'fulfilled'::text, 'tap-sam@example.com'::text)$$,
	'approving an order that is not awaiting payment: already_decided');

-- An order placed before 0010: awaiting payment, no expiry, nothing reserved.
INSERT INTO orders (id, user_id, status, payment_method, subtotal_cents, total_cents)
VALUES ('f4000000-0000-4000-8000-000000000001', pg_temp.uid('ben'), 'awaiting_payment', 'bank_transfer', 2000, 2000),
       ('f4000000-0000-4000-8000-000000000002', pg_temp.uid('ben'), 'awaiting_payment', 'bank_transfer', 500, 500);
INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
VALUES ('f4000000-0000-4000-8000-000000000001', 'f1000000-0000-4000-8000-000000000001', 2, 1000),
       ('f4000000-0000-4000-8000-000000000002', 'f1000000-0000-4000-8000-000000000002', 2, 250);
SELECT results_eq(
	format($$SELECT outcome, order_status FROM api_staff_approve(%L, 'f4000000-0000-4000-8000-000000000001', NULL)$$, pg_temp.tok('sam')),
	$$VALUES ('approved'::text, 'fulfilled'::text)$$,
	'approving an order placed before reservations existed');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = 'f4000000-0000-4000-8000-000000000001' AND status = 'sold'),
          2::bigint, 'claims its missing codes at approval');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_approve(%L, 'f4000000-0000-4000-8000-000000000002', NULL)$$, pg_temp.tok('sam'))),
          'ZB001 product_id=f1000000-0000-4000-8000-000000000002 requested=2 available=0',
          'and says so when they are out of stock (ZB001), changing nothing');
SELECT is((SELECT status FROM orders WHERE id = 'f4000000-0000-4000-8000-000000000002'), 'awaiting_payment',
          'that order still awaits a decision');
DELETE FROM product_codes WHERE order_id = 'f4000000-0000-4000-8000-000000000001';
DELETE FROM order_items WHERE order_id IN ('f4000000-0000-4000-8000-000000000001', 'f4000000-0000-4000-8000-000000000002');
DELETE FROM email_outbox WHERE order_id IN ('f4000000-0000-4000-8000-000000000001', 'f4000000-0000-4000-8000-000000000002');
DELETE FROM orders WHERE id IN ('f4000000-0000-4000-8000-000000000001', 'f4000000-0000-4000-8000-000000000002');
INSERT INTO product_codes (product_id, code, created_at)
SELECT 'f1000000-0000-4000-8000-000000000001', 'ALPHA-' || n, timestamptz '2024-01-02' + n * interval '1 s'
FROM generate_series(7, 8) AS n;

-- -------------------------------------------------------------- expiry
UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id = pg_temp.o('a3');
UPDATE product_codes SET reserved_until = now() - interval '1 minute' WHERE order_id = pg_temp.o('a3');
SELECT results_eq(
	format($$SELECT outcome, order_status, decided_by_email FROM api_staff_approve(%L, %L, NULL)$$, pg_temp.tok('sam'), pg_temp.o('a3')),
	$$VALUES ('expired'::text, 'cancelled'::text, NULL::text)$$,
	'approving an order past its time: expired, not approved');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = pg_temp.o('a3')), 0::bigint,
          'the expired order''s codes are released');
SELECT is((SELECT used_count FROM promo_codes WHERE code = 'TAPSTAFF'), 1::bigint, 'and its promo use');
SELECT results_eq(
	format($$SELECT outcome FROM api_staff_reject(%L, %L, NULL)$$, pg_temp.tok('sue'), pg_temp.o('a3')),
	$$VALUES ('expired'::text)$$,
	'rejecting it afterwards: expired');

INSERT INTO tap_orders SELECT 'b1', pg_temp.bank_order('ann', 1);
INSERT INTO tap_orders SELECT 'b2', pg_temp.bank_order('ann', 1);
UPDATE orders SET expires_at = now() - interval '1 minute' WHERE id IN (pg_temp.o('b1'), pg_temp.o('b2'));
UPDATE product_codes SET reserved_until = now() - interval '1 minute' WHERE order_id IN (pg_temp.o('b1'), pg_temp.o('b2'));
SELECT results_eq(
	format($$SELECT expired_orders FROM api_staff_expire_stale(%L)$$, pg_temp.tok('sue')),
	$$VALUES (2)$$, 'api_staff_expire_stale expires every order past its time');
SELECT is((SELECT count(*) FROM orders WHERE id IN (pg_temp.o('b1'), pg_temp.o('b2'))
           AND status = 'cancelled' AND decision_reason = 'expired'), 2::bigint, 'both are cancelled as expired');
SELECT is((SELECT count(*) FROM product_codes WHERE status = 'reserved'), 0::bigint, 'no code stays reserved');
SELECT results_eq(
	format($$SELECT expired_orders FROM api_staff_expire_stale(%L)$$, pg_temp.tok('sue')),
	$$VALUES (0)$$, 'a second sweep finds nothing');
SELECT is((SELECT string_agg(details ->> 'expired', ',' ORDER BY details ->> 'expired' DESC) FROM audit_log
           WHERE action = 'orders.expire_stale' AND actor_user_id = pg_temp.uid('sue')), '2,0',
          'each sweep is audited with its count');
SELECT is(bz_expire_stale(), 0, 'bz_expire_stale (workers, pg_cron) with nothing to do');

-- --------------------------------------------------------------- top-up
CREATE TEMP TABLE r_top AS SELECT * FROM api_staff_topup(pg_temp.tok('sam'), ' TAP-BEN@example.com ', 1250, ' refund #7 ');
SELECT results_eq($$SELECT user_id, balance_cents FROM r_top$$,
                  $$VALUES (pg_temp.uid('ben'), 1250::bigint)$$,
                  'top-up: found by e-mail case-insensitively, balance returned');
SELECT results_eq(
	$$SELECT amount_cents, balance_after_cents, reason, created_by FROM wallet_ledger WHERE id = (SELECT ledger_id FROM r_top)$$,
	$$VALUES (1250::bigint, 1250::bigint, 'top-up: refund #7'::text, pg_temp.uid('sam'))$$,
	'one ledger row with the reason, the balance after and the staff member');
SELECT is((SELECT count(*) FROM audit_log WHERE action = 'wallet.topup' AND actor_user_id = pg_temp.uid('sam')), 1::bigint,
          'the top-up is audited');
SELECT is((SELECT balance_cents FROM api_staff_topup(pg_temp.tok('sam'), 'tap-ben@example.com', 100000000, 'max')),
          100001250::bigint, 'the largest top-up (1,000,000.00) is accepted');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_topup(%L, 'tap-ben@example.com', 100000001, 'x')$$, pg_temp.tok('sam'))),
          'ZB008 amount_cents=100000001', 'over 1,000,000.00: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_topup(%L, 'tap-ben@example.com', 0, 'x')$$, pg_temp.tok('sam'))),
          'ZB008 amount_cents=0', 'zero: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_topup(%L, 'tap-ben@example.com', -5, 'x')$$, pg_temp.tok('sam'))),
          'ZB008 amount_cents=-5', 'negative: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_topup(%L, 'tap-ben@example.com', 5, '  ')$$, pg_temp.tok('sam'))),
          'ZB008 reason', 'no reason: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_topup(%L, 'nobody@example.com', 5, 'x')$$, pg_temp.tok('sam'))),
          'ZB006 email', 'an unknown e-mail: ZB006');

-- --------------------------------------------------------------- promos
CREATE TEMP TABLE r_promo AS
SELECT * FROM api_staff_promo_create(pg_temp.tok('sam'), ' tap-new_1 ', 'percentage', 15, 500, 3, 1, NULL, now() + interval '1 day');
SELECT results_eq(
	$$SELECT code, discount_type, discount_value, min_order_cents, max_uses, per_user_limit, is_active
	  FROM promo_codes WHERE id = (SELECT promo_id FROM r_promo)$$,
	$$VALUES ('TAP-NEW_1'::text, 'percentage'::text, 15::bigint, 500::bigint, 3::bigint, 1::bigint, true)$$,
	'promo_create: stored upper-case with its rules');
SELECT is((SELECT code FROM r_promo), 'TAP-NEW_1', 'and the code is returned');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_create(%L, 'Tap-New_1', 'fixed', 1, 0, NULL, NULL, NULL, NULL)$$, pg_temp.tok('sam'))),
          'ZB007 code=TAP-NEW_1', 'the same code in other letter case: ZB007');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_create(%L, 'no spaces', 'fixed', 1, 0, NULL, NULL, NULL, NULL)$$, pg_temp.tok('sam'))),
          'ZB008 code', 'a code with a space: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_create(%L, 'AB', 'fixed', 1, 0, NULL, NULL, NULL, NULL)$$, pg_temp.tok('sam'))),
          'ZB008 code', 'a code of 2 characters: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_create(%L, 'TAPP', 'percentage', 101, 0, NULL, NULL, NULL, NULL)$$, pg_temp.tok('sam'))),
          'ZB008 discount_value=101', '101 percent: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_create(%L, 'TAPP', 'bogo', 1, 0, NULL, NULL, NULL, NULL)$$, pg_temp.tok('sam'))),
          'ZB008 discount_type', 'an unknown type: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_create(%L, 'TAPP', 'fixed', 1, 0, 0, NULL, NULL, NULL)$$, pg_temp.tok('sam'))),
          'ZB008 min_order_cents, max_uses, per_user_limit, valid_from, valid_until', 'max_uses 0: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_create(%L, 'TAPP', 'fixed', 1, 0, NULL, NULL, now(), now() - interval '1 day')$$, pg_temp.tok('sam'))),
          'ZB008 min_order_cents, max_uses, per_user_limit, valid_from, valid_until', 'dates in the wrong order: ZB008');
SELECT results_eq(
	format($$SELECT is_active FROM api_staff_promo_set_active(%L, 'tap-new_1', false)$$, pg_temp.tok('sue')),
	$$VALUES (false)$$, 'promo_set_active switches a promo off (code case-insensitive)');
SELECT is((SELECT is_active FROM promo_codes WHERE code = 'TAP-NEW_1'), false, 'it is off');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_set_active(%L, 'NOPE', true)$$, pg_temp.tok('sue'))),
          'ZB006 code', 'an unknown promo: ZB006');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_promo_set_active(%L, 'TAP-NEW_1', NULL)$$, pg_temp.tok('sue'))),
          'ZB008 active', 'no state: ZB008');
SELECT is((SELECT count(*) FROM audit_log WHERE action IN ('promo.created', 'promo.deactivated')), 2::bigint,
          'promo changes are audited');

-- -------------------------------------------------------------- import
INSERT INTO product_codes (product_id, code) VALUES ('f1000000-0000-4000-8000-000000000002', 'BETA-OLD');
SELECT results_eq(
	format($$SELECT code, result FROM api_staff_import_codes(%L, 'f1000000-0000-4000-8000-000000000002',
	         ARRAY['BETA-1', ' BETA-2 ', 'BETA-OLD', 'BETA-1', '', NULL, %L, E'BAD\tCODE', 'BETA-3'])$$,
	       pg_temp.tok('sam'), repeat('Z', 201)),
	format($$VALUES ('BETA-1'::text, 'imported'::text), ('BETA-2', 'imported'), ('BETA-OLD', 'duplicate'),
	         ('BETA-1', 'duplicate'), ('', 'invalid'), ('', 'invalid'), (%L, 'invalid'),
	         (E'BAD\tCODE', 'invalid'), ('BETA-3', 'imported')$$, repeat('Z', 201)),
	'import: every line reported in order: imported, duplicate (stock or list), invalid');
SELECT results_eq(
	$$SELECT code FROM product_codes WHERE product_id = 'f1000000-0000-4000-8000-000000000002' AND code <> 'BETA-OLD'
	  ORDER BY created_at, id$$,
	$$VALUES ('BETA-1'::text), ('BETA-2'), ('BETA-3')$$,
	'the imported codes are in stock, in the list''s order');
SELECT is((SELECT details FROM audit_log WHERE action = 'codes.imported'),
          '{"lines": 9, "invalid": 4, "imported": 3, "duplicate": 2}'::jsonb, 'the import is audited with its counts');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_import_codes(%L, 'f9000000-0000-4000-8000-000000000009', '{X}')$$, pg_temp.tok('sam'))),
          'ZB006 product_id=f9000000-0000-4000-8000-000000000009', 'import for an unknown product: ZB006');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_import_codes(%L, 'f1000000-0000-4000-8000-000000000002', '{}')$$, pg_temp.tok('sam'))),
          'ZB008 lines=0', 'an empty import: ZB008');

-- ---------------------------------------------------------------- void
SELECT results_eq(
	format($$SELECT outcome, code_status FROM api_staff_void_code(%L, 'f1000000-0000-4000-8000-000000000002', ' BETA-3 ', 'leaked')$$, pg_temp.tok('sam')),
	$$VALUES ('voided'::text, 'void'::text)$$, 'void: an available code is voided');
SELECT is((SELECT status FROM product_codes WHERE code = 'BETA-3'), 'void', 'it is void');
SELECT results_eq(
	format($$SELECT outcome, code_status FROM api_staff_void_code(%L, 'f1000000-0000-4000-8000-000000000001', 'ALPHA-1', NULL)$$, pg_temp.tok('sam')),
	$$VALUES ('not_available'::text, 'sold'::text)$$, 'void: a sold code is never taken off its order');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_void_code(%L, 'f1000000-0000-4000-8000-000000000002', 'NOPE', NULL)$$, pg_temp.tok('sam'))),
          'ZB006 code', 'void: an unknown code: ZB006');

-- ------------------------------------------------------- order list, search
SELECT is((SELECT count(*) FROM api_staff_orders(pg_temp.tok('sam'), 'fulfilled', 10, NULL)), 1::bigint,
          'orders by status');
SELECT is((SELECT count(*) FROM api_staff_orders(pg_temp.tok('sam'), NULL, 500, NULL)), 5::bigint, 'all orders');
SELECT results_eq(
	format($$SELECT order_id FROM api_staff_orders(%L, NULL, 2, (SELECT change_seq FROM api_staff_orders(%L, NULL, 2, NULL) OFFSET 1))$$,
	       pg_temp.tok('sam'), pg_temp.tok('sam')),
	format($$SELECT order_id FROM api_staff_orders(%L, NULL, 500, NULL) OFFSET 2 LIMIT 2$$, pg_temp.tok('sam')),
	'orders page on by change_seq');
SELECT results_eq(
	format($$SELECT customer_email, items, proofs, decided_by_email FROM api_staff_orders(%L, 'fulfilled', 10, NULL)$$, pg_temp.tok('sam')),
	$$VALUES ('tap-ann@example.com'::text, 2::bigint, 0::bigint, 'tap-sam@example.com'::text)$$,
	'an order row shows customer, items, proofs and who decided');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_orders(%L, 'shipped', 10, NULL)$$, pg_temp.tok('sam'))),
          'ZB008 status=shipped', 'an unknown status: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_orders(%L, NULL, 0, NULL)$$, pg_temp.tok('sam'))),
          'ZB008 limit=0', 'a bad page size: ZB008');
SELECT results_eq(
	format($$SELECT email, balance_cents FROM api_staff_find_customer(%L, 'TAP-BEN')$$, pg_temp.tok('sam')),
	$$VALUES ('tap-ben@example.com'::text, 100001250::bigint)$$,
	'find_customer by part of the e-mail, case-insensitively, with the balance');
SELECT results_eq(
	format($$SELECT email FROM api_staff_find_customer(%L, '100%%')$$, pg_temp.tok('sam')),
	$$VALUES ('tap-ben@example.com'::text)$$,
	'find_customer takes % literally (display name "Ben 100%")');
SELECT is((SELECT count(*) FROM api_staff_find_customer(pg_temp.tok('sam'), '_a')), 0::bigint,
          'find_customer takes _ literally');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_find_customer(%L, 'x')$$, pg_temp.tok('sam'))),
          'ZB008 query', 'a one-character search: ZB008');

-- -------------------------------------------------------- audited reveal
SELECT results_eq(
	format($$SELECT code, status FROM api_staff_order_codes(%L, %L)$$, pg_temp.tok('sue'), pg_temp.o('a1')),
	$$VALUES ('ALPHA-1'::text, 'sold'::text), ('ALPHA-2', 'sold')$$,
	'order_codes: the codes of an order');
SELECT results_eq(
	$$SELECT actor_user_id, jsonb_array_length(details -> 'code_ids') FROM audit_log
	  WHERE action = 'order.codes_revealed' AND entity_id = pg_temp.o('a1')::text$$,
	$$VALUES (pg_temp.uid('sue'), 2)$$,
	'every reveal is audited with the staff member and the codes shown');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_order_codes(%L, 'f9000000-0000-4000-8000-000000000009')$$, pg_temp.tok('sue'))),
          'ZB006 order_id=f9000000-0000-4000-8000-000000000009', 'order_codes of an unknown order: ZB006');

-- ------------------------------------------------------------ phone orders
CREATE TEMP TABLE r_phone AS
SELECT * FROM api_staff_checkout_for(pg_temp.tok('sam'), 'tap-ben@example.com', 'f3000000-0000-4000-8000-000000000001',
                                     '{f1000000-0000-4000-8000-000000000001,f1000000-0000-4000-8000-000000000002}', '{2,1}',
                                     NULL, 'wallet');
SELECT results_eq($$SELECT outcome, order_status, total_cents, replayed FROM r_phone$$,
                  $$VALUES ('ok'::text, 'fulfilled'::text, 2250::bigint, false)$$,
                  'a phone order: paid from the customer''s wallet through the checkout path');
SELECT results_eq(
	$$SELECT user_id, placed_by, cart_version FROM orders WHERE id = (SELECT order_id FROM r_phone)$$,
	$$VALUES (pg_temp.uid('ben'), pg_temp.uid('sam'), NULL::bigint)$$,
	'the order is the customer''s, placed by the staff member');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = (SELECT order_id FROM r_phone) AND status = 'sold'), 3::bigint,
          'its codes are sold');
SELECT is((SELECT count(*) FROM audit_log WHERE action = 'order.phone' AND entity_id = (SELECT order_id FROM r_phone)::text),
          1::bigint, 'the phone order is audited');
SELECT results_eq(
	format($$SELECT order_id, replayed FROM api_staff_checkout_for(%L, 'tap-ben@example.com', 'f3000000-0000-4000-8000-000000000001',
	         '{f1000000-0000-4000-8000-000000000002,f1000000-0000-4000-8000-000000000001}', '{1,2}', '', 'wallet')$$, pg_temp.tok('sue')),
	$$SELECT order_id, true FROM r_phone$$,
	'the same phone order again (lines in another order, another staff member): replayed');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_checkout_for(%L, 'tap-ben@example.com', 'f3000000-0000-4000-8000-000000000001',
	         '{f1000000-0000-4000-8000-000000000001}', '{1}', NULL, 'wallet')$$, pg_temp.tok('sam'))),
          'ZB010 idempotency_key=f3000000-0000-4000-8000-000000000001', 'the same key with other lines: ZB010');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_checkout_for(%L, 'tap-ben@example.com', gen_random_uuid(),
	         '{f1000000-0000-4000-8000-000000000001,f1000000-0000-4000-8000-000000000001}', '{1,1}', NULL, 'wallet')$$, pg_temp.tok('sam'))),
          'ZB008 product_ids, quantities', 'a product twice: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_checkout_for(%L, 'tap-ben@example.com', gen_random_uuid(),
	         '{f1000000-0000-4000-8000-000000000001}', '{1,2}', NULL, 'wallet')$$, pg_temp.tok('sam'))),
          'ZB008 product_ids, quantities', 'arrays of different lengths: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_checkout_for(%L, 'tap-ben@example.com', gen_random_uuid(),
	         '{f1000000-0000-4000-8000-000000000001}', '{0}', NULL, 'wallet')$$, pg_temp.tok('sam'))),
          'ZB008 quantity max=10', 'quantity 0: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_checkout_for(%L, 'tap-ben@example.com', gen_random_uuid(),
	         '{f9000000-0000-4000-8000-000000000009}', '{1}', NULL, 'wallet')$$, pg_temp.tok('sam'))),
          'ZB006 product_ids', 'an unknown product: ZB006');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_checkout_for(%L, 'nobody@example.com', gen_random_uuid(),
	         '{f1000000-0000-4000-8000-000000000001}', '{1}', NULL, 'wallet')$$, pg_temp.tok('sam'))),
          'ZB006 email', 'an unknown customer: ZB006');
SELECT results_eq(
	format($$SELECT outcome, error_code FROM api_staff_checkout_for(%L, 'tap-ann@example.com', gen_random_uuid(),
	         '{f1000000-0000-4000-8000-000000000001}', '{1}', NULL, 'wallet')$$, pg_temp.tok('sam')),
	$$VALUES ('failed'::text, 'ZB003'::text)$$,
	'a phone order the customer cannot pay: failed with ZB003');

-- ------------------------------------------------------------ the feed
CREATE TEMP TABLE r_feed0 AS SELECT * FROM api_staff_order_changes(pg_temp.tok('sam'), NULL, 10);
SELECT results_eq($$SELECT count(*), count(order_id), count(DISTINCT next_after_seq) FROM r_feed0$$,
                  $$VALUES (1::bigint, 0::bigint, 1::bigint)$$,
                  'the feed from now on: one row with only the cursor');
SELECT is((SELECT count(*) FROM api_staff_order_changes(pg_temp.tok('sam'), 0, 1000)), 0::bigint + 1,
          'from the start, inside this test''s own transaction: nothing is finished yet, just the cursor');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_order_changes(%L, 0, 0)$$, pg_temp.tok('sam'))),
          'ZB008 limit=0', 'the feed: a bad page size: ZB008');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_order_changes(%L, -1, 10)$$, pg_temp.tok('sam'))),
          'ZB008 after_seq=-1', 'the feed: a negative cursor: ZB008');

SELECT * FROM finish();
ROLLBACK;
