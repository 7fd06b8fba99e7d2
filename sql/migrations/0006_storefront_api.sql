-- 0006_storefront_api: the first API functions for the kiosk.
--
-- Clients have no table privileges (0004); they call functions like these.
-- Each is SECURITY DEFINER (runs as its owner, the migrating role, who owns
-- the tables and is not subject to their RLS), pins search_path so a
-- caller's objects can never be picked up instead of the shop's, is revoked
-- from PUBLIC (and from Supabase's anon/authenticated, which get EXECUTE on
-- new functions by default) and granted to bazar_client and bazar_staff.
-- Errors use the ZB SQLSTATEs listed in 0002.

-- The schema version this database is at: the highest applied migration,
-- versions compared numerically per component ('0003.10' > '0003.9' >
-- '0003'); '' when nothing is applied. The program compares it with the
-- version it was built for and refuses to run against an older or newer
-- schema.
CREATE OR REPLACE FUNCTION public.schema_version()
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT coalesce((
		SELECT m.version
		FROM public.schema_migrations AS m
		WHERE m.version ~ '^[0-9]+(\.[0-9]+)*$'
		ORDER BY string_to_array(m.version, '.')::numeric[] DESC
		LIMIT 1
	), '')
$fn$;

-- One page of the active catalog with live stock (available codes), ordered
-- by category, name, id. p_search (NULL or '' = everything) matches a
-- case-insensitive substring of the name or category, taken literally: '%',
-- '_' and '\' are escaped. p_limit 1..500 and p_offset >= 0, else ZB008.
CREATE OR REPLACE FUNCTION public.catalog_page(p_search text, p_limit integer, p_offset integer)
RETURNS TABLE (id uuid, name text, category text, price_cents bigint, stock bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_pattern text;
BEGIN
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'page size must be between 1 and 500',
			DETAIL = format('Requested limit: %s.', coalesce(p_limit::text, 'NULL'));
	END IF;
	IF p_offset IS NULL OR p_offset < 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'page offset must not be negative',
			DETAIL = format('Requested offset: %s.', coalesce(p_offset::text, 'NULL'));
	END IF;

	IF p_search IS NOT NULL AND p_search <> '' THEN
		v_pattern := '%' || replace(replace(replace(p_search,
		                 '\', '\\'), '%', '\%'), '_', '\_') || '%';
	END IF;

	RETURN QUERY
	SELECT pr.id, pr.name, pr.category, pr.price_cents,
	       (SELECT count(*)
	        FROM public.product_codes AS pc
	        WHERE pc.product_id = pr.id AND pc.status = 'available')
	FROM public.products AS pr
	WHERE pr.is_active
	  AND (v_pattern IS NULL
	       OR pr.name ILIKE v_pattern ESCAPE '\'
	       OR pr.category ILIKE v_pattern ESCAPE '\')
	ORDER BY pr.category, pr.name, pr.id
	LIMIT p_limit OFFSET p_offset;
END
$fn$;

REVOKE EXECUTE ON FUNCTION public.schema_version() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.catalog_page(text, integer, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.schema_version() FROM anon, authenticated;
REVOKE EXECUTE ON FUNCTION public.catalog_page(text, integer, integer) FROM anon, authenticated;
GRANT EXECUTE ON FUNCTION public.schema_version() TO bazar_client, bazar_staff;
GRANT EXECUTE ON FUNCTION public.catalog_page(text, integer, integer) TO bazar_client, bazar_staff;
