/* The mail worker's loop; see worker.h. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mail_policy.h"
#include "db/api_mail.h"
#include "mail/worker.h"

static bz_err deliver(struct db_conn *conn, const struct mail_config *cfg, const struct mail_transport *t,
                      const struct db_mail *mail, struct mail_worker_stats *stats, char *err, size_t errlen);
static bz_err release(struct db_conn *conn, const struct db_mail *mail, struct mail_worker_stats *stats,
                      char *err, size_t errlen);
static uint32_t jitter_random(void);
static void sleep_ms(int ms, volatile sig_atomic_t *stop);

bz_err
mail_worker_check(const struct mail_worker_options *opts, const struct mail_config *cfg, char *err,
                  size_t errlen)
{
	long worst_ms;

	if (opts->batch < 1 || opts->batch > MAIL_WORKER_MAX_BATCH) {
		snprintf(err, errlen, "a claim takes 1 to %d messages, not %d", MAIL_WORKER_MAX_BATCH, opts->batch);
		return BZ_ERR_INVALID_INPUT;
	}
	if (opts->lease_s < 5 || opts->lease_s > 3600) {
		snprintf(err, errlen, "a lease lasts 5 to 3600 seconds, not %d", opts->lease_s);
		return BZ_ERR_INVALID_INPUT;
	}
	/* Every message of the batch may take the whole timeout, and its
	 * outcome a database round trip: a second each is generous. */
	worst_ms = (long)opts->batch * (cfg->timeout_ms + 1000);
	if ((long)opts->lease_s * 1000 <= worst_ms) {
		snprintf(err, errlen, "a lease of %d s is too short for %d messages that may each take "
		         "%ld ms: use a lease over %ld s or a smaller batch", opts->lease_s, opts->batch,
		         cfg->timeout_ms, worst_ms / 1000);
		return BZ_ERR_INVALID_INPUT;
	}
	return BZ_OK;
}

bz_err
mail_worker_run(struct db_conn *conn, const struct mail_config *cfg, const struct mail_transport *transport,
                const struct mail_worker_options *opts, struct mail_worker_stats *stats, char *err,
                size_t errlen)
{
	bz_err rc;

	memset(stats, 0, sizeof *stats);
	if ((rc = mail_worker_check(opts, cfg, err, errlen)) != BZ_OK)
		return rc;
	while (!*opts->stop) {
		struct db_mails mails;
		size_t i;

		rc = db_mail_claim(conn, opts->name, opts->batch, opts->lease_s, &mails, err, errlen);
		if (rc != BZ_OK)
			return rc;
		stats->claimed += (long)mails.count;
		for (i = 0; i < mails.count && !*opts->stop; i++)
			if ((rc = deliver(conn, cfg, transport, &mails.items[i], stats, err, errlen)) != BZ_OK)
				break;
		/* Stopped with rows in hand: give them back now rather than
		 * when their lease ends. */
		for (; rc == BZ_OK && i < mails.count; i++)
			rc = release(conn, &mails.items[i], stats, err, errlen);
		if (mails.count == 0 && opts->once) {
			db_mails_free(&mails);
			break;
		}
		if (mails.count == 0)
			sleep_ms(opts->idle_ms, opts->stop);
		db_mails_free(&mails);
		if (rc != BZ_OK)
			return rc;
	}
	return BZ_OK;
}

/* One message: send, judge, record. */
static bz_err
deliver(struct db_conn *conn, const struct mail_config *cfg, const struct mail_transport *t,
        const struct db_mail *mail, struct mail_worker_stats *stats, char *err, size_t errlen)
{
	struct mail_message msg = {
		.from = cfg->from, .to = mail->to_address, .subject = mail->subject, .text = mail->body_text,
		.idempotency_key = mail->idempotency_key,
	};
	struct mail_result result;
	enum mail_verdict verdict;
	enum db_mail_record recorded;
	long delay_ms = 0;
	bz_err rc;

	t->send(cfg, &msg, &result);
	verdict = mail_verdict_of(&result.attempt);
	switch (verdict) {
	case MAIL_SENT:
		rc = db_mail_sent(conn, mail, result.message_id, &recorded, err, errlen);
		break;
	case MAIL_RETRY:
		delay_ms = mail_retry_delay_ms((int)mail->attempt, jitter_random(), result.retry_after_ms);
		rc = db_mail_retry(conn, mail, result.detail, delay_ms, &recorded, err, errlen);
		break;
	case MAIL_FAILED:
	default:
		rc = db_mail_fail(conn, mail, result.detail, &recorded, err, errlen);
		break;
	}
	if (rc != BZ_OK)
		return rc;
	if (recorded == DB_MAIL_STALE) {
		/* Another worker took the row after this one's lease ran out; its
		 * outcome is the one that counts. */
		stats->stale++;
		bz_log(LOG_WARN, "mail %s (%s) attempt %lld: %s, but the lease had run out: another worker owns it",
		       mail->outbox_id, mail->kind, (long long)mail->attempt, mail_verdict_name(verdict));
		return BZ_OK;
	}
	if (recorded == DB_MAIL_GAVE_UP)
		stats->gave_up++;
	else if (verdict == MAIL_SENT)
		stats->sent++;
	else if (verdict == MAIL_RETRY)
		stats->retried++;
	else
		stats->failed++;
	bz_log(verdict == MAIL_SENT ? LOG_INFO : LOG_WARN, "mail %s (%s) attempt %lld: %s%s: %s", mail->outbox_id,
	       mail->kind, (long long)mail->attempt,
	       recorded == DB_MAIL_GAVE_UP ? "failed, attempts spent" : mail_verdict_name(verdict),
	       verdict == MAIL_RETRY && recorded != DB_MAIL_GAVE_UP ? " later" : "", result.detail);
	return BZ_OK;
}

/* A claimed row this worker will not send: due again at once. */
static bz_err
release(struct db_conn *conn, const struct db_mail *mail, struct mail_worker_stats *stats, char *err,
        size_t errlen)
{
	enum db_mail_record recorded;
	bz_err rc = db_mail_retry(conn, mail, "the worker stopped before sending it", 0, &recorded, err, errlen);

	if (rc == BZ_OK && recorded != DB_MAIL_STALE)
		stats->released++;
	return rc;
}

/* Jitter only spreads retries apart; it guards nothing, so a seeded
 * xorshift is enough (seeded per process: workers must not agree). */
static uint32_t
jitter_random(void)
{
	static uint32_t state;

	if (state == 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		state = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 16) ^ (uint32_t)ts.tv_sec;
		if (state == 0)
			state = 0x9e3779b9u;
	}
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

/* Sleep MS milliseconds in short steps, so a stop is noticed soon. */
static void
sleep_ms(int ms, volatile sig_atomic_t *stop)
{
	while (ms > 0 && !*stop) {
		int step = ms > 100 ? 100 : ms;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)step * 1000000L };

		nanosleep(&ts, NULL);
		ms -= step;
	}
}
