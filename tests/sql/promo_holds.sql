-- pgTAP: 0009's promo holds. Every reason api_promo_apply can give; the
-- one rule (used_count + live holds <= max_uses) through bz_promo_take and
-- increment_promo_usage; one live hold per promo per user; the per-user
-- cap; expired holds stop counting with no cron; conversion
-- (bz_promo_redeem) and give-back (bz_promo_release_order); rounding and
-- capping of discounts; and who may call what. Concurrency is the race
-- suite's (tests/race).
BEGIN;
SELECT plan(66);

UPDATE shop_settings SET value = '4' WHERE key = 'bcrypt_cost';

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

INSERT INTO products (id, name, category, price_cents)
VALUES ('e1000000-0000-4000-8000-000000000001', 'TAP promo product', 'TAP', 1000),
       ('e1000000-0000-4000-8000-000000000002', 'TAP odd product', 'TAP', 999);

CREATE TEMP TABLE tap_users AS
SELECT r.* FROM unnest(ARRAY['a', 'b', 'c', 'd', 'e']) AS k,
     LATERAL api_register('tap-promo-' || k || '@example.com', 'password ' || k, upper(k)) AS r;
CREATE TEMP TABLE tap_tok AS
SELECT k, l.session_token AS t, l.user_id AS u
FROM unnest(ARRAY['a', 'b', 'c', 'd', 'e']) AS k,
     LATERAL api_login('tap-promo-' || k || '@example.com', 'password ' || k, gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_k text) RETURNS text LANGUAGE sql AS $$ SELECT t FROM tap_tok WHERE k = p_k $$;
CREATE FUNCTION pg_temp.uid(p_k text) RETURNS uuid LANGUAGE sql AS $$ SELECT u FROM tap_tok WHERE k = p_k $$;
-- Carts of 20.00 (version 1) for A, B, C, D; E's stays empty.
CREATE TEMP TABLE tap_carts AS
SELECT c.* FROM tap_tok AS t,
	LATERAL api_cart_set(t.t, 0, 'e1000000-0000-4000-8000-000000000001', 2) AS c
WHERE t.k <> 'e';

INSERT INTO promo_codes (id, code, discount_type, discount_value, min_order_cents, max_uses, per_user_limit,
                         valid_from, valid_until, is_active)
VALUES ('e2000000-0000-4000-8000-000000000001', 'TAP-TWO', 'percentage', 10, 0, 2, 1, NULL, NULL, true),
       ('e2000000-0000-4000-8000-000000000002', 'TAP-OFF', 'fixed', 100, 0, NULL, NULL, NULL, NULL, false),
       ('e2000000-0000-4000-8000-000000000003', 'TAP-SOON', 'fixed', 100, 0, NULL, NULL, now() + interval '1 day', NULL, true),
       ('e2000000-0000-4000-8000-000000000004', 'TAP-OLD', 'fixed', 100, 0, NULL, NULL, now() - interval '2 days', now() - interval '1 day', true),
       ('e2000000-0000-4000-8000-000000000005', 'TAP-BIG', 'fixed', 500, 5000, NULL, NULL, NULL, NULL, true),
       ('e2000000-0000-4000-8000-000000000006', 'TAP-FIX', 'fixed', 5000, 0, NULL, NULL, NULL, NULL, true),
       ('e2000000-0000-4000-8000-000000000007', 'TAP-H1', 'fixed', 100, 0, NULL, NULL, NULL, NULL, true),
       ('e2000000-0000-4000-8000-000000000008', 'TAP-H2', 'fixed', 100, 0, NULL, NULL, NULL, NULL, true),
       ('e2000000-0000-4000-8000-000000000009', 'TAP-END', 'fixed', 100, 0, NULL, NULL, NULL, now() + interval '5 minutes', true),
       ('e2000000-0000-4000-8000-00000000000a', 'TAP-INC', 'fixed', 100, 0, 2, NULL, NULL, NULL, true),
       ('e2000000-0000-4000-8000-00000000000b', 'TAP-TEN', 'percentage', 10, 0, NULL, NULL, NULL, NULL, true);
INSERT INTO orders (id, user_id) VALUES ('e3000000-0000-4000-8000-000000000001', pg_temp.uid('a')),
                                        ('e3000000-0000-4000-8000-000000000002', pg_temp.uid('b'));

