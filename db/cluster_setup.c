/* What a data folder needs before the private cluster starts: its
 * folders (owned by the server user when we are root), initdb, Bazar's
 * server settings and the server log file. */
#include "config.h"
#include "db/cluster_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xalloc.h"

#define TAIL_LINES 6  /* lines of a log quoted in an error */

static void append_file(const char *path, const char *text);
static void conf_quote(FILE *f, const char *s);

/* mkdir -p path: parents get 0755 (they may be shared), the folder
 * itself 0700; hand_over gives it to the server user when we are root.
 * Returns 0 or an errno value. */
int
cluster_make_dir(const char *path, bool hand_over, const struct cluster_owner *owner)
{
	char parent[PATH_MAX];
	char *slash;
	struct stat st;
	int e;

	snprintf(parent, sizeof parent, "%s", path);
	slash = strrchr(parent, '/');
	if (slash != NULL && slash != parent) {
		*slash = '\0';
		if ((e = cluster_mkdirs(parent, 0755, (uid_t)-1, (gid_t)-1)) != 0)
			return e;
	}
	if (mkdir(path, 0700) == 0) {
		if (chmod(path, 0700) < 0)
			return errno;
	} else if (errno != EEXIST) {
		return errno;
	} else if (stat(path, &st) < 0) {
		return errno;
	} else if (!S_ISDIR(st.st_mode)) {
		return ENOTDIR;
	}
	if (hand_over && owner->uid != (uid_t)-1 && chown(path, owner->uid, owner->gid) < 0)
		return errno;
	return 0;
}

/* The last TAIL_LINES lines of text, indented, into out. */
void
cluster_text_tail(const char *text, char *out, size_t outlen)
{
	const char *end = text + strlen(text), *p = end;
	int lines = 0;
	size_t w = 0;

	while (p > text && (p[-1] == '\n' || p[-1] == ' '))
		end = --p;
	while (p > text && lines < TAIL_LINES)
		if (*--p == '\n')
			lines++;
	if (*p == '\n')
		p++;
	if (outlen == 0)
		return;
	for (; p < end && w + 4 < outlen; p++) {
		if (w == 0 || p[-1] == '\n') {
			out[w++] = ' ';
			out[w++] = ' ';
		}
		out[w++] = *p;
	}
	out[w] = '\0';
}

/* Append text to the file at path (best effort: this only keeps a record). */
static void
append_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0) {
		/* nothing more to do: the caller reports the failure itself */
	}
	close(fd);
}

/* initdb into an empty data folder, as the server user. C.UTF-8 sorts and
 * classifies the same everywhere; where the C library lacks it, fall back
 * to --no-locale (plain C). Output is kept only when it fails. */
bz_err
cluster_initdb(const struct cluster_paths *paths, const struct cluster_owner *owner,
           FILE *out, char *err, size_t errlen)
{
	char initdb[PATH_MAX + 16], tail[1024];
	const char *argv[] = { initdb, "-D", paths->data_dir, "-U", CLUSTER_SUPERUSER,
	                       "--auth-local=trust", "--auth-host=reject", "--encoding=UTF8",
	                       "--locale=C.UTF-8", NULL };
	char *output = NULL;
	int e, rc;

	snprintf(initdb, sizeof initdb, "%s/initdb", paths->bindir);
	if ((e = cluster_make_dir(paths->data_dir, true, owner)) != 0) {
		snprintf(err, errlen, "cannot create the data folder %s: %s", paths->data_dir, strerror(e));
		return BZ_ERR_IO;
	}
	cluster_say(out, "initialising a PostgreSQL data folder in %s%s%s...\n", paths->data_dir,
	    paths->run_as[0] != '\0' ? " as user " : "", paths->run_as);
	rc = cluster_run(paths->run_as, argv, &output);
	if (rc != 0 && output != NULL && strstr(output, "invalid locale") != NULL) {
		append_file(paths->server_log, output);
		free(output);
		argv[8] = "--no-locale";
		cluster_say(out, "locale C.UTF-8 unavailable; using --no-locale\n");
		rc = cluster_run(paths->run_as, argv, &output);
	}
	if (rc == 0) {
		free(output);
		bz_log(LOG_INFO, "cluster: initdb in %s", paths->data_dir);
		return BZ_OK;
	}
	if (rc < 0) {
		snprintf(err, errlen, "cannot run %s: %s%s", paths->run_as[0] != '\0' ? "runuser" : initdb,
		         strerror(errno), paths->run_as[0] != '\0' ? " (install the Debian package util-linux)" : "");
		free(output);
		return BZ_ERR_ENVIRONMENT;
	}
	append_file(paths->server_log, output != NULL ? output : "");
	cluster_text_tail(output != NULL ? output : "", tail, sizeof tail);
	free(output);
	snprintf(err, errlen, "initdb failed (exit %d); its output is in %s, ending:\n%s",
	         rc, paths->server_log, tail);
	bz_log(LOG_ERROR, "cluster: initdb failed with exit %d", rc);
	return BZ_ERR_IO;
}

