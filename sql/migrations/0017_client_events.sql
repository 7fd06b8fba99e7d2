-- 0017_client_events: what the console's Health screen reads.
--
--   client_events                                 one row per API call attempt a
--                                                 bazar client made: function,
--                                                 outcome class, SQLSTATE, time
--   api_record_client_events(functions, outcomes, sqlstates, elapsed_us,
--                            attempts, ages_ms)   a client's batch of events
--   api_staff_health(token, window_minutes)       per API function: calls and
--                                                 mean time (server), calls, p95
--                                                 and errors by class (clients)
--   api_staff_health_series(token, minutes)       per minute: orders created and
--                                                 paid, checkout attempts and
--                                                 refusals, failed calls
--   api_staff_health_rates(token, window_minutes) order success and checkout
--                                                 completion, with their parts
--
-- Why a table of the clients' own timings: pg_stat_user_functions has calls
-- and total time per function (the private cluster sets track_functions =
-- 'all') but no percentiles, and it never sees a call that failed before
-- it ran or the time a call spent on the wire. db/ keeps each call's
-- outcome and elapsed time in memory and sends them in batches, in a
-- statement of their own, outside any business transaction (db/events.c).
-- Arguments and tokens are never sent: only the function name, the outcome
-- class, the SQLSTATE and the timing.
--
-- A kiosk may write events but never read them (the table is granted to
-- no one; only the definer function writes), and cannot write junk or
-- flood: a batch holds at most 200 events; every name must be an api_%
-- function that exists; outcome classes come from a fixed list; SQLSTATEs
-- must look like one; times, attempts and ages are clamped. Retention:
-- rows older than 24 hours, and all but the newest 50,000 rows, are
-- deleted by the recording call itself, but only by the call whose batch
-- crosses a multiple of 100 ids (about one call in a hundred events), so
-- a recording call is one INSERT almost always and a bounded DELETE
-- (by the id and at indexes) now and then. A flooding kiosk therefore
-- costs at most 50,000 rows and one call per batch, like any other call.
--
-- Outcome classes (the client maps SQLSTATEs to them, db/events.c):
--   ok             the call returned
--   refused        the shop said no: class ZB (sold out, promo, funds...)
--   constraint     class 23 (constraint violations)
--   serialization  40001
--   deadlock       40P01
--   timeout        57014 (statement timeout) and 55P03 (lock timeout)
--   connection     the connection was lost (no SQLSTATE, or class 08)
--   other          anything else (including a call the user cancelled)
--
-- Safe to run twice. Rollback drops the functions and keeps the table.

CREATE TABLE IF NOT EXISTS public.client_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	function_name text NOT NULL,
	outcome text NOT NULL
		CONSTRAINT client_events_outcome_valid CHECK (outcome IN ('ok', 'refused', 'constraint',
			'serialization', 'deadlock', 'timeout', 'connection', 'other')),
	sqlstate text
		CONSTRAINT client_events_sqlstate_valid CHECK (sqlstate ~ '^[0-9A-Z]{5}$'),
	elapsed_us bigint NOT NULL
		CONSTRAINT client_events_elapsed_valid CHECK (elapsed_us BETWEEN 0 AND 600000000),
	-- squawk-ignore prefer-bigint-over-int
	attempts integer NOT NULL
		CONSTRAINT client_events_attempts_valid CHECK (attempts BETWEEN 1 AND 100),
	db_role text NOT NULL DEFAULT session_user
);

-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS client_events_at ON public.client_events (at);

ALTER TABLE public.client_events ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.client_events
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester;

-- Store one client's batch of call events; returns how many were stored.
-- The arrays are parallel, one element per event: the API function called,
-- its outcome class (see above), the SQLSTATE (NULL or '' for none), the
-- elapsed microseconds (clamped to 0..10 min), the attempt number (clamped
-- to 1..100) and how many milliseconds ago the call ended (clamped to
-- 0..1 h; the row's time is now() minus that, so no client clock is
-- trusted). No token: a kiosk records its log-in calls too. The whole
-- batch is refused (ZB008) when any element is malformed.
CREATE OR REPLACE FUNCTION public.api_record_client_events(
	p_functions text[], p_outcomes text[], p_sqlstates text[], p_elapsed_us bigint[],
	p_attempts integer[], p_ages_ms integer[])
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_n integer := coalesce(cardinality(p_functions), 0);
	v_bad text;
	v_first bigint;
	v_last bigint;
