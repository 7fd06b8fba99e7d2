-- pgTAP: bz_promo_discount on the shared table of cases. The cases are
-- written once, in tests/fixtures/promo_cases.tsv (type, value,
-- subtotal_cents, expected_discount_cents), which core/promo's Check suite
-- also runs, so the SQL and the terminal's display arithmetic agree. A
-- pgTAP file cannot read a file portably, so the rows are copied below
-- between the "cases:" markers, and tests/shell/promo_cases_sync.test fails
-- when the copy and the TSV disagree (it prints the block to paste).
--
-- The rule: percentage = floor(subtotal * value / 100) (rounded down to the
-- cent: never more than the stated percentage); fixed = least(value,
-- subtotal). Never negative, never above the subtotal.
BEGIN;

CREATE TEMP TABLE tap_cases (n serial, type text, value bigint, subtotal_cents bigint, expected bigint);
INSERT INTO tap_cases (type, value, subtotal_cents, expected) VALUES
-- cases: begin
	('percentage', 10, 1000, 100),
	('percentage', 10, 999, 99),
	('percentage', 10, 9, 0),
	('percentage', 10, 1, 0),
	('percentage', 10, 0, 0),
	('percentage', 15, 1999, 299),
	('percentage', 33, 100, 33),
	('percentage', 33, 1, 0),
	('percentage', 50, 1, 0),
	('percentage', 50, 3, 1),
	('percentage', 99, 101, 99),
	('percentage', 1, 99, 0),
	('percentage', 1, 100, 1),
	('percentage', 12, 12345, 1481),
	('percentage', 100, 1234, 1234),
	('percentage', 100, 0, 0),
	('percentage', 37, 1000000000000000, 370000000000000),
	('percentage', 7, 92233720368547758, 6456360425798343),
	('fixed', 500, 1000, 500),
	('fixed', 500, 500, 500),
	('fixed', 500, 499, 499),
	('fixed', 500, 0, 0),
	('fixed', 1, 1, 1),
	('fixed', 5000, 1999, 1999),
	('fixed', 100000, 1, 1),
	('fixed', 1, 9223372036854775807, 1);
-- cases: end

-- One test per case, and 11 more below.
SELECT plan((SELECT count(*)::integer FROM tap_cases) + 11);

SELECT is(bz_promo_discount(c.type, c.value, c.subtotal_cents), c.expected,
          format('%s %s of %s cents: %s', c.type, c.value, c.subtotal_cents, c.expected))
FROM tap_cases AS c
ORDER BY c.n;

SELECT is_empty(
	$$SELECT n FROM tap_cases WHERE expected < 0 OR expected > subtotal_cents$$,
	'no expected discount is negative or above its subtotal');

-- the same arithmetic for every subtotal 0..1000 and every percentage
SELECT is_empty(
	$$SELECT s, v FROM generate_series(0, 1000) AS s, generate_series(1, 100) AS v
	  WHERE bz_promo_discount('percentage', v, s) <> (s * v) / 100
	     OR bz_promo_discount('percentage', v, s) * 100 > s * v
	     OR (bz_promo_discount('percentage', v, s) + 1) * 100 <= s * v$$,
	'percentage: the largest whole cent not above the exact discount, for subtotals 0..10.00');
SELECT is_empty(
	$$SELECT s, v FROM generate_series(0, 1000) AS s, generate_series(1, 1500, 7) AS v
	  WHERE bz_promo_discount('fixed', v, s) <> least(v, s)$$,
	'fixed: capped at the subtotal, for subtotals 0..10.00');

-- bad input
SELECT throws_ok($$SELECT bz_promo_discount('percentage', 10, -1)$$, 'ZB008', 'The subtotal must not be negative.',
                 'a negative subtotal: ZB008');
SELECT throws_ok($$SELECT bz_promo_discount('fixed', 10, NULL)$$, 'ZB008', NULL, 'a NULL subtotal: ZB008');
SELECT throws_ok($$SELECT bz_promo_discount('percentage', 101, 1000)$$, 'ZB008', 'A percentage discount is at most 100.',
                 'a percentage above 100: ZB008');
SELECT throws_ok($$SELECT bz_promo_discount('fixed', 0, 1000)$$, 'ZB008', 'The discount must be positive.',
                 'a zero discount: ZB008');
SELECT throws_ok($$SELECT bz_promo_discount('fixed', -5, 1000)$$, 'ZB008', NULL, 'a negative discount: ZB008');
SELECT throws_ok($$SELECT bz_promo_discount('bogus', 5, 1000)$$, 'ZB008', 'Unknown discount type.',
                 'an unknown type: ZB008');
SELECT throws_ok($$SELECT bz_promo_discount(NULL, 5, 1000)$$, 'ZB008', NULL, 'a NULL type: ZB008');
SELECT ok((SELECT provolatile = 'i' FROM pg_proc WHERE oid = 'bz_promo_discount(text, bigint, bigint)'::regprocedure),
          'bz_promo_discount is IMMUTABLE');

SELECT * FROM finish();
ROLLBACK;
