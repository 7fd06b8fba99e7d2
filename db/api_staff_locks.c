/* Typed calls for the console's Locks screen (0014): the backends that
 * wait, block or sit in a transaction, the counters behind its sparklines,
 * and cancelling or terminating one of Bazar's own backends. The two
 * reads are safe to run again; the signal is not (a repeat could cancel
 * the backend's next query). See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/xalloc.h"
#include "db/api_internal.h"

struct locks_args {
	const char *token;
	int pid;
	bool terminate;
};

static void build_locks(struct db_request *req, void *ctx);
static void build_lock_stats(struct db_request *req, void *ctx);
static void build_signal(struct db_request *req, void *ctx);
static bz_err locks_check(const struct db_request *req, void *out, char *err, size_t errlen);
static bool parse_pids(const char *text, int **pids, size_t *count);

/* Ages travel as -1 when there is none (the SQL's NULL), so 0 ms stays a
 * real age; blocked_by as its pids joined by blanks. */
static const char locks_sql[] =
	"SELECT pid, array_to_string(blocked_by, ' '), waiting, coalesce(wait_ms, -1), lock_type,"
	" lock_mode, relation, state, coalesce(xact_ms, -1), " API_EPOCH_US("query_start") ","
	" coalesce(query_ms, -1), query, application_name, usename FROM api_staff_locks($1)";
static const struct api_col locks_cols[] = {
	API_COL(API_INT, struct db_lock_backend, pid),
	API_COL(API_TEXT, struct db_lock_backend, blocked_by_list),
	API_COL(API_BOOL, struct db_lock_backend, waiting),
	API_COL(API_INT64, struct db_lock_backend, wait_ms),
	API_COL(API_TEXT_NULL, struct db_lock_backend, lock_type),
	API_COL(API_TEXT_NULL, struct db_lock_backend, lock_mode),
	API_COL(API_TEXT_NULL, struct db_lock_backend, relation),
	API_COL(API_TEXT_NULL, struct db_lock_backend, state),
	API_COL(API_INT64, struct db_lock_backend, xact_ms),
	API_COL(API_INT64_NULL, struct db_lock_backend, query_start_us),
	API_COL(API_INT64, struct db_lock_backend, query_ms),
	API_COL(API_TEXT_NULL, struct db_lock_backend, query),
	API_COL(API_TEXT_NULL, struct db_lock_backend, application_name),
	API_COL(API_TEXT_NULL, struct db_lock_backend, usename),
};
static const struct api_call locks_call = {
	.sql = locks_sql, API_CALL_COLS(locks_cols), API_CALL_LIST(struct db_lock_backends, items),
	.check = locks_check, .replay_safe = true,
};

static const char lock_stats_sql[] =
	"SELECT deadlocks, waiting, blocking, idle_in_transaction, longest_xact_ms, sees_all,"
	" can_signal FROM api_staff_lock_stats($1)";
static const struct api_col lock_stats_cols[] = {
	API_COL(API_INT64, struct db_lock_stats, deadlocks),
	API_COL(API_INT, struct db_lock_stats, waiting),
	API_COL(API_INT, struct db_lock_stats, blocking),
	API_COL(API_INT, struct db_lock_stats, idle_in_transaction),
	API_COL(API_INT64, struct db_lock_stats, longest_xact_ms),
	API_COL(API_BOOL, struct db_lock_stats, sees_all),
	API_COL(API_BOOL, struct db_lock_stats, can_signal),
};
static const struct api_call lock_stats_call = {
	.sql = lock_stats_sql, API_CALL_COLS(lock_stats_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_lock_stats), .replay_safe = true,
};

static const char signal_sql[] =
	"SELECT pid, action, signalled, usename, application_name, " API_EPOCH_US("started_at")
	" FROM api_staff_signal_backend($1, $2::integer, $3::boolean)";
static const struct api_col signal_cols[] = {
	API_COL(API_INT, struct db_backend_signal, pid),
	API_COL(API_TEXT, struct db_backend_signal, action),
	API_COL(API_BOOL, struct db_backend_signal, signalled),
	API_COL(API_TEXT_NULL, struct db_backend_signal, usename),
	API_COL(API_TEXT_NULL, struct db_backend_signal, application_name),
	API_COL(API_INT64, struct db_backend_signal, started_us),
};
/* Not replayed: the backend may be running its next query by then. */
static const struct api_call signal_call = {
	.sql = signal_sql, API_CALL_COLS(signal_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_backend_signal),
};

void
db_staff_locks_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &locks_call, 1, params);
}

