/* Fixtures and drivers shared by the attack scenarios (see race_util.c). */
#ifndef BAZAR_TESTS_RACE_UTIL_H
#define BAZAR_TESTS_RACE_UTIL_H

#include "core/checkout.h"
#include "db/api.h"
#include "race/scenario.h"

/* A product named after TAG with CODES available codes; its id into id_out[40]. */
bz_err race_product(struct race_round *r, const char *tag, int64_t price_cents, int codes,
                    char *id_out, char *err, size_t errlen);
/* A promo; its unique code (at most 32 characters) into code_out[80]. max_uses/per_user_limit <= 0: NULL. */
bz_err race_promo(struct race_round *r, const char *tag, const char *type, int64_t value,
                  int64_t max_uses, int64_t per_user_limit, char *code_out, char *err, size_t errlen);
/* Another session (through the API) for an existing race user's EMAIL,
 * its token into r->tokens[slot]. */
bz_err race_login(struct race_round *r, const char *email, int slot, char *err, size_t errlen);
/* Credit a user's wallet (balance and ledger). */
bz_err race_fund(struct race_round *r, const char *user_id, int64_t cents, char *err, size_t errlen);
/* Put QUANTITY of a product in the token's cart; the new version out. */
bz_err race_cart_put(struct db_conn *conn, const char *token, const char *product_id, int quantity,
                     int64_t *version, char *err, size_t errlen);
/* Broken invariants of bz_check_invariants() (0 = all hold); the first in why. */
int race_invariants(struct race_round *r, char *why, size_t whylen);
/* A whole checkout attempt driven by core/checkout; FIXED_KEY (or NULL)
 * replaces the generated idempotency key. BZ_OK: an order exists. */
bz_err race_checkout(struct race_worker *w, const char *token, int64_t cart_version, const char *promo,
                     enum checkout_method method, const char *fixed_key, struct db_checkout *out);

#endif