-- ok, and one hold per promo per user
SELECT results_eq(
	$$SELECT status, message, promo_code, discount_cents, subtotal_cents, total_cents, hold_expires_at
	  FROM api_promo_apply(pg_temp.tok('a'), 'TAP-TWO', 1)$$,
	$$VALUES ('ok', 'Code applied.', 'TAP-TWO', 200::bigint, 2000::bigint, 1800::bigint, now() + interval '15 minutes')$$,
	'A applies 10 %: ok, 2.00 off 20.00, held for promo_hold_minutes (15)');
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('a'), '  tap-two ', 1)), 'ok',
          'the code is found case-insensitively and trimmed; applying again is ok');
SELECT is((SELECT count(*) FROM promo_holds WHERE promo_id = 'e2000000-0000-4000-8000-000000000001'
             AND user_id = pg_temp.uid('a')), 1::bigint,
          'applying twice keeps one hold (renewed, never doubled)');
SELECT is((SELECT hold_id FROM bz_promo_take(pg_temp.uid('a'), 'e2000000-0000-4000-8000-000000000001', 2000)),
          (SELECT id FROM promo_holds WHERE promo_id = 'e2000000-0000-4000-8000-000000000001' AND user_id = pg_temp.uid('a')),
          'bz_promo_take returns the existing hold');
SELECT throws_ok($$INSERT INTO promo_holds (promo_id, user_id, expires_at)
                   VALUES ('e2000000-0000-4000-8000-000000000001', pg_temp.uid('a'), now() + interval '1 hour')$$,
                 '23505', NULL, 'a second open hold of one user on one promo is refused by the unique index');

-- the one rule: used_count + live holds <= max_uses
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('b'), 'TAP-TWO', 1)), 'ok', 'B takes the second of 2 uses');
SELECT results_eq(
	$$SELECT status, message, discount_cents, total_cents, hold_expires_at FROM api_promo_apply(pg_temp.tok('c'), 'TAP-TWO', 1)$$,
	$$VALUES ('used_up', 'This code has been used up.', 0::bigint, 2000::bigint, NULL::timestamptz)$$,
	'C: used_up while two live holds fill max_uses 2');
SELECT is(increment_promo_usage('e2000000-0000-4000-8000-000000000001'), false,
          'increment_promo_usage follows the same rule: no room');
SELECT is((SELECT used_count FROM promo_codes WHERE id = 'e2000000-0000-4000-8000-000000000001'), 0::bigint,
          'used_count unchanged');
UPDATE promo_holds SET expires_at = now() - interval '1 second'
WHERE promo_id = 'e2000000-0000-4000-8000-000000000001' AND user_id = pg_temp.uid('b');
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('c'), 'TAP-TWO', 1)), 'ok',
          'B''s hold expired: it stops counting at once, C gets the use (no cron)');
SELECT ok((SELECT released_at = expires_at FROM promo_holds
           WHERE promo_id = 'e2000000-0000-4000-8000-000000000001' AND user_id = pg_temp.uid('b')),
          'the expired hold was closed lazily, released_at = expires_at');

-- convert a hold into a use
SELECT lives_ok($$SELECT bz_promo_redeem((SELECT id FROM promo_holds
                    WHERE promo_id = 'e2000000-0000-4000-8000-000000000001' AND user_id = pg_temp.uid('a')
                      AND released_at IS NULL AND order_id IS NULL),
                  'e3000000-0000-4000-8000-000000000001')$$,
                'bz_promo_redeem converts A''s live hold for A''s order');
SELECT results_eq(
	$$SELECT p.used_count, (SELECT count(*) FROM promo_redemptions AS r
	                        WHERE r.promo_id = p.id AND r.user_id = pg_temp.uid('a')
	                          AND r.order_id = 'e3000000-0000-4000-8000-000000000001')
	  FROM promo_codes AS p WHERE p.id = 'e2000000-0000-4000-8000-000000000001'$$,
	$$VALUES (1::bigint, 1::bigint)$$,
	'used_count is 1 and a redemption records the order');
SELECT is((SELECT order_id FROM promo_holds WHERE promo_id = 'e2000000-0000-4000-8000-000000000001'
             AND user_id = pg_temp.uid('a')), 'e3000000-0000-4000-8000-000000000001'::uuid,
          'the hold is linked to the order (no longer live)');
