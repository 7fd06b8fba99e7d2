/* Finding and reading migration files and their companions. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "db/migrate.h"

static char *companion(const char *sql_dir, const char *kind, const char *filename);
static int compare_migrations(const void *a, const void *b);
static bool is_dir(const char *path);
static bool running_from_build_tree(void);

/* True when path names a directory. */
static bool
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* True when this process is the uninstalled binary in the build tree. */
static bool
running_from_build_tree(void)
{
	char exe[4096], build[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n <= 0 || realpath(BAZAR_BUILD_DIR, build) == NULL)
		return false;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return false;
	*slash = '\0';
	return strcmp(exe, build) == 0;
}

const char *
migration_sql_dir(void)
{
	static char chosen[4096];
	const char *env = getenv("BAZAR_SQL_DIR");

	if (env && *env)
		return env;
	/* A build-tree binary uses its own source's files, even when some
	 * other version is installed; an installed one uses the installed. */
	if (running_from_build_tree())
		return BAZAR_SRC_SQLDIR;
	snprintf(chosen, sizeof chosen, "%s/sql/migrations", BAZAR_PKGDATADIR);
	if (is_dir(chosen)) {
		snprintf(chosen, sizeof chosen, "%s/sql", BAZAR_PKGDATADIR);
		return chosen;
	}
	return BAZAR_SRC_SQLDIR;
}

char *
migration_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, used = 0, n;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - used < 4096) {
			cap = cap ? cap * 2 : 16384;
			buf = xrealloc(buf, cap + 1);
		}
		n = fread(buf + used, 1, cap - used, f);
		used += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int saved = errno;
		fclose(f);
		free(buf);
		errno = saved ? saved : EIO;
		return NULL;
	}
	fclose(f);
	if (memchr(buf, '\0', used) != NULL) {
		free(buf);
		errno = EILSEQ;
		return NULL;
	}
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

/* sql_dir/kind/filename when that file exists, else NULL. */
static char *
companion(const char *sql_dir, const char *kind, const char *filename)
{
	char *path = xasprintf("%s/%s/%s", sql_dir, kind, filename);
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	return NULL;
}

void
migration_parse_directives(const char *sql, bool *no_transaction, char **index_name)
{
	const char *p = sql;

	*no_transaction = false;
	*index_name = NULL;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len == 0 || (len == 1 && *p == '\r')) {
			/* blank lines may separate header comments */
		} else if (strncmp(p, "--", 2) != 0) {
			break;
		} else if (strncmp(p, "-- bazar:no-transaction", 23) == 0) {
			*no_transaction = true;
		} else if (strncmp(p, "-- bazar:index ", 15) == 0) {
			size_t nlen = len - 15;
			while (nlen && (p[15 + nlen - 1] == '\r' || p[15 + nlen - 1] == ' '))
				nlen--;
			free(*index_name);
			*index_name = xmalloc(nlen + 1);
			memcpy(*index_name, p + 15, nlen);
			(*index_name)[nlen] = '\0';
		}
		if (!eol)
			break;
		p = eol + 1;
	}
}

/* qsort order: by version. */
static int
compare_migrations(const void *a, const void *b)
{
	const struct migration *ma = a, *mb = b;
	return migration_version_cmp(ma->version, mb->version);
}

bz_err
migration_set_load(const char *sql_dir, struct migration_set *set, char *err, size_t errlen)
{
	char *dir_path = xasprintf("%s/migrations", sql_dir);
	DIR *dir = opendir(dir_path);
	struct dirent *ent;
	size_t cap = 0;
	bz_err rc = BZ_OK;

	memset(set, 0, sizeof *set);
	set->sql_dir = xstrdup(sql_dir);
	if (dir == NULL) {
		snprintf(err, errlen, "cannot open the migrations folder %s: %s "
		         "(set BAZAR_SQL_DIR to the sql/ folder of Bazar)", dir_path, strerror(errno));
		rc = BZ_ERR_IO;
		goto out;
	}
	while ((ent = readdir(dir)) != NULL) {
		struct migration m = { .filename = NULL };
		if (ent->d_name[0] == '.')
			continue;
		if (!migration_name_parse(ent->d_name, m.version, m.name)) {
			if (strlen(ent->d_name) > 4 && strcmp(ent->d_name + strlen(ent->d_name) - 4, ".sql") == 0) {
				snprintf(err, errlen, "%s/%s: not a migration file name "
				         "(expected NNNN_name.sql or NNNN.M_name.sql)", dir_path, ent->d_name);
				rc = BZ_ERR_INVALID_INPUT;
				goto out;
			}
			continue;
		}
		m.filename = xstrdup(ent->d_name);
		m.path = xasprintf("%s/%s", dir_path, ent->d_name);
		m.sql = migration_read_file(m.path, &m.sql_len);
		if (m.sql == NULL) {
			snprintf(err, errlen, "cannot read %s: %s", m.path, strerror(errno));
			free(m.filename);
			free(m.path);
			rc = BZ_ERR_IO;
			goto out;
		}
		migration_parse_directives(m.sql, &m.no_transaction, &m.index_name);
		m.rollback_path = companion(sql_dir, "rollback", m.filename);
		m.preflight_path = companion(sql_dir, "preflight", m.filename);
		m.verify_path = companion(sql_dir, "verify", m.filename);
		if (set->count == cap) {
			cap = cap ? cap * 2 : 16;
			set->items = xrealloc(set->items, cap * sizeof *set->items);
		}
		set->items[set->count++] = m;
	}
	qsort(set->items, set->count, sizeof *set->items, compare_migrations);
	for (size_t i = 0; i < set->count; i++) {
		const struct migration *m = &set->items[i];
		if (i > 0 && migration_version_cmp(set->items[i - 1].version, m->version) == 0) {
			snprintf(err, errlen, "two migrations share version %s: %s and %s",
			         m->version, set->items[i - 1].filename, m->filename);
			rc = BZ_ERR_INVALID_INPUT;
			goto out;
		}
		if (m->rollback_path == NULL) {
			snprintf(err, errlen, "%s has no rollback file (%s/rollback/%s)",
			         m->filename, sql_dir, m->filename);
			rc = BZ_ERR_INVALID_INPUT;
			goto out;
		}
		if (m->no_transaction && m->index_name == NULL) {
			snprintf(err, errlen, "%s runs outside a transaction but names no index "
			         "(add '-- bazar:index schema.name')", m->filename);
			rc = BZ_ERR_INVALID_INPUT;
			goto out;
		}
	}
	if (set->count == 0) {
		snprintf(err, errlen, "no migration files in %s", dir_path);
		rc = BZ_ERR_IO;
	}
out:
	if (dir)
		closedir(dir);
	free(dir_path);
	return rc;
}

void
migration_set_free(struct migration_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		struct migration *m = &set->items[i];
		free(m->filename);
		free(m->path);
		free(m->sql);
		free(m->index_name);
		free(m->rollback_path);
		free(m->preflight_path);
		free(m->verify_path);
	}
	free(set->items);
	free(set->sql_dir);
	memset(set, 0, sizeof *set);
}
