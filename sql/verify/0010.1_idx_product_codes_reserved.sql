-- Verify checks for 0010.1_idx_product_codes_reserved.

-- check: the partial index of reserved codes exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.product_codes_reserved_idx is missing'
            ELSE 'index public.product_codes_reserved_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.product_codes_reserved_idx');
