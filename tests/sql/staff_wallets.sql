-- pgTAP: 0016's reads for the console's Wallets screen. Who may call them
-- (a customer's token: ZB005; no session: ZB004; bazar_client has no
-- EXECUTE, the internal lookup is no one's), one customer's head by e-mail
-- or id against the wallets table, their ledger newest first with the
-- staff member of a top-up and the payment reference of an order, the
-- audit log with its subjects and summaries, bad input. The reads run as
-- bazar_staff (SET ROLE), the console's role.
BEGIN;
SELECT plan(31);

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
GRANT EXECUTE ON FUNCTION pg_temp.sqlerr(text) TO bazar_staff, bazar_client;

DO $$ BEGIN PERFORM api_register(e, 'tap-password', n) FROM (VALUES ('tap-sw-ann@example.com', 'Ann'),
	('tap-sw-sam@example.com', 'Sam')) AS v (e, n); END $$;
UPDATE users SET is_staff = true WHERE email = 'tap-sw-sam@example.com';
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text, user_id uuid);
INSERT INTO tap_tok
SELECT split_part(v.e, '@', 1), l.session_token, l.user_id
FROM (VALUES ('tap-sw-ann@example.com'), ('tap-sw-sam@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = 'tap-sw-' || p_who $$;

-- Ann's history: a top-up by Sam, then a wallet order.
INSERT INTO products (id, name, category, price_cents) VALUES
	('e7000000-0000-4000-8000-000000000001', 'TAP SW', 'TAP', 1000);
INSERT INTO product_codes (product_id, code)
SELECT 'e7000000-0000-4000-8000-000000000001', 'SW-' || n FROM generate_series(1, 3) AS n;
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('sam'), 'tap-sw-ann@example.com', 5000, 'welcome gift'); END $$;
CREATE TEMP TABLE tap_order AS
SELECT order_id FROM api_checkout(pg_temp.tok('ann'), gen_random_uuid(),
	(SELECT version FROM api_cart_set(pg_temp.tok('ann'),
		(SELECT version FROM api_cart_get(pg_temp.tok('ann')) LIMIT 1),
		'e7000000-0000-4000-8000-000000000001', 1)),
	'', 'wallet');
DO $$ BEGIN PERFORM * FROM api_staff_order_codes(pg_temp.tok('sam'), (SELECT order_id FROM tap_order)); END $$;

SELECT is((SELECT count(*) FROM wallet_ledger AS l JOIN wallets AS w ON w.id = l.wallet_id
           JOIN users AS u ON u.id = w.user_id WHERE u.email = 'tap-sw-ann@example.com'),
          2::bigint, 'setup: Ann has a top-up and a payment on her ledger');

-- What the staff role will be checked against (it may read no table).
CREATE TEMP TABLE tap_set AS
SELECT set_config('tap.sam', pg_temp.tok('sam'), true) AS s,
       set_config('tap.ann', pg_temp.tok('ann'), true) AS a,
       set_config('tap.ann_id', (SELECT user_id::text FROM tap_tok WHERE who = 'tap-sw-ann'), true) AS i,
       set_config('tap.balance', (SELECT w.balance_cents::text FROM wallets AS w JOIN users AS u ON u.id = w.user_id
                                  WHERE u.email = 'tap-sw-ann@example.com'), true) AS b,
       set_config('tap.order', (SELECT order_id::text FROM tap_order), true) AS o,
       set_config('tap.reference', (SELECT bz_payment_reference(order_id) FROM tap_order), true) AS r;

-- One transaction has one now(): the setup's audit rows move a minute
-- back, so the top-up made below is the newest.
UPDATE audit_log SET at = at - interval '1 minute';

-- ------------------------------------------------------- who may call what
SELECT is(pg_temp.sqlerr(format(c, pg_temp.tok('ann'))), 'ZB005 user is not staff',
          'a customer''s session gets ZB005 from ' || n)
FROM (VALUES ('api_staff_customer_wallet', $$SELECT * FROM api_staff_customer_wallet(%L, 'tap-sw-ann@example.com')$$),
             ('api_staff_customer_ledger', $$SELECT * FROM api_staff_customer_ledger(%L, 'tap-sw-ann@example.com', 10)$$),
             ('api_staff_audit', $$SELECT * FROM api_staff_audit(%L, 10)$$)) AS v (n, c);
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_customer_ledger('nope', 'tap-sw-ann@example.com', 10)$$),
          'ZB004 session unknown, expired or revoked', 'no session: ZB004');
