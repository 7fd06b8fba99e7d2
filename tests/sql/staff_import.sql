-- pgTAP: 0018's Inventory: code imports staged with COPY and moved by
-- api_staff_import_finish, stock per product with low-stock thresholds,
-- masked available codes. Who may call them (a customer's token: ZB005;
-- no session: ZB004; bazar_client has no EXECUTE, the bz_ helpers are no
-- one's), what the staff role may do to the staging table (INSERT and
-- COPY only), every kind of refused line with its number, a second
-- finish, another staff member's batch, an abandoned batch, and the
-- same verdicts as 0011's api_staff_import_codes for the same lines.
BEGIN;
SELECT plan(47);

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

DO $$ BEGIN PERFORM api_register(e, 'tap-password', n) FROM (VALUES ('tap-si-ann@example.com', 'Ann'),
	('tap-si-sam@example.com', 'Sam'), ('tap-si-kim@example.com', 'Kim')) AS v (e, n); END $$;
UPDATE users SET is_staff = true WHERE email IN ('tap-si-sam@example.com', 'tap-si-kim@example.com');
CREATE TEMP TABLE tap_tok (who text PRIMARY KEY, token text);
INSERT INTO tap_tok
SELECT split_part(v.e, '@', 1), l.session_token
FROM (VALUES ('tap-si-ann@example.com'), ('tap-si-sam@example.com'), ('tap-si-kim@example.com')) AS v (e)
CROSS JOIN LATERAL api_login(v.e, 'tap-password', gen_random_uuid()) AS l;
SELECT set_config('tap.ann', (SELECT token FROM tap_tok WHERE who = 'tap-si-ann'), false),
       set_config('tap.sam', (SELECT token FROM tap_tok WHERE who = 'tap-si-sam'), false),
       set_config('tap.kim', (SELECT token FROM tap_tok WHERE who = 'tap-si-kim'), false);

INSERT INTO products (id, name, category, price_cents) VALUES
	('e8000000-0000-4000-8000-000000000001', 'TAP SI One', 'TAP', 1000),
	('e8000000-0000-4000-8000-000000000002', 'TAP SI Two', 'TAP', 1000);
-- Distinct created_at: one transaction has one now(), and the claim
-- order (created_at, id) would be the random ids' otherwise.
INSERT INTO product_codes (product_id, code, status, created_at)
VALUES ('e8000000-0000-4000-8000-000000000001', 'IN-STOCK-1', 'available', now() - interval '3 minutes'),
       ('e8000000-0000-4000-8000-000000000001', 'VOID-ME-12345', 'available', now() - interval '2 minutes'),
       ('e8000000-0000-4000-8000-000000000001', 'GONE-1', 'void', now() - interval '1 minute');

-- ------------------------------------------------------- who may call what
SELECT is(pg_temp.sqlerr(format(c, current_setting('tap.ann'))), 'ZB005 user is not staff',
          'a customer''s session gets ZB005 from ' || n)
FROM (VALUES ('api_staff_stock', $$SELECT * FROM api_staff_stock(%L)$$),
             ('api_staff_set_low_stock', $$SELECT * FROM api_staff_set_low_stock(%L, 'e8000000-0000-4000-8000-000000000001', 3)$$),
             ('api_staff_product_codes', $$SELECT * FROM api_staff_product_codes(%L, 'e8000000-0000-4000-8000-000000000001', 10)$$),
             ('api_staff_import_begin', $$SELECT * FROM api_staff_import_begin(%L, 'e8000000-0000-4000-8000-000000000001', 'x')$$),
             ('api_staff_import_finish', $$SELECT * FROM api_staff_import_finish(%L, gen_random_uuid())$$),
             ('api_staff_import_problems', $$SELECT * FROM api_staff_import_problems(%L, gen_random_uuid(), 0, 10)$$)) AS v (n, c);
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_stock('nope')$$),
          'ZB004 session unknown, expired or revoked', 'no session: ZB004');
SELECT is_empty(
	$$SELECT r.rolname || ' ' || f.sig
	  FROM (VALUES ('api_staff_stock(text)'), ('api_staff_set_low_stock(text, uuid, integer)'),
	               ('api_staff_product_codes(text, uuid, integer)'), ('api_staff_import_begin(text, uuid, text)'),
	               ('api_staff_import_finish(text, uuid)'), ('api_staff_import_problems(text, uuid, bigint, integer)')) AS f (sig)
	  CROSS JOIN (VALUES ('bazar_staff'), ('bazar_tester')) AS r (rolname)
	  WHERE NOT has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'bazar_staff and bazar_tester may run the six api functions');
