-- Rollback of 0013_order_info: drop the order-info function and the
-- reference helper. Kept with its data: shop_bank_account (the owner's
-- configuration; migrating forward again finds it in place).
DROP FUNCTION IF EXISTS public.api_my_order_info(text, uuid);
DROP FUNCTION IF EXISTS public.bz_payment_reference(uuid);
