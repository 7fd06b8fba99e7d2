/* Shared machinery of the typed calls: strict result parsing, the
 * blocking call with retry, parameter formatting; see api_internal.h. */
#include "config.h"
#include "db/api.h"
#include "db/api_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/retry.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "db/db_internal.h"

static bz_err parse_int64(const char *text, int64_t *out);
static bz_err parse_cell(const struct api_col *col, const char *text, void *row);
static void clear_out(const struct api_call *call, void *out);
static bz_err parse_list(const struct db_request *req, const struct api_call *call, void *out,
                         char *err, size_t errlen);
static bz_err parse_folded(const struct db_request *req, const struct api_call *call, void *out,
                           char *err, size_t errlen);

/* A whole decimal number, nothing else. */
static bz_err
parse_int64(const char *text, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0')
		return BZ_ERR_INTERNAL;
	*out = (int64_t)v;
	return BZ_OK;
}

/* Store TEXT (NULL for SQL NULL) into ROW's field described by COL. */
static bz_err
parse_cell(const struct api_col *col, const char *text, void *row)
{
	char *field = (char *)row + col->offset;
	int64_t v;

	if (text == NULL) {
		/* Only the _NULL types take a NULL, each as its documented
		 * empty value. */
		switch (col->type) {
		case API_TEXT_NULL:
			*(char **)(void *)field = NULL;
			return BZ_OK;
		case API_UUID_NULL:
			field[0] = '\0';
			return BZ_OK;
		case API_INT64_NULL:
			*(int64_t *)(void *)field = 0;
			return BZ_OK;
		case API_BOOL_NULL:
			*(bool *)(void *)field = false;
			return BZ_OK;
		case API_TEXT:
		case API_UUID:
		case API_INT64:
		case API_INT:
		case API_BOOL:
			break;
		}
		return BZ_ERR_INTERNAL;
	}
	switch (col->type) {
	case API_TEXT:
	case API_TEXT_NULL:
		*(char **)(void *)field = xstrdup(text);
		return BZ_OK;
	case API_UUID:
	case API_UUID_NULL:
		return uuid_canonical(text, field) ? BZ_OK : BZ_ERR_INTERNAL;
	case API_INT64:
	case API_INT64_NULL:
		if (parse_int64(text, &v) != BZ_OK)
			return BZ_ERR_INTERNAL;
		*(int64_t *)(void *)field = v;
		return BZ_OK;
	case API_INT:
		if (parse_int64(text, &v) != BZ_OK || v < INT32_MIN || v > INT32_MAX)
			return BZ_ERR_INTERNAL;
		*(int *)(void *)field = (int)v;
		return BZ_OK;
	case API_BOOL:
	case API_BOOL_NULL:
		if (strcmp(text, "t") != 0 && strcmp(text, "f") != 0)
			return BZ_ERR_INTERNAL;
		*(bool *)(void *)field = text[0] == 't';
		return BZ_OK;
	}
	return BZ_ERR_INTERNAL;
}

bz_err
api_parse_row(const struct db_request *req, int row, const struct api_col *cols, int ncols,
              void *out, char *err, size_t errlen)
{
	if (req->state != DB_REQ_DONE || req->ncols != ncols || row < 0 || row >= req->nrows) {
		snprintf(err, errlen, "the server's answer has %d columns and %d rows; expected %d "
		         "columns and row %d", req->ncols, req->nrows, ncols, row);
		return BZ_ERR_INTERNAL;
	}
	for (int c = 0; c < ncols; c++) {
		if (parse_cell(&cols[c], db_request_value(req, row, c), out) != BZ_OK) {
			const char *v = db_request_value(req, row, c);
			/* Free what the earlier columns copied, and only that. */
			api_free_row(cols, c, out);
			snprintf(err, errlen, "the server returned a malformed %s (%.40s) in row %d",
			         cols[c].name, v ? v : "NULL", row);
			return BZ_ERR_INTERNAL;
		}
	}
	return BZ_OK;
}

