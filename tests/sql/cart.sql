-- pgTAP: 0008's cart and catalog. The server-side cart: versions, stale
-- changes refused with ZB009 and the current version (no lost update
-- between two terminals), limits (ZB008), unknown or withdrawn products
-- (ZB006), one cart per user seen from every terminal. The catalog: keyset
-- pages, category filter, literal search, live stock, categories, one
-- product. And who may call what.
BEGIN;
SELECT plan(59);

UPDATE shop_settings SET value = '4' WHERE key = 'bcrypt_cost';
-- Hide whatever the database already holds; rolled back.
UPDATE products SET is_active = false;

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

INSERT INTO products (id, name, category, price_cents, is_active)
VALUES ('c1000000-0000-4000-8000-000000000001', 'Alpha Card', 'TAP Cards', 1000, true),
       ('c1000000-0000-4000-8000-000000000002', 'Beta Card', 'TAP Cards', 2500, true),
       ('c1000000-0000-4000-8000-000000000003', 'Gamma_Game', 'TAP Games', 999, true),
       ('c1000000-0000-4000-8000-000000000004', 'Delta Game', 'TAP Games', 1999, true),
       ('c1000000-0000-4000-8000-000000000005', 'Old Card', 'TAP Cards', 500, false),
       ('c1000000-0000-4000-8000-000000000006', 'Zeta 100% Tool', 'TAP Tools', 4000, true);
INSERT INTO product_codes (product_id, code)
SELECT 'c1000000-0000-4000-8000-000000000001', 'A' || n FROM generate_series(1, 3) AS n;
INSERT INTO product_codes (product_id, code, status)
VALUES ('c1000000-0000-4000-8000-000000000001', 'AVOID', 'void');

SELECT lives_ok($$SELECT * FROM api_register('tap-cart-a@example.com', 'password a', 'A')$$, 'register A');
SELECT lives_ok($$SELECT * FROM api_register('tap-cart-b@example.com', 'password b', 'B')$$, 'register B');
CREATE TEMP TABLE tap_tok AS
SELECT 'a1'::text AS k, session_token AS t FROM api_login('tap-cart-a@example.com', 'password a', gen_random_uuid())
UNION ALL
SELECT 'a2', session_token FROM api_login('tap-cart-a@example.com', 'password a', gen_random_uuid())
UNION ALL
SELECT 'b', session_token FROM api_login('tap-cart-b@example.com', 'password b', gen_random_uuid());
CREATE FUNCTION pg_temp.tok(p_k text) RETURNS text LANGUAGE sql AS $$ SELECT t FROM tap_tok WHERE k = p_k $$;

-- an empty cart
SELECT results_eq(
	$$SELECT version, product_id, quantity FROM api_cart_get(pg_temp.tok('a1'))$$,
	$$VALUES (0::bigint, NULL::uuid, NULL::integer)$$,
	'a new cart: one row, version 0, no product');

-- set, get, versions
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a1'), 0, 'c1000000-0000-4000-8000-000000000001', 2)),
          1::bigint, 'adding a line against version 0 gives version 1');
SELECT results_eq(
	$$SELECT version, name, category, unit_price_cents, quantity, line_total_cents, available, is_active
	  FROM api_cart_get(pg_temp.tok('a1'))$$,
	$$VALUES (1::bigint, 'Alpha Card', 'TAP Cards', 1000::bigint, 2, 2000::bigint, 3::bigint, true)$$,
	'the line has the database price, line total and live stock (void codes not counted)');
SELECT results_eq(
	$$SELECT * FROM api_cart_get(pg_temp.tok('a2'))$$,
	$$SELECT * FROM api_cart_get(pg_temp.tok('a1'))$$,
	'a second terminal of the same user sees the same cart');
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a2'), 1, 'c1000000-0000-4000-8000-000000000002', 1)),
          2::bigint, 'the second terminal changes it against version 1: version 2');

-- two terminals, one stale change
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 1, 'c1000000-0000-4000-8000-000000000001', 5)$$),
          'ZB009 version=2', 'a change against the old version 1: ZB009 with the current version 2');
SELECT throws_ok($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 1, 'c1000000-0000-4000-8000-000000000001', 5)$$,
                 'ZB009', 'Your cart changed, please review it.', 'ZB009''s message');
