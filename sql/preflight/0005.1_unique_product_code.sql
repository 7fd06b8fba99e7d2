-- Preflight of 0005.1_unique_product_code: the unique index on
-- product_codes (product_id, code) cannot be built while a code string
-- exists twice for one product. Typically the race's "a code on two
-- orders": the same gift-card code delivered to two customers. Keep one
-- copy, void or delete the other, and make good the customer who lost out.

-- check: no product has the same code twice (a code on two orders)
SELECT pr.name AS product, pc.code, count(*)::text AS copies,
       string_agg(CASE WHEN pc.order_id IS NULL THEN pc.status || ', no order'
                       ELSE pc.status || ' on order ' || pc.order_id || coalesce(' to ' || u.email, '') END,
                  '; ' ORDER BY pc.order_id NULLS LAST, pc.id) AS orders
FROM public.product_codes AS pc
JOIN public.products AS pr ON pr.id = pc.product_id
LEFT JOIN public.orders AS o ON o.id = pc.order_id
LEFT JOIN public.users AS u ON u.id = o.user_id
GROUP BY pr.name, pc.product_id, pc.code
HAVING count(*) > 1
ORDER BY pr.name, pc.code;
