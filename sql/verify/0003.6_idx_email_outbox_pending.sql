-- Verify checks for 0003.6_idx_email_outbox_pending.

-- check: the partial index of mail still to send exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.email_outbox_pending_idx is missing'
            ELSE 'index public.email_outbox_pending_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.email_outbox_pending_idx');
