/* The project's error model: every layer reports one of these codes.
 * db/ maps SQLSTATEs onto them in exactly one place (db/db_error.c);
 * the terminal turns them into words with bz_err_message(). */
#ifndef BAZAR_CORE_ERROR_H
#define BAZAR_CORE_ERROR_H

typedef enum bz_err {
	BZ_OK = 0,
	BZ_ERR_INVALID_INPUT,      /* the caller's input is malformed: fix it and retry */
	BZ_ERR_OVERFLOW,           /* a number does not fit the range we accept */
	BZ_ERR_NOT_FOUND,          /* the thing asked for does not exist (or is not yours) */
	BZ_ERR_CONFLICT,           /* already exists / someone else got there first */
	BZ_ERR_OUT_OF_STOCK,       /* fewer codes available than asked for */
	BZ_ERR_PROMO_UNAVAILABLE,  /* promo inactive, expired, or used up */
	BZ_ERR_INSUFFICIENT_FUNDS, /* wallet balance too low */
	BZ_ERR_CONSTRAINT,         /* a data constraint refused the row */
	BZ_ERR_PERMISSION,         /* the role may not do this */
	BZ_ERR_AUTH,               /* not logged in, or session expired */
	BZ_ERR_RETRYABLE,          /* serialization failure or deadlock: run the transaction again */
	BZ_ERR_LOCK_TIMEOUT,       /* gave up waiting for a lock (lock_timeout) */
	BZ_ERR_CONNECTION,         /* the connection failed or was lost */
	BZ_ERR_SCHEMA_MISMATCH,    /* database schema older or newer than this program */
	BZ_ERR_CHECKSUM,           /* an applied migration file has changed since */
	BZ_ERR_IO,                 /* a file or process operation failed */
	BZ_ERR_ENVIRONMENT,        /* a required program, package or setting is missing */
	BZ_ERR_INTERNAL,           /* a bug: an answer we did not expect */
	BZ_ERR_CART_CHANGED,       /* the cart changed since it was priced (ZB009): review it */
	BZ_ERR_IDEMPOTENCY_MISMATCH, /* same idempotency key, different request (ZB010) */
	BZ_ERR_THROTTLED,          /* too many attempts: wait before trying again (ZB011) */
	BZ_ERR_LIMIT_REACHED,      /* a cap against hoarding (holds, unpaid orders, codes) (ZB012) */
	BZ_ERR_ALREADY_DECIDED,    /* another staff member decided this order first (ZB013) */
	BZ_ERR_CANCELLED,          /* we cancelled the request; the server may still have done it */
	BZ_ERR__COUNT
} bz_err;

/* Stable identifier for logs and tests, e.g. "out_of_stock". Never NULL. */
const char *bz_err_name(bz_err err);

/* A short sentence a shopper or operator can read. Never NULL. */
const char *bz_err_message(bz_err err);

#endif
