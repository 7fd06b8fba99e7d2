-- bazar:no-transaction
--
-- Rollback of 0007.1_idx_sessions_login_request: drop the unique index of
-- login requests per user. An index holds no data of its own.
-- CONCURRENTLY, so logins are not blocked; that cannot run in a
-- transaction, hence the single statement.
DROP INDEX CONCURRENTLY IF EXISTS public.sessions_user_login_request_key;
