-- bazar:no-transaction
-- bazar:index public.promo_codes_code_lower_key
--
-- Promo codes compare case-insensitively: 'summer5' and 'SUMMER5' are one
-- promo to a customer, and two rows let it be used past its max_uses.
-- sql/preflight/0005.2_unique_promo_code_ci.sql lists such pairs; merge or
-- rename them, then migrate again. The case-sensitive UNIQUE from 0001
-- stays (it is implied by this one and harmless).
--
-- Built CONCURRENTLY, outside a transaction; a failed build leaves an
-- INVALID index that the runner drops (named above) before retrying.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS promo_codes_code_lower_key
	ON public.promo_codes (lower(code));
