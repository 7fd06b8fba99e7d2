-- Rollback of 0014_staff_locks: drop the Locks screen's functions. The
-- audit rows of signals sent stay in audit_log; the roles the private
-- cluster granted to the owner (pg_read_all_stats, pg_signal_backend) are
-- cluster-wide and stay too.
DROP FUNCTION IF EXISTS public.api_staff_signal_backend(text, integer, boolean);
DROP FUNCTION IF EXISTS public.api_staff_lock_stats(text);
DROP FUNCTION IF EXISTS public.api_staff_locks(text);
