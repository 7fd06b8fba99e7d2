-- A deliberately naive claim, for tests/shell/mail_delivery.test only:
-- it reads the due rows, then marks them sending, with no row lock, no
-- SKIP LOCKED and no new fencing token. Two workers that claim at once
-- both take the same rows and both send them. Loaded into schema
-- naive_mail; a worker whose search_path starts with naive_mail calls it
-- instead of public.api_mail_claim. The shop's own functions are never
-- replaced.
DROP SCHEMA IF EXISTS naive_mail CASCADE;
CREATE SCHEMA naive_mail;
GRANT USAGE ON SCHEMA naive_mail TO bazar_mailer;

CREATE FUNCTION naive_mail.api_mail_claim(p_worker text, p_limit integer, p_lease_seconds integer)
RETURNS TABLE (outbox_id uuid, fencing_token bigint, attempt bigint, kind text, to_address text,
               subject text, body_text text, idempotency_key text, order_id uuid, created_at timestamptz)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
	v_ids uuid[];
BEGIN
	SELECT array_agg(e.id ORDER BY e.next_attempt_at, e.id) INTO v_ids
	FROM (SELECT e.id, e.next_attempt_at FROM public.email_outbox AS e
	      WHERE e.status IN ('pending', 'sending') AND e.next_attempt_at <= now()
	      ORDER BY e.next_attempt_at, e.id LIMIT p_limit) AS e;
	-- The window a careful claim closes: another worker reads the same rows now.
	PERFORM pg_sleep(0.05);
	UPDATE public.email_outbox AS e
	SET status = 'sending', claimed_by = p_worker, attempts = e.attempts + 1,
	    lease_until = now() + make_interval(secs => p_lease_seconds),
	    next_attempt_at = now() + make_interval(secs => p_lease_seconds)
	WHERE e.id = ANY (v_ids);
	RETURN QUERY
	SELECT e.id, e.fencing_token, e.attempts, e.kind, e.to_address, e.subject, e.body_text,
	       public.bz_mail_idempotency_key(e.id), e.order_id, e.created_at
	FROM public.email_outbox AS e
	WHERE e.id = ANY (v_ids);
END
$fn$;
REVOKE ALL ON FUNCTION naive_mail.api_mail_claim(text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION naive_mail.api_mail_claim(text, integer, integer) TO bazar_mailer;