/* s as a postgresql.conf string literal. */
static void
conf_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			fputc(*s, f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* Bazar's server settings live in data/bazar.conf, rewritten on every
 * start (so a new BAZAR_PG_PORT or relocated socket takes effect) and
 * included at the end of postgresql.conf, so they win over it;
 * ALTER SYSTEM (postgresql.auto.conf) still wins over them. */
bz_err
cluster_write_settings(const struct cluster_paths *paths, const struct cluster_owner *owner,
               char *err, size_t errlen)
{
	static const char include_line[] = "include_if_exists = 'bazar.conf'";
	char conf[PATH_MAX + 32], tmp[PATH_MAX + 32], main_conf[PATH_MAX + 32], line[512];
	char *sockdirs, *q;
	bool included = false;
	FILE *f;
	int fd;

	snprintf(conf, sizeof conf, "%s/bazar.conf", paths->data_dir);
	snprintf(tmp, sizeof tmp, "%s/bazar.conf.tmp", paths->data_dir);
	snprintf(main_conf, sizeof main_conf, "%s/postgresql.conf", paths->data_dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		goto io;
	}
	/* unix_socket_directories is a list: quote the one folder with double
	 * quotes (doubled inside) so a comma in the path stays part of it. */
	sockdirs = xmalloc(2 * strlen(paths->socket_dir) + 3);
	q = sockdirs;
	*q++ = '"';
	for (const char *s = paths->socket_dir; *s != '\0'; s++) {
		if (*s == '"')
			*q++ = '"';
		*q++ = *s;
	}
	*q++ = '"';
	*q = '\0';
	fprintf(f, "# Written by \"bazar db start\" on every start; do not edit.\n"
	        "# Override with ALTER SYSTEM (postgresql.auto.conf wins over this file).\n"
	        "listen_addresses = ''\t\t\t# Unix socket only, no TCP\n"
	        "port = %d\n"
	        "unix_socket_directories = ", paths->port);
	conf_quote(f, sockdirs);
	free(sockdirs);
	fprintf(f, "\n"
	        "unix_socket_permissions = 0700\t\t# only the server user and root\n"
	        "max_connections = 400\t\t\t# race and load tests plus the console\n"
	        "track_functions = 'all'\t\t\t# function times for the console, SQL ones too\n"
	        "log_lock_waits = on\n"
	        "# 200ms instead of 1s: lock waits longer than this are logged (with\n"
	        "# log_lock_waits) and deadlocks are found sooner, which a checkout\n"
	        "# under contention wants to see; checking costs nothing until a wait.\n"
	        "deadlock_timeout = '200ms'\n"
	        "idle_in_transaction_session_timeout = '60s'\t# a stuck client never holds locks for long\n"
	        "# Passwords and session tokens are bind parameters: never log them.\n"
	        "log_parameter_max_length = 0\n"
	        "log_parameter_max_length_on_error = 0\n"
	        "logging_collector = off\t\t\t# stderr goes to the server log via pg_ctl -l\n"
	        "log_destination = 'stderr'\n");
	if (fclose(f) != 0)
		goto io;
	if (owner->uid != (uid_t)-1 && chown(tmp, owner->uid, owner->gid) < 0)
		goto io;
	if (rename(tmp, conf) < 0)
		goto io;
	f = fopen(main_conf, "r");
	if (f == NULL)
		goto io;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, include_line, sizeof include_line - 1) == 0)
			included = true;
	fclose(f);
	if (!included) {
		/* O_APPEND keeps the file's owner (the server user) as it is. */
		f = fopen(main_conf, "a");
		if (f == NULL)
			goto io;
		fprintf(f, "\n# Bazar's settings, rewritten by \"bazar db start\".\n%s\n", include_line);
		if (fclose(f) != 0)
			goto io;
	}
	return BZ_OK;
io:
	snprintf(err, errlen, "cannot write the server settings in %s: %s", paths->data_dir, strerror(errno));
	return BZ_ERR_IO;
}

/* Create path if missing and give it to the server user, which opens it
 * (pg_ctl -l) in a folder it may not be able to write. */
bz_err
cluster_touch_owned(const char *path, const struct cluster_owner *owner, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || (owner->uid != (uid_t)-1 && fchown(fd, owner->uid, owner->gid) < 0)) {
		snprintf(err, errlen, "cannot create the server log %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return BZ_ERR_IO;
	}
	close(fd);
	return BZ_OK;
}
