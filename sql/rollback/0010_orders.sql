-- Rollback of 0010_orders: drop the checkout, proof and customer-read
-- functions and the orders trigger; put 0003's product_codes status
-- constraints back.
--
-- Kept, with every row: idempotency_keys, the new columns of orders and
-- product_codes, the sequence orders_change_seq (dropping it would restart
-- the numbers that orders.change_seq already holds).
--
-- 0003's constraints know no 'reserved' code. While any code is reserved
-- (an unpaid bank-transfer order), this rollback refuses: approve, reject
-- or expire those orders first (api_staff_*, or SELECT bz_expire_stale()
-- once they are past their time). They are validated here in the same
-- transaction (a scan of product_codes under the ALTER's lock: a rollback
-- is a maintenance operation), so 0005's verify still passes.
DO $do$
DECLARE
	v_n bigint;
BEGIN
	SELECT count(*) INTO v_n FROM public.product_codes WHERE status = 'reserved';
	IF v_n > 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB012',
			MESSAGE = format('%s code(s) are reserved for unpaid bank-transfer orders; '
			                 'approve, reject or expire those orders before rolling back 0010', v_n),
			HINT = 'SELECT DISTINCT order_id FROM product_codes WHERE status = ''reserved'';';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_constraint
	           WHERE conrelid = 'public.product_codes'::regclass
	             AND conname = 'product_codes_status_valid'
	             AND pg_get_constraintdef(oid) LIKE '%reserved%') THEN
		ALTER TABLE public.product_codes DROP CONSTRAINT product_codes_status_valid;
		ALTER TABLE public.product_codes ADD CONSTRAINT product_codes_status_valid
			CHECK (status IN ('available', 'sold', 'void')) NOT VALID;
		ALTER TABLE public.product_codes VALIDATE CONSTRAINT product_codes_status_valid;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_constraint
	           WHERE conrelid = 'public.product_codes'::regclass
	             AND conname = 'product_codes_sold_has_order'
	             AND pg_get_constraintdef(oid) LIKE '%reserved%') THEN
		ALTER TABLE public.product_codes DROP CONSTRAINT product_codes_sold_has_order;
		ALTER TABLE public.product_codes ADD CONSTRAINT product_codes_sold_has_order
			CHECK ((status = 'sold') = (order_id IS NOT NULL)) NOT VALID;
		ALTER TABLE public.product_codes VALIDATE CONSTRAINT product_codes_sold_has_order;
	END IF;
END
$do$;

DROP TRIGGER IF EXISTS orders_stamp_change ON public.orders;

DROP FUNCTION IF EXISTS public.api_my_ledger(text, integer);
DROP FUNCTION IF EXISTS public.api_my_wallet(text);
DROP FUNCTION IF EXISTS public.api_my_codes(text, uuid);
DROP FUNCTION IF EXISTS public.api_my_order(text, uuid);
DROP FUNCTION IF EXISTS public.api_my_orders(text, integer, timestamptz);
DROP FUNCTION IF EXISTS public.api_attach_proof(text, uuid, text, text, text, bytea);
DROP FUNCTION IF EXISTS public.api_checkout_status(text, uuid);
DROP FUNCTION IF EXISTS public.api_checkout(text, uuid, bigint, text, text);
DROP FUNCTION IF EXISTS public.bz_checkout_run(uuid, uuid, text, bigint, uuid[], integer[], text, text, uuid, timestamptz);
DROP FUNCTION IF EXISTS public.bz_expire_orders(uuid[]);
DROP FUNCTION IF EXISTS public.bz_claim_codes(uuid, integer, uuid, timestamptz);
DROP FUNCTION IF EXISTS public.bz_promo_refusal(text, bigint);
DROP FUNCTION IF EXISTS public.bz_money_text(bigint);
DROP FUNCTION IF EXISTS public.bz_orders_stamp_change();
