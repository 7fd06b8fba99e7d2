-- Verify checks for 0003.4_idx_wallet_ledger_wallet.

-- check: the index of ledger entries by wallet exists and is valid (a failed concurrent build leaves it INVALID)
SELECT coalesce(bool_and(i.indisvalid), false) AS ok,
       CASE WHEN count(*) = 0 THEN 'index public.wallet_ledger_wallet_created_idx is missing'
            ELSE 'index public.wallet_ledger_wallet_created_idx is INVALID: run migrate again (it drops and rebuilds it)' END AS detail
FROM pg_index AS i
WHERE i.indexrelid = to_regclass('public.wallet_ledger_wallet_created_idx');
