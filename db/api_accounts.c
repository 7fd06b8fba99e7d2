/* Typed calls for accounts and sessions (0007): register, login, logout,
 * whoami. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/retry.h"
#include "db/api_internal.h"
#include "db/db_internal.h"

struct register_args {
	const char *email, *password, *display_name;
};

struct login_args {
	const char *email, *password, *request_id;
};

static void build_register(struct db_request *req, void *ctx);
static void build_login(struct db_request *req, void *ctx);
static void build_logout(struct db_request *req, void *ctx);
static void build_whoami(struct db_request *req, void *ctx);

static const char register_sql[] =
	"SELECT user_id, " API_EPOCH_US("started_at") " FROM api_register($1, $2, $3)";
static const struct api_col register_cols[] = {
	API_COL(API_UUID, struct db_register_out, user_id),
	API_COL(API_INT64, struct db_register_out, started_us),
};

static const char login_sql[] =
	"SELECT status, session_token, user_id, is_staff, " API_EPOCH_US("expires_at") ", "
	API_EPOCH_US("started_at") " FROM api_login($1, $2, $3::uuid)";
/* The row as it comes; db_login_result turns status into the enum. */
struct login_row {
	char *status;
	char *token;
	char user_id[DB_UUID_SIZE];
	bool is_staff;
	int64_t expires_us;
	int64_t started_us;
};
static const struct api_col login_cols[] = {
	API_COL(API_TEXT, struct login_row, status),
	API_COL(API_TEXT_NULL, struct login_row, token),
	API_COL(API_UUID_NULL, struct login_row, user_id),
	API_COL(API_BOOL_NULL, struct login_row, is_staff),
	API_COL(API_INT64_NULL, struct login_row, expires_us),
	API_COL(API_INT64, struct login_row, started_us),
};

static const char logout_sql[] = "SELECT 1 FROM api_logout($1)";

static const char whoami_sql[] =
	"SELECT user_id, email, display_name, is_staff, " API_EPOCH_US("expires_at")
	" FROM api_whoami($1)";
static const struct api_col whoami_cols[] = {
	API_COL(API_UUID, struct db_whoami, user_id),
	API_COL(API_TEXT, struct db_whoami, email),
	API_COL(API_TEXT_NULL, struct db_whoami, display_name),
	API_COL(API_BOOL, struct db_whoami, is_staff),
	API_COL(API_INT64_NULL, struct db_whoami, expires_us),
};

void
db_register_request(struct db_request *req, const char *email, const char *password,
                    const char *display_name)
{
	const char *params[] = { email, password, display_name };

	db_request_init(req, register_sql, 3, params);
	db_request_expect(req, API_NCOLS(register_cols), 1);
}

bz_err
db_register_result(const struct db_request *req, struct db_register_out *out, char *err, size_t errlen)
{
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	return api_parse_row(req, 0, register_cols, API_NCOLS(register_cols), out, err, errlen);
}

/* Build api_register from struct register_args. */
static void
build_register(struct db_request *req, void *ctx)
{
	const struct register_args *a = ctx;

	db_register_request(req, a->email, a->password, a->display_name);
}

