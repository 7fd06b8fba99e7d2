-- pgTAP: 0017's client events and the Health screen's reads. Who may call
-- what (the kiosk may record but never read events, nor call the staff
-- reads; a customer's session gets ZB005), the recorder's validation (a
-- batch cap, names of api_% functions that exist, known outcome classes,
-- SQLSTATE shape, equal lengths) and clamping, the per-function rows,
-- series and rates from a known data set (one wallet order paid, one
-- bank transfer waiting, one checkout refused as sold out, a
-- serialization failure reported by a client), and the retention (at most
-- 50,000 rows and 24 hours, pruned only by a batch that crosses a
-- multiple of 100 ids). One transaction: one now() for every row.
BEGIN;
SELECT plan(42);

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

-- The data set starts empty: earlier rows of this database are not ours.
DELETE FROM client_events;

DO $$ BEGIN PERFORM api_register(e, 'tap-password', n) FROM (VALUES ('tap-sh-ann@example.com', 'Ann'),
	('tap-sh-sam@example.com', 'Sam')) AS v (e, n); END $$;
UPDATE users SET is_staff = true WHERE email = 'tap-sh-sam@example.com';
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text, user_id uuid);
INSERT INTO tap_tok
SELECT split_part(v.e, '@', 1), l.session_token, l.user_id
FROM (VALUES ('tap-sh-ann@example.com'), ('tap-sh-sam@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = 'tap-sh-' || p_who $$;
GRANT SELECT ON tap_tok TO bazar_staff, bazar_client;

-- Ann: a wallet order (paid), then a line that sells out before she pays
-- (the shop refuses: ZB001 stored under the key), then a bank transfer
-- that waits for approval (inserted as it would stand).
INSERT INTO products (id, name, category, price_cents) VALUES
	('e8000000-0000-4000-8000-000000000001', 'TAP SH1', 'TAP', 500),
	('e8000000-0000-4000-8000-000000000002', 'TAP SH2', 'TAP', 700);
INSERT INTO product_codes (product_id, code)
SELECT 'e8000000-0000-4000-8000-000000000001', 'SH1-' || n FROM generate_series(1, 3) AS n;
INSERT INTO product_codes (product_id, code) VALUES ('e8000000-0000-4000-8000-000000000002', 'SH2-1');
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('sam'), 'tap-sh-ann@example.com', 5000, 'tap'); END $$;
SELECT count(*) AS orders_before FROM orders \gset
CREATE TEMP TABLE tap_out AS
SELECT c.outcome, c.error_code FROM api_checkout(pg_temp.tok('ann'), gen_random_uuid(),
	(SELECT version FROM api_cart_set(pg_temp.tok('ann'),
		(SELECT version FROM api_cart_get(pg_temp.tok('ann')) LIMIT 1),
		'e8000000-0000-4000-8000-000000000001', 1)),
	'', 'wallet') AS c;
DO $$ BEGIN PERFORM api_cart_set(pg_temp.tok('ann'),
	(SELECT version FROM api_cart_get(pg_temp.tok('ann')) LIMIT 1),
	'e8000000-0000-4000-8000-000000000002', 1); END $$;
UPDATE product_codes SET status = 'void' WHERE product_id = 'e8000000-0000-4000-8000-000000000002';
INSERT INTO tap_out
SELECT c.outcome, c.error_code FROM api_checkout(pg_temp.tok('ann'), gen_random_uuid(),
	(SELECT version FROM api_cart_get(pg_temp.tok('ann')) LIMIT 1), '', 'wallet') AS c;
INSERT INTO orders (user_id, status, payment_method, subtotal_cents, total_cents)
SELECT user_id, 'awaiting_payment', 'bank_transfer', 700, 700 FROM tap_tok WHERE who = 'tap-sh-ann';
SELECT is((SELECT string_agg(outcome || ':' || coalesce(error_code, ''), ' ' ORDER BY outcome DESC) FROM tap_out),
          'ok: failed:ZB001', 'setup: one checkout paid, one refused as sold out');

-- ------------------------------------------------------- who may call what
SELECT ok(has_function_privilege(r, 'api_record_client_events(text[], text[], text[], bigint[], integer[], integer[])', 'EXECUTE'),
          r || ' may record events')
FROM unnest(ARRAY['bazar_client', 'bazar_staff', 'bazar_tester']) AS r;
SELECT ok(NOT has_function_privilege(r, 'api_record_client_events(text[], text[], text[], bigint[], integer[], integer[])', 'EXECUTE'),
          r || ' may not record events')
FROM unnest(ARRAY['anon', 'authenticated']) AS r;
SELECT is((SELECT count(*) FROM unnest(ARRAY['api_staff_health', 'api_staff_health_series', 'api_staff_health_rates']) AS f
           WHERE has_function_privilege('bazar_client', f || '(text, integer)', 'EXECUTE')),
          0::bigint, 'the kiosk role has no EXECUTE on the three staff reads');
SELECT ok(NOT has_table_privilege(r, 'client_events', 'SELECT'), r || ' may not read client_events')
FROM unnest(ARRAY['bazar_client', 'bazar_staff']) AS r;

SET LOCAL ROLE bazar_client;
SELECT is(pg_temp.sqlerr('SELECT count(*) FROM client_events'), '42501 ',
          'the kiosk cannot read the events table');
-- The known events: api_checkout ok 1 ms, refused 2 ms, serialization 3 ms;
-- api_cart_get ok 0.5 ms twice.
SELECT is(api_record_client_events(
	ARRAY['api_checkout', 'api_checkout', 'api_checkout', 'api_cart_get', 'api_cart_get'],
	ARRAY['ok', 'refused', 'serialization', 'ok', 'ok'],
	ARRAY['', 'ZB001', '40001', NULL, ''],
	ARRAY[1000, 2000, 3000, 500, 500]::bigint[], ARRAY[1, 1, 1, 1, 1], ARRAY[0, 0, 0, 0, 0]),
	5, 'the kiosk records a batch of five events');
SELECT is(pg_temp.sqlerr(c), e, n)
FROM (VALUES
	($$SELECT api_record_client_events(ARRAY['pg_sleep'], ARRAY['ok'], ARRAY[''], ARRAY[1]::bigint[], ARRAY[1], ARRAY[0])$$,
	 'ZB008 function=pg_sleep', 'a function outside the API is refused'),
	($$SELECT api_record_client_events(ARRAY['api_nope'], ARRAY['ok'], ARRAY[''], ARRAY[1]::bigint[], ARRAY[1], ARRAY[0])$$,
	 'ZB008 function=api_nope', 'an api_ name that does not exist is refused'),
	($$SELECT api_record_client_events(ARRAY['api_login'], ARRAY['bogus'], ARRAY[''], ARRAY[1]::bigint[], ARRAY[1], ARRAY[0])$$,
	 'ZB008 outcome=bogus', 'an unknown outcome class is refused'),
	($$SELECT api_record_client_events(ARRAY['api_login'], ARRAY['other'], ARRAY['x''; --'], ARRAY[1]::bigint[], ARRAY[1], ARRAY[0])$$,
	 'ZB008 sqlstate=x''; --', 'a malformed SQLSTATE is refused'),
	($$SELECT api_record_client_events(ARRAY['api_login', 'api_login'], ARRAY['ok'], ARRAY[''], ARRAY[1]::bigint[], ARRAY[1], ARRAY[0])$$,
	 'ZB008 functions=2', 'lists of different lengths are refused'),
	($$SELECT api_record_client_events(NULL, ARRAY['ok'], ARRAY[''], ARRAY[1]::bigint[], ARRAY[1], ARRAY[0])$$,
	 'ZB008 batch=null', 'a missing list is refused'),
	($$SELECT api_record_client_events(array_fill('api_login'::text, ARRAY[201]), array_fill('ok'::text, ARRAY[201]),
	   array_fill(''::text, ARRAY[201]), array_fill(1::bigint, ARRAY[201]), array_fill(1, ARRAY[201]), array_fill(0, ARRAY[201]))$$,
	 'ZB008 events=201', 'a batch over 200 events is refused')
) AS t (c, e, n);
SELECT is(api_record_client_events('{}', '{}', '{}', '{}', '{}', '{}'), 0, 'an empty batch stores nothing');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_health(pg_temp.tok('sam'), 60)$$), '42501 ',
          'the kiosk role cannot call api_staff_health, even with a staff token');
