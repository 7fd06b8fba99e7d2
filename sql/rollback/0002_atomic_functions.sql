-- Rollback of 0002_atomic_functions: the seed's own rollback statements.
--
-- Data will be preserved: the product_codes.used_at column is kept with its
-- values (dropping it would lose when each code was sold), and the sample
-- promos WELCOME10 and SAVE50 are kept (orders may refer to them; deactivate
-- them with UPDATE promo_codes SET is_active = false WHERE lower(code) IN
-- ('welcome10', 'save50') if unwanted). Functions of later migrations that
-- call these must be rolled back first, which the reverse order ensures.
DROP FUNCTION IF EXISTS claim_product_codes_atomic(uuid, integer, uuid);
DROP FUNCTION IF EXISTS increment_promo_usage(uuid);
