-- 0007_accounts: settings, accounts, sessions and the login throttle.
--
-- Adds the shop's tunable settings (shop_settings, read through
-- bz_setting_int), the secret that derives session tokens (shop_secrets),
-- the per-e-mail login throttle (login_throttle), two columns on sessions,
-- the race lab's role bazar_tester, and the account API:
--   api_register(email, password, display_name)  one account per e-mail
--   api_login(email, password, request_id)       status, never raises for a wrong guess
--   api_logout(token)                            ends that session only
--   api_whoami(token)
--   bz_session_user(token) / bz_session_staff(token)  for every other API function
--
-- The unique index that makes a double-submitted login yield one session
-- (sessions (user_id, login_request_hash)) is on an existing table, so it
-- is built CONCURRENTLY in 0007.1; api_login needs it and the runner always
-- applies both.
--
-- Conventions of every API function (0007 .. 0012): SECURITY DEFINER, owned
-- by the migrating role, search_path pinned, EXECUTE revoked from PUBLIC,
-- anon and authenticated; api_* granted to bazar_client, bazar_staff and
-- bazar_tester; bz_* (internal: they trust their arguments) granted to no
-- one. Every API function labels its backend with application_name, bounds
-- its lock waits with lock_timeout = 5s (both transaction-local), and the
-- changing ones return started_at = clock_timestamp() of their first line.
-- Isolation: READ COMMITTED everywhere; each function says why its locks
-- make that enough. Global lock order (never lock an earlier item after a
-- later one): sessions -> idempotency_keys -> carts -> promo_codes ->
-- product_codes -> wallets -> orders -> everything else. login_throttle
-- rows are taken only by api_login, which takes no other lock.
--
-- New SQLSTATEs (the list in 0002 continues): ZB009 cart_changed, ZB010
-- idempotency_mismatch, ZB011 throttled, ZB012 limit_reached, ZB013
-- already_decided.
--
-- Safe to run twice. Rollback drops the functions and keeps every table,
-- column and row.

-- The race lab drives the shop as customers and as staff; like the other
-- shop roles it is created NOLOGIN here (the private cluster gives it
-- LOGIN) and never dropped by a rollback: roles are cluster-wide.
DO $do$
DECLARE
	v_can_create boolean;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bazar_tester') THEN
		SELECT rolcreaterole OR rolsuper INTO v_can_create
		FROM pg_roles WHERE rolname = current_user;
		IF NOT coalesce(v_can_create, false) THEN
			RAISE EXCEPTION USING ERRCODE = '42501',
				MESSAGE = format('role bazar_tester is missing and %I may not create roles', current_user),
				HINT = 'Ask an administrator to run: CREATE ROLE bazar_tester NOLOGIN; then migrate again.';
		END IF;
		CREATE ROLE bazar_tester NOLOGIN;
	END IF;
END
$do$;
GRANT USAGE ON SCHEMA public TO bazar_tester;

