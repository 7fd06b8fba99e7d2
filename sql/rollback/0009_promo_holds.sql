-- Rollback of 0009_promo_holds: drop the promo API and the rule's helpers,
-- and put back 0002's increment_promo_usage (one guarded UPDATE, which
-- knows nothing of holds).
--
-- Data is preserved: promo_holds stays with every row (and its indexes),
-- and 0009 run again reuses it. Holds stop counting against max_uses while
-- rolled back, since nothing reads them.
DROP FUNCTION IF EXISTS public.api_promo_release(text, text);
DROP FUNCTION IF EXISTS public.api_promo_apply(text, text, bigint);
DROP FUNCTION IF EXISTS public.bz_promo_release_order(uuid);
DROP FUNCTION IF EXISTS public.bz_promo_redeem(uuid, uuid);
DROP FUNCTION IF EXISTS public.bz_promo_take(uuid, uuid, bigint);

-- 0002's text, verbatim in behaviour.
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

DROP FUNCTION IF EXISTS public.bz_require_read_committed(text);
DROP FUNCTION IF EXISTS public.bz_promo_room(uuid, uuid);
DROP FUNCTION IF EXISTS public.bz_promo_discount(text, bigint, bigint);
