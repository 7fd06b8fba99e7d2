/* The retry decision and the backoff; see retry.h for the policy. */
#include "config.h"
#include "core/retry.h"

/* The whitelist of transient errors. */
bool
retry_is_transient(bz_err err)
{
	switch (err) {
	case BZ_ERR_RETRYABLE:
	case BZ_ERR_LOCK_TIMEOUT:
	case BZ_ERR_CONNECTION:
		return true;
	default:
		return false;
	}
}

/* Transient and attempts left: again (after a reset for a lost
 * connection); anything else: stop. */
enum retry_decision
retry_decide(bz_err err, int attempt, int max_attempts)
{
	if (attempt < 1 || max_attempts < 1 || attempt >= max_attempts)
		return RETRY_STOP;
	if (!retry_is_transient(err))
		return RETRY_STOP;
	return err == BZ_ERR_CONNECTION ? RETRY_RECONNECT : RETRY_AGAIN;
}

/* Full jitter under an exponential ceiling. The doubling stops at the
 * cap, so a huge ATTEMPT never shifts past the width of a long. */
long
retry_backoff_ms(int attempt, uint32_t random)
{
	long ceiling = RETRY_BACKOFF_BASE_MS;

	for (int n = 1; n < attempt && ceiling < RETRY_BACKOFF_CAP_MS; n++)
		ceiling *= 2;
	if (ceiling > RETRY_BACKOFF_CAP_MS)
		ceiling = RETRY_BACKOFF_CAP_MS;
	return (long)(random % (uint32_t)(ceiling + 1));
}

/* Name of a decision. */
const char *
retry_decision_name(enum retry_decision d)
{
	switch (d) {
	case RETRY_STOP:      return "stop";
	case RETRY_AGAIN:     return "again";
	case RETRY_RECONNECT: return "reconnect";
	}
	return "?";
}
