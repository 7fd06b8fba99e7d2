-- 0019_staff_promos: what the console's Promos screen reads and changes.
--
--   api_staff_promos(token)                        every promo with its usage
--   api_staff_promo_update(token, code, valid_from, valid_until,
--                          max_uses, per_user_limit, min_order_cents)
--                                                  new dates and limits
--
-- Creating and switching a promo on or off are 0011's
-- api_staff_promo_create and api_staff_promo_set_active, unchanged: the
-- create validates every argument already (code shape, type, value range,
-- min order >= 0, limits >= 1, start before end) and the table's CHECKs
-- (0003) back it, so nothing is replaced here.
--
-- Usage is the one rule of 0009: used_count + live holds <= max_uses. A
-- hold is live when released_at IS NULL AND order_id IS NULL AND
-- expires_at > now(). The list shows both halves; the update refuses a
-- max_uses below their sum, so raising or lowering a limit can never
-- break the rule for a shopper who holds a use or has paid for one.
--
-- Every function takes the session token of a staff account
-- (bz_session_staff: ZB004 without a live session, ZB005 for a customer).
-- The update is audited ('promo.updated', with the old and the new values)
-- with the staff member as actor; the list is a read (not audited).
-- Granted to bazar_staff and the race lab's bazar_tester only.
--
-- Safe to run twice. Rollback drops the two functions.

