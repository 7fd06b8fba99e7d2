-- 0009_promo_holds: promo validation, holds, and the one promo rule.
--
-- Applying a promo to a cart HOLDS one use of it for that shopper for
-- promo_hold_minutes (15), so the discount the shopper saw is the discount
-- they pay: a hold counts against max_uses like a use. Order creation
-- converts the hold (bz_promo_redeem); a cancelled, rejected or expired
-- bank-transfer order gives its use back (bz_promo_release_order); a hold
-- nobody converts simply stops counting when it expires: "live" is a time
-- predicate, evaluated by every query, so no cron job is needed.
--
-- THE ONE RULE: for every promo, used_count + live holds <= max_uses (NULL
-- = unlimited). It is decided in one place, bz_promo_room(), always with
-- the promo row locked FOR UPDATE, and every path that adds a use goes
-- through it: bz_promo_take (applying a code, and checkout when the shopper
-- holds none) and increment_promo_usage (the seed's helper, redefined here
-- with its signature and behaviour otherwise unchanged). bz_promo_redeem
-- turns a live hold into a use, which leaves the sum unchanged.
--
-- A hold is live when released_at IS NULL AND order_id IS NULL AND
-- expires_at > now(). "Open" (released_at and order_id NULL) holds are
-- unique per (promo, user): one live hold per promo per user is a
-- constraint, not a check. An open hold that expired is closed lazily
-- (released_at = expires_at) by the next bz_promo_take of that promo.
--
-- Caps against hoarding: one live hold per promo per user, at most
-- max_live_holds_per_user (5) live holds per user, holds expire after
-- promo_hold_minutes, and a hold never outlives its promo's valid_until.
--
-- What a determined hoarder can still do: with many accounts (one per
-- e-mail; registration is free), they can hold up to max_uses uses of a
-- limited promo, one per account, for promo_hold_minutes, and renew each
-- hold by applying the code again before it expires, keeping honest
-- shoppers out of the promo for as long as they keep at it. Why that is
-- acceptable: it gains them nothing they could not get by simply using
-- the codes (a hold is not a discount until an order is paid), each hold
-- needs a live session and a cart on one account and lapses by itself
-- within promo_hold_minutes once they stop, staff see the holds
-- (promo_holds) and can deactivate the promo or raise max_uses, and the
-- alternative (no holds) is worse: shoppers would see a discount at the
-- cart and lose it at the till. Shops that fear it shorten
-- promo_hold_minutes or lower max_live_holds_per_user.
--
-- Money: percentage discounts round DOWN to the cent (floor(subtotal *
-- percent / 100): the shop never gives more than the stated percentage);
-- fixed discounts are capped at the subtotal. A discount is never negative
-- and never exceeds the subtotal, so a total is never negative. The cases
-- in tests/fixtures/promo_cases.tsv run through bz_promo_discount
-- (tests/sql/promo_cases.sql) and through core/promo.c.
--
-- Safe to run twice. Rollback drops the new functions, restores 0002's
-- increment_promo_usage and keeps promo_holds with every row.

CREATE TABLE IF NOT EXISTS public.promo_holds (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	promo_id uuid NOT NULL REFERENCES public.promo_codes (id),
	user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	released_at timestamptz,
	order_id uuid REFERENCES public.orders (id)
);

-- The table is created just above, so these builds are instant and need
-- no CONCURRENTLY. The unique one makes "one open hold per promo per user"
-- a constraint and serves the per-promo count of live holds; the second
-- the per-user cap; the third bz_promo_release_order.
CREATE UNIQUE INDEX IF NOT EXISTS promo_holds_open_promo_user_key
	ON public.promo_holds (promo_id, user_id)
	WHERE released_at IS NULL AND order_id IS NULL;
CREATE INDEX IF NOT EXISTS promo_holds_open_user_idx
	ON public.promo_holds (user_id, expires_at)
	WHERE released_at IS NULL AND order_id IS NULL;