RESET ROLE;
SELECT is((SELECT count(*) FROM client_events), 5::bigint, 'refused batches stored nothing');

-- ------------------------------------------------------- staff reads
SET LOCAL ROLE bazar_staff;
SELECT is(pg_temp.sqlerr(format(c, pg_temp.tok('ann'))), 'ZB005 user is not staff',
          'a customer''s session gets ZB005 from ' || n)
FROM (VALUES ('api_staff_health', 'SELECT * FROM api_staff_health(%L, 60)'),
             ('api_staff_health_series', 'SELECT * FROM api_staff_health_series(%L, 30)'),
             ('api_staff_health_rates', 'SELECT * FROM api_staff_health_rates(%L, 60)')) AS v (n, c);
SELECT alike(pg_temp.sqlerr($$SELECT * FROM api_staff_health('no-such-token', 60)$$), 'ZB004%',
            'no session: ZB004');
SELECT is(pg_temp.sqlerr(format(c, pg_temp.tok('sam'))), e, 'bad window: ' || c)
FROM (VALUES ('SELECT * FROM api_staff_health(%L, 0)', 'ZB008 window=0'),
             ('SELECT * FROM api_staff_health_rates(%L, 1441)', 'ZB008 window=1441'),
             ('SELECT * FROM api_staff_health_series(%L, 121)', 'ZB008 minutes=121')) AS v (c, e);

