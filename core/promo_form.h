/* The console's promo form (new promo, edit dates and limits): each
 * field's text checked and turned into the values api_staff_promo_create
 * and api_staff_promo_update take, with a sentence for the staff member
 * when it is wrong. No I/O. The server checks everything again; these
 * rules are the server's or stricter, so a typo is explained before any
 * call.
 *
 * Dates are typed as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" and mean UTC, not
 * the terminal's local time: a promo starts and ends at one moment for
 * the whole shop, whatever machine the console runs on, and the Promos
 * screen shows its dates in UTC too (with "UTC" in the column title), so
 * what is typed is what is shown. A date alone is 00:00 UTC of that day.
 * "Valid until" is exclusive, as in promo_codes: until 2027-01-01 means
 * through the last minute of 2026-12-31. Years 2000..9999. Empty: no
 * start (always) or no end (never).
 *
 * Limits (max uses, per customer) are whole numbers 1..PROMO_FORM_LIMIT_MAX,
 * empty for unlimited. Money (a fixed discount, the minimum order) is
 * core/money.h's text ("5", "5.00", "12.5"); a percentage is 1..100 with
 * an optional '%'. Surrounding spaces are ignored everywhere. */
#ifndef BAZAR_CORE_PROMO_FORM_H
#define BAZAR_CORE_PROMO_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/promo.h"

/* api_staff_promo_create's ranges (0011), and a sane cap on a limit. */
#define PROMO_FORM_FIXED_MAX_CENTS INT64_C(100000000)
#define PROMO_FORM_MIN_ORDER_MAX_CENTS INT64_C(100000000)
#define PROMO_FORM_LIMIT_MAX INT64_C(1000000000)
/* "2027-01-01 00:00" and its NUL. */
#define PROMO_FORM_TIME_BUF_SIZE 17

/* The form's fields, in the order they are shown (and Tab moves). The
 * edit form shows PF_MIN_ORDER .. PF_UNTIL only. */
enum promo_field {
	PF_CODE,
	PF_TYPE,        /* a toggle, not typed: percentage or fixed */
	PF_VALUE,
	PF_MIN_ORDER,
	PF_MAX_USES,
	PF_PER_USER,
	PF_FROM,
	PF_UNTIL,
	PF_COUNT
};

/* What the form means; 0 in a limit or a time is "none". */
struct promo_values {
	char code[PROMO_CODE_BUF_SIZE];  /* canonical (upper case); creating only */
	enum promo_type type;            /* creating only */
	int64_t value;                   /* percent, or cents; creating only */
	int64_t min_order_cents;
	int64_t max_uses;                /* 0: unlimited */
	int64_t per_user_limit;          /* 0: unlimited */
	int64_t valid_from_us;           /* microseconds since the epoch, UTC; 0: always */
	int64_t valid_until_us;          /* exclusive; 0: never ends */
};

/* TEXT (format above) into *US; "" (or spaces, or NULL) is 0. On error
 * *US is untouched and ERR says what is wrong. */
bz_err promo_form_parse_time(const char *text, int64_t *us, char *err, size_t errlen);

/* US as "YYYY-MM-DD HH:MM" in UTC ("YYYY-MM-DD" at midnight), "" for 0 or
 * less: what promo_form_parse_time reads back to the same minute. */
void promo_form_format_time(int64_t us, char *buf, size_t len);

/* The discount: a percentage 1..100 ("15", "15%") or an amount 0.01 ..
 * 1000000.00 ("5", "5.00"). */
bz_err promo_form_parse_value(enum promo_type type, const char *text, int64_t *value, char *err,
                              size_t errlen);

/* A limit: "" is 0 (unlimited), else 1..PROMO_FORM_LIMIT_MAX. WHAT names
 * it in the sentence ("Max uses"). */
bz_err promo_form_parse_limit(const char *text, const char *what, int64_t *out, char *err,
                              size_t errlen);

/* The minimum order: "" is 0, else 0.00 .. 1000000.00. */
bz_err promo_form_parse_min_order(const char *text, int64_t *cents, char *err, size_t errlen);

/* Every field the form shows (CREATING: all; else PF_MIN_ORDER ..
 * PF_UNTIL, and TYPE is ignored) from TEXT[field] (NULL is ""), then the
 * end after the start. On error *BAD is the first wrong field (the
 * dates: PF_UNTIL) and OUT is partly written. */
bz_err promo_form_check(const char *const text[PF_COUNT], enum promo_type type, bool creating,
                        struct promo_values *out, enum promo_field *bad, char *err,
                        size_t errlen);

/* The server's rule for an edit, checked first with the usage the list
 * showed: MAX_USES (0: unlimited) not below USED + HELD. The sentence is
 * the server's. */
bz_err promo_form_check_max_uses(const char *code, int64_t max_uses, int64_t used, int64_t held,
                                 char *err, size_t errlen);

/* The discount in words for the list: "15%", "5.00 off". */
void promo_form_value_text(enum promo_type type, int64_t value, char *buf, size_t len);

#endif
