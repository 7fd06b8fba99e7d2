-- Verify checks for 0021_mail_worker.

-- check: 0021's 10 functions exist as SECURITY DEFINER with a pinned search_path
SELECT count(*) = 10 AS ok,
       format('%s of 10 functions found with SECURITY DEFINER and search_path', count(*)) AS detail
FROM pg_proc AS p
WHERE p.oid IN (to_regprocedure('public.bz_mail_render(text, text, uuid)'),
                to_regprocedure('public.bz_mail_topup()'),
                to_regprocedure('public.bz_mail_owned(uuid, bigint)'),
                to_regprocedure('public.api_mail_claim(text, integer, integer)'),
                to_regprocedure('public.api_mail_sent(uuid, bigint, text)'),
                to_regprocedure('public.api_mail_retry(uuid, bigint, text, bigint)'),
                to_regprocedure('public.api_mail_fail(uuid, bigint, text)'),
                to_regprocedure('public.api_staff_outbox(text, text, integer)'),
                to_regprocedure('public.api_staff_outbox_counts(text)'),
                to_regprocedure('public.api_staff_outbox_retry(text, uuid)'))
  AND p.prosecdef
  AND EXISTS (SELECT 1 FROM unnest(p.proconfig) AS c WHERE c LIKE 'search_path=%');

-- check: only bazar_mailer may run the api_mail_* functions
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN w.want THEN ' may not run ' ELSE ' may run ' END) || f.sig AS x
	FROM (VALUES ('public.api_mail_claim(text, integer, integer)'),
	             ('public.api_mail_sent(uuid, bigint, text)'),
	             ('public.api_mail_retry(uuid, bigint, text, bigint)'),
	             ('public.api_mail_fail(uuid, bigint, text)')) AS f (sig)
	CROSS JOIN pg_roles AS r
	CROSS JOIN LATERAL (SELECT r.rolname = 'bazar_mailer' AS want) AS w
	WHERE r.rolname IN ('bazar_mailer', 'bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND to_regprocedure(f.sig) IS NOT NULL
	  AND has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE') <> w.want
) AS bad;

-- check: the staff role may run the Outbox screen's functions, the mailer and the client may not
SELECT count(*) = 0 AS ok, string_agg(x, ', ') AS detail
FROM (
	SELECT r.rolname || (CASE WHEN w.want THEN ' may not run ' ELSE ' may run ' END) || f.sig AS x
	FROM (VALUES ('public.api_staff_outbox(text, text, integer)'),
	             ('public.api_staff_outbox_counts(text)'),
	             ('public.api_staff_outbox_retry(text, uuid)')) AS f (sig)
	CROSS JOIN pg_roles AS r
	CROSS JOIN LATERAL (SELECT r.rolname IN ('bazar_staff', 'bazar_tester') AS want) AS w
	WHERE r.rolname IN ('bazar_mailer', 'bazar_staff', 'bazar_tester', 'bazar_client', 'anon', 'authenticated')
	  AND to_regprocedure(f.sig) IS NOT NULL
	  AND has_function_privilege(r.oid, to_regprocedure(f.sig), 'EXECUTE') <> w.want
) AS bad;

-- check: a staff top-up queues its message (trigger wallet_ledger_topup_mail is enabled)
SELECT count(*) = 1 AS ok, 'trigger wallet_ledger_topup_mail on public.wallet_ledger' AS detail
FROM pg_trigger AS t
WHERE t.tgrelid = 'public.wallet_ledger'::regclass AND t.tgname = 'wallet_ledger_topup_mail'
  AND t.tgenabled <> 'D';
