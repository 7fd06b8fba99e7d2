/* Names and messages for bz_err; see error.h. */
#include "config.h"
#include <stddef.h>

#include "core/error.h"

struct err_text {
	const char *name;
	const char *message;
};

static const struct err_text err_texts[BZ_ERR__COUNT] = {
	[BZ_OK]                     = { "ok", "Done." },
	[BZ_ERR_INVALID_INPUT]      = { "invalid_input", "That input is not valid." },
	[BZ_ERR_OVERFLOW]           = { "overflow", "That number is too large." },
	[BZ_ERR_NOT_FOUND]          = { "not_found", "Not found." },
	[BZ_ERR_CONFLICT]           = { "conflict", "That already exists or was just taken." },
	[BZ_ERR_OUT_OF_STOCK]       = { "out_of_stock", "Not enough codes left in stock." },
	[BZ_ERR_PROMO_UNAVAILABLE]  = { "promo_unavailable", "That promo code cannot be used." },
	[BZ_ERR_INSUFFICIENT_FUNDS] = { "insufficient_funds", "The wallet balance is too low." },
	[BZ_ERR_CONSTRAINT]         = { "constraint", "The database refused inconsistent data." },
	[BZ_ERR_PERMISSION]         = { "permission", "You are not allowed to do that." },
	[BZ_ERR_AUTH]               = { "auth", "Please log in again." },
	[BZ_ERR_RETRYABLE]          = { "retryable", "A concurrent change got in the way; try again." },
	[BZ_ERR_LOCK_TIMEOUT]       = { "lock_timeout", "Gave up waiting for a lock held by another session." },
	[BZ_ERR_CONNECTION]         = { "connection", "The connection to the database failed." },
	[BZ_ERR_SCHEMA_MISMATCH]    = { "schema_mismatch", "The database schema does not match this program." },
	[BZ_ERR_CHECKSUM]           = { "checksum", "An applied migration file was changed." },
	[BZ_ERR_IO]                 = { "io", "A file or process operation failed." },
	[BZ_ERR_ENVIRONMENT]        = { "environment", "A required program or setting is missing." },
	[BZ_ERR_INTERNAL]           = { "internal", "Internal error." },
	[BZ_ERR_CART_CHANGED]       = { "cart_changed", "Your cart changed, please review it." },
	[BZ_ERR_IDEMPOTENCY_MISMATCH] = { "idempotency_mismatch",
	                                  "This payment attempt was already used for a different order." },
	[BZ_ERR_THROTTLED]          = { "throttled", "Too many attempts; please wait a while and try again." },
	[BZ_ERR_LIMIT_REACHED]      = { "limit_reached", "You have reached a limit; finish or cancel something first." },
	[BZ_ERR_ALREADY_DECIDED]    = { "already_decided", "Someone else already decided this order." },
	[BZ_ERR_CANCELLED]          = { "cancelled", "The request was cancelled; it may still have completed." },
};

const char *
bz_err_name(bz_err err)
{
	if ((unsigned)err >= BZ_ERR__COUNT || err_texts[err].name == NULL)
		return "unknown";
	return err_texts[err].name;
}

const char *
bz_err_message(bz_err err)
{
	if ((unsigned)err >= BZ_ERR__COUNT || err_texts[err].message == NULL)
		return "Unknown error.";
	return err_texts[err].message;
}
