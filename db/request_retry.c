/* Running a whole call again after a transient failure: the decision is
 * core/retry's, this file only applies it (reset, sleep, rebuild, run). */
#include "config.h"
#include "db/request.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/log.h"
#include "core/retry.h"
#include "db/db_internal.h"

static uint32_t jitter_bits(void);
static void sleep_ms(long ms);

/* 32 random bits for the backoff jitter; a clock fallback is good enough
 * for spreading clients apart. */
static uint32_t
jitter_bits(void)
{
	uint32_t bits;
	struct timespec ts;

	if (getrandom(&bits, sizeof bits, GRND_NONBLOCK) == (ssize_t)sizeof bits)
		return bits;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec;
}

/* Sleep MS milliseconds, resuming after signals. */
static void
sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bz_err
db_call_with_retry(struct db_conn *conn, struct db_request *req, db_build_fn build, void *ctx,
                   int max_attempts, bool replay_safe, int timeout_ms, int *attempts)
{
	bz_err rc = BZ_OK;
	int attempt = 0;

	for (;;) {
		enum retry_decision decision;
		char reset_err[256];

		attempt++;
		db_request_free(req);
		build(req, ctx);
		req->attempt = attempt;
		rc = db_request_run(conn, req, timeout_ms);
		if (rc == BZ_OK)
			break;
		decision = retry_decide(rc, attempt, max_attempts);
		/* The server may have committed a call whose answer was lost:
		 * only a call that is harmless to repeat goes again. The
		 * connection is reset either way, so the caller can go on. */
		if (rc == BZ_ERR_CONNECTION && !replay_safe)
			decision = RETRY_STOP;
		if (rc == BZ_ERR_CONNECTION &&
		    db_reset(conn, reset_err, sizeof reset_err) != BZ_OK &&
		    decision == RETRY_RECONNECT)
			bz_log(LOG_WARN, "retry %d: %s", attempt, reset_err);
		if (decision == RETRY_STOP)
			break;
		bz_log(LOG_INFO, "attempt %d failed (%s, %s): %s", attempt, bz_err_name(rc),
		       retry_decision_name(decision), req->message);
		sleep_ms(retry_backoff_ms(attempt, jitter_bits()));
	}
	if (attempts)
		*attempts = attempt;
	return rc;
}
