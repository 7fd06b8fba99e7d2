/* "bazar migrate" and "bazar rollback": apply files in order, each in one
 * transaction (or alone, for CONCURRENTLY builds), recorded with its
 * checksum, under an advisory lock, never queueing behind live traffic. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/parse.h"
#include "core/xalloc.h"
#include "db/checks.h"
#include "db/migrate_state.h"

#define DEFAULT_LOCK_TIMEOUT_MS 2000
#define DEFAULT_MAX_ATTEMPTS    5

typedef bz_err (*attempt_fn)(struct db_conn *conn, const struct migration *m, const char *sql,
                             const char *checksum, char *err, size_t errlen);

static bz_err check_applied(const struct migration_set *set, const struct applied_list *applied,
                            struct db_conn *conn, char *err, size_t errlen);
static bz_err drop_invalid_index(struct db_conn *conn, const char *index_name, FILE *out,
                                 char *err, size_t errlen);
static bz_err apply_once(struct db_conn *conn, const struct migration *m, const char *sql,
                         const char *checksum, char *err, size_t errlen);
static bz_err revert_once(struct db_conn *conn, const struct migration *m, const char *sql,
                          const char *checksum, char *err, size_t errlen);
static bz_err with_retries(struct db_conn *conn, const struct migration *m, const char *sql,
                           bool no_transaction, const char *index_name, const char *checksum,
                           attempt_fn attempt, int max_attempts, FILE *out, char *err, size_t errlen);
static long now_ms(void);
static bool is_pending(const struct migration *m, const struct applied_list *applied,
                       const struct migrate_options *opt);
static bz_err run_preflight(struct db_conn *conn, const struct migration *m, FILE *out,
                            int *failed, char *err, size_t errlen);
static bz_err preflight_all(struct db_conn *conn, const struct migration_set *set,
                            const struct applied_list *applied, const struct migrate_options *opt,
                            const struct migration **first_blocked, int *failed_total,
                            char *err, size_t errlen);
static void sleep_ms(long ms);

/* Monotonic milliseconds, for progress timings. */
static long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Sleep without being cut short by signals we ignore. */
static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

bz_err
migrate_options_from_env(int *lock_timeout_ms, int *max_attempts, char *err, size_t errlen)
{
	const char *timeout = getenv("BAZAR_MIGRATE_LOCK_TIMEOUT");
	const char *attempts = getenv("BAZAR_MIGRATE_ATTEMPTS");
	long value;

	*lock_timeout_ms = DEFAULT_LOCK_TIMEOUT_MS;
	*max_attempts = DEFAULT_MAX_ATTEMPTS;
	if (timeout && *timeout) {
		if (parse_duration_ms(timeout, 600000, &value) != BZ_OK || value < 1) {
			snprintf(err, errlen, "BAZAR_MIGRATE_LOCK_TIMEOUT='%.40s' is not a duration "
			         "between 1ms and 10min (examples: 500ms, 2s)", timeout);
			return BZ_ERR_INVALID_INPUT;
		}
		*lock_timeout_ms = (int)value;
	}
	if (attempts && *attempts) {
		if (parse_int_range(attempts, 1, 100, &value) != BZ_OK) {
			snprintf(err, errlen, "BAZAR_MIGRATE_ATTEMPTS='%.40s' is not a whole number "
			         "from 1 to 100", attempts);
			return BZ_ERR_INVALID_INPUT;
		}
		*max_attempts = (int)value;
	}
	return BZ_OK;
}

/* Every applied migration must still be a known file with the same text. */
static bz_err
check_applied(const struct migration_set *set, const struct applied_list *applied,
              struct db_conn *conn, char *err, size_t errlen)
{
	for (size_t i = 0; i < applied->count; i++) {
		const struct applied *a = &applied->items[i];
		const struct migration *m = NULL;
		char sum[65];
		bz_err rc;

		for (size_t j = 0; j < set->count && m == NULL; j++)
			if (migration_version_valid(a->version) &&
			    migration_version_cmp(set->items[j].version, a->version) == 0)
				m = &set->items[j];
		if (m == NULL) {
			snprintf(err, errlen, "the database has migration %s (%s) that this program does "
			         "not know: it was migrated by a newer Bazar; use that version",
			         a->version, a->name);
			return BZ_ERR_SCHEMA_MISMATCH;
		}
		if ((rc = state_checksum(conn, m, sum, err, errlen)) != BZ_OK)
			return rc;
		if (strcmp(sum, a->checksum) != 0) {
			snprintf(err, errlen, "%s was changed after it was applied (checksum %.12s... in the "
			         "database, %.12s... on disk): a landed migration is never edited; restore "
			         "the file and put the change in a new migration", m->filename, a->checksum, sum);
			return BZ_ERR_CHECKSUM;
		}
	}
	return BZ_OK;
}