SELECT is(pg_temp.sqlerr($$SELECT bz_promo_redeem((SELECT id FROM promo_holds
                    WHERE promo_id = 'e2000000-0000-4000-8000-000000000001' AND user_id = pg_temp.uid('a')),
                  'e3000000-0000-4000-8000-000000000001')$$) ~ '^ZB002 ', true,
          'redeeming the same hold twice: ZB002');
SELECT is(pg_temp.sqlerr($$SELECT bz_promo_redeem((SELECT id FROM promo_holds
                    WHERE promo_id = 'e2000000-0000-4000-8000-000000000001' AND user_id = pg_temp.uid('b')),
                  'e3000000-0000-4000-8000-000000000002')$$) ~ '^ZB002 ', true,
          'redeeming an expired hold: ZB002');
SELECT is(pg_temp.sqlerr($$SELECT bz_promo_redeem((SELECT id FROM promo_holds
                    WHERE promo_id = 'e2000000-0000-4000-8000-000000000001' AND user_id = pg_temp.uid('c')),
                  'e3000000-0000-4000-8000-000000000002')$$) ~ '^ZB006 ', true,
          'redeeming a hold for another user''s order: ZB006');
SELECT throws_ok($$SELECT bz_promo_redeem(NULL, 'e3000000-0000-4000-8000-000000000001')$$, 'ZB008', NULL,
                 'bz_promo_redeem without a hold: ZB008');
SELECT results_eq(
	$$SELECT status, message FROM api_promo_apply(pg_temp.tok('a'), 'TAP-TWO', 1)$$,
	$$VALUES ('already_used', 'You have already used this code.')$$,
	'A again: already_used (per_user_limit 1 reached)');
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('d'), 'TAP-TWO', 1)), 'used_up',
          'D: used_up (1 used + C''s live hold = max_uses 2)');

-- give a use back
SELECT lives_ok($$SELECT bz_promo_release_order('e3000000-0000-4000-8000-000000000001')$$,
                'bz_promo_release_order for A''s order');
SELECT results_eq(
	$$SELECT p.used_count, (SELECT count(*) FROM promo_redemptions AS r WHERE r.order_id = 'e3000000-0000-4000-8000-000000000001')
	  FROM promo_codes AS p WHERE p.id = 'e2000000-0000-4000-8000-000000000001'$$,
	$$VALUES (0::bigint, 0::bigint)$$,
	'used_count back to 0 and the redemption gone');
SELECT ok((SELECT released_at IS NOT NULL FROM promo_holds
           WHERE order_id = 'e3000000-0000-4000-8000-000000000001'), 'the order''s hold is marked released');
SELECT lives_ok($$SELECT bz_promo_release_order('e3000000-0000-4000-8000-000000000001')$$,
                'releasing the same order twice is harmless');
SELECT is((SELECT used_count FROM promo_codes WHERE id = 'e2000000-0000-4000-8000-000000000001'), 0::bigint,
          'and changes nothing');
SELECT throws_ok($$SELECT bz_promo_release_order(NULL)$$, 'ZB008', NULL, 'bz_promo_release_order(NULL): ZB008');
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('d'), 'TAP-TWO', 1)), 'ok',
          'D: the use given back is available again');

-- increment_promo_usage counts holds
SELECT is((SELECT status FROM bz_promo_take(pg_temp.uid('b'), 'e2000000-0000-4000-8000-00000000000a', 2000)), 'ok',
          'B holds one of TAP-INC''s 2 uses');
SELECT is(increment_promo_usage('e2000000-0000-4000-8000-00000000000a'), true,
          'increment_promo_usage: 0 used + 1 live hold < 2, taken');
SELECT is(increment_promo_usage('e2000000-0000-4000-8000-00000000000a'), false,
          'increment_promo_usage: 1 used + 1 live hold = 2, refused');
UPDATE promo_holds SET expires_at = now() - interval '1 second'
WHERE promo_id = 'e2000000-0000-4000-8000-00000000000a';
SELECT is(increment_promo_usage('e2000000-0000-4000-8000-00000000000a'), true,
          'the hold expired: increment_promo_usage takes the last use');

