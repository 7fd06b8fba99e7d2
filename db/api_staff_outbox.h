/* Typed calls of the console's Outbox view (0021, docs/api.md §15), for a
 * staff session: the list of messages, the counts per status and a
 * failed message tried again. All three are safe to run again: the list
 * and the counts are reads, and a second retry of a row the first one
 * made pending is refused by the server (ZB008), which the result below
 * reports as "refused, the message is pending" rather than an error. */
#ifndef BAZAR_DB_API_STAFF_OUTBOX_H
#define BAZAR_DB_API_STAFF_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "db/api.h"
#include "db/request.h"

struct db_conn;

/* One message of the outbox as staff see it (no body: it may name what a
 * customer bought). */
struct db_outbox_message {
	char outbox_id[DB_UUID_SIZE];
	char *kind;                /* "order_confirmation", "wallet_topup", ... */
	char *to_address;
	char *subject;
	char *status;              /* "pending", "sending", "sent", "failed" */
	int64_t attempts;
	int64_t next_attempt_us;   /* 0: none */
	int64_t lease_until_us;    /* 0: no lease */
	char *claimed_by;          /* the worker holding the lease; NULL: none */
	char *provider_message_id; /* NULL until sent */
	char *last_error;          /* NULL: no attempt went wrong */
	char order_id[DB_UUID_SIZE];  /* "" for a message about no order */
	int64_t created_us;
	int64_t sent_us;           /* 0: not sent */
};

struct db_outbox_messages {
	struct db_outbox_message *items;  /* newest first */
	size_t count;
};

/* api_staff_outbox: up to LIMIT (1..1000) messages, newest first, of
 * STATUS ("pending", "sending", "sent", "failed") or of every status
 * (NULL). A read: replayed. */
void db_staff_outbox_request(struct db_request *req, const char *token, const char *status, int limit);
bz_err db_staff_outbox_result(const struct db_request *req, struct db_outbox_messages *out, char *err,
                              size_t errlen);
bz_err db_staff_outbox(struct db_conn *conn, const char *token, const char *status, int limit,
                       struct db_outbox_messages *out, char *err, size_t errlen);
void db_outbox_messages_free(struct db_outbox_messages *out);

/* The outbox at one instant. */
struct db_outbox_counts {
	int64_t pending, sending, sent, failed;
	int64_t oldest_pending_age_s;  /* by the server's clock; 0 when none is pending */
	int64_t sent_last_hour;
	int64_t failed_last_hour;      /* failed rows whose last attempt was in the hour */
};

/* api_staff_outbox_counts. A read: replayed. */
void db_staff_outbox_counts_request(struct db_request *req, const char *token);
bz_err db_staff_outbox_counts_result(const struct db_request *req, struct db_outbox_counts *out,
                                     char *err, size_t errlen);
bz_err db_staff_outbox_counts(struct db_conn *conn, const char *token, struct db_outbox_counts *out,
                              char *err, size_t errlen);

/* What a retry did. */
struct db_outbox_retry {
	char outbox_id[DB_UUID_SIZE];
	char *status;              /* "pending" when done; when refused, the status it has */
	int64_t attempts;          /* kept from the failed attempts (0 when refused) */
	bool refused;              /* the message was not failed: nothing changed */
};

/* api_staff_outbox_retry: the failed message OUTBOX_ID back to pending
 * (audited as outbox.retried). BZ_OK with OUT->refused when the message
 * is not failed (a repeat of a retry finds it pending); BZ_ERR_NOT_FOUND
 * for an unknown id. Safe to repeat: replayed. */
void db_staff_outbox_retry_request(struct db_request *req, const char *token, const char *outbox_id);
bz_err db_staff_outbox_retry_result(const struct db_request *req, struct db_outbox_retry *out,
                                    char *err, size_t errlen);
bz_err db_staff_outbox_retry(struct db_conn *conn, const char *token, const char *outbox_id,
                             struct db_outbox_retry *out, char *err, size_t errlen);
void db_outbox_retry_free(struct db_outbox_retry *out);

#endif
