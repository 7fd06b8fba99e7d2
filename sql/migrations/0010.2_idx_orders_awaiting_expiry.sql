-- bazar:no-transaction
-- bazar:index public.orders_awaiting_expiry_idx
--
-- Unpaid bank-transfer orders by expiry, for the sweeps that expire them
-- (api_staff_expire_stale, bz_expire_stale from workers and pg_cron) and
-- the staff's queue. Partial: only the orders still awaiting payment.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_awaiting_expiry_idx
	ON public.orders (expires_at)
	WHERE status = 'awaiting_payment';
