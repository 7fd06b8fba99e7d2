-- Verify checks for 0013_order_info.

-- check: api_my_order_info and bz_payment_reference exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 2 AS ok,
       format('%s of 2 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.api_my_order_info(text, uuid)'),
                to_regprocedure('public.bz_payment_reference(uuid)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: no client role may read shop_bank_account directly or run bz_payment_reference
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || ' may read shop_bank_account' AS x
	FROM pg_roles AS r
	WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester')
	  AND has_table_privilege(r.oid, 'public.shop_bank_account', 'SELECT')
	UNION ALL
	SELECT r.rolname || ' may run bz_payment_reference'
	FROM pg_roles AS r
	WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester')
	  AND has_function_privilege(r.oid, 'public.bz_payment_reference(uuid)', 'EXECUTE')
) AS bad;

-- check: shop_bank_account holds at most one row
SELECT count(*) <= 1 AS ok, format('%s rows', count(*)) AS detail FROM public.shop_bank_account;
