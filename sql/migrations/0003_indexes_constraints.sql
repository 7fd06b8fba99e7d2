-- 0003_indexes_constraints: seed part 2, the data constraints.
--
-- A shop that had the races already holds rows that break these rules
-- (over-used promos, negative balances, a code sold twice). So every CHECK
-- is added NOT VALID: from this commit on, every new or updated row is
-- checked, while the existing rows are left alone and the ALTER takes only
-- a brief lock (no table scan). 0005_validate_constraints validates them
-- once its preflight (sql/preflight/0005_validate_constraints.sql) finds no
-- offending rows; `bazar verify` repeats that preflight and tells the
-- operator which rows to repair.
--
-- The indexes are in 0003.1 .. 0003.7, one per file, built CONCURRENTLY
-- outside a transaction; the unique indexes that bad rows would break are in
-- 0005.1 and 0005.2, after their own preflights.
--
-- PostgreSQL 15 has no ADD CONSTRAINT IF NOT EXISTS, so each is added only
-- when missing. Dropping and re-adding instead would turn a constraint that
-- 0005 already validated back into NOT VALID on a second run.
--
-- Money: unit prices are > 0 (a free product would be a 100 % promo, not a
-- price); balances, totals and discounts are >= 0.

DO $do$
DECLARE
	c record;
BEGIN
	FOR c IN
		SELECT v.tbl, v.name, v.def
		FROM (VALUES
			('wallets', 'wallets_balance_nonnegative',
			 'CHECK (balance_cents >= 0)'),
			('wallet_ledger', 'wallet_ledger_balance_after_nonnegative',
			 'CHECK (balance_after_cents >= 0)'),
			('wallet_ledger', 'wallet_ledger_amount_nonzero',
			 'CHECK (amount_cents <> 0)'),
			('promo_codes', 'promo_codes_used_count_nonnegative',
			 'CHECK (used_count >= 0)'),
			('promo_codes', 'promo_codes_used_count_within_max',
			 'CHECK (max_uses IS NULL OR used_count <= max_uses)'),
			('promo_codes', 'promo_codes_max_uses_positive',
			 'CHECK (max_uses IS NULL OR max_uses > 0)'),
			('promo_codes', 'promo_codes_per_user_limit_positive',
			 'CHECK (per_user_limit IS NULL OR per_user_limit > 0)'),
			('promo_codes', 'promo_codes_discount_type_valid',
			 $$CHECK (discount_type IN ('percentage', 'fixed'))$$),
			('promo_codes', 'promo_codes_discount_value_valid',
			 $$CHECK (discount_value > 0 AND (discount_type <> 'percentage' OR discount_value <= 100))$$),
			('promo_codes', 'promo_codes_min_order_nonnegative',
			 'CHECK (min_order_cents >= 0)'),
			('promo_codes', 'promo_codes_dates_ordered',
			 'CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until)'),
			('products', 'products_price_positive',
			 'CHECK (price_cents > 0)'),
			('order_items', 'order_items_quantity_positive',
			 'CHECK (quantity > 0)'),
			('order_items', 'order_items_unit_price_positive',
			 'CHECK (unit_price_cents > 0)'),
			('orders', 'orders_amounts_valid',
			 'CHECK (subtotal_cents >= 0 AND discount_cents >= 0 AND discount_cents <= subtotal_cents AND total_cents = subtotal_cents - discount_cents)'),
			('orders', 'orders_status_valid',
			 $$CHECK (status IN ('pending', 'awaiting_payment', 'paid', 'fulfilled', 'cancelled', 'refunded', 'failed'))$$),
			('product_codes', 'product_codes_status_valid',
			 $$CHECK (status IN ('available', 'sold', 'void'))$$),
			-- A sold code belongs to exactly one order; an unsold one to none.
			('product_codes', 'product_codes_sold_has_order',
			 $$CHECK ((status = 'sold') = (order_id IS NOT NULL))$$),
			('email_outbox', 'email_outbox_status_valid',
			 $$CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead'))$$),
			('email_outbox', 'email_outbox_attempts_nonnegative',
			 'CHECK (attempts >= 0)')
		) AS v (tbl, name, def)
	LOOP
		IF NOT EXISTS (
			SELECT 1 FROM pg_constraint
			WHERE conrelid = format('public.%I', c.tbl)::regclass
			  AND conname = c.name
		) THEN
			EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I %s NOT VALID',
			               c.tbl, c.name, c.def);
		END IF;
	END LOOP;
END
$do$;
