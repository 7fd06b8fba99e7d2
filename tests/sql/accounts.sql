-- pgTAP: 0007's accounts. Register (one account per e-mail, ZB007 for the
-- rest, ZB008 for bad input), log in (status, never a raise for a wrong
-- guess; the same answer for an unknown e-mail; the throttle; a replayed
-- request id gives the same session), sessions (expiry, revocation of one
-- session only, ZB004), the staff check (ZB005), settings, and who may call
-- what. Concurrency is the race suite's (tests/race).
BEGIN;
SELECT plan(75);

-- bcrypt at cost 4 keeps the suite fast; production keeps 10 or more.
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

-- settings
SELECT is(bz_setting_int('bcrypt_cost', 10), 4, 'bz_setting_int reads a setting');
SELECT is(bz_setting_int('tap_no_such_key', 42), 42, 'bz_setting_int: a missing key gives the default');
INSERT INTO shop_settings (key, value) VALUES ('tap_bad', 'twelve'), ('tap_spaces', ' 7 ');
SELECT is(bz_setting_int('tap_bad', 3), 3, 'bz_setting_int: a malformed value gives the default');
SELECT is(bz_setting_int('tap_spaces', 3), 7, 'bz_setting_int: surrounding spaces are ignored');
SELECT is((SELECT count(*) FROM shop_settings
           WHERE key IN ('bcrypt_cost', 'session_hours', 'login_max_failures', 'login_window_minutes',
                         'login_lock_minutes', 'promo_hold_minutes', 'max_live_holds_per_user',
                         'cart_max_lines', 'cart_max_quantity', 'max_unpaid_orders_per_user',
                         'max_reserved_codes_per_user', 'bank_transfer_hours', 'proof_max_bytes')),
          13::bigint, 'every documented setting has a row');

-- register
CREATE TEMP TABLE tap_reg AS
SELECT * FROM api_register('  Tap.Ann@Example.COM ', 'correct horse', 'Ann');
SELECT isnt((SELECT user_id FROM tap_reg), NULL, 'api_register returns the new user id');
SELECT ok((SELECT started_at <= clock_timestamp() FROM tap_reg), 'api_register returns started_at');
SELECT is((SELECT email FROM users WHERE id = (SELECT user_id FROM tap_reg)), 'Tap.Ann@Example.COM',
          'the e-mail is stored trimmed');
SELECT alike((SELECT password_hash FROM users WHERE id = (SELECT user_id FROM tap_reg)), '$2a$04$%',
            'the password is stored as bcrypt at the configured cost (4)');
SELECT is((SELECT balance_cents FROM wallets WHERE user_id = (SELECT user_id FROM tap_reg)), 0::bigint,
          'registering creates an empty wallet');
SELECT throws_ok($$SELECT * FROM api_register('tap.ann@example.com', 'another pass', 'Ann 2')$$,
                 'ZB007', 'This e-mail is already registered.',
                 'the same e-mail in another case: ZB007');
SELECT is((SELECT count(*) FROM users WHERE lower(email) = 'tap.ann@example.com'), 1::bigint,
          'still one account for that e-mail');
SELECT throws_ok($$SELECT * FROM api_register('no-at-sign.example.com', 'password1', '')$$,
                 'ZB008', 'Please enter a valid e-mail address.', 'e-mail without @: ZB008');
SELECT throws_ok($$SELECT * FROM api_register('a@b@example.com', 'password1', '')$$,
                 'ZB008', NULL, 'e-mail with two @: ZB008');
SELECT throws_ok($$SELECT * FROM api_register('tap@localhost', 'password1', '')$$,
                 'ZB008', NULL, 'e-mail without a dot after the @: ZB008');
SELECT throws_ok($$SELECT * FROM api_register('tap x@example.com', 'password1', '')$$,
                 'ZB008', NULL, 'e-mail with a space: ZB008');
SELECT throws_ok($$SELECT * FROM api_register(E'tap\x01@example.com', 'password1', '')$$,
                 'ZB008', NULL, 'e-mail with a control character: ZB008');
SELECT throws_ok($$SELECT * FROM api_register(repeat('a', 250) || '@example.com', 'password1', '')$$,
                 'ZB008', NULL, 'e-mail over 254 characters: ZB008');
SELECT throws_ok($$SELECT * FROM api_register(NULL, 'password1', '')$$,
                 'ZB008', NULL, 'NULL e-mail: ZB008');
SELECT throws_ok($$SELECT * FROM api_register('tap-short@example.com', 'seven77', '')$$,
                 'ZB008', 'The password must have 8 to 128 characters.', 'password of 7 characters: ZB008');
