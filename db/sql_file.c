/* Running a whole SQL file (seed data) in one transaction. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db/migrate_state.h"

bz_err
db_run_sql_file(struct db_conn *conn, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *sql = migration_read_file(path, &len);
	bz_err rc;

	if (sql == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return BZ_ERR_IO;
	}
	if ((rc = state_exec(conn, "BEGIN", err, errlen)) != BZ_OK)
		goto out;
	if ((rc = state_exec(conn, sql, err, errlen)) != BZ_OK) {
		state_exec(conn, "ROLLBACK", NULL, 0);
		goto out;
	}
	rc = state_exec(conn, "COMMIT", err, errlen);
out:
	free(sql);
	return rc;
}
