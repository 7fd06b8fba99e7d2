-- Verify checks for 0003.7_idx_product_codes_order.

-- check: the partial index of codes by order exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.product_codes_order_idx is missing'
            ELSE 'index public.product_codes_order_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.product_codes_order_idx');
