-- Rollback of 0022_mail_order_lines: bz_mail_render as 0021 made it (the
-- codes under mail_codes = 'in_message', no order lines). Nothing else
-- was changed; no data is touched.
CREATE OR REPLACE FUNCTION public.bz_mail_render(p_kind text, p_body text, p_order_id uuid)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_codes text;
BEGIN
	IF p_kind <> 'order_confirmation' OR p_order_id IS NULL
	   OR coalesce((SELECT btrim(s.value) FROM public.shop_settings AS s WHERE s.key = 'mail_codes'),
	               'in_shop') <> 'in_message' THEN
		RETURN p_body;
	END IF;
	SELECT string_agg(format('  %s: %s', p.name, c.code), E'\n' ORDER BY p.name, c.code)
	INTO v_codes
	FROM public.product_codes AS c
	JOIN public.products AS p ON p.id = c.product_id
	WHERE c.order_id = p_order_id AND c.status = 'sold';
	IF v_codes IS NULL THEN
		RETURN p_body;
	END IF;
	RETURN p_body || E'\n\nYour codes:\n' || v_codes || E'\n';
END
$fn$;

REVOKE ALL ON FUNCTION public.bz_mail_render(text, text, uuid)
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester, bazar_mailer;
