/* Typed calls for accounts and sessions (0007): register, login, logout,
 * whoami. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static bz_err login_check(const struct db_request *req, void *out, char *err, size_t errlen);

static const char register_sql[] =
	"SELECT user_id, " API_EPOCH_US("started_at") " FROM api_register($1, $2, $3)";
static const struct api_col register_cols[] = {
	API_COL(API_UUID, struct db_register_out, user_id),
	API_COL(API_INT64, struct db_register_out, started_us),
};
/* Replaying is harmless: the e-mail is unique, so a second run can only
 * be refused. */
static const struct api_call register_call = {
	.sql = register_sql, API_CALL_COLS(register_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_register_out), .replay_safe = true,
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
/* The row is parsed by login_check, into a struct login_row. The same
 * request id on every attempt: the server hands back the same session,
 * so a lost answer cannot open a second one. */
static const struct api_call login_call = {
	.sql = login_sql, .ncols = API_NCOLS(login_cols), .shape = API_SHAPE_NONE,
	.out_size = sizeof(struct db_login_out), .check = login_check, .replay_safe = true,
};

static const char logout_sql[] = "SELECT 1 FROM api_logout($1)";
static const struct api_call logout_call = {
	.sql = logout_sql, .ncols = 1, .shape = API_SHAPE_NONE, .replay_safe = true,
};

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
static const struct api_call whoami_call = {
	.sql = whoami_sql, API_CALL_COLS(whoami_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_whoami), .replay_safe = true,
};

void
db_register_request(struct db_request *req, const char *email, const char *password,
                    const char *display_name)
{
	const char *params[] = { email, password, display_name };

	api_request(req, &register_call, 3, params);
}

bz_err
db_register_result(const struct db_request *req, struct db_register_out *out, char *err, size_t errlen)
{
	return api_result(req, &register_call, out, err, errlen);
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
	bz_err rc = api_call(conn, &register_call, build_register, &args, out, err, errlen);

	if (rc == BZ_ERR_CONFLICT && conn->last_call.attempts > 1)
		snprintf(err, errlen, "This e-mail is already registered, perhaps by this very "
		         "request (the connection was lost before its answer): try logging in.");
	return rc;
}

void
db_login_request(struct db_request *req, const char *email, const char *password,
                 const char *request_id)
{
	const char *params[] = { email, password, request_id };

	api_request(req, &login_call, 3, params);
}

/* Parse the row and turn its status into the enum and an error. */
static bz_err
login_check(const struct db_request *req, void *out_, char *err, size_t errlen)
{
	struct db_login_out *out = out_;
	struct login_row row;
	bz_err rc;

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

bz_err
db_login_result(const struct db_request *req, struct db_login_out *out, char *err, size_t errlen)
{
	return api_result(req, &login_call, out, err, errlen);
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
	bz_err rc;

	memset(out, 0, sizeof *out);
	if (request_id == NULL || *request_id == '\0') {
		if ((rc = db_new_uuid(fresh)) != BZ_OK) {
			snprintf(err, errlen, "cannot make a login request id: no randomness");
			return rc;
		}
		args.request_id = fresh;
	}
	return api_call(conn, &login_call, build_login, &args, out, err, errlen);
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

	api_request(req, &logout_call, 1, params);
}

bz_err
db_logout_result(const struct db_request *req, char *err, size_t errlen)
{
	return api_result(req, &logout_call, NULL, err, errlen);
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
	return api_call(conn, &logout_call, build_logout, (void *)(uintptr_t)token, NULL, err, errlen);
}

void
db_whoami_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &whoami_call, 1, params);
}

bz_err
db_whoami_result(const struct db_request *req, struct db_whoami *out, char *err, size_t errlen)
{
	return api_result(req, &whoami_call, out, err, errlen);
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
	return api_call(conn, &whoami_call, build_whoami, (void *)(uintptr_t)token, out, err, errlen);
}

void
db_whoami_free(struct db_whoami *out)
{
	api_free(&whoami_call, out);
}