bz_err
api_parse_rows(const struct db_request *req, const struct api_col *cols, int ncols,
               size_t rowsize, void **rows, size_t *count, char *err, size_t errlen)
{
	char *array;
	bz_err rc = BZ_OK;
	size_t n = 0;

	*rows = NULL;
	*count = 0;
	if (req->state != DB_REQ_DONE || req->ncols != ncols) {
		snprintf(err, errlen, "the server's answer has %d columns; expected %d",
		         req->ncols, ncols);
		return BZ_ERR_INTERNAL;
	}
	array = xcalloc((size_t)req->nrows + 1, rowsize);
	for (int r = 0; r < req->nrows; r++) {
		rc = api_parse_row(req, r, cols, ncols, array + (size_t)r * rowsize, err, errlen);
		if (rc != BZ_OK)
			break;
		n++;
	}
	if (rc != BZ_OK) {
		api_free_rows(cols, ncols, rowsize, array, n);
		return rc;
	}
	*rows = array;
	*count = n;
	return BZ_OK;
}

void
api_free_row(const struct api_col *cols, int ncols, void *row)
{
	for (int c = 0; c < ncols; c++) {
		char **field = (char **)(void *)((char *)row + cols[c].offset);

		if (cols[c].type == API_TEXT || cols[c].type == API_TEXT_NULL) {
			free(*field);
			*field = NULL;
		}
	}
}

void
api_free_rows(const struct api_col *cols, int ncols, size_t rowsize, void *rows, size_t count)
{
	if (rows == NULL)
		return;
	for (size_t r = 0; r < count; r++)
		api_free_row(cols, ncols, (char *)rows + r * rowsize);
	free(rows);
}

bz_err
api_outcome(const struct db_request *req, char *err, size_t errlen)
{
	return db_request_error(req, err, errlen);
}

bz_err
api_run(struct db_conn *conn, struct db_request *req, db_build_fn build, void *ctx,
        int max_attempts, bool replay_safe, char *err, size_t errlen)
{
	struct db_call_info *info = &conn->last_call;
	int attempts = 0;
	bz_err rc;

	/* The timings of earlier calls, if a batch is due: between two
	 * calls, so outside any business transaction. */
	db_events_flush_blocking(conn, false);
	rc = db_call_with_retry(conn, req, build, ctx, max_attempts, replay_safe, API_TIMEOUT_MS,
	                        &attempts);
	memset(info, 0, sizeof *info);
	info->err = rc;
	info->attempts = attempts;
	info->elapsed_us = db_request_elapsed_us(req);
	if (rc != BZ_OK) {
		snprintf(info->sqlstate, sizeof info->sqlstate, "%s", req->sqlstate);
		snprintf(info->detail, sizeof info->detail, "%s", req->detail);
		db_request_error(req, err, errlen);
	}
	return rc;
}

void
api_request(struct db_request *req, const struct api_call *call, int nparams,
            const char *const params[])
{
	bool many = call->shape == API_SHAPE_LIST || call->shape == API_SHAPE_ROWS;

	db_request_init(req, call->sql, nparams, params);
	db_request_expect(req, call->ncols, many ? DB_ANY : 1);
}

/* Zero OUT so that it owns nothing, whatever happens next. */
static void
clear_out(const struct api_call *call, void *out)
{
	if (out != NULL && call->out_size > 0)
		memset(out, 0, call->out_size);
}

/* Parse every row into OUT's items and count. The array is stored with
 * memcpy: OUT's field is a typed pointer, not a void *. */
static bz_err
parse_list(const struct db_request *req, const struct api_call *call, void *out, char *err,
           size_t errlen)
{
	void *rows = NULL;
	size_t count = 0;
	bz_err rc;

	rc = api_parse_rows(req, call->cols, call->ncols, call->row_size, &rows, &count, err, errlen);
	memcpy((char *)out + call->items_at, &rows, sizeof rows);
	memcpy((char *)out + call->count_at, &count, sizeof count);
	return rc;
}

/* Parse every row into scratch rows, FOLD them into OUT, free the rest. */
static bz_err
parse_folded(const struct db_request *req, const struct api_call *call, void *out, char *err,
             size_t errlen)
{
	void *rows = NULL;
	size_t count = 0;
	bz_err rc;

	rc = api_parse_rows(req, call->cols, call->ncols, call->row_size, &rows, &count, err, errlen);
	if (rc != BZ_OK)
		return rc;
	rc = call->fold(rows, count, out, err, errlen);
	api_free_rows(call->cols, call->ncols, call->row_size, rows, count);
	return rc;
}

