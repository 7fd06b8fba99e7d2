-- 0018_code_import: the console's Inventory: stock per product with a
-- low-stock threshold, and code imports streamed with COPY.
--
--   api_staff_stock(token)                           every product: available,
--                                                     reserved, sold, void codes
--                                                     and its low-stock threshold
--   api_staff_set_low_stock(token, product, n)       a product's threshold (audited)
--   api_staff_product_codes(token, product, limit)   available codes, masked
--   api_staff_import_begin(token, product, label)    a batch id to COPY lines into
--   api_staff_import_finish(token, batch)            validate, move, report totals
--   api_staff_import_problems(token, batch, after, limit)  the refused lines
--   bz_import_cleanup()                              abandon batches left open > 1 h
--
-- How an import runs: begin returns a fresh batch id; the client streams
-- every line of its file (line number, text as read, and a flaw it could
-- not send, e.g. bytes that are not UTF-8) with COPY ... FROM STDIN into
-- bazar_staging.code_import_lines, the one table the staff role may write
-- (INSERT only: it cannot read, change or delete a staged line); finish
-- then judges every staged line with the rules of api_staff_import_codes
-- (0011), inserts the good ones into product_codes in one statement,
-- records the refused ones with their line numbers in
-- code_import_problems, audits the counts and deletes the staged lines.
-- Nothing is dropped silently: lines = imported + duplicates + malformed.
--
-- The staging table lives in its own schema so that "no client role holds
-- a privilege on a table in public" (0004, the storefront's start-up
-- check, tests/sql/security.sql) stays true. Which staff member may stage
-- into a batch: all staff share the database role, so the batch id is the
-- capability (a random uuid only its beginner is told); a statement
-- trigger refuses lines of a batch that is unknown, finished or abandoned,
-- and finish refuses another staff member's batch (ZB005).
--
-- Safe to run twice. Rollback drops the functions and the staging schema
-- (lines in flight only) and keeps the batches, problems and thresholds.

CREATE SCHEMA IF NOT EXISTS bazar_staging;
REVOKE ALL ON SCHEMA bazar_staging FROM PUBLIC;
GRANT USAGE ON SCHEMA bazar_staging TO bazar_staff;

-- One import: who began it, for which product, and once finished its
-- totals. status: open (lines may be staged) -> finished | abandoned.
CREATE TABLE IF NOT EXISTS public.code_import_batches (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	staff_id uuid NOT NULL REFERENCES public.users (id),
	product_id uuid NOT NULL REFERENCES public.products (id),
	label text NOT NULL DEFAULT '',
	status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished', 'abandoned')),
	created_at timestamptz NOT NULL DEFAULT now(),
	finished_at timestamptz,
	lines bigint NOT NULL DEFAULT 0,
	imported bigint NOT NULL DEFAULT 0,
	duplicates bigint NOT NULL DEFAULT 0,
	malformed bigint NOT NULL DEFAULT 0
);
ALTER TABLE public.code_import_batches ENABLE ROW LEVEL SECURITY;

-- Every refused line of a finished batch: its number, why, and for a
-- duplicate within the file the line it repeats. Codes are not kept:
-- they are secrets, and the line number finds them in the file.
CREATE TABLE IF NOT EXISTS public.code_import_problems (
	batch_id uuid NOT NULL REFERENCES public.code_import_batches (id) ON DELETE CASCADE,
	line_no bigint NOT NULL,
	kind text NOT NULL CHECK (kind IN ('duplicate', 'malformed')),
	reason text NOT NULL,
	first_line bigint,
	PRIMARY KEY (batch_id, line_no)
);
ALTER TABLE public.code_import_problems ENABLE ROW LEVEL SECURITY;