-- Every promo, newest first, with its usage: used_count (the uses the
-- rule counts), redemptions (promo_redemptions rows: uses by a known
-- order; the seed's increment_promo_usage counts without one), live_holds
-- (uses held in carts right now) and state, the first that applies of:
-- 'off' (switched off), 'expired' (at or after valid_until), 'scheduled'
-- (before valid_from), 'used_up' (used_count + live holds reached
-- max_uses), else 'active'. One statement, one snapshot; no row locks
-- beyond the session's FOR SHARE.
CREATE OR REPLACE FUNCTION public.api_staff_promos(p_token text)
RETURNS TABLE (promo_id uuid, code text, discount_type text, discount_value bigint,
               min_order_cents bigint, max_uses bigint, per_user_limit bigint,
               valid_from timestamptz, valid_until timestamptz, is_active boolean,
               used_count bigint, redemptions bigint, live_holds bigint, state text,
               created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar staff promos', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	RETURN QUERY
	SELECT p.id, p.code, p.discount_type, p.discount_value, p.min_order_cents, p.max_uses,
	       p.per_user_limit, p.valid_from, p.valid_until, p.is_active, p.used_count,
	       coalesce(r.n, 0), coalesce(h.n, 0),
	       CASE
	       WHEN NOT p.is_active THEN 'off'
	       WHEN p.valid_until IS NOT NULL AND now() >= p.valid_until THEN 'expired'
	       WHEN p.valid_from IS NOT NULL AND now() < p.valid_from THEN 'scheduled'
	       WHEN p.max_uses IS NOT NULL AND p.used_count + coalesce(h.n, 0) >= p.max_uses THEN 'used_up'
	       ELSE 'active'
	       END,
	       p.created_at
	FROM public.promo_codes AS p
	LEFT JOIN LATERAL (SELECT count(*) AS n FROM public.promo_redemptions AS x
	                   WHERE x.promo_id = p.id) AS r ON true
	LEFT JOIN LATERAL (SELECT count(*) AS n FROM public.promo_holds AS x
	                   WHERE x.promo_id = p.id
	                     AND x.released_at IS NULL AND x.order_id IS NULL
	                     AND x.expires_at > now()) AS h ON true
	ORDER BY p.created_at DESC, p.code;
END
$fn$;

-- Sets the dates and limits of the promo CODE (case-insensitively; ZB006
-- when unknown) to exactly the values given: NULL valid_from / valid_until
-- mean always / never ends, NULL max_uses / per_user_limit unlimited,
-- NULL min_order 0. ZB008 with a sentence when the end is not after the
-- start, a limit is below 1, the minimum order is negative or above
-- 1,000,000.00, or max_uses is below what is already used plus held
-- (lowering it that far would take back uses shoppers were promised).
-- Type, value and code never change: a different discount is a new promo.
-- changed: false when every value was already so (nothing audited).
--
-- Locking, in the global order (0010): the session (step 1, FOR SHARE),
-- then the promo row FOR UPDATE (step 4), and nothing after it but the
-- audit insert (step 8). Every change to a promo's budget (a new or
-- renewed hold in bz_promo_take, a redemption, a release of an order's
-- use) is made under that same row lock, so once it is granted the count
-- below (a new snapshot under READ COMMITTED, enforced) sees every
-- committed use and hold, and none can be added until this commits: a
-- concurrent redemption either came first and is counted, or waits and
-- then sees the new max_uses. The CHECK used_count <= max_uses (0003) is
-- the backstop.
CREATE OR REPLACE FUNCTION public.api_staff_promo_update(p_token text, p_code text,
                                                         p_valid_from timestamptz,
                                                         p_valid_until timestamptz,
                                                         p_max_uses bigint, p_per_user_limit bigint,
                                                         p_min_order_cents bigint)
RETURNS TABLE (promo_id uuid, code text, used_count bigint, live_holds bigint, changed boolean,
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
	v_old public.promo_codes%ROWTYPE;
	v_min bigint := coalesce(p_min_order_cents, 0);
	v_holds bigint;
	v_old_json jsonb;
	v_new_json jsonb;
	v_changes text;
BEGIN
	PERFORM set_config('application_name', 'bazar promo update', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_require_read_committed('api_staff_promo_update');
	v_staff := public.bz_session_staff(p_token);

	IF p_valid_from IS NOT NULL AND p_valid_until IS NOT NULL AND p_valid_until <= p_valid_from THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The promo must end after it starts.',
			DETAIL = 'valid_from, valid_until';
	END IF;
	IF p_max_uses IS NOT NULL AND p_max_uses < 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'Max uses is at least 1, or empty for no limit.',
			DETAIL = format('max_uses=%s', p_max_uses);
	END IF;
	IF p_per_user_limit IS NOT NULL AND p_per_user_limit < 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The per-customer limit is at least 1, or empty for no limit.',
			DETAIL = format('per_user_limit=%s', p_per_user_limit);
	END IF;
	IF v_min < 0 OR v_min > 100000000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The minimum order is 0.00 to 1000000.00.',
			DETAIL = format('min_order_cents=%s', v_min);
	END IF;

	SELECT p.* INTO v_old
	FROM public.promo_codes AS p
	WHERE lower(p.code) = lower(btrim(coalesce(p_code, '')))
	FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such promo code.', DETAIL = 'code';
	END IF;

	-- Under the row lock: every committed hold, and no new one until commit.
	SELECT count(*) INTO v_holds
	FROM public.promo_holds AS h
	WHERE h.promo_id = v_old.id
	  AND h.released_at IS NULL AND h.order_id IS NULL
	  AND h.expires_at > now();
	IF p_max_uses IS NOT NULL AND p_max_uses < v_old.used_count + v_holds THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = format('%s has been used %s time%s and %s use%s held in carts, so max uses '
			                 'cannot be below %s.',
			                 v_old.code, v_old.used_count, CASE WHEN v_old.used_count = 1 THEN '' ELSE 's' END,
			                 v_holds, CASE WHEN v_holds = 1 THEN ' is' ELSE 's are' END,
			                 v_old.used_count + v_holds),
			DETAIL = format('max_uses=%s, used_count=%s, live_holds=%s', p_max_uses, v_old.used_count, v_holds);
	END IF;

	v_old_json := jsonb_build_object('valid_from', v_old.valid_from, 'valid_until', v_old.valid_until,
	                                 'max_uses', v_old.max_uses, 'per_user_limit', v_old.per_user_limit,
	                                 'min_order_cents', v_old.min_order_cents);
	v_new_json := jsonb_build_object('valid_from', p_valid_from, 'valid_until', p_valid_until,
	                                 'max_uses', p_max_uses, 'per_user_limit', p_per_user_limit,
	                                 'min_order_cents', v_min);
	-- "max_uses 1->5 valid_until none->2027-01-01 00:00": the audit
	-- screen's summary shows scalar values only.
	SELECT string_agg(format('%s %s->%s', n.key,
	                         coalesce(o.value #>> '{}', 'none'), coalesce(n.value #>> '{}', 'none')),
	                  ' ' ORDER BY n.key)
	INTO v_changes
	FROM jsonb_each(v_new_json) AS n
	JOIN jsonb_each(v_old_json) AS o ON o.key = n.key
	WHERE n.value IS DISTINCT FROM o.value;

	IF v_changes IS NULL THEN
		RETURN QUERY SELECT v_old.id, v_old.code, v_old.used_count, v_holds, false, v_started;
		RETURN;
	END IF;

	UPDATE public.promo_codes AS p
	SET valid_from = p_valid_from, valid_until = p_valid_until, max_uses = p_max_uses,
	    per_user_limit = p_per_user_limit, min_order_cents = v_min
	WHERE p.id = v_old.id;

	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'promo.updated', 'promo_codes', v_old.id::text,
	        jsonb_build_object('code', v_old.code, 'changes', v_changes,
	                           'old', v_old_json, 'new', v_new_json,
	                           'used_count', v_old.used_count, 'live_holds', v_holds));
	RETURN QUERY SELECT v_old.id, v_old.code, v_old.used_count, v_holds, true, v_started;
END
$fn$;

DO $do$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'public.api_staff_promos(text)',
		'public.api_staff_promo_update(text, text, timestamptz, timestamptz, bigint, bigint, bigint)'
	] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, bazar_client', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bazar_staff, bazar_tester', f);
	END LOOP;
END
$do$;
