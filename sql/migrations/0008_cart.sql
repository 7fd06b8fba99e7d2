-- 0008_cart: the server-side cart with versions, and the catalog API.
--
-- The cart lives in the database, one per user, so a kiosk crash or a
-- second terminal sees the same cart. Every change names the version it
-- was made against and bumps it; a change against an older version is
-- refused with ZB009 and the current version (DETAIL 'version=N'), so two
-- terminals never overwrite each other's change. Checkout (0010) names the
-- version it priced and is refused the same way when the cart changed
-- since: the defence against changing the cart while checkout runs.
--
--   api_cart_get(token)                                  lines + version
--   api_cart_set(token, expected_version, product, qty)  0 removes the line
--   api_cart_clear(token, expected_version)
--   api_catalog_page(search, category, after_category, after_name, after_id, limit)
--   api_categories()
--   api_product(id)
--
-- Catalog pages use keyset pagination on (category, name, id) over the
-- partial index of 0008.1, so page 1,000 costs what page 1 costs.
-- catalog_page (0006, offset paging) stays for older clients.
--
-- Safe to run twice. Rollback drops the functions; carts and their lines
-- stay.

-- version starts at 0 for a cart that was never changed (and is reported
-- as 0 when the row does not exist yet).
CREATE TABLE IF NOT EXISTS public.carts (
	user_id uuid PRIMARY KEY REFERENCES public.users (id) ON DELETE CASCADE,
	version bigint NOT NULL DEFAULT 0,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- One line per product: adding a product that is already in the cart is
-- the client's merge (it sends the new total quantity).
CREATE TABLE IF NOT EXISTS public.cart_lines (
	user_id uuid NOT NULL REFERENCES public.carts (user_id) ON DELETE CASCADE,
	product_id uuid NOT NULL REFERENCES public.products (id),
	-- A handful per line (cart_max_quantity); integer is plenty.
	-- squawk-ignore prefer-bigint-over-int
	quantity integer NOT NULL CHECK (quantity > 0),
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, product_id)
);

ALTER TABLE public.carts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.cart_lines ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.carts, public.cart_lines
	FROM PUBLIC, anon, authenticated, bazar_client, bazar_staff, bazar_tester;

-- Locks p_user's cart row (creating the row at version 0 if the user never
-- had one) and returns its version. Internal: the cart is the per-user
-- lock of the shop, taken after the session and before any promo row
-- (global lock order), by every function that changes a cart, takes a
-- promo hold, or checks out.
--
-- Locking: FOR NO KEY UPDATE, the lock an UPDATE of the row takes anyway,
-- so a caller that then bumps the version never upgrades its lock (two
-- transactions upgrading a shared lock would deadlock). A concurrent
-- creation of the row is settled by the primary key: ON CONFLICT DO
-- NOTHING waits for the other transaction and then the SELECT locks the
-- row it made. Under READ COMMITTED the locked row is always the newest
-- committed version, so the version returned is current until commit.
CREATE OR REPLACE FUNCTION public.bz_cart_lock(p_user uuid)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_version bigint;
BEGIN
	SELECT c.version INTO v_version
	FROM public.carts AS c WHERE c.user_id = p_user
	FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		INSERT INTO public.carts (user_id) VALUES (p_user) ON CONFLICT (user_id) DO NOTHING;
		SELECT c.version INTO v_version
		FROM public.carts AS c WHERE c.user_id = p_user
		FOR NO KEY UPDATE;
	END IF;
	RETURN v_version;
END
$fn$;

-- ZB009 unless p_current = p_expected: the cart changed since the client
-- last saw it. DETAIL carries the current version for the client to reload.
CREATE OR REPLACE FUNCTION public.bz_cart_check_version(p_current bigint, p_expected bigint)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
BEGIN
	IF p_expected IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The cart version is missing.',
			DETAIL = 'expected_version';
	END IF;
	IF p_current IS DISTINCT FROM p_expected THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB009',
			MESSAGE = 'Your cart changed, please review it.',
			DETAIL = format('version=%s', p_current);
	END IF;
END
$fn$;

-- The session user's cart: one row per line with the product's current
-- price, live stock and whether it is still on sale; an empty cart is one
-- row with only the version set, so the version always comes back.
--
-- Locking: none. A plain read: each statement sees committed data; the
-- lines and the version come from one statement, hence one snapshot, so
-- they always belong together.
CREATE OR REPLACE FUNCTION public.api_cart_get(p_token text)
RETURNS TABLE (version bigint, product_id uuid, name text, category text,
               unit_price_cents bigint, quantity integer, line_total_cents bigint,
               available bigint, is_active boolean)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar cart get', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);

	RETURN QUERY
	WITH cart AS (
		SELECT coalesce((SELECT c.version FROM public.carts AS c WHERE c.user_id = v_user), 0) AS version
	), lines AS (
		SELECT l.product_id, p.name, p.category, p.price_cents, l.quantity,
		       p.price_cents * l.quantity AS line_total,
		       (SELECT count(*) FROM public.product_codes AS pc
		        WHERE pc.product_id = l.product_id AND pc.status = 'available') AS available,
		       p.is_active, l.added_at
		FROM public.cart_lines AS l
		JOIN public.products AS p ON p.id = l.product_id
		WHERE l.user_id = v_user
	)
	SELECT cart.version, lines.product_id, lines.name, lines.category, lines.price_cents,
	       lines.quantity, lines.line_total, lines.available, lines.is_active
	FROM cart
	LEFT JOIN lines ON true
	ORDER BY lines.added_at, lines.product_id;