BEGIN
	PERFORM set_config('application_name', 'bazar record-events', true);
	PERFORM set_config('lock_timeout', '2s', true);
	IF p_functions IS NULL OR p_outcomes IS NULL OR p_sqlstates IS NULL OR p_elapsed_us IS NULL
	   OR p_attempts IS NULL OR p_ages_ms IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'every list of the event batch is required',
			DETAIL = 'batch=null';
	END IF;
	IF cardinality(p_outcomes) <> v_n OR cardinality(p_sqlstates) <> v_n
	   OR cardinality(p_elapsed_us) <> v_n OR cardinality(p_attempts) <> v_n
	   OR cardinality(p_ages_ms) <> v_n THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'the lists of the event batch differ in length',
			DETAIL = format('functions=%s', v_n);
	END IF;
	IF v_n > 200 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'an event batch holds at most 200 events',
			DETAIL = format('events=%s', v_n);
	END IF;
	IF v_n = 0 THEN
		RETURN 0;
	END IF;

	SELECT f INTO v_bad
	FROM unnest(p_functions) AS f
	WHERE f IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_proc AS p
	                               WHERE p.pronamespace = 'public'::regnamespace
	                                 AND p.proname = f AND p.proname LIKE 'api\_%')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'an event names no API function of this shop',
			DETAIL = format('function=%s', left(coalesce(v_bad, 'NULL'), 63));
	END IF;
	SELECT o INTO v_bad
	FROM unnest(p_outcomes) AS o
	WHERE o IS NULL OR o NOT IN ('ok', 'refused', 'constraint', 'serialization', 'deadlock',
	                             'timeout', 'connection', 'other')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'an event has an unknown outcome class',
			DETAIL = format('outcome=%s', left(coalesce(v_bad, 'NULL'), 20));
	END IF;
	SELECT s INTO v_bad
	FROM unnest(p_sqlstates) AS s
	WHERE s IS NOT NULL AND s <> '' AND s !~ '^[0-9A-Z]{5}$'
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'an event has a malformed SQLSTATE',
			DETAIL = format('sqlstate=%s', left(v_bad, 20));
	END IF;

	WITH ins AS (
		INSERT INTO public.client_events (at, function_name, outcome, sqlstate, elapsed_us, attempts)
		SELECT now() - make_interval(secs => least(greatest(coalesce(e.age, 0), 0), 3600000) / 1000.0),
		       e.f, e.o, nullif(e.s, ''),
		       least(greatest(coalesce(e.us, 0), 0), 600000000),
		       least(greatest(coalesce(e.a, 1), 1), 100)
		FROM unnest(p_functions, p_outcomes, p_sqlstates, p_elapsed_us, p_attempts, p_ages_ms)
		     AS e (f, o, s, us, a, age)
		RETURNING id
	)
	SELECT min(id), max(id) INTO v_first, v_last FROM ins;

	-- Retention, only when this batch crossed a multiple of 100 ids.
	IF v_last / 100 > (v_first - 1) / 100 THEN
		DELETE FROM public.client_events AS c
		WHERE c.id <= v_last - 50000 OR c.at < now() - interval '24 hours';
	END IF;
	RETURN v_n;
END
$fn$;

