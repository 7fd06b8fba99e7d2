-- 0022_mail_order_lines: order e-mails say what was bought and paid.
--
-- 0010 and 0011 queue an order's message with one sentence (the order,
-- its total, "your codes are in your account"). The message a worker
-- claims (bz_mail_render, 0021) now also lists the order's lines and its
-- amounts, read from order_items and orders when the row is claimed:
--
--   What you ordered:
--     2 x Stardew Valley            29.98
--   Subtotal 29.98 · promo SAVE5 -5.00 · total 24.98
--
-- for every order message (confirmation, awaiting payment, rejection);
-- and, as before, the codes under mail_codes = 'in_message' for a paid
-- order. The queued text is unchanged, so a message queued before this
-- migration is sent with its lines too.
--
-- Safe to run twice. Rollback restores 0021's bz_mail_render.

CREATE OR REPLACE FUNCTION public.bz_mail_render(p_kind text, p_body text, p_order_id uuid)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_out text := p_body;
	v_lines text;
	v_order public.orders%ROWTYPE;
	v_promo text;
	v_codes text;
BEGIN
	IF p_order_id IS NULL OR p_kind NOT IN ('order_confirmation', 'order_awaiting_payment', 'order_rejected') THEN
		RETURN p_body;
	END IF;
	SELECT o.* INTO v_order FROM public.orders AS o WHERE o.id = p_order_id;
	SELECT string_agg(format('  %s x %s  %s', i.quantity, p.name,
	                         public.bz_money_text(i.quantity * i.unit_price_cents)),
	                  E'\n' ORDER BY p.name, i.id)
	INTO v_lines
	FROM public.order_items AS i
	JOIN public.products AS p ON p.id = i.product_id
	WHERE i.order_id = p_order_id;
	IF v_lines IS NOT NULL THEN
		SELECT pc.code INTO v_promo FROM public.promo_codes AS pc WHERE pc.id = v_order.promo_id;
		v_out := v_out || E'\n\nWhat you ordered:\n' || v_lines || E'\n'
		         || format('Subtotal %s', public.bz_money_text(v_order.subtotal_cents))
		         || CASE WHEN v_order.discount_cents > 0
		                 THEN format(' · promo %s -%s', coalesce(v_promo, ''), public.bz_money_text(v_order.discount_cents))
		                 ELSE '' END
		         || format(' · total %s', public.bz_money_text(v_order.total_cents)) || E'\n';
	END IF;
	IF p_kind <> 'order_confirmation'
	   OR coalesce((SELECT btrim(s.value) FROM public.shop_settings AS s WHERE s.key = 'mail_codes'),
	               'in_shop') <> 'in_message' THEN
		RETURN v_out;
	END IF;
	SELECT string_agg(format('  %s: %s', p.name, c.code), E'\n' ORDER BY p.name, c.code)
	INTO v_codes
	FROM public.product_codes AS c
	JOIN public.products AS p ON p.id = c.product_id
	WHERE c.order_id = p_order_id AND c.status = 'sold';
	IF v_codes IS NULL THEN
		RETURN v_out;
	END IF;
	RETURN v_out || E'\nYour codes:\n' || v_codes || E'\n';
END
$fn$;

REVOKE ALL ON FUNCTION public.bz_mail_render(text, text, uuid)
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester, bazar_mailer;
