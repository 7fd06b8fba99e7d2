/* The mail worker's configuration from the environment; see mail.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"
#include "mail/mail.h"

static bz_err env_ms(const char *name, long def, long min, long max, long *out, char *err, size_t errlen);
static bool url_acceptable(const char *url);
static bool loopback_host(const char *host, size_t len);

bz_err
mail_config_from_env(struct mail_config *cfg, const char *default_dir, char *err, size_t errlen)
{
	const char *key = getenv("RESEND_API_KEY");
	const char *url = getenv("BAZAR_MAIL_API_URL");
	const char *from = getenv("BAZAR_MAIL_FROM");
	const char *dir = getenv("BAZAR_MAIL_DIR");
	bz_err rc;

	memset(cfg, 0, sizeof *cfg);
	if (url == NULL || url[0] == '\0')
		url = MAIL_DEFAULT_API_URL;
	if (!url_acceptable(url)) {
		snprintf(err, errlen, "BAZAR_MAIL_API_URL must be an https:// URL, or http:// to 127.0.0.1, "
		         "::1 or localhost (the API key travels in it), not '%.200s'", url);
		return BZ_ERR_INVALID_INPUT;
	}
	if (from == NULL || from[0] == '\0')
		from = MAIL_DEFAULT_FROM;
	for (const unsigned char *p = (const unsigned char *)from; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "BAZAR_MAIL_FROM holds a control character");
			return BZ_ERR_INVALID_INPUT;
		}
	if (strchr(from, '@') == NULL) {
		snprintf(err, errlen, "BAZAR_MAIL_FROM needs an e-mail address, e.g. 'Shop <shop@example.com>', "
		         "not '%.200s'", from);
		return BZ_ERR_INVALID_INPUT;
	}
	if (dir == NULL || dir[0] == '\0')
		dir = default_dir;
	if (dir == NULL || dir[0] == '\0') {
		snprintf(err, errlen, "no folder for the file transport: set BAZAR_MAIL_DIR");
		return BZ_ERR_INVALID_INPUT;
	}
	if ((rc = env_ms("BAZAR_MAIL_TIMEOUT_MS", MAIL_DEFAULT_TIMEOUT_MS, 100, 300000, &cfg->timeout_ms,
	                 err, errlen)) != BZ_OK)
		return rc;
	if ((rc = env_ms("BAZAR_MAIL_CONNECT_TIMEOUT_MS", MAIL_DEFAULT_CONNECT_TIMEOUT_MS, 100, 60000,
	                 &cfg->connect_timeout_ms, err, errlen)) != BZ_OK)
		return rc;
	if (cfg->connect_timeout_ms > cfg->timeout_ms)
		cfg->connect_timeout_ms = cfg->timeout_ms;
	if (key != NULL && key[0] != '\0') {
		for (const unsigned char *p = (const unsigned char *)key; *p; p++)
			if (*p <= 0x20 || *p >= 0x7f) {
				/* Never quoted: it is a secret. */
				snprintf(err, errlen, "RESEND_API_KEY holds a space, a control or a non-ASCII "
				         "character; an API key is printable ASCII");
				return BZ_ERR_INVALID_INPUT;
			}
		cfg->api_key = xstrdup(key);
	}
	cfg->api_url = xstrdup(url);
	cfg->from = xstrdup(from);
	cfg->dir = xstrdup(dir);
	return BZ_OK;
}

void
mail_config_free(struct mail_config *cfg)
{
	if (cfg->api_key) {
		memset(cfg->api_key, 0, strlen(cfg->api_key));
		free(cfg->api_key);
	}
	free(cfg->api_url);
	free(cfg->from);
	free(cfg->dir);
	memset(cfg, 0, sizeof *cfg);
}

void
mail_config_describe(const struct mail_config *cfg, char *buf, size_t len)
{
	if (cfg->api_key)
		snprintf(buf, len, "sending through %s (key set), from %s, timeout %ld ms", cfg->api_url, cfg->from,
		         cfg->timeout_ms);
	else
		snprintf(buf, len, "no RESEND_API_KEY: writing each message to %s, from %s", cfg->dir, cfg->from);
}

/* A whole number of milliseconds from NAME, in MIN..MAX, else DEF. */
static bz_err
env_ms(const char *name, long def, long min, long max, long *out, char *err, size_t errlen)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || v[0] == '\0') {
		*out = def;
		return BZ_OK;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
		snprintf(err, errlen, "%s must be a whole number of milliseconds from %ld to %ld, not '%.40s'",
		         name, min, max, v);
		return BZ_ERR_INVALID_INPUT;
	}
	*out = n;
	return BZ_OK;
}

/* https anywhere; plain http only to this machine, where no one can read
 * the key on the way (the tests' local endpoint). */
static bool
url_acceptable(const char *url)
{
	const char *host, *end;

	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
	if (strncasecmp(url, "https://", 8) == 0)
		return url[8] != '\0' && url[8] != '/';
	if (strncasecmp(url, "http://", 7) != 0)
		return false;
	host = url + 7;
	if (*host == '[') {
		end = strchr(host, ']');
		return end != NULL && loopback_host(host + 1, (size_t)(end - host - 1));
	}
	end = host + strcspn(host, ":/");
	return loopback_host(host, (size_t)(end - host));
}

static bool
loopback_host(const char *host, size_t len)
{
	return (len == 9 && strncmp(host, "127.0.0.1", 9) == 0) || (len == 3 && strncmp(host, "::1", 3) == 0) ||
	       (len == 9 && strncasecmp(host, "localhost", 9) == 0);
}
