-- Verify checks for 0008.1_idx_products_catalog_keyset.

-- check: the catalog keyset index exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.products_catalog_keyset_idx is missing'
            ELSE 'index public.products_catalog_keyset_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.products_catalog_keyset_idx');
