-- Verify checks for 0003_indexes_constraints: every CHECK constraint it
-- promises exists (validated or not; 0005's checks require validation).

-- check: all data constraints exist
SELECT count(*) = 0 AS ok,
       'missing: ' || string_agg(v.tbl || '.' || v.name, ', ' ORDER BY v.tbl, v.name) AS detail
FROM (VALUES
	('wallets', 'wallets_balance_nonnegative'),
	('wallet_ledger', 'wallet_ledger_balance_after_nonnegative'),
	('wallet_ledger', 'wallet_ledger_amount_nonzero'),
	('promo_codes', 'promo_codes_used_count_nonnegative'),
	('promo_codes', 'promo_codes_used_count_within_max'),
	('promo_codes', 'promo_codes_max_uses_positive'),
	('promo_codes', 'promo_codes_per_user_limit_positive'),
	('promo_codes', 'promo_codes_discount_type_valid'),
	('promo_codes', 'promo_codes_discount_value_valid'),
	('promo_codes', 'promo_codes_min_order_nonnegative'),
	('promo_codes', 'promo_codes_dates_ordered'),
	('products', 'products_price_positive'),
	('order_items', 'order_items_quantity_positive'),
	('order_items', 'order_items_unit_price_positive'),
	('orders', 'orders_amounts_valid'),
	('orders', 'orders_status_valid'),
	('product_codes', 'product_codes_status_valid'),
	('product_codes', 'product_codes_sold_has_order'),
	('email_outbox', 'email_outbox_status_valid'),
	('email_outbox', 'email_outbox_attempts_nonnegative')
) AS v (tbl, name)
WHERE NOT EXISTS (
	SELECT 1 FROM pg_constraint AS c
	WHERE c.conrelid = to_regclass(format('public.%I', v.tbl)) AND c.conname = v.name AND c.contype = 'c'
);