SELECT throws_ok($$SELECT * FROM api_register('tap-long@example.com', repeat('p', 129), '')$$,
                 'ZB008', NULL, 'password of 129 characters: ZB008');
SELECT throws_ok($$SELECT * FROM api_register('tap-null@example.com', NULL, '')$$,
                 'ZB008', NULL, 'NULL password: ZB008');
SELECT throws_ok($$SELECT * FROM api_register('tap-name@example.com', 'password1', repeat('n', 101))$$,
                 'ZB008', NULL, 'display name over 100 characters: ZB008');
SELECT lives_ok($$SELECT * FROM api_register('tap-bob@example.com', 'bob password', NULL)$$,
                'a NULL display name is allowed (stored empty)');
SELECT is((SELECT count(*) FROM users WHERE email LIKE 'tap-%'), 1::bigint,
          'no account was created by a refused registration');

-- log in
CREATE TEMP TABLE tap_login AS
SELECT 'a1'::text AS k, * FROM api_login('TAP.ann@example.com ', 'correct horse', 'a0000000-0000-4000-8000-0000000000a1');
SELECT is((SELECT status FROM tap_login WHERE k = 'a1'), 'ok', 'login with the right password: ok');
SELECT ok((SELECT session_token ~ '^[0-9a-f]{64}$' FROM tap_login WHERE k = 'a1'), 'the token is 64 hex digits');
SELECT is((SELECT user_id FROM tap_login WHERE k = 'a1'), (SELECT user_id FROM tap_reg), 'login returns the user id');
SELECT is((SELECT is_staff FROM tap_login WHERE k = 'a1'), false, 'login returns the staff flag');
SELECT is((SELECT expires_at FROM tap_login WHERE k = 'a1'), now() + interval '12 hours',
          'the session expires after session_hours (12)');
SELECT is((SELECT count(*) FROM sessions
           WHERE token_hash = sha256(convert_to((SELECT session_token FROM tap_login WHERE k = 'a1'), 'UTF8'))),
          1::bigint, 'the session stores sha256 of the token');
SELECT is((SELECT count(*) FROM sessions
           WHERE token_hash = convert_to((SELECT session_token FROM tap_login WHERE k = 'a1'), 'UTF8')
              OR token_hash = decode((SELECT session_token FROM tap_login WHERE k = 'a1'), 'hex')),
          0::bigint, 'the token itself is never stored');

INSERT INTO tap_login
SELECT 'a1again', * FROM api_login('tap.ann@example.com', 'correct horse', 'a0000000-0000-4000-8000-0000000000a1');
SELECT is((SELECT session_token FROM tap_login WHERE k = 'a1again'),
          (SELECT session_token FROM tap_login WHERE k = 'a1'),
          'the same request id again (double submit): the same token');
SELECT is((SELECT count(*) FROM sessions WHERE user_id = (SELECT user_id FROM tap_reg)), 1::bigint,
          'and still one session');
INSERT INTO tap_login
SELECT 'a2', * FROM api_login('tap.ann@example.com', 'correct horse', 'a0000000-0000-4000-8000-0000000000a2');
SELECT isnt((SELECT session_token FROM tap_login WHERE k = 'a2'),
            (SELECT session_token FROM tap_login WHERE k = 'a1'),
            'a new request id (second terminal): a new token');
SELECT is((SELECT count(*) FROM sessions WHERE user_id = (SELECT user_id FROM tap_reg)), 2::bigint,
          'and a second session');
SELECT throws_ok($$SELECT * FROM api_login('tap.ann@example.com', 'correct horse', NULL)$$,
                 'ZB008', NULL, 'login without a request id: ZB008');

-- wrong password and unknown e-mail look the same
SELECT results_eq(
	$$SELECT status, session_token, user_id, is_staff, expires_at
	  FROM api_login('tap.ann@example.com', 'wrong horse', gen_random_uuid())$$,
	$$SELECT status, session_token, user_id, is_staff, expires_at
	  FROM api_login('tap.nobody@example.com', 'wrong horse', gen_random_uuid())$$,
	'a wrong password and an unknown e-mail give the same answer');
SELECT is((SELECT status FROM api_login('tap.nobody@example.com', 'whatever', gen_random_uuid())), 'invalid',
          'unknown e-mail: invalid');
SELECT is((SELECT array_agg(failures ORDER BY email_lower) FROM login_throttle
           WHERE email_lower IN ('tap.ann@example.com', 'tap.nobody@example.com')),
          ARRAY[1, 2], 'each refused attempt is counted, known e-mail or not');