/* A CONCURRENTLY build that failed leaves an INVALID index that IF NOT
 * EXISTS would then skip for ever: drop it before building again. */
static bz_err
drop_invalid_index(struct db_conn *conn, const char *index_name, FILE *out,
                   char *err, size_t errlen)
{
	const char *values[1] = { index_name };
	PGresult *res = PQexecParams(conn->pg,
		"SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
		"  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
		"  JOIN pg_namespace n ON n.oid = c.relnamespace"
		" WHERE i.indexrelid = to_regclass($1) AND NOT i.indisvalid",
		1, NULL, values, NULL, NULL, 0);
	bz_err rc = BZ_OK;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = db_error_from_result(res, err, errlen);
	} else if (PQntuples(res) == 1) {
		/* The name comes from the server's quote_ident, not from input. */
		char *sql = xasprintf("DROP INDEX CONCURRENTLY IF EXISTS %s", PQgetvalue(res, 0, 0));
		if (out)
			fprintf(out, "    dropping invalid index %s left by an interrupted build\n", index_name);
		bz_log(LOG_WARN, "migrate: dropping invalid index %s", index_name);
		rc = state_exec(conn, sql, err, errlen);
		free(sql);
	}
	PQclear(res);
	return rc;
}

/* Apply one migration and record it. */
static bz_err
apply_once(struct db_conn *conn, const struct migration *m, const char *sql,
           const char *checksum, char *err, size_t errlen)
{
	const char *values[3] = { m->version, m->name, checksum };
	static const char record[] =
		"INSERT INTO public.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)";
	PGresult *res;
	bz_err rc;

	if (m->no_transaction) {
		/* One statement, which PostgreSQL runs in its own transaction(s). */
		if ((rc = state_exec(conn, sql, err, errlen)) != BZ_OK)
			return rc;
		res = PQexecParams(conn->pg, record, 3, NULL, values, NULL, NULL, 0);
		rc = PQresultStatus(res) == PGRES_COMMAND_OK ? BZ_OK : db_error_from_result(res, err, errlen);
		PQclear(res);
		return rc;
	}
	if ((rc = state_exec(conn, "BEGIN", err, errlen)) != BZ_OK)
		return rc;
	if ((rc = state_exec(conn, sql, err, errlen)) != BZ_OK)
		goto fail;
	res = PQexecParams(conn->pg, record, 3, NULL, values, NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? BZ_OK : db_error_from_result(res, err, errlen);
	PQclear(res);
	if (rc != BZ_OK)
		goto fail;
	return state_exec(conn, "COMMIT", err, errlen);
fail:
	state_exec(conn, "ROLLBACK", NULL, 0);
	return rc;
}

/* Run one rollback file and forget the migration. */
static bz_err
revert_once(struct db_conn *conn, const struct migration *m, const char *sql,
            const char *checksum, char *err, size_t errlen)
{
	const char *values[1] = { m->version };
	static const char forget[] =
		"DELETE FROM public.schema_migrations WHERE version = $1"
		"   AND to_regclass('public.schema_migrations') IS NOT NULL";
	bool no_transaction;
	char *index_name;
	PGresult *res;
	bz_err rc;

	(void)checksum;
	migration_parse_directives(sql, &no_transaction, &index_name);
	free(index_name);
	if (!no_transaction && (rc = state_exec(conn, "BEGIN", err, errlen)) != BZ_OK)
		return rc;
	/* Forget first: the rollback of 0001 may drop schema_migrations. */
	res = PQexecParams(conn->pg, forget, 1, NULL, values, NULL, NULL, 0);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? BZ_OK : db_error_from_result(res, err, errlen);
	PQclear(res);
	if (rc == BZ_OK)
		rc = state_exec(conn, sql, err, errlen);
	if (no_transaction)
		return rc;
	if (rc != BZ_OK) {
		state_exec(conn, "ROLLBACK", NULL, 0);
		return rc;
	}
	return state_exec(conn, "COMMIT", err, errlen);
}

/* Run attempt() until it succeeds, retrying only what waiting can fix
 * (lock timeouts, deadlocks, serialization failures). */
static bz_err
with_retries(struct db_conn *conn, const struct migration *m, const char *sql,
             bool no_transaction, const char *index_name, const char *checksum,
             attempt_fn attempt, int max_attempts, FILE *out, char *err, size_t errlen)
{
	bz_err rc = BZ_OK;

	for (int n = 1; n <= max_attempts; n++) {
		rc = BZ_OK;
		if (no_transaction && index_name &&
		    (rc = drop_invalid_index(conn, index_name, out, err, errlen)) != BZ_OK &&
		    rc != BZ_ERR_LOCK_TIMEOUT)
			return rc;
		if (rc == BZ_OK)
			rc = attempt(conn, m, sql, checksum, err, errlen);
		if (rc == BZ_OK)
			return BZ_OK;
		if (rc != BZ_ERR_LOCK_TIMEOUT && rc != BZ_ERR_RETRYABLE)
			return rc;
		bz_log(LOG_WARN, "migrate: %s attempt %d/%d: %s", m->filename, n, max_attempts, err);
		if (n < max_attempts) {
			long wait = 200L * n + rand() % 200;
			if (out)
				fprintf(out, "    %s (attempt %d/%d); retrying in %ld ms\n", err, n,
				        max_attempts, wait);
			sleep_ms(wait);
		}
	}
	if (no_transaction && index_name) {
		char ignored[256];
		/* Leave nothing half-built behind. */
		drop_invalid_index(conn, index_name, NULL, ignored, sizeof ignored);
	}
	{
		char why[512];
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "gave up on %s after %d attempts: %s. Another session holds a "
		         "lock on a table it changes; nothing from this file was applied. Try again "
		         "when traffic is lower, or raise BAZAR_MIGRATE_LOCK_TIMEOUT / "
		         "BAZAR_MIGRATE_ATTEMPTS", m->filename, max_attempts, why);
	}
	return BZ_ERR_LOCK_TIMEOUT;
}