SELECT is_empty(
	$$SELECT r.rolname || ' ' || f.sig
	  FROM (VALUES ('api_staff_customer_wallet(text, text)'), ('api_staff_customer_ledger(text, text, integer)'),
	               ('api_staff_audit(text, integer)')) AS f (sig)
	  CROSS JOIN (VALUES ('bazar_staff'), ('bazar_tester')) AS r (rolname)
	  WHERE NOT has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'bazar_staff and bazar_tester may run the three reads');
SELECT is_empty(
	$$SELECT r.rolname || ' ' || f.sig
	  FROM (VALUES ('api_staff_customer_wallet(text, text)'), ('api_staff_customer_ledger(text, text, integer)'),
	               ('api_staff_audit(text, integer)'), ('bz_staff_customer(text)')) AS f (sig)
	  CROSS JOIN (VALUES ('bazar_client'), ('anon'), ('authenticated'), ('public')) AS r (rolname)
	  WHERE has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'bazar_client, anon, authenticated and PUBLIC may run none of them');
SELECT ok(NOT has_function_privilege('bazar_staff', 'bz_staff_customer(text)', 'EXECUTE')
          AND NOT has_function_privilege('bazar_tester', 'bz_staff_customer(text)', 'EXECUTE'),
          'the internal lookup is no client role''s');

SET ROLE bazar_client;
SELECT throws_ok($$SELECT * FROM api_staff_customer_ledger(current_setting('tap.sam'), 'tap-sw-ann@example.com', 10)$$,
                 '42501', 'permission denied for function api_staff_customer_ledger',
                 'as bazar_client: api_staff_customer_ledger is denied, even with a staff token');
SELECT throws_ok($$SELECT * FROM api_staff_audit(current_setting('tap.sam'), 10)$$,
                 '42501', 'permission denied for function api_staff_audit',
                 'as bazar_client: api_staff_audit is denied');
RESET ROLE;

-- ----------------------------------------------------------- as bazar_staff
SET ROLE bazar_staff;
SELECT is((SELECT format('%s|%s|%s|%s|%s|%s', email, display_name, is_staff, balance_cents, orders, ledger_entries)
           FROM api_staff_customer_wallet(current_setting('tap.sam'), '  TAP-SW-Ann@Example.com ')),
          format('tap-sw-ann@example.com|Ann|f|%s|1|2', current_setting('tap.balance')),
          'the head by e-mail (any case, trimmed): the balance is the wallets table''s');
SELECT is((SELECT balance_cents FROM api_staff_customer_wallet(current_setting('tap.sam'), current_setting('tap.ann_id'))),
          current_setting('tap.balance')::bigint, 'the head by user id');
SELECT is((SELECT balance_cents FROM api_staff_customer_wallet(current_setting('tap.sam'), current_setting('tap.ann_id'))),
          4000::bigint, 'the balance: 50.00 topped up less a 10.00 order');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_customer_wallet(current_setting('tap.sam'), 'nobody@example.com')$$),
          'ZB006 customer', 'an unknown e-mail: ZB006');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_customer_wallet(current_setting('tap.sam'), gen_random_uuid()::text)$$),
          'ZB006 customer', 'an unknown user id: ZB006');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_customer_ledger(current_setting('tap.sam'), '', 10)$$),
          'ZB006 customer', 'no customer at all: ZB006');

