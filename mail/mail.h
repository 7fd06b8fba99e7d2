/* The mail worker's pieces (mail/libmail.a): a message as the outbox
 * hands it over, the transports that deliver it (the Resend-compatible
 * HTTP API, or a folder of RFC 5322 files when no API key is set), the
 * configuration from the environment, and the worker loop that claims
 * rows, sends them and records each outcome (db/api_mail.h).
 *
 * Nothing here prints the API key: the configuration keeps it, the HTTP
 * transport puts it in one header, and every message for a human (logs,
 * errors, results) is built without it. libcurl's verbose mode, which
 * would print that header, is never turned on. */
#ifndef BAZAR_MAIL_MAIL_H
#define BAZAR_MAIL_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/mail_policy.h"

#define MAIL_DEFAULT_API_URL "https://api.resend.com/emails"
#define MAIL_DEFAULT_FROM "Bazar <onboarding@resend.dev>"
#define MAIL_DEFAULT_TIMEOUT_MS 10000L
#define MAIL_DEFAULT_CONNECT_TIMEOUT_MS 3000L
/* A provider's answer is a small JSON object; more than this is not one. */
#define MAIL_MAX_ANSWER_BYTES (64 * 1024)

struct mail_message {
	const char *from;
	const char *to;
	const char *subject;
	const char *text;
	const char *idempotency_key;   /* the same for every attempt at one outbox row */
};

/* One attempt's outcome. */
struct mail_result {
	struct mail_attempt attempt;   /* what mail_verdict_of judges */
	long retry_after_ms;           /* the provider's Retry-After, -1 when none */
	char message_id[128];          /* the provider's id when sent */
	char error_name[64];           /* the provider's error name, "" when none */
	char detail[320];              /* for the outbox and the log: what happened, no secret */
};

/* Where messages go, from the environment:
 *   RESEND_API_KEY                  the provider's key; unset or empty: the file transport
 *   BAZAR_MAIL_API_URL              default MAIL_DEFAULT_API_URL; https, or http to a loopback host
 *   BAZAR_MAIL_FROM                 default MAIL_DEFAULT_FROM
 *   BAZAR_MAIL_DIR                  the file transport's folder (default given by the caller)
 *   BAZAR_MAIL_TIMEOUT_MS           a whole request, 100..300000 (10000)
 *   BAZAR_MAIL_CONNECT_TIMEOUT_MS   the connection, 100..60000 (3000), at most the whole
 */
struct mail_config {
	char *api_key;                 /* NULL: the file transport */
	char *api_url;
	char *from;
	char *dir;
	long timeout_ms;
	long connect_timeout_ms;
};

/* Fill CFG from the environment; DEFAULT_DIR for BAZAR_MAIL_DIR's
 * default. BZ_ERR_INVALID_INPUT with a sentence naming the variable for a
 * bad value (the key's value is never quoted). */
bz_err mail_config_from_env(struct mail_config *cfg, const char *default_dir, char *err, size_t errlen);
void mail_config_free(struct mail_config *cfg);
/* One line for a log or a terminal: the transport and where it sends,
 * "key set" but never the key. */
void mail_config_describe(const struct mail_config *cfg, char *buf, size_t len);

/* A transport: deliver one message, fill RESULT (never BZ_OK-less
 * silence: every failure says what in RESULT->detail). */
struct mail_transport {
	void (*send)(const struct mail_config *cfg, const struct mail_message *msg, struct mail_result *result);
	const char *name;              /* "resend", "file" */
};

extern const struct mail_transport mail_transport_resend;
extern const struct mail_transport mail_transport_file;

/* libcurl's global state: once, before any thread sends. */
bz_err mail_global_init(char *err, size_t errlen);
void mail_global_cleanup(void);

#endif
