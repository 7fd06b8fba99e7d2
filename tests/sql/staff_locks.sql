-- pgTAP: 0014's lock functions, called as the staff role (SET ROLE
-- bazar_staff: no superuser needed). Real sessions through dblink: a
-- superuser's session holds alice's wallet row (idle in a transaction),
-- a checkout of alice's as bazar_client waits for it, another session sits
-- idle in a transaction. The tree (blocked_by), the awaited lock, the
-- business label, the counters; cancelling the waiting checkout (it ends
-- with 57014 and no order, and leaves an audit row); what may not be
-- signalled (a superuser's session, one's own, an unknown pid); the
-- kiosk and customers refused; and without pg_read_all_stats and
-- pg_signal_backend (revoked inside a transaction that is rolled back):
-- waiters still found through pg_locks with their label, queries hidden,
-- signals refused with what to grant.
--
-- The other sessions see only committed rows, so the setup commits (the
-- database is dropped after the run). Checkouts bound their lock waits
-- with lock_timeout = 5s: each waiter is examined within that.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(34);

UPDATE shop_settings SET value = '4' WHERE key = 'bcrypt_cost';

CREATE FUNCTION pg_temp.sqlerr(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_state text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN OTHERS OR query_canceled THEN  -- OTHERS alone leaves out query_canceled
	GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE;
	RETURN v_state;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.sqlerr(text) TO PUBLIC;

-- A connection string for ROLE on this server and database, labelled APP.
CREATE FUNCTION pg_temp.conn(p_role text, p_app text) RETURNS text LANGUAGE sql AS $$
	SELECT format('host=''%s'' port=%s dbname=''%s'' user=%s application_name=''%s''',
	              btrim(split_part(current_setting('unix_socket_directories'), ',', 1), ' "'),
	              current_setting('port'), current_database(), p_role, p_app)
$$;

-- Wait (at most 10 s) until the backend labelled LIKE P_APP waits for a
-- lock with its wait start recorded.
CREATE FUNCTION pg_temp.await_waiter(p_app text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1 .. 200 LOOP
		IF EXISTS (SELECT 1 FROM pg_stat_activity AS a JOIN pg_locks AS l ON l.pid = a.pid
		           WHERE a.datname = current_database() AND a.application_name LIKE p_app
		             AND a.wait_event_type = 'Lock' AND NOT l.granted AND l.waitstart IS NOT NULL) THEN
			RETURN true;
		END IF;
		PERFORM pg_sleep(0.05);
		PERFORM pg_stat_clear_snapshot();
	END LOOP;
	RETURN false;
END
$$;

DO $$ BEGIN PERFORM api_register(e, 'tap-password', 'T') FROM (VALUES ('tap-lk-staff@example.com'),
	('tap-lk-alice@example.com')) AS v (e); END $$;
UPDATE users SET is_staff = true WHERE email = 'tap-lk-staff@example.com';
INSERT INTO products (id, name, category, price_cents) VALUES
	('e9140000-0000-4000-8000-000000000001', 'TAP LK', 'TAP', 100);
INSERT INTO product_codes (product_id, code)
SELECT 'e9140000-0000-4000-8000-000000000001', 'LK-' || n FROM generate_series(1, 4) AS n;
SELECT session_token AS staff_tok FROM api_login('tap-lk-staff@example.com', 'tap-password', gen_random_uuid()) \gset
SELECT session_token AS alice_tok FROM api_login('tap-lk-alice@example.com', 'tap-password', gen_random_uuid()) \gset
DO $$ BEGIN PERFORM api_staff_topup(
	(SELECT session_token FROM api_login('tap-lk-staff@example.com', 'tap-password', gen_random_uuid())),
	'tap-lk-alice@example.com', 1000, 'tap'); END $$;
SELECT version AS cart_v FROM api_cart_set(:'alice_tok', 0, 'e9140000-0000-4000-8000-000000000001', 1) \gset
SELECT gen_random_uuid() AS key1, gen_random_uuid() AS key2 \gset
SELECT count(*) AS orders_before FROM orders \gset

-- The sessions.
SELECT dblink_connect('holder', pg_temp.conn('bazar_admin', 'tap holder')) IS NOT NULL AS c1,
       dblink_connect('idler', pg_temp.conn('bazar_client', 'tap idler')) IS NOT NULL AS c2,
       dblink_connect('waiter', pg_temp.conn('bazar_client', 'tap waiter')) IS NOT NULL AS c3 \gset
SELECT pid AS holder_pid FROM dblink('holder', 'SELECT pg_backend_pid()') AS t (pid integer) \gset
SELECT pid AS idler_pid FROM dblink('idler', 'SELECT pg_backend_pid()') AS t (pid integer) \gset
SELECT pid AS waiter_pid FROM dblink('waiter', 'SELECT pg_backend_pid()') AS t (pid integer) \gset
SELECT dblink_exec('idler', 'BEGIN') AS x1 \gset
SELECT dblink_exec('holder', 'BEGIN') AS x3 \gset
SELECT count(*) AS x4
FROM dblink('holder', format('SELECT 1 FROM wallets WHERE user_id = %L FOR UPDATE',
                             (SELECT id FROM users WHERE email = 'tap-lk-alice@example.com'))) AS t (x integer) \gset
SELECT dblink_send_query('waiter', format('SELECT outcome FROM api_checkout(%L, %L, %s, '''', ''wallet'')',
                                          :'alice_tok', :'key1', :cart_v)) AS x5 \gset
SELECT ok(pg_temp.await_waiter('bazar checkout %'), 'the checkout waits for the held wallet row');

-- ---- As the staff role ----
SET ROLE bazar_staff;
SELECT is((SELECT format('%s|%s|%s|%s|%s|%s', blocked_by = ARRAY[:holder_pid]::integer[], waiting,
                         lock_type, lock_mode, relation, usename)
           FROM api_staff_locks(:'staff_tok') WHERE pid = :waiter_pid),
          't|t|transactionid|ShareLock|wallets|bazar_client',
          'the waiter: blocked by the holder, on a transaction id, ShareLock, the wallets row, bazar_client');
SELECT matches((SELECT application_name FROM api_staff_locks(:'staff_tok') WHERE pid = :waiter_pid),
               '^bazar checkout ', 'the waiter carries its business label');
SELECT ok((SELECT wait_ms >= 0 AND xact_ms >= wait_ms AND query_ms >= 0
           FROM api_staff_locks(:'staff_tok') WHERE pid = :waiter_pid),
          'the waiter has a wait age, within its transaction''s age');
SELECT matches((SELECT query FROM api_staff_locks(:'staff_tok') WHERE pid = :waiter_pid),
               '^SELECT outcome FROM api_checkout', 'the owner sees the waiter''s query (pg_read_all_stats)');
SELECT is((SELECT format('%s|%s|%s|%s|%s', blocked_by, waiting, lock_type IS NULL, state, application_name)
           FROM api_staff_locks(:'staff_tok') WHERE pid = :holder_pid),
          '{}|f|t|idle in transaction|tap holder',
          'the holder: listed (it blocks), waits for nothing, idle in its transaction');
SELECT is((SELECT format('%s|%s', state, waiting) FROM api_staff_locks(:'staff_tok') WHERE pid = :idler_pid),
          'idle in transaction|f', 'a session idle in a transaction is listed though it blocks no one');
SELECT is((SELECT count(*) FROM api_staff_locks(:'staff_tok') WHERE pid = pg_backend_pid()), 0::bigint,
          'the caller''s own backend is not listed');
SELECT is((SELECT count(*) FROM api_staff_locks(:'staff_tok')), 3::bigint,
          'nothing else: backends that are idle outside a transaction are left out');
SELECT is((SELECT format('%s|%s|%s|%s|%s', waiting, blocking, idle_in_transaction, sees_all, can_signal)
           FROM api_staff_lock_stats(:'staff_tok')),
          '1|1|2|t|t', 'the counters: one waiting, one blocking, two idle in a transaction, full view');
SELECT ok((SELECT longest_xact_ms > 0 AND deadlocks >= 0 FROM api_staff_lock_stats(:'staff_tok')),
          'the longest transaction has an age; deadlocks is a count');

SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_signal_backend(%L, %s, false)', :'staff_tok', :holder_pid)),
          '42501', 'a superuser''s session is never signalled');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_signal_backend(%L, pg_backend_pid(), false)', :'staff_tok')),
          'ZB008', 'nor the caller''s own');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_signal_backend(%L, -1, true)', :'staff_tok')),
          'ZB006', 'an unknown pid: not found');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_signal_backend(%L, %s, NULL)', :'staff_tok', :waiter_pid)),
          'ZB008', 'cancel or terminate must be said');
SELECT is((SELECT format('%s|%s|%s|%s', pid = :waiter_pid, action, signalled, usename)
           FROM api_staff_signal_backend(:'staff_tok', :waiter_pid, false)),
          't|cancel|t|bazar_client', 'the waiting checkout is cancelled');
RESET ROLE;

SELECT is(pg_temp.sqlerr($$SELECT * FROM dblink_get_result('waiter') AS t (outcome text)$$), '57014',
          'the checkout ended with query_canceled');
-- (dblink wants one more result before the connection takes a new query.)
SELECT count(*) AS drained FROM dblink_get_result('waiter') AS t (outcome text) \gset
SELECT is((SELECT count(*) FROM orders), :orders_before::bigint, 'and placed no order');
SELECT is((SELECT count(*) FROM idempotency_keys WHERE key = :'key1'), 0::bigint,
          'and stored nothing under its key');
SELECT is((SELECT format('%s|%s|%s|%s', a.entity, a.details ->> 'usename', a.details ->> 'signalled',
                         a.details ->> 'application_name' LIKE 'bazar checkout %')
           FROM audit_log AS a
           WHERE a.action = 'backend.cancel' AND a.entity_id = :'waiter_pid'
             AND a.actor_user_id = (SELECT id FROM users WHERE email = 'tap-lk-staff@example.com')),
          'backend|bazar_client|true|t', 'the cancel is an audit row naming the staff member, the role and the label');
SELECT is((SELECT count(*) FROM audit_log WHERE entity = 'backend'), 1::bigint,
          'refused signals left no audit row');

SET ROLE bazar_staff;
SELECT is((SELECT count(*) FROM api_staff_locks(:'staff_tok') WHERE pid = :waiter_pid), 0::bigint,
          'the cancelled waiter is gone from the list');
SELECT is((SELECT format('%s|%s', waiting, blocking) FROM api_staff_lock_stats(:'staff_tok')), '0|0',
          'no one waits, no one blocks');
RESET ROLE;

-- ---- Without pg_read_all_stats and pg_signal_backend ----
-- A second checkout waits for the holder; the roles are revoked in a
-- transaction of this session only (rolled back below).
SELECT dblink_send_query('waiter', format('SELECT outcome FROM api_checkout(%L, %L, %s, '''', ''wallet'')',
                                          :'alice_tok', :'key2', :cart_v)) AS x6 \gset
SELECT ok(pg_temp.await_waiter('bazar checkout %'), 'a second checkout waits for the holder');
BEGIN;
REVOKE pg_read_all_stats, pg_signal_backend FROM bazar_owner;
SET ROLE bazar_staff;
SELECT is((SELECT format('%s|%s|%s|%s', blocked_by = ARRAY[:holder_pid]::integer[], lock_type, relation, query)
           FROM api_staff_locks(:'staff_tok') WHERE pid = :waiter_pid),
          't|transactionid|wallets|<insufficient privilege>',
          'without pg_read_all_stats: the waiter is still found (pg_locks), its query hidden');
SELECT matches((SELECT application_name FROM api_staff_locks(:'staff_tok') WHERE pid = :waiter_pid),
               '^bazar checkout ', 'and its business label still shown');
SELECT is((SELECT count(*) FROM api_staff_locks(:'staff_tok') WHERE pid = :idler_pid), 0::bigint,
          'other roles'' idle transactions cannot be seen');
SELECT is((SELECT format('%s|%s|%s', waiting, sees_all, can_signal) FROM api_staff_lock_stats(:'staff_tok')),
          '1|f|f', 'the counters say the view is partial and signals impossible');
SELECT throws_ok(format('SELECT * FROM api_staff_signal_backend(%L, %s, false)', :'staff_tok', :waiter_pid),
                 '42501', 'Not allowed until an administrator runs GRANT pg_signal_backend TO bazar_owner.',
                 'without pg_signal_backend: refused, saying what to grant');
RESET ROLE;
ROLLBACK;

-- Release the holder: the second checkout goes through.
SELECT dblink_exec('holder', 'COMMIT') AS x7 \gset
SELECT is((SELECT outcome FROM dblink_get_result('waiter') AS t (outcome text)), 'ok',
          'released, the waiting checkout completes');
SELECT is((SELECT count(*) FROM orders), :orders_before::bigint + 1, 'one order: the second checkout''s');

-- ---- Who may call ----
SET ROLE bazar_client;
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_locks(%L)', :'staff_tok')), '42501',
          'the kiosk role may not read the locks');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_signal_backend(%L, %s, false)', :'staff_tok', :idler_pid)),
          '42501', 'nor signal a backend');
RESET ROLE;
SET ROLE bazar_staff;
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_lock_stats(%L)', :'alice_tok')), 'ZB005',
          'a customer''s session is refused by the staff functions');
RESET ROLE;

SELECT dblink_exec('idler', 'ROLLBACK') AS x8 \gset
SELECT dblink_disconnect('holder') AS d1, dblink_disconnect('idler') AS d2, dblink_disconnect('waiter') AS d3 \gset
SELECT * FROM finish();
