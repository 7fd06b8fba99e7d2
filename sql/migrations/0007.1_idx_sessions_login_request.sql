-- bazar:no-transaction
-- bazar:index public.sessions_user_login_request_key
--
-- One session per (user, login request id): api_login's ON CONFLICT
-- arbiter, so a double-submitted login, or a retry after a lost answer,
-- finds the session the first attempt made instead of making a second.
-- Sessions from before 0007 have a NULL login_request_hash; NULLs are
-- distinct in a unique index, so they never conflict.
--
-- sessions is an existing table: built CONCURRENTLY so logins carry on,
-- outside a transaction, one statement. A failed build leaves an INVALID
-- index; the runner drops it (named above) before retrying.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS sessions_user_login_request_key
	ON public.sessions (user_id, login_request_hash);
