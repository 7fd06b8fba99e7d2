-- Verify checks for 0020.1_idx_audit_log_entity.

-- check: the index of audit rows by entity exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.audit_log_entity_idx is missing'
            ELSE 'index public.audit_log_entity_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.audit_log_entity_idx');
