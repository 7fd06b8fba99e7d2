-- pgTAP: 0019's Promos screen calls. Who may call them (a customer's
-- token: ZB005; no session: ZB004; bazar_client, anon, authenticated and
-- PUBLIC have no EXECUTE), the list's usage (used, live holds, state)
-- after a real redemption and a real hold, the update's validation
-- sentences, max_uses below used + held refused, the audit row with old
-- and new values, and a deactivated promo refused to a customer. The
-- calls run as bazar_staff (SET ROLE), the console's role.
--
-- Concurrency: api_staff_promo_update locks the promo row FOR UPDATE (step
-- 4 of the global lock order) before it counts, the same lock every
-- redemption and hold takes (bz_promo_take, bz_promo_redeem), so a
-- redemption racing a lowering of max_uses is either counted or sees the
-- new limit. One pgTAP session cannot race itself; what is checked here
-- is that the count under the lock includes a live hold and a use, and
-- that the refusal names both.
BEGIN;
SELECT plan(28);

UPDATE shop_settings SET value = '4' WHERE key = 'bcrypt_cost';

-- SQLSTATE and the message of a statement's error, or 'no error'.
CREATE FUNCTION pg_temp.sqlerr(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_state text;
	v_msg text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
	RETURN v_state || ' ' || coalesce(v_msg, '');
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.sqlerr(text) TO bazar_staff, bazar_client;

DO $$ BEGIN PERFORM api_register(e, 'tap-password', n) FROM (VALUES ('tap-sp-ann@example.com', 'Ann'),
	('tap-sp-bob@example.com', 'Bob'), ('tap-sp-sam@example.com', 'Sam')) AS v (e, n); END $$;
UPDATE users SET is_staff = true WHERE email = 'tap-sp-sam@example.com';
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text);
INSERT INTO tap_tok
SELECT split_part(split_part(v.e, '@', 1), '-', 3), l.session_token
FROM (VALUES ('tap-sp-ann@example.com'), ('tap-sp-bob@example.com'), ('tap-sp-sam@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = p_who $$;
GRANT SELECT ON tap_tok TO bazar_staff, bazar_client;
GRANT EXECUTE ON FUNCTION pg_temp.tok(text) TO bazar_staff, bazar_client;

INSERT INTO products (id, name, category, price_cents) VALUES
	('e9000000-0000-4000-8000-000000000001', 'TAP SP', 'TAP', 1000);
INSERT INTO product_codes (product_id, code)
SELECT 'e9000000-0000-4000-8000-000000000001', 'SP-' || n FROM generate_series(1, 5) AS n;
DO $$ BEGIN PERFORM api_staff_promo_create(pg_temp.tok('sam'), 'TAPPR', 'fixed', 100, 0, 3, NULL, NULL, NULL); END $$;
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('sam'), 'tap-sp-ann@example.com', 5000, 'tap'); END $$;

-- Ann pays an order with TAPPR (a use); Bob applies it to his cart (a hold).
CREATE TEMP TABLE tap_out AS
SELECT outcome, discount_cents FROM api_checkout(pg_temp.tok('ann'), gen_random_uuid(),
	(SELECT version FROM api_cart_set(pg_temp.tok('ann'),
		(SELECT version FROM api_cart_get(pg_temp.tok('ann')) LIMIT 1),
		'e9000000-0000-4000-8000-000000000001', 1)),
	'TAPPR', 'wallet');
CREATE TEMP TABLE tap_hold AS
SELECT status FROM api_promo_apply(pg_temp.tok('bob'), 'tappr',
	(SELECT version FROM api_cart_set(pg_temp.tok('bob'),
		(SELECT version FROM api_cart_get(pg_temp.tok('bob')) LIMIT 1),
		'e9000000-0000-4000-8000-000000000001', 1)));
SELECT is((SELECT outcome || ' ' || discount_cents FROM tap_out), 'ok 100', 'setup: Ann paid with TAPPR');
SELECT is((SELECT status FROM tap_hold), 'ok', 'setup: Bob holds a use of TAPPR');
-- One transaction has one now(): the setup's audit rows move back.
UPDATE audit_log SET at = at - interval '1 minute';

-- ------------------------------------------------------- who may call what
SELECT is(pg_temp.sqlerr(format(c, pg_temp.tok('ann'))), 'ZB005 This needs a staff account.',
          'a customer''s session gets ZB005 from ' || n)
FROM (VALUES ('api_staff_promos', $$SELECT * FROM api_staff_promos(%L)$$),
             ('api_staff_promo_update', $$SELECT * FROM api_staff_promo_update(%L, 'TAPPR', NULL, NULL, 9, NULL, 0)$$)) AS v (n, c);
SELECT is(left(pg_temp.sqlerr($$SELECT * FROM api_staff_promos('nope')$$), 5), 'ZB004', 'no session: ZB004');
SELECT is_empty(
	$$SELECT r.rolname || ' ' || f.sig
	  FROM (VALUES ('api_staff_promos(text)'),
	               ('api_staff_promo_update(text, text, timestamptz, timestamptz, bigint, bigint, bigint)')) AS f (sig)
	  CROSS JOIN (VALUES ('bazar_staff', true), ('bazar_tester', true), ('bazar_client', false), ('anon', false),
	                     ('authenticated', false), ('public', false)) AS r (rolname, may)
	  WHERE has_function_privilege(r.rolname, f.sig, 'EXECUTE') <> r.may$$,
	'only bazar_staff and bazar_tester may run the two functions');
SET ROLE bazar_client;
SELECT throws_ok($$SELECT * FROM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', NULL, NULL, 9, NULL, 0)$$,
                 '42501', 'permission denied for function api_staff_promo_update',
                 'as bazar_client: the update is denied, even with a staff token');
RESET ROLE;

-- ----------------------------------------------------------- as bazar_staff
SET ROLE bazar_staff;
SELECT is((SELECT format('%s|%s|%s|%s|%s|%s|%s|%s', discount_type, discount_value, max_uses, used_count,
                         redemptions, live_holds, state, is_active)
           FROM api_staff_promos(pg_temp.tok('sam')) WHERE code = 'TAPPR'),
          'fixed|100|3|1|1|1|active|t', 'the list: TAPPR used once, one live hold, active');
RESET ROLE;
SELECT is((SELECT count(*) FROM api_staff_promos(pg_temp.tok('sam'))), (SELECT count(*) FROM promo_codes),
          'every promo is listed');
SET ROLE bazar_staff;

-- Validation sentences.
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', '2027-02-01', '2027-01-01', 3, NULL, 0)$$),
          'ZB008 The promo must end after it starts.', 'an end before the start is refused');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', '2027-01-01', '2027-01-01', 3, NULL, 0)$$),
          'ZB008 The promo must end after it starts.', 'an end equal to the start is refused');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', NULL, NULL, 3, 0, 0)$$),
          'ZB008 The per-customer limit is at least 1, or empty for no limit.', 'a per-customer limit of 0 is refused');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', NULL, NULL, 0, NULL, 0)$$),
          'ZB008 Max uses is at least 1, or empty for no limit.', 'max uses of 0 is refused');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', NULL, NULL, 3, NULL, -1)$$),
          'ZB008 The minimum order is 0.00 to 1000000.00.', 'a negative minimum order is refused');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_promo_update(pg_temp.tok('sam'), 'NOPE', NULL, NULL, 3, NULL, 0)$$),
          'ZB006 No such promo code.', 'an unknown code: ZB006');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', NULL, NULL, 1, NULL, 0)$$),
          'ZB008 TAPPR has been used 1 time and 1 use is held in carts, so max uses cannot be below 2.',
          'max uses below used + held is refused, naming both');
