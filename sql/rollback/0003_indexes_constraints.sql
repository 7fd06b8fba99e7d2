-- Rollback of 0003_indexes_constraints: drop the CHECK constraints it added
-- (validated by 0005 or not). Rows are untouched; afterwards the tables
-- accept what the racy shop accepted.
ALTER TABLE public.email_outbox DROP CONSTRAINT IF EXISTS email_outbox_attempts_nonnegative;
ALTER TABLE public.email_outbox DROP CONSTRAINT IF EXISTS email_outbox_status_valid;
ALTER TABLE public.product_codes DROP CONSTRAINT IF EXISTS product_codes_sold_has_order;
ALTER TABLE public.product_codes DROP CONSTRAINT IF EXISTS product_codes_status_valid;
ALTER TABLE public.orders DROP CONSTRAINT IF EXISTS orders_status_valid;
ALTER TABLE public.orders DROP CONSTRAINT IF EXISTS orders_amounts_valid;
ALTER TABLE public.order_items DROP CONSTRAINT IF EXISTS order_items_unit_price_positive;
ALTER TABLE public.order_items DROP CONSTRAINT IF EXISTS order_items_quantity_positive;
ALTER TABLE public.products DROP CONSTRAINT IF EXISTS products_price_positive;
ALTER TABLE public.promo_codes DROP CONSTRAINT IF EXISTS promo_codes_dates_ordered;
ALTER TABLE public.promo_codes DROP CONSTRAINT IF EXISTS promo_codes_min_order_nonnegative;
ALTER TABLE public.promo_codes DROP CONSTRAINT IF EXISTS promo_codes_discount_value_valid;
ALTER TABLE public.promo_codes DROP CONSTRAINT IF EXISTS promo_codes_discount_type_valid;
ALTER TABLE public.promo_codes DROP CONSTRAINT IF EXISTS promo_codes_per_user_limit_positive;
ALTER TABLE public.promo_codes DROP CONSTRAINT IF EXISTS promo_codes_max_uses_positive;
ALTER TABLE public.promo_codes DROP CONSTRAINT IF EXISTS promo_codes_used_count_within_max;
ALTER TABLE public.promo_codes DROP CONSTRAINT IF EXISTS promo_codes_used_count_nonnegative;
ALTER TABLE public.wallet_ledger DROP CONSTRAINT IF EXISTS wallet_ledger_amount_nonzero;
ALTER TABLE public.wallet_ledger DROP CONSTRAINT IF EXISTS wallet_ledger_balance_after_nonnegative;
ALTER TABLE public.wallets DROP CONSTRAINT IF EXISTS wallets_balance_nonnegative;
