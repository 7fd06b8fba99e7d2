-- 0010_orders: checkout, reservations, payment proofs and the customer's
-- own reads.
--
--   api_checkout(token, idempotency_key, cart_version, promo_code, payment_method)
--   api_checkout_status(token, idempotency_key)
--   api_attach_proof(token, order_id, reference, file_name, content_type, image)
--   api_my_orders / api_my_order / api_my_codes / api_my_wallet / api_my_ledger
--   bz_checkout_run(...)     the one checkout code path (also the staff's phone order, 0011)
--   bz_claim_codes(...)      claim or reserve N codes of one product, or ZB001
--   bz_expire_orders(ids)    release expired bank-transfer orders (codes, promo)
--
-- Schema: product_codes gains the status 'reserved' (a code set aside for
-- an unpaid bank-transfer order) and reserved_until; orders gain the cart
-- version they were priced from, expires_at, who decided them and when,
-- who placed them (phone orders), and change_seq/change_xid, set by a
-- trigger on every insert and update (the staff's order list and change
-- feed, 0011/0012); idempotency_keys stores every checkout attempt.
-- The new product_codes status list is added NOT VALID here and validated
-- in 0010.9, in a transaction of its own (see there); the indexes on the
-- existing tables are built CONCURRENTLY in 0010.1 .. 0010.6.
--
-- GLOBAL LOCK ORDER (docs/api.md; every function in 0007 .. 0012 keeps it):
--
--   1. sessions          FOR SHARE, in bz_session_user / bz_session_staff
--   2. idempotency_keys  the key row, by its INSERT (the unique index)
--   3. carts             the user's cart row, FOR UPDATE
--   4. promo_codes       FOR UPDATE, several in id order
--   5. product_codes     FOR UPDATE, in (product_id, created_at, id) order;
--                        a claim holds no code of the product it waits on
--   6. wallets           the conditional UPDATE
--   7. orders            the conditional UPDATE of an existing order
--   8. everything else   inserts (orders, items, ledger, outbox, audit ...)
--
-- Never is a lock earlier in the list taken after a later one, so no two
-- of the shop's transactions can wait on each other in a cycle: there are
-- no deadlocks by design. Inserting a new row (a new order, say) locks
-- nothing another transaction can wait for, except through a unique index
-- (idempotency_keys, handled as step 2). Every changing function sets
-- lock_timeout = 5s (transaction-local), so a wait that should never
-- happen surfaces as SQLSTATE 55P03, which the client retries with the
-- same idempotency key.
--
-- ISOLATION: READ COMMITTED everywhere, with explicit row locks and
-- conditional UPDATEs. Why that is enough, per function:
--
--   api_checkout / bz_checkout_run: the key row serialises attempts with
--     one key (a concurrent INSERT of the same key waits for the first
--     transaction and then finds its stored result). The cart row lock
--     serialises every checkout of one user, so the cart version check,
--     the unpaid-order and reserved-code caps and the cart's emptying all
--     see the user's newest committed state. The promo row lock (taken in
--     bz_promo_take) serialises the uses of one promo. Codes are claimed by
--     row locks, the wallet debit is one conditional UPDATE (balance >=
--     total) re-evaluated on the newest row version after any wait. No
--     decision rests on a value read without a lock held until commit.
--   bz_claim_codes: FOR UPDATE SKIP LOCKED first (buyers of one product
--     take disjoint codes without queueing); on a shortfall that attempt is
--     rolled back (releasing its locks) and the claim looks again WITHOUT
--     skipping, waiting for codes that other transactions hold: one that
--     then aborts gives its codes to us instead of making us say "sold
--     out" while stock exists. READ COMMITTED re-checks each waited-for row
--     (status = 'available') on its newest version.
--   bz_expire_orders: locks the orders' promos, then their codes, then
--     decides each order with a conditional UPDATE (still awaiting payment
--     and past expires_at); a concurrent approval, rejection or expiry of
--     the same order is decided by the order row, and the loser does
--     nothing.
--   api_attach_proof: FOR SHARE on the order row, which waits for (or
--     blocks) a staff decision, so a proof is never attached to an order
--     that is no longer awaiting payment.
--   Reads (api_my_*, api_checkout_status): one statement each, one
--     snapshot; they change nothing.
--
-- Safe to run twice. Rollback drops the functions and the trigger and
-- keeps every table, column and row (the status list goes back to 0003's
-- only when no code is reserved).

