-- 0021_mail_worker: the mail worker's side of the outbox (issue 7).
--
--   api_mail_claim(worker, limit, lease_seconds)      take due messages, leased
--   api_mail_sent(outbox_id, fencing_token, provider_message_id)
--   api_mail_retry(outbox_id, fencing_token, error, delay_ms)
--   api_mail_fail(outbox_id, fencing_token, error)    parked: the provider said no
--   api_staff_outbox(token, status, limit)            the console's Outbox list
--   api_staff_outbox_counts(token)                    per status, and sends in the last hour
--   api_staff_outbox_retry(token, outbox_id)          a failed message tried again (audited)
--
-- The order functions already queue their messages in email_outbox in the
-- same transaction as the change they report (0010's checkout, 0011's
-- decisions). This migration adds the wallet top-up's message (a trigger
-- on wallet_ledger, so it commits or rolls back with the credit) and the
-- functions a worker and the console use.
--
-- Claiming: due rows (pending and next_attempt_at reached, or sending
-- with an expired lease: the worker holding it died or stalled) are taken
-- FOR UPDATE SKIP LOCKED, so several workers share the queue without
-- waiting on each other or taking the same row; each claim raises the
-- row's fencing_token, and the worker must present that token to record
-- the outcome. A worker whose lease ran out during a slow send and whose
-- row another worker has claimed since holds an old token: its
-- sent/retry/fail is refused ('stale') and cannot overwrite the new
-- owner's result. Both may have sent the message; the provider's
-- Idempotency-Key (the row's idempotency_key, the same for every attempt)
-- makes the second send the first one's duplicate, not a second e-mail.
--
-- Codes in messages: shop setting mail_codes ('in_shop', the default:
-- "your codes are in your account"; 'in_message': the codes are listed).
-- They are added when the worker claims the row, never stored in the
-- outbox: a code is a product someone paid for, and the outbox is kept
-- for history.
--
-- The worker runs as bazar_mailer (created here NOLOGIN like the other
-- shop roles; the private cluster gives it LOGIN), which may run the
-- api_mail_* functions and nothing else. Staff functions take a staff
-- session (bz_session_staff) and are granted to bazar_staff and
-- bazar_tester. Safe to run twice. Rollback drops what is created here.

DO $do$
DECLARE
	v_can_create boolean;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bazar_mailer') THEN
		SELECT rolcreaterole OR rolsuper INTO v_can_create
		FROM pg_roles WHERE rolname = current_user;
		IF NOT coalesce(v_can_create, false) THEN
			RAISE EXCEPTION USING ERRCODE = '42501',
				MESSAGE = format('role bazar_mailer is missing and %I may not create roles', current_user),
				HINT = 'Ask an administrator to run: CREATE ROLE bazar_mailer NOLOGIN; then migrate again.';
		END IF;
		CREATE ROLE bazar_mailer NOLOGIN;
	END IF;
END
$do$;
GRANT USAGE ON SCHEMA public TO bazar_mailer;
-- Every client checks the schema version it was built for before it works.
GRANT EXECUTE ON FUNCTION public.schema_version() TO bazar_mailer;

-- Who holds a row's lease, for the console ("sending, by mailer@host:123"),
-- and when its last attempt started (the health view's failures per hour).
ALTER TABLE public.email_outbox ADD COLUMN IF NOT EXISTS claimed_by text;
ALTER TABLE public.email_outbox ADD COLUMN IF NOT EXISTS last_attempt_at timestamptz;

INSERT INTO public.shop_settings (key, value)
VALUES ('mail_codes', 'in_shop'),
       ('mail_max_attempts', '12')
ON CONFLICT (key) DO NOTHING;

-- The provider's key for one message: the same for every attempt and
-- every worker, different for every row.
CREATE OR REPLACE FUNCTION public.bz_mail_idempotency_key(p_outbox_id uuid)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = public, pg_temp
AS $fn$
	SELECT 'bazar-outbox-' || p_outbox_id::text
$fn$;

-- A message's text as it is sent: the stored body, and for a paid order
-- under mail_codes = 'in_message' its codes, one line each, by product.
CREATE OR REPLACE FUNCTION public.bz_mail_render(p_kind text, p_body text, p_order_id uuid)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_codes text;
BEGIN
	IF p_kind <> 'order_confirmation' OR p_order_id IS NULL
	   OR coalesce((SELECT btrim(s.value) FROM public.shop_settings AS s WHERE s.key = 'mail_codes'),
	               'in_shop') <> 'in_message' THEN
		RETURN p_body;
	END IF;
	SELECT string_agg(format('  %s: %s', p.name, c.code), E'\n' ORDER BY p.name, c.code)
	INTO v_codes
	FROM public.product_codes AS c
	JOIN public.products AS p ON p.id = c.product_id
	WHERE c.order_id = p_order_id AND c.status = 'sold';
	IF v_codes IS NULL THEN
		RETURN p_body;
	END IF;
	RETURN p_body || E'\n\nYour codes:\n' || v_codes || E'\n';
END
$fn$;

-- A staff top-up credits the wallet and queues its message in the same
-- transaction (the ledger row is inserted by 0011's api_staff_wallet_topup).
CREATE OR REPLACE FUNCTION public.bz_mail_topup()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_email text;
BEGIN
	SELECT u.email INTO v_email
	FROM public.wallets AS w JOIN public.users AS u ON u.id = w.user_id
	WHERE w.id = NEW.wallet_id;
	INSERT INTO public.email_outbox (kind, to_address, subject, body_text, payload)
	VALUES ('wallet_topup', v_email, 'Your Bazar wallet was topped up',
	        format('We added %s to your Bazar wallet. Your balance is now %s.',
	               public.bz_money_text(NEW.amount_cents), public.bz_money_text(NEW.balance_after_cents)),
	        jsonb_build_object('ledger_id', NEW.id, 'amount_cents', NEW.amount_cents));
	RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS wallet_ledger_topup_mail ON public.wallet_ledger;
CREATE TRIGGER wallet_ledger_topup_mail
	AFTER INSERT ON public.wallet_ledger
	FOR EACH ROW
	WHEN (NEW.amount_cents > 0 AND NEW.order_id IS NULL AND NEW.reason LIKE 'top-up:%')
	EXECUTE FUNCTION public.bz_mail_topup();

-- Take up to p_limit due messages for p_worker, each leased for
-- p_lease_seconds. attempt is this attempt's number (1 for the first).
-- A claimed row's next_attempt_at moves to the end of its lease: the row
-- is due again exactly when a dead worker's lease runs out, so one range
-- of 0003.6's partial index (pending and sending, by next_attempt_at)
-- finds both the new messages and the abandoned ones.
CREATE OR REPLACE FUNCTION public.api_mail_claim(p_worker text, p_limit integer, p_lease_seconds integer)
RETURNS TABLE (outbox_id uuid, fencing_token bigint, attempt bigint, kind text, to_address text,
               subject text, body_text text, idempotency_key text, order_id uuid, created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar mail claim', true);
	IF p_worker IS NULL OR btrim(p_worker) = '' OR length(p_worker) > 200 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The worker needs a name of 1 to 200 characters.', DETAIL = 'worker';
	END IF;
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 1000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'A claim takes 1 to 1000 messages.', DETAIL = format('limit=%s', p_limit);
	END IF;
	IF p_lease_seconds IS NULL OR p_lease_seconds < 5 OR p_lease_seconds > 3600 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'A lease lasts 5 to 3600 seconds.', DETAIL = format('lease_seconds=%s', p_lease_seconds);
	END IF;
	RETURN QUERY
	WITH due AS (
		SELECT e.id
		FROM public.email_outbox AS e
		WHERE e.status IN ('pending', 'sending') AND e.next_attempt_at <= now()
		ORDER BY e.next_attempt_at, e.id
		LIMIT p_limit
		FOR UPDATE SKIP LOCKED
	), claimed AS (
		UPDATE public.email_outbox AS e
		SET status = 'sending',
		    lease_until = now() + make_interval(secs => p_lease_seconds),
		    next_attempt_at = now() + make_interval(secs => p_lease_seconds),
		    last_attempt_at = now(),
		    fencing_token = e.fencing_token + 1,
		    attempts = e.attempts + 1,
		    claimed_by = p_worker
		FROM due
		WHERE e.id = due.id
		RETURNING e.id, e.fencing_token, e.attempts, e.kind, e.to_address, e.subject, e.body_text,
		          e.order_id, e.created_at
	)
	SELECT c.id, c.fencing_token, c.attempts, c.kind, c.to_address, c.subject,
	       public.bz_mail_render(c.kind, c.body_text, c.order_id),
	       public.bz_mail_idempotency_key(c.id), c.order_id, c.created_at
	FROM claimed AS c
	ORDER BY c.created_at, c.id;
END
$fn$;

-- The row a worker is about to change, if it still owns it: locked, and
-- NULL when another claim has raised the token or the row is not sending.
CREATE OR REPLACE FUNCTION public.bz_mail_owned(p_outbox_id uuid, p_fencing_token bigint)
RETURNS public.email_outbox
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT e.*
	FROM public.email_outbox AS e
	WHERE e.id = p_outbox_id AND e.status = 'sending' AND e.fencing_token = p_fencing_token
	FOR UPDATE
$fn$;

-- The provider accepted the message. 'sent', or 'stale' when the worker
-- no longer owns the row (its result is dropped; the owner's counts).
CREATE OR REPLACE FUNCTION public.api_mail_sent(p_outbox_id uuid, p_fencing_token bigint,
                                                p_provider_message_id text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_row public.email_outbox;
BEGIN
	PERFORM set_config('application_name', 'bazar mail sent', true);
	IF p_provider_message_id IS NOT NULL AND length(p_provider_message_id) > 200 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'A provider message id has at most 200 characters.', DETAIL = 'provider_message_id';
	END IF;
	v_row := public.bz_mail_owned(p_outbox_id, p_fencing_token);
	IF v_row.id IS NULL THEN
		RETURN 'stale';
	END IF;
	UPDATE public.email_outbox AS e
	SET status = 'sent', sent_at = now(), lease_until = NULL,
	    provider_message_id = p_provider_message_id, last_error = NULL
	WHERE e.id = p_outbox_id;
	RETURN 'sent';
END
$fn$;

-- A send that may work later (429, 5xx, a timeout, a dropped
-- connection): back to pending after p_delay_ms, or 'failed' once the row
-- has had mail_max_attempts attempts. Returns 'retry', 'failed' or 'stale'.
CREATE OR REPLACE FUNCTION public.api_mail_retry(p_outbox_id uuid, p_fencing_token bigint,
                                                 p_error text, p_delay_ms bigint)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_row public.email_outbox;
	v_max integer := public.bz_setting_int('mail_max_attempts', 12);
BEGIN
	PERFORM set_config('application_name', 'bazar mail retry', true);
	IF p_delay_ms IS NULL OR p_delay_ms < 0 OR p_delay_ms > 86400000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'A retry waits 0 to 86400000 ms.', DETAIL = format('delay_ms=%s', p_delay_ms);
	END IF;
	v_row := public.bz_mail_owned(p_outbox_id, p_fencing_token);
	IF v_row.id IS NULL THEN
		RETURN 'stale';
	END IF;
	IF v_row.attempts >= v_max THEN
		UPDATE public.email_outbox AS e
		SET status = 'failed', lease_until = NULL,
		    last_error = left(format('gave up after %s attempts: %s', v_row.attempts, coalesce(p_error, '')), 1000)
		WHERE e.id = p_outbox_id;
		RETURN 'failed';
	END IF;
	UPDATE public.email_outbox AS e
	SET status = 'pending', lease_until = NULL,
	    next_attempt_at = now() + make_interval(secs => p_delay_ms / 1000.0),
	    last_error = left(coalesce(p_error, ''), 1000)
	WHERE e.id = p_outbox_id;
	RETURN 'retry';
END
$fn$;

-- The provider refused the message for good (a 4xx other than 429): parked
-- as failed with its reason until staff retry it. 'failed' or 'stale'.
CREATE OR REPLACE FUNCTION public.api_mail_fail(p_outbox_id uuid, p_fencing_token bigint, p_error text)
RETURNS text
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_row public.email_outbox;
BEGIN
	PERFORM set_config('application_name', 'bazar mail fail', true);
	v_row := public.bz_mail_owned(p_outbox_id, p_fencing_token);
	IF v_row.id IS NULL THEN
		RETURN 'stale';
	END IF;
	UPDATE public.email_outbox AS e
	SET status = 'failed', lease_until = NULL, last_error = left(coalesce(p_error, ''), 1000)
	WHERE e.id = p_outbox_id;
	RETURN 'failed';
END
$fn$;

-- The console's Outbox list, newest first: every status, or one of
-- pending, sending, sent, failed. Bodies are not listed (they may name
-- what a customer bought); the subject and the address are.
CREATE OR REPLACE FUNCTION public.api_staff_outbox(p_token text, p_status text, p_limit integer)
RETURNS TABLE (outbox_id uuid, kind text, to_address text, subject text, status text, attempts bigint,
               next_attempt_at timestamptz, lease_until timestamptz, claimed_by text,
               provider_message_id text, last_error text, order_id uuid, created_at timestamptz,
               sent_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar staff outbox', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_status IS NOT NULL AND p_status NOT IN ('pending', 'sending', 'sent', 'failed') THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'Show pending, sending, sent or failed messages, or every one.',
			DETAIL = 'status';
	END IF;
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 1000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The list shows 1 to 1000 messages.', DETAIL = format('limit=%s', p_limit);
	END IF;
	RETURN QUERY
	SELECT e.id, e.kind, e.to_address, e.subject, e.status, e.attempts, e.next_attempt_at,
	       e.lease_until, e.claimed_by, e.provider_message_id, e.last_error, e.order_id,
	       e.created_at, e.sent_at
	FROM public.email_outbox AS e
	WHERE p_status IS NULL OR e.status = p_status
	ORDER BY e.created_at DESC, e.id DESC
	LIMIT p_limit;
END
$fn$;

-- Counts per status for the console's live header, and the sends and
-- failures of the last hour for the health view. One snapshot.
CREATE OR REPLACE FUNCTION public.api_staff_outbox_counts(p_token text)
RETURNS TABLE (pending bigint, sending bigint, sent bigint, failed bigint, oldest_pending_at timestamptz,
               sent_last_hour bigint, failed_last_hour bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar staff outbox', true);
	PERFORM public.bz_session_staff(p_token);
	RETURN QUERY
	SELECT count(*) FILTER (WHERE e.status = 'pending'),
	       count(*) FILTER (WHERE e.status = 'sending'),
	       count(*) FILTER (WHERE e.status = 'sent'),
	       count(*) FILTER (WHERE e.status IN ('failed', 'dead')),
	       min(e.created_at) FILTER (WHERE e.status = 'pending'),
	       count(*) FILTER (WHERE e.status = 'sent' AND e.sent_at > now() - interval '1 hour'),
	       count(*) FILTER (WHERE e.status IN ('failed', 'dead') AND e.last_attempt_at > now() - interval '1 hour')
	FROM public.email_outbox AS e;
END
$fn$;

-- A failed message tried again: pending now, its attempts kept (the
-- history of what went wrong stays in the audit log). ZB006 for an
-- unknown id; ZB008 when the message is not failed.
CREATE OR REPLACE FUNCTION public.api_staff_outbox_retry(p_token text, p_outbox_id uuid)
RETURNS TABLE (outbox_id uuid, status text, attempts bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_staff uuid;
	v_row public.email_outbox;
BEGIN
	PERFORM set_config('application_name', 'bazar staff outbox retry', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	SELECT e.* INTO v_row FROM public.email_outbox AS e WHERE e.id = p_outbox_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such message in the outbox.', DETAIL = 'outbox_id';
	END IF;
	IF v_row.status NOT IN ('failed', 'dead') THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = format('Only a failed message can be tried again; this one is %s.', v_row.status),
			DETAIL = format('status=%s', v_row.status);
	END IF;
	UPDATE public.email_outbox AS e
	SET status = 'pending', next_attempt_at = now(), lease_until = NULL, claimed_by = NULL
	WHERE e.id = p_outbox_id;
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'outbox.retried', 'email_outbox', p_outbox_id::text,
	        jsonb_build_object('kind', v_row.kind, 'attempts', v_row.attempts, 'last_error', v_row.last_error));
	RETURN QUERY SELECT p_outbox_id, 'pending'::text, v_row.attempts;
END
$fn$;

DO $do$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'public.bz_mail_idempotency_key(uuid)',
		'public.bz_mail_render(text, text, uuid)',
		'public.bz_mail_topup()',
		'public.bz_mail_owned(uuid, bigint)'
	] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, bazar_client, '
		               'bazar_staff, bazar_tester, bazar_mailer', f);
	END LOOP;
	FOREACH f IN ARRAY ARRAY[
		'public.api_mail_claim(text, integer, integer)',
		'public.api_mail_sent(uuid, bigint, text)',
		'public.api_mail_retry(uuid, bigint, text, bigint)',
		'public.api_mail_fail(uuid, bigint, text)'
	] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, bazar_client, '
		               'bazar_staff, bazar_tester', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bazar_mailer', f);
	END LOOP;
	FOREACH f IN ARRAY ARRAY[
		'public.api_staff_outbox(text, text, integer)',
		'public.api_staff_outbox_counts(text)',
		'public.api_staff_outbox_retry(text, uuid)'
	] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, bazar_client, bazar_mailer', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bazar_staff, bazar_tester', f);
	END LOOP;
END
$do$;
