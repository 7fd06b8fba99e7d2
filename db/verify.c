/* "bazar verify": the seed's verification queries and everything the
 * migrations promise, as a ✓/✗ checklist. */
#include "config.h"

#include <string.h>

#include "db/checks.h"
#include "db/migrate_state.h"

static int verify_migrations(struct db_conn *conn, const struct migration_set *set,
                             const struct applied_list *applied, FILE *out);
static int verify_indexes(struct db_conn *conn, FILE *out);
static int run_check_file(struct db_conn *conn, const char *path, bool preflight, FILE *out);

/* One line per migration: applied with an unchanged file, or not. */
static int
verify_migrations(struct db_conn *conn, const struct migration_set *set,
                  const struct applied_list *applied, FILE *out)
{
	int failed = 0;

	fprintf(out, "Migrations\n");
	for (size_t i = 0; i < set->count; i++) {
		const struct migration *m = &set->items[i];
		const struct applied *a = state_find(applied, m->version);
		char sum[65], err[256];

		if (a == NULL) {
			check_print(out, false, "%s not applied (run 'bazar migrate')", m->filename);
			failed++;
		} else if (state_checksum(conn, m, sum, err, sizeof err) != BZ_OK) {
			check_print(out, false, "%s: cannot compute checksum: %s", m->filename, err);
			failed++;
		} else if (strcmp(sum, a->checksum) != 0) {
			check_print(out, false, "%s changed on disk since it was applied", m->filename);
			failed++;
		} else {
			check_print(out, true, "%s applied, checksum matches", m->filename);
		}
	}
	for (size_t i = 0; i < applied->count; i++) {
		bool known = false;
		for (size_t j = 0; j < set->count && !known; j++)
			known = migration_version_valid(applied->items[i].version) &&
			        migration_version_cmp(set->items[j].version, applied->items[i].version) == 0;
		if (!known) {
			check_print(out, false, "database has %s_%s, unknown to this program (newer Bazar?)",
			            applied->items[i].version, applied->items[i].name);
			failed++;
		}
	}
	return failed;
}

/* A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind. */
static int
verify_indexes(struct db_conn *conn, FILE *out)
{
	PGresult *res = PQexecParams(conn->pg,
		"SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), '')"
		"  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
		"  JOIN pg_namespace n ON n.oid = c.relnamespace"
		" WHERE n.nspname = 'public' AND NOT (i.indisvalid AND i.indisready)",
		0, NULL, NULL, NULL, NULL, 0);
	int failed = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		check_print(out, false, "cannot list indexes: %s", PQresultErrorMessage(res));
		failed = 1;
	} else if (*PQgetvalue(res, 0, 0)) {
		check_print(out, false, "invalid indexes (a concurrent build failed): %s "
		            "(run 'bazar migrate' to rebuild)", PQgetvalue(res, 0, 0));
		failed = 1;
	} else {
		check_print(out, true, "every index is valid (indisvalid)");
	}
	PQclear(res);
	return failed;
}

/* Run a verify or preflight file; returns the number of failed checks. */
static int
run_check_file(struct db_conn *conn, const char *path, bool preflight, FILE *out)
{
	struct check_list checks;
	char err[512];
	int failed = 0;
	bz_err rc = checks_load(path, &checks, err, sizeof err);

	if (rc == BZ_OK)
		rc = preflight ? checks_run_preflight(conn, &checks, out, &failed, err, sizeof err)
		               : checks_run_verify(conn, &checks, out, &failed, err, sizeof err);
	if (rc != BZ_OK) {
		check_print(out, false, "%s", err);
		failed++;
	}
	checks_free(&checks);
	return failed;
}

bz_err
verify_run(struct db_conn *conn, const struct migration_set *set, FILE *out,
           char *err, size_t errlen)
{
	struct applied_list applied;
	int failed = 0;
	bz_err rc;

	if ((rc = state_load(conn, &applied, err, errlen)) != BZ_OK)
		return rc;
	failed += verify_migrations(conn, set, &applied, out);
	fprintf(out, "Indexes\n");
	failed += verify_indexes(conn, out);
	for (size_t i = 0; i < set->count; i++) {
		const struct migration *m = &set->items[i];
		if (m->verify_path == NULL || state_find(&applied, m->version) == NULL)
			continue;
		fprintf(out, "%s_%s\n", m->version, m->name);
		failed += run_check_file(conn, m->verify_path, false, out);
	}
	/* The preflights again: data that breaks a rule is worth knowing about
	 * even after its constraint landed (or while it cannot land). */
	fprintf(out, "Data (the migrations' preflights)\n");
	for (size_t i = 0; i < set->count; i++)
		if (set->items[i].preflight_path)
			failed += run_check_file(conn, set->items[i].preflight_path, true, out);
	state_free(&applied);
	if (failed) {
		snprintf(err, errlen, "%d check%s failed", failed, failed == 1 ? "" : "s");
		return BZ_ERR_CONSTRAINT;
	}
	fprintf(out, "all checks passed\n");
	return BZ_OK;
}