SELECT results_eq(
	$$SELECT name, quantity FROM api_cart_get(pg_temp.tok('a1')) ORDER BY name$$,
	$$VALUES ('Alpha Card', 2), ('Beta Card', 1)$$,
	'the refused change changed nothing and the other terminal''s change is kept (no lost update)');
SELECT is((SELECT version FROM api_cart_get(pg_temp.tok('a1')) LIMIT 1), 2::bigint, 'the version is still 2');

-- quantity changes and removal
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a1'), 2, 'c1000000-0000-4000-8000-000000000001', 5)),
          3::bigint, 'setting a new quantity for a line: version 3');
SELECT is((SELECT quantity FROM api_cart_get(pg_temp.tok('a1')) WHERE name = 'Alpha Card'), 5,
          'the quantity is replaced, not added (the client merges)');
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a1'), 3, 'c1000000-0000-4000-8000-000000000002', 0)),
          4::bigint, 'quantity 0 removes the line: version 4');
SELECT results_eq($$SELECT name FROM api_cart_get(pg_temp.tok('a1'))$$, $$VALUES ('Alpha Card')$$,
                  'Beta Card is gone');
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a1'), 4, 'c1000000-0000-4000-8000-000000000002', 0)),
          5::bigint, 'removing a line that is not there still bumps the version');

-- bad input
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 5, 'c1000000-0000-4000-8000-000000000001', 11)$$),
          'ZB008 quantity=11 max=10', 'quantity above cart_max_quantity (10): ZB008');
SELECT throws_ok($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 5, 'c1000000-0000-4000-8000-000000000001', -1)$$,
                 'ZB008', 'The quantity must be between 0 and 10.', 'negative quantity: ZB008');
SELECT throws_ok($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 5, 'c1000000-0000-4000-8000-000000000001', NULL)$$,
                 'ZB008', NULL, 'NULL quantity: ZB008');
SELECT throws_ok($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 5, NULL, 1)$$,
                 'ZB008', 'No product was given.', 'NULL product: ZB008');
SELECT throws_ok($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), NULL, 'c1000000-0000-4000-8000-000000000001', 1)$$,
                 'ZB008', 'The cart version is missing.', 'NULL expected version: ZB008');
SELECT throws_ok($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 5, 'c1000000-0000-4000-8000-0000000000ff', 1)$$,
                 'ZB006', 'This product is not available.', 'unknown product: ZB006');
SELECT throws_ok($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 5, 'c1000000-0000-4000-8000-000000000005', 1)$$,
                 'ZB006', 'This product is not available.', 'withdrawn product: ZB006');
SELECT throws_ok($$SELECT * FROM api_cart_set(repeat('0', 64), 0, 'c1000000-0000-4000-8000-000000000001', 1)$$,
                 'ZB004', 'Please log in again.', 'no session: ZB004');
SELECT is((SELECT version FROM api_cart_get(pg_temp.tok('a1')) LIMIT 1), 5::bigint,
          'refused changes leave the version alone');

-- a product withdrawn while in the cart can still be removed
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a1'), 5, 'c1000000-0000-4000-8000-000000000004', 1)),
          6::bigint, 'add Delta Game');
UPDATE products SET is_active = false WHERE id = 'c1000000-0000-4000-8000-000000000004';
SELECT is((SELECT is_active FROM api_cart_get(pg_temp.tok('a1')) WHERE name = 'Delta Game'), false,
          'the cart shows a withdrawn product as not active');
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a1'), 6, 'c1000000-0000-4000-8000-000000000004', 0)),
          7::bigint, 'a withdrawn product''s line can be removed');
UPDATE products SET is_active = true WHERE id = 'c1000000-0000-4000-8000-000000000004';

-- the line limit
UPDATE shop_settings SET value = '2' WHERE key = 'cart_max_lines';
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a1'), 7, 'c1000000-0000-4000-8000-000000000002', 1)),
          8::bigint, 'a second line (cart_max_lines 2)');
SELECT throws_ok($$SELECT * FROM api_cart_set(pg_temp.tok('a1'), 8, 'c1000000-0000-4000-8000-000000000003', 1)$$,
                 'ZB008', 'A cart holds at most 2 different products.', 'a third line: ZB008');
SELECT is((SELECT version FROM api_cart_set(pg_temp.tok('a1'), 8, 'c1000000-0000-4000-8000-000000000002', 3)),
          9::bigint, 'changing an existing line at the limit is fine');
UPDATE shop_settings SET value = '20' WHERE key = 'cart_max_lines';