-- Settings an operator may change at run time (UPDATE shop_settings SET
-- value = '12' WHERE key = 'bcrypt_cost'). Values are text so the table can
-- hold any kind; bz_setting_int falls back to the caller's default for a
-- missing or malformed value, so a typo never takes the shop down.
CREATE TABLE IF NOT EXISTS public.shop_settings (
	key text PRIMARY KEY,
	value text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- The defaults, written out so an operator sees what can be tuned. Existing
-- values are kept.
INSERT INTO public.shop_settings (key, value)
VALUES ('bcrypt_cost', '10'),
       ('session_hours', '12'),
       ('login_max_failures', '5'),
       ('login_window_minutes', '15'),
       ('login_lock_minutes', '15'),
       ('promo_hold_minutes', '15'),
       ('max_live_holds_per_user', '5'),
       ('cart_max_lines', '20'),
       ('cart_max_quantity', '10'),
       ('max_unpaid_orders_per_user', '3'),
       ('max_reserved_codes_per_user', '30'),
       ('bank_transfer_hours', '48'),
       ('proof_max_bytes', '5242880')
ON CONFLICT (key) DO NOTHING;

-- Server-side secrets; never granted to any role. 'session_hmac' derives a
-- session token from the login request (api_login), so a replayed request
-- gets the same token back although the token itself is never stored.
CREATE TABLE IF NOT EXISTS public.shop_secrets (
	name text PRIMARY KEY,
	secret bytea NOT NULL
);
INSERT INTO public.shop_secrets (name, secret)
VALUES ('session_hmac', gen_random_bytes(32))
ON CONFLICT (name) DO NOTHING;

-- Refused login attempts per e-mail address (lower-cased), whether or not
-- an account has it, so the throttle says nothing about which e-mails
-- exist. failures counts the refused attempts of the current window
-- (wrong password, unknown e-mail, or refused while locked); a successful
-- login deletes the row.
CREATE TABLE IF NOT EXISTS public.login_throttle (
	email_lower text PRIMARY KEY,
	-- A count within a window of minutes; integer is plenty.
	-- squawk-ignore prefer-bigint-over-int
	failures integer NOT NULL,
	window_started_at timestamptz NOT NULL,
	locked_until timestamptz
);

-- Nullable, no default: catalog-only changes. login_request_hash is the
-- sha256 of the client's login request id (unique per user in 0007.1);
-- last_seen_at is when the session was last handed out by api_login.
ALTER TABLE public.sessions ADD COLUMN IF NOT EXISTS login_request_hash bytea;
ALTER TABLE public.sessions ADD COLUMN IF NOT EXISTS last_seen_at timestamptz;

ALTER TABLE public.shop_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.shop_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.login_throttle ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.shop_settings, public.shop_secrets, public.login_throttle
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester;

-- An integer setting, or p_default when the key is missing or its value is
-- not a plain integer.
CREATE OR REPLACE FUNCTION public.bz_setting_int(p_key text, p_default integer)
RETURNS integer
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT coalesce((
		SELECT trim(s.value)::integer
		FROM public.shop_settings AS s
		WHERE s.key = p_key AND trim(s.value) ~ '^-?[0-9]{1,9}$'
	), p_default)
$fn$;

-- The user of a live session, or ZB004 ('Please log in again.') for an
-- unknown, expired or revoked token.
--
-- Locking: FOR SHARE on the session row. api_logout's UPDATE needs a lock
-- that conflicts with it, so a request and a logout of the same session
-- are ordered: either the logout commits first, and this (under READ
-- COMMITTED re-checking the newest row version) finds the session revoked
-- and raises before the request changed anything, or the request holds
-- the share lock and the logout waits until the whole request committed.
-- A request is never half-applied by a concurrent logout. Requests of
-- the same session share the lock and do not wait on each other. Sessions
-- come first in the global lock order, so every API function calls this
-- before taking any other lock.
CREATE OR REPLACE FUNCTION public.bz_session_user(p_token text)
RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_user uuid;
BEGIN
	IF p_token IS NOT NULL AND p_token ~ '^[0-9a-f]{64}$' THEN
		SELECT s.user_id INTO v_user
		FROM public.sessions AS s
		WHERE s.token_hash = sha256(convert_to(p_token, 'UTF8'))
		  AND s.revoked_at IS NULL
		  AND s.expires_at > clock_timestamp()
		FOR SHARE;
	END IF;
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB004',
			MESSAGE = 'Please log in again.',
			DETAIL = 'session unknown, expired or revoked';
	END IF;
	RETURN v_user;
END
$fn$;

-- The user of a live session whose account has the staff flag; ZB004 as
-- bz_session_user, ZB005 for a customer.
CREATE OR REPLACE FUNCTION public.bz_session_staff(p_token text)
RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_user uuid := public.bz_session_user(p_token);
BEGIN
	IF NOT EXISTS (SELECT 1 FROM public.users AS u WHERE u.id = v_user AND u.is_staff) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB005',
			MESSAGE = 'This needs a staff account.',
			DETAIL = 'user is not staff';
	END IF;
	RETURN v_user;
END
$fn$;

-- Creates an account (and its empty wallet) and returns its id. The
-- e-mail is trimmed and unique case-insensitively; ZB008 for a malformed
-- e-mail, a password outside 8..128 characters or a display name over 100
-- characters; ZB007 when the e-mail is taken. bcrypt cost from the
-- bcrypt_cost setting (4..16). bcrypt reads only the first 72 bytes of a
-- password.
--
-- Locking: none taken explicitly. The unique index on lower(email)
-- arbitrates: ON CONFLICT DO NOTHING makes a concurrent registration of the
-- same address wait for the first one's commit and then insert nothing
-- (or insert after all, if the first rolled back), so any number of
-- parallel registrations make exactly one account and the others get
-- ZB007. READ COMMITTED suffices because the decision is the index's.
CREATE OR REPLACE FUNCTION public.api_register(p_email text, p_password text, p_display_name text)
RETURNS TABLE (user_id uuid, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_email text := trim(p_email);
	v_name text := trim(coalesce(p_display_name, ''));
	v_user uuid;
	v_cost integer;
BEGIN
	PERFORM set_config('application_name', 'bazar register', true);
	PERFORM set_config('lock_timeout', '5s', true);

	IF v_email IS NULL OR char_length(v_email) > 254
	   OR v_email !~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$' THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'Please enter a valid e-mail address.',
			DETAIL = 'email';
	END IF;
	IF p_password IS NULL OR char_length(p_password) < 8 OR char_length(p_password) > 128 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The password must have 8 to 128 characters.',
			DETAIL = 'password';
	END IF;
	IF char_length(v_name) > 100 OR v_name ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The display name must have at most 100 printable characters.',
			DETAIL = 'display_name';
	END IF;

	v_cost := least(greatest(public.bz_setting_int('bcrypt_cost', 10), 4), 16);

	INSERT INTO public.users (email, password_hash, display_name)
	VALUES (v_email, crypt(p_password, gen_salt('bf', v_cost)), v_name)
	ON CONFLICT ((lower(email))) DO NOTHING
	RETURNING id INTO v_user;
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB007',
			MESSAGE = 'This e-mail is already registered.',
			DETAIL = 'email';
	END IF;

	INSERT INTO public.wallets (user_id, balance_cents) VALUES (v_user, 0);

	RETURN QUERY SELECT v_user, v_started;
END
$fn$;

-- Logs in. status 'ok' with a session token, 'invalid' (wrong password or
-- unknown e-mail: the same answer, and a dummy bcrypt for an unknown
-- e-mail so the time taken is alike too) or 'throttled' (too many refused
-- attempts for this e-mail; the password is not even checked). Returns
-- rather than raises, so the recorded failure is committed; ZB008 only for
-- a missing request id.
--
-- The token is hex(HMAC-SHA256(user id ':' request id, shop_secrets
-- 'session_hmac')): a replay of the same request (double submit, or a
-- retry after a lost answer) derives the same token and, through ON
-- CONFLICT on the unique (user_id, login_request_hash), finds the same
-- session row. Only sha256(token) is stored. The user id is part of the
-- HMAC so one user's request id can never derive another user's token.
-- Replaying a request id whose session has since been revoked or has
-- expired is refused with ZB008: a new login needs a new request id.
--
-- Locking: the first statement upserts this e-mail's login_throttle row,
-- which locks it until commit. Every login attempt for one e-mail thus
-- runs one at a time through "locked? check password, count", so N
-- parallel wrong guesses count exactly N, and at most login_max_failures
-- of them ever reach the password check: the throttle cannot be raced.
-- Attempts for different e-mails do not wait on each other. READ COMMITTED
-- is enough because each waiter reads the committed row after the lock is
-- granted (ON CONFLICT DO UPDATE always updates the newest version).
-- The lock is held during one bcrypt (a few ms at cost 10 to 12); parallel
-- logins of one e-mail are rare, and under attack queueing them is the
-- point.
CREATE OR REPLACE FUNCTION public.api_login(p_email text, p_password text, p_request_id uuid)
RETURNS TABLE (status text, session_token text, user_id uuid, is_staff boolean,
               expires_at timestamptz, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
-- ON CONFLICT (user_id, ...) names a column that is also an output column.
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_email text := lower(trim(p_email));
	v_max integer := greatest(public.bz_setting_int('login_max_failures', 5), 1);
	v_window interval := make_interval(mins => greatest(public.bz_setting_int('login_window_minutes', 15), 1));
	v_lock interval := make_interval(mins => greatest(public.bz_setting_int('login_lock_minutes', 15), 1));
	v_hours interval := make_interval(hours => greatest(public.bz_setting_int('session_hours', 12), 1));
	v_locked_until timestamptz;
	v_user uuid;
	v_hash text;
	v_staff boolean;
	v_ok boolean;
	v_token text;
	v_session record;
BEGIN
	PERFORM set_config('application_name', 'bazar login', true);
	PERFORM set_config('lock_timeout', '5s', true);

	IF p_request_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The login request has no id.',
			DETAIL = 'request_id';
	END IF;
	-- No account can have such an address: nothing to count or check.
	IF v_email IS NULL OR v_email = '' OR char_length(v_email) > 254 THEN
		RETURN QUERY SELECT 'invalid'::text, NULL::text, NULL::uuid, NULL::boolean,
		                    NULL::timestamptz, v_started;
		RETURN;
	END IF;

	-- Take this e-mail's throttle row (see Locking above); a window that
	-- is over starts again at 0 failures.
	INSERT INTO public.login_throttle AS t (email_lower, failures, window_started_at)
	VALUES (v_email, 0, now())
	ON CONFLICT (email_lower) DO UPDATE
	SET failures = CASE WHEN t.window_started_at <= now() - v_window THEN 0 ELSE t.failures END,
	    window_started_at = CASE WHEN t.window_started_at <= now() - v_window THEN now()
	                             ELSE t.window_started_at END
	RETURNING t.locked_until INTO v_locked_until;

	IF v_locked_until > now() THEN
		UPDATE public.login_throttle AS t SET failures = t.failures + 1
		WHERE t.email_lower = v_email;
		RETURN QUERY SELECT 'throttled'::text, NULL::text, NULL::uuid, NULL::boolean,
		                    NULL::timestamptz, v_started;
		RETURN;
	END IF;

	SELECT u.id, u.password_hash, u.is_staff INTO v_user, v_hash, v_staff
	FROM public.users AS u
	WHERE lower(u.email) = v_email;

	IF p_password IS NULL OR char_length(p_password) > 1024 THEN
		v_ok := false;
	ELSIF v_user IS NULL OR v_hash !~ '^\$2[abxy]?\$[0-9]{2}\$' THEN
		-- The same work as a real check, so an unknown e-mail is not
		-- faster. (An account without a bcrypt hash cannot log in.)
		PERFORM crypt(p_password, gen_salt('bf',
			least(greatest(public.bz_setting_int('bcrypt_cost', 10), 4), 16)));
		v_ok := false;
	ELSE
		v_ok := v_hash = crypt(p_password, v_hash);
	END IF;

	IF NOT v_ok THEN
		UPDATE public.login_throttle AS t
		SET failures = t.failures + 1,
		    locked_until = CASE WHEN t.failures + 1 >= v_max THEN now() + v_lock
		                        ELSE t.locked_until END
		WHERE t.email_lower = v_email;
		RETURN QUERY SELECT 'invalid'::text, NULL::text, NULL::uuid, NULL::boolean,
		                    NULL::timestamptz, v_started;
		RETURN;
	END IF;

	DELETE FROM public.login_throttle AS t WHERE t.email_lower = v_email;

	v_token := encode(hmac(convert_to(v_user::text || ':' || p_request_id::text, 'UTF8'),
	                       (SELECT s.secret FROM public.shop_secrets AS s WHERE s.name = 'session_hmac'),
	                       'sha256'), 'hex');
	IF v_token IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'XX000',
			MESSAGE = 'The shop is not set up: the session secret is missing.',
			DETAIL = 'shop_secrets session_hmac';
	END IF;

	INSERT INTO public.sessions AS s (token_hash, user_id, expires_at, login_request_hash, last_seen_at)
	VALUES (sha256(convert_to(v_token, 'UTF8')), v_user, now() + v_hours,
	        sha256(convert_to(p_request_id::text, 'UTF8')), now())
	ON CONFLICT (user_id, login_request_hash) DO UPDATE SET last_seen_at = now()
	RETURNING s.expires_at, s.revoked_at INTO v_session;

	IF v_session.revoked_at IS NOT NULL OR v_session.expires_at <= now() THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'This sign-in has already ended; please sign in again.',
			DETAIL = 'request_id reused after its session ended';
	END IF;

	RETURN QUERY SELECT 'ok'::text, v_token, v_user, v_staff, v_session.expires_at, v_started;
END
$fn$;

-- Ends the session of this token (only this one: other terminals of the
-- same user stay logged in). Unknown, expired or already revoked tokens
-- are ignored, so logging out twice is harmless.
--
-- Locking: the UPDATE waits for requests holding the session's share lock
-- (bz_session_user) to finish, then revokes; see bz_session_user.
CREATE OR REPLACE FUNCTION public.api_logout(p_token text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
BEGIN
	PERFORM set_config('application_name', 'bazar logout', true);
	PERFORM set_config('lock_timeout', '5s', true);
	UPDATE public.sessions AS s
	SET revoked_at = now()
	WHERE s.token_hash = sha256(convert_to(coalesce(p_token, ''), 'UTF8'))
	  AND s.revoked_at IS NULL;
END
$fn$;

-- Who this session belongs to; ZB004 for a dead session. Locking: only
-- bz_session_user's share lock; a read.
CREATE OR REPLACE FUNCTION public.api_whoami(p_token text)
RETURNS TABLE (user_id uuid, email text, display_name text, is_staff boolean, expires_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar whoami', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);
	RETURN QUERY
	SELECT u.id, u.email, u.display_name, u.is_staff, s.expires_at
	FROM public.users AS u
	JOIN public.sessions AS s ON s.user_id = u.id
	WHERE u.id = v_user
	  AND s.token_hash = sha256(convert_to(p_token, 'UTF8'));
END
$fn$;

-- Privileges: internal helpers for no one, the API for the shop's roles.
REVOKE ALL ON FUNCTION public.bz_setting_int(text, integer) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_session_user(text) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_session_staff(text) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_register(text, text, text) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_login(text, text, uuid) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_logout(text) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_whoami(text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.api_register(text, text, text) TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_login(text, text, uuid) TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_logout(text) TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_whoami(text) TO bazar_client, bazar_staff, bazar_tester;
-- The race lab also reads the catalog and checks the schema version.
GRANT EXECUTE ON FUNCTION public.schema_version() TO bazar_tester;
GRANT EXECUTE ON FUNCTION public.catalog_page(text, integer, integer) TO bazar_tester;
