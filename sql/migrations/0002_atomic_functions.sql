-- 0002_atomic_functions: seed part 1, "functions and columns".
--
-- Adds the missing product_codes.used_at column and the two atomic helpers
-- that make checkout race-free: claiming stock and taking a promo use are
-- each ONE statement whose row locks decide who wins, instead of the old
-- read-check-write sequence that let two buyers get the same code or a
-- promo go past max_uses.
--
-- Errors raised by Bazar's SQL functions use SQLSTATE class ZB (an
-- implementation-defined class that PostgreSQL itself never uses). The C side maps
-- them once (db/), so keep this list and that map in step:
--   ZB001 out_of_stock        fewer codes available than requested
--   ZB002 promo_unavailable   promo unknown, inactive, outside its dates or used up
--   ZB003 insufficient_funds  wallet balance below the order total
--   ZB004 not_authenticated   no valid session
--   ZB005 permission_denied   authenticated but not allowed (e.g. not staff)
--   ZB006 not_found           the referenced row does not exist
--   ZB007 already_exists      a unique business key is taken
--   ZB008 invalid_input       an argument is out of range or malformed
-- Raised as: RAISE EXCEPTION USING ERRCODE = 'ZB001', MESSAGE = ..., DETAIL = ...;
--
-- Safe to run twice. Rollback: sql/rollback/0002_atomic_functions.sql drops
-- the functions and keeps the column and its data.

-- Nullable with no default: adding it only touches the catalog.
ALTER TABLE public.product_codes ADD COLUMN IF NOT EXISTS used_at timestamptz;

-- Claims exactly p_quantity available codes of p_product_id for p_order_id
-- and returns them, or claims nothing and raises ZB001.
--
-- FOR UPDATE SKIP LOCKED lets concurrent buyers of the same product take
-- disjoint codes without queueing on each other; a code locked by another
-- in-flight checkout counts as unavailable for this call. When fewer than
-- p_quantity were obtained the RAISE aborts the statement, which undoes the
-- UPDATE, so a caller never holds a partial claim.
--
-- Takes ids from the caller and trusts them: EXECUTE is revoked from every
-- client role below; only the shop's own API functions (which check who is
-- asking) call it.
CREATE OR REPLACE FUNCTION public.claim_product_codes_atomic(
	p_product_id uuid, p_quantity integer, p_order_id uuid)
RETURNS TABLE (code_id uuid, code text)
LANGUAGE plpgsql
VOLATILE
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_ids uuid[];
	v_codes text[];
BEGIN
	IF p_product_id IS NULL OR p_order_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'product and order are required',
			DETAIL = 'claim_product_codes_atomic was called with a NULL id.';
	END IF;
	IF p_quantity IS NULL OR p_quantity <= 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'quantity must be at least 1',
			DETAIL = format('Requested quantity: %s.', coalesce(p_quantity::text, 'NULL'));
	END IF;

	WITH picked AS (
		SELECT pc.id
		FROM public.product_codes AS pc
		WHERE pc.product_id = p_product_id
		  AND pc.status = 'available'
		ORDER BY pc.created_at, pc.id
		LIMIT p_quantity
		FOR UPDATE SKIP LOCKED
	), claimed AS (
		UPDATE public.product_codes AS pc
		SET status = 'sold', order_id = p_order_id, used_at = now()
		FROM picked
		WHERE pc.id = picked.id
		  AND pc.status = 'available'
		RETURNING pc.id, pc.code, pc.created_at
	)
	SELECT coalesce(array_agg(c.id ORDER BY c.created_at, c.id), '{}'),
	       coalesce(array_agg(c.code ORDER BY c.created_at, c.id), '{}')
	INTO v_ids, v_codes
	FROM claimed AS c;

	IF cardinality(v_ids) < p_quantity THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB001',
			MESSAGE = 'out of stock',
			DETAIL = format('Product %s: %s code(s) requested, %s available.',
			                p_product_id, p_quantity, cardinality(v_ids));
	END IF;

	RETURN QUERY SELECT u.id, u.code FROM unnest(v_ids, v_codes) AS u(id, code);
END
$fn$;

-- Takes one use of a promo iff it is active, inside its dates and below
-- max_uses (NULL = unlimited). True when a use was taken.
--
-- A single UPDATE whose WHERE holds every rule: under READ COMMITTED a
-- concurrent caller waits on the row lock and then re-evaluates the WHERE
-- against the committed row, so the max_uses-th + 1 caller sees the limit
-- reached and updates nothing. Under REPEATABLE READ or SERIALIZABLE the
-- loser gets SQLSTATE 40001 instead and the caller retries the transaction.
CREATE OR REPLACE FUNCTION public.increment_promo_usage(p_promo_id uuid)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SET search_path = public, pg_temp
AS $fn$
BEGIN
	UPDATE public.promo_codes
	SET used_count = used_count + 1
	WHERE id = p_promo_id
	  AND is_active
	  AND (valid_from IS NULL OR valid_from <= now())
	  AND (valid_until IS NULL OR now() < valid_until)
	  AND (max_uses IS NULL OR used_count < max_uses);
	RETURN FOUND;
END
$fn$;

-- PostgreSQL grants EXECUTE on new functions to PUBLIC, and Supabase's
-- default privileges also grant it to anon and authenticated directly.
REVOKE EXECUTE ON FUNCTION public.claim_product_codes_atomic(uuid, integer, uuid) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.increment_promo_usage(uuid) FROM PUBLIC;

DO $do$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'bazar_client', 'bazar_staff'] LOOP
		IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('REVOKE EXECUTE ON FUNCTION public.claim_product_codes_atomic(uuid, integer, uuid) FROM %I', r);
			EXECUTE format('REVOKE EXECUTE ON FUNCTION public.increment_promo_usage(uuid) FROM %I', r);
		END IF;
	END LOOP;
END
$do$;

-- The seed's sample promos, which its verification expects right after this
-- migration. Looked up case-insensitively so an existing 'welcome10' counts.
-- To switch them off without losing their history:
--   UPDATE promo_codes SET is_active = false WHERE lower(code) IN ('welcome10', 'save50');
INSERT INTO public.promo_codes (code, discount_type, discount_value, max_uses)
SELECT 'WELCOME10', 'percentage', 10, NULL
WHERE NOT EXISTS (SELECT 1 FROM public.promo_codes WHERE lower(code) = 'welcome10');

INSERT INTO public.promo_codes (code, discount_type, discount_value, max_uses)
SELECT 'SAVE50', 'fixed', 5000, NULL
WHERE NOT EXISTS (SELECT 1 FROM public.promo_codes WHERE lower(code) = 'save50');
