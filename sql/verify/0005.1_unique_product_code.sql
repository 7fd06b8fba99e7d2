-- Verify checks for 0005.1_unique_product_code.

-- check: the unique index of codes per product exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid AND i.indisunique), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.product_codes_product_code_key is missing'
            ELSE 'index public.product_codes_product_code_key is INVALID or not unique: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.product_codes_product_code_key');
