-- Preflight of 0005_validate_constraints: the rows that would make one of
-- its VALIDATE CONSTRAINT statements fail. The runner stops before 0005
-- while any section returns rows; `bazar verify` repeats these checks.
-- Each section: a '-- check:' line, then one SELECT listing offending rows.

-- check: no promo has been used more often than its max_uses
SELECT p.code, p.used_count::text AS used_count, p.max_uses::text AS max_uses,
       (SELECT count(*) FROM public.promo_redemptions AS r WHERE r.promo_id = p.id)::text AS redemptions
FROM public.promo_codes AS p
WHERE p.max_uses IS NOT NULL AND p.used_count > p.max_uses
ORDER BY p.code;

-- check: no promo has a negative used_count, a non-positive max_uses or per-user limit
SELECT p.code, p.used_count::text AS used_count, p.max_uses::text AS max_uses,
       p.per_user_limit::text AS per_user_limit
FROM public.promo_codes AS p
WHERE p.used_count < 0 OR p.max_uses <= 0 OR p.per_user_limit <= 0
ORDER BY p.code;

-- check: every promo has a valid discount, minimum order and date range
SELECT p.code, p.discount_type, p.discount_value::text AS discount_value,
       p.min_order_cents::text AS min_order_cents,
       p.valid_from::text AS valid_from, p.valid_until::text AS valid_until
FROM public.promo_codes AS p
WHERE p.discount_type NOT IN ('percentage', 'fixed')
   OR p.discount_value <= 0
   OR (p.discount_type = 'percentage' AND p.discount_value > 100)
   OR p.min_order_cents < 0
   OR p.valid_from >= p.valid_until
ORDER BY p.code;

-- check: no wallet has a negative balance
SELECT u.email, w.id::text AS wallet_id, w.balance_cents::text AS balance_cents
FROM public.wallets AS w
JOIN public.users AS u ON u.id = w.user_id
WHERE w.balance_cents < 0
ORDER BY u.email, w.id;

-- check: no wallet ledger entry is zero or left a negative balance
SELECT u.email, l.id::text AS entry_id, l.created_at::text AS created_at,
       l.amount_cents::text AS amount_cents, l.balance_after_cents::text AS balance_after_cents,
       l.reason
FROM public.wallet_ledger AS l
JOIN public.wallets AS w ON w.id = l.wallet_id
JOIN public.users AS u ON u.id = w.user_id
WHERE l.balance_after_cents < 0 OR l.amount_cents = 0
ORDER BY u.email, l.created_at, l.id;

-- check: every product has a positive price
SELECT pr.name, pr.id::text AS product_id, pr.price_cents::text AS price_cents
FROM public.products AS pr
WHERE pr.price_cents <= 0
ORDER BY pr.name, pr.id;

-- check: every order line has a positive quantity and unit price
SELECT oi.order_id::text AS order_id, pr.name AS product, oi.quantity::text AS quantity,
       oi.unit_price_cents::text AS unit_price_cents
FROM public.order_items AS oi
JOIN public.products AS pr ON pr.id = oi.product_id
WHERE oi.quantity <= 0 OR oi.unit_price_cents <= 0
ORDER BY oi.order_id, pr.name;

-- check: every order has a known status and consistent amounts (total = subtotal - discount, none negative)
SELECT o.id::text AS order_id, o.status, o.subtotal_cents::text AS subtotal_cents,
       o.discount_cents::text AS discount_cents, o.total_cents::text AS total_cents
FROM public.orders AS o
WHERE o.status NOT IN ('pending', 'awaiting_payment', 'paid', 'fulfilled', 'cancelled', 'refunded', 'failed')
   OR NOT (o.subtotal_cents >= 0 AND o.discount_cents >= 0 AND o.discount_cents <= o.subtotal_cents
           AND o.total_cents = o.subtotal_cents - o.discount_cents)
ORDER BY o.created_at, o.id;

-- check: every product code has status available, reserved, sold or void, and is on an order iff sold or reserved
-- ('reserved' arrives with 0010, for bank transfers awaiting payment;
-- verify repeats this preflight on a database that has it.)
SELECT pr.name AS product, pc.code, pc.status, coalesce(pc.order_id::text, '') AS order_id
FROM public.product_codes AS pc
JOIN public.products AS pr ON pr.id = pc.product_id
WHERE pc.status NOT IN ('available', 'reserved', 'sold', 'void')
   OR (pc.status IN ('sold', 'reserved')) <> (pc.order_id IS NOT NULL)
ORDER BY pr.name, pc.code, pc.id;

-- check: every queued e-mail has a known status and a non-negative attempt count
SELECT e.id::text AS mail_id, e.to_address, e.status, e.attempts::text AS attempts
FROM public.email_outbox AS e
WHERE e.status NOT IN ('pending', 'sending', 'sent', 'failed', 'dead') OR e.attempts < 0
ORDER BY e.created_at, e.id;