SELECT is((SELECT max_uses FROM api_staff_promos(pg_temp.tok('sam')) WHERE code = 'TAPPR'), 3::bigint,
          'a refused update changed nothing');

-- An update to exactly used + held: allowed, and the promo is used up.
SELECT is((SELECT format('%s|%s|%s', used_count, live_holds, changed)
           FROM api_staff_promo_update(pg_temp.tok('sam'), ' tappr ', now() - interval '1 day', '2099-01-01 00:00+00', 2, 1, 250)),
          '1|1|t', 'max uses 2 (= 1 used + 1 held): allowed, case-insensitive code');
SELECT is((SELECT format('%s|%s|%s|%s|%s', max_uses, per_user_limit, min_order_cents, valid_until, state)
           FROM api_staff_promos(pg_temp.tok('sam')) WHERE code = 'TAPPR'),
          format('2|1|250|%s|used_up', '2099-01-01 00:00+00'::timestamptz),
          'the list shows the new limits and dates, and the promo used up');
RESET ROLE;
SELECT is((SELECT format('%s|%s|%s', a.action, a.details->'old'->>'max_uses', a.details->'new'->>'max_uses')
           FROM audit_log AS a JOIN users AS u ON u.id = a.actor_user_id
           WHERE a.action = 'promo.updated' AND u.email = 'tap-sp-sam@example.com'),
          'promo.updated|3|2', 'audited with the staff member, the old and the new max uses');
SELECT alike((SELECT details->>'changes' FROM audit_log WHERE action = 'promo.updated'),
            '%max_uses 3->2%', 'the audit row''s changes name each change');
SELECT alike((SELECT details->>'changes' FROM audit_log WHERE action = 'promo.updated'),
            '%valid_until none->2099-01-01%', 'including a date that was none');
SET ROLE bazar_staff;
SELECT is((SELECT changed FROM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR',
                                                        (SELECT valid_from FROM api_staff_promos(pg_temp.tok('sam')) WHERE code = 'TAPPR'),
                                                        '2099-01-01 00:00+00', 2, 1, 250)),
          false, 'the same values again: nothing changed');
RESET ROLE;
SELECT is((SELECT count(*) FROM audit_log WHERE action = 'promo.updated'), 1::bigint,
          'and nothing more audited');

-- States: scheduled, expired, off.
SET ROLE bazar_staff;
DO $$ BEGIN PERFORM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', now() + interval '1 day', NULL, NULL, NULL, 0); END $$;
SELECT is((SELECT state FROM api_staff_promos(pg_temp.tok('sam')) WHERE code = 'TAPPR'),
          'scheduled', 'starting tomorrow: scheduled (unlimited uses)');
DO $$ BEGIN PERFORM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', NULL, now(), NULL, NULL, 0); END $$;
SELECT is((SELECT state FROM api_staff_promos(pg_temp.tok('sam')) WHERE code = 'TAPPR'),
          'expired', 'ending now: expired');
DO $$ BEGIN PERFORM api_staff_promo_update(pg_temp.tok('sam'), 'TAPPR', NULL, NULL, NULL, NULL, 0); END $$;
DO $$ BEGIN PERFORM api_staff_promo_set_active(pg_temp.tok('sam'), 'TAPPR', false); END $$;
SELECT is((SELECT state FROM api_staff_promos(pg_temp.tok('sam')) WHERE code = 'TAPPR'), 'off',
          'switched off: off');
RESET ROLE;

-- A deactivated promo is refused to a customer.
SET ROLE bazar_client;
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('bob'), 'TAPPR',
                                              (SELECT version FROM api_cart_get(pg_temp.tok('bob')) LIMIT 1))),
          'inactive', 'after deactivation Bob''s apply is refused: inactive');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
