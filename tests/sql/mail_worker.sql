-- pgTAP: 0021's outbox functions. A staff top-up queues its message in
-- the same transaction (a rolled-back one queues none); the claim leases
-- due rows with a fencing token and the provider's idempotency key; a
-- second claim skips leased rows; an expired lease is claimed again with
-- a higher token and the first worker's outcome is refused as stale;
-- retry backs off and gives up after mail_max_attempts; fail parks the
-- row; codes are in the text only under mail_codes = 'in_message'; the
-- Outbox screen's list, counts and audited retry; who may call what. The
-- worker's calls run as bazar_mailer (SET ROLE).
--
-- Concurrency: two workers claiming at once are kept apart by FOR UPDATE
-- SKIP LOCKED, which one pgTAP session cannot race; the mail worker's own
-- tests run several workers against one queue.
BEGIN;
SELECT plan(46);

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
GRANT EXECUTE ON FUNCTION pg_temp.sqlerr(text) TO bazar_staff, bazar_client, bazar_mailer;

DO $$ BEGIN PERFORM api_register(e, 'tap-password', n) FROM (VALUES ('tap-mw-ann@example.com', 'Ann'),
	('tap-mw-sam@example.com', 'Sam')) AS v (e, n); END $$;
UPDATE users SET is_staff = true WHERE email = 'tap-mw-sam@example.com';
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text);
INSERT INTO tap_tok
SELECT split_part(split_part(v.e, '@', 1), '-', 3), l.session_token
FROM (VALUES ('tap-mw-ann@example.com'), ('tap-mw-sam@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = p_who $$;
GRANT SELECT ON tap_tok TO bazar_staff, bazar_client, bazar_mailer;
GRANT EXECUTE ON FUNCTION pg_temp.tok(text) TO bazar_staff, bazar_client, bazar_mailer;

INSERT INTO products (id, name, category, price_cents) VALUES
	('e9100000-0000-4000-8000-000000000001', 'TAP MW', 'TAP', 1000);
INSERT INTO product_codes (product_id, code) VALUES
	('e9100000-0000-4000-8000-000000000001', 'MW-CODE-1'),
	('e9100000-0000-4000-8000-000000000001', 'MW-CODE-2');

-- ------------------------------------------------------- queued with the change
SELECT is((SELECT count(*) FROM email_outbox), 0::bigint, 'setup: the outbox is empty');
SAVEPOINT before_topup;
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('sam'), 'tap-mw-ann@example.com', 1234, 'rolled back'); END $$;
SELECT is((SELECT count(*) FROM email_outbox WHERE kind = 'wallet_topup'), 1::bigint,
          'a top-up queues its message in its own transaction');
ROLLBACK TO SAVEPOINT before_topup;
SELECT is((SELECT count(*) FROM email_outbox), 0::bigint, 'a rolled-back top-up leaves no message');
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('sam'), 'tap-mw-ann@example.com', 5000, 'tap'); END $$;
SELECT is((SELECT to_address || ' | ' || subject || ' | ' || body_text FROM email_outbox WHERE kind = 'wallet_topup'),
          'tap-mw-ann@example.com | Your Bazar wallet was topped up | '
          'We added 50.00 to your Bazar wallet. Your balance is now 50.00.',
          'the top-up message names the amount and the new balance');

CREATE TEMP TABLE tap_out AS
SELECT outcome, order_id FROM api_checkout(pg_temp.tok('ann'), gen_random_uuid(),
	(SELECT version FROM api_cart_set(pg_temp.tok('ann'),
		(SELECT version FROM api_cart_get(pg_temp.tok('ann')) LIMIT 1),
		'e9100000-0000-4000-8000-000000000001', 1)),
	NULL, 'wallet');
SELECT is((SELECT outcome FROM tap_out), 'ok', 'setup: Ann paid an order from her wallet');
SELECT is((SELECT count(*) FROM email_outbox WHERE kind = 'order_confirmation'
           AND order_id = (SELECT order_id FROM tap_out)), 1::bigint, 'the paid order queued its confirmation');
SELECT is((SELECT count(*) FROM email_outbox WHERE body_text LIKE '%MW-CODE%'), 0::bigint,
          'no code is stored in the outbox');

-- ------------------------------------------------------- codes by policy
SELECT unalike(bz_mail_render(e.kind, e.body_text, e.order_id), '%MW-CODE%',
              'mail_codes = in_shop (default): the text names no code')
FROM email_outbox AS e WHERE e.kind = 'order_confirmation';
UPDATE shop_settings SET value = 'in_message' WHERE key = 'mail_codes';
SELECT alike(bz_mail_render(e.kind, e.body_text, e.order_id), E'%Your codes:\n  TAP MW: MW-CODE-_\n',
            'mail_codes = in_message: the text lists the order''s code')
FROM email_outbox AS e WHERE e.kind = 'order_confirmation';

