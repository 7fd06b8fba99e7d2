-- 0016_staff_wallets: what the console's Wallets screen reads.
--
--   api_staff_customer_wallet(token, customer)          one customer's head:
--                                                        balance, orders, movements
--   api_staff_customer_ledger(token, customer, limit)   their wallet movements,
--                                                        newest first, with the
--                                                        staff member of each top-up
--   api_staff_audit(token, limit)                       the latest audit_log rows:
--                                                        who did what, to what, when
--   bz_staff_customer(customer)                         a customer by id or e-mail
--
-- The customer's own api_my_wallet / api_my_ledger answer for the session's
-- user only; staff looking at someone else's wallet need these. CUSTOMER is
-- a user id (as api_staff_find_customer returns it) or an e-mail
-- (case-insensitively, as api_staff_topup takes it); ZB006 when no account
-- matches. Every function takes the session token of a staff account
-- (bz_session_staff: ZB004 without a live session, ZB005 for a customer).
--
-- Reads only: one statement each, one snapshot, no row locks beyond the
-- session's FOR SHARE (step 1 of the global lock order). Reading is not
-- audited: nothing changes and no secret is shown (codes are, in 0011).
-- Granted to bazar_staff and the race lab's bazar_tester only.
--
-- Safe to run twice. Rollback drops the four functions.

-- The user a staff function is about: CUSTOMER as a user id when it has a
-- uuid's shape, else as an e-mail (trimmed, case-insensitive). ZB006 when
-- no account matches. Internal: no grants.
CREATE OR REPLACE FUNCTION public.bz_staff_customer(p_customer text)
RETURNS uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_key text := btrim(coalesce(p_customer, ''));
	v_user uuid;
BEGIN
	IF v_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
		SELECT u.id INTO v_user FROM public.users AS u WHERE u.id = v_key::uuid;
	ELSIF v_key <> '' THEN
		SELECT u.id INTO v_user FROM public.users AS u WHERE lower(u.email) = lower(v_key);
	END IF;
	IF v_user IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No customer has this e-mail or id.',
			DETAIL = 'customer';
	END IF;
	RETURN v_user;
END
$fn$;

-- One customer as the Wallets screen heads their wallet: the columns of
-- api_staff_find_customer (balance 0 without a wallet) and how many
-- movements the wallet has.
CREATE OR REPLACE FUNCTION public.api_staff_customer_wallet(p_token text, p_customer text)
RETURNS TABLE (user_id uuid, email text, display_name text, is_staff boolean, balance_cents bigint,
               orders bigint, ledger_entries bigint, created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar staff customer-wallet', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	v_user := public.bz_staff_customer(p_customer);
	RETURN QUERY
	SELECT u.id, u.email, u.display_name, u.is_staff,
	       coalesce(w.balance_cents, 0),
	       (SELECT count(*) FROM public.orders AS o WHERE o.user_id = u.id),
	       (SELECT count(*) FROM public.wallet_ledger AS l WHERE l.wallet_id = w.id),
	       u.created_at
	FROM public.users AS u
	LEFT JOIN public.wallets AS w ON w.user_id = u.id
	WHERE u.id = v_user;
END
$fn$;

-- One customer's wallet movements, newest first, at most p_limit
-- (1..500): the amount (+ in, - out), the balance after it, the reason,
-- the staff member who made it (top-ups; NULL for the shop's own
-- movements, from wallet_ledger.created_by, 0011) and, for a movement
-- about an order, the order and its payment reference.
CREATE OR REPLACE FUNCTION public.api_staff_customer_ledger(p_token text, p_customer text,
                                                            p_limit integer)
RETURNS TABLE (entry_id uuid, amount_cents bigint, balance_after_cents bigint, reason text,
               order_id uuid, order_reference text, created_by_email text, created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_user uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar staff customer-ledger', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'page size must be between 1 and 500',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	v_user := public.bz_staff_customer(p_customer);
	RETURN QUERY
	SELECT l.id, l.amount_cents, l.balance_after_cents, l.reason, l.order_id,
	       CASE WHEN l.order_id IS NOT NULL THEN public.bz_payment_reference(l.order_id) END,
	       s.email, l.created_at
	FROM public.wallet_ledger AS l
	JOIN public.wallets AS w ON w.id = l.wallet_id
	LEFT JOIN public.users AS s ON s.id = l.created_by
	WHERE w.user_id = v_user
	ORDER BY l.created_at DESC, l.id DESC
	LIMIT p_limit;
END
$fn$;

-- The latest p_limit (1..500) rows of audit_log, newest first: when, who
-- (the actor's e-mail; NULL for the shop itself, e.g. an expiry), the
-- action and entity as recorded, the subject in words (a wallet's owner,
-- an order's payment reference and customer, a product's name, a promo's
-- code; NULL when the entity is unknown or gone) and a summary of the
-- details: their scalar values as key=value, amounts in *_cents as money
-- (amount_cents=1234 reads amount=12.34), ids left out (details has them
-- all).
CREATE OR REPLACE FUNCTION public.api_staff_audit(p_token text, p_limit integer)
RETURNS TABLE (audit_id uuid, at timestamptz, actor_email text, action text, entity text,
               entity_id text, subject text, summary text, details text)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar staff audit', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'page size must be between 1 and 500',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	RETURN QUERY
	SELECT a.id, a.at, u.email, a.action, a.entity, a.entity_id,
	       CASE a.entity
	       WHEN 'wallets' THEN
	           (SELECT c.email FROM public.wallets AS w JOIN public.users AS c ON c.id = w.user_id
	            WHERE w.id = a.eid)
	       WHEN 'orders' THEN
	           (SELECT public.bz_payment_reference(o.id) || ' ' || c.email
	            FROM public.orders AS o JOIN public.users AS c ON c.id = o.user_id WHERE o.id = a.eid)
	       WHEN 'products' THEN
	           (SELECT p.name FROM public.products AS p WHERE p.id = a.eid)
	       WHEN 'product_codes' THEN
	           (SELECT p.name FROM public.product_codes AS pc JOIN public.products AS p ON p.id = pc.product_id
	            WHERE pc.id = a.eid)
	       WHEN 'promo_codes' THEN
	           (SELECT pr.code FROM public.promo_codes AS pr WHERE pr.id = a.eid)
	       END,
	       (SELECT string_agg(format('%s=%s', regexp_replace(e.k, '_cents$', ''),
	                                 CASE WHEN e.k LIKE '%\_cents' AND e.v #>> '{}' ~ '^-?[0-9]{1,18}$'
	                                      THEN public.bz_money_text((e.v #>> '{}')::bigint)
	                                      ELSE e.v #>> '{}' END), ' ' ORDER BY e.k)
	        FROM jsonb_each(a.details) AS e (k, v)
	        WHERE jsonb_typeof(e.v) IN ('string', 'number', 'boolean')
	          AND e.k !~ '(^|_)ids?$'),
	       a.details::text
	FROM (SELECT l.*,
	             CASE WHEN l.entity_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
	                  THEN l.entity_id::uuid END AS eid
	      FROM public.audit_log AS l
	      ORDER BY l.at DESC, l.id DESC
	      LIMIT p_limit) AS a
	LEFT JOIN public.users AS u ON u.id = a.actor_user_id
	ORDER BY a.at DESC, a.id DESC;
END
$fn$;

DO $do$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'public.bz_staff_customer(text)',
		'public.api_staff_customer_wallet(text, text)',
		'public.api_staff_customer_ledger(text, text, integer)',
		'public.api_staff_audit(text, integer)'
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
