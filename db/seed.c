/* Generated catalogs for tests and benchmarks ("seed-demo --products N"). */
#include "config.h"

#include <stdio.h>

#include "db/db_internal.h"
#include "db/migrate.h"
#include "db/seed.h"

bz_err
db_seed_products(struct db_conn *conn, long count, int codes_each, char *err, size_t errlen)
{
	char n[32], c[32];
	const char *values[2] = { n, c };
	PGresult *res;
	bz_err rc = BZ_OK;

	snprintf(n, sizeof n, "%ld", count);
	snprintf(c, sizeof c, "%d", codes_each);
	/* Names sort like a real catalog (40 categories) and are unique per
	 * run, so seeding twice adds a second batch rather than failing. */
	res = PQexecParams(conn->pg,
		"WITH batch AS (SELECT to_char(clock_timestamp(), 'YYYYMMDDHH24MISSUS') AS tag),"
		" p AS (INSERT INTO products (name, description, category, price_cents)"
		"       SELECT format('Generated %s #%s', b.tag, lpad(g::text, 7, '0')),"
		"              'A generated product for load tests',"
		"              format('Category %s', lpad((g % 40)::text, 2, '0')),"
		"              100 + (g * 7919) % 9900"
		"         FROM generate_series(1, $1::bigint) AS g, batch AS b"
		"       RETURNING id)"
		" INSERT INTO product_codes (product_id, code)"
		" SELECT p.id, format('GEN-%s-%s', p.id, k) FROM p, generate_series(1, $2::int) AS k",
		2, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = db_error_from_result(res, err, errlen);
	PQclear(res);
	return rc;
}
