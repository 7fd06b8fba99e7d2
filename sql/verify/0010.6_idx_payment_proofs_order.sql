-- Verify checks for 0010.6_idx_payment_proofs_order.

-- check: the index of payment proofs by order exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.payment_proofs_order_idx is missing'
            ELSE 'index public.payment_proofs_order_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.payment_proofs_order_idx');