SELECT is_empty(
	$$SELECT r.rolname || ' ' || f.sig
	  FROM (VALUES ('api_staff_stock(text)'), ('api_staff_set_low_stock(text, uuid, integer)'),
	               ('api_staff_product_codes(text, uuid, integer)'), ('api_staff_import_begin(text, uuid, text)'),
	               ('api_staff_import_finish(text, uuid)'), ('api_staff_import_problems(text, uuid, bigint, integer)'),
	               ('bz_import_cleanup()'), ('bz_import_batch(text, uuid)')) AS f (sig)
	  CROSS JOIN (VALUES ('bazar_client'), ('anon'), ('authenticated'), ('public')) AS r (rolname)
	  WHERE has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'bazar_client, anon, authenticated and PUBLIC may run none of them');
SELECT ok(NOT has_function_privilege('bazar_staff', 'bz_import_cleanup()', 'EXECUTE')
          AND NOT has_function_privilege('bazar_staff', 'bz_import_batch(text, uuid)', 'EXECUTE'),
          'the bz_ helpers are not the staff role''s');

SET ROLE bazar_client;
SELECT throws_ok($$SELECT * FROM api_staff_import_begin(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000001', 'x')$$,
                 '42501', 'permission denied for function api_staff_import_begin',
                 'as bazar_client: api_staff_import_begin is denied, even with a staff token');
SELECT throws_ok($$INSERT INTO bazar_staging.code_import_lines VALUES (gen_random_uuid(), 1, 'x', NULL)$$,
                 '42501', NULL, 'as bazar_client: the staging table takes no line');
RESET ROLE;

-- ------------------------------------------------- the staging table's wall
SET ROLE bazar_staff;
SELECT throws_ok($$SELECT * FROM bazar_staging.code_import_lines$$, '42501', NULL,
                 'as bazar_staff: staged lines cannot be read');
SELECT throws_ok($$DELETE FROM bazar_staging.code_import_lines$$, '42501', NULL,
                 'as bazar_staff: staged lines cannot be deleted');
SELECT throws_ok($$UPDATE bazar_staging.code_import_lines SET raw = 'x'$$, '42501', NULL,
                 'as bazar_staff: staged lines cannot be changed');
SELECT throws_ok($$INSERT INTO product_codes (product_id, code) VALUES ('e8000000-0000-4000-8000-000000000001', 'X')$$,
                 '42501', NULL, 'as bazar_staff: product_codes takes no row directly');
SELECT is(pg_temp.sqlerr($$INSERT INTO bazar_staging.code_import_lines VALUES ('e8000000-0000-4000-8000-00000000ffff', 1, 'x', NULL)$$),
          'ZB006 batch_id=e8000000-0000-4000-8000-00000000ffff', 'as bazar_staff: a line of an unknown batch is refused');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_import_begin(current_setting('tap.sam'), 'e8000000-0000-4000-8000-00000000ffff', 'x')$$),
          'ZB006 product_id=e8000000-0000-4000-8000-00000000ffff', 'begin for an unknown product: ZB006');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_import_begin(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000001', E'a\tb')$$),
          'ZB008 label', 'a label with a control character: ZB008');

-- ------------------------------------------------ an import through COPY
SELECT is((SELECT product_name FROM api_staff_import_begin(current_setting('tap.sam'),
                 'e8000000-0000-4000-8000-000000000001', 'codes.txt')), 'TAP SI One', 'begin names the product');
RESET ROLE;
-- A known id, so the COPY data below can name the batch.
UPDATE code_import_batches SET id = 'e8000000-0000-4000-8000-0000000000b1' WHERE label = 'codes.txt';
SET ROLE bazar_staff;
COPY bazar_staging.code_import_lines (batch_id, line_no, raw, flaw) FROM STDIN;
e8000000-0000-4000-8000-0000000000b1	1	NEW-A	\N
e8000000-0000-4000-8000-0000000000b1	2	  NEW-B  	\N
e8000000-0000-4000-8000-0000000000b1	3		\N
e8000000-0000-4000-8000-0000000000b1	4	NEW-A	\N
e8000000-0000-4000-8000-0000000000b1	5	IN-STOCK-1	\N
e8000000-0000-4000-8000-0000000000b1	6	GONE-1	\N
e8000000-0000-4000-8000-0000000000b1	7	BAD\tTAB	\N
e8000000-0000-4000-8000-0000000000b1	8		not_utf8
e8000000-0000-4000-8000-0000000000b1	9	XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX	\N
e8000000-0000-4000-8000-0000000000b1	10	   	\N
e8000000-0000-4000-8000-0000000000b1	11	NEW-B	\N
e8000000-0000-4000-8000-0000000000b1	12	NEW-C	\N
\.
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_import_finish(current_setting('tap.kim'), 'e8000000-0000-4000-8000-0000000000b1')$$),
          'ZB005 batch_id=e8000000-0000-4000-8000-0000000000b1', 'another staff member cannot finish the batch: ZB005');