-- carts are per user
SELECT results_eq(
	$$SELECT version, product_id FROM api_cart_get(pg_temp.tok('b'))$$,
	$$VALUES (0::bigint, NULL::uuid)$$,
	'another user''s cart is their own (empty, version 0)');

-- clear
SELECT is(pg_temp.sqlerr($$SELECT * FROM api_cart_clear(pg_temp.tok('a2'), 8)$$), 'ZB009 version=9',
          'clearing against a stale version: ZB009');
SELECT is((SELECT version FROM api_cart_clear(pg_temp.tok('a2'), 9)), 10::bigint, 'clearing: version 10');
SELECT results_eq(
	$$SELECT version, product_id FROM api_cart_get(pg_temp.tok('a1'))$$,
	$$VALUES (10::bigint, NULL::uuid)$$,
	'the cleared cart is empty and keeps its version');
SELECT ok((SELECT started_at <= clock_timestamp() FROM api_cart_clear(pg_temp.tok('a1'), 10)),
          'changing calls return started_at');

-- the catalog: keyset pages
SELECT results_eq(
	$$SELECT name, category, price_cents, stock FROM api_catalog_page(NULL, NULL, NULL, NULL, NULL, 500)$$,
	$$VALUES ('Alpha Card', 'TAP Cards', 1000::bigint, 3::bigint),
	         ('Beta Card', 'TAP Cards', 2500::bigint, 0::bigint),
	         ('Delta Game', 'TAP Games', 1999::bigint, 0::bigint),
	         ('Gamma_Game', 'TAP Games', 999::bigint, 0::bigint),
	         ('Zeta 100% Tool', 'TAP Tools', 4000::bigint, 0::bigint)$$,
	'the whole catalog: active products by category, name; stock = available codes');
SELECT results_eq(
	$$SELECT name FROM api_catalog_page(NULL, NULL, NULL, NULL, NULL, 2)$$,
	$$VALUES ('Alpha Card'), ('Beta Card')$$,
	'page 1 of 2 rows');
SELECT results_eq(
	$$SELECT name FROM api_catalog_page(NULL, NULL, 'TAP Cards', 'Beta Card', 'c1000000-0000-4000-8000-000000000002', 2)$$,
	$$VALUES ('Delta Game'), ('Gamma_Game')$$,
	'page 2 starts after the last row of page 1');
SELECT results_eq(
	$$SELECT name FROM api_catalog_page(NULL, NULL, 'TAP Games', 'Gamma_Game', 'c1000000-0000-4000-8000-000000000003', 2)$$,
	$$VALUES ('Zeta 100% Tool')$$,
	'the last page is short');
SELECT is_empty(
	$$SELECT 1 FROM api_catalog_page(NULL, NULL, 'TAP Tools', 'Zeta 100% Tool', 'c1000000-0000-4000-8000-000000000006', 2)$$,
	'after the last row: an empty page');
SELECT results_eq(
	$$SELECT name FROM api_catalog_page(NULL, 'TAP Games', NULL, NULL, NULL, 10)$$,
	$$VALUES ('Delta Game'), ('Gamma_Game')$$,
	'a category filter');
SELECT results_eq(
	$$SELECT name FROM api_catalog_page(NULL, 'TAP Games', 'TAP Games', 'Delta Game', 'c1000000-0000-4000-8000-000000000004', 10)$$,
	$$VALUES ('Gamma_Game')$$,
	'a category filter with a page position');
SELECT results_eq($$SELECT name FROM api_catalog_page('_', NULL, NULL, NULL, NULL, 10)$$,
                  $$VALUES ('Gamma_Game')$$, 'search is literal: _ matches only an underscore');
SELECT results_eq($$SELECT name FROM api_catalog_page('100%', NULL, NULL, NULL, NULL, 10)$$,
                  $$VALUES ('Zeta 100% Tool')$$, 'search is literal: % matches only a percent sign');
SELECT results_eq($$SELECT name FROM api_catalog_page('card', NULL, NULL, NULL, NULL, 10)$$,
                  $$VALUES ('Alpha Card'), ('Beta Card')$$,
                  'search is case-insensitive, matches name or category, never a withdrawn product');
SELECT results_eq($$SELECT name FROM api_catalog_page('', NULL, NULL, NULL, NULL, 10)$$,
                  $$SELECT name FROM api_catalog_page(NULL, NULL, NULL, NULL, NULL, 10)$$,
                  'an empty search is no search');
