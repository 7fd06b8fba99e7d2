-- Preflight of 0005.2_unique_promo_code_ci: the unique index on
-- lower(promo_codes.code) cannot be built while two promo codes differ only
-- in case (e.g. 'summer5' and 'SUMMER5').

-- check: no two promo codes differ only in letter case
SELECT lower(p.code) AS code, count(*)::text AS copies,
       string_agg(p.code || ' (used ' || p.used_count || coalesce('/' || p.max_uses, '') || ')', ', '
                  ORDER BY p.code) AS variants
FROM public.promo_codes AS p
GROUP BY lower(p.code)
HAVING count(*) > 1
ORDER BY lower(p.code);
