-- 0011_staff: the staff API.
--
--   api_staff_approve(token, order_id, reason)   bank transfer paid: deliver the reserved codes
--   api_staff_reject(token, order_id, reason)    not paid: codes back on sale, promo use back
--   api_staff_expire_stale(token)                expire every unpaid order past its time
--   api_staff_topup(token, email, amount_cents, reason)
--   api_staff_promo_create(...) / api_staff_promo_set_active(token, code, active)
--   api_staff_import_codes(token, product_id, codes[])   every line reported
--   api_staff_void_code(token, product_id, code, reason)
--   api_staff_orders(token, status, limit, after_seq)
--   api_staff_find_customer(token, query)
--   api_staff_order_codes(token, order_id)       an order's codes; every reveal audited
--   api_staff_checkout_for(token, email, key, product_ids[], quantities[], promo, method)
--   bz_expire_stale()                            the sweep, for workers and pg_cron
--
-- Every function takes the session token of a staff account
-- (bz_session_staff: ZB004 without a live session, ZB005 for a customer),
-- records what it changed in audit_log with the staff member as actor,
-- and keeps 0010's global lock order: sessions -> idempotency_keys ->
-- carts -> promo_codes -> product_codes -> wallets -> orders -> inserts.
-- Isolation: READ COMMITTED with row locks and conditional UPDATEs; each
-- function says why that is enough. Granted to bazar_staff and the race
-- lab's bazar_tester only.
--
-- Safe to run twice. Rollback drops the functions (and the pg_cron job, if
-- this file scheduled one) and keeps wallet_ledger.created_by with its data.

-- The staff member who made a ledger movement (top-ups); NULL for the
-- shop's own movements (checkouts). Nullable, no default: catalog-only.
ALTER TABLE public.wallet_ledger ADD COLUMN IF NOT EXISTS created_by uuid;

-- Approves (p_approve) or rejects one bank-transfer order for staff member
-- p_staff; the shared body of api_staff_approve and api_staff_reject.
-- outcome: 'approved' / 'rejected' for the one call that decided it;
-- 'expired' when the order was (or, found past its time, is now) expired
-- instead; 'already_decided' for everyone else, with who decided it and
-- when. Never raises for a lost race: two staff deciding the same order at
-- once get exactly one decision, and the other is told whose. An order
-- placed before 0010 (no expires_at, nothing reserved) never lapses by
-- itself; approving it claims its codes then (ZB001 when out of stock).
--
-- Locking, in the global order: the order's promo (for an approval too:
-- expiring an order found past its time needs it), then the order's codes, then the conditional UPDATE of the order (still awaiting
-- payment and not past its time), which decides the race: the second
-- decider waits on the first one's locks, and under READ COMMITTED its
-- UPDATE re-reads the newest row, finds it decided and changes nothing.
-- bz_promo_release_order then works under the promo lock already held.
CREATE OR REPLACE FUNCTION public.bz_staff_decide(p_staff uuid, p_order_id uuid, p_approve boolean,
                                                  p_reason text, p_started timestamptz)
