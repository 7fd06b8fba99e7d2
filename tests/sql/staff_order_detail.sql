-- pgTAP: 0015's staff order detail. The head (customer, amounts, promo,
-- payment reference from bz_payment_reference, decision, phone-order
-- placer) on every item row; the proofs' metadata (a picture with its
-- hash, a reference without one); the exported picture, byte for byte,
-- with its audit row; references for a list of orders; and who may call
-- them: a customer's token gets ZB005, none ZB004, bazar_client has no
-- EXECUTE.
BEGIN;
SELECT plan(31);

UPDATE shop_settings SET value = '4' WHERE key = 'bcrypt_cost';

CREATE FUNCTION pg_temp.sqlerr(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_state text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE;
	RETURN v_state;
END
$$;

DO $$ BEGIN PERFORM api_register(e, 'tap-password', 'T') FROM (VALUES ('tap-od-ann@example.com'),
	('tap-od-sam@example.com')) AS v (e); END $$;
UPDATE users SET is_staff = true WHERE email = 'tap-od-sam@example.com';
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text);
INSERT INTO tap_tok
SELECT split_part(v.e, '@', 1), l.session_token
FROM (VALUES ('tap-od-ann@example.com'), ('tap-od-sam@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
CREATE FUNCTION pg_temp.tok(p_who text) RETURNS text LANGUAGE sql AS
$$ SELECT token FROM tap_tok WHERE who = 'tap-od-' || p_who $$;

INSERT INTO products (id, name, category, price_cents) VALUES
	('e8000000-0000-4000-8000-000000000001', 'TAP OD Beta', 'TAP', 1000),
	('e8000000-0000-4000-8000-000000000002', 'TAP OD Alpha', 'TAP', 250);
INSERT INTO product_codes (product_id, code)
SELECT p, 'OD-' || left(p::text, 8) || '-' || n
FROM generate_series(1, 4) AS n,
     unnest(ARRAY['e8000000-0000-4000-8000-000000000001', 'e8000000-0000-4000-8000-000000000002']::uuid[]) AS p;
INSERT INTO promo_codes (code, discount_type, discount_value, max_uses)
VALUES ('TAPOD', 'fixed', 100, 10);

-- ann orders 2 x Beta and 1 x Alpha by bank transfer with TAPOD.
CREATE FUNCTION pg_temp.bank_order() RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE
	v_ver bigint;
BEGIN
	SELECT version INTO v_ver FROM api_cart_get(pg_temp.tok('ann')) LIMIT 1;
	SELECT version INTO v_ver FROM api_cart_set(pg_temp.tok('ann'), v_ver, 'e8000000-0000-4000-8000-000000000001', 2);
	SELECT version INTO v_ver FROM api_cart_set(pg_temp.tok('ann'), v_ver, 'e8000000-0000-4000-8000-000000000002', 1);
	RETURN (SELECT order_id FROM api_checkout(pg_temp.tok('ann'), gen_random_uuid(), v_ver, 'TAPOD', 'bank_transfer'));
END
$$;
CREATE TEMP TABLE tap_o AS SELECT pg_temp.bank_order() AS id;
CREATE FUNCTION pg_temp.oid() RETURNS uuid LANGUAGE sql AS $$ SELECT id FROM tap_o $$;

-- The head.
SELECT is((SELECT count(*) FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid())),
          2::bigint, 'one row per item');
SELECT is((SELECT format('%s|%s|%s|%s|%s|%s|%s', status, payment_method, customer_email, subtotal_cents,
                         discount_cents, total_cents, promo_code)
           FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid()) LIMIT 1),
          'awaiting_payment|bank_transfer|tap-od-ann@example.com|2250|100|2150|TAPOD',
          'the head: status, method, customer, amounts, promo');
SELECT is((SELECT count(DISTINCT (order_id, status, total_cents, payment_reference))
           FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid())),
          1::bigint, 'the same head on every row');
SELECT is((SELECT payment_reference FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid()) LIMIT 1),
          bz_payment_reference(pg_temp.oid()), 'the reference is bz_payment_reference''s');
SELECT matches((SELECT payment_reference FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid()) LIMIT 1),
               '^BZ-[0-9A-F]{12}$', 'BZ- and 12 upper-case hex digits');
