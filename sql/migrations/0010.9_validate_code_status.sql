-- 0010.9_validate_code_status: validate the two product_codes CHECK
-- constraints that 0010 re-added NOT VALID with the status 'reserved'.
--
-- In a transaction of its own on purpose: VALIDATE CONSTRAINT scans the
-- table under a SHARE UPDATE EXCLUSIVE lock, which lets checkouts read and
-- write meanwhile, but only when the constraint was added by an earlier,
-- committed transaction; in 0010's transaction it would have run under the
-- ACCESS EXCLUSIVE lock of ADD CONSTRAINT (squawk: constraint-missing-not-valid).
-- It cannot fail on rows that passed 0003's versions (validated by 0005);
-- sql/preflight/0010.9_validate_code_status.sql lists any that would.
-- Validating an already validated constraint does nothing: safe to re-run.
ALTER TABLE public.product_codes VALIDATE CONSTRAINT product_codes_status_valid;
ALTER TABLE public.product_codes VALIDATE CONSTRAINT product_codes_sold_has_order;