END
$fn$;

-- Sets the quantity of one product in the session user's cart (0 removes
-- the line) and returns the new version. ZB009 for a stale
-- p_expected_version; ZB008 for a quantity outside 0..cart_max_quantity or
-- a new line beyond cart_max_lines; ZB006 for an unknown or withdrawn
-- product (removing its line is always allowed). Every successful call
-- bumps the version, even one that changed nothing.
--
-- Locking: the cart row (bz_cart_lock) is held from the version check to
-- commit, and every change to a cart's lines happens under it, so the
-- check, the line count and the change see one state no one else can
-- change meanwhile. Two terminals sending a change against the same
-- version: the second waits for the first's commit, then reads the bumped
-- version and gets ZB009 with it, instead of silently overwriting. READ
-- COMMITTED is enough because the decision is taken on the locked row's
-- newest version.
CREATE OR REPLACE FUNCTION public.api_cart_set(p_token text, p_expected_version bigint,
                                               p_product_id uuid, p_quantity integer)
RETURNS TABLE (version bigint, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid;
	v_version bigint;
	v_max_qty integer := public.bz_setting_int('cart_max_quantity', 10);
	v_max_lines integer := public.bz_setting_int('cart_max_lines', 20);
BEGIN
	PERFORM set_config('application_name', 'bazar cart set', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);

	IF p_product_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'No product was given.',
			DETAIL = 'product_id';
	END IF;
	IF p_quantity IS NULL OR p_quantity < 0 OR p_quantity > v_max_qty THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = format('The quantity must be between 0 and %s.', v_max_qty),
			DETAIL = format('quantity=%s max=%s', coalesce(p_quantity::text, 'NULL'), v_max_qty);
	END IF;

	v_version := public.bz_cart_lock(v_user);
	PERFORM public.bz_cart_check_version(v_version, p_expected_version);

	IF p_quantity = 0 THEN
		DELETE FROM public.cart_lines AS l
		WHERE l.user_id = v_user AND l.product_id = p_product_id;
	ELSE
		IF NOT EXISTS (SELECT 1 FROM public.products AS p
		               WHERE p.id = p_product_id AND p.is_active) THEN
			RAISE EXCEPTION USING ERRCODE = 'ZB006',
				MESSAGE = 'This product is not available.',
				DETAIL = format('product_id=%s', p_product_id);
		END IF;
		IF NOT EXISTS (SELECT 1 FROM public.cart_lines AS l
		               WHERE l.user_id = v_user AND l.product_id = p_product_id)
		   AND (SELECT count(*) FROM public.cart_lines AS l WHERE l.user_id = v_user) >= v_max_lines THEN
			RAISE EXCEPTION USING ERRCODE = 'ZB008',
				MESSAGE = format('A cart holds at most %s different products.', v_max_lines),
				DETAIL = format('lines max=%s', v_max_lines);
		END IF;
		INSERT INTO public.cart_lines AS l (user_id, product_id, quantity)
		VALUES (v_user, p_product_id, p_quantity)
		ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity;
	END IF;

	UPDATE public.carts AS c
	SET version = c.version + 1, updated_at = now()
	WHERE c.user_id = v_user
	RETURNING c.version INTO v_version;

	RETURN QUERY SELECT v_version, v_started;
END
$fn$;

-- Empties the session user's cart and returns the new version; ZB009 for
-- a stale version. Locking: as api_cart_set.
CREATE OR REPLACE FUNCTION public.api_cart_clear(p_token text, p_expected_version bigint)
RETURNS TABLE (version bigint, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_started timestamptz := clock_timestamp();
	v_user uuid;
	v_version bigint;
BEGIN
	PERFORM set_config('application_name', 'bazar cart clear', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_user := public.bz_session_user(p_token);

	v_version := public.bz_cart_lock(v_user);
	PERFORM public.bz_cart_check_version(v_version, p_expected_version);

	DELETE FROM public.cart_lines AS l WHERE l.user_id = v_user;
	UPDATE public.carts AS c
	SET version = c.version + 1, updated_at = now()
	WHERE c.user_id = v_user
	RETURNING c.version INTO v_version;

	RETURN QUERY SELECT v_version, v_started;
END
$fn$;

-- One page of the active catalog, ordered by (category, name, id), after
-- the row (p_after_category, p_after_name, p_after_id) of the previous
-- page (all three NULL for the first page; the client passes the last row
-- it got). p_category (NULL = all) filters one category exactly; p_search
-- (NULL or '' = everything) is a literal case-insensitive substring of the
-- name or category. stock = available codes, counted for the page's rows
-- only. p_limit 1..500, else ZB008.
--
-- Keyset instead of OFFSET: the row comparison (category, name, id) >
-- (...) is an index condition on products_catalog_keyset_idx (0008.1), so
-- every page is an index range scan of p_limit rows, however deep. The
-- query is built with only the predicates in use (values always bound
-- with USING, never spliced) so each call is planned for its own filter.
--
-- Locking: none; a read of committed rows.
CREATE OR REPLACE FUNCTION public.api_catalog_page(p_search text, p_category text,
                                                   p_after_category text, p_after_name text,
                                                   p_after_id uuid, p_limit integer)
RETURNS TABLE (id uuid, name text, category text, price_cents bigint, stock bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_pattern text;
	v_sql text;
BEGIN
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The page size must be between 1 and 500.',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	IF (p_after_id IS NULL) <> (p_after_category IS NULL)
	   OR (p_after_id IS NULL) <> (p_after_name IS NULL) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The page position needs category, name and id together.',
			DETAIL = 'after_category, after_name, after_id';
	END IF;
	IF p_search IS NOT NULL AND p_search <> '' THEN
		IF char_length(p_search) > 200 THEN
			RAISE EXCEPTION USING ERRCODE = 'ZB008',
				MESSAGE = 'The search text is too long.',
				DETAIL = 'search';
		END IF;
		v_pattern := '%' || replace(replace(replace(p_search,
		                 '\', '\\'), '%', '\%'), '_', '\_') || '%';
	END IF;

	v_sql := 'SELECT pr.id, pr.name, pr.category, pr.price_cents,'
	      || ' (SELECT count(*) FROM public.product_codes AS pc'
	      || '  WHERE pc.product_id = pr.id AND pc.status = ''available'')'
	      || ' FROM public.products AS pr WHERE pr.is_active';
	IF p_category IS NOT NULL THEN
		v_sql := v_sql || ' AND pr.category = $2';
	END IF;
	IF v_pattern IS NOT NULL THEN
		v_sql := v_sql || ' AND (pr.name ILIKE $1 ESCAPE ''\'' OR pr.category ILIKE $1 ESCAPE ''\'')';
	END IF;
	IF p_after_id IS NOT NULL THEN
		v_sql := v_sql || ' AND (pr.category, pr.name, pr.id) > ($3, $4, $5)';
	END IF;
	v_sql := v_sql || ' ORDER BY pr.category, pr.name, pr.id LIMIT $6';

	RETURN QUERY EXECUTE v_sql
	USING v_pattern, p_category, p_after_category, p_after_name, p_after_id, p_limit;
END
$fn$;

-- The categories of the active catalog with their product counts, by name.
-- Locking: none.
CREATE OR REPLACE FUNCTION public.api_categories()
RETURNS TABLE (category text, products bigint)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT pr.category, count(*)
	FROM public.products AS pr
	WHERE pr.is_active
	GROUP BY pr.category
	ORDER BY pr.category
$fn$;

-- One active product with its description and live stock; ZB006 when it
-- does not exist or is no longer on sale. Locking: none.
CREATE OR REPLACE FUNCTION public.api_product(p_id uuid)
RETURNS TABLE (id uuid, name text, description text, category text, price_cents bigint, stock bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
BEGIN
	RETURN QUERY
	SELECT pr.id, pr.name, pr.description, pr.category, pr.price_cents,
	       (SELECT count(*) FROM public.product_codes AS pc
	        WHERE pc.product_id = pr.id AND pc.status = 'available')
	FROM public.products AS pr
	WHERE pr.id = p_id AND pr.is_active;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006',
			MESSAGE = 'This product is not available.',
			DETAIL = format('product_id=%s', coalesce(p_id::text, 'NULL'));
	END IF;
END
$fn$;

REVOKE ALL ON FUNCTION public.bz_cart_lock(uuid) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_cart_check_version(bigint, bigint) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_cart_get(text) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_cart_set(text, bigint, uuid, integer) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_cart_clear(text, bigint) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_catalog_page(text, text, text, text, uuid, integer) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_categories() FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_product(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.api_cart_get(text) TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_cart_set(text, bigint, uuid, integer) TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_cart_clear(text, bigint) TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_catalog_page(text, text, text, text, uuid, integer) TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_categories() TO bazar_client, bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_product(uuid) TO bazar_client, bazar_staff, bazar_tester;
