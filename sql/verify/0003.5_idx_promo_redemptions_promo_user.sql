-- Verify checks for 0003.5_idx_promo_redemptions_promo_user.

-- check: the index of redemptions by promo and customer exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.promo_redemptions_promo_user_idx is missing'
            ELSE 'index public.promo_redemptions_promo_user_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.promo_redemptions_promo_user_idx');
