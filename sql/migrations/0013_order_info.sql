-- 0013_order_info: what the storefront shows about one order, and the
-- shop's bank account for bank transfers.
--
--   shop_bank_account                 one row: where shoppers send transfers
--   bz_payment_reference(order_id)    the reference a transfer must carry
--   api_my_order_info(token, order)   one of the caller's orders: amounts,
--                                     promo, decision, payment reference,
--                                     bank account (bank transfers), proofs
--
-- The reference is derived from the order id ("BZ-" and its first 12
-- hex digits, upper case) rather than stored, so every order has one
-- without a backfill and staff match a transfer to an order by it. Twelve
-- hex digits (48 bits) keep references of different orders apart in
-- practice; staff still see the amount and the customer beside it.
--
-- The bank account is the shop's configuration, set by the owner (the
-- demo seed sets a sample one). Without a row, orders still work and the
-- storefront says to ask staff for the bank details.
--
-- Safe to run twice. Rollback drops the functions and keeps the table
-- with its row.

CREATE TABLE IF NOT EXISTS public.shop_bank_account (
	-- One row only: the primary key can hold just true.
	singleton boolean PRIMARY KEY DEFAULT true CONSTRAINT shop_bank_account_single CHECK (singleton),
	account_holder text NOT NULL
		CONSTRAINT shop_bank_account_holder_valid CHECK (char_length(account_holder) BETWEEN 1 AND 100),
	iban text NOT NULL
		CONSTRAINT shop_bank_account_iban_valid CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'),
	bic text NOT NULL
		CONSTRAINT shop_bank_account_bic_valid CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
	bank_name text NOT NULL
		CONSTRAINT shop_bank_account_bank_valid CHECK (char_length(bank_name) BETWEEN 1 AND 100),
	updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE public.shop_bank_account ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.shop_bank_account
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester;

CREATE OR REPLACE FUNCTION public.bz_payment_reference(p_order_id uuid)
RETURNS text
LANGUAGE sql
IMMUTABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT 'BZ-' || upper(left(replace(p_order_id::text, '-', ''), 12))
$fn$;

-- One of the caller's orders (ZB006 for anyone else's): the header the
-- order screen shows above the items (api_my_order) and codes
-- (api_my_codes). Bank details only for bank transfers, NULL when the
-- shop has none configured.
CREATE OR REPLACE FUNCTION public.api_my_order_info(p_token text, p_order_id uuid)
RETURNS TABLE (order_id uuid, status text, payment_method text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, promo_code text,
               created_at timestamptz, expires_at timestamptz, decided_at timestamptz,
               decision_reason text, payment_reference text, account_holder text,
               iban text, bic text, bank_name text, proofs bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar my-order-info', true);
	v_user := public.bz_session_user(p_token);
	IF NOT EXISTS (SELECT 1 FROM public.orders AS o WHERE o.id = p_order_id AND o.user_id = v_user) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such order.',
			DETAIL = format('order_id=%s', p_order_id);
	END IF;
	RETURN QUERY
	SELECT o.id, o.status, o.payment_method, o.subtotal_cents, o.discount_cents, o.total_cents,
	       pc.code, o.created_at, o.expires_at, o.decided_at, o.decision_reason,
	       public.bz_payment_reference(o.id),
	       b.account_holder, b.iban, b.bic, b.bank_name,
	       (SELECT count(*) FROM public.payment_proofs AS pp WHERE pp.order_id = o.id)
	FROM public.orders AS o
	LEFT JOIN public.promo_codes AS pc ON pc.id = o.promo_id
	LEFT JOIN public.shop_bank_account AS b ON o.payment_method = 'bank_transfer'
	WHERE o.id = p_order_id AND o.user_id = v_user;
END
$fn$;

DO $do$
BEGIN
	REVOKE ALL ON FUNCTION public.bz_payment_reference(uuid) FROM PUBLIC, anon, authenticated;
	REVOKE ALL ON FUNCTION public.api_my_order_info(text, uuid) FROM PUBLIC, anon, authenticated;
	GRANT EXECUTE ON FUNCTION public.api_my_order_info(text, uuid)
		TO bazar_client, bazar_staff, bazar_tester;
END
$do$;