SELECT is((SELECT format('%s %s %s %s %s', lines, imported, duplicates, malformed, again)
           FROM api_staff_import_finish(current_setting('tap.sam'), 'e8000000-0000-4000-8000-0000000000b1')),
          '12 3 4 5 f', 'finish: 12 lines, 3 imported, 4 duplicates, 5 malformed');
SELECT results_eq(
	$$SELECT line_no, kind, reason, first_line
	  FROM api_staff_import_problems(current_setting('tap.sam'), 'e8000000-0000-4000-8000-0000000000b1', 0, 100)$$,
	$$VALUES (3::bigint, 'malformed'::text, 'empty line'::text, NULL::bigint),
	         (4, 'duplicate', 'repeats line 1', 1),
	         (5, 'duplicate', 'already in stock', NULL),
	         (6, 'duplicate', 'already in stock', NULL),
	         (7, 'malformed', 'control characters', NULL),
	         (8, 'malformed', 'not UTF-8 text', NULL),
	         (9, 'malformed', 'longer than 200 characters', NULL),
	         (10, 'malformed', 'empty line', NULL),
	         (11, 'duplicate', 'repeats line 2', 2)$$,
	'every refused line with its number and reason; a repeat names the first line');
SELECT results_eq(
	$$SELECT line_no FROM api_staff_import_problems(current_setting('tap.sam'), 'e8000000-0000-4000-8000-0000000000b1', 5, 2)$$,
	$$VALUES (6::bigint), (7::bigint)$$, 'problems page on after a line number');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_import_problems(current_setting('tap.sam'), 'e8000000-0000-4000-8000-0000000000b1', 0, 0)$$),
          'ZB008 limit=0', 'a problems page of 0: ZB008');
SELECT is((SELECT format('%s %s %s %s %s', lines, imported, duplicates, malformed, again)
           FROM api_staff_import_finish(current_setting('tap.sam'), 'e8000000-0000-4000-8000-0000000000b1')),
          '12 3 4 5 t', 'a second finish reports the first one''s totals');
SELECT is(pg_temp.sqlerr($$INSERT INTO bazar_staging.code_import_lines VALUES ('e8000000-0000-4000-8000-0000000000b1', 13, 'LATE', NULL)$$),
          'ZB006 batch_id=e8000000-0000-4000-8000-0000000000b1', 'a finished batch takes no more lines');
RESET ROLE;

SELECT results_eq(
	$$SELECT code FROM product_codes WHERE product_id = 'e8000000-0000-4000-8000-000000000001'
	  AND code LIKE 'NEW-%' ORDER BY created_at$$,
	$$VALUES ('NEW-A'::text), ('NEW-B'::text), ('NEW-C'::text)$$,
	'the three good codes landed, trimmed, in file order');
SELECT is((SELECT count(*) FROM bazar_staging.code_import_lines), 0::bigint, 'the staged lines are gone');
SELECT is((SELECT details->>'imported' || ' ' || (details->>'duplicate') || ' ' || (details->>'invalid') || ' ' || (details->>'file')
           FROM audit_log WHERE action = 'codes.imported'
             AND actor_user_id = (SELECT id FROM users WHERE email = 'tap-si-sam@example.com')),
          '3 4 5 codes.txt', 'one audit row with the counts and the file, the staff member as actor');

-- The same lines through 0011's api_staff_import_codes (for product Two,
-- where IN-STOCK-1 and GONE-1 are new): the same verdicts on the lines
-- both can carry (0011 takes no flaw, and it cannot tell why).
SELECT is((SELECT string_agg(result, ',' ORDER BY ord)
           FROM api_staff_import_codes(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000002',
                ARRAY['NEW-A', '  NEW-B  ', '', 'NEW-A', E'BAD\tTAB', repeat('X', 201), '   ', 'NEW-B'])
                WITH ORDINALITY AS r (code, result, ord)),
          'imported,imported,invalid,duplicate,invalid,invalid,invalid,duplicate',
          '0011 judges the same lines the same way');
