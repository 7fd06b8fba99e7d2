/* "bazar migrate --backup FILE": a pg_dump before anything is touched
 * (the seed's checklist starts with "back up your database"). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "db/cluster.h"
#include "db/db_internal.h"
#include "db/migrate.h"

extern char **environ;

static char *conninfo_without_password(PGconn *pg, char **password);
static void append_quoted(char **buf, size_t *len, const char *key, const char *value);

/* key='value' with quotes and backslashes escaped, as libpq expects. */
static void
append_quoted(char **buf, size_t *len, const char *key, const char *value)
{
	size_t need = *len + strlen(key) + 2 * strlen(value) + 6;
	char *p;

	*buf = xrealloc(*buf, need);
	p = *buf + *len;
	p += sprintf(p, "%s%s='", *len ? " " : "", key);
	for (const char *v = value; *v; v++) {
		if (*v == '\'' || *v == '\\')
			*p++ = '\\';
		*p++ = *v;
	}
	*p++ = '\'';
	*p = '\0';
	*len = (size_t)(p - *buf);
}

/* The live connection's settings as a conninfo string; the password (if
 * any) is handed back separately so it never appears in argv. */
static char *
conninfo_without_password(PGconn *pg, char **password)
{
	static const char *const keep[] = { "host", "hostaddr", "port", "dbname", "user",
	                                    "sslmode", "sslrootcert", "sslcert", "sslkey", NULL };
	PQconninfoOption *opts = PQconninfo(pg);
	char *buf = xstrdup("");
	size_t len = 0;

	*password = NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (o->val == NULL || *o->val == '\0')
			continue;
		if (strcmp(o->keyword, "password") == 0) {
			*password = xstrdup(o->val);
			continue;
		}
		for (int i = 0; keep[i]; i++)
			if (strcmp(o->keyword, keep[i]) == 0)
				append_quoted(&buf, &len, o->keyword, o->val);
	}
	PQconninfoFree(opts);
	return buf;
}

bz_err
backup_run(struct db_conn *conn, const char *file, FILE *out, char *err, size_t errlen)
{
	struct cluster_paths paths;
	char cerr[256];
	char *password = NULL, *conninfo = NULL, *pg_dump = NULL, *pw_env = NULL;
	char opt_format[] = "--format=custom", opt_nopw[] = "--no-password";
	char opt_file[] = "--file", opt_dbname[] = "--dbname";
	char *file_arg = xstrdup(file);
	char *argv[8];
	struct stat st;
	pid_t pid;
	int status;
	bz_err rc = BZ_OK;

	if (cluster_resolve(&paths, cerr, sizeof cerr) == BZ_OK && *paths.bindir)
		pg_dump = xasprintf("%s/pg_dump", paths.bindir);
	else
		pg_dump = xstrdup("pg_dump");
	conninfo = conninfo_without_password(conn->pg, &password);
	argv[0] = pg_dump;
	argv[1] = opt_format;
	argv[2] = opt_nopw;
	argv[3] = opt_file;
	argv[4] = file_arg;
	argv[5] = opt_dbname;
	argv[6] = conninfo;
	argv[7] = NULL;
	fprintf(out, "backing up the database to %s with pg_dump...\n", file);
	fflush(out);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start pg_dump: %s", strerror(errno));
		rc = BZ_ERR_IO;
		goto out;
	}
	if (pid == 0) {
		if (password) {
			pw_env = xasprintf("PGPASSWORD=%s", password);
			putenv(pw_env);
		}
		execvp(pg_dump, argv);
		fprintf(stderr, "bazar: cannot run %s: %s (install the Debian package "
		        "postgresql-client-15)\n", pg_dump, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "pg_dump failed (exit %d); nothing was migrated",
		         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		rc = BZ_ERR_IO;
		goto out;
	}
	if (stat(file, &st) != 0 || st.st_size == 0) {
		snprintf(err, errlen, "pg_dump wrote no backup to %s; nothing was migrated", file);
		rc = BZ_ERR_IO;
		goto out;
	}
	fprintf(out, "backup written (%lld bytes); restore with: pg_restore --clean --if-exists "
	        "--no-owner -d <database> %s\n", (long long)st.st_size, file);
	bz_log(LOG_INFO, "migrate: backup written to %s", file);
out:
	if (password) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	free(conninfo);
	free(pg_dump);
	free(file_arg);
	return rc;
}