-- Per API function of this database, the busiest first: calls and mean
-- time as the server counted them (pg_stat_user_functions, cumulative
-- since the statistics were last reset; NULL mean without calls), and from
-- the clients' events of the last p_window_minutes (1..1440): calls, the
-- 95th percentile of their elapsed time, and the failures by class.
CREATE OR REPLACE FUNCTION public.api_staff_health(p_token text, p_window_minutes integer)
RETURNS TABLE (function_name text, calls bigint, mean_us bigint, client_calls bigint,
               client_p95_us bigint, refused bigint, constraint_errors bigint,
               serialization_failures bigint, deadlocks bigint, timeouts bigint,
               other_errors bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar staff health', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_window_minutes IS NULL OR p_window_minutes < 1 OR p_window_minutes > 1440 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'the window must be between 1 and 1440 minutes',
			DETAIL = format('window=%s', coalesce(p_window_minutes::text, 'NULL'));
	END IF;
	RETURN QUERY
	WITH srv AS (
		SELECT s.funcname::text AS fn, sum(s.calls)::bigint AS calls, sum(s.total_time) AS total_ms
		FROM pg_catalog.pg_stat_user_functions AS s
		WHERE s.schemaname = 'public' AND s.funcname LIKE 'api\_%'
		GROUP BY s.funcname
	), cli AS (
		SELECT e.function_name AS fn, count(*) AS calls,
		       (percentile_cont(0.95) WITHIN GROUP (ORDER BY e.elapsed_us))::bigint AS p95,
		       count(*) FILTER (WHERE e.outcome = 'refused') AS refused,
		       count(*) FILTER (WHERE e.outcome = 'constraint') AS cons,
		       count(*) FILTER (WHERE e.outcome = 'serialization') AS ser,
		       count(*) FILTER (WHERE e.outcome = 'deadlock') AS dead,
		       count(*) FILTER (WHERE e.outcome = 'timeout') AS tmo,
		       count(*) FILTER (WHERE e.outcome IN ('connection', 'other')) AS oth
		FROM public.client_events AS e
		WHERE e.at >= now() - make_interval(mins => p_window_minutes)
		GROUP BY e.function_name
	)
	SELECT coalesce(srv.fn, cli.fn), coalesce(srv.calls, 0),
	       CASE WHEN srv.calls > 0 THEN round(srv.total_ms * 1000 / srv.calls)::bigint END,
	       coalesce(cli.calls, 0), cli.p95, coalesce(cli.refused, 0), coalesce(cli.cons, 0),
	       coalesce(cli.ser, 0), coalesce(cli.dead, 0), coalesce(cli.tmo, 0), coalesce(cli.oth, 0)
	FROM srv FULL JOIN cli ON cli.fn = srv.fn
	ORDER BY coalesce(srv.calls, 0) DESC, coalesce(cli.calls, 0) DESC, 1;
END
$fn$;

-- One row per minute of the last p_minutes (1..120), oldest first, the
-- current minute last, zeros included: orders created, orders paid
-- (status paid or fulfilled, at their decision, else their creation),
-- checkout attempts (idempotency keys: a retry reuses its key, so this
-- counts the shopper's attempts), of which the shop refused (outcome
-- 'failed': sold out, promo, funds), and client calls that failed for a
-- technical reason (any class but ok and refused).
CREATE OR REPLACE FUNCTION public.api_staff_health_series(p_token text, p_minutes integer)
RETURNS TABLE (minute timestamptz, orders_created bigint, orders_paid bigint,
               checkouts bigint, checkouts_refused bigint, call_failures bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_to timestamptz := date_trunc('minute', now());
	v_from timestamptz;
BEGIN
	PERFORM set_config('application_name', 'bazar staff health-series', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_minutes IS NULL OR p_minutes < 1 OR p_minutes > 120 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'the series must be between 1 and 120 minutes',
			DETAIL = format('minutes=%s', coalesce(p_minutes::text, 'NULL'));
	END IF;
	v_from := v_to - make_interval(mins => p_minutes - 1);
	RETURN QUERY
	SELECT m.m,
	       (SELECT count(*) FROM public.orders AS o
	        WHERE o.created_at >= m.m AND o.created_at < m.m + interval '1 minute'),
	       (SELECT count(*) FROM public.orders AS o
	        WHERE o.status IN ('paid', 'fulfilled')
	          AND coalesce(o.decided_at, o.created_at) >= m.m
	          AND coalesce(o.decided_at, o.created_at) < m.m + interval '1 minute'),
	       (SELECT count(*) FROM public.idempotency_keys AS k
	        WHERE k.created_at >= m.m AND k.created_at < m.m + interval '1 minute'),
	       (SELECT count(*) FROM public.idempotency_keys AS k
	        WHERE k.outcome = 'failed'
	          AND k.created_at >= m.m AND k.created_at < m.m + interval '1 minute'),
	       (SELECT count(*) FROM public.client_events AS e
	        WHERE e.outcome NOT IN ('ok', 'refused')
	          AND e.at >= m.m AND e.at < m.m + interval '1 minute')
	FROM generate_series(v_from, v_to, interval '1 minute') AS m (m)
	ORDER BY m.m;
END
$fn$;

-- The shop's two rates over the last p_window_minutes (1..1440), with the
-- counts they come from, so the screen can say "12 of 14":
--   order success = checkouts_ok / (checkouts_ok + checkout_errors): of
--     the checkouts the shop did not refuse, how many made an order. The
--     shop's refusals (sold out, promo, funds: idempotency key outcome
--     'failed') are counted apart, in checkouts_refused. checkout_errors
--     are the clients' api_checkout / api_staff_checkout_for events that
--     failed for a technical reason (every attempt, retried or not).
--   checkout completion = orders_paid / orders_created: of the orders
--     started in the window, how many are paid (wallet orders at once,
--     bank transfers once approved).
-- A rate is NULL when its denominator is 0.
CREATE OR REPLACE FUNCTION public.api_staff_health_rates(p_token text, p_window_minutes integer)
RETURNS TABLE (checkouts_ok bigint, checkouts_refused bigint, checkout_errors bigint,
               order_success_pct integer, orders_created bigint, orders_paid bigint,
               completion_pct integer)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_since timestamptz;
	v_ok bigint;
	v_refused bigint;
	v_errors bigint;
	v_created bigint;
	v_paid bigint;
BEGIN
	PERFORM set_config('application_name', 'bazar staff health-rates', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_window_minutes IS NULL OR p_window_minutes < 1 OR p_window_minutes > 1440 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'the window must be between 1 and 1440 minutes',
			DETAIL = format('window=%s', coalesce(p_window_minutes::text, 'NULL'));
	END IF;
	v_since := now() - make_interval(mins => p_window_minutes);
	SELECT count(*) FILTER (WHERE k.outcome = 'ok'), count(*) FILTER (WHERE k.outcome = 'failed')
	INTO v_ok, v_refused
	FROM public.idempotency_keys AS k
	WHERE k.created_at >= v_since;
	SELECT count(*) INTO v_errors
	FROM public.client_events AS e
	WHERE e.at >= v_since AND e.function_name IN ('api_checkout', 'api_staff_checkout_for')
	  AND e.outcome NOT IN ('ok', 'refused');
	SELECT count(*), count(*) FILTER (WHERE o.status IN ('paid', 'fulfilled'))
	INTO v_created, v_paid
	FROM public.orders AS o
	WHERE o.created_at >= v_since;
	RETURN QUERY
	SELECT v_ok, v_refused, v_errors,
	       CASE WHEN v_ok + v_errors > 0 THEN (100 * v_ok / (v_ok + v_errors))::integer END,
	       v_created, v_paid,
	       CASE WHEN v_created > 0 THEN (100 * v_paid / v_created)::integer END;
END
$fn$;

DO $do$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'public.api_staff_health(text, integer)',
		'public.api_staff_health_series(text, integer)',
		'public.api_staff_health_rates(text, integer)'
	] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, bazar_client', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bazar_staff, bazar_tester', f);
	END LOOP;
	REVOKE ALL ON FUNCTION public.api_record_client_events(text[], text[], text[], bigint[],
		integer[], integer[]) FROM PUBLIC, anon, authenticated;
	GRANT EXECUTE ON FUNCTION public.api_record_client_events(text[], text[], text[], bigint[],
		integer[], integer[]) TO bazar_client, bazar_staff, bazar_tester;
END
$do$;