CREATE INDEX IF NOT EXISTS promo_holds_order_idx
	ON public.promo_holds (order_id)
	WHERE order_id IS NOT NULL;

ALTER TABLE public.promo_holds ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.promo_holds
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester;

-- The discount in cents of a promo on a subtotal: percentage rounds down
-- to the cent, fixed is capped at the subtotal; 0 <= result <= subtotal.
-- ZB008 for a negative or NULL subtotal, an unknown type, a value <= 0 or
-- a percentage above 100.
CREATE OR REPLACE FUNCTION public.bz_promo_discount(p_discount_type text, p_discount_value bigint,
                                                    p_subtotal_cents bigint)
RETURNS bigint
LANGUAGE plpgsql
IMMUTABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
BEGIN
	IF p_subtotal_cents IS NULL OR p_subtotal_cents < 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The subtotal must not be negative.',
			DETAIL = format('subtotal_cents=%s', coalesce(p_subtotal_cents::text, 'NULL'));
	END IF;
	IF p_discount_value IS NULL OR p_discount_value <= 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The discount must be positive.',
			DETAIL = format('discount_value=%s', coalesce(p_discount_value::text, 'NULL'));
	END IF;
	IF p_discount_type = 'percentage' THEN
		IF p_discount_value > 100 THEN
			RAISE EXCEPTION USING ERRCODE = 'ZB008',
				MESSAGE = 'A percentage discount is at most 100.',
				DETAIL = format('discount_value=%s', p_discount_value);
		END IF;
		-- numeric: no overflow for any bigint subtotal; floor = round down.
		RETURN floor(p_subtotal_cents::numeric * p_discount_value / 100)::bigint;
	ELSIF p_discount_type = 'fixed' THEN
		RETURN least(p_discount_value, p_subtotal_cents);
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'ZB008',
		MESSAGE = 'Unknown discount type.',
		DETAIL = format('discount_type=%s', coalesce(p_discount_type, 'NULL'));
END
$fn$;

