-- 0005_validate_constraints: validate the CHECK constraints 0003 added
-- NOT VALID, now that the existing rows have been repaired.
--
-- The runner first runs sql/preflight/0005_validate_constraints.sql, which
-- lists every row that would make one of these fail (over-used promos,
-- negative balances with the customer's e-mail, bad statuses, sold codes
-- without an order, ...) and stops before this file while any exist: fix
-- those rows, then migrate again. VALIDATE CONSTRAINT scans the table under
-- a SHARE UPDATE EXCLUSIVE lock, so reads and writes carry on meanwhile.
-- Validating an already validated constraint does nothing: safe to re-run.
ALTER TABLE public.wallets VALIDATE CONSTRAINT wallets_balance_nonnegative;
ALTER TABLE public.wallet_ledger VALIDATE CONSTRAINT wallet_ledger_balance_after_nonnegative;
ALTER TABLE public.wallet_ledger VALIDATE CONSTRAINT wallet_ledger_amount_nonzero;
ALTER TABLE public.promo_codes VALIDATE CONSTRAINT promo_codes_used_count_nonnegative;
ALTER TABLE public.promo_codes VALIDATE CONSTRAINT promo_codes_used_count_within_max;
ALTER TABLE public.promo_codes VALIDATE CONSTRAINT promo_codes_max_uses_positive;
ALTER TABLE public.promo_codes VALIDATE CONSTRAINT promo_codes_per_user_limit_positive;
ALTER TABLE public.promo_codes VALIDATE CONSTRAINT promo_codes_discount_type_valid;
ALTER TABLE public.promo_codes VALIDATE CONSTRAINT promo_codes_discount_value_valid;
ALTER TABLE public.promo_codes VALIDATE CONSTRAINT promo_codes_min_order_nonnegative;
ALTER TABLE public.promo_codes VALIDATE CONSTRAINT promo_codes_dates_ordered;
ALTER TABLE public.products VALIDATE CONSTRAINT products_price_positive;
ALTER TABLE public.order_items VALIDATE CONSTRAINT order_items_quantity_positive;
ALTER TABLE public.order_items VALIDATE CONSTRAINT order_items_unit_price_positive;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_amounts_valid;
ALTER TABLE public.orders VALIDATE CONSTRAINT orders_status_valid;
ALTER TABLE public.product_codes VALIDATE CONSTRAINT product_codes_status_valid;
ALTER TABLE public.product_codes VALIDATE CONSTRAINT product_codes_sold_has_order;
ALTER TABLE public.email_outbox VALIDATE CONSTRAINT email_outbox_status_valid;
ALTER TABLE public.email_outbox VALIDATE CONSTRAINT email_outbox_attempts_nonnegative;