SELECT is((SELECT string_agg(format('%s x%s @%s =%s', product_name, quantity, unit_price_cents, line_total_cents), ', ')
           FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid())),
          'TAP OD Alpha x1 @250 =250, TAP OD Beta x2 @1000 =2000', 'the items by product name, with prices');
SELECT ok((SELECT expires_at > now() AND decided_at IS NULL AND decided_by_email IS NULL
                  AND placed_by_email IS NULL AND proofs = 0 AND change_seq > 0
           FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid()) LIMIT 1),
          'undecided, not a phone order, no proofs yet, with an expiry and a change_seq');

-- Proofs: a reference alone, then a picture.
DO $$ BEGIN
	PERFORM api_attach_proof(pg_temp.tok('ann'), pg_temp.oid(), 'REF ONLY', NULL, NULL, NULL);
	PERFORM api_attach_proof(pg_temp.tok('ann'), pg_temp.oid(), 'WITH PICTURE', 'receipt.png', 'image/png',
	                         '\x89504e470d0a1a0a0000000d49484452'::bytea);
END $$;
SELECT is((SELECT proofs FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid()) LIMIT 1),
          2::bigint, 'the head counts the proofs');
SELECT is((SELECT string_agg(format('%s|%s|%s|%s|%s', reference, coalesce(file_name, '-'),
                                    coalesce(content_type, '-'), size_bytes, coalesce(sha256, '-')), ' / '
                             ORDER BY size_bytes)
           FROM api_staff_order_proofs(pg_temp.tok('sam'), pg_temp.oid())),
          'REF ONLY|-|-|0|- / WITH PICTURE|receipt.png|image/png|16|'
          || encode(sha256('\x89504e470d0a1a0a0000000d49484452'::bytea), 'hex'),
          'proof metadata: a reference alone has no file; a picture its name, type, size and SHA-256');
SELECT ok((SELECT bool_and(created_at <= now()) FROM api_staff_order_proofs(pg_temp.tok('sam'), pg_temp.oid())),
          'each proof says when it was attached');

-- The picture, exported, and audited.
CREATE TEMP TABLE tap_p AS
SELECT proof_id, size_bytes FROM api_staff_order_proofs(pg_temp.tok('sam'), pg_temp.oid());
SELECT is((SELECT image FROM api_staff_proof_image(pg_temp.tok('sam'),
                                                   (SELECT proof_id FROM tap_p WHERE size_bytes > 0))),
          '\x89504e470d0a1a0a0000000d49484452'::bytea, 'the picture comes back byte for byte');
SELECT is((SELECT format('%s|%s|%s|%s', order_id = pg_temp.oid(), file_name, content_type, size_bytes)
           FROM api_staff_proof_image(pg_temp.tok('sam'), (SELECT proof_id FROM tap_p WHERE size_bytes > 0))),
          't|receipt.png|image/png|16', 'with its order, name, type and size');
SELECT is((SELECT count(*) FROM audit_log
           WHERE action = 'order.proof_exported' AND entity_id = pg_temp.oid()::text
             AND actor_user_id = (SELECT id FROM users WHERE email = 'tap-od-sam@example.com')
             AND details ->> 'proof_id' = (SELECT proof_id::text FROM tap_p WHERE size_bytes > 0)),
          2::bigint, 'every export is an audit row naming the staff member, the order and the proof');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_proof_image(%L, %L)$$, pg_temp.tok('sam'),
                                (SELECT proof_id FROM tap_p WHERE size_bytes = 0))),
          'ZB006', 'a reference without a picture has nothing to export');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_proof_image(%L, gen_random_uuid())$$, pg_temp.tok('sam'))),
          'ZB006', 'an unknown proof: ZB006');
SELECT is((SELECT count(*) FROM audit_log WHERE action = 'order.proof_exported'),
          2::bigint, 'a refused export leaves no audit row');
SELECT is((SELECT count(*) FROM audit_log WHERE action = 'order.proof_exported'
           AND details ->> 'sha256' = encode(sha256('\x89504e470d0a1a0a0000000d49484452'::bytea), 'hex')),
          2::bigint, 'the audit row records the picture''s hash');

