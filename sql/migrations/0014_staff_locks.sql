-- 0014_staff_locks: what the console's Locks screen reads, and its one
-- action.
--
--   api_staff_locks(token)                    the backends of this database that wait for a
--                                             lock, block one, sit idle in a transaction or
--                                             run one for over a second, with who blocks whom
--   api_staff_lock_stats(token)               counters for the sparklines: deadlocks so far,
--                                             sessions waiting and blocking, idle in
--                                             transaction, the longest transaction
--   api_staff_signal_backend(token, pid, terminate)
--                                             cancel the query of (or end) one of Bazar's own
--                                             backends; audited
--
-- Staff sessions only (bz_session_staff); granted to bazar_staff and
-- bazar_tester, never to the kiosk.
--
-- The functions run as their owner, which needs two predefined roles that
-- a migration cannot grant (role membership is cluster-wide and needs a
-- superuser or the role's admin): pg_read_all_stats, to see the state,
-- wait and query of other roles' backends in pg_stat_activity (without it
-- PostgreSQL hides them, query '<insufficient privilege>'; waiters are
-- then found through pg_locks instead, with their label, lock and
-- blocker, but other roles' idle or long transactions cannot be seen, and
-- api_staff_lock_stats says sees_all = false); and pg_signal_backend, to
-- cancel other roles' backends (without it api_staff_signal_backend
-- refuses with 42501 and says what to grant). The private cluster grants
-- both to bazar_owner on every start (db/cluster.c); elsewhere an
-- administrator runs
--   GRANT pg_read_all_stats, pg_signal_backend TO <the migrating role>;
--
-- Cost: pg_blocking_pids takes every lock-manager partition lock while it
-- runs, and so does reading pg_locks; both are done only when some backend
-- waits for a lock (pg_stat_activity's wait_event_type = 'Lock'): a
-- pg_blocking_pids per waiter and one pg_locks read. An idle shop pays
-- only for pg_stat_activity, which reads the backends' status array
-- without those locks. scripts/bench-locks measures it (docs/api.md,
-- section 12).
--
-- Safe to run twice. Rollback drops the functions.

-- One row per backend of this database (other than the caller's) that is
-- waiting for a lock, blocking a waiter, idle in a transaction, or in a
-- transaction older than a second. blocked_by: pg_blocking_pids of a
-- waiter ('{}' for the others; a pid outside this list is a backend of
-- another kind or database). The awaited lock's type, mode and relation
-- (for a row lock, which waits for the holder's transaction id, the
-- relation of the tuple lock the waiter holds), wait age from
-- pg_locks.waitstart. application_name is the business label the API sets
-- per request ('bazar checkout key=…'). The query is cut to 200
-- characters. Ages in milliseconds; NULL when there is nothing to age.
CREATE OR REPLACE FUNCTION public.api_staff_locks(p_token text)
RETURNS TABLE (pid integer, blocked_by integer[], waiting boolean, wait_ms bigint, lock_type text,
               lock_mode text, relation text, state text, xact_ms bigint, query_start timestamptz,
               query_ms bigint, query text, application_name text, usename text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_now timestamptz;
	v_sees_all boolean := pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'USAGE');
BEGIN
	PERFORM set_config('application_name', 'bazar locks', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	v_now := clock_timestamp();
	RETURN QUERY
	WITH act AS MATERIALIZED (
		SELECT a.pid, a.usename::text AS usename, a.application_name, a.state, a.backend_type,
		       a.wait_event_type, a.xact_start, a.query_start, a.query
		FROM pg_catalog.pg_stat_activity AS a
		WHERE a.datname = current_database() AND a.pid <> pg_catalog.pg_backend_pid()
	), waiters AS MATERIALIZED (
		-- pg_blocking_pids only for backends that wait for a lock. Without
		-- pg_read_all_stats other roles' waits are hidden; pg_locks, which
		-- every role may read, says who waits then (one more read).
		SELECT a.pid, pg_catalog.pg_blocking_pids(a.pid) AS blocked_by
		FROM act AS a
		WHERE a.wait_event_type = 'Lock'
		   OR (NOT v_sees_all AND a.pid IN (SELECT l.pid FROM pg_catalog.pg_locks AS l WHERE NOT l.granted))
	), awaited AS MATERIALIZED (
		-- One read of pg_locks, skipped (one-time filter) when no one waits.
		SELECT l.pid,
		       (array_agg(l.locktype) FILTER (WHERE NOT l.granted))[1] AS locktype,
		       (array_agg(l.mode) FILTER (WHERE NOT l.granted))[1] AS mode,
		       coalesce((array_agg(l.relation) FILTER (WHERE NOT l.granted AND l.relation IS NOT NULL))[1],
		                (array_agg(l.relation) FILTER (WHERE l.granted AND l.locktype = 'tuple'))[1]) AS relation,
		       min(l.waitstart) AS waitstart
		FROM pg_catalog.pg_locks AS l
		WHERE EXISTS (SELECT 1 FROM waiters)
		  AND l.pid IN (SELECT w.pid FROM waiters AS w)
		  AND (NOT l.granted OR l.locktype = 'tuple')
		GROUP BY l.pid
	), blockers AS (
		SELECT DISTINCT unnest(w.blocked_by) AS pid FROM waiters AS w
	)
	SELECT a.pid,
	       coalesce(w.blocked_by, '{}'::integer[]),
	       w.pid IS NOT NULL,
	       CASE WHEN w.pid IS NOT NULL AND u.waitstart IS NOT NULL
	            THEN greatest(0, (extract(epoch FROM v_now - u.waitstart) * 1000)::bigint) END,
	       u.locktype,
	       u.mode,
	       u.relation::regclass::text,
	       a.state,
	       CASE WHEN a.xact_start IS NOT NULL
	            THEN greatest(0, (extract(epoch FROM v_now - a.xact_start) * 1000)::bigint) END,
	       a.query_start,
	       CASE WHEN a.query_start IS NOT NULL
	            THEN greatest(0, (extract(epoch FROM v_now - a.query_start) * 1000)::bigint) END,
	       left(a.query, 200),
	       a.application_name,
	       a.usename
	FROM act AS a
	LEFT JOIN waiters AS w ON w.pid = a.pid
	LEFT JOIN awaited AS u ON u.pid = a.pid
	WHERE w.pid IS NOT NULL
	   OR a.pid IN (SELECT b.pid FROM blockers AS b)
	   OR (a.backend_type = 'client backend'
	       AND (a.state LIKE 'idle in transaction%' OR a.xact_start < v_now - interval '1 second'))
	ORDER BY a.xact_start NULLS LAST, a.pid;
END
$fn$;

-- The Locks screen's sparklines, one sample: deadlocks detected in this
-- database since the statistics were reset (pg_stat_database; the screen
-- draws the change between samples), backends waiting for a lock, distinct
-- backends blocking them, client backends idle in a transaction, the
-- longest open transaction of a client backend (ms, 0 when none), and
-- whether the owner holds pg_read_all_stats (sees_all: otherwise other
-- roles' backends are invisible here) and pg_signal_backend (can_signal).
-- Same cost rule as api_staff_locks: pg_blocking_pids only for waiters.
CREATE OR REPLACE FUNCTION public.api_staff_lock_stats(p_token text)
RETURNS TABLE (deadlocks bigint, waiting integer, blocking integer, idle_in_transaction integer,
               longest_xact_ms bigint, sees_all boolean, can_signal boolean)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_now timestamptz;
	v_sees_all boolean := pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'USAGE');
BEGIN
	PERFORM set_config('application_name', 'bazar lock-stats', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	v_now := clock_timestamp();
	RETURN QUERY
	WITH act AS MATERIALIZED (
		SELECT a.pid, a.state, a.backend_type, a.wait_event_type, a.xact_start
		FROM pg_catalog.pg_stat_activity AS a
		WHERE a.datname = current_database() AND a.pid <> pg_catalog.pg_backend_pid()
	), waiters AS MATERIALIZED (
		SELECT a.pid, pg_catalog.pg_blocking_pids(a.pid) AS blocked_by
		FROM act AS a
		WHERE a.wait_event_type = 'Lock'
		   OR (NOT v_sees_all AND a.pid IN (SELECT l.pid FROM pg_catalog.pg_locks AS l WHERE NOT l.granted))
	)
	SELECT coalesce((SELECT d.deadlocks FROM pg_catalog.pg_stat_database AS d
	                 WHERE d.datname = current_database()), 0),
	       (SELECT count(*)::integer FROM waiters),
	       (SELECT count(DISTINCT b.pid)::integer FROM waiters AS w, unnest(w.blocked_by) AS b (pid)),
	       (SELECT count(*)::integer FROM act AS a
	        WHERE a.backend_type = 'client backend' AND a.state LIKE 'idle in transaction%'),
	       coalesce((SELECT greatest(0, (extract(epoch FROM v_now - min(a.xact_start)) * 1000)::bigint)
	                 FROM act AS a WHERE a.backend_type = 'client backend' AND a.xact_start IS NOT NULL), 0),
	       v_sees_all,
	       pg_catalog.pg_has_role(current_user, 'pg_signal_backend', 'USAGE');
END
$fn$;

-- Cancels the running query of (p_terminate false) or terminates
-- (p_terminate true) one backend of this database, for the Locks screen's
-- k and K. Only Bazar's own sessions: a client backend whose role is
-- bazar_client, bazar_staff, bazar_tester or this function's owner, and
-- never a superuser's (42501 otherwise, naming the role); ZB006 when no
-- such backend is in this database (it may have ended meanwhile); ZB008
-- for the caller's own backend. 42501 with what to grant when the owner
-- lacks pg_signal_backend. signalled: what pg_cancel_backend /
-- pg_terminate_backend returned (false when the backend ended first).
-- Every signal sent is an audit row ('backend.cancel' or
-- 'backend.terminate', the pid, the role and business label; not the
-- query, which may hold anything a person typed).
CREATE OR REPLACE FUNCTION public.api_staff_signal_backend(p_token text, p_pid integer, p_terminate boolean)
RETURNS TABLE (pid integer, action text, signalled boolean, usename text, application_name text,
               started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
	v_action text := CASE WHEN p_terminate THEN 'terminate' ELSE 'cancel' END;
	v_user text;
	v_label text;
	v_state text;
	v_super boolean;
	v_ok boolean;
BEGIN
	PERFORM set_config('application_name',
	                   format('bazar %s-backend pid=%s', coalesce(v_action, '-'), coalesce(p_pid::text, '-')), true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	IF p_pid IS NULL OR p_terminate IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'Say which session, and whether to cancel or terminate it.',
			DETAIL = 'pid, terminate';
	END IF;
	IF p_pid = pg_catalog.pg_backend_pid() THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'That is the console''s own session.',
			DETAIL = format('pid=%s', p_pid);
	END IF;
	SELECT a.usename::text, a.application_name, a.state, r.rolsuper
	INTO v_user, v_label, v_state, v_super
	FROM pg_catalog.pg_stat_activity AS a
	LEFT JOIN pg_catalog.pg_roles AS r ON r.oid = a.usesysid
	WHERE a.pid = p_pid AND a.datname = current_database()
	  -- (backend_type is NULL for another role's backend without pg_read_all_stats)
	  AND coalesce(a.backend_type, 'client backend') = 'client backend';
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006',
			MESSAGE = format('No session with process id %s in this database (it may have ended).', p_pid),
			DETAIL = format('pid=%s', p_pid);
	END IF;
	IF coalesce(v_super, true)
	   OR v_user NOT IN ('bazar_client', 'bazar_staff', 'bazar_tester', current_user) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('Session %s belongs to %s; only Bazar''s own may be signalled.',
			                 p_pid, coalesce(v_user, 'an unknown role')),
			DETAIL = format('pid=%s usename=%s', p_pid, v_user);
	END IF;
	IF v_user <> current_user AND NOT pg_catalog.pg_has_role(current_user, 'pg_signal_backend', 'USAGE') THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('Not allowed until an administrator runs GRANT pg_signal_backend TO %s.',
			                 current_user),
			DETAIL = format('pid=%s usename=%s', p_pid, v_user);
	END IF;
	v_ok := CASE WHEN p_terminate THEN pg_catalog.pg_terminate_backend(p_pid)
	             ELSE pg_catalog.pg_cancel_backend(p_pid) END;
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'backend.' || v_action, 'backend', p_pid::text,
	        jsonb_build_object('usename', v_user, 'application_name', v_label, 'state', v_state,
	                           'signalled', v_ok));
	RETURN QUERY SELECT p_pid, v_action, v_ok, v_user, v_label, v_started;
END
$fn$;

DO $do$
BEGIN
	REVOKE ALL ON FUNCTION public.api_staff_locks(text) FROM PUBLIC, anon, authenticated;
	REVOKE ALL ON FUNCTION public.api_staff_lock_stats(text) FROM PUBLIC, anon, authenticated;
	REVOKE ALL ON FUNCTION public.api_staff_signal_backend(text, integer, boolean)
		FROM PUBLIC, anon, authenticated;
	GRANT EXECUTE ON FUNCTION public.api_staff_locks(text) TO bazar_staff, bazar_tester;
	GRANT EXECUTE ON FUNCTION public.api_staff_lock_stats(text) TO bazar_staff, bazar_tester;
	GRANT EXECUTE ON FUNCTION public.api_staff_signal_backend(text, integer, boolean)
		TO bazar_staff, bazar_tester;
END
$do$;
