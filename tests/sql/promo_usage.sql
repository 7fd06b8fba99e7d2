-- pgTAP: increment_promo_usage(uuid) takes a use iff the promo is active,
-- inside its dates and below max_uses (NULL = unlimited). Concurrency is
-- covered by the race tests; here, the rules one call at a time.
BEGIN;
SELECT plan(22);

INSERT INTO promo_codes (id, code, discount_type, discount_value, max_uses)
VALUES ('f0000000-0000-4000-8000-000000000001', 'TAP-THREE', 'fixed', 100, 3),
       ('f0000000-0000-4000-8000-000000000002', 'TAP-UNLIMITED', 'percentage', 5, NULL),
       ('f0000000-0000-4000-8000-000000000006', 'TAP-ONCE', 'fixed', 100, 1);
INSERT INTO promo_codes (id, code, discount_type, discount_value, max_uses, valid_from, valid_until, is_active)
VALUES ('f0000000-0000-4000-8000-000000000003', 'TAP-FUTURE', 'fixed', 100, NULL, now() + interval '1 day', NULL, true),
       ('f0000000-0000-4000-8000-000000000004', 'TAP-EXPIRED', 'fixed', 100, NULL, now() - interval '2 days', now() - interval '1 day', true),
       ('f0000000-0000-4000-8000-000000000005', 'TAP-OFF', 'fixed', 100, NULL, NULL, NULL, false),
       ('f0000000-0000-4000-8000-000000000007', 'TAP-WINDOW', 'fixed', 100, 5, now() - interval '1 day', now() + interval '1 day', true),
       -- valid_until is exclusive: a promo ending at this very instant is over
       ('f0000000-0000-4000-8000-000000000008', 'TAP-ENDS-NOW', 'fixed', 100, NULL, now() - interval '1 day', now(), true);

-- max_uses = 3: exactly three trues, then false, and the count stops at 3
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000001'), true, 'max_uses 3: use 1 taken');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000001'), true, 'max_uses 3: use 2 taken');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000001'), true, 'max_uses 3: use 3 taken');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000001'), false, 'max_uses 3: use 4 refused');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000001'), false, 'max_uses 3: use 5 refused');
SELECT is((SELECT used_count FROM promo_codes WHERE id = 'f0000000-0000-4000-8000-000000000001'),
          3::bigint, 'max_uses 3: used_count stops at 3');

-- single use
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000006'), true, 'single-use promo: first use taken');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000006'), false, 'single-use promo: second use refused');

-- NULL max_uses is unlimited
SELECT is((SELECT count(*) FILTER (WHERE increment_promo_usage('f0000000-0000-4000-8000-000000000002'))
           FROM generate_series(1, 250)),
          250::bigint, 'max_uses NULL: 250 of 250 uses taken');
SELECT is((SELECT used_count FROM promo_codes WHERE id = 'f0000000-0000-4000-8000-000000000002'),
          250::bigint, 'max_uses NULL: used_count is 250');

-- dates and is_active
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000003'), false, 'not yet valid (valid_from tomorrow): refused');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000004'), false, 'expired (valid_until yesterday): refused');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000008'), false, 'valid_until is exclusive: a promo ending now is refused');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000005'), false, 'inactive: refused');
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000007'), true, 'inside its date window: taken');
SELECT is((SELECT array_agg(used_count ORDER BY code) FROM promo_codes
           WHERE id IN ('f0000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000004',
                        'f0000000-0000-4000-8000-000000000005', 'f0000000-0000-4000-8000-000000000008')),
          ARRAY[0, 0, 0, 0]::bigint[], 'refused promos keep used_count 0');

-- deactivating stops further uses; reactivating resumes them
UPDATE promo_codes SET is_active = false WHERE id = 'f0000000-0000-4000-8000-000000000007';
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000007'), false, 'deactivated after use: refused');
UPDATE promo_codes SET is_active = true WHERE id = 'f0000000-0000-4000-8000-000000000007';
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-000000000007'), true, 'reactivated: taken again');

-- unknown and NULL ids
SELECT is(increment_promo_usage('f0000000-0000-4000-8000-0000000000ff'), false, 'unknown promo: false, no error');
SELECT is(increment_promo_usage(NULL), false, 'NULL promo id: false, no error');

-- the function's own safety settings
SELECT ok((SELECT 'search_path=public, pg_temp' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'increment_promo_usage(uuid)'::regprocedure),
          'increment_promo_usage pins search_path');
SELECT ok(NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'increment_promo_usage(uuid)'::regprocedure),
          'increment_promo_usage runs with the caller''s rights (not SECURITY DEFINER)');

SELECT * FROM finish();
ROLLBACK;