-- References for a list.
SELECT is((SELECT string_agg(payment_reference, ',')
           FROM api_staff_payment_references(pg_temp.tok('sam'),
                ARRAY[pg_temp.oid(), gen_random_uuid(), NULL, pg_temp.oid()])),
          bz_payment_reference(pg_temp.oid()), 'references: unknown ids, NULLs and repeats left out');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_payment_references(%L, %L)$$, pg_temp.tok('sam'),
                                (SELECT array_agg(gen_random_uuid()) FROM generate_series(1, 501)))),
          'ZB008', 'more than 500 ids: ZB008');

-- After a decision: who, when, why.
DO $$ BEGIN PERFORM api_staff_approve(pg_temp.tok('sam'), pg_temp.oid(), 'paid in full'); END $$;
SELECT is((SELECT format('%s|%s|%s|%s', status, decided_by_email, decision_reason, decided_at IS NOT NULL)
           FROM api_staff_order_detail(pg_temp.tok('sam'), pg_temp.oid()) LIMIT 1),
          'fulfilled|tap-od-sam@example.com|paid in full|t', 'the decision: status, who, why, when');

-- A phone order names the staff member who placed it.
SELECT is((SELECT placed_by_email FROM api_staff_order_detail(pg_temp.tok('sam'),
               (SELECT order_id FROM api_staff_checkout_for(pg_temp.tok('sam'), 'tap-od-ann@example.com',
                   gen_random_uuid(), ARRAY['e8000000-0000-4000-8000-000000000002'::uuid], ARRAY[1],
                   NULL, 'bank_transfer'))) LIMIT 1),
          'tap-od-sam@example.com', 'a phone order names who placed it');

-- Unknown orders.
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_order_detail(%L, gen_random_uuid())$$, pg_temp.tok('sam'))),
          'ZB006', 'detail of an unknown order: ZB006');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_order_proofs(%L, gen_random_uuid())$$, pg_temp.tok('sam'))),
          'ZB006', 'proofs of an unknown order: ZB006');

-- Who may call them: a customer's token is refused (ZB005), no session ZB004.
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_order_detail(%L, %L)$$, pg_temp.tok('ann'), pg_temp.oid())),
          'ZB005', 'a customer''s token: the detail is refused with ZB005, even of their own order');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_order_proofs(%L, %L)$$, pg_temp.tok('ann'), pg_temp.oid())),
          'ZB005', 'a customer''s token: the proofs are refused with ZB005');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_proof_image(%L, %L)$$, pg_temp.tok('ann'),
                                (SELECT proof_id FROM tap_p WHERE size_bytes > 0))),
          'ZB005', 'a customer''s token: the picture is refused with ZB005');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_payment_references(%L, ARRAY[%L]::uuid[])$$,
                                pg_temp.tok('ann'), pg_temp.oid())),
          'ZB005', 'a customer''s token: the references are refused with ZB005');
SELECT is(pg_temp.sqlerr(format($$SELECT * FROM api_staff_order_detail('nope', %L)$$, pg_temp.oid())),
          'ZB004', 'no session: ZB004');
SELECT is((SELECT count(*) FROM audit_log WHERE action = 'order.proof_exported'),
          2::bigint, 'a refused customer leaves no audit row');
SELECT is((SELECT string_agg(f, ', ') FROM unnest(ARRAY[
               'public.api_staff_order_detail(text, uuid)', 'public.api_staff_order_proofs(text, uuid)',
               'public.api_staff_proof_image(text, uuid)', 'public.api_staff_payment_references(text, uuid[])']) AS f
           WHERE has_function_privilege('bazar_client', f, 'EXECUTE')),
          NULL, 'bazar_client has no EXECUTE on any of them');
SELECT is((SELECT count(*) FROM unnest(ARRAY[
               'public.api_staff_order_detail(text, uuid)', 'public.api_staff_order_proofs(text, uuid)',
               'public.api_staff_proof_image(text, uuid)', 'public.api_staff_payment_references(text, uuid[])']) AS f
           CROSS JOIN (VALUES ('bazar_staff'), ('bazar_tester')) AS r (role)
           WHERE has_function_privilege(r.role, f, 'EXECUTE')),
          8::bigint, 'bazar_staff and bazar_tester may run all four');

SELECT * FROM finish();
ROLLBACK;
