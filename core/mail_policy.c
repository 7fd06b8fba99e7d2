/* The mail worker's verdict per attempt and its backoff; see
 * mail_policy.h for the policy. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mail_policy.h"

static bool parse_http_date(const char *value, time_t *out);

enum mail_verdict
mail_verdict_of(const struct mail_attempt *attempt)
{
	long status = attempt->http_status;

	if (!attempt->answered)
		return MAIL_RETRY;
	if (status >= 200 && status <= 299)
		return attempt->has_message_id ? MAIL_SENT : MAIL_RETRY;
	if (status == 429 || status == 408 || (status >= 500 && status <= 599))
		return MAIL_RETRY;
	/* Another request with this key is still being handled (a worker
	 * whose lease ran out, say): its answer will be this one's. */
	if (status == 409 && attempt->error_name != NULL &&
	    strcmp(attempt->error_name, "concurrent_idempotent_requests") == 0)
		return MAIL_RETRY;
	return MAIL_FAILED;
}

long
mail_retry_delay_ms(int attempt, uint32_t random, long retry_after_ms)
{
	long ceiling = MAIL_BACKOFF_BASE_MS;
	long delay;

	if (attempt < 1)
		attempt = 1;
	for (int i = 1; i < attempt && ceiling < MAIL_BACKOFF_CAP_MS; i++)
		ceiling *= 2;
	if (ceiling > MAIL_BACKOFF_CAP_MS)
		ceiling = MAIL_BACKOFF_CAP_MS;
	delay = (long)(random % (uint32_t)(ceiling + 1));
	if (retry_after_ms > MAIL_RETRY_AFTER_CAP_MS)
		retry_after_ms = MAIL_RETRY_AFTER_CAP_MS;
	return retry_after_ms > delay ? retry_after_ms : delay;
}

bool
mail_parse_retry_after(const char *value, time_t now, long *ms_out)
{
	const char *p = value;
	time_t when;

	if (value == NULL)
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (isdigit((unsigned char)*p)) {
		char *end;
		long seconds;

		errno = 0;
		seconds = strtol(p, &end, 10);
		while (*end == ' ' || *end == '\t')
			end++;
		if (errno != 0 || *end != '\0' || seconds < 0)
			return false;
		*ms_out = seconds > MAIL_RETRY_AFTER_CAP_MS / 1000 ? MAIL_RETRY_AFTER_CAP_MS : seconds * 1000;
		return true;
	}
	if (!parse_http_date(p, &when))
		return false;
	if (when <= now)
		*ms_out = 0;
	else if (when - now > MAIL_RETRY_AFTER_CAP_MS / 1000)
		*ms_out = MAIL_RETRY_AFTER_CAP_MS;
	else
		*ms_out = (long)(when - now) * 1000;
	return true;
}

/* The IMF-fixdate form every HTTP/1.1 sender must use, e.g.
 * "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 5.6.7); the obsolete forms
 * are not worth a guess: no header is better than a wrong wait. */
static bool
parse_http_date(const char *value, time_t *out)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char wday[4], mon[4], zone[4], extra;
	int day, year, hour, minute, second, month = -1;
	struct tm tm;
	time_t t;

	if (strlen(value) != 29 ||
	    sscanf(value, "%3s, %2d %3s %4d %2d:%2d:%2d %3s%c", wday, &day, mon, &year, &hour, &minute,
	           &second, zone, &extra) != 8)
		return false;
	if (strcmp(zone, "GMT") != 0)
		return false;
	for (int i = 0; i < 12; i++)
		if (strcmp(mon, months[i]) == 0)
			month = i;
	if (month < 0 || day < 1 || day > 31 || year < 1970 || hour > 23 || minute > 59 || second > 60)
		return false;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = second;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*out = t;
	return true;
}

const char *
mail_verdict_name(enum mail_verdict verdict)
{
	switch (verdict) {
	case MAIL_SENT:   return "sent";
	case MAIL_RETRY:  return "retry";
	case MAIL_FAILED: return "failed";
	}
	return "failed";
}