/* True when m is pending in this run (not applied, within --to). */
static bool
is_pending(const struct migration *m, const struct applied_list *applied,
           const struct migrate_options *opt)
{
	return !state_find(applied, m->version) &&
	       (!opt->to_version || migration_version_cmp(m->version, opt->to_version) <= 0);
}

/* Run one migration's preflight; out may be NULL to run it quietly.
 * *failed counts the checks that found rows. */
static bz_err
run_preflight(struct db_conn *conn, const struct migration *m, FILE *out, int *failed,
              char *err, size_t errlen)
{
	struct check_list checks;
	bz_err rc = checks_load(m->preflight_path, &checks, err, errlen);

	*failed = 0;
	if (rc == BZ_OK)
		rc = checks_run_preflight(conn, &checks, out, failed, err, errlen);
	checks_free(&checks);
	return rc;
}

/* Every pending preflight at once, so an operator repairing a corrupted
 * shop sees all the offending rows in one go, not one file at a time.
 * *first_blocked is the first migration whose preflight found rows. */
static bz_err
preflight_all(struct db_conn *conn, const struct migration_set *set,
              const struct applied_list *applied, const struct migrate_options *opt,
              const struct migration **first_blocked, int *failed_total,
              char *err, size_t errlen)
{
	bool header = false;

	*first_blocked = NULL;
	*failed_total = 0;
	for (size_t i = 0; i < set->count; i++) {
		const struct migration *m = &set->items[i];
		int failed;
		bz_err rc;

		if (!m->preflight_path || !is_pending(m, applied, opt))
			continue;
		if (!header) {
			fprintf(opt->out, "preflight: rows that would break the rules of the pending migrations\n");
			header = true;
		}
		fprintf(opt->out, "  for %s:\n", m->filename);
		if ((rc = run_preflight(conn, m, opt->out, &failed, err, errlen)) != BZ_OK) {
			/* It may need objects an earlier pending migration creates;
			 * it runs again just before its own migration. */
			fprintf(opt->out, "    (cannot run yet: %s; it runs again before %s)\n", err,
			        m->filename);
			continue;
		}
		if (failed && *first_blocked == NULL)
			*first_blocked = m;
		*failed_total += failed;
	}
	return BZ_OK;
}