-- THE ONE RULE: true when p_promo_id has room for one more use by p_user,
-- i.e. used_count + live holds of OTHER users < max_uses (a live hold of
-- p_user is the use being asked about, so it is not counted twice); with
-- p_user NULL, all live holds count. NULL max_uses: always room. False for
-- an unknown promo. Says nothing about activity or dates: callers check
-- those.
--
-- Locking: the caller must hold the promo row FOR UPDATE (every caller
-- below takes it first). All changes to a promo's budget (new holds,
-- extended holds, used_count) are made under that lock, so after the lock
-- is granted this statement (a new snapshot under READ COMMITTED) sees
-- every earlier change and none can happen until commit. That is why the
-- rule needs READ COMMITTED: an older snapshot could miss committed holds.
CREATE OR REPLACE FUNCTION public.bz_promo_room(p_promo_id uuid, p_user uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT coalesce((
		SELECT p.max_uses IS NULL
		       OR p.used_count + (SELECT count(*)
		                          FROM public.promo_holds AS h
		                          WHERE h.promo_id = p.id
		                            AND h.released_at IS NULL AND h.order_id IS NULL
		                            AND h.expires_at > now()
		                            AND h.user_id IS DISTINCT FROM p_user) < p.max_uses
		FROM public.promo_codes AS p
		WHERE p.id = p_promo_id
	), false)
$fn$;

-- Raises 0A000 unless the transaction runs at READ COMMITTED (see
-- bz_promo_room).
CREATE OR REPLACE FUNCTION public.bz_require_read_committed(p_caller text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
BEGIN
	IF current_setting('transaction_isolation') <> 'read committed' THEN
		RAISE EXCEPTION USING ERRCODE = '0A000',
			MESSAGE = format('%s must run at READ COMMITTED', p_caller),
			DETAIL = format('transaction_isolation=%s', current_setting('transaction_isolation'));
	END IF;
END
$fn$;

-- Takes (or renews) p_user's hold on one use of p_promo_id for an order
-- of p_subtotal_cents. status is the first reason that applies, in this
-- order: 'unknown', 'inactive', 'not_started', 'expired', 'min_order',
-- 'already_used' (the user's redemptions reached per_user_limit; NULL =
-- unlimited), 'used_up' (the one rule), 'hold_limit' (the user already
-- holds max_live_holds_per_user other promos), else 'ok' with the hold,
-- its discount (bz_promo_discount) and its expiry. A live hold of the user
-- on this promo is renewed, never doubled. Internal: trusts p_user (the
-- caller found it from a session, or is staff acting for a customer).
--
-- Locking, in the global order: the user's cart row (bz_cart_lock; the
-- per-user lock, so the user's hold count cannot change between the cap
-- check and the insert even across different promos), then the promo row
-- FOR UPDATE (serialises every use of this promo: the rule's lock). A
-- caller must not hold a promo row lock already, nor a FOR SHARE/KEY SHARE
-- lock on the user's cart (it would have to upgrade). READ COMMITTED,
-- enforced: see bz_promo_room.
CREATE OR REPLACE FUNCTION public.bz_promo_take(p_user uuid, p_promo_id uuid, p_subtotal_cents bigint)
RETURNS TABLE (status text, hold_id uuid, discount_cents bigint, expires_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_promo public.promo_codes%ROWTYPE;
	v_hold uuid;
	v_expires timestamptz;
BEGIN
	PERFORM public.bz_require_read_committed('bz_promo_take');
	IF p_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'No user was given.',
			DETAIL = 'user';
	END IF;
	IF p_subtotal_cents IS NULL OR p_subtotal_cents < 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The subtotal must not be negative.',
			DETAIL = format('subtotal_cents=%s', coalesce(p_subtotal_cents::text, 'NULL'));
	END IF;

	PERFORM public.bz_cart_lock(p_user);

	SELECT p.* INTO v_promo FROM public.promo_codes AS p WHERE p.id = p_promo_id FOR UPDATE;
	IF NOT FOUND THEN
		RETURN QUERY SELECT 'unknown'::text, NULL::uuid, 0::bigint, NULL::timestamptz;
		RETURN;
	END IF;

	-- Close this promo's expired open holds: they no longer count anyway,
	-- and closing them keeps the counts below cheap.
	UPDATE public.promo_holds AS h
	SET released_at = h.expires_at
	WHERE h.promo_id = p_promo_id
	  AND h.released_at IS NULL AND h.order_id IS NULL
	  AND h.expires_at <= now();

	SELECT h.id INTO v_hold
	FROM public.promo_holds AS h
	WHERE h.promo_id = p_promo_id AND h.user_id = p_user
	  AND h.released_at IS NULL AND h.order_id IS NULL;

	status := CASE
		WHEN NOT v_promo.is_active THEN 'inactive'
		WHEN v_promo.valid_from IS NOT NULL AND now() < v_promo.valid_from THEN 'not_started'
		WHEN v_promo.valid_until IS NOT NULL AND now() >= v_promo.valid_until THEN 'expired'
		WHEN p_subtotal_cents < v_promo.min_order_cents THEN 'min_order'
		WHEN v_promo.per_user_limit IS NOT NULL
		     AND (SELECT count(*) FROM public.promo_redemptions AS r
		          WHERE r.promo_id = p_promo_id AND r.user_id = p_user) >= v_promo.per_user_limit
		     THEN 'already_used'
		WHEN NOT public.bz_promo_room(p_promo_id, p_user) THEN 'used_up'
		WHEN v_hold IS NULL
		     AND (SELECT count(*) FROM public.promo_holds AS h
		          WHERE h.user_id = p_user
		            AND h.released_at IS NULL AND h.order_id IS NULL
		            AND h.expires_at > now())
		         >= public.bz_setting_int('max_live_holds_per_user', 5) THEN 'hold_limit'
		ELSE 'ok'
	END;

	IF status <> 'ok' THEN
		-- A hold the shopper can no longer use should not keep a use away
		-- from others.
		IF v_hold IS NOT NULL THEN
			UPDATE public.promo_holds AS h SET released_at = now() WHERE h.id = v_hold;
		END IF;
		RETURN QUERY SELECT status, NULL::uuid, 0::bigint, NULL::timestamptz;
		RETURN;
	END IF;

	v_expires := least(now() + make_interval(mins => greatest(public.bz_setting_int('promo_hold_minutes', 15), 1)),
	                   v_promo.valid_until);
	IF v_hold IS NOT NULL THEN
		UPDATE public.promo_holds AS h SET expires_at = v_expires WHERE h.id = v_hold;
	ELSE
		INSERT INTO public.promo_holds (promo_id, user_id, expires_at)
		VALUES (p_promo_id, p_user, v_expires)
		RETURNING id INTO v_hold;
	END IF;

	RETURN QUERY SELECT 'ok'::text, v_hold,
	                    public.bz_promo_discount(v_promo.discount_type, v_promo.discount_value, p_subtotal_cents),
	                    v_expires;
END
$fn$;

-- Converts a live hold into a use by p_order_id (an order of the hold's
-- user): the hold gets the order, used_count goes up by one and a
-- promo_redemptions row records it. ZB002 when the hold is not live (it
-- expired, was released or was already converted) or the user already
-- reached per_user_limit; ZB006 for an order that is not the hold user's.
-- Checkout calls bz_promo_take first (renewing the hold, in the same
-- transaction) and then this, so a hold cannot expire in between.
--
-- Locking: the promo row FOR UPDATE first (global order: promo_codes
-- before the rest), then the hold row by the conditional UPDATE, whose
-- WHERE re-checks liveness on the newest row version (READ COMMITTED), so
-- a concurrent release or conversion of the same hold leaves exactly one
-- winner. The sum used_count + live holds does not change: the rule
-- stays true without re-checking it; the CHECK used_count <= max_uses
-- (0003) is the backstop.
CREATE OR REPLACE FUNCTION public.bz_promo_redeem(p_hold_id uuid, p_order_id uuid)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_promo_id uuid;
	v_user uuid;
	v_limit bigint;
BEGIN
	PERFORM public.bz_require_read_committed('bz_promo_redeem');
	IF p_hold_id IS NULL OR p_order_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'A hold and an order are required.',
			DETAIL = 'hold_id, order_id';
	END IF;

	SELECT h.promo_id INTO v_promo_id FROM public.promo_holds AS h WHERE h.id = p_hold_id;
	IF v_promo_id IS NOT NULL THEN
		SELECT p.per_user_limit INTO v_limit
		FROM public.promo_codes AS p WHERE p.id = v_promo_id FOR UPDATE;
	END IF;

	UPDATE public.promo_holds AS h
	SET order_id = p_order_id
	WHERE h.id = p_hold_id
	  AND h.released_at IS NULL AND h.order_id IS NULL
	  AND h.expires_at > now()
	RETURNING h.user_id INTO v_user;
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB002',
			MESSAGE = 'Your promo code is no longer held for you; please apply it again.',
			DETAIL = format('hold_id=%s not live', p_hold_id);
	END IF;
	IF NOT EXISTS (SELECT 1 FROM public.orders AS o WHERE o.id = p_order_id AND o.user_id = v_user) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006',
			MESSAGE = 'The order was not found.',
			DETAIL = format('order_id=%s is not the hold user''s', p_order_id);
	END IF;
	IF v_limit IS NOT NULL
	   AND (SELECT count(*) FROM public.promo_redemptions AS r
	        WHERE r.promo_id = v_promo_id AND r.user_id = v_user) >= v_limit THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB002',
			MESSAGE = 'You have already used this code.',
			DETAIL = format('per_user_limit=%s', v_limit);
	END IF;

	UPDATE public.promo_codes AS p SET used_count = p.used_count + 1 WHERE p.id = v_promo_id;
	INSERT INTO public.promo_redemptions (promo_id, user_id, order_id)
	VALUES (v_promo_id, v_user, p_order_id);
END
$fn$;

-- Gives back the promo use of an order that will not be paid (rejected,
-- cancelled or expired bank transfer): deletes its redemptions, lowers
-- used_count by as many, and marks the order's holds released. Does
-- nothing for an order without one, so calling it twice is harmless.
--
-- Locking: each promo row FOR UPDATE (in promo id order), the rule's lock,
-- so the decrement cannot interleave with a take that is counting. Call it
-- before locking the order row (promo_codes come before orders in the
-- global lock order).
CREATE OR REPLACE FUNCTION public.bz_promo_release_order(p_order_id uuid)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_promo uuid;
	v_n bigint;
BEGIN
	PERFORM public.bz_require_read_committed('bz_promo_release_order');
	IF p_order_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'An order is required.',
			DETAIL = 'order_id';
	END IF;

	FOR v_promo IN
		SELECT DISTINCT x.promo_id
		FROM (SELECT h.promo_id FROM public.promo_holds AS h WHERE h.order_id = p_order_id
		      UNION
		      SELECT o.promo_id FROM public.orders AS o
		      WHERE o.id = p_order_id AND o.promo_id IS NOT NULL) AS x
		ORDER BY x.promo_id
	LOOP
		PERFORM 1 FROM public.promo_codes AS p WHERE p.id = v_promo FOR UPDATE;
		WITH gone AS (
			DELETE FROM public.promo_redemptions AS r
			WHERE r.promo_id = v_promo AND r.order_id = p_order_id
			RETURNING 1
		)
		SELECT count(*) INTO v_n FROM gone;
		IF v_n > 0 THEN
			UPDATE public.promo_codes AS p
			SET used_count = greatest(p.used_count - v_n, 0)
			WHERE p.id = v_promo;
		END IF;
		UPDATE public.promo_holds AS h
		SET released_at = now()
		WHERE h.promo_id = v_promo AND h.order_id = p_order_id AND h.released_at IS NULL;
	END LOOP;
END
$fn$;

-- The seed's helper, redefined to follow the one rule: takes one use iff
-- the promo is active, inside its dates and has room (used_count + live
-- holds < max_uses; NULL = unlimited). True when a use was taken. Same
-- signature, same caller's-rights and pinned search_path as in 0002.
--
-- Locking: the promo row FOR UPDATE, then the rule, then the increment,
-- so concurrent callers (and concurrent takes) are serialised on the row:
-- the max_uses-th + 1 sees no room. READ COMMITTED, enforced: under an
-- older snapshot the rule could miss committed holds.
CREATE OR REPLACE FUNCTION public.increment_promo_usage(p_promo_id uuid)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SET search_path = public, pg_temp
AS $fn$
BEGIN
	PERFORM public.bz_require_read_committed('increment_promo_usage');
	PERFORM 1
	FROM public.promo_codes AS p
	WHERE p.id = p_promo_id
	  AND p.is_active
	  AND (p.valid_from IS NULL OR p.valid_from <= now())
	  AND (p.valid_until IS NULL OR now() < p.valid_until)
	FOR UPDATE;
	IF NOT FOUND OR NOT public.bz_promo_room(p_promo_id, NULL) THEN
		RETURN false;
	END IF;
	UPDATE public.promo_codes AS p SET used_count = p.used_count + 1 WHERE p.id = p_promo_id;
	RETURN true;
END
$fn$;

-- Validates p_code against the session user's cart (priced from the
-- database) and, when it applies, holds one use for them. Returns status
-- (as bz_promo_take), a sentence for the shopper, the discount, subtotal
-- and total, and when the hold lapses; business refusals are returned,
-- not raised. ZB009 when p_cart_version is not the cart's version (the
-- shopper is looking at an old cart); ZB008 for an empty cart. The
-- subtotal counts products still on sale.
--
-- Locking: session (share), then the cart row (bz_cart_lock, held to
-- commit: the subtotal is the one of the version checked), then the promo
-- row inside bz_promo_take. READ COMMITTED: see bz_promo_take.
CREATE OR REPLACE FUNCTION public.api_promo_apply(p_token text, p_code text, p_cart_version bigint)
RETURNS TABLE (status text, message text, promo_code text, discount_cents bigint,
               subtotal_cents bigint, total_cents bigint, hold_expires_at timestamptz,
               started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid;
	v_version bigint;
	v_subtotal bigint;
	v_promo public.promo_codes%ROWTYPE;
	v_take record;
	v_message text;
BEGIN
	PERFORM set_config('application_name', 'bazar promo apply', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);

	v_version := public.bz_cart_lock(v_user);
	PERFORM public.bz_cart_check_version(v_version, p_cart_version);

	SELECT coalesce(sum(pr.price_cents * l.quantity), 0)::bigint INTO v_subtotal
	FROM public.cart_lines AS l
	JOIN public.products AS pr ON pr.id = l.product_id
	WHERE l.user_id = v_user AND pr.is_active;
	IF v_subtotal = 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'Your cart is empty.',
			DETAIL = 'subtotal_cents=0';
	END IF;

	IF p_code IS NOT NULL AND char_length(trim(p_code)) BETWEEN 1 AND 64 THEN
		SELECT p.* INTO v_promo FROM public.promo_codes AS p WHERE lower(p.code) = lower(trim(p_code));
	END IF;
	SELECT * INTO v_take FROM public.bz_promo_take(v_user, v_promo.id, v_subtotal);

	v_message := CASE v_take.status
		WHEN 'ok' THEN 'Code applied.'
		WHEN 'unknown' THEN 'This code does not exist.'
		WHEN 'inactive' THEN 'This code is not active.'
		WHEN 'not_started' THEN 'This code is not valid yet.'
		WHEN 'expired' THEN 'This code has expired.'
		WHEN 'min_order' THEN format('This code needs an order of at least %s.%s.',
		                             v_promo.min_order_cents / 100,
		                             lpad((v_promo.min_order_cents % 100)::text, 2, '0'))
		WHEN 'already_used' THEN 'You have already used this code.'
		WHEN 'used_up' THEN 'This code has been used up.'
		WHEN 'hold_limit' THEN 'You are holding too many codes; remove one first.'
	END;

	RETURN QUERY SELECT v_take.status, v_message,
	                    CASE WHEN v_take.status = 'unknown' THEN NULL ELSE v_promo.code END,
	                    v_take.discount_cents, v_subtotal, v_subtotal - v_take.discount_cents,
	                    v_take.expires_at, v_started;
END
$fn$;

-- Releases the session user's hold on p_code, if they have one (nothing
-- otherwise: releasing twice is harmless).
--
-- Locking: session, then the user's cart row (the per-user lock, as in
-- bz_promo_take, so a release and a renewal of the same hold are
-- ordered). No promo row lock is needed: a release only lowers the count.
CREATE OR REPLACE FUNCTION public.api_promo_release(p_token text, p_code text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar promo release', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);
	PERFORM public.bz_cart_lock(v_user);

	UPDATE public.promo_holds AS h
	SET released_at = now()
	FROM public.promo_codes AS p
	WHERE p.id = h.promo_id
	  AND lower(p.code) = lower(trim(p_code))
	  AND h.user_id = v_user
	  AND h.released_at IS NULL AND h.order_id IS NULL;
END
$fn$;

REVOKE ALL ON FUNCTION public.bz_promo_discount(text, bigint, bigint) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_promo_room(uuid, uuid) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_require_read_committed(text) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_promo_take(uuid, uuid, bigint) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_promo_redeem(uuid, uuid) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_promo_release_order(uuid) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_promo_apply(text, text, bigint) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_promo_release(text, text) FROM PUBLIC, anon, authenticated;
-- CREATE OR REPLACE keeps 0002's privileges; said again, as 0004 does.
REVOKE EXECUTE ON FUNCTION public.increment_promo_usage(uuid)
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_promo_apply(text, text, bigint) TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_promo_release(text, text) TO bazar_client, bazar_staff, bazar_tester;
