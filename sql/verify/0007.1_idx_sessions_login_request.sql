-- Verify checks for 0007.1_idx_sessions_login_request.

-- check: the unique index of login requests per user exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid AND i.indisunique), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.sessions_user_login_request_key is missing'
            ELSE 'index public.sessions_user_login_request_key is INVALID or not unique: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.sessions_user_login_request_key');
