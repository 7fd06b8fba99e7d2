-- Preflight of 0010.9_validate_code_status: codes that would make its
-- VALIDATE CONSTRAINT statements fail. After 0005 there can be none; a
-- database repaired by hand in between might have some.

-- check: every code's status is available, reserved, sold or void
SELECT pc.id::text AS code_id, pc.code, pc.status
FROM public.product_codes AS pc
WHERE pc.status NOT IN ('available', 'reserved', 'sold', 'void')
ORDER BY pc.code, pc.id;

-- check: sold and reserved codes belong to an order, available and void ones to none
SELECT pc.id::text AS code_id, pc.code, pc.status, coalesce(pc.order_id::text, '(none)') AS order_id
FROM public.product_codes AS pc
WHERE (pc.status IN ('sold', 'reserved')) <> (pc.order_id IS NOT NULL)
ORDER BY pc.code, pc.id;
