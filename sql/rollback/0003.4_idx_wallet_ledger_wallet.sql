-- bazar:no-transaction
--
-- Rollback of 0003.4_idx_wallet_ledger_wallet: drop the index of ledger entries by wallet.
-- An index holds no data of its own. CONCURRENTLY, so live traffic is not
-- blocked; that cannot run in a transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.wallet_ledger_wallet_created_idx;
