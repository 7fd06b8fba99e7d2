/* The one place that turns a PostgreSQL error into the project's bz_err. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/retry.h"
#include "db/db_internal.h"

struct sqlstate_map {
	const char *sqlstate;
	bz_err err;
};

static const struct sqlstate_map sqlstate_map[] = {
	{ SQLSTATE_UNIQUE_VIOLATION,       BZ_ERR_CONFLICT },
	{ SQLSTATE_CHECK_VIOLATION,        BZ_ERR_CONSTRAINT },
	{ SQLSTATE_FOREIGN_KEY_VIOLATION,  BZ_ERR_CONSTRAINT },
	{ SQLSTATE_NOT_NULL_VIOLATION,     BZ_ERR_CONSTRAINT },
	{ SQLSTATE_SERIALIZATION_FAILURE,  BZ_ERR_RETRYABLE },
	{ SQLSTATE_DEADLOCK_DETECTED,      BZ_ERR_RETRYABLE },
	{ SQLSTATE_LOCK_NOT_AVAILABLE,     BZ_ERR_LOCK_TIMEOUT },
	{ SQLSTATE_INSUFFICIENT_PRIVILEGE, BZ_ERR_PERMISSION },
	{ SQLSTATE_ADMIN_SHUTDOWN,         BZ_ERR_CONNECTION },
	{ SQLSTATE_BZ_OUT_OF_STOCK,        BZ_ERR_OUT_OF_STOCK },
	{ SQLSTATE_BZ_PROMO_UNAVAILABLE,   BZ_ERR_PROMO_UNAVAILABLE },
	{ SQLSTATE_BZ_INSUFFICIENT_FUNDS,  BZ_ERR_INSUFFICIENT_FUNDS },
	{ SQLSTATE_BZ_NOT_AUTHENTICATED,   BZ_ERR_AUTH },
	{ SQLSTATE_BZ_PERMISSION_DENIED,   BZ_ERR_PERMISSION },
	{ SQLSTATE_BZ_NOT_FOUND,           BZ_ERR_NOT_FOUND },
	{ SQLSTATE_BZ_ALREADY_EXISTS,      BZ_ERR_CONFLICT },
	{ SQLSTATE_BZ_INVALID_INPUT,       BZ_ERR_INVALID_INPUT },
	{ SQLSTATE_BZ_CART_CHANGED,        BZ_ERR_CART_CHANGED },
	{ SQLSTATE_BZ_IDEMPOTENCY_MISMATCH, BZ_ERR_IDEMPOTENCY_MISMATCH },
	{ SQLSTATE_BZ_THROTTLED,           BZ_ERR_THROTTLED },
	{ SQLSTATE_BZ_LIMIT_REACHED,       BZ_ERR_LIMIT_REACHED },
	{ SQLSTATE_BZ_ALREADY_DECIDED,     BZ_ERR_ALREADY_DECIDED },
	/* Bad parameter text (a malformed uuid, a number out of range, a
	 * value too long for its column): the caller's input. */
	{ SQLSTATE_INVALID_TEXT,           BZ_ERR_INVALID_INPUT },
	{ SQLSTATE_NUMERIC_OUT_OF_RANGE,   BZ_ERR_INVALID_INPUT },
	{ SQLSTATE_STRING_TRUNCATION,      BZ_ERR_INVALID_INPUT },
	/* A cancel we sent; db/request.c tells it apart from statement_timeout. */
	{ SQLSTATE_QUERY_CANCELED,         BZ_ERR_CANCELLED },
};

const char *
db_sqlstate(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	return state ? state : "";
}

bz_err
db_error_from_result(const PGresult *res, char *err, size_t errlen)
{
	const char *state = db_sqlstate(res);
	const char *primary;

	if (res == NULL) {
		if (err && errlen)
			snprintf(err, errlen, "lost the connection to the database");
		return BZ_ERR_CONNECTION;
	}
	primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (err && errlen)
		snprintf(err, errlen, "%s", primary ? primary : PQresultErrorMessage(res));
	/* No SQLSTATE means libpq itself failed (the socket closed under us);
	 * class 08 is the server saying the connection is gone. */
	if (*state == '\0' || strncmp(state, "08", 2) == 0)
		return BZ_ERR_CONNECTION;
	return db_error_from_sqlstate(state);
}

bz_err
db_error_from_sqlstate(const char *state)
{
	if (state == NULL || *state == '\0')
		return BZ_OK;
	if (strncmp(state, "08", 2) == 0)
		return BZ_ERR_CONNECTION;
	for (size_t i = 0; i < sizeof sqlstate_map / sizeof sqlstate_map[0]; i++)
		if (strcmp(state, sqlstate_map[i].sqlstate) == 0)
			return sqlstate_map[i].err;
	if (strncmp(state, "23", 2) == 0)
		return BZ_ERR_CONSTRAINT;
	return BZ_ERR_INTERNAL;
}

int
db_error_is_retryable(bz_err err)
{
	return retry_is_transient(err);
}
