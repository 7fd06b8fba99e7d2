-- Verify checks for 0010.4_idx_orders_status_seq.

-- check: the index of orders by status and change_seq exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.orders_status_seq_idx is missing'
            ELSE 'index public.orders_status_seq_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.orders_status_seq_idx');
