-- 0012_invariants: the shop's invariants as one query, and the staff
-- console's order-change feed.
--
--   bz_check_invariants()                     for `bazar check` (owner only)
--   api_staff_check_invariants(token)         the same, for staff and the race lab
--   api_staff_order_changes(token, after, limit)  the live feed, by polling
--
-- bz_check_invariants returns one row per invariant: check_name, ok and
-- offending (a JSON array of up to 20 offending rows, plus {"more": n}
-- when there are more). The race lab's naive control schema
-- (tests/race/naive.sql) has a naive.bz_check_invariants() of the same
-- shape and names, so the suite checks both the same way.
--
-- The feed: a NOTIFY makes its transaction take a database-wide lock at
-- commit (to queue the notification in commit order), which serialises
-- every committing checkout behind it. The alternative implemented here is
-- a cheap poll: every order change stamps the row with its transaction id
-- (0010's trigger), and the console asks every ~0.5 s for the orders
-- changed by transactions that are certainly finished. The measurement of
-- NOTIFY's commit lock against this poll is in the lead's benchmark work
-- (docs/api.md has the numbers and the choice); nothing here NOTIFYs.
--
-- Safe to run twice. Rollback drops the functions; nothing else is created.

-- At most the first 20 elements of a JSON array, then {"more": n} for the
-- rest; '[]' for NULL.
CREATE OR REPLACE FUNCTION public.bz_first_rows(p_rows jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
	SELECT CASE
		WHEN p_rows IS NULL THEN '[]'::jsonb
		WHEN jsonb_array_length(p_rows) <= 20 THEN p_rows
		ELSE (SELECT jsonb_agg(e.value ORDER BY e.ord) FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e (value, ord)
		      WHERE e.ord <= 20)
		     || jsonb_build_array(jsonb_build_object('more', jsonb_array_length(p_rows) - 20))
	END
$fn$;

-- Every invariant of the shop, each with the rows that break it:
--   wallet_balance_equals_ledger     a wallet's balance = the sum of its ledger
--   no_negative_balance              no wallet, no ledger entry below zero
--   ledger_running_balance           each entry's balance_after = the running sum, in time order
--   wallet_orders_debited_once       a paid wallet order has exactly one debit, of its total
--   promo_used_count_equals_redemptions
--   promo_within_max_uses            used_count <= max_uses, and used_count + live holds <= max_uses
--   promo_per_user_limit             no user redeemed a promo more often than per_user_limit
--   one_live_hold_per_promo_user
--   one_code_one_order               a code string exists once per product (so on one order at most)
--   code_status_matches_order        available/void codes have no order, sold/reserved ones have one
--   fulfilled_orders_hold_their_codes  per product, sold codes = item quantity; sold codes only on fulfilled orders
--   reserved_codes_match_awaiting_orders  per product, reserved codes = item quantity on orders
--                                    awaiting payment; reserved codes on no other order
--   order_total_equals_items         subtotal = sum of items, total = subtotal - discount
--   one_order_per_idempotency_key
--   one_account_per_email
-- One statement per invariant under READ COMMITTED: each is consistent in
-- itself; run it on a quiet shop (or twice) to compare invariants with each other.
CREATE OR REPLACE FUNCTION public.bz_check_invariants()
RETURNS TABLE (check_name text, ok boolean, offending jsonb)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT 'wallet_balance_equals_ledger'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT w.id AS wallet_id, w.user_id, w.balance_cents,
	             coalesce(l.total, 0) AS ledger_sum_cents
	      FROM public.wallets AS w
	      LEFT JOIN (SELECT wallet_id, sum(amount_cents) AS total
	                 FROM public.wallet_ledger GROUP BY wallet_id) AS l ON l.wallet_id = w.id
	      WHERE w.balance_cents <> coalesce(l.total, 0)) AS q;

	RETURN QUERY
	SELECT 'no_negative_balance'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT 'wallet' AS kind, w.id, w.balance_cents AS cents
	      FROM public.wallets AS w WHERE w.balance_cents < 0
	      UNION ALL
	      SELECT 'ledger_entry', l.id, l.balance_after_cents
	      FROM public.wallet_ledger AS l WHERE l.balance_after_cents < 0) AS q;

	RETURN QUERY
	SELECT 'ledger_running_balance'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT r.wallet_id, r.id AS entry_id, r.created_at, r.balance_after_cents, r.running_cents
	      FROM (SELECT l.wallet_id, l.id, l.created_at, l.balance_after_cents,
	                   sum(l.amount_cents) OVER (PARTITION BY l.wallet_id ORDER BY l.created_at, l.id) AS running_cents
	            FROM public.wallet_ledger AS l) AS r
	      WHERE r.balance_after_cents <> r.running_cents) AS q;

	RETURN QUERY
	SELECT 'wallet_orders_debited_once'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT o.id AS order_id, o.total_cents, count(l.id) AS debits,
	             coalesce(sum(-l.amount_cents), 0) AS debited_cents
	      FROM public.orders AS o
	      LEFT JOIN public.wallet_ledger AS l ON l.order_id = o.id
	      WHERE o.payment_method = 'wallet' AND o.status IN ('paid', 'fulfilled') AND o.total_cents > 0
	      GROUP BY o.id, o.total_cents
	      HAVING count(l.id) <> 1 OR coalesce(sum(-l.amount_cents), 0) <> o.total_cents) AS q;

	RETURN QUERY
	SELECT 'promo_used_count_equals_redemptions'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT p.code, p.used_count, count(r.id) AS redemptions
	      FROM public.promo_codes AS p
	      LEFT JOIN public.promo_redemptions AS r ON r.promo_id = p.id
	      GROUP BY p.id, p.code, p.used_count
	      HAVING p.used_count <> count(r.id)) AS q;

	RETURN QUERY
	SELECT 'promo_within_max_uses'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT p.code, p.max_uses, p.used_count,
	             (SELECT count(*) FROM public.promo_holds AS h
	              WHERE h.promo_id = p.id AND h.released_at IS NULL AND h.order_id IS NULL
	                AND h.expires_at > now()) AS live_holds
	      FROM public.promo_codes AS p
	      WHERE p.max_uses IS NOT NULL) AS q
	WHERE q.used_count > q.max_uses OR q.used_count + q.live_holds > q.max_uses;

	RETURN QUERY
	SELECT 'promo_per_user_limit'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT p.code, r.user_id, p.per_user_limit, count(*) AS redemptions
	      FROM public.promo_redemptions AS r
	      JOIN public.promo_codes AS p ON p.id = r.promo_id
	      WHERE p.per_user_limit IS NOT NULL
	      GROUP BY p.code, r.user_id, p.per_user_limit
	      HAVING count(*) > p.per_user_limit) AS q;

	RETURN QUERY
	SELECT 'one_live_hold_per_promo_user'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT h.promo_id, h.user_id, count(*) AS live_holds
	      FROM public.promo_holds AS h
	      WHERE h.released_at IS NULL AND h.order_id IS NULL AND h.expires_at > now()
	      GROUP BY h.promo_id, h.user_id
	      HAVING count(*) > 1) AS q;

	RETURN QUERY
	SELECT 'one_code_one_order'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT pc.product_id, pc.code, count(*) AS copies,
	             jsonb_agg(pc.order_id ORDER BY pc.order_id) FILTER (WHERE pc.order_id IS NOT NULL) AS orders
	      FROM public.product_codes AS pc
	      GROUP BY pc.product_id, pc.code
	      HAVING count(*) > 1) AS q;

	RETURN QUERY
	SELECT 'code_status_matches_order'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT pc.id AS code_id, pc.status, pc.order_id
	      FROM public.product_codes AS pc
	      WHERE (pc.status IN ('sold', 'reserved')) <> (pc.order_id IS NOT NULL)
	         OR pc.status NOT IN ('available', 'reserved', 'sold', 'void')) AS q;

	RETURN QUERY
	SELECT 'fulfilled_orders_hold_their_codes'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT coalesce(i.order_id, c.order_id) AS order_id, coalesce(i.product_id, c.product_id) AS product_id,
	             coalesce(i.quantity, 0) AS quantity, coalesce(c.codes, 0) AS sold_codes
	      FROM (SELECT it.order_id, it.product_id, sum(it.quantity) AS quantity
	            FROM public.order_items AS it
	            JOIN public.orders AS o ON o.id = it.order_id AND o.status = 'fulfilled'
	            GROUP BY it.order_id, it.product_id) AS i
	      FULL JOIN (SELECT pc.order_id, pc.product_id, count(*) AS codes
	                 FROM public.product_codes AS pc
	                 WHERE pc.status = 'sold'
	                 GROUP BY pc.order_id, pc.product_id) AS c
	        ON c.order_id = i.order_id AND c.product_id = i.product_id
	      WHERE coalesce(i.quantity, 0) <> coalesce(c.codes, 0)) AS q;

	RETURN QUERY
	SELECT 'reserved_codes_match_awaiting_orders'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT coalesce(i.order_id, c.order_id) AS order_id, coalesce(i.product_id, c.product_id) AS product_id,
	             coalesce(i.quantity, 0) AS quantity, coalesce(c.codes, 0) AS reserved_codes
	      FROM (SELECT it.order_id, it.product_id, sum(it.quantity) AS quantity
	            FROM public.order_items AS it
	            JOIN public.orders AS o ON o.id = it.order_id AND o.status = 'awaiting_payment'
	            GROUP BY it.order_id, it.product_id) AS i
	      FULL JOIN (SELECT pc.order_id, pc.product_id, count(*) AS codes
	                 FROM public.product_codes AS pc
	                 WHERE pc.status = 'reserved'
	                 GROUP BY pc.order_id, pc.product_id) AS c
	        ON c.order_id = i.order_id AND c.product_id = i.product_id
	      WHERE coalesce(i.quantity, 0) <> coalesce(c.codes, 0)) AS q;

	RETURN QUERY
	SELECT 'order_total_equals_items'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT o.id AS order_id, o.subtotal_cents, o.discount_cents, o.total_cents,
	             coalesce(s.items_cents, 0) AS items_cents
	      FROM public.orders AS o
	      LEFT JOIN (SELECT it.order_id, sum(it.quantity * it.unit_price_cents) AS items_cents
	                 FROM public.order_items AS it GROUP BY it.order_id) AS s ON s.order_id = o.id
	      WHERE o.subtotal_cents <> coalesce(s.items_cents, 0)
	         OR o.total_cents <> o.subtotal_cents - o.discount_cents) AS q;

	RETURN QUERY
	SELECT 'one_order_per_idempotency_key'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT o.user_id, o.idempotency_key, count(*) AS orders
	      FROM public.orders AS o
	      WHERE o.idempotency_key IS NOT NULL
	      GROUP BY o.user_id, o.idempotency_key
	      HAVING count(*) > 1) AS q;

	RETURN QUERY
	SELECT 'one_account_per_email'::text, count(*) = 0, public.bz_first_rows(jsonb_agg(to_jsonb(q)))
	FROM (SELECT lower(u.email) AS email, count(*) AS accounts
	      FROM public.users AS u
	      GROUP BY lower(u.email)
	      HAVING count(*) > 1) AS q;