-- A product's low-stock threshold when it differs from the shop's
-- (shop_settings 'low_stock_threshold').
CREATE TABLE IF NOT EXISTS public.product_stock_settings (
	product_id uuid PRIMARY KEY REFERENCES public.products (id),
	-- At most 1,000,000 by the CHECK; integer is plenty.
	-- squawk-ignore prefer-bigint-over-int
	low_stock_threshold integer NOT NULL CHECK (low_stock_threshold BETWEEN 0 AND 1000000),
	updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.product_stock_settings ENABLE ROW LEVEL SECURITY;

INSERT INTO public.shop_settings (key, value)
VALUES ('low_stock_threshold', '10')
ON CONFLICT (key) DO NOTHING;

-- Lines as the client read them. flaw: what the client could not send
-- as text ('not_utf8': the bytes are not UTF-8, raw is ''; 'too_long':
-- over 1000 bytes, raw holds the first ones; in a CSV file 'no_column':
-- the record lacks the code's column, 'bad_quotes': a quoted field never
-- ends). No primary key: COPY speed,
-- and finish reports a line number sent twice instead of failing.
CREATE TABLE IF NOT EXISTS bazar_staging.code_import_lines (
	batch_id uuid NOT NULL,
	line_no bigint NOT NULL CHECK (line_no > 0),
	raw text NOT NULL CHECK (octet_length(raw) <= 1000),
	flaw text CHECK (flaw IN ('not_utf8', 'too_long', 'no_column', 'bad_quotes'))
);
CREATE INDEX IF NOT EXISTS code_import_lines_batch ON bazar_staging.code_import_lines (batch_id, line_no);
-- No row-level security here, unlike every table in public: COPY FROM
-- refuses a table with RLS enabled. The walls are the privileges (INSERT
-- only, so no staff connection can read, change or delete a staged line)
-- and the statement trigger below.
ALTER TABLE bazar_staging.code_import_lines DISABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS staff_stage_lines ON bazar_staging.code_import_lines;
REVOKE ALL ON bazar_staging.code_import_lines FROM PUBLIC;
GRANT INSERT ON bazar_staging.code_import_lines TO bazar_staff;

-- After each INSERT or COPY into the staging table: every batch named
-- must be open, else the whole statement fails (ZB006) and nothing of it
-- is staged.
CREATE OR REPLACE FUNCTION bazar_staging.bz_import_lines_check()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_bad uuid;
BEGIN
	SELECT n.batch_id INTO v_bad
	FROM (SELECT DISTINCT s.batch_id FROM new_lines AS s) AS n
	WHERE NOT EXISTS (SELECT 1 FROM public.code_import_batches AS b
	                  WHERE b.id = n.batch_id AND b.status = 'open')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006',
			MESSAGE = 'No open import batch has this id; begin a new import.',
			DETAIL = format('batch_id=%s', v_bad);
	END IF;
	RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION bazar_staging.bz_import_lines_check() FROM PUBLIC;

DROP TRIGGER IF EXISTS code_import_lines_check ON bazar_staging.code_import_lines;
CREATE TRIGGER code_import_lines_check
	AFTER INSERT ON bazar_staging.code_import_lines
	REFERENCING NEW TABLE AS new_lines
	FOR EACH STATEMENT EXECUTE FUNCTION bazar_staging.bz_import_lines_check();

-- Abandons every batch left open for over an hour (its client died or
-- gave up) and deletes its staged lines. Returns how many. For pg_cron
-- or a worker; api_staff_import_begin runs it too.
CREATE OR REPLACE FUNCTION public.bz_import_cleanup()
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_n integer;
BEGIN
	WITH gone AS (
		UPDATE public.code_import_batches AS b
		SET status = 'abandoned', finished_at = now()
		WHERE b.status = 'open' AND b.created_at < now() - interval '1 hour'
		RETURNING b.id
	), del AS (
		DELETE FROM bazar_staging.code_import_lines AS l
		WHERE l.batch_id IN (SELECT g.id FROM gone AS g)
	)
	SELECT count(*) INTO v_n FROM gone;
	RETURN v_n;
END
$fn$;

-- Every product with its codes by status and its low-stock threshold;
-- low when fewer codes are available than the threshold. Active
-- products first, then by name.
CREATE OR REPLACE FUNCTION public.api_staff_stock(p_token text)
RETURNS TABLE (product_id uuid, name text, is_active boolean, available bigint, reserved bigint,
               sold bigint, voided bigint, low_stock_threshold integer, low boolean)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_default integer := public.bz_setting_int('low_stock_threshold', 10);
BEGIN
	PERFORM set_config('application_name', 'bazar staff stock', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	RETURN QUERY
	SELECT p.id, p.name, p.is_active, coalesce(c.available, 0), coalesce(c.reserved, 0),
	       coalesce(c.sold, 0), coalesce(c.voided, 0),
	       coalesce(s.low_stock_threshold, v_default),
	       coalesce(c.available, 0) < coalesce(s.low_stock_threshold, v_default)
	FROM public.products AS p
	LEFT JOIN public.product_stock_settings AS s ON s.product_id = p.id
	LEFT JOIN (SELECT pc.product_id,
	                  count(*) FILTER (WHERE pc.status = 'available') AS available,
	                  count(*) FILTER (WHERE pc.status = 'reserved') AS reserved,
	                  count(*) FILTER (WHERE pc.status = 'sold') AS sold,
	                  count(*) FILTER (WHERE pc.status = 'void') AS voided
	           FROM public.product_codes AS pc
	           GROUP BY pc.product_id) AS c ON c.product_id = p.id
	ORDER BY p.is_active DESC, p.name, p.id;
END
$fn$;

-- Sets one product's low-stock threshold (0..1,000,000; audited).
CREATE OR REPLACE FUNCTION public.api_staff_set_low_stock(p_token text, p_product_id uuid,
                                                          p_threshold integer)
RETURNS TABLE (product_id uuid, low_stock_threshold integer, previous integer)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_staff uuid;
	v_prev integer;
BEGIN
	PERFORM set_config('application_name', 'bazar staff set-low-stock', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	IF p_threshold IS NULL OR p_threshold < 0 OR p_threshold > 1000000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The low-stock threshold must be a whole number from 0 to 1000000.',
			DETAIL = 'threshold';
	END IF;
	IF p_product_id IS NULL OR NOT EXISTS (SELECT 1 FROM public.products AS p WHERE p.id = p_product_id) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such product.',
			DETAIL = format('product_id=%s', p_product_id);
	END IF;
	SELECT coalesce((SELECT s.low_stock_threshold FROM public.product_stock_settings AS s
	                 WHERE s.product_id = p_product_id FOR UPDATE),
	                public.bz_setting_int('low_stock_threshold', 10))
	INTO v_prev;
	INSERT INTO public.product_stock_settings AS s (product_id, low_stock_threshold)
	VALUES (p_product_id, p_threshold)
	ON CONFLICT ON CONSTRAINT product_stock_settings_pkey
	DO UPDATE SET low_stock_threshold = EXCLUDED.low_stock_threshold, updated_at = now();
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'stock.threshold_set', 'products', p_product_id::text,
	        jsonb_build_object('threshold', p_threshold, 'previous', v_prev));
	RETURN QUERY SELECT p_product_id, p_threshold, v_prev;
END
$fn$;

-- A product's available codes, oldest first (the claim order), masked:
-- the first 3 and last 2 characters of codes over 8 long, else '***'.
-- p_limit 1..500. Enough to recognise a code someone reports; voiding
-- takes the whole code (api_staff_void_code), which staff have from the
-- report.
CREATE OR REPLACE FUNCTION public.api_staff_product_codes(p_token text, p_product_id uuid, p_limit integer)
RETURNS TABLE (code_id uuid, masked text, created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
	PERFORM set_config('application_name', 'bazar staff product-codes', true);
	PERFORM set_config('lock_timeout', '5s', true);
	PERFORM public.bz_session_staff(p_token);
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 500 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'page size must be between 1 and 500',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	IF p_product_id IS NULL OR NOT EXISTS (SELECT 1 FROM public.products AS p WHERE p.id = p_product_id) THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such product.',
			DETAIL = format('product_id=%s', p_product_id);
	END IF;
	RETURN QUERY
	SELECT pc.id,
	       CASE WHEN char_length(pc.code) > 8
	            THEN left(pc.code, 3) || repeat('*', char_length(pc.code) - 5) || right(pc.code, 2)
	            ELSE '***' END,
	       pc.created_at
	FROM public.product_codes AS pc
	WHERE pc.product_id = p_product_id AND pc.status = 'available'
	ORDER BY pc.created_at, pc.id
	LIMIT p_limit;
END
$fn$;

-- Begins an import of codes for a product: a fresh batch id to stage
-- lines under. LABEL names the file for the audit log (at most 200
-- printable characters; '' allowed). Also abandons stale batches.
CREATE OR REPLACE FUNCTION public.api_staff_import_begin(p_token text, p_product_id uuid, p_label text)
RETURNS TABLE (batch_id uuid, product_name text, started_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_staff uuid;
	v_name text;
	v_label text := btrim(coalesce(p_label, ''));
	v_id uuid;
BEGIN
	PERFORM set_config('application_name', 'bazar import-codes begin', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	IF char_length(v_label) > 200 OR v_label ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'The file label must have at most 200 printable characters.',
			DETAIL = 'label';
	END IF;
	SELECT p.name INTO v_name FROM public.products AS p WHERE p.id = p_product_id;
	IF v_name IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such product.',
			DETAIL = format('product_id=%s', p_product_id);
	END IF;
	PERFORM public.bz_import_cleanup();
	INSERT INTO public.code_import_batches (staff_id, product_id, label)
	VALUES (v_staff, p_product_id, v_label)
	RETURNING id INTO v_id;
	RETURN QUERY SELECT v_id, v_name, clock_timestamp();
END
$fn$;

-- The batch P_BATCH of the staff member behind P_TOKEN, locked: ZB006
-- when there is none, ZB005 when another staff member began it.
-- Internal: no grants.
CREATE OR REPLACE FUNCTION public.bz_import_batch(p_token text, p_batch uuid)
RETURNS public.code_import_batches
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_staff uuid := public.bz_session_staff(p_token);
	v_batch public.code_import_batches;
BEGIN
	SELECT * INTO v_batch FROM public.code_import_batches AS b WHERE b.id = p_batch FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB006', MESSAGE = 'No such import batch.',
			DETAIL = format('batch_id=%s', p_batch);
	END IF;
	IF v_batch.staff_id <> v_staff THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB005',
			MESSAGE = 'This import was begun by another staff member.',
			DETAIL = format('batch_id=%s', p_batch);
	END IF;
	RETURN v_batch;
END
$fn$;

-- Finishes an import: judges every staged line of the batch, moves the
-- good codes into product_codes in one statement, keeps the refused lines
-- in code_import_problems, audits the counts ('codes.imported') and
-- deletes the staged lines. Returns the totals; again = true when the
-- batch was finished before (the first finish's totals, nothing redone).
-- ZB008 for an abandoned batch.
--
-- A line (trimmed of spaces, as api_staff_import_codes trims) is
--   malformed: 'not UTF-8 text', 'longer than 200 characters',
--     'empty line', 'control characters', 'line number sent twice', and
--     in a CSV file 'no code column on this line', 'a quoted field never
--     ends';
--   duplicate: 'repeats line N' (the same code earlier in the file: the
--     later line is refused), 'already in stock' (this product has the
--     code, any status, or a concurrent import took it first);
--   else imported, in file order (created_at keeps the claim order).
--
-- Locking: the batch row FOR UPDATE (two finishes of one batch: the
-- second waits and reports the first's totals); the insert's ON CONFLICT
-- on the unique (product_id, code) index settles a race with another
-- import of the same code.
CREATE OR REPLACE FUNCTION public.api_staff_import_finish(p_token text, p_batch uuid)
RETURNS TABLE (batch_id uuid, product_id uuid, lines bigint, imported bigint, duplicates bigint,
               malformed bigint, again boolean, finished_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
-- Sorts of a million lines stay in memory (the default 4 MB spills to disk).
SET work_mem = '64MB'
AS $fn$
#variable_conflict use_column
DECLARE
	v_batch public.code_import_batches;
	v_staff uuid;
	v_now timestamptz := clock_timestamp();
	v_lines bigint;
	v_imported bigint;
	v_dup bigint;
	v_bad bigint;
BEGIN
	PERFORM set_config('application_name', 'bazar import-codes finish', true);
	PERFORM set_config('lock_timeout', '5s', true);
	v_staff := public.bz_session_staff(p_token);
	v_batch := public.bz_import_batch(p_token, p_batch);
	IF v_batch.status = 'finished' THEN
		RETURN QUERY SELECT v_batch.id, v_batch.product_id, v_batch.lines, v_batch.imported,
		                    v_batch.duplicates, v_batch.malformed, true, v_batch.finished_at;
		RETURN;
	END IF;
	IF v_batch.status <> 'open' THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008',
			MESSAGE = 'This import was abandoned (left open over an hour); import the file again.',
			DETAIL = format('batch_id=%s', p_batch);
	END IF;

	-- One statement: every staged line gets exactly one verdict (each CASE
	-- has an ELSE), the good codes go in with one INSERT, and a code a
	-- concurrent import took first comes back from ON CONFLICT as not
	-- inserted and is counted a duplicate.
	WITH staged AS (
		SELECT l.line_no, l.flaw, btrim(l.raw) AS c,
		       row_number() OVER (PARTITION BY l.line_no ORDER BY l.raw) AS nth_line
		FROM bazar_staging.code_import_lines AS l
		WHERE l.batch_id = p_batch
	), shaped AS (
		SELECT s.line_no, s.c,
		       CASE WHEN s.nth_line > 1 THEN 'line number sent twice'
		            WHEN s.flaw = 'not_utf8' THEN 'not UTF-8 text'
		            WHEN s.flaw = 'no_column' THEN 'no code column on this line'
		            WHEN s.flaw = 'bad_quotes' THEN 'a quoted field never ends'
		            WHEN s.flaw = 'too_long' OR char_length(s.c) > 200 THEN 'longer than 200 characters'
		            WHEN s.c = '' THEN 'empty line'
		            WHEN s.c ~ '[[:cntrl:]]' THEN 'control characters'
		       END AS bad
		FROM staged AS s
	), firsts AS (
		SELECT h.line_no, h.c, h.bad,
		       min(h.line_no) FILTER (WHERE h.bad IS NULL) OVER (PARTITION BY h.c) AS first_line
		FROM shaped AS h
	), judged AS (
		SELECT f.line_no, f.c,
		       CASE WHEN f.bad IS NOT NULL THEN 'malformed'
		            WHEN f.first_line < f.line_no THEN 'duplicate'
		            WHEN EXISTS (SELECT 1 FROM public.product_codes AS pc
		                         WHERE pc.product_id = v_batch.product_id AND pc.code = f.c) THEN 'duplicate'
		            ELSE 'new' END AS verdict,
		       CASE WHEN f.bad IS NOT NULL THEN f.bad
		            WHEN f.first_line < f.line_no THEN format('repeats line %s', f.first_line)
		            ELSE 'already in stock' END AS reason,
		       CASE WHEN f.bad IS NULL AND f.first_line < f.line_no THEN f.first_line END AS first_line
		FROM firsts AS f
	), ins AS (
		INSERT INTO public.product_codes AS pc (product_id, code, created_at)
		SELECT v_batch.product_id, j.c, v_now + j.line_no * interval '1 microsecond'
		FROM judged AS j
		WHERE j.verdict = 'new'
		ORDER BY j.line_no
		ON CONFLICT (product_id, code) DO NOTHING
		RETURNING pc.code
	), final AS (
		SELECT j.line_no, j.reason, j.first_line,
		       CASE WHEN j.verdict <> 'new' THEN j.verdict
		            WHEN i.code IS NOT NULL THEN 'imported'
		            ELSE 'duplicate' END AS verdict
		FROM judged AS j
		LEFT JOIN ins AS i ON j.verdict = 'new' AND i.code = j.c
	), problems AS (
		INSERT INTO public.code_import_problems (batch_id, line_no, kind, reason, first_line)
		SELECT p_batch, f.line_no, f.verdict, f.reason, f.first_line
		FROM final AS f
		WHERE f.verdict IN ('duplicate', 'malformed')
		ON CONFLICT DO NOTHING
	)
	SELECT count(*), count(*) FILTER (WHERE f.verdict = 'imported'),
	       count(*) FILTER (WHERE f.verdict = 'duplicate'),
	       count(*) FILTER (WHERE f.verdict = 'malformed')
	INTO v_lines, v_imported, v_dup, v_bad
	FROM final AS f;

	UPDATE public.code_import_batches AS b
	SET status = 'finished', finished_at = v_now, lines = v_lines, imported = v_imported,
	    duplicates = v_dup, malformed = v_bad
	WHERE b.id = p_batch;
	DELETE FROM bazar_staging.code_import_lines AS l WHERE l.batch_id = p_batch;
	INSERT INTO public.audit_log (actor_user_id, action, entity, entity_id, details)
	VALUES (v_staff, 'codes.imported', 'products', v_batch.product_id::text,
	        jsonb_build_object('batch_id', p_batch, 'file', v_batch.label, 'lines', v_lines,
	                           'imported', v_imported, 'duplicate', v_dup, 'invalid', v_bad));
	RETURN QUERY SELECT p_batch, v_batch.product_id, v_lines, v_imported, v_dup, v_bad, false, v_now;
END
$fn$;

-- The refused lines of a finished batch, by line number, after line
-- P_AFTER (0 from the start), at most P_LIMIT (1..10000): page on with the
-- last line_no.
CREATE OR REPLACE FUNCTION public.api_staff_import_problems(p_token text, p_batch uuid, p_after bigint,
                                                            p_limit integer)
RETURNS TABLE (line_no bigint, kind text, reason text, first_line bigint)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
	v_batch public.code_import_batches;
BEGIN
	PERFORM set_config('application_name', 'bazar import-codes problems', true);
	PERFORM set_config('lock_timeout', '5s', true);
	IF p_limit IS NULL OR p_limit < 1 OR p_limit > 10000 THEN
		RAISE EXCEPTION USING ERRCODE = 'ZB008', MESSAGE = 'page size must be between 1 and 10000',
			DETAIL = format('limit=%s', coalesce(p_limit::text, 'NULL'));
	END IF;
	v_batch := public.bz_import_batch(p_token, p_batch);
	RETURN QUERY
	SELECT p.line_no, p.kind, p.reason, p.first_line
	FROM public.code_import_problems AS p
	WHERE p.batch_id = v_batch.id AND p.line_no > coalesce(p_after, 0)
	ORDER BY p.line_no
	LIMIT p_limit;
END
$fn$;

DO $do$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY[
		'public.bz_import_cleanup()',
		'public.bz_import_batch(text, uuid)',
		'public.api_staff_stock(text)',
		'public.api_staff_set_low_stock(text, uuid, integer)',
		'public.api_staff_product_codes(text, uuid, integer)',
		'public.api_staff_import_begin(text, uuid, text)',
		'public.api_staff_import_finish(text, uuid)',
		'public.api_staff_import_problems(text, uuid, bigint, integer)'
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
