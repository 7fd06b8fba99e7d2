-- Verify checks for 0022_mail_order_lines.

-- check: bz_mail_render lists an order's lines (0022's version is in place)
SELECT count(*) = 1 AS ok, 'bz_mail_render(text, text, uuid) with the order lines' AS detail
FROM pg_proc AS p
WHERE p.oid = to_regprocedure('public.bz_mail_render(text, text, uuid)')
  AND p.prosecdef
  AND p.prosrc LIKE '%What you ordered:%';

-- check: no client role may run bz_mail_render
SELECT count(*) = 0 AS ok, string_agg(r.rolname, ', ') AS detail
FROM pg_roles AS r
WHERE r.rolname IN ('bazar_client', 'bazar_staff', 'bazar_tester', 'bazar_mailer', 'anon', 'authenticated')
  AND to_regprocedure('public.bz_mail_render(text, text, uuid)') IS NOT NULL
  AND has_function_privilege(r.oid, to_regprocedure('public.bz_mail_render(text, text, uuid)'), 'EXECUTE');