bz_err
db_staff_locks_result(const struct db_request *req, struct db_lock_backends *out, char *err,
                      size_t errlen)
{
	return api_result(req, &locks_call, out, err, errlen);
}

/* Build api_staff_locks from struct locks_args. */
static void
build_locks(struct db_request *req, void *ctx)
{
	const struct locks_args *a = ctx;

	db_staff_locks_request(req, a->token);
}

bz_err
db_staff_locks(struct db_conn *conn, const char *token, struct db_lock_backends *out, char *err,
               size_t errlen)
{
	struct locks_args args = { token, 0, false };

	return api_call(conn, &locks_call, build_locks, &args, out, err, errlen);
}

/* The pids in every row's blocked_by_list, as numbers. On a malformed
 * list the whole answer is refused and OUT owns nothing. */
static bz_err
locks_check(const struct db_request *req, void *out, char *err, size_t errlen)
{
	struct db_lock_backends *list = out;

	(void)req;
	for (size_t i = 0; i < list->count; i++) {
		struct db_lock_backend *b = &list->items[i];

		if (!parse_pids(b->blocked_by_list, &b->blocked_by, &b->nblocked_by)) {
			snprintf(err, errlen, "api_staff_locks: blocked_by of pid %d is not a list of pids",
			         b->pid);
			db_lock_backends_free(list);
			return BZ_ERR_INTERNAL;
		}
	}
	return BZ_OK;
}

/* "812 913" into a fresh array (NULL and 0 for ""). False on anything
 * but blank-separated positive integers. */
static bool
parse_pids(const char *text, int **pids, size_t *count)
{
	size_t n = 0, cap = 0;
	int *out = NULL;
	const char *p = text;

	*pids = NULL;
	*count = 0;
	while (*p != '\0') {
		char *end;
		long v;

		if (*p == ' ') {
			p++;
			continue;
		}
		errno = 0;
		v = strtol(p, &end, 10);
		if (end == p || errno != 0 || v < 0 || v > INT_MAX || (*end != ' ' && *end != '\0')) {
			free(out);
			return false;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			out = xrealloc(out, cap * sizeof *out);
		}
		out[n++] = (int)v;
		p = end;
	}
	*pids = out;
	*count = n;
	return true;
}

void
db_lock_backends_free(struct db_lock_backends *out)
{
	for (size_t i = 0; i < out->count; i++) {
		free(out->items[i].blocked_by);
		out->items[i].blocked_by = NULL;
		out->items[i].nblocked_by = 0;
	}
	api_free(&locks_call, out);
}

void
db_staff_lock_stats_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &lock_stats_call, 1, params);
}

bz_err
db_staff_lock_stats_result(const struct db_request *req, struct db_lock_stats *out, char *err,
                           size_t errlen)
{
	return api_result(req, &lock_stats_call, out, err, errlen);
}

/* Build api_staff_lock_stats from struct locks_args. */
static void
build_lock_stats(struct db_request *req, void *ctx)
{
	const struct locks_args *a = ctx;

	db_staff_lock_stats_request(req, a->token);
}

bz_err
db_staff_lock_stats(struct db_conn *conn, const char *token, struct db_lock_stats *out, char *err,
                    size_t errlen)
{
	struct locks_args args = { token, 0, false };

	return api_call(conn, &lock_stats_call, build_lock_stats, &args, out, err, errlen);
}

void
db_staff_signal_backend_request(struct db_request *req, const char *token, int pid, bool terminate)
{
	char pid_buf[24];
	const char *params[] = { token, api_int64_param(pid_buf, pid), api_bool_param(terminate) };

	api_request(req, &signal_call, 3, params);
}

bz_err
db_staff_signal_backend_result(const struct db_request *req, struct db_backend_signal *out,
                               char *err, size_t errlen)
{
	return api_result(req, &signal_call, out, err, errlen);
}

/* Build api_staff_signal_backend from struct locks_args. */
static void
build_signal(struct db_request *req, void *ctx)
{
	const struct locks_args *a = ctx;

	db_staff_signal_backend_request(req, a->token, a->pid, a->terminate);
}

bz_err
db_staff_signal_backend(struct db_conn *conn, const char *token, int pid, bool terminate,
                        struct db_backend_signal *out, char *err, size_t errlen)
{
	struct locks_args args = { token, pid, terminate };

	return api_call(conn, &signal_call, build_signal, &args, out, err, errlen);
}

void
db_backend_signal_free(struct db_backend_signal *out)
{
	api_free(&signal_call, out);
}