RETURNS TABLE (outcome text, order_status text, decided_by_email text, decided_at timestamptz,
               started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_status text;
	v_promo uuid;
	v_expires timestamptz;
	v_user uuid;
	v_at timestamptz;
	v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
	v_n bigint;
	v_email text;
	v_staff_email text;
	v_total bigint;
	v_line record;
BEGIN
	IF v_reason IS NOT NULL AND (char_length(v_reason) > 500 OR v_reason ~ '[[:cntrl:]]') THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The note must have at most 500 printable characters.',
			DETAIL = 'reason';
	END IF;

	SELECT o.status, o.promo_id, o.expires_at INTO v_status, v_promo, v_expires
	FROM public.orders AS o WHERE o.id = p_order_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such order.',
			DETAIL = format('order_id=%s', p_order_id);
	END IF;

	IF v_status = 'awaiting_payment' THEN
		-- Taken for an approval too: if the order turns out to be past its
		-- time, expiring it needs this lock, and it must come first.
		IF v_promo IS NOT NULL THEN
			PERFORM 1 FROM public.promo_codes AS p WHERE p.id = v_promo FOR UPDATE;
		END IF;
	END IF;

	-- expires_at NULL: an order placed before 0010, which never lapses by
	-- itself; staff decide it.
	IF v_status = 'awaiting_payment' AND coalesce(v_expires, 'infinity') > now() THEN
		PERFORM 1 FROM public.product_codes AS pc
		WHERE pc.order_id = p_order_id
		ORDER BY pc.product_id, pc.created_at, pc.id
		FOR UPDATE;

		BEGIN
			-- An order placed before 0010 reserved no codes: claim what is
			-- missing now (ZB001 to the staff member when stock is out).
			-- Undone with the block if another decision wins the race.
			IF p_approve THEN
				FOR v_line IN
					SELECT i.product_id,
					       sum(i.quantity) - (SELECT count(*) FROM public.product_codes AS pc
					                          WHERE pc.order_id = p_order_id AND pc.product_id = i.product_id
					                            AND pc.status = 'reserved') AS missing
					FROM public.order_items AS i
					WHERE i.order_id = p_order_id
					GROUP BY i.product_id
					ORDER BY i.product_id
				LOOP
					IF v_line.missing > 0 THEN
						PERFORM public.bz_claim_codes(v_line.product_id, v_line.missing::integer, p_order_id,
						                              now() + interval '1 hour');
					END IF;
				END LOOP;
			END IF;

			UPDATE public.orders AS o
			SET status = CASE WHEN p_approve THEN 'fulfilled' ELSE 'cancelled' END,
			    decided_by = p_staff, decided_at = now(), decision_reason = v_reason, updated_at = now()
			WHERE o.id = p_order_id AND o.status = 'awaiting_payment'
			  AND coalesce(o.expires_at, 'infinity') > now()
			RETURNING o.decided_at, o.user_id, o.total_cents INTO v_at, v_user, v_total;
			IF v_at IS NULL THEN
				RAISE EXCEPTION USING ERRCODE = 'ZB999', MESSAGE = 'lost the decision';
			END IF;
		EXCEPTION WHEN SQLSTATE 'ZB999' THEN
			NULL;
		END;

		IF v_at IS NOT NULL THEN
			SELECT u.email INTO v_staff_email FROM public.users AS u WHERE u.id = p_staff;
			SELECT u.email INTO v_email FROM public.users AS u WHERE u.id = v_user;
			IF p_approve THEN
				UPDATE public.product_codes AS pc
				SET status = 'sold', used_at = now(), reserved_until = NULL
				WHERE pc.order_id = p_order_id AND pc.status = 'reserved';
				GET DIAGNOSTICS v_n = ROW_COUNT;
				INSERT INTO public.email_outbox (kind, to_address, subject, body_text, payload, order_id)
				VALUES ('order_confirmation', v_email, 'Your Bazar order is ready',
				        format('We received your bank transfer for order %s (%s); your codes are in your account.',
				               p_order_id, public.bz_money_text(v_total)),
				        jsonb_build_object('order_id', p_order_id), p_order_id);
			ELSE
				UPDATE public.product_codes AS pc
				SET status = 'available', order_id = NULL, reserved_until = NULL
				WHERE pc.order_id = p_order_id AND pc.status = 'reserved';
				GET DIAGNOSTICS v_n = ROW_COUNT;
				IF v_promo IS NOT NULL THEN
					PERFORM public.bz_promo_release_order(p_order_id);
				END IF;
				INSERT INTO public.email_outbox (kind, to_address, subject, body_text, payload, order_id)
				VALUES ('order_rejected', v_email, 'Your Bazar order was cancelled',
				        format('We could not match a bank transfer to order %s (%s), so it was cancelled.%s',
				               p_order_id, public.bz_money_text(v_total),
				               coalesce(' Note: ' || v_reason, '')),
				        jsonb_build_object('order_id', p_order_id), p_order_id);
			END IF;
			INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
			VALUES (p_staff, CASE WHEN p_approve THEN 'order.approved' ELSE 'order.rejected' END,
			        'orders', p_order_id::text,
			        jsonb_build_object('reason', v_reason, 'codes', v_n));
			RETURN QUERY SELECT CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END,
			                    CASE WHEN p_approve THEN 'fulfilled' ELSE 'cancelled' END,
			                    v_staff_email, v_at, p_started;
			RETURN;
		END IF;
	END IF;

	-- Not ours to decide: past its time (expire it, if no one has yet; its
	-- promo is locked already), or decided by someone else.
	IF v_status = 'awaiting_payment' THEN
		PERFORM public.bz_expire_orders(ARRAY[p_order_id]);
	END IF;

	RETURN QUERY
	SELECT CASE WHEN o.status = 'cancelled' AND o.decision_reason = 'expired' AND o.decided_by IS NULL
	            THEN 'expired' ELSE 'already_decided' END,
	       o.status, u.email, o.decided_at, p_started
	FROM public.orders AS o
	LEFT JOIN public.users AS u ON u.id = o.decided_by
	WHERE o.id = p_order_id;
END
$fn$;

-- Staff confirm that a bank transfer arrived: the order's reserved codes
-- are delivered (sold), the order is fulfilled and the customer mailed.
-- See bz_staff_decide for the outcomes and the race.
CREATE OR REPLACE FUNCTION public.api_staff_approve(p_token text, p_order_id uuid, p_reason text)
RETURNS TABLE (outcome text, order_status text, decided_by_email text, decided_at timestamptz,
               started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
BEGIN
	PERFORM set_config('application_name', format('bazar approve order=%s', left(coalesce(p_order_id::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	RETURN QUERY SELECT * FROM public.bz_staff_decide(v_staff, p_order_id, true, p_reason, v_started);
END
$fn$;

-- Staff reject a bank-transfer order (no payment arrived): its codes go
-- back on sale and its promo use is given back. See bz_staff_decide.
CREATE OR REPLACE FUNCTION public.api_staff_reject(p_token text, p_order_id uuid, p_reason text)
RETURNS TABLE (outcome text, order_status text, decided_by_email text, decided_at timestamptz,
               started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
BEGIN
	PERFORM set_config('application_name', format('bazar reject order=%s', left(coalesce(p_order_id::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	RETURN QUERY SELECT * FROM public.bz_staff_decide(v_staff, p_order_id, false, p_reason, v_started);
END
$fn$;

-- Expires every unpaid bank-transfer order past its time, 500 at a time
-- (each batch: bz_expire_orders' locks, in the global order), and returns
-- how many it expired. For api_staff_expire_stale, any running worker, and
-- pg_cron where installed (scheduled below). Internal: no grants.
CREATE OR REPLACE FUNCTION public.bz_expire_stale()
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_ids uuid[];
	v_total integer := 0;
	v_n integer;
BEGIN
	LOOP
		SELECT coalesce(array_agg(x.id), '{}') INTO v_ids
		FROM (SELECT o.id FROM public.orders AS o
		      WHERE o.status = 'awaiting_payment' AND o.expires_at <= now()
		      ORDER BY o.expires_at
		      LIMIT 500) AS x;
		EXIT WHEN cardinality(v_ids) = 0;
		v_n := public.bz_expire_orders(v_ids);
		v_total := v_total + v_n;
		-- Another sweeper took this batch: whatever is left is theirs too.
		EXIT WHEN v_n = 0;
	END LOOP;
	RETURN v_total;
END
$fn$;

-- The staff's "expire now" button: bz_expire_stale, audited.
CREATE OR REPLACE FUNCTION public.api_staff_expire_stale(p_token text)
RETURNS TABLE (expired_orders integer, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
	v_n integer;
BEGIN
	PERFORM set_config('application_name', 'bazar expire-stale', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	v_n := public.bz_expire_stale();
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'orders.expire_stale', 'orders', NULL, jsonb_build_object('expired', v_n));
	RETURN QUERY SELECT v_n, v_started;
END
$fn$;

-- Credits a customer's wallet (found by e-mail, case-insensitively; ZB006
-- when unknown) with 0.01 .. 1,000,000.00 (ZB008 otherwise), with a
-- reason (1..200 characters, ZB008): one ledger row carrying the reason,
-- the balance after and the staff member, and an audit row.
--
-- Locking: the wallet row by the UPDATE (step 6), then inserts. The ledger
-- time is clock_timestamp() under that lock, so ledger order is balance
-- order. READ COMMITTED: the UPDATE adds to the newest balance.
CREATE OR REPLACE FUNCTION public.api_staff_topup(p_token text, p_user_email text, p_amount_cents bigint,
                                                  p_reason text)
RETURNS TABLE (user_id uuid, balance_cents bigint, ledger_id uuid, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
	v_user uuid;
	v_wallet uuid;
	v_balance bigint;
	v_ledger uuid;
	v_reason text := btrim(coalesce(p_reason, ''));
BEGIN
	PERFORM set_config('application_name', 'bazar topup', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);

	IF p_amount_cents IS NULL OR p_amount_cents < 1 OR p_amount_cents > 100000000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'A top-up is between 0.01 and 1000000.00.',
			DETAIL = format('amount_cents=%s', coalesce(p_amount_cents::text, 'NULL'));
	END IF;
	IF v_reason = '' OR char_length(v_reason) > 200 OR v_reason ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'Please give a reason for the top-up (at most 200 characters).',
			DETAIL = 'reason';
	END IF;
	SELECT u.id INTO v_user FROM public.users AS u WHERE lower(u.email) = lower(btrim(coalesce(p_user_email, '')));
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No customer has this e-mail.',
			DETAIL = 'email';
	END IF;

	INSERT INTO public.wallets AS w (user_id, balance_cents) VALUES (v_user, 0)
	ON CONFLICT (user_id) DO NOTHING;
	UPDATE public.wallets AS w
	SET balance_cents = w.balance_cents + p_amount_cents, updated_at = now()
	WHERE w.user_id = v_user
	RETURNING w.id, w.balance_cents INTO v_wallet, v_balance;

	INSERT INTO public.wallet_ledger (wallet_id, amount_cents, balance_after_cents, reason, created_by, created_at)
	VALUES (v_wallet, p_amount_cents, v_balance, 'top-up: ' || v_reason, v_staff, clock_timestamp())
	RETURNING id INTO v_ledger;
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'wallet.topup', 'wallets', v_wallet::text,
	        jsonb_build_object('user_id', v_user, 'amount_cents', p_amount_cents, 'reason', v_reason,
	                           'ledger_id', v_ledger));

	RETURN QUERY SELECT v_user, v_balance, v_ledger, v_started;
END
$fn$;

-- Creates a promo. The code: 3..32 letters, digits, '-' or '_', starting
-- with a letter or digit, stored upper-case and unique case-insensitively
-- (ZB007 when taken). type 'percentage' (value 1..100) or 'fixed' (value
-- in cents, 1 .. 100,000,000); min order >= 0 (NULL: 0); max_uses and
-- per_user_limit NULL (unlimited) or >= 1; valid_from < valid_until when
-- both are given. ZB008 for anything else. Locking: an insert; the unique
-- indexes settle concurrent creations of one code.
CREATE OR REPLACE FUNCTION public.api_staff_promo_create(p_token text, p_code text, p_discount_type text,
                                                         p_discount_value bigint, p_min_order_cents bigint,
                                                         p_max_uses bigint, p_per_user_limit bigint,
                                                         p_valid_from timestamptz, p_valid_until timestamptz)
RETURNS TABLE (promo_id uuid, code text, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
	v_code text := upper(btrim(coalesce(p_code, '')));
	v_id uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar promo create', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);

	IF v_code !~ '^[A-Z0-9][A-Z0-9_-]{2,31}$' THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'A promo code has 3 to 32 letters, digits, - or _.',
			DETAIL = 'code';
	END IF;
	IF p_discount_type IS NULL OR p_discount_type NOT IN ('percentage', 'fixed') THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'The discount type is percentage or fixed.',
			DETAIL = 'discount_type';
	END IF;
	IF p_discount_value IS NULL OR p_discount_value < 1
	   OR (p_discount_type = 'percentage' AND p_discount_value > 100)
	   OR p_discount_value > 100000000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The discount is 1..100 percent, or 0.01 .. 1000000.00 off.',
			DETAIL = format('discount_value=%s', coalesce(p_discount_value::text, 'NULL'));
	END IF;
	IF coalesce(p_min_order_cents, 0) < 0 OR p_max_uses < 1 OR p_per_user_limit < 1
	   OR p_valid_from >= p_valid_until THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'Minimum order must be >= 0, limits >= 1, and the start before the end.',
			DETAIL = 'min_order_cents, max_uses, per_user_limit, valid_from, valid_until';
	END IF;

	INSERT INTO public.promo_codes (code, discount_type, discount_value, min_order_cents, max_uses,
	                                per_user_limit, valid_from, valid_until)
	VALUES (v_code, p_discount_type, p_discount_value, coalesce(p_min_order_cents, 0), p_max_uses,
	        p_per_user_limit, p_valid_from, p_valid_until)
	ON CONFLICT DO NOTHING
	RETURNING id INTO v_id;
	IF v_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB007', MESSAGE = 'This promo code exists already.',
			DETAIL = format('code=%s', v_code);
	END IF;
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'promo.created', 'promo_codes', v_id::text,
	        jsonb_build_object('code', v_code, 'discount_type', p_discount_type,
	                           'discount_value', p_discount_value, 'max_uses', p_max_uses));
	RETURN QUERY SELECT v_id, v_code, v_started;
END
$fn$;

-- Switches a promo (by code, case-insensitively; ZB006 when unknown) on or
-- off. Locking: the promo row by the UPDATE (step 4): a checkout using the
-- promo either committed before (its use counts) or runs after and finds
-- it inactive (ZB002): never a use of a switched-off promo.
CREATE OR REPLACE FUNCTION public.api_staff_promo_set_active(p_token text, p_code text, p_active boolean)
RETURNS TABLE (promo_id uuid, is_active boolean, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
	v_id uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar promo set-active', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	IF p_active IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'Say whether the promo is active.',
			DETAIL = 'active';
	END IF;
	UPDATE public.promo_codes AS p
	SET is_active = p_active
	WHERE lower(p.code) = lower(btrim(coalesce(p_code, '')))
	RETURNING p.id INTO v_id;
	IF v_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such promo code.', DETAIL = 'code';
	END IF;
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, CASE WHEN p_active THEN 'promo.activated' ELSE 'promo.deactivated' END,
	        'promo_codes', v_id::text, '{}'::jsonb);
	RETURN QUERY SELECT v_id, p_active, v_started;
END
$fn$;

-- Imports codes for one product (ZB006 when unknown; at most 10,000 lines,
-- ZB008). Every input line comes back, in order, with its result:
-- 'imported', 'duplicate' (already in stock for this product, or earlier
-- in the same list) or 'invalid' (empty after trimming, over 200
-- characters, or with control characters). Nothing is dropped silently.
-- Codes keep the list's order in the claim order (created_at).
--
-- Locking: inserts; ON CONFLICT on the unique (product_id, code) index
-- (0005.1) settles concurrent imports of the same code: one 'imported',
-- the other 'duplicate'.
CREATE OR REPLACE FUNCTION public.api_staff_import_codes(p_token text, p_product_id uuid, p_codes text[])
RETURNS TABLE (code text, result text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_staff uuid;
	v_now timestamptz := clock_timestamp();
	v_codes text[];
	v_results text[];
BEGIN
	PERFORM set_config('application_name', 'bazar import-codes', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	IF NOT EXISTS (SELECT 1 FROM public.products AS p WHERE p.id = p_product_id) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such product.',
			DETAIL = format('product_id=%s', p_product_id);
	END IF;
	IF p_codes IS NULL OR cardinality(p_codes) = 0 OR cardinality(p_codes) > 10000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'Import 1 to 10000 codes at a time.',
			DETAIL = format('lines=%s', coalesce(cardinality(p_codes), 0));
	END IF;

	WITH input AS (
		SELECT u.ord, btrim(coalesce(u.raw, '')) AS c
		FROM unnest(p_codes) WITH ORDINALITY AS u (raw, ord)
	), classified AS (
		SELECT i.ord, i.c,
		       (i.c <> '' AND char_length(i.c) <= 200 AND i.c !~ '[[:cntrl:]]') AS valid,
		       row_number() OVER (PARTITION BY i.c ORDER BY i.ord) AS nth
		FROM input AS i
	), ins AS (
		INSERT INTO public.product_codes AS pc (product_id, code, created_at)
		SELECT p_product_id, k.c, v_now + k.ord * interval '1 microsecond'
		FROM classified AS k
		WHERE k.valid AND k.nth = 1
		ORDER BY k.ord
		ON CONFLICT (product_id, code) DO NOTHING
		RETURNING pc.code
	)
	SELECT array_agg(k.c ORDER BY k.ord),
	       array_agg(CASE WHEN NOT k.valid THEN 'invalid'
	                      WHEN k.nth = 1 AND EXISTS (SELECT 1 FROM ins WHERE ins.code = k.c) THEN 'imported'
	                      ELSE 'duplicate' END ORDER BY k.ord)
	INTO v_codes, v_results
	FROM classified AS k;

	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	SELECT v_staff, 'codes.imported', 'products', p_product_id::text,
	       jsonb_build_object('lines', cardinality(v_results),
	                          'imported', count(*) FILTER (WHERE r = 'imported'),
	                          'duplicate', count(*) FILTER (WHERE r = 'duplicate'),
	                          'invalid', count(*) FILTER (WHERE r = 'invalid'))
	FROM unnest(v_results) AS r;

	RETURN QUERY SELECT u.c, u.r FROM unnest(v_codes, v_results) WITH ORDINALITY AS u (c, r, ord) ORDER BY u.ord;
END
$fn$;

-- Voids one available code (a leaked or faulty one): outcome 'voided', or
-- 'not_available' with its status when it is sold, reserved or void
-- already (a code on an order is never taken away from it); ZB006 when the
-- product has no such code.
--
-- Locking: the code row by the conditional UPDATE (step 5). Racing a
-- checkout that claims it: the claim holds the row lock; the void waits,
-- re-reads the row (READ COMMITTED) and finds it sold, or voids it first
-- and the claim skips it.
CREATE OR REPLACE FUNCTION public.api_staff_void_code(p_token text, p_product_id uuid, p_code text,
                                                      p_reason text)
RETURNS TABLE (outcome text, code_status text, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
	v_id uuid;
	v_status text;
BEGIN
	PERFORM set_config('application_name', 'bazar void-code', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);

	UPDATE public.product_codes AS pc
	SET status = 'void'
	WHERE pc.product_id = p_product_id AND pc.code = btrim(coalesce(p_code, ''))
	  AND pc.status = 'available'
	RETURNING pc.id INTO v_id;
	IF v_id IS NOT NULL THEN
		INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
		VALUES (v_staff, 'code.voided', 'product_codes', v_id::text,
		        jsonb_build_object('reason', left(btrim(coalesce(p_reason, '')), 500)));
		RETURN QUERY SELECT 'voided'::text, 'void'::text, v_started;
		RETURN;
	END IF;

	SELECT pc.status INTO v_status
	FROM public.product_codes AS pc
	WHERE pc.product_id = p_product_id AND pc.code = btrim(coalesce(p_code, ''));
	IF v_status IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'This product has no such code.',
			DETAIL = 'code';
	END IF;
	RETURN QUERY SELECT 'not_available'::text, v_status, v_started;
END
$fn$;

-- Orders for the staff console, oldest change first: of one status (NULL:
-- all), with change_seq > p_after_seq (NULL: from the start), p_limit
-- (1..500) at a time; page on with the last row's change_seq. A change to
-- an order moves it to the end (its change_seq grows).
CREATE OR REPLACE FUNCTION public.api_staff_orders(p_token text, p_status text, p_limit integer,
                                                   p_after_seq bigint)
RETURNS TABLE (order_id uuid, change_seq bigint, status text, customer_email text, payment_method text,
               total_cents bigint, items bigint, proofs bigint, created_at timestamptz,
               expires_at timestamptz, decided_by_email text, decided_at timestamptz,
               decision_reason text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar staff orders', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_status IS NOT NULL AND p_status NOT IN ('pending', 'awaiting_payment', 'paid', 'fulfilled',
	                                             'cancelled', 'refunded', 'failed') THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'Unknown order status.',
			DETAIL = format('status=%s', left(p_status, 40));
	END IF;
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'page size must be between 1 and 500',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	RETURN QUERY
	SELECT o.id, o.change_seq, o.status, u.email, o.payment_method, o.total_cents,
	       (SELECT coalesce(sum(i.quantity), 0)::bigint FROM public.order_items AS i WHERE i.order_id = o.id),
	       (SELECT count(*) FROM public.payment_proofs AS pp WHERE pp.order_id = o.id),
	       o.created_at, o.expires_at, d.email, o.decided_at, o.decision_reason
	FROM public.orders AS o
	JOIN public.users AS u ON u.id = o.user_id
	LEFT JOIN public.users AS d ON d.id = o.decided_by
	WHERE (p_status IS NULL OR o.status = p_status)
	  AND o.change_seq > coalesce(p_after_seq, 0)
	ORDER BY o.change_seq
	LIMIT p_limit;
END
$fn$;

-- Customers whose e-mail or display name contains p_query (2..100
-- characters, case-insensitive, taken literally), at most 50.
CREATE OR REPLACE FUNCTION public.api_staff_find_customer(p_token text, p_query text)
RETURNS TABLE (user_id uuid, email text, display_name text, is_staff boolean, balance_cents bigint,
               orders bigint, created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_q text := btrim(coalesce(p_query, ''));
	v_pattern text;
BEGIN
	PERFORM set_config('application_name', 'bazar find-customer', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF char_length(v_q) < 2 OR char_length(v_q) > 100 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'Search with 2 to 100 characters.',
			DETAIL = 'query';
	END IF;
	v_pattern := '%' || replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_') || '%';
	RETURN QUERY
	SELECT u.id, u.email, u.display_name, u.is_staff,
	       coalesce((SELECT w.balance_cents FROM public.wallets AS w WHERE w.user_id = u.id), 0),
	       (SELECT count(*) FROM public.orders AS o WHERE o.user_id = u.id),
	       u.created_at
	FROM public.users AS u
	WHERE u.email ILIKE v_pattern ESCAPE '\' OR u.display_name ILIKE v_pattern ESCAPE '\'
	ORDER BY lower(u.email)
	LIMIT 50;
END
$fn$;

-- The codes on one order (sold or reserved), for a customer who lost
-- theirs. Codes are money: every reveal is an audit row naming the staff
-- member, the order and the codes shown. ZB006 for an unknown order.
CREATE OR REPLACE FUNCTION public.api_staff_order_codes(p_token text, p_order_id uuid)
RETURNS TABLE (code_id uuid, product_id uuid, product_name text, code text, status text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_staff uuid;
BEGIN
	PERFORM set_config('application_name', format('bazar order-codes order=%s', left(coalesce(p_order_id::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	IF NOT EXISTS (SELECT 1 FROM public.orders AS o WHERE o.id = p_order_id) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such order.',
			DETAIL = format('order_id=%s', p_order_id);
	END IF;
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	SELECT v_staff, 'order.codes_revealed', 'orders', p_order_id::text,
	       jsonb_build_object('code_ids', coalesce(jsonb_agg(pc.id ORDER BY pc.id), '[]'::jsonb))
	FROM public.product_codes AS pc WHERE pc.order_id = p_order_id;
	RETURN QUERY
	SELECT pc.id, pc.product_id, p.name, pc.code, pc.status
	FROM public.product_codes AS pc
	JOIN public.products AS p ON p.id = pc.product_id
	WHERE pc.order_id = p_order_id
	ORDER BY p.name, pc.created_at, pc.id;
END
$fn$;

-- A phone order: staff place an order for a customer (by e-mail; ZB006
-- when unknown) with explicit products and quantities (two arrays of the
-- same length, 1..cart_max_lines distinct active products, quantities
-- 1..cart_max_quantity; ZB008/ZB006 otherwise), the customer's promo and
-- payment method, through the very checkout code path of api_checkout
-- (bz_checkout_run): the same idempotency, locks, caps, wallet debit or
-- reservation. The customer's cart is locked (it is the per-user lock)
-- but neither checked nor emptied. The key is scoped to the customer; the
-- fingerprint is the product list, promo and method. The order records
-- the staff member in placed_by; an audit row too.
CREATE OR REPLACE FUNCTION public.api_staff_checkout_for(p_token text, p_customer_email text,
                                                         p_idempotency_key uuid, p_product_ids uuid[],
                                                         p_quantities integer[], p_promo_code text,
                                                         p_payment_method text)
RETURNS TABLE (outcome text, order_id uuid, order_status text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, balance_cents bigint,
               error_code text, error_message text, replayed boolean, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_staff uuid;
	v_user uuid;
	v_promo text := lower(btrim(coalesce(p_promo_code, '')));
	v_max_lines integer := public.bz_setting_int('cart_max_lines', 20);
	v_max_qty integer := public.bz_setting_int('cart_max_quantity', 10);
	v_lines text;
	v_row record;
BEGIN
	PERFORM set_config('application_name',
	                   format('bazar phone-order key=%s', left(coalesce(p_idempotency_key::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);

	SELECT u.id INTO v_user FROM public.users AS u
	WHERE lower(u.email) = lower(btrim(coalesce(p_customer_email, '')));
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No customer has this e-mail.', DETAIL = 'email';
	END IF;
	IF p_idempotency_key IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'The order has no idempotency key.',
			DETAIL = 'idempotency_key';
	END IF;
	IF p_payment_method IS NULL OR p_payment_method NOT IN ('wallet', 'bank_transfer') THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'Please choose wallet or bank transfer.',
			DETAIL = 'payment_method';
	END IF;
	IF char_length(v_promo) > 64 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'This promo code is too long.',
			DETAIL = 'promo_code';
	END IF;
	IF p_product_ids IS NULL OR p_quantities IS NULL
	   OR cardinality(p_product_ids) <> cardinality(p_quantities)
	   OR cardinality(p_product_ids) NOT BETWEEN 1 AND v_max_lines
	   OR array_position(p_product_ids, NULL) IS NOT NULL
	   OR (SELECT count(DISTINCT x) FROM unnest(p_product_ids) AS x) <> cardinality(p_product_ids) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = format('An order has 1 to %s different products, each with a quantity.', v_max_lines),
			DETAIL = 'product_ids, quantities';
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(p_quantities) AS q WHERE q IS NULL OR q < 1 OR q > v_max_qty) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = format('Each quantity must be between 1 and %s.', v_max_qty),
			DETAIL = format('quantity max=%s', v_max_qty);
	END IF;
	IF EXISTS (SELECT 1 FROM unnest(p_product_ids) AS x
	           WHERE NOT EXISTS (SELECT 1 FROM public.products AS p WHERE p.id = x)) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'Unknown product in the order.',
			DETAIL = 'product_ids';
	END IF;

	SELECT string_agg(u.p::text || 'x' || u.q, ',' ORDER BY u.p) INTO v_lines
	FROM unnest(p_product_ids, p_quantities) AS u (p, q);

	FOR v_row IN
		SELECT * FROM public.bz_checkout_run(
			v_user, p_idempotency_key,
			format('phone=%s|promo=%s|pay=%s', md5(v_lines), v_promo, p_payment_method),
			NULL, p_product_ids, p_quantities, v_promo, p_payment_method, v_staff, v_started)
	LOOP
		IF v_row.outcome = 'ok' AND NOT v_row.replayed THEN
			INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
			VALUES (v_staff, 'order.phone', 'orders', v_row.order_id::text,
			        jsonb_build_object('customer', v_user, 'payment_method', p_payment_method));
		END IF;
		RETURN QUERY SELECT v_row.outcome, v_row.order_id, v_row.order_status, v_row.subtotal_cents,
		                    v_row.discount_cents, v_row.total_cents, v_row.balance_cents,
		                    v_row.error_code, v_row.error_message, v_row.replayed, v_row.started_at;
	END LOOP;
END
$fn$;

-- Where pg_cron is installed in this database, sweep expired bank-transfer
-- orders every minute (pg_cron is optional: lazy expiry in checkout and
-- api_staff_expire_stale cover its absence).
DO $do$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
		EXECUTE $q$SELECT cron.schedule('bazar-expire-stale', '* * * * *', 'SELECT public.bz_expire_stale()')$q$;
	END IF;
END
$do$;

DO $do$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'public.bz_staff_decide(uuid, uuid, boolean, text, timestamptz)',
		'public.bz_expire_stale()',
		'public.api_staff_approve(text, uuid, text)',
		'public.api_staff_reject(text, uuid, text)',
		'public.api_staff_expire_stale(text)',
		'public.api_staff_topup(text, text, bigint, text)',
		'public.api_staff_promo_create(text, text, text, bigint, bigint, bigint, bigint, timestamptz, timestamptz)',
		'public.api_staff_promo_set_active(text, text, boolean)',
		'public.api_staff_import_codes(text, uuid, text[])',
		'public.api_staff_void_code(text, uuid, text, text)',
		'public.api_staff_orders(text, text, integer, bigint)',
		'public.api_staff_find_customer(text, text)',
		'public.api_staff_order_codes(text, uuid)',
		'public.api_staff_checkout_for(text, text, uuid, uuid[], integer[], text, text)'
	] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated, bazar_client', f);
		IF f LIKE 'public.api\_%' THEN
			EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bazar_staff, bazar_tester', f);
		ELSE
			EXECUTE format('REVOKE ALL ON FUNCTION %s FROM bazar_staff, bazar_tester', f);
		END IF;
	END LOOP;
END
$do$;
