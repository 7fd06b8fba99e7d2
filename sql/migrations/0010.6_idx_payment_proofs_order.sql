-- bazar:no-transaction
-- bazar:index public.payment_proofs_order_idx
--
-- Payment proofs by order: the staff's review of an order and
-- api_attach_proof's cap of 5 proofs per order.
--
-- Built CONCURRENTLY so live checkouts keep writing meanwhile; that cannot
-- run inside a transaction, hence this file's single statement. A failed
-- build leaves an INVALID index that IF NOT EXISTS would skip: the runner
-- drops it (the index named above) before retrying, and `bazar verify`
-- checks indisvalid.
CREATE INDEX CONCURRENTLY IF NOT EXISTS payment_proofs_order_idx
	ON public.payment_proofs (order_id);
