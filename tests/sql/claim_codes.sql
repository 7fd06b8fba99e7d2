-- pgTAP: claim_product_codes_atomic(product, quantity, order) claims exactly
-- N available codes of that product for that order, oldest first, or
-- claims nothing and raises ZB001 (out of stock); ZB008 for bad arguments.
BEGIN;
SELECT plan(20);

INSERT INTO users (id, email, password_hash)
VALUES ('d0000000-0000-4000-8000-000000000001', 'tap-claim@example.com', 'x');
INSERT INTO products (id, name, category, price_cents)
VALUES ('d1000000-0000-4000-8000-000000000001', 'TAP claim product', 'TAP', 500),
       ('d1000000-0000-4000-8000-000000000002', 'TAP other product', 'TAP', 500);
INSERT INTO orders (id, user_id, status, subtotal_cents, discount_cents, total_cents)
VALUES ('d2000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000001', 'pending', 0, 0, 0),
       ('d2000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000001', 'pending', 0, 0, 0),
       ('d2000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-000000000001', 'pending', 0, 0, 0);
-- Five available codes C1..C5 (C1 oldest), one void code that must never
-- be handed out, and stock of another product that must stay untouched.
INSERT INTO product_codes (product_id, code, created_at)
SELECT 'd1000000-0000-4000-8000-000000000001', 'C' || n, timestamptz '2024-01-01 00:00+00' + n * interval '1 minute'
FROM generate_series(1, 5) AS n;
INSERT INTO product_codes (product_id, code, status, created_at)
VALUES ('d1000000-0000-4000-8000-000000000001', 'VOID', 'void', timestamptz '2023-01-01 00:00+00');
INSERT INTO product_codes (product_id, code)
SELECT 'd1000000-0000-4000-8000-000000000002', 'OTHER' || n FROM generate_series(1, 4) AS n;

SELECT results_eq(
	$$SELECT code FROM claim_product_codes_atomic('d1000000-0000-4000-8000-000000000001', 2,
	                                               'd2000000-0000-4000-8000-000000000001')$$,
	ARRAY['C1', 'C2'],
	'claiming 2 returns exactly the 2 oldest available codes');
SELECT results_eq(
	$$SELECT code, status, order_id, used_at IS NOT NULL FROM product_codes
	  WHERE order_id = 'd2000000-0000-4000-8000-000000000001' ORDER BY code$$,
	$$VALUES ('C1', 'sold', 'd2000000-0000-4000-8000-000000000001'::uuid, true),
	         ('C2', 'sold', 'd2000000-0000-4000-8000-000000000001'::uuid, true)$$,
	'the claimed codes are sold, on that order, with used_at set');
SELECT is((SELECT count(*) FROM product_codes
           WHERE product_id = 'd1000000-0000-4000-8000-000000000001' AND status = 'available'),
          3::bigint, '3 codes remain available');

-- more than available: ZB001 and nothing claimed
SELECT throws_ok(
	$$SELECT * FROM claim_product_codes_atomic('d1000000-0000-4000-8000-000000000001', 4,
	                                            'd2000000-0000-4000-8000-000000000002')$$,
	'ZB001', 'out of stock',
	'claiming 4 of 3 raises ZB001 out of stock');
SELECT is((SELECT count(*) FROM product_codes
           WHERE product_id = 'd1000000-0000-4000-8000-000000000001' AND status = 'available'),
          3::bigint, 'after ZB001 all 3 codes are still available');
SELECT is((SELECT count(*) FROM product_codes WHERE order_id = 'd2000000-0000-4000-8000-000000000002'),
          0::bigint, 'after ZB001 the order holds no code');

-- bad quantities and ids: ZB008, nothing claimed
SELECT throws_ok(
	$$SELECT * FROM claim_product_codes_atomic('d1000000-0000-4000-8000-000000000001', 0,
	                                            'd2000000-0000-4000-8000-000000000002')$$,
	'ZB008', 'quantity must be at least 1', 'quantity 0 raises ZB008');
SELECT throws_ok(
	$$SELECT * FROM claim_product_codes_atomic('d1000000-0000-4000-8000-000000000001', -1,
	                                            'd2000000-0000-4000-8000-000000000002')$$,
	'ZB008', 'quantity must be at least 1', 'a negative quantity raises ZB008');
SELECT throws_ok(
	$$SELECT * FROM claim_product_codes_atomic('d1000000-0000-4000-8000-000000000001', NULL,
	                                            'd2000000-0000-4000-8000-000000000002')$$,
	'ZB008', 'quantity must be at least 1', 'a NULL quantity raises ZB008');
SELECT throws_ok(
	$$SELECT * FROM claim_product_codes_atomic('d1000000-0000-4000-8000-000000000001', 1, NULL)$$,
	'ZB008', 'product and order are required', 'a NULL order raises ZB008');
SELECT throws_ok(
	$$SELECT * FROM claim_product_codes_atomic('d1000000-0000-4000-8000-0000000000ff', 1,
	                                            'd2000000-0000-4000-8000-000000000002')$$,
	'ZB001', 'out of stock', 'an unknown product is out of stock (ZB001)');

-- exactly the rest, then nothing left
SELECT results_eq(
	$$SELECT code FROM claim_product_codes_atomic('d1000000-0000-4000-8000-000000000001', 3,
	                                               'd2000000-0000-4000-8000-000000000002')$$,
	ARRAY['C3', 'C4', 'C5'],
	'claiming exactly the 3 remaining codes returns them');
SELECT throws_ok(
	$$SELECT * FROM claim_product_codes_atomic('d1000000-0000-4000-8000-000000000001', 1,
	                                            'd2000000-0000-4000-8000-000000000003')$$,
	'ZB001', 'out of stock', 'claiming 1 when none is left raises ZB001');
SELECT is((SELECT status FROM product_codes WHERE code = 'VOID'), 'void', 'a void code is never claimed');
SELECT is((SELECT count(*) FROM product_codes
           WHERE product_id = 'd1000000-0000-4000-8000-000000000002' AND status = 'available'),
          4::bigint, 'another product''s codes are untouched');
SELECT is((SELECT count(DISTINCT order_id) FROM product_codes
           WHERE product_id = 'd1000000-0000-4000-8000-000000000001' AND status = 'sold'),
          2::bigint, 'the sold codes are on the two successful orders only');

-- A code locked by another in-flight checkout is skipped, not waited on.
-- One session cannot block itself, so the race tests exercise that; here
-- only the statement is checked.
SELECT ok(pg_get_functiondef('claim_product_codes_atomic(uuid, integer, uuid)'::regprocedure)
          ~* 'FOR\s+UPDATE\s+SKIP\s+LOCKED',
          'claim_product_codes_atomic uses FOR UPDATE SKIP LOCKED');
SELECT ok((SELECT 'search_path=public, pg_temp' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'claim_product_codes_atomic(uuid, integer, uuid)'::regprocedure),
          'claim_product_codes_atomic pins search_path');
SELECT is((SELECT count(*) FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = 'product_codes' AND column_name = 'used_at'
             AND data_type = 'timestamp with time zone'),
          1::bigint, 'product_codes.used_at exists as timestamptz');
SELECT function_returns('public', 'claim_product_codes_atomic', ARRAY['uuid', 'integer', 'uuid'],
                        'setof record', 'claim_product_codes_atomic returns a set of (code_id, code)');

SELECT * FROM finish();
ROLLBACK;
