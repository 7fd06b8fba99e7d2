-- Rollback of 0015_staff_order_detail: drop the staff's order detail,
-- proof and reference functions. Their audit rows (order.proof_exported)
-- stay in audit_log.
DROP FUNCTION IF EXISTS public.api_staff_payment_references(text, uuid[]);
DROP FUNCTION IF EXISTS public.api_staff_proof_image(text, uuid);
DROP FUNCTION IF EXISTS public.api_staff_order_proofs(text, uuid);
DROP FUNCTION IF EXISTS public.api_staff_order_detail(text, uuid);