bz_err
api_result(const struct db_request *req, const struct api_call *call, void *out, char *err,
           size_t errlen)
{
	bz_err rc = api_outcome(req, err, errlen);

	clear_out(call, out);
	if (rc != BZ_OK)
		return rc;
	switch (call->shape) {
	case API_SHAPE_NONE:
		break;
	case API_SHAPE_ROW:
		rc = api_parse_row(req, 0, call->cols, call->ncols, out, err, errlen);
		break;
	case API_SHAPE_LIST:
		rc = parse_list(req, call, out, err, errlen);
		break;
	case API_SHAPE_ROWS:
		return parse_folded(req, call, out, err, errlen);
	}
	if (rc == BZ_OK && call->check != NULL)
		rc = call->check(req, out, err, errlen);
	return rc;
}

bz_err
api_call(struct db_conn *conn, const struct api_call *call, db_build_fn build, void *args,
         void *out, char *err, size_t errlen)
{
	struct db_request req = { 0 };
	bz_err rc;

	clear_out(call, out);
	rc = api_run(conn, &req, build, args, RETRY_DEFAULT_MAX_ATTEMPTS, call->replay_safe, err,
	             errlen);
	if (rc == BZ_OK)
		rc = api_result(&req, call, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
api_free(const struct api_call *call, void *out)
{
	void *rows;
	size_t count;

	if (call->shape != API_SHAPE_LIST) {
		api_free_row(call->cols, call->ncols, out);
		return;
	}
	memcpy(&rows, (char *)out + call->items_at, sizeof rows);
	memcpy(&count, (char *)out + call->count_at, sizeof count);
	api_free_rows(call->cols, call->ncols, call->row_size, rows, count);
	clear_out(call, out);
}

void
db_last_call(const struct db_conn *conn, struct db_call_info *out)
{
	*out = conn->last_call;
}

const char *
api_int64_param(char buf[24], int64_t v)
{
	snprintf(buf, 24, "%" PRId64, v);
	return buf;
}

const char *
api_bool_param(bool v)
{
	return v ? "true" : "false";
}

const char *
api_opt(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

bool
api_detail_int64(const char *detail, const char *key, int64_t *out)
{
	size_t klen = strlen(key);
	const char *p = detail;

	while (p != NULL && (p = strstr(p, key)) != NULL) {
		/* A whole key: at the start or after a separator. */
		if ((p == detail || p[-1] == ' ' || p[-1] == ',' || p[-1] == ';') && p[klen] == '=') {
			char *end;
			long long v;

			errno = 0;
			v = strtoll(p + klen + 1, &end, 10);
			if (errno == 0 && end != p + klen + 1) {
				*out = (int64_t)v;
				return true;
			}
		}
		p += klen;
	}
	return false;
}

bz_err
api_error_from_code(const char *sqlstate)
{
	return db_error_from_sqlstate(sqlstate);
}

char *
db_text_array_literal(const char *const *items, size_t count)
{
	size_t cap = 3;
	char *out, *p;

	/* Worst case: every byte escaped, plus quotes and a comma each. */
	for (size_t i = 0; i < count; i++)
		cap += 2 * strlen(items[i]) + 3;
	out = p = xmalloc(cap);
	*p++ = '{';
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			*p++ = ',';
		/* Always quoted: then only '"' and '\\' are special, and
		 * braces, commas, blanks, "NULL" and "" are plain text. */
		*p++ = '"';
		for (const char *s = items[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				*p++ = '\\';
			*p++ = *s;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return out;
}

bz_err
db_new_uuid(char out[DB_UUID_SIZE])
{
	uint8_t random[16];
	size_t got = 0;

	while (got < sizeof random) {
		ssize_t n = getrandom(random + got, sizeof random - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return BZ_ERR_IO;
		got += (size_t)n;
	}
	uuid_v4_format(random, out);
	return BZ_OK;
}
