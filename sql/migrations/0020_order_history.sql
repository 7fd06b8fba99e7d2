-- 0020_order_history: one order's history for the staff console, as a
-- time line assembled from what the shop already records.
--
--   api_staff_order_history(token, order_id)   every event of the order,
--                                              oldest first
--
-- No history table is added: each event already has a row of its own
-- (the order, its proofs, wallet ledger lines, promo redemptions, the
-- e-mail outbox and audit_log), written in the same transaction as the
-- change it records. A separate table would be one more thing a function
-- could forget to write; reading the sources cannot disagree with them.
--
-- audit_log is read by (entity, entity_id): 0020.1 adds that index.
--
-- Staff only (bz_session_staff: ZB004 without a live session, ZB005 for a
-- customer's); granted to bazar_staff and bazar_tester, not bazar_client.
-- Locks: the session row FOR SHARE, then one read.
--
-- Safe to run twice. Rollback drops the function; nothing else is created.

-- The order's events, oldest first: when it was placed (and by which
-- staff member, for a phone order), wallet debits and refunds, promo
-- redemptions, transfer proofs, staff actions from audit_log (approved,
-- rejected, expired, codes revealed, proof exported) and its e-mails.
-- ACTOR_EMAIL is who did it, NULL for the customer's own steps and the
-- shop's sweeps. DETAIL is a short human sentence, never a code or token.
-- ZB006 for an unknown order.
CREATE OR REPLACE FUNCTION public.api_staff_order_history(p_token text, p_order_id uuid)
RETURNS TABLE (at timestamptz, event text, actor_email text, detail text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name',
	                   format('bazar staff history order=%s', left(coalesce(p_order_id::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF NOT EXISTS (SELECT 1 FROM public.orders AS o WHERE o.id = p_order_id) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such order.',
			DETAIL = format('order_id=%s', p_order_id);
	END IF;
	RETURN QUERY
	SELECT h.at, h.event, h.actor_email, h.detail
	FROM (
		SELECT o.created_at AS at, 'placed'::text AS event, pb.email AS actor_email,
		       format('%s, %s cents, by %s', o.payment_method, o.total_cents,
		              CASE WHEN o.placed_by IS NULL THEN 'the customer' ELSE 'phone' END) AS detail,
		       0 AS rank
		FROM public.orders AS o
		LEFT JOIN public.users AS pb ON pb.id = o.placed_by
		WHERE o.id = p_order_id
		UNION ALL
		SELECT wl.created_at,
		       CASE WHEN wl.amount_cents < 0 THEN 'wallet debited' ELSE 'wallet credited' END,
		       cb.email, format('%s cents, balance %s cents: %s', abs(wl.amount_cents),
		                        wl.balance_after_cents, left(wl.reason, 80)),
		       1
		FROM public.wallet_ledger AS wl
		LEFT JOIN public.users AS cb ON cb.id = wl.created_by
		WHERE wl.order_id = p_order_id
		UNION ALL
		SELECT pr.created_at, 'promo redeemed', NULL, pc.code, 2
		FROM public.promo_redemptions AS pr
		JOIN public.promo_codes AS pc ON pc.id = pr.promo_id
		WHERE pr.order_id = p_order_id
		UNION ALL
		SELECT pp.created_at, 'proof attached', NULL,
		       CASE WHEN pp.size_bytes > 0
		            THEN format('reference %s, %s, %s bytes', left(pp.reference, 40), pp.content_type, pp.size_bytes)
		            ELSE format('reference %s', left(pp.reference, 40)) END,
		       3
		FROM public.payment_proofs AS pp
		WHERE pp.order_id = p_order_id
		UNION ALL
		SELECT a.at,
		       CASE a.action
		            WHEN 'order.approved' THEN 'approved'
		            WHEN 'order.rejected' THEN 'rejected'
		            WHEN 'order.expired' THEN 'expired'
		            WHEN 'order.codes_revealed' THEN 'codes revealed'
		            WHEN 'order.proof_exported' THEN 'proof exported'
		            WHEN 'order.phone' THEN 'phone order'
		            ELSE a.action END,
		       au.email,
		       CASE a.action
		            WHEN 'order.approved' THEN format('%s codes delivered%s', coalesce(a.details ->> 'codes', '0'),
		                                              coalesce(': ' || nullif(a.details ->> 'reason', ''), ''))
		            WHEN 'order.rejected' THEN coalesce(a.details ->> 'reason', '')
		            WHEN 'order.expired' THEN coalesce(a.details ->> 'reason', '')
		            WHEN 'order.codes_revealed' THEN
		                 format('%s codes', coalesce(jsonb_array_length(a.details -> 'code_ids'), 0))
		            WHEN 'order.proof_exported' THEN format('%s bytes', coalesce(a.details ->> 'size_bytes', '?'))
		            WHEN 'order.phone' THEN coalesce(a.details ->> 'payment_method', '')
		            ELSE '' END,
		       4
		FROM public.audit_log AS a
		LEFT JOIN public.users AS au ON au.id = a.actor_user_id
		WHERE a.entity = 'orders' AND a.entity_id = p_order_id::text
		UNION ALL
		SELECT e.created_at, 'e-mail queued', NULL, format('%s, %s', e.kind, e.status), 5
		FROM public.email_outbox AS e
		WHERE e.order_id = p_order_id
		UNION ALL
		SELECT e.sent_at, 'e-mail sent', NULL, e.kind, 6
		FROM public.email_outbox AS e
		WHERE e.order_id = p_order_id AND e.sent_at IS NOT NULL
	) AS h
	ORDER BY h.at, h.rank, h.event;
END
$fn$;

REVOKE ALL ON FUNCTION public.api_staff_order_history(text, uuid) FROM PUBLIC, anon, authenticated, bazar_client;
GRANT EXECUTE ON FUNCTION public.api_staff_order_history(text, uuid) TO bazar_staff, bazar_tester;