bz_err
migrate_run(struct db_conn *conn, const struct migration_set *set,
            const struct migrate_options *opt, char *err, size_t errlen)
{
	struct applied_list applied = { 0 };
	const struct migration *blocked = NULL;
	FILE *out = opt->out;
	size_t pending = 0, done = 0;
	int failed_total = 0;
	bz_err rc;

	if (opt->to_version && !migration_version_valid(opt->to_version)) {
		snprintf(err, errlen, "--to '%.40s' is not a migration version (like 0003 or 0003.1)",
		         opt->to_version);
		return BZ_ERR_INVALID_INPUT;
	}
	if ((rc = state_set_lock_timeout(conn, opt->lock_timeout_ms, err, errlen)) != BZ_OK ||
	    (rc = state_lock(conn, out, err, errlen)) != BZ_OK ||
	    (rc = state_set_lock_timeout(conn, opt->lock_timeout_ms, err, errlen)) != BZ_OK)
		goto out;
	if (!opt->dry_run && (rc = state_ensure_table(conn, err, errlen)) != BZ_OK)
		goto out;
	if ((rc = state_load(conn, &applied, err, errlen)) != BZ_OK ||
	    (rc = check_applied(set, &applied, conn, err, errlen)) != BZ_OK)
		goto out;

	for (size_t i = 0; i < set->count; i++)
		if (is_pending(&set->items[i], &applied, opt))
			pending++;
	if (pending == 0) {
		fprintf(out, "database is up to date (%zu migrations applied)\n", applied.count);
		goto out;
	}
	/* Preflights only read, and need the base tables to exist. */
	if (state_find(&applied, "0001") &&
	    (rc = preflight_all(conn, set, &applied, opt, &blocked, &failed_total, err, errlen)) != BZ_OK)
		goto out;
	if (opt->dry_run) {
		fprintf(out, "%zu pending migration%s:\n", pending, pending == 1 ? "" : "s");
		for (size_t i = 0; i < set->count; i++) {
			const struct migration *m = &set->items[i];
			if (is_pending(m, &applied, opt))
				fprintf(out, "  %s%s%s%s\n", m->filename,
				        m->no_transaction ? "  (outside a transaction)" : "",
				        m->preflight_path ? "  (with preflight)" : "",
				        m == blocked ? "  <- migrate would stop here" : "");
		}
		goto out;
	}
	if (opt->backup_file && (rc = backup_run(conn, opt->backup_file, out, err, errlen)) != BZ_OK)
		goto out;

	for (size_t i = 0; i < set->count; i++) {
		const struct migration *m = &set->items[i];
		char sum[65];
		long started;

		if (!is_pending(m, &applied, opt))
			continue;
		if (m->preflight_path && m != blocked) {
			/* Earlier migrations of this run may have changed the data:
			 * check again, quietly, and show the rows only if it fails. */
			int failed;
			if ((rc = run_preflight(conn, m, NULL, &failed, err, errlen)) != BZ_OK)
				goto out;
			if (failed) {
				fprintf(out, "preflight for %s now finds:\n", m->filename);
				run_preflight(conn, m, out, &failed, err, errlen);
				blocked = m;
				failed_total = failed;
			}
		}
		if (m == blocked) {
			snprintf(err, errlen, "stopped before %s: %d preflight check%s found rows that break "
			         "the rules these migrations enforce (listed above; 'bazar verify' lists them "
			         "again). Fix or remove those rows (docs/migrations.md, \"Repairing data\"), "
			         "then run 'bazar migrate' again; %zu migration%s applied in this run",
			         m->filename, failed_total, failed_total == 1 ? "" : "s",
			         done, done == 1 ? " was" : "s were");
			rc = BZ_ERR_CONSTRAINT;
			goto out;
		}
		done++;
		fprintf(out, "[%zu/%zu] %s\n", done, pending, m->filename);
		fflush(out);
		if ((rc = state_checksum(conn, m, sum, err, errlen)) != BZ_OK)
			goto out;
		started = now_ms();
		rc = with_retries(conn, m, m->sql, m->no_transaction, m->index_name, sum, apply_once,
		                  opt->max_attempts, out, err, errlen);
		if (rc != BZ_OK) {
			bz_log(LOG_ERROR, "migrate: %s failed: %s", m->filename, err);
			if (rc != BZ_ERR_LOCK_TIMEOUT) {
				char why[768];
				snprintf(why, sizeof why, "%s", err);
				snprintf(err, errlen, "%s failed and was rolled back: %s", m->filename, why);
			}
			goto out;
		}
		{
			const char *values[2];
			char ms[32];
			PGresult *res;
			snprintf(ms, sizeof ms, "%ld", now_ms() - started);
			values[0] = ms;
			values[1] = m->version;
			res = PQexecParams(conn->pg, "UPDATE public.schema_migrations SET execution_ms = $1"
			                   " WHERE version = $2", 2, NULL, values, NULL, NULL, 0);
			PQclear(res);
			fprintf(out, "    applied in %s ms\n", ms);
		}
		bz_log(LOG_INFO, "migrate: applied %s", m->filename);
	}
	fprintf(out, "applied %zu migration%s\n", done, done == 1 ? "" : "s");
out:
	state_free(&applied);
	return rc;
}

