-- pgTAP: 0022's bz_mail_render, the text a mail worker gets for a claimed
-- order message: the queued sentence, then what was ordered (quantity,
-- product, line amount, by product name), the subtotal, the promo's
-- discount when there is one and the total; the codes follow only for a
-- paid order under mail_codes = 'in_message'. Other messages (a top-up)
-- are sent as queued. The order rows are inserted directly: the renderer
-- only reads them.
BEGIN;
SELECT plan(7);

INSERT INTO users (id, email, password_hash) VALUES
	('e9200000-0000-4000-8000-000000000001', 'tap-mr@example.com', 'x');
INSERT INTO products (id, name, category, price_cents) VALUES
	('e9200000-0000-4000-8000-0000000000a1', 'Zeta Game', 'TAP', 1499),
	('e9200000-0000-4000-8000-0000000000a2', 'Alpha Card', 'TAP', 2500);
INSERT INTO promo_codes (id, code, discount_type, discount_value) VALUES
	('e9200000-0000-4000-8000-0000000000b1', 'TAPMR5', 'fixed', 500);
INSERT INTO orders (id, user_id, status, payment_method, subtotal_cents, discount_cents, total_cents, promo_id) VALUES
	('e9200000-0000-4000-8000-0000000000c1', 'e9200000-0000-4000-8000-000000000001', 'fulfilled', 'wallet',
	 5498, 500, 4998, 'e9200000-0000-4000-8000-0000000000b1'),
	('e9200000-0000-4000-8000-0000000000c2', 'e9200000-0000-4000-8000-000000000001', 'pending', 'bank_transfer',
	 2500, 0, 2500, NULL);
INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES
	('e9200000-0000-4000-8000-0000000000c1', 'e9200000-0000-4000-8000-0000000000a1', 2, 1499),
	('e9200000-0000-4000-8000-0000000000c1', 'e9200000-0000-4000-8000-0000000000a2', 1, 2500),
	('e9200000-0000-4000-8000-0000000000c2', 'e9200000-0000-4000-8000-0000000000a2', 1, 2500);
INSERT INTO product_codes (product_id, code, status, order_id) VALUES
	('e9200000-0000-4000-8000-0000000000a1', 'ZETA-1', 'sold', 'e9200000-0000-4000-8000-0000000000c1'),
	('e9200000-0000-4000-8000-0000000000a1', 'ZETA-2', 'sold', 'e9200000-0000-4000-8000-0000000000c1'),
	('e9200000-0000-4000-8000-0000000000a2', 'ALPHA-1', 'sold', 'e9200000-0000-4000-8000-0000000000c1');

SELECT is(bz_mail_render('order_confirmation', 'Your order is paid.', 'e9200000-0000-4000-8000-0000000000c1'),
          E'Your order is paid.\n\nWhat you ordered:\n  1 x Alpha Card  25.00\n  2 x Zeta Game  29.98\n'
          'Subtotal 54.98 · promo TAPMR5 -5.00 · total 49.98\n',
          'a paid order: its lines by product name, the subtotal, the promo and the total; no code (in_shop)');
SELECT is(bz_mail_render('order_awaiting_payment', 'Please pay.', 'e9200000-0000-4000-8000-0000000000c2'),
          E'Please pay.\n\nWhat you ordered:\n  1 x Alpha Card  25.00\nSubtotal 25.00 · total 25.00\n',
          'an order waiting for its transfer: its lines, no promo part without a discount');
SELECT alike(bz_mail_render('order_rejected', 'Cancelled.', 'e9200000-0000-4000-8000-0000000000c2'),
             E'Cancelled.\n\nWhat you ordered:\n  1 x Alpha Card  25.00\n%',
             'a rejected order names what was in it');
SELECT is(bz_mail_render('wallet_topup', 'We added 5.00.', NULL), 'We added 5.00.',
          'a top-up is sent as queued');
SELECT is(bz_mail_render('order_confirmation', 'Gone.', gen_random_uuid()), 'Gone.',
          'an order with no lines (or none at all) is sent as queued');
UPDATE shop_settings SET value = 'in_message' WHERE key = 'mail_codes';
SELECT is(bz_mail_render('order_confirmation', 'Your order is paid.', 'e9200000-0000-4000-8000-0000000000c1'),
          E'Your order is paid.\n\nWhat you ordered:\n  1 x Alpha Card  25.00\n  2 x Zeta Game  29.98\n'
          'Subtotal 54.98 · promo TAPMR5 -5.00 · total 49.98\n'
          || E'\nYour codes:\n  Alpha Card: ALPHA-1\n  Zeta Game: ZETA-1\n  Zeta Game: ZETA-2\n',
          'mail_codes = in_message: the codes follow, by product');
SELECT unalike(bz_mail_render('order_awaiting_payment', 'Please pay.', 'e9200000-0000-4000-8000-0000000000c2'),
               '%Your codes%', 'never codes for an order that is not paid');

SELECT * FROM finish();
ROLLBACK;
