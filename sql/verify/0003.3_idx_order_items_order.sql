-- Verify checks for 0003.3_idx_order_items_order.

-- check: the index of order lines by order exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.order_items_order_idx is missing'
            ELSE 'index public.order_items_order_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.order_items_order_idx');
