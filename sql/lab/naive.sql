-- The race suite's NAIVE CONTROL: the shop as the racy web shop wrote it,
-- in a schema of its own, so that every checker of the attack suite can be
-- shown to catch the bugs it guards against (a checker that never catches
-- this version proves nothing).
--
-- Loaded only by the race lab (race/run.c, as the owner, when a naive run
-- is asked for), never by a migration; by hand:
--   psql -v ON_ERROR_STOP=1 -f sql/lab/naive.sql "$DATABASE_URL"
-- as the database owner or a superuser, after the shop's migrations (it
-- uses the shop's roles and pgcrypto). Idempotent: it drops and recreates
-- schema naive with everything in it.
--
-- Its tables are its own, pre-fix copies (as in 0001_base): no CHECK
-- constraints, no unique index on codes, e-mails or holds, no row-level
-- security. With the shop's constraints in place the database itself would
-- refuse most double-spends, and the checkers could not see them.
--
-- Its functions have the SAME names, signatures and result columns as the
-- real API (public.api_*), so the suite drives both through one code path
-- by switching the schema, and naive.bz_check_invariants() has the same
-- output shape and check names as public.bz_check_invariants(). They are
-- read-check-write with no locks and no conditional UPDATEs:
--   register     SELECT the e-mail; if absent, INSERT        -> two accounts
--   login        SELECT failures; UPDATE failures = old + 1  -> lost counts;
--                every login makes a new session             -> double submits
--   cart_set     SELECT version; compare; UPDATE version = old + 1 -> lost updates
--   promo_apply  SELECT holds and used_count; compare; INSERT hold -> over-holding
--   checkout     SELECT an order with the key; if none, go on -> duplicate orders;
--                the cart is checked once and its lines read again later
--                                                           -> order != what was priced;
--                SELECT balance; compare; UPDATE balance = old - total -> overspend,
--                                                              ledger != balance;
--                SELECT n available codes; UPDATE them       -> a code on two orders;
--                SELECT used_count; compare; UPDATE = old + 1 -> promo over max_uses
--   approve/reject  SELECT status; if awaiting, UPDATE      -> both decisions win
--   void_code    SELECT status; if available, UPDATE        -> voids a sold code
-- No pg_sleep or other artificial window is added: at 32 sessions released
-- together, the time between each read and its write (a few statements)
-- is enough for the races to show.
--
-- SECURITY DEFINER (owned by whoever loads this file) with search_path
-- pinned, and granted to bazar_tester, bazar_client and bazar_staff, so the
-- client roles still need no table privileges.

SET client_min_messages = warning;
DROP SCHEMA IF EXISTS naive CASCADE;
CREATE SCHEMA naive;
GRANT USAGE ON SCHEMA naive TO bazar_tester, bazar_client, bazar_staff;