INSERT INTO users (email, password_hash) VALUES ('tap-nobcrypt@example.com', 'x');
SELECT is((SELECT status FROM api_login('tap-nobcrypt@example.com', 'x', gen_random_uuid())), 'invalid',
          'an account without a bcrypt hash cannot log in (and nothing raises)');
SELECT is((SELECT status FROM api_login(repeat('a', 300), 'whatever', gen_random_uuid())), 'invalid',
          'an over-long e-mail: invalid');

-- the throttle: 5 failures in the window lock the e-mail
SELECT is((SELECT array_agg(s.status ORDER BY n)
           FROM generate_series(2, 5) AS n,
                LATERAL api_login('tap.ann@example.com', 'guess ' || n, gen_random_uuid()) AS s),
          ARRAY['invalid', 'invalid', 'invalid', 'invalid'], 'failures 2 to 5: invalid');
SELECT ok((SELECT failures = 5 AND locked_until = now() + interval '15 minutes'
           FROM login_throttle WHERE email_lower = 'tap.ann@example.com'),
          'the 5th failure locks the e-mail for login_lock_minutes (15)');
SELECT is((SELECT status FROM api_login('tap.ann@example.com', 'correct horse', gen_random_uuid())), 'throttled',
          'locked: even the right password is refused as throttled');
SELECT is((SELECT failures FROM login_throttle WHERE email_lower = 'tap.ann@example.com'), 6,
          'a refused attempt while locked is counted too');
SELECT is((SELECT status FROM api_login('tap.ann@example.com', 'correct horse', 'a0000000-0000-4000-8000-0000000000a1')),
          'throttled', 'locked: a replayed request id is refused too');
SELECT is((SELECT array_agg(s.status ORDER BY n)
           FROM generate_series(2, 6) AS n,
                LATERAL api_login('tap.nobody@example.com', 'guess ' || n, gen_random_uuid()) AS s),
          ARRAY['invalid', 'invalid', 'invalid', 'throttled', 'throttled'],
          'an unknown e-mail is throttled the same way (the throttle reveals nothing)');
-- the window and the lock end
UPDATE login_throttle
SET window_started_at = now() - interval '16 minutes', locked_until = now() - interval '1 minute'
WHERE email_lower = 'tap.ann@example.com';
SELECT is((SELECT status FROM api_login('tap.ann@example.com', 'still wrong', gen_random_uuid())), 'invalid',
          'after the lock and the window: a wrong password is checked again');
SELECT is((SELECT failures FROM login_throttle WHERE email_lower = 'tap.ann@example.com'), 1,
          'a new window starts counting at 1');
INSERT INTO tap_login
SELECT 'a3', * FROM api_login('tap.ann@example.com', 'correct horse', 'a0000000-0000-4000-8000-0000000000a3');
SELECT is((SELECT status FROM tap_login WHERE k = 'a3'), 'ok', 'the right password: ok');
SELECT is((SELECT count(*) FROM login_throttle WHERE email_lower = 'tap.ann@example.com'), 0::bigint,
          'a successful login resets the throttle');

-- sessions
SELECT is(bz_session_user((SELECT session_token FROM tap_login WHERE k = 'a1')), (SELECT user_id FROM tap_reg),
          'bz_session_user finds the user of a live session');
SELECT throws_ok($$SELECT bz_session_user(repeat('0', 64))$$, 'ZB004', 'Please log in again.',
                 'an unknown token: ZB004');
SELECT throws_ok($$SELECT bz_session_user('not a token')$$, 'ZB004', NULL, 'a malformed token: ZB004');
SELECT throws_ok($$SELECT bz_session_user(NULL)$$, 'ZB004', NULL, 'a NULL token: ZB004');
SELECT results_eq(
	$$SELECT user_id, email, display_name, is_staff FROM api_whoami((SELECT session_token FROM tap_login WHERE k = 'a2'))$$,
	$$VALUES ((SELECT user_id FROM tap_reg), 'Tap.Ann@Example.COM', 'Ann', false)$$,
	'api_whoami tells who the session belongs to');
SELECT lives_ok(format('SELECT api_logout(%L)', (SELECT session_token FROM tap_login WHERE k = 'a1')),
                'api_logout');
SELECT throws_ok(format('SELECT bz_session_user(%L)', (SELECT session_token FROM tap_login WHERE k = 'a1')),
                 'ZB004', 'Please log in again.', 'a revoked session: ZB004');