-- every other reason
SELECT results_eq($$SELECT status, message, promo_code FROM api_promo_apply(pg_temp.tok('a'), 'TAP-NOPE', 1)$$,
                  $$VALUES ('unknown', 'This code does not exist.', NULL::text)$$, 'unknown');
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('a'), NULL, 1)), 'unknown', 'a NULL code: unknown');
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('a'), repeat('X', 65), 1)), 'unknown', 'an over-long code: unknown');
SELECT results_eq($$SELECT status, message FROM api_promo_apply(pg_temp.tok('a'), 'TAP-OFF', 1)$$,
                  $$VALUES ('inactive', 'This code is not active.')$$, 'inactive');
SELECT results_eq($$SELECT status, message FROM api_promo_apply(pg_temp.tok('a'), 'TAP-SOON', 1)$$,
                  $$VALUES ('not_started', 'This code is not valid yet.')$$, 'not_started');
SELECT results_eq($$SELECT status, message FROM api_promo_apply(pg_temp.tok('a'), 'TAP-OLD', 1)$$,
                  $$VALUES ('expired', 'This code has expired.')$$, 'expired');
SELECT results_eq($$SELECT status, message, total_cents FROM api_promo_apply(pg_temp.tok('a'), 'TAP-BIG', 1)$$,
                  $$VALUES ('min_order', 'This code needs an order of at least 50.00.', 2000::bigint)$$, 'min_order');
SELECT results_eq(
	$$SELECT status, discount_cents, total_cents FROM api_promo_apply(pg_temp.tok('a'), 'TAP-FIX', 1)$$,
	$$VALUES ('ok', 2000::bigint, 0::bigint)$$,
	'a fixed 50.00 on 20.00: the discount is capped at the subtotal, the total is 0, never negative');
UPDATE shop_settings SET value = '2' WHERE key = 'max_live_holds_per_user';
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('a'), 'TAP-H1', 1)), 'ok', 'A''s second live hold');
SELECT results_eq($$SELECT status, message FROM api_promo_apply(pg_temp.tok('a'), 'TAP-H2', 1)$$,
                  $$VALUES ('hold_limit', 'You are holding too many codes; remove one first.')$$,
                  'a third live hold with max_live_holds_per_user 2: hold_limit');
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('a'), 'TAP-H1', 1)), 'ok',
          'renewing a hold the user already has is not a new hold');
SELECT lives_ok($$SELECT api_promo_release(pg_temp.tok('a'), 'tap-fix')$$, 'api_promo_release');
SELECT is((SELECT count(*) FROM promo_holds WHERE user_id = pg_temp.uid('a')
             AND released_at IS NULL AND order_id IS NULL AND expires_at > now()), 1::bigint,
          'A holds one live hold now');
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('a'), 'TAP-H2', 1)), 'ok', 'so a new one fits');
SELECT lives_ok($$SELECT api_promo_release(pg_temp.tok('a'), 'TAP-NOPE')$$, 'releasing an unknown code is harmless');
UPDATE shop_settings SET value = '5' WHERE key = 'max_live_holds_per_user';
UPDATE promo_codes SET is_active = false WHERE code = 'TAP-H2';
SELECT is((SELECT status FROM api_promo_apply(pg_temp.tok('a'), 'TAP-H2', 1)), 'inactive',
          'a promo switched off while held: inactive');
SELECT ok((SELECT released_at IS NOT NULL FROM promo_holds
           WHERE user_id = pg_temp.uid('a') AND promo_id = 'e2000000-0000-4000-8000-000000000008'),
          'and the hold it can no longer use is released');
SELECT is((SELECT hold_expires_at FROM api_promo_apply(pg_temp.tok('a'), 'TAP-END', 1)), now() + interval '5 minutes',
          'a hold never outlives its promo''s valid_until');

-- rounding
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('b'), 1, 'e1000000-0000-4000-8000-000000000001', 0)), 2::bigint,
          'B empties the cart');
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('b'), 2, 'e1000000-0000-4000-8000-000000000002', 1)), 3::bigint,
          'and buys one 9.99 product');
SELECT results_eq($$SELECT discount_cents, total_cents FROM api_promo_apply(pg_temp.tok('b'), 'TAP-TEN', 3)$$,
                  $$VALUES (99::bigint, 900::bigint)$$, '10 % of 9.99 is 0.99 (rounded down, never up)');

