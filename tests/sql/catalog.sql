-- pgTAP: catalog_page(search, limit, offset), the kiosk's catalog read.
-- Active products only, live stock, ordered by category, name, id; search
-- is a literal case-insensitive substring; bad paging raises ZB008.
BEGIN;
SELECT plan(16);

-- Hide whatever the database already holds (demo data); rolled back.
UPDATE products SET is_active = false;

INSERT INTO products (id, name, category, price_cents, is_active)
VALUES ('b1000000-0000-4000-8000-000000000001', 'Bonus 100% Card', 'TAP Gift cards', 1000, true),
       ('b1000000-0000-4000-8000-000000000002', 'Plain Card', 'TAP Gift cards', 2000, true),
       ('b1000000-0000-4000-8000-000000000003', 'Snake_Case Game', 'TAP Games', 3000, true),
       ('b1000000-0000-4000-8000-000000000004', 'Retired Card 100', 'TAP Gift cards', 4000, false),
       ('b1000000-0000-4000-8000-000000000005', 'Back\slash Tool', 'TAP Software', 5000, true);
INSERT INTO users (id, email, password_hash)
VALUES ('b0000000-0000-4000-8000-000000000001', 'tap-catalog@example.com', 'x');
INSERT INTO orders (id, user_id) VALUES ('b2000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000001');
-- Bonus: 3 available + 1 sold + 1 void; Plain: none; Snake_Case: 2 available.
INSERT INTO product_codes (product_id, code, status, order_id)
VALUES ('b1000000-0000-4000-8000-000000000001', 'B1', 'available', NULL),
       ('b1000000-0000-4000-8000-000000000001', 'B2', 'available', NULL),
       ('b1000000-0000-4000-8000-000000000001', 'B3', 'available', NULL),
       ('b1000000-0000-4000-8000-000000000001', 'B4', 'sold', 'b2000000-0000-4000-8000-000000000001'),
       ('b1000000-0000-4000-8000-000000000001', 'B5', 'void', NULL),
       ('b1000000-0000-4000-8000-000000000003', 'S1', 'available', NULL),
       ('b1000000-0000-4000-8000-000000000003', 'S2', 'available', NULL);

SELECT results_eq(
	$$SELECT name, category, price_cents, stock FROM catalog_page(NULL, 500, 0)$$,
	$$VALUES ('Snake_Case Game', 'TAP Games', 3000::bigint, 2::bigint),
	         ('Bonus 100% Card', 'TAP Gift cards', 1000::bigint, 3::bigint),
	         ('Plain Card', 'TAP Gift cards', 2000::bigint, 0::bigint),
	         ('Back\slash Tool', 'TAP Software', 5000::bigint, 0::bigint)$$,
	'active products by category then name, stock = available codes only');
SELECT results_eq($$SELECT name FROM catalog_page('', 500, 0)$$,
                  $$SELECT name FROM catalog_page(NULL, 500, 0)$$,
                  'an empty search is the same as no search');
SELECT is_empty($$SELECT 1 FROM catalog_page('Retired', 500, 0)$$, 'inactive products are never listed');

-- search
SELECT results_eq($$SELECT name FROM catalog_page('%', 500, 0)$$, ARRAY['Bonus 100% Card'],
                  'a ''%'' in the search is taken literally');
SELECT results_eq($$SELECT name FROM catalog_page('_', 500, 0)$$, ARRAY['Snake_Case Game'],
                  'a ''_'' in the search is taken literally');
SELECT results_eq($$SELECT name FROM catalog_page('\', 500, 0)$$, ARRAY['Back\slash Tool'],
                  'a backslash in the search is taken literally');
SELECT results_eq($$SELECT name FROM catalog_page('pLaIn', 500, 0)$$, ARRAY['Plain Card'],
                  'search is case-insensitive');
SELECT results_eq($$SELECT name FROM catalog_page('tap games', 500, 0)$$, ARRAY['Snake_Case Game'],
                  'search matches the category too');

-- paging
SELECT results_eq($$SELECT name FROM catalog_page(NULL, 2, 1)$$, ARRAY['Bonus 100% Card', 'Plain Card'],
                  'limit 2 offset 1 returns the 2nd and 3rd products');
SELECT is_empty($$SELECT 1 FROM catalog_page(NULL, 10, 100)$$, 'an offset past the end returns no rows');
SELECT throws_ok($$SELECT * FROM catalog_page(NULL, 0, 0)$$, 'ZB008', 'page size must be between 1 and 500',
                 'limit 0 raises ZB008');
SELECT throws_ok($$SELECT * FROM catalog_page(NULL, 501, 0)$$, 'ZB008', 'page size must be between 1 and 500',
                 'limit 501 raises ZB008');
SELECT throws_ok($$SELECT * FROM catalog_page(NULL, NULL, 0)$$, 'ZB008', 'page size must be between 1 and 500',
                 'a NULL limit raises ZB008');
SELECT throws_ok($$SELECT * FROM catalog_page(NULL, 10, -1)$$, 'ZB008', 'page offset must not be negative',
                 'a negative offset raises ZB008');

-- the kiosk role gets the same page although it cannot read the tables
SET ROLE bazar_client;
SELECT results_eq($$SELECT name, stock FROM catalog_page('card', 500, 0)$$,
                  $$VALUES ('Bonus 100% Card', 3::bigint), ('Plain Card', 0::bigint)$$,
                  'as bazar_client: catalog_page returns names and stock');
RESET ROLE;
SELECT ok((SELECT prosecdef FROM pg_proc WHERE oid = 'catalog_page(text, integer, integer)'::regprocedure),
          'catalog_page is SECURITY DEFINER');

SELECT * FROM finish();
ROLLBACK;
