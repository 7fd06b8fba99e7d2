-- pgTAP: the data constraints of 0003 (validated by 0005) and the unique
-- indexes of 0005.1/0005.2 reject the rows the races produced.
-- Runs as a superuser on a fully migrated database; everything is rolled back.
BEGIN;
SELECT plan(27);

-- Fixtures (fixed ids, removed by the ROLLBACK).
INSERT INTO users (id, email, password_hash)
VALUES ('e0000000-0000-4000-8000-000000000001', 'tap-constraints@example.com', 'x');
INSERT INTO products (id, name, category, price_cents)
VALUES ('e1000000-0000-4000-8000-000000000001', 'TAP product', 'TAP', 1000),
       ('e1000000-0000-4000-8000-000000000002', 'TAP product 2', 'TAP', 1000);
INSERT INTO orders (id, user_id, status, subtotal_cents, discount_cents, total_cents)
VALUES ('e2000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001', 'paid', 1000, 0, 1000),
       ('e2000000-0000-4000-8000-000000000002', 'e0000000-0000-4000-8000-000000000001', 'paid', 1000, 0, 1000);
INSERT INTO wallets (id, user_id, balance_cents)
VALUES ('e3000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001', 100);

-- wallets / ledger
SELECT throws_ok(
	$$UPDATE wallets SET balance_cents = -1 WHERE id = 'e3000000-0000-4000-8000-000000000001'$$,
	'23514', 'new row for relation "wallets" violates check constraint "wallets_balance_nonnegative"',
	'a wallet balance cannot go negative');
SELECT lives_ok(
	$$UPDATE wallets SET balance_cents = 0 WHERE id = 'e3000000-0000-4000-8000-000000000001'$$,
	'a wallet balance may be zero');
SELECT throws_ok(
	$$INSERT INTO wallet_ledger (wallet_id, amount_cents, balance_after_cents, reason)
	  VALUES ('e3000000-0000-4000-8000-000000000001', -200, -100, 'tap')$$,
	'23514', 'new row for relation "wallet_ledger" violates check constraint "wallet_ledger_balance_after_nonnegative"',
	'a ledger entry cannot leave a negative balance');

-- promo codes
SELECT throws_ok(
	$$INSERT INTO promo_codes (code, discount_type, discount_value, max_uses, used_count)
	  VALUES ('TAP-OVER', 'fixed', 100, 2, 3)$$,
	'23514', 'new row for relation "promo_codes" violates check constraint "promo_codes_used_count_within_max"',
	'used_count cannot exceed max_uses');
SELECT lives_ok(
	$$INSERT INTO promo_codes (code, discount_type, discount_value, max_uses, used_count)
	  VALUES ('TAP-FULL', 'fixed', 100, 2, 2)$$,
	'used_count may equal max_uses');
SELECT throws_ok(
	$$UPDATE promo_codes SET used_count = used_count + 1 WHERE code = 'TAP-FULL'$$,
	'23514', 'new row for relation "promo_codes" violates check constraint "promo_codes_used_count_within_max"',
	'a plain UPDATE cannot take a use past max_uses either');
SELECT throws_ok(
	$$INSERT INTO promo_codes (code, discount_type, discount_value, used_count)
	  VALUES ('TAP-NEG', 'fixed', 100, -1)$$,
	'23514', 'new row for relation "promo_codes" violates check constraint "promo_codes_used_count_nonnegative"',
	'used_count cannot be negative');
SELECT throws_ok(
	$$INSERT INTO promo_codes (code, discount_type, discount_value, max_uses)
	  VALUES ('TAP-ZERO', 'fixed', 100, 0)$$,
	'23514', 'new row for relation "promo_codes" violates check constraint "promo_codes_max_uses_positive"',
	'max_uses must be positive');
SELECT throws_ok(
	$$INSERT INTO promo_codes (code, discount_type, discount_value) VALUES ('TAP-TYPE', 'bogus', 10)$$,
	'23514', 'new row for relation "promo_codes" violates check constraint "promo_codes_discount_type_valid"',
	'discount_type must be percentage or fixed');
SELECT throws_ok(
	$$INSERT INTO promo_codes (code, discount_type, discount_value) VALUES ('TAP-PCT', 'percentage', 101)$$,
	'23514', 'new row for relation "promo_codes" violates check constraint "promo_codes_discount_value_valid"',
	'a percentage discount cannot exceed 100');
SELECT throws_ok(
	$$INSERT INTO promo_codes (code, discount_type, discount_value) VALUES ('TAP-NIL', 'fixed', 0)$$,
	'23514', 'new row for relation "promo_codes" violates check constraint "promo_codes_discount_value_valid"',
	'a discount must be positive');
SELECT throws_ok(
	$$INSERT INTO promo_codes (code, discount_type, discount_value) VALUES ('tap-full', 'fixed', 100)$$,
	'23505', 'duplicate key value violates unique constraint "promo_codes_code_lower_key"',
	'promo codes are unique case-insensitively');
