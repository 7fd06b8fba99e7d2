-- Verify checks for 0015_staff_order_detail.

-- check: the four staff order functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 4 AS ok,
       format('%s of 4 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.api_staff_order_detail(text, uuid)'),
                to_regprocedure('public.api_staff_order_proofs(text, uuid)'),
                to_regprocedure('public.api_staff_proof_image(text, uuid)'),
                to_regprocedure('public.api_staff_payment_references(text, uuid[])'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: bazar_staff and bazar_tester may run them; bazar_client, anon and authenticated may not
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN r.rolname IN ('bazar_staff', 'bazar_tester') THEN ' may not run ' ELSE ' may run ' END)
	       || f AS x
	FROM unnest(ARRAY['public.api_staff_order_detail(text, uuid)',
	                  'public.api_staff_order_proofs(text, uuid)',
	                  'public.api_staff_proof_image(text, uuid)',
	                  'public.api_staff_payment_references(text, uuid[])']) AS f
	CROSS JOIN pg_roles AS r
	WHERE to_regprocedure(f) IS NOT NULL
	  AND r.rolname IN ('bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND has_function_privilege(r.oid, f, 'EXECUTE') <> (r.rolname IN ('bazar_staff', 'bazar_tester'))
) AS bad;
