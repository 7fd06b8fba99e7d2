/* The mail worker's loop: claim due outbox rows (db/api_mail.h), send
 * each through a transport (mail/mail.h), judge the attempt
 * (core/mail_policy.h) and record the outcome with the claim's fencing
 * token. Several workers (processes) may run against one outbox: the
 * claim's SKIP LOCKED keeps them on different rows, and a worker that
 * dies leaves its rows to the others when its lease runs out. */
#ifndef BAZAR_MAIL_WORKER_H
#define BAZAR_MAIL_WORKER_H

#include <signal.h>
#include <stdbool.h>

#include "core/error.h"
#include "db/db.h"
#include "mail/mail.h"

#define MAIL_WORKER_MAX_BATCH 100

struct mail_worker_options {
	const char *name;          /* claimed_by: e.g. "mail@host:pid" */
	int batch;                 /* rows per claim, 1..MAIL_WORKER_MAX_BATCH */
	int lease_s;               /* 5..3600; must outlast a batch of timeouts (checked) */
	bool once;                 /* stop when a claim finds nothing due */
	int idle_ms;               /* the wait between claims that found nothing */
	volatile sig_atomic_t *stop;  /* set (by a signal handler) to stop after the message in hand */
};

struct mail_worker_stats {
	long claimed, sent, retried, failed, gave_up, stale, released;
};

/* Whether OPTS can work with CFG: the lease must outlast BATCH requests
 * that each take the whole timeout, or a slow provider would let another
 * worker take rows this one is still sending. */
bz_err mail_worker_check(const struct mail_worker_options *opts, const struct mail_config *cfg, char *err,
                         size_t errlen);

/* Run until *STOP, or (ONCE) until nothing is due. BZ_OK, or the
 * database error that ended it (rows in hand come back to the queue when
 * their lease ends). */
bz_err mail_worker_run(struct db_conn *conn, const struct mail_config *cfg, const struct mail_transport *transport,
                       const struct mail_worker_options *opts, struct mail_worker_stats *stats, char *err,
                       size_t errlen);

#endif
