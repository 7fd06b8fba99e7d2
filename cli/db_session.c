/* Owner-side setup shared by migrate, verify, rollback and seed-demo. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/db_session.h"
#include "db/cluster.h"
#include "db/db.h"

bz_err
db_session_open(struct db_session *s, const char *application_name, char *err, size_t errlen)
{
	bz_err rc;

	memset(s, 0, sizeof *s);
	if ((rc = migration_set_load(migration_sql_dir(), &s->migrations, err, errlen)) != BZ_OK)
		goto fail;
	if ((rc = cluster_ensure_running(stderr, err, errlen)) != BZ_OK)
		goto fail;
	if ((rc = db_connect(DB_ROLE_OWNER, application_name, &s->conn, err, errlen)) != BZ_OK)
		goto fail;
	return BZ_OK;
fail:
	db_session_close(s);
	return rc;
}

void
db_session_close(struct db_session *s)
{
	db_close(s->conn);
	s->conn = NULL;
	migration_set_free(&s->migrations);
}
