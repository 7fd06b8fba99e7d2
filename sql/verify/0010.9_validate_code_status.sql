-- Verify checks for 0010.9_validate_code_status.

-- check: product_codes' status list includes 'reserved' and both code constraints are validated
SELECT count(*) = 2 AS ok,
       format('%s of 2 constraints (product_codes_status_valid, product_codes_sold_has_order) are validated with ''reserved''', count(*)) AS detail
FROM pg_constraint AS c
WHERE c.conrelid = 'public.product_codes'::regclass
  AND c.conname IN ('product_codes_status_valid', 'product_codes_sold_has_order')
  AND c.convalidated
  AND pg_get_constraintdef(c.oid) LIKE '%reserved%';