SELECT throws_ok($$SELECT * FROM api_catalog_page(NULL, NULL, NULL, NULL, NULL, 0)$$,
                 'ZB008', 'The page size must be between 1 and 500.', 'limit 0: ZB008');
SELECT throws_ok($$SELECT * FROM api_catalog_page(NULL, NULL, NULL, NULL, NULL, 501)$$,
                 'ZB008', NULL, 'limit 501: ZB008');
SELECT throws_ok($$SELECT * FROM api_catalog_page(NULL, NULL, 'TAP Cards', NULL, 'c1000000-0000-4000-8000-000000000002', 10)$$,
                 'ZB008', 'The page position needs category, name and id together.', 'a partial page position: ZB008');

-- the keyset is an index range, never a sort of the table
CREATE FUNCTION pg_temp.plan_of(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	v_line text;
	v_plan text := '';
BEGIN
	FOR v_line IN EXECUTE 'EXPLAIN ' || p_sql LOOP
		v_plan := v_plan || v_line || E'\n';
	END LOOP;
	RETURN v_plan;
END
$$;
SET LOCAL enable_seqscan = off;
CREATE TEMP TABLE tap_plan AS
SELECT pg_temp.plan_of($$SELECT pr.id FROM public.products AS pr WHERE pr.is_active
	AND (pr.category, pr.name, pr.id) > ('TAP Cards', 'Beta Card', 'c1000000-0000-4000-8000-000000000002'::uuid)
	ORDER BY pr.category, pr.name, pr.id LIMIT 2$$) AS p;
SELECT ok((SELECT p ~ 'Index Cond: \(ROW\(category, name, id\) > ' AND p ~ 'products_catalog_keyset_idx'
                  AND p !~ 'Sort' FROM tap_plan),
          'the page query is a range of products_catalog_keyset_idx with no sort');
RESET enable_seqscan;

-- categories and one product
SELECT results_eq($$SELECT * FROM api_categories() WHERE category LIKE 'TAP %'$$,
                  $$VALUES ('TAP Cards', 2::bigint), ('TAP Games', 2::bigint), ('TAP Tools', 1::bigint)$$,
                  'api_categories counts active products per category');
SELECT results_eq($$SELECT name, price_cents, stock FROM api_product('c1000000-0000-4000-8000-000000000001')$$,
                  $$VALUES ('Alpha Card', 1000::bigint, 3::bigint)$$, 'api_product');
SELECT throws_ok($$SELECT * FROM api_product('c1000000-0000-4000-8000-000000000005')$$,
                 'ZB006', 'This product is not available.', 'api_product of a withdrawn product: ZB006');
SELECT throws_ok($$SELECT * FROM api_product(NULL)$$, 'ZB006', NULL, 'api_product(NULL): ZB006');

-- who may call what
SELECT is_empty(
	$$SELECT r.rolname || ' cannot run ' || f.sig
	  FROM (VALUES ('bazar_client'), ('bazar_staff'), ('bazar_tester')) AS r (rolname)
	  CROSS JOIN (VALUES ('api_cart_get(text)'), ('api_cart_set(text, bigint, uuid, integer)'),
	                     ('api_cart_clear(text, bigint)'), ('api_catalog_page(text, text, text, text, uuid, integer)'),
	                     ('api_categories()'), ('api_product(uuid)')) AS f (sig)
	  WHERE NOT has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'bazar_client, bazar_staff and bazar_tester may run the cart and catalog API');
SELECT is_empty(
	$$SELECT r.rolname || ' can run ' || f.sig
	  FROM (VALUES ('bazar_client'), ('bazar_staff'), ('bazar_tester'), ('anon'), ('authenticated')) AS r (rolname)
	  CROSS JOIN (VALUES ('bz_cart_lock(uuid)'), ('bz_cart_check_version(bigint, bigint)')) AS f (sig)
	  WHERE has_function_privilege(r.rolname, f.sig, 'EXECUTE')$$,
	'no client role may run the internal cart helpers');
SET ROLE bazar_client;
SELECT throws_ok($$SELECT * FROM cart_lines$$, '42501', NULL, 'as bazar_client: cart_lines cannot be read directly');
SELECT lives_ok($$SELECT * FROM api_catalog_page(NULL, NULL, NULL, NULL, NULL, 10)$$,
                'as bazar_client: api_catalog_page works');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