SELECT results_eq(
	$$SELECT amount_cents, balance_after_cents, reason, created_by_email, order_id::text, order_reference
	  FROM api_staff_customer_ledger(current_setting('tap.sam'), 'tap-sw-ann@example.com', 10)$$,
	$$VALUES (-1000::bigint, 4000::bigint, 'order'::text, NULL::text, current_setting('tap.order'),
	          current_setting('tap.reference')),
	         (5000::bigint, 5000::bigint, 'top-up: welcome gift'::text, 'tap-sw-sam@example.com'::text,
	          NULL::text, NULL::text)$$,
	'the ledger, newest first: the order with its reference, the top-up with the staff member');
SELECT is((SELECT count(*) FROM api_staff_customer_ledger(current_setting('tap.sam'), current_setting('tap.ann_id'), 1)),
          1::bigint, 'LIMIT 1: the newest movement only');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_customer_ledger(current_setting('tap.sam'), 'tap-sw-ann@example.com', 0)$$),
          'ZB008 limit=0', 'a page size of 0: ZB008');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_customer_ledger(current_setting('tap.sam'), 'tap-sw-ann@example.com', 501)$$),
          'ZB008 limit=501', 'a page size of 501: ZB008');

-- A top-up made now, as the console makes it, is the newest movement and the newest audit row.
SELECT is((SELECT balance_cents FROM api_staff_topup(current_setting('tap.sam'), 'tap-sw-ann@example.com', 1234, 'goodwill')),
          5234::bigint, 'as bazar_staff: a top-up of 12.34');
SELECT is((SELECT format('%s %s %s %s', amount_cents, balance_after_cents, reason, created_by_email)
           FROM api_staff_customer_ledger(current_setting('tap.sam'), 'tap-sw-ann@example.com', 1)),
          '1234 5234 top-up: goodwill tap-sw-sam@example.com', 'the ledger shows it first, with the staff member');
SELECT is((SELECT format('%s|%s|%s|%s|%s', actor_email, action, entity, subject, summary)
           FROM api_staff_audit(current_setting('tap.sam'), 1)),
          'tap-sw-sam@example.com|wallet.topup|wallets|tap-sw-ann@example.com|amount=12.34 reason=goodwill',
          'the audit log: who, what, whose wallet, the amount as money and the reason (no ids)');
SELECT is((SELECT format('%s|%s|%s', action, subject, summary IS NULL)
           FROM api_staff_audit(current_setting('tap.sam'), 10) WHERE action = 'order.codes_revealed'),
          format('order.codes_revealed|%s tap-sw-ann@example.com|t', current_setting('tap.reference')),
          'a code reveal: the order by its reference and customer; the code ids are left out of the summary');
SELECT ok((SELECT details::jsonb ? 'code_ids' FROM api_staff_audit(current_setting('tap.sam'), 10)
           WHERE action = 'order.codes_revealed'), 'the details keep the ids');
SELECT is((SELECT array_agg(action ORDER BY at DESC, audit_id DESC) = array_agg(action)
           FROM api_staff_audit(current_setting('tap.sam'), 500)), true, 'the audit log comes newest first');
SELECT is((SELECT count(*) FROM api_staff_audit(current_setting('tap.sam'), 2)), 2::bigint, 'LIMIT 2: two rows');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_audit(current_setting('tap.sam'), NULL)$$),
          'ZB008 limit=NULL', 'no page size: ZB008');
SELECT throws_ok($$SELECT bz_staff_customer('tap-sw-ann@example.com')$$, '42501',
                 'permission denied for function bz_staff_customer',
                 'as bazar_staff: the internal lookup is denied');
SELECT throws_ok($$SELECT * FROM wallet_ledger$$, '42501', 'permission denied for table wallet_ledger',
                 'as bazar_staff: the ledger table itself cannot be read');
RESET ROLE;

SELECT is((SELECT count(*) FROM wallet_ledger AS l JOIN users AS u ON u.id = l.created_by
           WHERE u.email = 'tap-sw-sam@example.com'),
          2::bigint, 'the ledger table has both of Sam''s top-ups, created_by Sam');

SELECT * FROM finish();
ROLLBACK;