bz_err
rollback_run(struct db_conn *conn, const struct migration_set *set,
             const struct rollback_options *opt, char *err, size_t errlen)
{
	struct applied_list applied = { 0 };
	const char *target = opt->to_version ? opt->to_version : "0001";
	FILE *out = opt->out;
	size_t undone = 0;
	bz_err rc;

	if (!migration_version_valid(target)) {
		snprintf(err, errlen, "--to '%.40s' is not a migration version (like 0001, or 0 for "
		         "everything)", target);
		return BZ_ERR_INVALID_INPUT;
	}
	if (migration_version_cmp(target, "0001") < 0 && !opt->destroy_data) {
		snprintf(err, errlen, "rolling back 0001_base drops every table and its rows; "
		         "add --destroy-data if that is really what you want");
		return BZ_ERR_INVALID_INPUT;
	}
	if ((rc = state_lock(conn, out, err, errlen)) != BZ_OK ||
	    (rc = state_set_lock_timeout(conn, opt->lock_timeout_ms, err, errlen)) != BZ_OK ||
	    (rc = state_load(conn, &applied, err, errlen)) != BZ_OK ||
	    (rc = check_applied(set, &applied, conn, err, errlen)) != BZ_OK)
		goto out;

	for (size_t k = set->count; k-- > 0; ) {
		const struct migration *m = &set->items[k];
		size_t len;
		char *sql;

		if (!state_find(&applied, m->version) || migration_version_cmp(m->version, target) <= 0)
			continue;
		fprintf(out, "rolling back %s\n", m->filename);
		fflush(out);
		sql = migration_read_file(m->rollback_path, &len);
		if (sql == NULL) {
			snprintf(err, errlen, "cannot read %s", m->rollback_path);
			rc = BZ_ERR_IO;
			goto out;
		}
		{
			bool no_tx;
			char *index_name;
			migration_parse_directives(sql, &no_tx, &index_name);
			rc = with_retries(conn, m, sql, no_tx, NULL, NULL, revert_once,
			                  opt->max_attempts, out, err, errlen);
			free(index_name);
		}
		free(sql);
		if (rc != BZ_OK)
			goto out;
		bz_log(LOG_INFO, "rollback: reverted %s", m->filename);
		undone++;
	}
	if (undone == 0)
		fprintf(out, "nothing to roll back: the database is at or below %s\n", target);
	else
		fprintf(out, "rolled back %zu migration%s; 'bazar migrate' brings them back\n",
		        undone, undone == 1 ? "" : "s");
out:
	state_free(&applied);
	return rc;
}
