-- Verify checks for 0010.2_idx_orders_awaiting_expiry.

-- check: the partial index of orders awaiting payment exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.orders_awaiting_expiry_idx is missing'
            ELSE 'index public.orders_awaiting_expiry_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.orders_awaiting_expiry_idx');
