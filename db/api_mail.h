/* Typed calls of the mail worker (0021, docs/api.md §15), for a
 * connection as bazar_mailer (DB_ROLE_MAILER). A claim leases due outbox
 * rows to one worker; the worker then records each row's outcome with
 * the fencing token the claim gave it, and the server answers "stale"
 * when another claim has taken the row since (the outcome is dropped). */
#ifndef BAZAR_DB_API_MAIL_H
#define BAZAR_DB_API_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "db/api.h"
#include "db/db.h"

struct db_mail {
	char outbox_id[DB_UUID_SIZE];
	int64_t fencing_token;
	int64_t attempt;           /* this attempt's number, 1 for the first */
	char *kind;                /* "order_confirmation", "wallet_topup", ... */
	char *to_address;
	char *subject;
	char *body_text;           /* as it is sent (codes added by policy) */
	char *idempotency_key;     /* the same for every attempt at this row */
	char order_id[DB_UUID_SIZE];  /* "" when none */
	int64_t created_us;
};

struct db_mails {
	struct db_mail *items;     /* oldest first */
	size_t count;
};

/* api_mail_claim: up to LIMIT (1..1000) due messages for WORKER, each
 * leased for LEASE_S (5..3600) seconds. Not replayed after a lost
 * answer: rows claimed by a lost answer come back when their lease ends. */
bz_err db_mail_claim(struct db_conn *conn, const char *worker, int limit, int lease_s,
                     struct db_mails *out, char *err, size_t errlen);
void db_mails_free(struct db_mails *out);

/* What the server did with an outcome. */
enum db_mail_record {
	DB_MAIL_RECORDED,          /* sent / retry / failed as asked (retry may say failed: attempts spent) */
	DB_MAIL_GAVE_UP,           /* a retry past mail_max_attempts: the row is failed */
	DB_MAIL_STALE,             /* the worker no longer owns the row: nothing changed */
};

/* api_mail_sent / api_mail_retry / api_mail_fail for the row MAIL (its id
 * and fencing token). Safe to repeat: a repeat of a recorded outcome is
 * answered stale. */
bz_err db_mail_sent(struct db_conn *conn, const struct db_mail *mail, const char *provider_message_id,
                    enum db_mail_record *out, char *err, size_t errlen);
bz_err db_mail_retry(struct db_conn *conn, const struct db_mail *mail, const char *error, long delay_ms,
                     enum db_mail_record *out, char *err, size_t errlen);
bz_err db_mail_fail(struct db_conn *conn, const struct db_mail *mail, const char *error,
                    enum db_mail_record *out, char *err, size_t errlen);

#endif