SELECT throws_ok(format('SELECT * FROM api_whoami(%L)', (SELECT session_token FROM tap_login WHERE k = 'a1')),
                 'ZB004', NULL, 'api_whoami on a revoked session: ZB004');
SELECT is(bz_session_user((SELECT session_token FROM tap_login WHERE k = 'a2')), (SELECT user_id FROM tap_reg),
          'logging out one terminal leaves the other session alive');
SELECT lives_ok(format('SELECT api_logout(%L)', (SELECT session_token FROM tap_login WHERE k = 'a1')),
                'logging out twice is harmless');
SELECT alike(pg_temp.sqlerr($$SELECT * FROM api_login('tap.ann@example.com', 'correct horse', 'a0000000-0000-4000-8000-0000000000a1')$$),
            'ZB008 %', 'replaying the request id of a logged-out session: ZB008, no new session');
UPDATE sessions SET expires_at = now() - interval '1 second'
WHERE token_hash = sha256(convert_to((SELECT session_token FROM tap_login WHERE k = 'a2'), 'UTF8'));
SELECT throws_ok(format('SELECT bz_session_user(%L)', (SELECT session_token FROM tap_login WHERE k = 'a2')),
                 'ZB004', 'Please log in again.', 'an expired session: ZB004');

-- staff
SELECT throws_ok(format('SELECT bz_session_staff(%L)', (SELECT session_token FROM tap_login WHERE k = 'a3')),
                 'ZB005', 'This needs a staff account.', 'bz_session_staff for a customer: ZB005');
UPDATE users SET is_staff = true WHERE id = (SELECT user_id FROM tap_reg);
SELECT is(bz_session_staff((SELECT session_token FROM tap_login WHERE k = 'a3')), (SELECT user_id FROM tap_reg),
          'bz_session_staff for a staff user returns the user');
SELECT throws_ok($$SELECT bz_session_staff(repeat('0', 64))$$, 'ZB004', NULL, 'bz_session_staff without a session: ZB004');

-- who may call what
SELECT ok(EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bazar_tester'), 'the role bazar_tester exists');
SELECT is_empty(
	$$SELECT r.rolname || ' cannot run ' || f.sig
	  FROM (VALUES ('bazar_client'), ('bazar_staff'), ('bazar_tester')) AS r (rolname)
	  CROSS JOIN (VALUES ('api_register(text, text, text)'), ('api_login(text, text, uuid)'),
	                     ('api_logout(text)'), ('api_whoami(text)')) AS f (sig)
	  WHERE NOT has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'bazar_client, bazar_staff and bazar_tester may run the account API');
SELECT is_empty(
	$$SELECT r.rolname || ' can run ' || f.sig
	  FROM (VALUES ('bazar_client'), ('bazar_staff'), ('bazar_tester'), ('anon'), ('authenticated')) AS r (rolname)
	  CROSS JOIN (VALUES ('bz_setting_int(text, integer)'), ('bz_session_user(text)'),
	                     ('bz_session_staff(text)')) AS f (sig)
	  WHERE has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'no client role may run the internal bz_ helpers');
SELECT is_empty(
	$$SELECT r.rolname || ' has ' || p.priv || ' on ' || t.tbl
	  FROM (VALUES ('bazar_client'), ('bazar_staff'), ('bazar_tester'), ('anon'), ('authenticated')) AS r (rolname)
	  CROSS JOIN (VALUES ('shop_settings'), ('shop_secrets'), ('login_throttle'), ('sessions')) AS t (tbl)
	  CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE')) AS p (priv)
	  WHERE has_table_privilege(r.rolname, t.tbl, p.priv)$$,
	'no client role has any privilege on the settings, secrets, throttle or sessions');
SELECT is_empty(
	$$SELECT p.priv || ' on ' || c.relname
	  FROM pg_class AS c
	  CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE')) AS p (priv)
	  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
	    AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
	                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
	    AND has_table_privilege('bazar_tester', c.oid, p.priv)$$,
	'bazar_tester has no privilege on any table in public');
SET ROLE bazar_client;
SELECT is((SELECT status FROM api_login('tap-bob@example.com', 'bob password', gen_random_uuid())), 'ok',
          'as bazar_client: api_login works');
SELECT throws_ok($$SELECT bz_session_user(repeat('0', 64))$$, '42501', NULL,
                 'as bazar_client: bz_session_user is denied');
SELECT throws_ok($$SELECT secret FROM shop_secrets$$, '42501', NULL,
                 'as bazar_client: the session secret cannot be read');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