CREATE TABLE naive.users (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email text NOT NULL,
	password_hash text NOT NULL,
	display_name text NOT NULL DEFAULT '',
	is_staff boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE naive.sessions (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	token text NOT NULL,
	user_id uuid NOT NULL REFERENCES naive.users (id),
	request_id uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	revoked_at timestamptz
);
CREATE TABLE naive.login_throttle (
	email_lower text PRIMARY KEY,
	failures bigint NOT NULL DEFAULT 0,
	window_started_at timestamptz NOT NULL DEFAULT now(),
	locked_until timestamptz
);
CREATE TABLE naive.products (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL,
	description text NOT NULL DEFAULT '',
	category text NOT NULL DEFAULT 'Uncategorised',
	price_cents bigint NOT NULL,
	is_active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE naive.promo_codes (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	code text NOT NULL,
	discount_type text NOT NULL,
	discount_value bigint NOT NULL,
	min_order_cents bigint NOT NULL DEFAULT 0,
	max_uses bigint,
	used_count bigint NOT NULL DEFAULT 0,
	per_user_limit bigint,
	valid_from timestamptz,
	valid_until timestamptz,
	is_active boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE naive.orders (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL REFERENCES naive.users (id),
	status text NOT NULL DEFAULT 'pending',
	payment_method text NOT NULL DEFAULT 'wallet',
	subtotal_cents bigint NOT NULL DEFAULT 0,
	discount_cents bigint NOT NULL DEFAULT 0,
	total_cents bigint NOT NULL DEFAULT 0,
	promo_id uuid REFERENCES naive.promo_codes (id),
	idempotency_key text,
	cart_version bigint,
	expires_at timestamptz,
	decided_by uuid,
	decided_at timestamptz,
	decision_reason text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE naive.order_items (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	order_id uuid NOT NULL REFERENCES naive.orders (id),
	product_id uuid NOT NULL REFERENCES naive.products (id),
	quantity bigint NOT NULL,
	unit_price_cents bigint NOT NULL
);
CREATE TABLE naive.product_codes (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	product_id uuid NOT NULL REFERENCES naive.products (id),
	code text NOT NULL,
	status text NOT NULL DEFAULT 'available',
	order_id uuid REFERENCES naive.orders (id),
	reserved_until timestamptz,
	used_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE naive.promo_redemptions (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	promo_id uuid NOT NULL REFERENCES naive.promo_codes (id),
	user_id uuid NOT NULL REFERENCES naive.users (id),
	order_id uuid REFERENCES naive.orders (id),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE naive.promo_holds (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	promo_id uuid NOT NULL REFERENCES naive.promo_codes (id),
	user_id uuid NOT NULL REFERENCES naive.users (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	released_at timestamptz,
	order_id uuid REFERENCES naive.orders (id)
);
CREATE TABLE naive.wallets (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL REFERENCES naive.users (id),
	balance_cents bigint NOT NULL DEFAULT 0,
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE naive.wallet_ledger (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	wallet_id uuid NOT NULL REFERENCES naive.wallets (id),
	amount_cents bigint NOT NULL,
	balance_after_cents bigint NOT NULL,
	reason text NOT NULL,
	order_id uuid REFERENCES naive.orders (id),
	created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE naive.carts (
	user_id uuid PRIMARY KEY REFERENCES naive.users (id),
	version bigint NOT NULL DEFAULT 0,
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE naive.cart_lines (
	user_id uuid NOT NULL REFERENCES naive.users (id),
	product_id uuid NOT NULL REFERENCES naive.products (id),
	quantity bigint NOT NULL,
	added_at timestamptz NOT NULL DEFAULT now()
);
-- Plain indexes only (no uniqueness), so the checkers run fast at 256 sessions.
CREATE INDEX ON naive.product_codes (product_id, status);
CREATE INDEX ON naive.product_codes (order_id);
CREATE INDEX ON naive.orders (user_id, idempotency_key);
CREATE INDEX ON naive.cart_lines (user_id);
CREATE INDEX ON naive.sessions (token);
CREATE INDEX ON naive.users (lower(email));
CREATE INDEX ON naive.wallet_ledger (wallet_id);
CREATE INDEX ON naive.promo_holds (promo_id);
CREATE INDEX ON naive.promo_redemptions (promo_id);

-- --------------------------------------------------------------- sessions

CREATE FUNCTION naive.bz_session_user(p_token text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_user uuid;
BEGIN
	SELECT s.user_id INTO v_user FROM naive.sessions AS s
	WHERE s.token = p_token AND s.revoked_at IS NULL AND s.expires_at > now();
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB004', MESSAGE = 'Please log in again.',
			DETAIL = 'session unknown, expired or revoked';
	END IF;
	RETURN v_user;
END
$fn$;

CREATE FUNCTION naive.bz_session_staff(p_token text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_user uuid := naive.bz_session_user(p_token);
BEGIN
	IF NOT (SELECT u.is_staff FROM naive.users AS u WHERE u.id = v_user) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB005', MESSAGE = 'This needs a staff account.', DETAIL = 'user is not staff';
	END IF;
	RETURN v_user;
END
$fn$;

-- Read the e-mail, then insert: two registrations of one e-mail both pass the read.
CREATE FUNCTION naive.api_register(p_email text, p_password text, p_display_name text)
RETURNS TABLE (user_id uuid, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid;
BEGIN
	IF EXISTS (SELECT 1 FROM naive.users AS u WHERE lower(u.email) = lower(trim(p_email))) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB007', MESSAGE = 'This e-mail is already registered.', DETAIL = 'email';
	END IF;
	INSERT INTO naive.users (email, password_hash, display_name)
	VALUES (trim(p_email), crypt(p_password, gen_salt('bf', 4)), coalesce(p_display_name, ''))
	RETURNING id INTO v_user;
	INSERT INTO naive.wallets (user_id) VALUES (v_user);
	RETURN QUERY SELECT v_user, v_started;
END
$fn$;

-- Read the failure count, write it back plus one: parallel wrong guesses
-- overwrite each other's count. Every success makes a new session.
CREATE FUNCTION naive.api_login(p_email text, p_password text, p_request_id uuid)
RETURNS TABLE (status text, session_token text, user_id uuid, is_staff boolean,
               expires_at timestamptz, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_email text := lower(trim(p_email));
	v_failures bigint;
	v_locked timestamptz;
	v_user naive.users%ROWTYPE;
	v_token text;
BEGIN
	INSERT INTO naive.login_throttle (email_lower) VALUES (v_email) ON CONFLICT DO NOTHING;
	SELECT t.failures, t.locked_until INTO v_failures, v_locked
	FROM naive.login_throttle AS t WHERE t.email_lower = v_email;
	IF v_locked > now() THEN
		UPDATE naive.login_throttle SET failures = v_failures + 1 WHERE email_lower = v_email;
		RETURN QUERY SELECT 'throttled'::text, NULL::text, NULL::uuid, NULL::boolean, NULL::timestamptz, v_started;
		RETURN;
	END IF;
	SELECT u.* INTO v_user FROM naive.users AS u WHERE lower(u.email) = v_email LIMIT 1;
	IF v_user.id IS NULL OR v_user.password_hash <> crypt(coalesce(p_password, ''), v_user.password_hash) THEN
		UPDATE naive.login_throttle
		SET failures = v_failures + 1,
		    locked_until = CASE WHEN v_failures + 1 >= 5 THEN now() + interval '15 minutes' END
		WHERE email_lower = v_email;
		RETURN QUERY SELECT 'invalid'::text, NULL::text, NULL::uuid, NULL::boolean, NULL::timestamptz, v_started;
		RETURN;
	END IF;
	UPDATE naive.login_throttle SET failures = 0, locked_until = NULL WHERE email_lower = v_email;
	v_token := encode(gen_random_bytes(32), 'hex');
	INSERT INTO naive.sessions (token, user_id, request_id, expires_at)
	VALUES (v_token, v_user.id, p_request_id, now() + interval '12 hours');
	RETURN QUERY SELECT 'ok'::text, v_token, v_user.id, v_user.is_staff, now() + interval '12 hours', v_started;
END
$fn$;

CREATE FUNCTION naive.api_logout(p_token text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
	UPDATE naive.sessions SET revoked_at = now() WHERE token = p_token AND revoked_at IS NULL
$fn$;

CREATE FUNCTION naive.api_whoami(p_token text)
RETURNS TABLE (user_id uuid, email text, display_name text, is_staff boolean, expires_at timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
	SELECT u.id, u.email, u.display_name, u.is_staff, s.expires_at
	FROM naive.sessions AS s JOIN naive.users AS u ON u.id = s.user_id
	WHERE s.token = p_token AND s.revoked_at IS NULL AND s.expires_at > now()
$fn$;

-- -------------------------------------------------------------------- cart

CREATE FUNCTION naive.api_cart_get(p_token text)
RETURNS TABLE (version bigint, product_id uuid, name text, category text, unit_price_cents bigint,
               quantity integer, line_total_cents bigint, available bigint, is_active boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_user uuid := naive.bz_session_user(p_token);
	v_version bigint := coalesce((SELECT c.version FROM naive.carts AS c WHERE c.user_id = v_user), 0);
BEGIN
	RETURN QUERY
	SELECT v_version, p.id, p.name, p.category, p.price_cents, l.quantity::integer, p.price_cents * l.quantity,
	       (SELECT count(*) FROM naive.product_codes AS pc WHERE pc.product_id = p.id AND pc.status = 'available'),
	       p.is_active
	FROM naive.cart_lines AS l JOIN naive.products AS p ON p.id = l.product_id
	WHERE l.user_id = v_user;
	IF NOT FOUND THEN
		RETURN QUERY SELECT v_version, NULL::uuid, NULL::text, NULL::text, NULL::bigint, NULL::integer,
		                    NULL::bigint, NULL::bigint, NULL::boolean;
	END IF;
END
$fn$;

-- Read the version, compare, write version = read + 1: two terminals with
-- the same version both "win", one change is lost.
CREATE FUNCTION naive.api_cart_set(p_token text, p_expected_version bigint, p_product_id uuid, p_quantity integer)
RETURNS TABLE (version bigint, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid := naive.bz_session_user(p_token);
	v_version bigint;
BEGIN
	INSERT INTO naive.carts (user_id) VALUES (v_user) ON CONFLICT DO NOTHING;
	SELECT c.version INTO v_version FROM naive.carts AS c WHERE c.user_id = v_user;
	IF v_version IS DISTINCT FROM p_expected_version THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB009', MESSAGE = 'Your cart changed, please review it.',
			DETAIL = format('version=%s', v_version);
	END IF;
	DELETE FROM naive.cart_lines AS l WHERE l.user_id = v_user AND l.product_id = p_product_id;
	IF p_quantity > 0 THEN
		INSERT INTO naive.cart_lines (user_id, product_id, quantity) VALUES (v_user, p_product_id, p_quantity);
	END IF;
	UPDATE naive.carts AS c SET version = v_version + 1, updated_at = now() WHERE c.user_id = v_user;
	RETURN QUERY SELECT v_version + 1, v_started;
END
$fn$;

CREATE FUNCTION naive.api_cart_clear(p_token text, p_expected_version bigint)
RETURNS TABLE (version bigint, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid := naive.bz_session_user(p_token);
	v_version bigint;
BEGIN
	INSERT INTO naive.carts (user_id) VALUES (v_user) ON CONFLICT DO NOTHING;
	SELECT c.version INTO v_version FROM naive.carts AS c WHERE c.user_id = v_user;
	IF v_version IS DISTINCT FROM p_expected_version THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB009', MESSAGE = 'Your cart changed, please review it.',
			DETAIL = format('version=%s', v_version);
	END IF;
	DELETE FROM naive.cart_lines AS l WHERE l.user_id = v_user;
	UPDATE naive.carts AS c SET version = v_version + 1, updated_at = now() WHERE c.user_id = v_user;
	RETURN QUERY SELECT v_version + 1, v_started;
END
$fn$;

-- ------------------------------------------------------------------ promos

CREATE FUNCTION naive.bz_discount(p_type text, p_value bigint, p_subtotal bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE SET search_path = naive, public, pg_temp AS $fn$
	SELECT CASE WHEN p_type = 'percentage' THEN p_subtotal * p_value / 100 ELSE least(p_value, p_subtotal) END
$fn$;

-- Count live holds and uses, compare with max_uses, insert a hold unless
-- the user has one: each step reads what the others have not written yet.
CREATE FUNCTION naive.api_promo_apply(p_token text, p_code text, p_cart_version bigint)
RETURNS TABLE (status text, message text, promo_code text, discount_cents bigint,
               subtotal_cents bigint, total_cents bigint, hold_expires_at timestamptz,
               started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid := naive.bz_session_user(p_token);
	v_subtotal bigint;
	v_p naive.promo_codes%ROWTYPE;
	v_holds bigint;
	v_status text;
	v_discount bigint := 0;
	v_expires timestamptz := now() + interval '15 minutes';
BEGIN
	IF (SELECT c.version FROM naive.carts AS c WHERE c.user_id = v_user) IS DISTINCT FROM p_cart_version THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB009', MESSAGE = 'Your cart changed, please review it.', DETAIL = 'version';
	END IF;
	SELECT coalesce(sum(p.price_cents * l.quantity), 0) INTO v_subtotal
	FROM naive.cart_lines AS l JOIN naive.products AS p ON p.id = l.product_id WHERE l.user_id = v_user;
	SELECT * INTO v_p FROM naive.promo_codes AS p WHERE lower(p.code) = lower(trim(p_code)) LIMIT 1;
	SELECT count(*) INTO v_holds FROM naive.promo_holds AS h
	WHERE h.promo_id = v_p.id AND h.released_at IS NULL AND h.order_id IS NULL AND h.expires_at > now()
	  AND h.user_id <> v_user;
	v_status := CASE
		WHEN v_p.id IS NULL THEN 'unknown'
		WHEN NOT v_p.is_active THEN 'inactive'
		WHEN v_p.valid_from > now() THEN 'not_started'
		WHEN v_p.valid_until <= now() THEN 'expired'
		WHEN v_subtotal < v_p.min_order_cents THEN 'min_order'
		WHEN v_p.per_user_limit IS NOT NULL AND (SELECT count(*) FROM naive.promo_redemptions AS r
		     WHERE r.promo_id = v_p.id AND r.user_id = v_user) >= v_p.per_user_limit THEN 'already_used'
		WHEN v_p.max_uses IS NOT NULL AND v_p.used_count + v_holds >= v_p.max_uses THEN 'used_up'
		ELSE 'ok' END;
	IF v_status = 'ok' THEN
		IF NOT EXISTS (SELECT 1 FROM naive.promo_holds AS h WHERE h.promo_id = v_p.id AND h.user_id = v_user
		               AND h.released_at IS NULL AND h.order_id IS NULL AND h.expires_at > now()) THEN
			INSERT INTO naive.promo_holds (promo_id, user_id, expires_at) VALUES (v_p.id, v_user, v_expires);
		END IF;
		v_discount := naive.bz_discount(v_p.discount_type, v_p.discount_value, v_subtotal);
	END IF;
	RETURN QUERY SELECT v_status, CASE WHEN v_status = 'ok' THEN 'Code applied.' ELSE 'This code cannot be used.' END,
	                    v_p.code, v_discount, v_subtotal, v_subtotal - v_discount,
	                    CASE WHEN v_status = 'ok' THEN v_expires END, v_started;
END
$fn$;

CREATE FUNCTION naive.api_promo_release(p_token text, p_code text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_user uuid := naive.bz_session_user(p_token);
BEGIN
	UPDATE naive.promo_holds AS h SET released_at = now()
	FROM naive.promo_codes AS p
	WHERE p.id = h.promo_id AND lower(p.code) = lower(trim(p_code)) AND h.user_id = v_user
	  AND h.released_at IS NULL AND h.order_id IS NULL;
END
$fn$;

-- ---------------------------------------------------------------- checkout

-- The racy checkout. Checks first (each a plain read), then writes values
-- computed from those reads. p_cart_version NULL: a phone order with
-- explicit lines. Business failures are returned as outcome 'failed'.
CREATE FUNCTION naive.bz_checkout(p_user uuid, p_key uuid, p_cart_version bigint, p_product_ids uuid[],
                                  p_quantities integer[], p_promo_code text, p_payment_method text,
                                  p_started timestamptz)
RETURNS TABLE (outcome text, order_id uuid, order_status text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, balance_cents bigint,
               error_code text, error_message text, replayed boolean, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
#variable_conflict use_column
DECLARE
	v_existing naive.orders%ROWTYPE;
	v_version bigint;
	v_subtotal bigint;
	v_p naive.promo_codes%ROWTYPE;
	v_discount bigint := 0;
	v_total bigint;
	v_balance bigint;
	v_wallet uuid;
	v_order uuid := gen_random_uuid();
	v_status text := CASE WHEN p_payment_method = 'bank_transfer' THEN 'awaiting_payment' ELSE 'fulfilled' END;
	v_line record;
	v_codes uuid[];
	v_used bigint;
BEGIN
	-- "Idempotency": look for an order with this key.
	SELECT o.* INTO v_existing FROM naive.orders AS o
	WHERE o.user_id = p_user AND o.idempotency_key = p_key::text LIMIT 1;
	IF v_existing.id IS NOT NULL THEN
		RETURN QUERY SELECT 'ok'::text, v_existing.id, v_existing.status, v_existing.subtotal_cents,
		                    v_existing.discount_cents, v_existing.total_cents,
		                    (SELECT w.balance_cents FROM naive.wallets AS w WHERE w.user_id = p_user),
		                    NULL::text, NULL::text, true, p_started;
		RETURN;
	END IF;

	-- The cart version is checked once; the lines are read here for the
	-- price and again below for the items.
	IF p_cart_version IS NOT NULL THEN
		SELECT c.version INTO v_version FROM naive.carts AS c WHERE c.user_id = p_user;
		IF v_version IS DISTINCT FROM p_cart_version THEN
			RETURN QUERY SELECT 'failed'::text, NULL::uuid, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint,
			                    NULL::bigint, 'ZB009'::text, 'Your cart changed, please review it.'::text, false, p_started;
			RETURN;
		END IF;
		SELECT sum(p.price_cents * l.quantity) INTO v_subtotal
		FROM naive.cart_lines AS l JOIN naive.products AS p ON p.id = l.product_id WHERE l.user_id = p_user;
	ELSE
		SELECT sum(p.price_cents * u.q) INTO v_subtotal
		FROM unnest(p_product_ids, p_quantities) AS u (pid, q) JOIN naive.products AS p ON p.id = u.pid;
	END IF;
	IF v_subtotal IS NULL THEN
		RETURN QUERY SELECT 'failed'::text, NULL::uuid, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint,
		                    NULL::bigint, 'ZB009'::text, 'Your cart is empty.'::text, false, p_started;
		RETURN;
	END IF;

	IF p_promo_code IS NOT NULL AND trim(p_promo_code) <> '' THEN
		SELECT * INTO v_p FROM naive.promo_codes AS p WHERE lower(p.code) = lower(trim(p_promo_code)) LIMIT 1;
		IF v_p.id IS NULL OR NOT v_p.is_active OR v_p.valid_from > now() OR v_p.valid_until <= now()
		   OR v_subtotal < v_p.min_order_cents
		   OR (v_p.max_uses IS NOT NULL AND v_p.used_count >= v_p.max_uses)
		   OR (v_p.per_user_limit IS NOT NULL AND (SELECT count(*) FROM naive.promo_redemptions AS r
		       WHERE r.promo_id = v_p.id AND r.user_id = p_user) >= v_p.per_user_limit) THEN
			RETURN QUERY SELECT 'failed'::text, NULL::uuid, NULL::text, v_subtotal, NULL::bigint, NULL::bigint,
			                    NULL::bigint, 'ZB002'::text, 'This promo code cannot be used.'::text, false, p_started;
			RETURN;
		END IF;
		v_used := v_p.used_count;
		v_discount := naive.bz_discount(v_p.discount_type, v_p.discount_value, v_subtotal);
	END IF;
	v_total := v_subtotal - v_discount;

	SELECT w.id, w.balance_cents INTO v_wallet, v_balance FROM naive.wallets AS w WHERE w.user_id = p_user;
	IF p_payment_method = 'wallet' AND coalesce(v_balance, 0) < v_total THEN
		RETURN QUERY SELECT 'failed'::text, NULL::uuid, NULL::text, v_subtotal, v_discount, v_total,
		                    coalesce(v_balance, 0), 'ZB003'::text,
		                    format('Your wallet holds %s; this order costs %s.', v_balance, v_total), false, p_started;
		RETURN;
	END IF;

	-- Stock check: count what is available now.
	FOR v_line IN
		SELECT u.pid, u.q FROM unnest(p_product_ids, p_quantities) AS u (pid, q) WHERE p_cart_version IS NULL
		UNION ALL
		SELECT l.product_id, l.quantity::integer FROM naive.cart_lines AS l WHERE p_cart_version IS NOT NULL AND l.user_id = p_user
	LOOP
		IF (SELECT count(*) FROM naive.product_codes AS pc
		    WHERE pc.product_id = v_line.pid AND pc.status = 'available') < v_line.q THEN
			RETURN QUERY SELECT 'failed'::text, NULL::uuid, NULL::text, v_subtotal, v_discount, v_total,
			                    coalesce(v_balance, 0), 'ZB001'::text, 'Sorry, this is sold out.'::text, false, p_started;
			RETURN;
		END IF;
	END LOOP;

	-- Writes, from the values read above.
	INSERT INTO naive.orders (id, user_id, status, payment_method, subtotal_cents, discount_cents, total_cents,
	                         promo_id, idempotency_key, cart_version, expires_at)
	VALUES (v_order, p_user, v_status, p_payment_method, v_subtotal, v_discount, v_total, v_p.id, p_key::text,
	        p_cart_version, CASE WHEN v_status = 'awaiting_payment' THEN now() + interval '48 hours' END);

	FOR v_line IN
		SELECT u.pid, u.q FROM unnest(p_product_ids, p_quantities) AS u (pid, q) WHERE p_cart_version IS NULL
		UNION ALL
		SELECT l.product_id, l.quantity::integer FROM naive.cart_lines AS l WHERE p_cart_version IS NOT NULL AND l.user_id = p_user
	LOOP
		INSERT INTO naive.order_items (order_id, product_id, quantity, unit_price_cents)
		SELECT v_order, v_line.pid, v_line.q, p.price_cents FROM naive.products AS p WHERE p.id = v_line.pid;
		SELECT array_agg(x.id) INTO v_codes
		FROM (SELECT pc.id FROM naive.product_codes AS pc
		      WHERE pc.product_id = v_line.pid AND pc.status = 'available'
		      ORDER BY pc.created_at, pc.id LIMIT v_line.q) AS x;
		UPDATE naive.product_codes AS pc
		SET status = CASE WHEN v_status = 'fulfilled' THEN 'sold' ELSE 'reserved' END,
		    order_id = v_order, used_at = now(),
		    reserved_until = CASE WHEN v_status = 'awaiting_payment' THEN now() + interval '48 hours' END
		WHERE pc.id = ANY (v_codes);
	END LOOP;

	IF p_payment_method = 'wallet' AND v_total > 0 THEN
		UPDATE naive.wallets AS w SET balance_cents = v_balance - v_total, updated_at = now() WHERE w.id = v_wallet;
		INSERT INTO naive.wallet_ledger (wallet_id, amount_cents, balance_after_cents, reason, order_id)
		VALUES (v_wallet, -v_total, v_balance - v_total, 'order', v_order);
		v_balance := v_balance - v_total;
	END IF;

	IF v_p.id IS NOT NULL THEN
		UPDATE naive.promo_codes AS p SET used_count = v_used + 1 WHERE p.id = v_p.id;
		INSERT INTO naive.promo_redemptions (promo_id, user_id, order_id) VALUES (v_p.id, p_user, v_order);
		UPDATE naive.promo_holds AS h SET order_id = v_order
		WHERE h.promo_id = v_p.id AND h.user_id = p_user AND h.released_at IS NULL AND h.order_id IS NULL;
	END IF;

	IF p_cart_version IS NOT NULL THEN
		DELETE FROM naive.cart_lines AS l WHERE l.user_id = p_user;
		UPDATE naive.carts AS c SET version = v_version + 1 WHERE c.user_id = p_user;
	END IF;

	RETURN QUERY SELECT 'ok'::text, v_order, v_status, v_subtotal, v_discount, v_total, coalesce(v_balance, 0),
	                    NULL::text, NULL::text, false, p_started;
END
$fn$;

CREATE FUNCTION naive.api_checkout(p_token text, p_idempotency_key uuid, p_cart_version bigint,
                                   p_promo_code text, p_payment_method text)
RETURNS TABLE (outcome text, order_id uuid, order_status text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, balance_cents bigint,
               error_code text, error_message text, replayed boolean, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid := naive.bz_session_user(p_token);
BEGIN
	RETURN QUERY SELECT * FROM naive.bz_checkout(v_user, p_idempotency_key, p_cart_version, NULL, NULL,
	                                             p_promo_code, p_payment_method, v_started);
END
$fn$;

CREATE FUNCTION naive.api_checkout_status(p_token text, p_idempotency_key uuid)
RETURNS TABLE (outcome text, order_id uuid, order_status text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, balance_cents bigint,
               error_code text, error_message text, finished_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_user uuid := naive.bz_session_user(p_token);
BEGIN
	RETURN QUERY
	SELECT CASE WHEN o.id IS NULL THEN 'unknown' ELSE 'ok' END, o.id, o.status, o.subtotal_cents,
	       o.discount_cents, o.total_cents, NULL::bigint, NULL::text, NULL::text, o.created_at
	FROM (SELECT 1) AS one
	LEFT JOIN naive.orders AS o ON o.user_id = v_user AND o.idempotency_key = p_idempotency_key::text;
END
$fn$;

CREATE FUNCTION naive.api_my_wallet(p_token text) RETURNS TABLE (balance_cents bigint)
LANGUAGE sql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
	SELECT coalesce((SELECT w.balance_cents FROM naive.wallets AS w WHERE w.user_id = naive.bz_session_user(p_token)), 0)
$fn$;

-- ------------------------------------------------------------------- staff

-- Read the status; if awaiting payment, write the decision: two staff
-- members both decide, and the codes end up following the last one.
CREATE FUNCTION naive.bz_decide(p_token text, p_order_id uuid, p_approve boolean, p_reason text)
RETURNS TABLE (outcome text, order_status text, decided_by_email text, decided_at timestamptz,
               started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid := naive.bz_session_staff(p_token);
	v_status text;
	v_email text := (SELECT u.email FROM naive.users AS u WHERE u.id = v_staff);
BEGIN
	SELECT o.status INTO v_status FROM naive.orders AS o WHERE o.id = p_order_id;
	IF v_status IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such order.', DETAIL = format('order_id=%s', p_order_id);
	END IF;
	IF v_status <> 'awaiting_payment' THEN
		RETURN QUERY SELECT 'already_decided'::text, v_status, NULL::text, NULL::timestamptz, v_started;
		RETURN;
	END IF;
	UPDATE naive.orders AS o
	SET status = CASE WHEN p_approve THEN 'fulfilled' ELSE 'cancelled' END,
	    decided_by = v_staff, decided_at = now(), decision_reason = p_reason, updated_at = now()
	WHERE o.id = p_order_id;
	IF p_approve THEN
		UPDATE naive.product_codes AS pc SET status = 'sold', reserved_until = NULL
		WHERE pc.order_id = p_order_id;
	ELSE
		UPDATE naive.product_codes AS pc SET status = 'available', order_id = NULL, reserved_until = NULL
		WHERE pc.order_id = p_order_id;
		UPDATE naive.promo_codes AS p SET used_count = p.used_count - 1
		WHERE p.id = (SELECT o.promo_id FROM naive.orders AS o WHERE o.id = p_order_id);
		DELETE FROM naive.promo_redemptions AS r WHERE r.order_id = p_order_id;
	END IF;
	RETURN QUERY SELECT CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END,
	                    CASE WHEN p_approve THEN 'fulfilled' ELSE 'cancelled' END, v_email, now(), v_started;
END
$fn$;

CREATE FUNCTION naive.api_staff_approve(p_token text, p_order_id uuid, p_reason text)
RETURNS TABLE (outcome text, order_status text, decided_by_email text, decided_at timestamptz,
               started_at timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
	SELECT * FROM naive.bz_decide(p_token, p_order_id, true, p_reason)
$fn$;

CREATE FUNCTION naive.api_staff_reject(p_token text, p_order_id uuid, p_reason text)
RETURNS TABLE (outcome text, order_status text, decided_by_email text, decided_at timestamptz,
               started_at timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
	SELECT * FROM naive.bz_decide(p_token, p_order_id, false, p_reason)
$fn$;

CREATE FUNCTION naive.api_staff_topup(p_token text, p_user_email text, p_amount_cents bigint, p_reason text)
RETURNS TABLE (user_id uuid, balance_cents bigint, ledger_id uuid, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid := naive.bz_session_staff(p_token);
	v_user uuid;
	v_wallet uuid;
	v_balance bigint;
	v_ledger uuid;
BEGIN
	SELECT u.id INTO v_user FROM naive.users AS u WHERE lower(u.email) = lower(trim(p_user_email)) LIMIT 1;
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No customer has this e-mail.', DETAIL = 'email';
	END IF;
	SELECT w.id, w.balance_cents INTO v_wallet, v_balance FROM naive.wallets AS w WHERE w.user_id = v_user LIMIT 1;
	UPDATE naive.wallets AS w SET balance_cents = v_balance + p_amount_cents WHERE w.id = v_wallet;
	INSERT INTO naive.wallet_ledger (wallet_id, amount_cents, balance_after_cents, reason)
	VALUES (v_wallet, p_amount_cents, v_balance + p_amount_cents, 'top-up: ' || coalesce(p_reason, ''))
	RETURNING id INTO v_ledger;
	RETURN QUERY SELECT v_user, v_balance + p_amount_cents, v_ledger, v_started;
END
$fn$;

CREATE FUNCTION naive.api_staff_promo_create(p_token text, p_code text, p_discount_type text,
                                             p_discount_value bigint, p_min_order_cents bigint,
                                             p_max_uses bigint, p_per_user_limit bigint,
                                             p_valid_from timestamptz, p_valid_until timestamptz)
RETURNS TABLE (promo_id uuid, code text, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid := naive.bz_session_staff(p_token);
	v_id uuid;
BEGIN
	INSERT INTO naive.promo_codes (code, discount_type, discount_value, min_order_cents, max_uses,
	                               per_user_limit, valid_from, valid_until)
	VALUES (upper(trim(p_code)), p_discount_type, p_discount_value, coalesce(p_min_order_cents, 0), p_max_uses,
	        p_per_user_limit, p_valid_from, p_valid_until)
	RETURNING id INTO v_id;
	RETURN QUERY SELECT v_id, upper(trim(p_code)), v_started;
END
$fn$;

CREATE FUNCTION naive.api_staff_promo_set_active(p_token text, p_code text, p_active boolean)
RETURNS TABLE (promo_id uuid, is_active boolean, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid := naive.bz_session_staff(p_token);
	v_id uuid;
BEGIN
	UPDATE naive.promo_codes AS p SET is_active = p_active WHERE lower(p.code) = lower(trim(p_code)) RETURNING p.id INTO v_id;
	IF v_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such promo code.', DETAIL = 'code';
	END IF;
	RETURN QUERY SELECT v_id, p_active, v_started;
END
$fn$;

-- SELECT whether the code exists, then INSERT: parallel imports of one
-- code both insert it.
CREATE FUNCTION naive.api_staff_import_codes(p_token text, p_product_id uuid, p_codes text[])
RETURNS TABLE (code text, result text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
#variable_conflict use_column
DECLARE
	v_staff uuid := naive.bz_session_staff(p_token);
	v_code text;
BEGIN
	FOREACH v_code IN ARRAY p_codes LOOP
		v_code := trim(coalesce(v_code, ''));
		IF v_code = '' THEN
			RETURN QUERY SELECT v_code, 'invalid'::text;
		ELSIF EXISTS (SELECT 1 FROM naive.product_codes AS pc WHERE pc.product_id = p_product_id AND pc.code = v_code) THEN
			RETURN QUERY SELECT v_code, 'duplicate'::text;
		ELSE
			INSERT INTO naive.product_codes (product_id, code) VALUES (p_product_id, v_code);
			RETURN QUERY SELECT v_code, 'imported'::text;
		END IF;
	END LOOP;
END
$fn$;

-- SELECT the status; if available, UPDATE to void without re-checking: a
-- checkout that sold the code meanwhile loses it (void, yet on an order).
CREATE FUNCTION naive.api_staff_void_code(p_token text, p_product_id uuid, p_code text, p_reason text)
RETURNS TABLE (outcome text, code_status text, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid := naive.bz_session_staff(p_token);
	v_id uuid;
	v_status text;
BEGIN
	SELECT pc.id, pc.status INTO v_id, v_status FROM naive.product_codes AS pc
	WHERE pc.product_id = p_product_id AND pc.code = trim(p_code) LIMIT 1;
	IF v_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'This product has no such code.', DETAIL = 'code';
	END IF;
	IF v_status <> 'available' THEN
		RETURN QUERY SELECT 'not_available'::text, v_status, v_started;
		RETURN;
	END IF;
	UPDATE naive.product_codes AS pc SET status = 'void' WHERE pc.id = v_id;
	RETURN QUERY SELECT 'voided'::text, 'void'::text, v_started;
END
$fn$;

CREATE FUNCTION naive.api_staff_checkout_for(p_token text, p_customer_email text, p_idempotency_key uuid,
                                             p_product_ids uuid[], p_quantities integer[], p_promo_code text,
                                             p_payment_method text)
RETURNS TABLE (outcome text, order_id uuid, order_status text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, balance_cents bigint,
               error_code text, error_message text, replayed boolean, started_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid := naive.bz_session_staff(p_token);
	v_user uuid;
BEGIN
	SELECT u.id INTO v_user FROM naive.users AS u WHERE lower(u.email) = lower(trim(p_customer_email)) LIMIT 1;
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No customer has this e-mail.', DETAIL = 'email';
	END IF;
	RETURN QUERY SELECT * FROM naive.bz_checkout(v_user, p_idempotency_key, NULL, p_product_ids, p_quantities,
	                                             p_promo_code, p_payment_method, v_started);
END
$fn$;

-- -------------------------------------------------------------- invariants

-- At most 20 offending rows, then {"more": n}.
CREATE FUNCTION naive.bz_first_rows(p_rows jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = naive, public, pg_temp AS $fn$
	SELECT CASE
		WHEN p_rows IS NULL THEN '[]'::jsonb
		WHEN jsonb_array_length(p_rows) <= 20 THEN p_rows
		ELSE (SELECT jsonb_agg(e.value ORDER BY e.ord) FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e (value, ord)
		      WHERE e.ord <= 20)
		     || jsonb_build_array(jsonb_build_object('more', jsonb_array_length(p_rows) - 20))
	END
$fn$;

-- The same checks, names and output as public.bz_check_invariants(), over
-- the naive tables.
CREATE FUNCTION naive.bz_check_invariants()
RETURNS TABLE (check_name text, ok boolean, offending jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT 'wallet_balance_equals_ledger'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT w.id AS wallet_id, w.user_id, w.balance_cents, coalesce(l.total, 0) AS ledger_sum_cents
	      FROM naive.wallets AS w
	      LEFT JOIN (SELECT wallet_id, sum(amount_cents) AS total FROM naive.wallet_ledger GROUP BY wallet_id) AS l
	        ON l.wallet_id = w.id
	      WHERE w.balance_cents <> coalesce(l.total, 0)) AS q;
	RETURN QUERY
	SELECT 'no_negative_balance'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT 'wallet' AS kind, w.id, w.balance_cents AS cents FROM naive.wallets AS w WHERE w.balance_cents < 0
	      UNION ALL
	      SELECT 'ledger_entry', l.id, l.balance_after_cents FROM naive.wallet_ledger AS l WHERE l.balance_after_cents < 0) AS q;
	RETURN QUERY
	SELECT 'ledger_running_balance'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT r.wallet_id, r.id AS entry_id, r.created_at, r.balance_after_cents, r.running_cents
	      FROM (SELECT l.wallet_id, l.id, l.created_at, l.balance_after_cents,
	                   sum(l.amount_cents) OVER (PARTITION BY l.wallet_id ORDER BY l.created_at, l.id) AS running_cents
	            FROM naive.wallet_ledger AS l) AS r
	      WHERE r.balance_after_cents <> r.running_cents) AS q;
	RETURN QUERY
	SELECT 'wallet_orders_debited_once'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT o.id AS order_id, o.total_cents, count(l.id) AS debits, coalesce(sum(-l.amount_cents), 0) AS debited_cents
	      FROM naive.orders AS o LEFT JOIN naive.wallet_ledger AS l ON l.order_id = o.id
	      WHERE o.payment_method = 'wallet' AND o.status IN ('paid', 'fulfilled') AND o.total_cents > 0
	      GROUP BY o.id, o.total_cents
	      HAVING count(l.id) <> 1 OR coalesce(sum(-l.amount_cents), 0) <> o.total_cents) AS q;
	RETURN QUERY
	SELECT 'promo_used_count_equals_redemptions'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT p.code, p.used_count, count(r.id) AS redemptions
	      FROM naive.promo_codes AS p LEFT JOIN naive.promo_redemptions AS r ON r.promo_id = p.id
	      GROUP BY p.id, p.code, p.used_count HAVING p.used_count <> count(r.id)) AS q;
	RETURN QUERY
	SELECT 'promo_within_max_uses'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT p.code, p.max_uses, p.used_count, count(r.id) AS redemptions,
	             (SELECT count(*) FROM naive.promo_holds AS h WHERE h.promo_id = p.id AND h.released_at IS NULL
	                AND h.order_id IS NULL AND h.expires_at > now()) AS live_holds
	      FROM naive.promo_codes AS p LEFT JOIN naive.promo_redemptions AS r ON r.promo_id = p.id
	      WHERE p.max_uses IS NOT NULL GROUP BY p.id, p.code, p.max_uses, p.used_count) AS q
	WHERE q.used_count > q.max_uses OR q.redemptions > q.max_uses OR q.used_count + q.live_holds > q.max_uses;
	RETURN QUERY
	SELECT 'promo_per_user_limit'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT p.code, r.user_id, p.per_user_limit, count(*) AS redemptions
	      FROM naive.promo_redemptions AS r JOIN naive.promo_codes AS p ON p.id = r.promo_id
	      WHERE p.per_user_limit IS NOT NULL
	      GROUP BY p.code, r.user_id, p.per_user_limit HAVING count(*) > p.per_user_limit) AS q;
	RETURN QUERY
	SELECT 'one_live_hold_per_promo_user'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT h.promo_id, h.user_id, count(*) AS live_holds FROM naive.promo_holds AS h
	      WHERE h.released_at IS NULL AND h.order_id IS NULL AND h.expires_at > now()
	      GROUP BY h.promo_id, h.user_id HAVING count(*) > 1) AS q;
	RETURN QUERY
	SELECT 'one_code_one_order'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT pc.product_id, pc.code, count(*) AS copies,
	             jsonb_agg(pc.order_id ORDER BY pc.order_id) FILTER (WHERE pc.order_id IS NOT NULL) AS orders
	      FROM naive.product_codes AS pc GROUP BY pc.product_id, pc.code HAVING count(*) > 1) AS q;
	RETURN QUERY
	SELECT 'code_status_matches_order'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT pc.id AS code_id, pc.status, pc.order_id FROM naive.product_codes AS pc
	      WHERE (pc.status IN ('sold', 'reserved')) <> (pc.order_id IS NOT NULL)
	         OR pc.status NOT IN ('available', 'reserved', 'sold', 'void')) AS q;
	RETURN QUERY
	SELECT 'fulfilled_orders_hold_their_codes'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT coalesce(i.order_id, c.order_id) AS order_id, coalesce(i.product_id, c.product_id) AS product_id,
	             coalesce(i.quantity, 0) AS quantity, coalesce(c.codes, 0) AS sold_codes
	      FROM (SELECT it.order_id, it.product_id, sum(it.quantity) AS quantity FROM naive.order_items AS it
	            JOIN naive.orders AS o ON o.id = it.order_id AND o.status = 'fulfilled'
	            GROUP BY it.order_id, it.product_id) AS i
	      FULL JOIN (SELECT pc.order_id, pc.product_id, count(*) AS codes FROM naive.product_codes AS pc
	                 WHERE pc.status = 'sold' GROUP BY pc.order_id, pc.product_id) AS c
	        ON c.order_id = i.order_id AND c.product_id = i.product_id
	      WHERE coalesce(i.quantity, 0) <> coalesce(c.codes, 0)) AS q;
	RETURN QUERY
	SELECT 'reserved_codes_match_awaiting_orders'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT coalesce(i.order_id, c.order_id) AS order_id, coalesce(i.product_id, c.product_id) AS product_id,
	             coalesce(i.quantity, 0) AS quantity, coalesce(c.codes, 0) AS reserved_codes
	      FROM (SELECT it.order_id, it.product_id, sum(it.quantity) AS quantity FROM naive.order_items AS it
	            JOIN naive.orders AS o ON o.id = it.order_id AND o.status = 'awaiting_payment'
	            GROUP BY it.order_id, it.product_id) AS i
	      FULL JOIN (SELECT pc.order_id, pc.product_id, count(*) AS codes FROM naive.product_codes AS pc
	                 WHERE pc.status = 'reserved' GROUP BY pc.order_id, pc.product_id) AS c
	        ON c.order_id = i.order_id AND c.product_id = i.product_id
	      WHERE coalesce(i.quantity, 0) <> coalesce(c.codes, 0)) AS q;
	RETURN QUERY
	SELECT 'order_total_equals_items'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT o.id AS order_id, o.subtotal_cents, o.discount_cents, o.total_cents,
	             coalesce(s.items_cents, 0) AS items_cents
	      FROM naive.orders AS o
	      LEFT JOIN (SELECT it.order_id, sum(it.quantity * it.unit_price_cents) AS items_cents
	                 FROM naive.order_items AS it GROUP BY it.order_id) AS s ON s.order_id = o.id
	      WHERE o.subtotal_cents <> coalesce(s.items_cents, 0)
	         OR o.total_cents <> o.subtotal_cents - o.discount_cents) AS q;
	RETURN QUERY
	SELECT 'one_order_per_idempotency_key'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT o.user_id, o.idempotency_key, count(*) AS orders FROM naive.orders AS o
	      WHERE o.idempotency_key IS NOT NULL GROUP BY o.user_id, o.idempotency_key HAVING count(*) > 1) AS q;
	RETURN QUERY
	SELECT 'one_account_per_email'::text, count(*) = 0, naive.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT lower(u.email) AS email, count(*) AS accounts FROM naive.users AS u
	      GROUP BY lower(u.email) HAVING count(*) > 1) AS q;
END
$fn$;

CREATE FUNCTION naive.api_staff_check_invariants(p_token text)
RETURNS TABLE (check_name text, ok boolean, offending jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = naive, public, pg_temp AS $fn$
BEGIN
	PERFORM naive.bz_session_staff(p_token);
	RETURN QUERY SELECT * FROM naive.bz_check_invariants();
END
$fn$;

-- Everything in the schema: for the race lab's roles only.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA naive FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA naive TO bazar_tester, bazar_client, bazar_staff;