bz_err
db_register(struct db_conn *conn, const char *email, const char *password, const char *display_name,
            struct db_register_out *out, char *err, size_t errlen)
{
	struct register_args args = { email, password, display_name };
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	/* Replaying is harmless: the e-mail is unique, so a second run can
	 * only be refused. */
	rc = api_run(conn, &req, build_register, &args, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	if (rc == BZ_OK)
		rc = db_register_result(&req, out, err, errlen);
	else if (rc == BZ_ERR_CONFLICT && conn->last_call.attempts > 1)
		snprintf(err, errlen, "This e-mail is already registered, perhaps by this very "
		         "request (the connection was lost before its answer): try logging in.");
	db_request_free(&req);
	return rc;
}

void
db_login_request(struct db_request *req, const char *email, const char *password,
                 const char *request_id)
{
	const char *params[] = { email, password, request_id };

	db_request_init(req, login_sql, 3, params);
	db_request_expect(req, API_NCOLS(login_cols), 1);
}

bz_err
db_login_result(const struct db_request *req, struct db_login_out *out, char *err, size_t errlen)
{
	struct login_row row;
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	rc = api_parse_row(req, 0, login_cols, API_NCOLS(login_cols), &row, err, errlen);
	if (rc != BZ_OK)
		return rc;
	out->token = row.token;
	memcpy(out->user_id, row.user_id, sizeof out->user_id);
	out->is_staff = row.is_staff;
	out->expires_us = row.expires_us;
	out->started_us = row.started_us;
	if (strcmp(row.status, "ok") == 0 && out->token != NULL && *out->token != '\0' &&
	    out->user_id[0] != '\0') {
		out->status = DB_LOGIN_OK;
	} else if (strcmp(row.status, "invalid") == 0) {
		out->status = DB_LOGIN_INVALID;
		snprintf(err, errlen, "Wrong e-mail or password.");
		rc = BZ_ERR_AUTH;
	} else if (strcmp(row.status, "throttled") == 0) {
		out->status = DB_LOGIN_THROTTLED;
		snprintf(err, errlen, "Too many failed attempts for this e-mail; please wait a while "
		         "and try again.");
		rc = BZ_ERR_THROTTLED;
	} else {
		snprintf(err, errlen, "the server returned an unexpected login answer (status %.40s)",
		         row.status);
		rc = BZ_ERR_INTERNAL;
	}
	if (rc != BZ_OK)
		db_login_out_free(out);
	free(row.status);
	return rc;
}

/* Build api_login from struct login_args. */
static void
build_login(struct db_request *req, void *ctx)
{
	const struct login_args *a = ctx;

	db_login_request(req, a->email, a->password, a->request_id);
}

bz_err
db_login(struct db_conn *conn, const char *email, const char *password, const char *request_id,
         struct db_login_out *out, char *err, size_t errlen)
{
	char fresh[DB_UUID_SIZE];
	struct login_args args = { email, password, request_id };
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	if (request_id == NULL || *request_id == '\0') {
		if ((rc = db_new_uuid(fresh)) != BZ_OK) {
			snprintf(err, errlen, "cannot make a login request id: no randomness");
			return rc;
		}
		args.request_id = fresh;
	}
	/* The same request id on every attempt: the server hands back the
	 * same session, so a lost answer cannot open a second one. */
	rc = api_run(conn, &req, build_login, &args, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	if (rc == BZ_OK)
		rc = db_login_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_login_out_free(struct db_login_out *out)
{
	if (out->token) {
		/* A volatile write the compiler cannot drop: the secret should
		 * not linger in freed memory. */
		volatile char *p = out->token;

		while (*p)
			*p++ = '\0';
		free(out->token);
	}
	out->token = NULL;
}

void
db_logout_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	db_request_init(req, logout_sql, 1, params);
	db_request_expect(req, 1, 1);
}

bz_err
db_logout_result(const struct db_request *req, char *err, size_t errlen)
{
	return api_outcome(req, err, errlen);
}

/* Build api_logout; CTX is the token. */
static void
build_logout(struct db_request *req, void *ctx)
{
	db_logout_request(req, ctx);
}

bz_err
db_logout(struct db_conn *conn, const char *token, char *err, size_t errlen)
{
	struct db_request req = { 0 };
	bz_err rc;

	rc = api_run(conn, &req, build_logout, (void *)(uintptr_t)token, RETRY_DEFAULT_MAX_ATTEMPTS,
	             true, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_whoami_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	db_request_init(req, whoami_sql, 1, params);
	db_request_expect(req, API_NCOLS(whoami_cols), 1);
}

bz_err
db_whoami_result(const struct db_request *req, struct db_whoami *out, char *err, size_t errlen)
{
	bz_err rc = api_outcome(req, err, errlen);

	memset(out, 0, sizeof *out);
	if (rc != BZ_OK)
		return rc;
	return api_parse_row(req, 0, whoami_cols, API_NCOLS(whoami_cols), out, err, errlen);
}

/* Build api_whoami; CTX is the token. */
static void
build_whoami(struct db_request *req, void *ctx)
{
	db_whoami_request(req, ctx);
}

bz_err
db_whoami(struct db_conn *conn, const char *token, struct db_whoami *out, char *err, size_t errlen)
{
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = api_run(conn, &req, build_whoami, (void *)(uintptr_t)token, RETRY_DEFAULT_MAX_ATTEMPTS,
	             true, err, errlen);
	if (rc == BZ_OK)
		rc = db_whoami_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_whoami_free(struct db_whoami *out)
{
	api_free_row(whoami_cols, API_NCOLS(whoami_cols), out);
}