-- Stock set aside for an unpaid bank-transfer order until reserved_until
-- (= the order's expires_at). Nullable, no default: catalog-only.
ALTER TABLE public.product_codes ADD COLUMN IF NOT EXISTS reserved_until timestamptz;

-- The status list gains 'reserved', and a reserved code, like a sold one,
-- belongs to an order. PostgreSQL cannot alter a CHECK, so each is dropped
-- and added again NOT VALID (a brief lock, no scan; every new or updated
-- row is checked from this commit on) and validated by 0010.9. Squawk's
-- constraint-missing-not-valid rule refuses NOT VALID + VALIDATE in one
-- transaction for a good reason: VALIDATE would then scan product_codes
-- while this transaction still holds ADD CONSTRAINT's ACCESS EXCLUSIVE
-- lock, stopping every checkout for the length of the scan; alone in its
-- own file it takes SHARE UPDATE EXCLUSIVE and checkouts carry on. It
-- cannot fail: no row can be 'reserved' before this file, and the rows
-- passed 0003's stricter versions (validated by 0005).
-- Done only while the old definitions are in place, so a second run never
-- turns the validated constraints back into NOT VALID.
DO $do$
BEGIN
	IF NOT EXISTS (
		SELECT 1 FROM pg_constraint
		WHERE conrelid = 'public.product_codes'::regclass
		  AND conname = 'product_codes_status_valid'
		  AND pg_get_constraintdef(oid) LIKE '%reserved%'
	) THEN
		ALTER TABLE public.product_codes DROP CONSTRAINT IF EXISTS product_codes_status_valid;
		ALTER TABLE public.product_codes ADD CONSTRAINT product_codes_status_valid
			CHECK (status IN ('available', 'reserved', 'sold', 'void')) NOT VALID;
	END IF;
	IF NOT EXISTS (
		SELECT 1 FROM pg_constraint
		WHERE conrelid = 'public.product_codes'::regclass
		  AND conname = 'product_codes_sold_has_order'
		  AND pg_get_constraintdef(oid) LIKE '%reserved%'
	) THEN
		ALTER TABLE public.product_codes DROP CONSTRAINT IF EXISTS product_codes_sold_has_order;
		ALTER TABLE public.product_codes ADD CONSTRAINT product_codes_sold_has_order
			CHECK ((status IN ('sold', 'reserved')) = (order_id IS NOT NULL)) NOT VALID;
	END IF;
END
$do$;

-- Nullable, no default: catalog-only changes.
--   cart_version     the cart version the order was priced from (NULL: phone order)
--   expires_at       bank transfer: when the reservation lapses
--   decided_by/_at   who approved or rejected it, and when (expiry: by NULL)
--   decision_reason  the staff's note, or 'expired'
--   placed_by        the staff member who placed a phone order
--   change_seq       from orders_change_seq, bumped by every insert and update
--   change_xid       the transaction that made that change (the feed's cursor, 0012)
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS cart_version bigint;
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS expires_at timestamptz;
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS decided_by uuid;
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS decided_at timestamptz;
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS decision_reason text;
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS placed_by uuid;
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS change_seq bigint;
ALTER TABLE public.orders ADD COLUMN IF NOT EXISTS change_xid xid8;

CREATE SEQUENCE IF NOT EXISTS public.orders_change_seq;
REVOKE ALL ON SEQUENCE public.orders_change_seq FROM PUBLIC;

-- Existing orders get sequence numbers in the order they were created, so
-- the staff's list (0011) pages through them too. Row locks only; the
-- trigger below does not exist yet on the first run and does the same on
-- a later one.
UPDATE public.orders AS o
SET change_seq = s.seq
FROM (SELECT q.id, nextval('public.orders_change_seq') AS seq
      FROM (SELECT id FROM public.orders WHERE change_seq IS NULL ORDER BY created_at, id) AS q) AS s
WHERE o.id = s.id;

-- Stamps every new or changed order with the next change_seq and the
-- current transaction id: whatever path changes an order (checkout, staff,
-- expiry, a repair by hand), the staff console sees it.
CREATE OR REPLACE FUNCTION public.bz_orders_stamp_change()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
BEGIN
	NEW.change_seq := nextval('public.orders_change_seq');
	NEW.change_xid := pg_current_xact_id();
	RETURN NEW;
END
$fn$;

CREATE OR REPLACE TRIGGER orders_stamp_change
	BEFORE INSERT OR UPDATE ON public.orders
	FOR EACH ROW EXECUTE FUNCTION public.bz_orders_stamp_change();

-- One row per checkout attempt: (user, client-generated key). The key row
-- is inserted first and its outcome written in the same transaction, so
-- a committed row is always finished: 'ok' (order_id set) or 'failed'
-- (error_code/error_message: a business failure, e.g. sold out). response
-- holds what the first call returned, for replays. Keys are never reused
-- for another request (fingerprint); old rows may be deleted after a day.
CREATE TABLE IF NOT EXISTS public.idempotency_keys (
	user_id uuid NOT NULL REFERENCES public.users (id),
	key uuid NOT NULL,
	fingerprint text NOT NULL,
	order_id uuid REFERENCES public.orders (id),
	outcome text NOT NULL DEFAULT 'running'
		CONSTRAINT idempotency_keys_outcome_valid CHECK (outcome IN ('running', 'ok', 'failed')),
	error_code text,
	error_message text,
	response jsonb,
	created_at timestamptz NOT NULL DEFAULT now(),
	finished_at timestamptz,
	PRIMARY KEY (user_id, key)
);

ALTER TABLE public.idempotency_keys ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.idempotency_keys
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester;

-- Cents as the shopper reads them: 1234 -> '12.34', -5 -> '-0.05'.
CREATE OR REPLACE FUNCTION public.bz_money_text(p_cents bigint)
RETURNS text
LANGUAGE sql
IMMUTABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT CASE WHEN p_cents < 0 THEN '-' ELSE '' END
	       || (abs(p_cents) / 100)::text || '.' || lpad((abs(p_cents) % 100)::text, 2, '0')
$fn$;

-- The shopper's sentence for a bz_promo_take status other than 'ok'.
CREATE OR REPLACE FUNCTION public.bz_promo_refusal(p_status text, p_min_order_cents bigint)
RETURNS text
LANGUAGE sql
IMMUTABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT CASE p_status
		WHEN 'unknown' THEN 'This promo code does not exist.'
		WHEN 'inactive' THEN 'This promo code is not active.'
		WHEN 'not_started' THEN 'This promo code is not valid yet.'
		WHEN 'expired' THEN 'This promo code has expired.'
		WHEN 'min_order' THEN format('This promo code needs an order of at least %s.',
		                             public.bz_money_text(p_min_order_cents))
		WHEN 'already_used' THEN 'You have already used this promo code.'
		WHEN 'used_up' THEN 'This promo code has been used up.'
		WHEN 'hold_limit' THEN 'You are holding too many promo codes; release one first.'
		ELSE 'This promo code cannot be used.'
	END
$fn$;

-- Claims (p_reserve_until NULL: status 'sold', used_at now) or reserves
-- (status 'reserved' until p_reserve_until) exactly p_quantity available
-- codes of one product for p_order_id, oldest first, and returns how many
-- (= p_quantity); raises ZB001 and holds nothing when there are fewer.
--
-- First FOR UPDATE SKIP LOCKED, inside a block: concurrent buyers take
-- disjoint codes without waiting. A code skipped because another checkout
-- holds it may come back if that checkout aborts, so on a shortfall the
-- block is rolled back (its row locks go with it) and the claim looks again
-- without SKIP LOCKED, waiting for the held codes in (created_at, id)
-- order. Holding none of this product's codes while it waits, it can never
-- be part of a wait cycle (products are claimed in id order by the caller,
-- so a transaction only waits for codes of the product it is on).
CREATE OR REPLACE FUNCTION public.bz_claim_codes(p_product_id uuid, p_quantity integer,
                                                 p_order_id uuid, p_reserve_until timestamptz)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_status text := CASE WHEN p_reserve_until IS NULL THEN 'sold' ELSE 'reserved' END;
	v_got integer;
	v_name text;
BEGIN
	IF p_product_id IS NULL OR p_order_id IS NULL OR p_quantity IS NULL OR p_quantity < 1 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'A claim needs a product, an order and a quantity of at least 1.',
			DETAIL = 'bz_claim_codes';
	END IF;

	BEGIN
		WITH picked AS (
			SELECT pc.id
			FROM public.product_codes AS pc
			WHERE pc.product_id = p_product_id AND pc.status = 'available'
			ORDER BY pc.created_at, pc.id
			LIMIT p_quantity
			FOR UPDATE SKIP LOCKED
		), claimed AS (
			UPDATE public.product_codes AS pc
			SET status = v_status, order_id = p_order_id, reserved_until = p_reserve_until,
			    used_at = CASE WHEN v_status = 'sold' THEN now() END
			FROM picked
			WHERE pc.id = picked.id
			RETURNING pc.id
		)
		SELECT count(*) INTO v_got FROM claimed;
		IF v_got = p_quantity THEN
			RETURN v_got;
		END IF;
		-- Undo this attempt and release its locks.
		RAISE EXCEPTION USING ERRCODE = 'ZB001', MESSAGE = 'short';
	EXCEPTION WHEN SQLSTATE 'ZB001' THEN
		NULL;
	END;

	-- Look again, waiting for codes other transactions hold.
	WITH picked AS (
		SELECT pc.id
		FROM public.product_codes AS pc
		WHERE pc.product_id = p_product_id AND pc.status = 'available'
		ORDER BY pc.created_at, pc.id
		LIMIT p_quantity
		FOR UPDATE
	), claimed AS (
		UPDATE public.product_codes AS pc
		SET status = v_status, order_id = p_order_id, reserved_until = p_reserve_until,
		    used_at = CASE WHEN v_status = 'sold' THEN now() END
		FROM picked
		WHERE pc.id = picked.id
		RETURNING pc.id
	)
	SELECT count(*) INTO v_got FROM claimed;

	IF v_got < p_quantity THEN
		SELECT p.name INTO v_name FROM public.products AS p WHERE p.id = p_product_id;
		RAISE EXCEPTION USING ERRCODE = 'ZB001',
			MESSAGE = CASE WHEN v_got = 0 THEN format('Sorry, %s is sold out.', coalesce(v_name, 'this product'))
			               ELSE format('Sorry, only %s of %s are left.', v_got, coalesce(v_name, 'this product')) END,
			DETAIL = format('product_id=%s requested=%s available=%s', p_product_id, p_quantity, v_got);
	END IF;
	RETURN v_got;
END
$fn$;

-- Expires the given bank-transfer orders that are still awaiting payment
-- and past expires_at: order 'cancelled' (decision_reason 'expired'), its
-- reserved codes back on sale, its promo use given back. Returns how many
-- orders it expired; orders already decided (or not yet expired) are left
-- alone, so concurrent expirers, approvers and rejecters of one order
-- produce exactly one outcome.
--
-- Locks in the global order: the orders' promos (id order), their reserved
-- codes ((product_id, created_at, id) order), then the orders themselves by
-- the conditional UPDATE. Two expirers of overlapping sets serialise on the
-- first shared promo or code.
CREATE OR REPLACE FUNCTION public.bz_expire_orders(p_order_ids uuid[])
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_done uuid[];
	v_order record;
BEGIN
	IF p_order_ids IS NULL OR cardinality(p_order_ids) = 0 THEN
		RETURN 0;
	END IF;

	PERFORM 1
	FROM public.promo_codes AS p
	WHERE p.id IN (SELECT o.promo_id FROM public.orders AS o
	               WHERE o.id = ANY (p_order_ids) AND o.promo_id IS NOT NULL)
	ORDER BY p.id
	FOR UPDATE OF p;

	PERFORM 1
	FROM public.product_codes AS pc
	WHERE pc.order_id = ANY (p_order_ids) AND pc.status = 'reserved'
	ORDER BY pc.product_id, pc.created_at, pc.id
	FOR UPDATE OF pc;

	WITH done AS (
		UPDATE public.orders AS o
		SET status = 'cancelled', decided_by = NULL, decided_at = now(),
		    decision_reason = 'expired', updated_at = now()
		WHERE o.id = ANY (p_order_ids)
		  AND o.status = 'awaiting_payment'
		  AND o.expires_at <= now()
		RETURNING o.id
	)
	SELECT coalesce(array_agg(d.id), '{}') INTO v_done FROM done AS d;

	IF cardinality(v_done) = 0 THEN
		RETURN 0;
	END IF;

	UPDATE public.product_codes AS pc
	SET status = 'available', order_id = NULL, reserved_until = NULL
	WHERE pc.order_id = ANY (v_done) AND pc.status = 'reserved';

	FOR v_order IN
		SELECT o.id, o.promo_id FROM public.orders AS o
		WHERE o.id = ANY (v_done) ORDER BY o.id
	LOOP
		IF v_order.promo_id IS NOT NULL THEN
			PERFORM public.bz_promo_release_order(v_order.id);
		END IF;
	END LOOP;

	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	SELECT NULL, 'order.expired', 'orders', d.id::text, jsonb_build_object('reason', 'bank transfer not paid in time')
	FROM unnest(v_done) AS d (id);

	RETURN cardinality(v_done);
END
$fn$;

-- The checkout itself, for api_checkout (the shopper's cart) and
-- api_staff_checkout_for (a phone order: explicit products and
-- quantities, p_cart_version NULL). See the header for its locks.
--
-- Idempotency (Stripe-like, per user): the first call with a key inserts
-- the key row and does the work; a concurrent call with the same key waits
-- on that row (the unique index) and, once the first commits, returns its
-- stored result with replayed = true; a later call with the same key and
-- fingerprint does the same; a different fingerprint is ZB010. If the
-- first attempt's transaction is lost (crash, lock timeout, deadlock, a
-- killed backend), its key row is gone with it, and the next call with the
-- key simply runs.
--
-- All or nothing: the work runs in a block; a business failure (ZB001 out
-- of stock, ZB002 promo, ZB003 funds, ZB009 cart changed, ZB012 limits)
-- rolls the block back (codes, debit, order, promo use: all undone) and
-- is stored under the key as outcome 'failed' and returned, not raised,
-- so its replay is the same answer. Any other error (bad input, session,
-- timeouts) is raised and stores nothing.
CREATE OR REPLACE FUNCTION public.bz_checkout_run(
	p_user uuid, p_key uuid, p_fingerprint text, p_cart_version bigint,
	p_product_ids uuid[], p_quantities integer[], p_promo_code text,
	p_payment_method text, p_placed_by uuid, p_started timestamptz)
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
	v_inserted boolean;
	v_key record;
	v_cart_version bigint;
	v_lines record;
	v_product_ids uuid[];
	v_quantities integer[];
	v_subtotal bigint;
	v_qty_total bigint;
	v_inactive text;
	v_promo_id uuid;
	v_promo_min bigint;
	v_take_status text;
	v_hold uuid;
	v_take_discount bigint;
	v_discount bigint := 0;
	v_total bigint;
	v_order uuid := gen_random_uuid();
	v_status text;
	v_expires timestamptz;
	v_balance bigint;
	v_wallet uuid;
	v_expired uuid[];
	v_count bigint;
	v_cap integer;
	v_email text;
	v_state text;
	v_message text;
	v_detail text;
	v_response jsonb;
	i integer;
BEGIN
	-- 2. The key row: ours, or someone else's finished attempt.
	INSERT INTO public.idempotency_keys AS k (user_id, key, fingerprint)
	VALUES (p_user, p_key, p_fingerprint)
	ON CONFLICT (user_id, key) DO NOTHING
	RETURNING true INTO v_inserted;

	IF v_inserted IS NULL THEN
		SELECT k.fingerprint, k.outcome, k.response, k.error_code, k.error_message INTO v_key
		FROM public.idempotency_keys AS k
		WHERE k.user_id = p_user AND k.key = p_key;
		IF NOT FOUND THEN
			-- Deleted between our INSERT and this SELECT: try again.
			RAISE EXCEPTION USING ERRCODE = '40001',
				MESSAGE = 'The checkout attempt changed meanwhile; please retry.',
				DETAIL = format('idempotency_key=%s', p_key);
		END IF;
		IF v_key.fingerprint IS DISTINCT FROM p_fingerprint THEN
			RAISE EXCEPTION USING ERRCODE = 'ZB010',
				MESSAGE = 'This checkout was already submitted with a different cart, promo or payment method.',
				DETAIL = format('idempotency_key=%s', p_key);
		END IF;
		RETURN QUERY
		SELECT v_key.outcome,
		       (v_key.response ->> 'order_id')::uuid,
		       v_key.response ->> 'order_status',
		       (v_key.response ->> 'subtotal_cents')::bigint,
		       (v_key.response ->> 'discount_cents')::bigint,
		       (v_key.response ->> 'total_cents')::bigint,
		       (v_key.response ->> 'balance_cents')::bigint,
		       v_key.error_code, v_key.error_message, true, p_started;
		RETURN;
	END IF;

	BEGIN
		-- 3. The user's cart row (0008): serialises this user's checkouts,
		-- phone orders included.
		v_cart_version := public.bz_cart_lock(p_user);

		IF p_cart_version IS NOT NULL THEN
			IF v_cart_version IS DISTINCT FROM p_cart_version THEN
				RAISE EXCEPTION USING ERRCODE = 'ZB009',
					MESSAGE = 'Your cart changed, please review it.',
					DETAIL = format('version=%s', v_cart_version);
			END IF;
			SELECT coalesce(array_agg(l.product_id ORDER BY l.product_id), '{}'),
			       coalesce(array_agg(l.quantity ORDER BY l.product_id), '{}')
			INTO v_product_ids, v_quantities
			FROM public.cart_lines AS l WHERE l.user_id = p_user;
			IF cardinality(v_product_ids) = 0 THEN
				RAISE EXCEPTION USING ERRCODE = 'ZB009',
					MESSAGE = 'Your cart is empty.',
					DETAIL = format('version=%s', v_cart_version);
			END IF;
		ELSE
			SELECT array_agg(u.product_id ORDER BY u.product_id), array_agg(u.quantity ORDER BY u.product_id)
			INTO v_product_ids, v_quantities
			FROM unnest(p_product_ids, p_quantities) AS u (product_id, quantity);
		END IF;

		-- Prices from the database, never from the client.
		SELECT sum(p.price_cents * u.quantity), sum(u.quantity),
		       string_agg(p.name, ', ' ORDER BY p.name) FILTER (WHERE NOT p.is_active)
		INTO v_subtotal, v_qty_total, v_inactive
		FROM unnest(v_product_ids, v_quantities) AS u (product_id, quantity)
		JOIN public.products AS p ON p.id = u.product_id;
		IF v_inactive IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'ZB001',
				MESSAGE = format('No longer sold: %s.', v_inactive),
				DETAIL = 'product inactive';
		END IF;

		IF p_promo_code IS NOT NULL AND btrim(p_promo_code) <> '' THEN
			SELECT p.id, p.min_order_cents INTO v_promo_id, v_promo_min
			FROM public.promo_codes AS p
			WHERE lower(p.code) = lower(btrim(p_promo_code));
			IF v_promo_id IS NULL THEN
				RAISE EXCEPTION USING ERRCODE = 'ZB002',
					MESSAGE = public.bz_promo_refusal('unknown', NULL),
					DETAIL = 'promo_status=unknown';
			END IF;
		END IF;

		-- Lazy expiry: unpaid bank-transfer orders past their time that hold
		-- codes of these products give them back before this claim, so an
		-- abandoned reservation never makes a product look sold out. Their
		-- promos are locked together with ours, in id order (step 4), before
		-- any code (step 5).
		SELECT coalesce(array_agg(DISTINCT pc.order_id), '{}') INTO v_expired
		FROM (SELECT pc2.order_id
		      FROM public.product_codes AS pc2
		      WHERE pc2.product_id = ANY (v_product_ids)
		        AND pc2.status = 'reserved'
		        AND pc2.reserved_until <= now()
		      LIMIT 200) AS pc;
		IF v_promo_id IS NOT NULL OR cardinality(v_expired) > 0 THEN
			PERFORM 1
			FROM public.promo_codes AS p
			WHERE p.id IN (SELECT v_promo_id
			               UNION
			               SELECT o.promo_id FROM public.orders AS o WHERE o.id = ANY (v_expired))
			ORDER BY p.id
			FOR UPDATE OF p;
		END IF;
		PERFORM public.bz_expire_orders(v_expired);

		-- 4. The promo: the one rule (0009), on the promo row locked above.
		IF v_promo_id IS NOT NULL THEN
			SELECT t.status, t.hold_id, t.discount_cents INTO v_take_status, v_hold, v_take_discount
			FROM public.bz_promo_take(p_user, v_promo_id, v_subtotal) AS t;
			IF v_take_status IS DISTINCT FROM 'ok' THEN
				RAISE EXCEPTION USING ERRCODE = CASE WHEN v_take_status = 'hold_limit' THEN 'ZB012' ELSE 'ZB002' END,
					MESSAGE = public.bz_promo_refusal(v_take_status, v_promo_min),
					DETAIL = format('promo_status=%s', v_take_status);
			END IF;
			v_discount := least(greatest(coalesce(v_take_discount, 0), 0), v_subtotal);
		END IF;
		v_total := v_subtotal - v_discount;

		IF p_payment_method = 'bank_transfer' THEN
			v_status := 'awaiting_payment';
			v_expires := now() + make_interval(hours => greatest(public.bz_setting_int('bank_transfer_hours', 48), 1));
			-- Caps against hoarding stock with unpaid orders; exact because
			-- this user's checkouts are serialised by the cart row.
			v_cap := public.bz_setting_int('max_unpaid_orders_per_user', 3);
			SELECT count(*) INTO v_count
			FROM public.orders AS o
			WHERE o.user_id = p_user AND o.status = 'awaiting_payment'
			  AND coalesce(o.expires_at, 'infinity') > now();
			IF v_count >= v_cap THEN
				RAISE EXCEPTION USING ERRCODE = 'ZB012',
					MESSAGE = format('You already have %s unpaid orders; pay for one or wait until it expires.', v_count),
					DETAIL = format('unpaid_orders=%s max=%s', v_count, v_cap);
			END IF;
			v_cap := public.bz_setting_int('max_reserved_codes_per_user', 30);
			SELECT count(*) INTO v_count
			FROM public.product_codes AS pc
			JOIN public.orders AS o ON o.id = pc.order_id
			WHERE o.user_id = p_user AND o.status = 'awaiting_payment'
			  AND coalesce(o.expires_at, 'infinity') > now()
			  AND pc.status = 'reserved';
			IF v_count + v_qty_total > v_cap THEN
				RAISE EXCEPTION USING ERRCODE = 'ZB012',
					MESSAGE = format('Unpaid orders may hold at most %s codes; you hold %s already.', v_cap, v_count),
					DETAIL = format('reserved_codes=%s requested=%s max=%s', v_count, v_qty_total, v_cap);
			END IF;
		ELSE
			v_status := 'fulfilled';
		END IF;

		PERFORM set_config('application_name', format('bazar checkout order=%s', left(v_order::text, 8)), true);

		-- A new row: locks nothing anyone waits for. Its status is final;
		-- the codes below make it true before this transaction commits.
		INSERT INTO public.orders (id, user_id, status, payment_method, subtotal_cents, discount_cents,
		                           total_cents, promo_id, idempotency_key, cart_version, expires_at, placed_by)
		VALUES (v_order, p_user, v_status, p_payment_method, v_subtotal, v_discount, v_total,
		        v_promo_id, p_key::text, p_cart_version, v_expires, p_placed_by);
		INSERT INTO public.order_items (order_id, product_id, quantity, unit_price_cents)
		SELECT v_order, u.product_id, u.quantity, p.price_cents
		FROM unnest(v_product_ids, v_quantities) AS u (product_id, quantity)
		JOIN public.products AS p ON p.id = u.product_id;

		-- 5. Codes, product by product in id order.
		FOR i IN 1 .. cardinality(v_product_ids) LOOP
			PERFORM public.bz_claim_codes(v_product_ids[i], v_quantities[i], v_order, v_expires);
		END LOOP;

		-- 6. The wallet: one conditional UPDATE, never read-then-write.
		IF p_payment_method = 'wallet' AND v_total > 0 THEN
			UPDATE public.wallets AS w
			SET balance_cents = w.balance_cents - v_total, updated_at = now()
			WHERE w.user_id = p_user AND w.balance_cents >= v_total
			RETURNING w.id, w.balance_cents INTO v_wallet, v_balance;
			IF v_wallet IS NULL THEN
				SELECT w.balance_cents INTO v_balance FROM public.wallets AS w WHERE w.user_id = p_user;
				v_balance := coalesce(v_balance, 0);
				RAISE EXCEPTION USING ERRCODE = 'ZB003',
					MESSAGE = format('Your wallet holds %s; this order costs %s.',
					                 public.bz_money_text(v_balance), public.bz_money_text(v_total)),
					DETAIL = format('balance_cents=%s total_cents=%s', v_balance, v_total);
			END IF;
			-- clock_timestamp(): taken under the wallet's row lock, so the
			-- ledger's time order is the order the balance moved in.
			INSERT INTO public.wallet_ledger (wallet_id, amount_cents, balance_after_cents, reason, order_id, created_at)
			VALUES (v_wallet, -v_total, v_balance, 'order', v_order, clock_timestamp());
		ELSE
			SELECT w.balance_cents INTO v_balance FROM public.wallets AS w WHERE w.user_id = p_user;
			v_balance := coalesce(v_balance, 0);
		END IF;

		IF v_hold IS NOT NULL THEN
			PERFORM public.bz_promo_redeem(v_hold, v_order);
		END IF;

		SELECT u.email INTO v_email FROM public.users AS u WHERE u.id = p_user;
		INSERT INTO public.email_outbox (kind, to_address, subject, body_text, payload, order_id)
		VALUES (CASE WHEN v_status = 'fulfilled' THEN 'order_confirmation' ELSE 'order_awaiting_payment' END,
		        v_email,
		        CASE WHEN v_status = 'fulfilled' THEN 'Your Bazar order is ready'
		             ELSE 'Your Bazar order is waiting for your bank transfer' END,
		        CASE WHEN v_status = 'fulfilled'
		             THEN format('Your order %s (%s) is paid; your codes are in your account.',
		                         v_order, public.bz_money_text(v_total))
		             ELSE format('Your order %s (%s) is reserved until %s. Please pay by bank transfer '
		                         'and attach the transfer reference to the order.',
		                         v_order, public.bz_money_text(v_total), v_expires) END,
		        jsonb_build_object('order_id', v_order),
		        v_order);

		IF p_cart_version IS NOT NULL THEN
			DELETE FROM public.cart_lines AS l WHERE l.user_id = p_user;
			UPDATE public.carts AS c SET version = c.version + 1, updated_at = now()
			WHERE c.user_id = p_user;
		END IF;

		v_response := jsonb_build_object(
			'order_id', v_order, 'order_status', v_status, 'subtotal_cents', v_subtotal,
			'discount_cents', v_discount, 'total_cents', v_total, 'balance_cents', v_balance);
		UPDATE public.idempotency_keys AS k
		SET outcome = 'ok', order_id = v_order, response = v_response, finished_at = now()
		WHERE k.user_id = p_user AND k.key = p_key;

		RETURN QUERY SELECT 'ok'::text, v_order, v_status, v_subtotal, v_discount, v_total,
		                    v_balance, NULL::text, NULL::text, false, p_started;
		RETURN;
	EXCEPTION WHEN SQLSTATE 'ZB001' OR SQLSTATE 'ZB002' OR SQLSTATE 'ZB003'
	               OR SQLSTATE 'ZB009' OR SQLSTATE 'ZB012' THEN
		GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
		                        v_detail = PG_EXCEPTION_DETAIL;
	END;

	-- A business failure: everything in the block is undone; store it.
	SELECT w.balance_cents INTO v_balance FROM public.wallets AS w WHERE w.user_id = p_user;
	v_response := jsonb_build_object(
		'order_id', NULL, 'order_status', NULL, 'subtotal_cents', v_subtotal,
		'discount_cents', v_discount, 'total_cents', v_total,
		'balance_cents', coalesce(v_balance, 0), 'detail', v_detail);
	UPDATE public.idempotency_keys AS k
	SET outcome = 'failed', error_code = v_state, error_message = v_message,
	    response = v_response, finished_at = now()
	WHERE k.user_id = p_user AND k.key = p_key;

	RETURN QUERY SELECT 'failed'::text, NULL::uuid, NULL::text, v_subtotal, v_discount, v_total,
	                    coalesce(v_balance, 0), v_state, v_message, false, p_started;
END
$fn$;

-- Places an order for the shopper's cart. p_cart_version is the version
-- the shopper priced (api_cart_get); p_promo_code may be NULL or ''; the
-- payment method is 'wallet' (paid and fulfilled at once) or
-- 'bank_transfer' (codes reserved until paid or expired). Returns one row:
-- outcome 'ok' or 'failed' (error_code and error_message say why: ZB001,
-- ZB002, ZB003 with the balance, ZB009, ZB012), replayed = true when this
-- is the stored result of an earlier call with the same key. Raises ZB004
-- (session), ZB008 (bad input) and ZB010 (same key, different request).
-- The fingerprint is (cart version, promo code lower-cased, payment
-- method); the session is not part of it, so after a re-login the same
-- key resumes the same attempt.
CREATE OR REPLACE FUNCTION public.api_checkout(p_token text, p_idempotency_key uuid,
                                               p_cart_version bigint, p_promo_code text,
                                               p_payment_method text)
RETURNS TABLE (outcome text, order_id uuid, order_status text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, balance_cents bigint,
               error_code text, error_message text, replayed boolean, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid;
	v_promo text := lower(btrim(coalesce(p_promo_code, '')));
BEGIN
	PERFORM set_config('application_name',
	                   format('bazar checkout key=%s', left(coalesce(p_idempotency_key::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);

	IF p_idempotency_key IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'The checkout has no idempotency key.',
			DETAIL = 'idempotency_key';
	END IF;
	IF p_cart_version IS NULL OR p_cart_version < 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'The checkout does not say which cart it priced.',
			DETAIL = 'cart_version';
	END IF;
	IF p_payment_method IS NULL OR p_payment_method NOT IN ('wallet', 'bank_transfer') THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'Please choose wallet or bank transfer.',
			DETAIL = 'payment_method';
	END IF;
	IF char_length(v_promo) > 64 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'This promo code is too long.',
			DETAIL = 'promo_code';
	END IF;

	RETURN QUERY
	SELECT * FROM public.bz_checkout_run(
		v_user, p_idempotency_key,
		format('cart=%s|promo=%s|pay=%s', p_cart_version, v_promo, p_payment_method),
		p_cart_version, NULL, NULL, v_promo, p_payment_method, NULL, v_started);
END
$fn$;

-- The stored outcome of a checkout attempt of this user, for a terminal
-- that lost the answer to Pay: outcome 'ok' or 'failed' as api_checkout
-- returned it (order_status is the order's status now), or 'unknown' when
-- no attempt with this key has committed (never ran, was rolled back, or
-- is still running: calling api_checkout again with the key is safe).
CREATE OR REPLACE FUNCTION public.api_checkout_status(p_token text, p_idempotency_key uuid)
RETURNS TABLE (outcome text, order_id uuid, order_status text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, balance_cents bigint,
               error_code text, error_message text, finished_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar checkout-status', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);

	RETURN QUERY
	SELECT coalesce(k.outcome, 'unknown'), k.order_id, o.status,
	       (k.response ->> 'subtotal_cents')::bigint, (k.response ->> 'discount_cents')::bigint,
	       (k.response ->> 'total_cents')::bigint, (k.response ->> 'balance_cents')::bigint,
	       k.error_code, k.error_message, k.finished_at
	FROM (SELECT 1) AS one
	LEFT JOIN public.idempotency_keys AS k ON k.user_id = v_user AND k.key = p_idempotency_key
	LEFT JOIN public.orders AS o ON o.id = k.order_id;
END
$fn$;

-- Attaches a bank-transfer reference, and optionally a picture of the
-- receipt, to one of the caller's orders awaiting payment (else ZB006).
-- The reference: 1..200 printable characters. The image: PNG or JPEG as
-- its first bytes say (the client's content type is not trusted and the
-- detected one is stored), at most proof_max_bytes (5 MB), stored with
-- its SHA-256; at most 5 proofs per order (ZB012). ZB008 for bad input.
CREATE OR REPLACE FUNCTION public.api_attach_proof(p_token text, p_order_id uuid, p_reference text,
                                                   p_file_name text, p_content_type text, p_image bytea)
RETURNS TABLE (proof_id uuid, size_bytes bigint, sha256 text, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid;
	v_ref text := btrim(coalesce(p_reference, ''));
	v_name text := btrim(coalesce(p_file_name, ''));
	v_type text;
	v_max integer := public.bz_setting_int('proof_max_bytes', 5242880);
	v_size bigint := coalesce(octet_length(p_image), 0);
	v_hash bytea;
	v_id uuid;
BEGIN
	PERFORM set_config('application_name', format('bazar attach-proof order=%s',
	                   left(coalesce(p_order_id::text, '-'), 8)), true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);

	IF v_ref = '' OR char_length(v_ref) > 200 OR v_ref ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'Please enter the transfer reference (at most 200 characters).',
			DETAIL = 'reference';
	END IF;
	IF p_image IS NOT NULL THEN
		IF v_size = 0 OR v_size > v_max THEN
			RAISE EXCEPTION USING ERRCODE = 'ZB008',
				MESSAGE = format('The picture must be at most %s MB.', round(v_max / 1048576.0, 1)),
				DETAIL = format('size_bytes=%s max=%s', v_size, v_max);
		END IF;
		IF substring(p_image FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea THEN
			v_type := 'image/png';
		ELSIF substring(p_image FROM 1 FOR 3) = '\xffd8ff'::bytea THEN
			v_type := 'image/jpeg';
		ELSE
			RAISE EXCEPTION USING ERRCODE = 'ZB008',
				MESSAGE = 'The picture must be a PNG or JPEG file.',
				DETAIL = format('content_type claimed=%s', left(coalesce(p_content_type, ''), 40));
		END IF;
		IF v_name = '' OR char_length(v_name) > 255 OR v_name ~ '[[:cntrl:]/\\]' THEN
			RAISE EXCEPTION USING ERRCODE = 'ZB008',
				MESSAGE = 'The file name must have 1 to 255 characters and no slashes.',
				DETAIL = 'file_name';
		END IF;
		v_hash := sha256(p_image);
	END IF;

	-- FOR SHARE: a staff decision on this order waits for us, or we for it.
	PERFORM 1 FROM public.orders AS o
	WHERE o.id = p_order_id AND o.user_id = v_user AND o.status = 'awaiting_payment'
	  AND coalesce(o.expires_at, 'infinity') > now()
	FOR SHARE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006',
			MESSAGE = 'No order of yours is waiting for this payment.',
			DETAIL = format('order_id=%s', p_order_id);
	END IF;
	IF (SELECT count(*) FROM public.payment_proofs AS pp WHERE pp.order_id = p_order_id) >= 5 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB012',
			MESSAGE = 'This order already has 5 payment proofs.',
			DETAIL = 'proofs=5 max=5';
	END IF;

	-- Without a picture: a reference-only proof (empty image, size 0).
	INSERT INTO public.payment_proofs (order_id, reference, file_name, content_type, size_bytes, sha256, image)
	VALUES (p_order_id, v_ref, v_name, coalesce(v_type, 'none'), v_size,
	        coalesce(v_hash, sha256(''::bytea)), coalesce(p_image, ''::bytea))
	RETURNING id INTO v_id;

	RETURN QUERY SELECT v_id, v_size, encode(v_hash, 'hex'), v_started;
END
$fn$;

-- The caller's orders, newest first, p_limit (1..100) per page, before
-- p_before (NULL: from the newest).
CREATE OR REPLACE FUNCTION public.api_my_orders(p_token text, p_limit integer, p_before timestamptz)
RETURNS TABLE (order_id uuid, status text, payment_method text, subtotal_cents bigint,
               discount_cents bigint, total_cents bigint, promo_code text, items bigint,
               created_at timestamptz, expires_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar my-orders', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'page size must be between 1 and 100',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	RETURN QUERY
	SELECT o.id, o.status, o.payment_method, o.subtotal_cents, o.discount_cents, o.total_cents,
	       p.code,
	       (SELECT coalesce(sum(i.quantity), 0)::bigint FROM public.order_items AS i WHERE i.order_id = o.id),
	       o.created_at, o.expires_at
	FROM public.orders AS o
	LEFT JOIN public.promo_codes AS p ON p.id = o.promo_id
	WHERE o.user_id = v_user
	  AND (p_before IS NULL OR o.created_at < p_before)
	ORDER BY o.created_at DESC, o.id DESC
	LIMIT p_limit;
END
$fn$;

-- One of the caller's orders, one row per item; ZB006 when it is not theirs.
CREATE OR REPLACE FUNCTION public.api_my_order(p_token text, p_order_id uuid)
RETURNS TABLE (order_id uuid, status text, payment_method text, total_cents bigint,
               product_id uuid, product_name text, quantity bigint, unit_price_cents bigint,
               line_total_cents bigint, created_at timestamptz, expires_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar my-order', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);
	IF NOT EXISTS (SELECT 1 FROM public.orders AS o WHERE o.id = p_order_id AND o.user_id = v_user) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such order.',
			DETAIL = format('order_id=%s', p_order_id);
	END IF;
	RETURN QUERY
	SELECT o.id, o.status, o.payment_method, o.total_cents, i.product_id, p.name, i.quantity,
	       i.unit_price_cents, i.quantity * i.unit_price_cents, o.created_at, o.expires_at
	FROM public.orders AS o
	JOIN public.order_items AS i ON i.order_id = o.id
	JOIN public.products AS p ON p.id = i.product_id
	WHERE o.id = p_order_id AND o.user_id = v_user
	ORDER BY p.name, i.product_id;
END
$fn$;

-- The codes the caller bought: of one fulfilled order of theirs, or of all
-- of them (p_order_id NULL). Reserved codes of unpaid orders are not shown.
CREATE OR REPLACE FUNCTION public.api_my_codes(p_token text, p_order_id uuid)
RETURNS TABLE (order_id uuid, product_id uuid, product_name text, code text, sold_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar my-codes', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);
	RETURN QUERY
	SELECT o.id, pc.product_id, p.name, pc.code, pc.used_at
	FROM public.orders AS o
	JOIN public.product_codes AS pc ON pc.order_id = o.id AND pc.status = 'sold'
	JOIN public.products AS p ON p.id = pc.product_id
	WHERE o.user_id = v_user
	  AND o.status = 'fulfilled'
	  AND (p_order_id IS NULL OR o.id = p_order_id)
	ORDER BY o.created_at DESC, p.name, pc.created_at, pc.id;
END
$fn$;

-- The caller's wallet balance (0 without a wallet).
CREATE OR REPLACE FUNCTION public.api_my_wallet(p_token text)
RETURNS TABLE (balance_cents bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar my-wallet', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);
	RETURN QUERY
	SELECT coalesce((SELECT w.balance_cents FROM public.wallets AS w WHERE w.user_id = v_user), 0);
END
$fn$;

-- The caller's wallet movements, newest first, at most p_limit (1..500).
CREATE OR REPLACE FUNCTION public.api_my_ledger(p_token text, p_limit integer)
RETURNS TABLE (entry_id uuid, amount_cents bigint, balance_after_cents bigint, reason text,
               order_id uuid, created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar my-ledger', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'page size must be between 1 and 500',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	RETURN QUERY
	SELECT l.id, l.amount_cents, l.balance_after_cents, l.reason, l.order_id, l.created_at
	FROM public.wallet_ledger AS l
	JOIN public.wallets AS w ON w.id = l.wallet_id
	WHERE w.user_id = v_user
	ORDER BY l.created_at DESC, l.id DESC
	LIMIT p_limit;
END
$fn$;

-- Privileges: internal helpers for no one (they trust their arguments),
-- the customer API for the shop's roles and the race lab.
DO $do$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'public.bz_orders_stamp_change()',
		'public.bz_money_text(bigint)',
		'public.bz_promo_refusal(text, bigint)',
		'public.bz_claim_codes(uuid, integer, uuid, timestamptz)',
		'public.bz_expire_orders(uuid[])',
		'public.bz_checkout_run(uuid, uuid, text, bigint, uuid[], integer[], text, text, uuid, timestamptz)',
		'public.api_checkout(text, uuid, bigint, text, text)',
		'public.api_checkout_status(text, uuid)',
		'public.api_attach_proof(text, uuid, text, text, text, bytea)',
		'public.api_my_orders(text, integer, timestamptz)',
		'public.api_my_order(text, uuid)',
		'public.api_my_codes(text, uuid)',
		'public.api_my_wallet(text)',
		'public.api_my_ledger(text, integer)'
	] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, anon, authenticated', f);
		IF f LIKE 'public.api\_%' THEN
			EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO bazar_client, bazar_staff, bazar_tester', f);
		END IF;
	END LOOP;
END
$do$;
