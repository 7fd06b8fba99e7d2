/* The race lab's own SQL: the test-database marker and the naive control
 * (see db/lab.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/lab.h"
#include "db/migrate.h"
#include "db/request.h"

bz_err
db_lab_is_test_database(struct db_conn *conn, bool *marked, char *dbname, size_t dbnamelen,
                        char *err, size_t errlen)
{
	struct db_request req;
	bz_err rc;

	*marked = false;
	/* Both: the owner's ALTER DATABASE (not a client's -c option) and the
	 * value this very session runs with. */
	db_request_init(&req,
		"SELECT current_database(),"
		"       coalesce(current_setting('" DB_LAB_MARKER "', true), '') = 'on'"
		"   AND EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
		"                WHERE d.datname = current_database() AND s.setrole = 0"
		"                  AND '" DB_LAB_MARKER "=on' = ANY (s.setconfig))", 0, NULL);
	req.expect_columns = 2;
	req.expect_rows = 1;
	if ((rc = db_request_run(conn, &req, 30000)) != BZ_OK) {
		rc = db_request_error(&req, err, errlen);
		goto out;
	}
	snprintf(dbname, dbnamelen, "%s", db_request_value(&req, 0, 0));
	*marked = strcmp(db_request_value(&req, 0, 1), "t") == 0;
out:
	db_request_free(&req);
	return rc;
}

bz_err
db_lab_load_naive(struct db_conn *conn, const char *path, char *err, size_t errlen)
{
	return db_run_sql_file(conn, path, err, errlen);
}

char *
db_lab_naive_path(void)
{
	return xasprintf("%s/lab/naive.sql", migration_sql_dir());
}