SELECT is((SELECT format('%s %s %s %s %s %s', client_calls, client_p95_us, refused, serialization_failures,
                         constraint_errors + deadlocks + timeouts + other_errors, calls)
           FROM api_staff_health(pg_temp.tok('sam'), 60) WHERE function_name = 'api_checkout'),
          format('3 2900 1 1 0 %s', (SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions
                                     WHERE schemaname = 'public' AND funcname = 'api_checkout')),
          'api_checkout: 3 client calls, p95 2.9 ms, one refused, one serialization failure, server calls as pg_stat_user_functions');
SELECT is((SELECT format('%s %s', client_calls, client_p95_us)
           FROM api_staff_health(pg_temp.tok('sam'), 60) WHERE function_name = 'api_cart_get'),
          '2 500', 'api_cart_get: 2 client calls, p95 0.5 ms');
SELECT is((SELECT count(*) FROM api_staff_health(pg_temp.tok('sam'), 60) WHERE function_name NOT LIKE 'api\_%'),
          0::bigint, 'only api_% functions are listed');

SELECT is((SELECT count(*) FROM api_staff_health_series(pg_temp.tok('sam'), 30)), 30::bigint,
          'the series has one row per minute');
SELECT is((SELECT max(minute) FROM api_staff_health_series(pg_temp.tok('sam'), 30)), date_trunc('minute', now()),
          'the current minute is the last');
SELECT is((SELECT format('%s %s %s %s %s', sum(orders_created), sum(orders_paid), sum(checkouts),
                         sum(checkouts_refused), sum(call_failures))
           FROM api_staff_health_series(pg_temp.tok('sam'), 30)),
          format('%s %s 2 1 1', :orders_before + 2, :orders_before + 1),
          'series: 2 orders created, 1 paid, 2 checkout attempts, 1 refused, 1 failed call');

SELECT is((SELECT format('%s %s %s %s %s %s %s', checkouts_ok, checkouts_refused, checkout_errors, order_success_pct,
                         orders_created, orders_paid, completion_pct)
           FROM api_staff_health_rates(pg_temp.tok('sam'), 60)),
          '1 1 1 50 2 1 50',
          'rates: success 1 of 2 non-refused (the refusal apart), completion 1 paid of 2 orders');
RESET ROLE;

-- ------------------------------------------------------- clamping
SET LOCAL ROLE bazar_tester;
SELECT is(api_record_client_events(ARRAY['api_login', 'api_login'], ARRAY['ok', 'ok'], ARRAY['', ''],
	ARRAY[-5, 1000000000000]::bigint[], ARRAY[0, 500], ARRAY[-1, 1000000000]), 2, 'the tester records too');
RESET ROLE;
SELECT is((SELECT string_agg(format('%s/%s/%s', elapsed_us, attempts, round(extract(epoch FROM now() - at))),
                             ' ' ORDER BY elapsed_us)
           FROM client_events WHERE function_name = 'api_login'),
          '0/1/0 600000000/100/3600', 'times, attempts and ages are clamped');

-- ------------------------------------------------------- retention
DELETE FROM client_events;
SELECT setval(pg_get_serial_sequence('client_events', 'id'), 1000);
INSERT INTO client_events (at, function_name, outcome, elapsed_us, attempts)
SELECT now() - interval '25 hours', 'api_cart_get', 'ok', 1, 1 FROM generate_series(1, 10);
INSERT INTO client_events (function_name, outcome, elapsed_us, attempts)
SELECT 'api_cart_get', 'ok', 1, 1 FROM generate_series(1, 50100);
SET LOCAL ROLE bazar_client;
SELECT is(api_record_client_events(ARRAY['api_login'], ARRAY['ok'], ARRAY[''], ARRAY[1]::bigint[], ARRAY[1], ARRAY[0]),
          1, 'a batch that crosses no multiple of 100 ids');
RESET ROLE;
SELECT is((SELECT count(*) FROM client_events), 50111::bigint, 'does not prune (cheap: one INSERT)');
SELECT setval(pg_get_serial_sequence('client_events', 'id'), 51199);
SET LOCAL ROLE bazar_client;
SELECT is(api_record_client_events(ARRAY['api_login'], ARRAY['ok'], ARRAY[''], ARRAY[1]::bigint[], ARRAY[1], ARRAY[0]),
          1, 'a batch that crosses a multiple of 100 ids');
RESET ROLE;
SELECT is((SELECT count(*) FROM client_events WHERE at < now() - interval '24 hours'), 0::bigint,
          'prunes the rows older than 24 hours');
SELECT is((SELECT format('%s %s %s', count(*) <= 50000, min(id), max(id)) FROM client_events), 't 1201 51200',
          'and keeps only the newest 50,000 ids (ids 1001-1200 went)');

SELECT * FROM finish();
ROLLBACK;