DO $$ BEGIN PERFORM * FROM api_staff_import_begin(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000002', 'two.txt'); END $$;
INSERT INTO bazar_staging.code_import_lines
SELECT (SELECT id FROM code_import_batches WHERE label = 'two.txt'), o, c, NULL
FROM unnest(ARRAY['NEW-A', '  NEW-B  ', '', 'NEW-A', E'BAD\tTAB', repeat('X', 201), '   ', 'NEW-B', 'NEW-Z']) WITH ORDINALITY AS u (c, o);
SELECT is((SELECT format('%s %s %s %s', lines, imported, duplicates, malformed)
           FROM api_staff_import_finish(current_setting('tap.sam'), (SELECT id FROM code_import_batches WHERE label = 'two.txt'))),
          '9 1 4 4', 'and 0018 too: codes 0011 imported a moment ago are in stock now');

-- ------------------------------------------------------- abandoned batches
DO $$ BEGIN PERFORM * FROM api_staff_import_begin(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000001', 'old.txt'); END $$;
INSERT INTO bazar_staging.code_import_lines
SELECT (SELECT id FROM code_import_batches WHERE label = 'old.txt'), 1, 'OLD-1', NULL;
UPDATE code_import_batches SET created_at = now() - interval '61 minutes' WHERE label = 'old.txt';
SELECT is(bz_import_cleanup(), 1, 'cleanup abandons a batch open for over an hour');
SELECT is((SELECT status FROM code_import_batches WHERE label = 'old.txt'), 'abandoned', 'it is marked abandoned');
SELECT is((SELECT count(*) FROM bazar_staging.code_import_lines), 0::bigint, 'and its staged lines are deleted');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_import_finish(current_setting('tap.sam'), (SELECT id FROM code_import_batches WHERE label = 'old.txt'))$$),
          format('ZB008 batch_id=%s', (SELECT id FROM code_import_batches WHERE label = 'old.txt')),
          'finishing an abandoned batch: ZB008');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_import_finish(current_setting('tap.sam'), 'e8000000-0000-4000-8000-00000000ffff')$$),
          'ZB006 batch_id=e8000000-0000-4000-8000-00000000ffff', 'finishing an unknown batch: ZB006');

-- ---------------------------------------------------------------- stock
SET ROLE bazar_staff;
SELECT is((SELECT format('%s %s %s %s %s %s', available, reserved, sold, voided, low_stock_threshold, low)
           FROM api_staff_stock(current_setting('tap.sam')) WHERE product_id = 'e8000000-0000-4000-8000-000000000001'),
          '5 0 0 1 10 t', 'stock of One: 5 available, 1 void, the shop''s threshold 10, low');
SELECT is((SELECT format('%s %s', low_stock_threshold, previous)
           FROM api_staff_set_low_stock(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000001', 5)),
          '5 10', 'set the threshold of One to 5 (was 10)');
SELECT is((SELECT format('%s %s', low_stock_threshold, low)
           FROM api_staff_stock(current_setting('tap.sam')) WHERE product_id = 'e8000000-0000-4000-8000-000000000001'),
          '5 f', 'at 5 available and a threshold of 5 it is not low');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_set_low_stock(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000001', -1)$$),
          'ZB008 threshold', 'a negative threshold: ZB008');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_set_low_stock(current_setting('tap.sam'), 'e8000000-0000-4000-8000-00000000ffff', 1)$$),
          'ZB006 product_id=e8000000-0000-4000-8000-00000000ffff', 'an unknown product: ZB006');
SELECT results_eq(
	$$SELECT masked FROM api_staff_product_codes(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000001', 2)$$,
	$$VALUES ('IN-*****-1'::text), ('VOI********45'::text)$$,
	'available codes, oldest first, masked');
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_staff_product_codes(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000001', 501)$$),
          'ZB008 limit=501', 'a code page of 501: ZB008');
SELECT is((SELECT outcome FROM api_staff_void_code(current_setting('tap.sam'), 'e8000000-0000-4000-8000-000000000001', 'VOID-ME-12345', 'leaked')),
          'voided', 'void one code (0011)');
SELECT is((SELECT format('%s %s', available, voided)
           FROM api_staff_stock(current_setting('tap.sam')) WHERE product_id = 'e8000000-0000-4000-8000-000000000001'),
          '4 2', 'the stock shows it voided');
RESET ROLE;
SELECT is((SELECT details->>'threshold' || ' ' || (details->>'previous') FROM audit_log
           WHERE action = 'stock.threshold_set' AND entity_id = 'e8000000-0000-4000-8000-000000000001'),
          '5 10', 'the threshold change is audited with the previous value');

SELECT * FROM finish();
ROLLBACK;