-- bad input and sessions
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_promo_apply(pg_temp.tok('b'), 'TAP-TEN', 1)$$), 'ZB009 version=3',
          'applying against an old cart version: ZB009 with the current version');
SELECT throws_ok($$SELECT * FROM api_promo_apply(pg_temp.tok('e'), 'TAP-TEN', 0)$$, 'ZB008', 'Your cart is empty.',
                 'applying to an empty cart: ZB008');
SELECT throws_ok($$SELECT * FROM api_promo_apply(repeat('0', 64), 'TAP-TEN', 0)$$, 'ZB004', NULL,
                 'applying without a session: ZB004');
SELECT throws_ok($$SELECT api_promo_release(NULL, 'TAP-TEN')$$, 'ZB004', NULL, 'releasing without a session: ZB004');
SELECT is((SELECT status FROM bz_promo_take(pg_temp.uid('a'), 'e2000000-0000-4000-8000-0000000000ff', 100)), 'unknown',
          'bz_promo_take of an unknown promo id: unknown');
SELECT is((SELECT status FROM bz_promo_take(pg_temp.uid('a'), NULL, 100)), 'unknown',
          'bz_promo_take of a NULL promo id: unknown');
SELECT throws_ok($$SELECT * FROM bz_promo_take(NULL, 'e2000000-0000-4000-8000-00000000000b', 100)$$, 'ZB008', NULL,
                 'bz_promo_take without a user: ZB008');
SELECT throws_ok($$SELECT * FROM bz_promo_take(pg_temp.uid('a'), 'e2000000-0000-4000-8000-00000000000b', -1)$$, 'ZB008', NULL,
                 'bz_promo_take of a negative subtotal: ZB008');

-- the rule holds for every promo at the end
SELECT is_empty(
	$$SELECT p.code FROM promo_codes AS p
	  WHERE p.max_uses IS NOT NULL
	    AND p.used_count + (SELECT count(*) FROM promo_holds AS h
	                        WHERE h.promo_id = p.id AND h.released_at IS NULL AND h.order_id IS NULL
	                          AND h.expires_at > now()) > p.max_uses$$,
	'used_count + live holds <= max_uses for every promo');

-- who may call what
SELECT is_empty(
	$$SELECT r.rolname || ' cannot run ' || f.sig
	  FROM (VALUES ('bazar_client'), ('bazar_staff'), ('bazar_tester')) AS r (rolname)
	  CROSS JOIN (VALUES ('api_promo_apply(text, text, bigint)'), ('api_promo_release(text, text)')) AS f (sig)
	  WHERE NOT has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'bazar_client, bazar_staff and bazar_tester may run the promo API');
SELECT is_empty(
	$$SELECT r.rolname || ' can run ' || f.sig
	  FROM (VALUES ('bazar_client'), ('bazar_staff'), ('bazar_tester'), ('anon'), ('authenticated')) AS r (rolname)
	  CROSS JOIN (VALUES ('bz_promo_discount(text, bigint, bigint)'), ('bz_promo_room(uuid, uuid)'),
	                     ('bz_require_read_committed(text)'), ('bz_promo_take(uuid, uuid, bigint)'),
	                     ('bz_promo_redeem(uuid, uuid)'), ('bz_promo_release_order(uuid)'),
	                     ('increment_promo_usage(uuid)')) AS f (sig)
	  WHERE has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'no client role may run the promo helpers');
-- PUBLIC: every function 0007..0009 added (and the rest of the shop's).
SELECT is_empty(
	$$SELECT p.oid::regprocedure::text
	  FROM pg_proc AS p
	  CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
	  WHERE p.pronamespace = 'public'::regnamespace
	    AND (p.proname LIKE 'api\_%' OR p.proname LIKE 'bz\_%' OR p.proname = 'increment_promo_usage')
	    AND a.grantee = 0 AND a.privilege_type = 'EXECUTE'$$,
	'PUBLIC may execute none of the api_ and bz_ functions');
SET ROLE bazar_client;
SELECT throws_ok($$SELECT * FROM bz_promo_take(gen_random_uuid(), gen_random_uuid(), 100)$$, '42501', NULL,
                 'as bazar_client: bz_promo_take is denied');
SELECT throws_ok($$SELECT * FROM promo_holds$$, '42501', NULL, 'as bazar_client: promo_holds cannot be read');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