INSERT INTO promo_codes (code, discount_type, discount_value, max_uses) VALUES ('TAP-DEFAULTS', 'percentage', 5, 10);
SELECT row_eq(
	$$SELECT is_active, used_count, valid_from, valid_until, per_user_limit, min_order_cents
	  FROM promo_codes WHERE code = 'TAP-DEFAULTS'$$,
	ROW(true, 0::bigint, NULL::timestamptz, NULL::timestamptz, NULL::bigint, 0::bigint),
	'inserting (code, discount_type, discount_value, max_uses) creates an active, unused promo');

-- products and order lines
SELECT throws_ok(
	$$INSERT INTO products (name, price_cents) VALUES ('TAP free', 0)$$,
	'23514', 'new row for relation "products" violates check constraint "products_price_positive"',
	'a product price must be positive');
SELECT throws_ok(
	$$INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
	  VALUES ('e2000000-0000-4000-8000-000000000001', 'e1000000-0000-4000-8000-000000000001', 0, 1000)$$,
	'23514', 'new row for relation "order_items" violates check constraint "order_items_quantity_positive"',
	'an order line needs a positive quantity (0)');
SELECT throws_ok(
	$$INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
	  VALUES ('e2000000-0000-4000-8000-000000000001', 'e1000000-0000-4000-8000-000000000001', -2, 1000)$$,
	'23514', 'new row for relation "order_items" violates check constraint "order_items_quantity_positive"',
	'an order line needs a positive quantity (-2)');
SELECT throws_ok(
	$$INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
	  VALUES ('e2000000-0000-4000-8000-000000000001', 'e1000000-0000-4000-8000-000000000001', 1, -5)$$,
	'23514', 'new row for relation "order_items" violates check constraint "order_items_unit_price_positive"',
	'an order line needs a positive unit price');

-- orders
SELECT throws_ok(
	$$UPDATE orders SET status = 'shipped' WHERE id = 'e2000000-0000-4000-8000-000000000001'$$,
	'23514', 'new row for relation "orders" violates check constraint "orders_status_valid"',
	'an order status must be a known one');
SELECT throws_ok(
	$$UPDATE orders SET total_cents = 900 WHERE id = 'e2000000-0000-4000-8000-000000000001'$$,
	'23514', 'new row for relation "orders" violates check constraint "orders_amounts_valid"',
	'an order total must equal subtotal minus discount');

-- product codes
SELECT throws_ok(
	$$INSERT INTO product_codes (product_id, code, status) VALUES ('e1000000-0000-4000-8000-000000000001', 'TAP-S', 'stolen')$$,
	'23514', 'new row for relation "product_codes" violates check constraint "product_codes_status_valid"',
	'a code status must be available, sold or void');
SELECT throws_ok(
	$$INSERT INTO product_codes (product_id, code, status) VALUES ('e1000000-0000-4000-8000-000000000001', 'TAP-S', 'sold')$$,
	'23514', 'new row for relation "product_codes" violates check constraint "product_codes_sold_has_order"',
	'a sold code must be on an order');
SELECT throws_ok(
	$$INSERT INTO product_codes (product_id, code, status, order_id)
	  VALUES ('e1000000-0000-4000-8000-000000000001', 'TAP-A', 'available', 'e2000000-0000-4000-8000-000000000001')$$,
	'23514', 'new row for relation "product_codes" violates check constraint "product_codes_sold_has_order"',
	'an available code cannot be on an order');
INSERT INTO product_codes (product_id, code, status, order_id)
VALUES ('e1000000-0000-4000-8000-000000000001', 'TAP-DUP', 'sold', 'e2000000-0000-4000-8000-000000000001');
SELECT throws_ok(
	$$INSERT INTO product_codes (product_id, code, status, order_id)
	  VALUES ('e1000000-0000-4000-8000-000000000001', 'TAP-DUP', 'sold', 'e2000000-0000-4000-8000-000000000002')$$,
	'23505', 'duplicate key value violates unique constraint "product_codes_product_code_key"',
	'the same code cannot exist twice for one product (a code on two orders)');
SELECT lives_ok(
	$$INSERT INTO product_codes (product_id, code) VALUES ('e1000000-0000-4000-8000-000000000002', 'TAP-DUP')$$,
	'the same code string may exist for another product');

-- e-mail outbox
SELECT throws_ok(
	$$INSERT INTO email_outbox (kind, to_address, subject, body_text, status)
	  VALUES ('tap', 'a@example.com', 's', 'b', 'lost')$$,
	'23514', 'new row for relation "email_outbox" violates check constraint "email_outbox_status_valid"',
	'an outbox status must be a known one');

-- everything is validated, not just NOT VALID
SELECT is_empty(
	$$SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint
	  WHERE connamespace = 'public'::regnamespace AND NOT convalidated$$,
	'every constraint in public is validated');
SELECT is_empty(
	$$SELECT indexrelid::regclass::text FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
	  WHERE c.relnamespace = 'public'::regnamespace AND NOT (i.indisvalid AND i.indisready)$$,
	'every index in public is valid');

SELECT * FROM finish();
ROLLBACK;