END
$fn$;

-- bz_check_invariants for a staff session (the console's check screen)
-- and the race lab, which has no table privileges.
CREATE OR REPLACE FUNCTION public.api_staff_check_invariants(p_token text)
RETURNS TABLE (check_name text, ok boolean, offending jsonb)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
BEGIN
	PERFORM set_config('application_name', 'bazar check', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	RETURN QUERY SELECT * FROM public.bz_check_invariants();
END
$fn$;

-- The order-change feed for the staff console, by polling.
--
-- Cursor: p_after_seq is the next_after_seq of the previous call (NULL on
-- the first call: "from now on"; 0: from the oldest change on record).
-- Returns the orders changed since, oldest change first, each with its
-- status and change_seq, and on every row the same next_after_seq to pass
-- next time; when nothing changed, one row with only next_after_seq. At
-- most about p_limit rows (1..1000): a transaction's changes are never
-- split across calls, so one big transaction may exceed it.
--
-- Why a transaction-id cursor and not change_seq: sequence numbers are
-- taken before commit, so a transaction can commit a lower change_seq
-- after a poll already saw a higher one, and a change_seq cursor would
-- skip it for ever. Each change is stamped with its transaction id
-- (orders.change_xid, 0010's trigger); the feed returns only changes of
-- transactions older than the snapshot's xmin, i.e. certainly finished,
-- and every transaction still running (or starting later) has an id at or
-- above that xmin. So each change appears exactly once, at the latest
-- when the longest transaction running at poll time has ended. One
-- statement, so the snapshot and its xmin are the same.
CREATE OR REPLACE FUNCTION public.api_staff_order_changes(p_token text, p_after_seq bigint, p_limit integer)
RETURNS TABLE (order_id uuid, status text, change_seq bigint, changed_at timestamptz, next_after_seq bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar order feed', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 1000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'page size must be between 1 and 1000',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	IF p_after_seq < 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'The feed cursor must not be negative.',
			DETAIL = format('after_seq=%s', p_after_seq);
	END IF;

	RETURN QUERY
	WITH horizon AS (
		SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin
	), cutoff AS (
		-- The transaction of the p_limit-th change, when there are that many.
		SELECT o.change_xid
		FROM public.orders AS o, horizon AS h
		WHERE p_after_seq IS NOT NULL
		  AND o.change_xid > p_after_seq::text::xid8 AND o.change_xid < h.xmin
		ORDER BY o.change_xid
		OFFSET p_limit - 1
		LIMIT 1
	), bounds AS (
		SELECT coalesce((SELECT c.change_xid::text::bigint FROM cutoff AS c),
		                h.xmin::text::bigint - 1) AS upto
		FROM horizon AS h
	), changes AS (
		SELECT o.id, o.status, o.change_seq, o.updated_at, o.change_xid
		FROM public.orders AS o, bounds AS b
		WHERE p_after_seq IS NOT NULL
		  AND o.change_xid > p_after_seq::text::xid8
		  AND o.change_xid <= b.upto::text::xid8
	)
	SELECT x.id, x.status, x.change_seq, x.updated_at, x.upto
	FROM (SELECT c.id, c.status, c.change_seq, c.updated_at, b.upto, c.change_xid
	      FROM changes AS c, bounds AS b
	      UNION ALL
	      SELECT NULL::uuid, NULL::text, NULL::bigint, NULL::timestamptz, b.upto, NULL::xid8
	      FROM bounds AS b
	      WHERE NOT EXISTS (SELECT 1 FROM changes)) AS x
	ORDER BY x.change_xid, x.change_seq;
END
$fn$;

REVOKE ALL ON FUNCTION public.bz_first_rows(jsonb) FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.bz_check_invariants() FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.api_staff_check_invariants(text) FROM PUBLIC, anon, authenticated, bazar_client;
REVOKE ALL ON FUNCTION public.api_staff_order_changes(text, bigint, integer) FROM PUBLIC, anon, authenticated, bazar_client;
GRANT EXECUTE ON FUNCTION public.api_staff_check_invariants(text) TO bazar_staff, bazar_tester;
GRANT EXECUTE ON FUNCTION public.api_staff_order_changes(text, bigint, integer) TO bazar_staff, bazar_tester;