-- ------------------------------------------------------- claim
SET ROLE bazar_mailer;
CREATE TEMP TABLE tap_claim1 AS SELECT * FROM api_mail_claim('tap-worker-1', 10, 60);
RESET ROLE;
SELECT is((SELECT count(*) FROM tap_claim1), 2::bigint, 'a claim takes both due messages');
SELECT is((SELECT count(*) FROM tap_claim1 WHERE fencing_token = 1 AND attempt = 1), 2::bigint,
          'each with fencing token 1, attempt 1');
SELECT is((SELECT count(*) FROM tap_claim1 WHERE idempotency_key = 'bazar-outbox-' || outbox_id), 2::bigint,
          'and the row''s idempotency key');
SELECT alike((SELECT body_text FROM tap_claim1 WHERE kind = 'order_confirmation'), '%MW-CODE-%',
            'the claimed confirmation carries the code (in_message)');
SELECT is((SELECT string_agg(DISTINCT status || '/' || claimed_by, ',') FROM email_outbox), 'sending/tap-worker-1',
          'the rows are sending, claimed by the worker');
SET ROLE bazar_mailer;
SELECT is((SELECT count(*) FROM api_mail_claim('tap-worker-2', 10, 60)), 0::bigint,
          'a second claim skips leased rows');
RESET ROLE;

-- ------------------------------------------------------- sent, fenced
CREATE FUNCTION pg_temp.claimed(p_kind text) RETURNS uuid LANGUAGE sql AS
$$ SELECT outbox_id FROM tap_claim1 WHERE kind = p_kind $$;
GRANT EXECUTE ON FUNCTION pg_temp.claimed(text) TO bazar_mailer;
GRANT SELECT ON tap_claim1 TO bazar_mailer;
SET ROLE bazar_mailer;
SELECT is(api_mail_sent(pg_temp.claimed('wallet_topup'), 7, 'msg-wrong'), 'stale',
          'sent with a token the row does not have: stale');
SELECT is(api_mail_sent(pg_temp.claimed('wallet_topup'), 1, 'msg-topup'), 'sent', 'sent with the right token');
SELECT is(api_mail_sent(pg_temp.claimed('wallet_topup'), 1, 'msg-again'), 'stale', 'sent twice: stale');
RESET ROLE;
SELECT is((SELECT status || ' ' || provider_message_id || ' ' || (sent_at IS NOT NULL)::text
           FROM email_outbox WHERE id = pg_temp.claimed('wallet_topup')),
          'sent msg-topup true', 'the row is sent with the provider''s id, kept from the first answer');

-- The confirmation's worker stalls; its lease runs out.
UPDATE email_outbox SET next_attempt_at = now() - interval '1 second', lease_until = now() - interval '1 second'
WHERE id = pg_temp.claimed('order_confirmation');
SET ROLE bazar_mailer;
CREATE TEMP TABLE tap_claim2 AS SELECT * FROM api_mail_claim('tap-worker-2', 10, 60);
RESET ROLE;
SELECT is((SELECT outbox_id || ' ' || fencing_token || ' ' || attempt FROM tap_claim2),
          pg_temp.claimed('order_confirmation') || ' 2 2',
          'an expired lease is claimed again: token 2, attempt 2');
SELECT is((SELECT idempotency_key FROM tap_claim2), (SELECT idempotency_key FROM tap_claim1 WHERE kind = 'order_confirmation'),
          'with the same idempotency key, so the provider sees a duplicate');
SET ROLE bazar_mailer;
SELECT is(api_mail_sent(pg_temp.claimed('order_confirmation'), 1, 'msg-late'), 'stale',
          'the first worker''s late answer is refused');
SELECT is(api_mail_retry(pg_temp.claimed('order_confirmation'), 1, 'late', 0), 'stale',
          'and so is its retry');
SELECT is(api_mail_sent(pg_temp.claimed('order_confirmation'), 2, 'msg-new-owner'), 'sent',
          'the new owner records the send');
RESET ROLE;
SELECT is((SELECT provider_message_id FROM email_outbox WHERE id = pg_temp.claimed('order_confirmation')),
          'msg-new-owner', 'the row holds the new owner''s result');

-- ------------------------------------------------------- retry, give up, fail
UPDATE shop_settings SET value = '2' WHERE key = 'mail_max_attempts';
DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('sam'), 'tap-mw-ann@example.com', 100, 'retry'); END $$;
SET ROLE bazar_mailer;
CREATE TEMP TABLE tap_claim3 AS SELECT * FROM api_mail_claim('tap-worker-1', 1, 60);
SELECT is(api_mail_retry((SELECT outbox_id FROM tap_claim3), 1, 'HTTP 503', 0), 'retry', 'a 503: retry');
RESET ROLE;
SELECT is((SELECT status || ' ' || last_error FROM email_outbox WHERE id = (SELECT outbox_id FROM tap_claim3)),
          'pending HTTP 503', 'back to pending with the error');
