-- Verify checks for 0005.2_unique_promo_code_ci.

-- check: the case-insensitive unique index of promo codes exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid AND i.indisunique), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.promo_codes_code_lower_key is missing'
            ELSE 'index public.promo_codes_code_lower_key is INVALID or not unique: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.promo_codes_code_lower_key');
