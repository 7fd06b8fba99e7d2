-- 0015_staff_order_detail: what the staff console shows about one order,
-- and the bank-transfer proofs behind it.
--
--   api_staff_order_detail(token, order_id)       the head (customer, amounts,
--                                                 promo, payment reference,
--                                                 decision) on every item row
--   api_staff_order_proofs(token, order_id)       the proofs' metadata
--   api_staff_proof_image(token, proof_id)        one proof's picture; audited
--   api_staff_payment_references(token, ids[])    references for a list of orders
--
-- The payment reference always comes from bz_payment_reference (0013), so
-- the rule ("BZ-" and the order id's first 12 hex digits) lives in one
-- place and the console never derives it itself.
--
-- A proof's picture is a customer's bank statement: every export is an
-- audit row naming the staff member, the order and the proof, as code
-- reveals are (api_staff_order_codes, 0011). The metadata is not audited.
--
-- Staff only (bz_session_staff: ZB004 without a live session, ZB005 for a
-- customer's); granted to bazar_staff and bazar_tester, not bazar_client.
-- Locks: the session row FOR SHARE, then reads (one statement each);
-- api_staff_proof_image then inserts its audit row.
--
-- Safe to run twice. Rollback drops the functions; nothing else is created.

-- One order for staff: the head on every row, beside one item each
-- (product, quantity, unit price, line total), ordered by product name.
-- An order without items (none is made so, but the table allows it) is
-- one row with the item columns NULL. ZB006 for an unknown order.
CREATE OR REPLACE FUNCTION public.api_staff_order_detail(p_token text, p_order_id uuid)
RETURNS TABLE (order_id uuid, status text, payment_method text, customer_email text,
               subtotal_cents bigint, discount_cents bigint, total_cents bigint, promo_code text,
               payment_reference text, created_at timestamptz, expires_at timestamptz,
               decided_by_email text, decided_at timestamptz, decision_reason text,
               placed_by_email text, proofs bigint, change_seq bigint,
               product_id uuid, product_name text, quantity bigint, unit_price_cents bigint,
               line_total_cents bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name',
	                   format('bazar staff order order=%s', left(coalesce(p_order_id::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	RETURN QUERY
	SELECT o.id, o.status, o.payment_method, u.email, o.subtotal_cents, o.discount_cents,
	       o.total_cents, pc.code, public.bz_payment_reference(o.id), o.created_at, o.expires_at,
	       d.email, o.decided_at, o.decision_reason, pb.email,
	       (SELECT count(*) FROM public.payment_proofs AS pp WHERE pp.order_id = o.id),
	       o.change_seq,
	       i.product_id, p.name, i.quantity, i.unit_price_cents, i.quantity * i.unit_price_cents
	FROM public.orders AS o
	JOIN public.users AS u ON u.id = o.user_id
	LEFT JOIN public.users AS d ON d.id = o.decided_by
	LEFT JOIN public.users AS pb ON pb.id = o.placed_by
	LEFT JOIN public.promo_codes AS pc ON pc.id = o.promo_id
	LEFT JOIN public.order_items AS i ON i.order_id = o.id
	LEFT JOIN public.products AS p ON p.id = i.product_id
	WHERE o.id = p_order_id
	ORDER BY p.name, i.product_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such order.',
			DETAIL = format('order_id=%s', p_order_id);
	END IF;
END
$fn$;

-- The transfer proofs of one order, oldest first: the reference the
-- customer typed and, for a picture, its file name, detected content type,
-- size and SHA-256 (hex). A reference without a picture has size 0 and
-- NULL file name, content type and hash. ZB006 for an unknown order.
CREATE OR REPLACE FUNCTION public.api_staff_order_proofs(p_token text, p_order_id uuid)
RETURNS TABLE (proof_id uuid, reference text, file_name text, content_type text,
               size_bytes bigint, sha256 text, created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name',
	                   format('bazar staff proofs order=%s', left(coalesce(p_order_id::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF NOT EXISTS (SELECT 1 FROM public.orders AS o WHERE o.id = p_order_id) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such order.',
			DETAIL = format('order_id=%s', p_order_id);
	END IF;
	RETURN QUERY
	SELECT pp.id, pp.reference,
	       CASE WHEN pp.size_bytes > 0 THEN nullif(pp.file_name, '') END,
	       CASE WHEN pp.size_bytes > 0 THEN pp.content_type END,
	       pp.size_bytes,
	       CASE WHEN pp.size_bytes > 0 THEN encode(pp.sha256, 'hex') END,
	       pp.created_at
	FROM public.payment_proofs AS pp
	WHERE pp.order_id = p_order_id
	ORDER BY pp.created_at, pp.id;
END
$fn$;

-- One proof's picture, to look at outside the console. Every call is an
-- audit row (order.proof_exported, with the proof, its size and hash):
-- the picture shows the customer's bank statement. ZB006 for an unknown
-- proof, or one that is a reference without a picture.
CREATE OR REPLACE FUNCTION public.api_staff_proof_image(p_token text, p_proof_id uuid)
RETURNS TABLE (proof_id uuid, order_id uuid, file_name text, content_type text,
               size_bytes bigint, sha256 text, image bytea)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_staff uuid;
	v_order uuid;
	v_size bigint;
	v_hash text;
BEGIN
	PERFORM set_config('application_name',
	                   format('bazar proof-image proof=%s', left(coalesce(p_proof_id::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	SELECT pp.order_id, pp.size_bytes, encode(pp.sha256, 'hex') INTO v_order, v_size, v_hash
	FROM public.payment_proofs AS pp WHERE pp.id = p_proof_id;
	IF v_order IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such proof.',
			DETAIL = format('proof_id=%s', p_proof_id);
	END IF;
	IF v_size = 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'This proof is a reference without a picture.',
			DETAIL = format('proof_id=%s', p_proof_id);
	END IF;
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'order.proof_exported', 'orders', v_order::text,
	        jsonb_build_object('proof_id', p_proof_id, 'size_bytes', v_size, 'sha256', v_hash));
	RETURN QUERY
	SELECT pp.id, pp.order_id, pp.file_name, pp.content_type, pp.size_bytes,
	       encode(pp.sha256, 'hex'), pp.image
	FROM public.payment_proofs AS pp
	WHERE pp.id = p_proof_id;
END
$fn$;

-- The payment reference of each of up to 500 orders (a list screen's
-- column), in the order given; ids of no order are left out, NULLs and
-- repeats ignored. ZB008 for more than 500 ids.
CREATE OR REPLACE FUNCTION public.api_staff_payment_references(p_token text, p_order_ids uuid[])
RETURNS TABLE (order_id uuid, payment_reference text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar staff references', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF cardinality(p_order_ids) > 500 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'Ask for at most 500 orders at a time.',
			DETAIL = format('ids=%s', cardinality(p_order_ids));
	END IF;
	RETURN QUERY
	SELECT o.id, public.bz_payment_reference(o.id)
	FROM (SELECT x.id, min(x.ord) AS ord
	      FROM unnest(p_order_ids) WITH ORDINALITY AS x (id, ord)
	      WHERE x.id IS NOT NULL
	      GROUP BY x.id) AS w
	JOIN public.orders AS o ON o.id = w.id
	ORDER BY w.ord;
END
$fn$;

DO $do$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'public.api_staff_order_detail(text, uuid)',
		'public.api_staff_order_proofs(text, uuid)',
		'public.api_staff_proof_image(text, uuid)',
		'public.api_staff_payment_references(text, uuid[])'
	] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, bazar_client', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bazar_staff, bazar_tester', f);
	END LOOP;
END
$do$;