SET ROLE bazar_mailer;
SELECT is((SELECT attempt FROM api_mail_claim('tap-worker-1', 1, 60)), 2::bigint, 'claimed again: attempt 2');
SELECT is(api_mail_retry((SELECT outbox_id FROM tap_claim3), 2, 'HTTP 503', 0), 'failed',
          'the last allowed attempt fails: failed');
RESET ROLE;
SELECT is((SELECT status || ' ' || last_error FROM email_outbox WHERE id = (SELECT outbox_id FROM tap_claim3)),
          'failed gave up after 2 attempts: HTTP 503', 'with the reason');

DO $$ BEGIN PERFORM api_staff_topup(pg_temp.tok('sam'), 'tap-mw-ann@example.com', 200, 'fail'); END $$;
SET ROLE bazar_mailer;
CREATE TEMP TABLE tap_claim4 AS SELECT * FROM api_mail_claim('tap-worker-1', 1, 60);
SELECT is(api_mail_fail((SELECT outbox_id FROM tap_claim4), 1, 'HTTP 422: invalid to address'), 'failed',
          'a 422: failed');
RESET ROLE;
-- The worker's temp tables belong to bazar_mailer; the console reads two.
GRANT SELECT ON tap_claim1, tap_claim4 TO bazar_staff;

-- ------------------------------------------------------- the console
SET ROLE bazar_staff;
SELECT is((SELECT count(*) FROM api_staff_outbox(pg_temp.tok('sam'), 'failed', 10)), 2::bigint,
          'the Outbox lists the two failed messages');
SELECT is((SELECT string_agg(last_error, ' / ' ORDER BY last_error) FROM api_staff_outbox(pg_temp.tok('sam'), 'failed', 10)),
          'HTTP 422: invalid to address / gave up after 2 attempts: HTTP 503', 'with their reasons');
SELECT is((SELECT pending || ' ' || sending || ' ' || sent || ' ' || failed || ' ' || sent_last_hour || ' ' || failed_last_hour
           FROM api_staff_outbox_counts(pg_temp.tok('sam'))), '0 0 2 2 2 2', 'the counts per status and last hour');
SELECT is((SELECT status || ' ' || attempts FROM api_staff_outbox_retry(pg_temp.tok('sam'), (SELECT outbox_id FROM tap_claim4))),
          'pending 1', 'staff try a failed message again');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_outbox_retry(%L, %L)', pg_temp.tok('sam'),
                                (SELECT outbox_id FROM tap_claim1 WHERE kind = 'wallet_topup'))),
          'ZB008 Only a failed message can be tried again; this one is sent.', 'a sent message is not tried again');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_outbox_retry(%L, %L)', pg_temp.tok('sam'), gen_random_uuid())),
          'ZB006 No such message in the outbox.', 'an unknown id: ZB006');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_outbox(%L, NULL, 10)', pg_temp.tok('ann'))),
          'ZB005 This needs a staff account.', 'a customer''s session gets ZB005');
SELECT is(pg_temp.sqlerr(format('SELECT * FROM api_staff_outbox(%L, %L, 10)', pg_temp.tok('sam'), 'lost')),
          'ZB008 Show pending, sending, sent or failed messages, or every one.', 'an unknown status is refused');
RESET ROLE;
SELECT is((SELECT count(*) FROM audit_log WHERE action = 'outbox.retried'
           AND entity_id = (SELECT outbox_id FROM tap_claim4)::text
           AND actor_user_id = (SELECT id FROM users WHERE email = 'tap-mw-sam@example.com')), 1::bigint,
          'the retry is audited with the staff member as actor');

-- ------------------------------------------------------- arguments and roles
SET ROLE bazar_mailer;
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_mail_claim('', 10, 60)$$),
          'ZB008 The worker needs a name of 1 to 200 characters.', 'a claim without a worker name is refused');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_mail_claim('w', 0, 60)$$),
          'ZB008 A claim takes 1 to 1000 messages.', 'a claim of 0 messages is refused');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_mail_claim('w', 10, 1)$$),
          'ZB008 A lease lasts 5 to 3600 seconds.', 'a lease of 1 s is refused');
SELECT alike(pg_temp.sqlerr($$SELECT count(*) FROM email_outbox$$), '42501 %',
            'the mailer cannot read the outbox table');
SELECT alike(pg_temp.sqlerr(format('SELECT * FROM api_staff_outbox(%L, NULL, 10)', pg_temp.tok('sam'))), '42501 %',
            'the mailer cannot run the staff functions');
RESET ROLE;
SET ROLE bazar_client;
SELECT alike(pg_temp.sqlerr($$SELECT * FROM api_mail_claim('kiosk', 10, 60)$$), '42501 %',
            'the kiosk cannot claim messages');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
