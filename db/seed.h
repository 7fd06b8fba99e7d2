/* Generated catalogs for tests and benchmarks. */
#ifndef BAZAR_DB_SEED_H
#define BAZAR_DB_SEED_H

#include "core/error.h"

struct db_conn;

/* Add COUNT products in 40 categories with CODES_EACH available codes
 * each, in one statement (all or nothing). */
bz_err db_seed_products(struct db_conn *conn, long count, int codes_each, char *err, size_t errlen);

#endif
