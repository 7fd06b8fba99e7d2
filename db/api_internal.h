/* Private to db/api_*.c: strict, table-driven parsing of API results into
 * the typed structs of db/api.h, and the blocking call shared by every
 * typed call.
 *
 * Every typed call SELECTs its columns by name from its API function, so
 * a renamed column fails at the server, and the request expects exactly
 * that many columns; each column is then parsed by type. A value that is
 * not what its type promises (a NULL where none may be, "12x" for a
 * bigint, a uuid of the wrong length) makes the whole call
 * BZ_ERR_INTERNAL with a sentence naming the column: never a crash,
 * never a half-filled struct. */
#ifndef BAZAR_DB_API_INTERNAL_H
#define BAZAR_DB_API_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "db/request.h"

/* Timestamps travel as microseconds since the epoch, computed by the
 * server, so no DateStyle or time zone setting can change their text. */
#define API_EPOCH_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
/* The reverse, for keyset parameters given as epoch microseconds. */
#define API_FROM_EPOCH_US(param) "('epoch'::timestamptz + (" param ")::bigint * interval '1 microsecond')"

/* How long a blocking typed call may take before it is cancelled. The
 * server's own lock_timeout (5 s) ends lock waits well before this. */
#define API_TIMEOUT_MS 30000

enum api_col_type {
	API_TEXT,        /* char *, owned; NULL is a malformed answer */
	API_TEXT_NULL,   /* char *, owned; SQL NULL gives NULL */
	API_UUID,        /* char[37] */
	API_UUID_NULL,   /* char[37]; SQL NULL gives "" */
	API_INT64,       /* int64_t */
	API_INT64_NULL,  /* int64_t; SQL NULL gives 0 */
	API_INT,         /* int (an integer column) */
	API_BOOL,        /* bool */
	API_BOOL_NULL,   /* bool; SQL NULL gives false */
};

struct api_col {
	enum api_col_type type;
	size_t offset;      /* of the field in the row struct */
	const char *name;   /* for error sentences */
};

#define API_COL(type, st, field) { (type), offsetof(st, field), #field }
#define API_NCOLS(cols) ((int)(sizeof(cols) / sizeof((cols)[0])))

/* Parse ROW of a DONE request into OUT (a row struct). On error OUT owns
 * nothing (whatever was copied is freed) and ERR names the column. */
bz_err api_parse_row(const struct db_request *req, int row, const struct api_col *cols,
                     int ncols, void *out, char *err, size_t errlen);

/* Parse every row into a fresh array of ROWSIZE-byte structs. On error
 * *ROWS is NULL and *COUNT 0. */
bz_err api_parse_rows(const struct db_request *req, const struct api_col *cols, int ncols,
                      size_t rowsize, void **rows, size_t *count, char *err, size_t errlen);

/* Free the owned strings of one row struct (and zero them). */
void api_free_row(const struct api_col *cols, int ncols, void *row);

/* Free an array from api_parse_rows. */
void api_free_rows(const struct api_col *cols, int ncols, size_t rowsize, void *rows, size_t count);

/* The outcome of a finished request: BZ_OK when DONE, else its error
 * copied into ERR. */
bz_err api_outcome(const struct db_request *req, char *err, size_t errlen);

/* The blocking call every typed call shares: build with BUILD(CTX), run
 * with db_call_with_retry (MAX attempts: 1 means never again), record
 * the call's facts for db_last_call, and leave the result in REQ. */
bz_err api_run(struct db_conn *conn, struct db_request *req, db_build_fn build, void *ctx,
               int max_attempts, bool replay_safe, char *err, size_t errlen);

/* What a typed call's answer is, for the generic parser. */
enum api_shape {
	API_SHAPE_NONE,  /* nothing generic to parse: only the outcome (and CHECK) */
	API_SHAPE_ROW,   /* one row parsed into OUT itself */
	API_SHAPE_LIST,  /* every row into OUT's items array and count */
	API_SHAPE_ROWS,  /* every row into a scratch array that FOLD turns into OUT */
};

/* After the generic parse succeeded: judge OUT (a business answer, an
 * unknown word). On error it leaves OUT owning nothing. */
typedef bz_err (*api_check_fn)(const struct db_request *req, void *out, char *err, size_t errlen);
/* Turn COUNT scratch ROWS into OUT, moving (and NULLing in ROWS) what it
 * keeps; the caller frees ROWS. On error it leaves OUT owning nothing. */
typedef bz_err (*api_fold_fn)(void *rows, size_t count, void *out, char *err, size_t errlen);

/* One typed call as data: its SQL, the columns of its answer, what its
 * answer fills, and whether a repeat after a lost answer is harmless. */
struct api_call {
	const char *sql;
	const struct api_col *cols;  /* NULL for API_SHAPE_NONE */
	int ncols;                   /* the answer's columns, table or not */
	enum api_shape shape;
	size_t out_size;             /* cleared before anything; 0: no OUT */
	size_t row_size;             /* LIST: an item; ROWS: a scratch row */
	size_t items_at, count_at;   /* LIST: offsets in OUT */
	api_check_fn check;
	api_fold_fn fold;
	bool replay_safe;
};

/* Designated-initializer pieces for struct api_call. */
#define API_CALL_COLS(table) .cols = (table), .ncols = API_NCOLS(table)
#define API_CALL_LIST(st, items) \
	.shape = API_SHAPE_LIST, .out_size = sizeof(st), \
	.row_size = sizeof *((st *)0)->items, \
	.items_at = offsetof(st, items), .count_at = offsetof(st, count)

/* Init REQ with CALL's SQL and PARAMS and expect its shape: one row, or
 * any number for lists. */
void api_request(struct db_request *req, const struct api_call *call, int nparams,
                 const char *const params[]);

/* The typed _result of every call: clear OUT, take the outcome, parse
 * by CALL's shape, then CHECK or FOLD. */
bz_err api_result(const struct db_request *req, const struct api_call *call, void *out,
                  char *err, size_t errlen);

/* The typed blocking call of every call: clear OUT, api_run with
 * BUILD(ARGS) and CALL's replay safety, api_result, free the request. */
bz_err api_call(struct db_conn *conn, const struct api_call *call, db_build_fn build, void *args,
                void *out, char *err, size_t errlen);

/* Free what OUT owns (ROW: its strings; LIST: its items) and zero it. */
void api_free(const struct api_call *call, void *out);

/* Format an int64 / int / bool as a text parameter into BUF. */
const char *api_int64_param(char buf[24], int64_t v);
const char *api_bool_param(bool v);

/* NULL when S is NULL or "", else S: optional text parameters. */
const char *api_opt(const char *s);

/* Find "KEY=<int>" in a DETAIL such as "version=7" or
 * "balance_cents=120, total_cents=300". */
bool api_detail_int64(const char *detail, const char *key, int64_t *out);

/* Map the SQLSTATE text the API stores in a row (e.g. the error_code of
 * a failed checkout) to bz_err; "" or NULL is BZ_OK. */
bz_err api_error_from_code(const char *sqlstate);

#endif
