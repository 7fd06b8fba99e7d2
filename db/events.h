/* The clients' own call timings (0017_client_events): every API call a
 * connection runs leaves one event in memory on that connection (the
 * function's name, an outcome class, the SQLSTATE, the elapsed time, the
 * attempt number; never a token or any argument), and the events go to
 * the database in batches, in a statement of their own, outside any
 * business transaction: at most about once a second (DB_EVENTS_FLUSH_MS),
 * or sooner when DB_EVENTS_MAX are waiting. A flush that fails drops its
 * batch with one debug line in the log: the timings are never worth
 * failing or slowing a business call for.
 *
 * Recording is per connection and on by default; BAZAR_CLIENT_EVENTS=0
 * turns it off (1 or unset: on; anything else makes db_connect refuse
 * with a sentence naming the variable).
 *
 * Blocking callers (the typed db_X() calls) flush by themselves after a
 * call and in db_close. The terminal drives its connection without
 * blocking: it asks db_events_flush_request for a batch when no call is
 * in flight and runs it like any other request. */
#ifndef BAZAR_DB_EVENTS_H
#define BAZAR_DB_EVENTS_H

#include <stdbool.h>

#include "db/request.h"

#define DB_EVENTS_MAX 64
#define DB_EVENTS_FLUSH_MS 1000

struct db_conn;

/* Is a batch due on CONN (recording on, events waiting, DB_EVENTS_FLUSH_MS
 * since the last flush or the buffer full, no request in flight, no
 * transaction open)? Then move the events into REQ (a fresh request, to
 * be started on CONN) and return true; the buffer is empty afterwards
 * whatever becomes of REQ. FORCE: due whenever events wait. */
bool db_events_flush_request(struct db_conn *conn, struct db_request *req, bool force);

/* A flush request ended: log a failure once, at debug level. */
void db_events_flush_done(const struct db_request *req);

/* Blocking flush of a due batch (or of every waiting event when FORCE),
 * for the typed calls and db_close. A lost connection is reset so that
 * the next business call finds it working. */
void db_events_flush_blocking(struct db_conn *conn, bool force);

/* REQ's call was answered but the answer is the shop's refusal (a
 * checkout stored as failed with SQLSTATE, e.g. ZB001 sold out): mark
 * its event refused, if it is still waiting in memory. REQ's connection
 * must still be open. */
void db_events_refused(const struct db_request *req, const char *sqlstate);

#endif
