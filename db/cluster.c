/* The private cluster's life: start, stop and state, and the roles and
 * database that every start makes sure of. Preparing a data folder
 * (initdb, settings) is in cluster_setup.c, the status report in
 * cluster_status.c.
 *
 * Security model: initdb trusts local (Unix socket) connections and
 * rejects every TCP one; the server listens on no TCP address at all and
 * its socket is mode 0700, so only the server's OS user and root can
 * connect. That is what makes "trust" acceptable for a private,
 * single-user database. */
#include "config.h"
#include "db/cluster.h"
#include "db/cluster_private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

#define START_TIMEOUT_S "60"       /* pg_ctl -t: initdb'd clusters start in ~1 s */
#define READY_WAIT_MS   60000      /* how long a starting server may take to accept */
#define SQLSTATE_DUPLICATE_OBJECT   "42710"
#define SQLSTATE_DUPLICATE_DATABASE "42P04"

/* The roles every start makes sure of. Names are fixed constants, so they
 * appear literally in the statements (identifiers cannot be bound). */
static const struct {
	const char *name;
	const char *create;
} cluster_roles[] = {
	{ CLUSTER_OWNER_ROLE,  "CREATE ROLE " CLUSTER_OWNER_ROLE " LOGIN CREATEROLE" },
	{ CLUSTER_CLIENT_ROLE, "CREATE ROLE " CLUSTER_CLIENT_ROLE " LOGIN" },
	{ CLUSTER_STAFF_ROLE,  "CREATE ROLE " CLUSTER_STAFF_ROLE " LOGIN" },
	{ CLUSTER_TESTER_ROLE, "CREATE ROLE " CLUSTER_TESTER_ROLE " LOGIN" },
	{ CLUSTER_MAILER_ROLE, "CREATE ROLE " CLUSTER_MAILER_ROLE " LOGIN" },
};

/* Predefined roles the owner needs for the console's Locks screen (0014):
 * seeing other roles' backends in pg_stat_activity, and cancelling them.
 * Cluster-wide, so no migration can grant them; granted on every start. */
static const char *const cluster_owner_grants[] = { "pg_read_all_stats", "pg_signal_backend" };

static PGPing ping(const struct cluster_paths *paths);
static bool wait_ready(const struct cluster_paths *paths, int ms);
static bool row_exists(PGconn *conn, const char *sql, const char *value, char *err, size_t errlen);
static bool run_ignoring(PGconn *conn, const char *sql, const char *dup_state, bool *created,
                         char *err, size_t errlen);
static bz_err ensure_roles(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen);
static bz_err prepare_home(const struct cluster_paths *paths, const struct cluster_owner *owner,
                          char *err, size_t errlen);
static bz_err prepare_relocation(const struct cluster_paths *paths, const struct cluster_owner *owner,
                                char *err, size_t errlen);
static bz_err check_binaries(const struct cluster_paths *paths, char *err, size_t errlen);
static bool clear_stale_pidfile(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen);
static void file_tail(const char *path, char *out, size_t outlen);
static bz_err run_pg_ctl_start(const struct cluster_paths *paths, char *err, size_t errlen);
static int lock_home(const struct cluster_paths *paths);
static void unlock_home(int fd);
static bool runs_elsewhere(const struct cluster_paths *paths, long pid, char *err, size_t errlen);
static bz_err start_locked(const struct cluster_paths *paths, const struct cluster_owner *owner,
                          FILE *out, char *err, size_t errlen);
static bz_err stop_locked(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen);

/* printf to out, which may be NULL (quiet callers). */
void
cluster_say(FILE *out, const char *fmt, ...)
{
	va_list ap;

	if (out == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fflush(out);
}

/* The server user's ids when we are root; (uid_t)-1 otherwise. */
void
cluster_server_owner(const struct cluster_paths *paths, struct cluster_owner *owner)
{
	owner->uid = (uid_t)-1;
	owner->gid = (gid_t)-1;
	if (paths->run_as[0] != '\0' && !cluster_user_ids(paths->run_as, &owner->uid, &owner->gid)) {
		owner->uid = (uid_t)-1;
		owner->gid = (gid_t)-1;
	}
}

/* initdb has completed in data_dir (it writes PG_VERSION). */
bool
cluster_is_initialised(const struct cluster_paths *paths)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof path, "%s/PG_VERSION", paths->data_dir);
	return access(path, F_OK) == 0;
}

/* A connection as the bootstrap superuser over the private socket. Every
 * value is explicit, so stray PG* variables cannot redirect it. */
PGconn *
cluster_admin_connect(const struct cluster_paths *paths, const char *dbname)
{
	const char *keys[] = { "host", "port", "user", "dbname", "application_name",
	                       "connect_timeout", NULL };
	char port[16];
	const char *values[] = { paths->socket_dir, port, CLUSTER_SUPERUSER, dbname,
	                         "bazar db", "10", NULL };

	snprintf(port, sizeof port, "%d", paths->port);
	return PQconnectdbParams(keys, values, 0);
}

/* PQping on the private socket. */
static PGPing
ping(const struct cluster_paths *paths)
{
	const char *keys[] = { "host", "port", "user", "dbname", "connect_timeout", NULL };
	char port[16];
	const char *values[] = { paths->socket_dir, port, CLUSTER_SUPERUSER, "postgres", "5", NULL };

	snprintf(port, sizeof port, "%d", paths->port);
	return PQpingParams(keys, values, 0);
}

/* Poll until the server accepts connections, at most ms milliseconds. */
static bool
wait_ready(const struct cluster_paths *paths, int ms)
{
	const struct timespec step = { 0, 100 * 1000 * 1000 };

	for (int waited = 0; ; waited += 100) {
		if (ping(paths) == PQPING_OK)
			return true;
		if (waited >= ms)
			return false;
		nanosleep(&step, NULL);
	}
}

/* postmaster.pid names a live server of this data folder; its PID in *pid. */
bool
cluster_our_pid(const struct cluster_paths *paths, long *pid)
{
	char comm[64];

	*pid = cluster_pidfile_pid(paths->data_dir);
	return *pid > 0 && cluster_classify_pid(*pid, paths->data_dir, comm, sizeof comm) == CLUSTER_PID_OURS;
}

enum cluster_state
cluster_state(const struct cluster_paths *paths)
{
	long pid;

	if (!cluster_is_initialised(paths))
		return CLUSTER_ABSENT;
	if (cluster_our_pid(paths, &pid) && ping(paths) == PQPING_OK)
		return CLUSTER_RUNNING;
	return CLUSTER_STOPPED;
}

/* Whether the one-parameter query sql returns a row for value. */
static bool
row_exists(PGconn *conn, const char *sql, const char *value, char *err, size_t errlen)
{
	const char *params[1] = { value };
	PGresult *res = PQexecParams(conn, sql, 1, NULL, params, NULL, NULL, 0);
	bool found = false;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		snprintf(err, errlen, "%s", PQerrorMessage(conn));
	else
		found = PQntuples(res) > 0;
	PQclear(res);
	return found;
}

/* Run a DDL statement; a "duplicate" error (another start won the race)
 * counts as success. *created says whether this call made it. */
static bool
run_ignoring(PGconn *conn, const char *sql, const char *dup_state, bool *created, char *err, size_t errlen)
{
	PGresult *res = PQexec(conn, sql);
	const char *state;
	bool ok = true;

	*created = false;
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		*created = true;
	} else {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state == NULL || strcmp(state, dup_state) != 0) {
			snprintf(err, errlen, "%s", PQerrorMessage(conn));
			ok = false;
		}
	}
	PQclear(res);
	return ok;
}

/* The owner, client and staff roles (the owner with the predefined roles
 * above) and the database, created when missing. Safe on every start;
 * prints only what it created or granted. */
static bz_err
ensure_roles(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen)
{
	char msg[512] = "";
	bz_err rc = BZ_ERR_CONNECTION;
	PGconn *conn = cluster_admin_connect(paths, "postgres");
	bool created;

	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(conn));
		goto fail;
	}
	rc = BZ_ERR_INTERNAL;
	for (size_t i = 0; i < sizeof cluster_roles / sizeof cluster_roles[0]; i++) {
		if (row_exists(conn, "SELECT 1 FROM pg_roles WHERE rolname = $1",
		               cluster_roles[i].name, msg, sizeof msg))
			continue;
		if (msg[0] != '\0')
			goto fail;
		if (!run_ignoring(conn, cluster_roles[i].create, SQLSTATE_DUPLICATE_OBJECT,
		                  &created, msg, sizeof msg))
			goto fail;
		if (created)
			cluster_say(out, "created role %s\n", cluster_roles[i].name);
	}
	for (size_t i = 0; i < sizeof cluster_owner_grants / sizeof cluster_owner_grants[0]; i++) {
		char grant[128];

		if (row_exists(conn, "SELECT 1 WHERE pg_has_role('" CLUSTER_OWNER_ROLE "', $1, 'MEMBER')",
		               cluster_owner_grants[i], msg, sizeof msg))
			continue;
		if (msg[0] != '\0')
			goto fail;
		snprintf(grant, sizeof grant, "GRANT %s TO " CLUSTER_OWNER_ROLE, cluster_owner_grants[i]);
		if (!run_ignoring(conn, grant, SQLSTATE_DUPLICATE_OBJECT, &created, msg, sizeof msg))
			goto fail;
		cluster_say(out, "granted %s to %s\n", cluster_owner_grants[i], CLUSTER_OWNER_ROLE);
	}
	if (!row_exists(conn, "SELECT 1 FROM pg_database WHERE datname = $1",
	                CLUSTER_DATABASE, msg, sizeof msg)) {
		if (msg[0] != '\0')
			goto fail;
		if (!run_ignoring(conn, "CREATE DATABASE " CLUSTER_DATABASE " OWNER " CLUSTER_OWNER_ROLE
		                  " ENCODING 'UTF8'", SQLSTATE_DUPLICATE_DATABASE, &created, msg, sizeof msg))
			goto fail;
		if (created)
			cluster_say(out, "created database %s owned by %s\n", CLUSTER_DATABASE, CLUSTER_OWNER_ROLE);
		/* The private cluster is a test shop: the race lab may run on it
		 * (race/race.h). Only when we made it; an owner's later "off" stays. */
		if (created && !run_ignoring(conn, "ALTER DATABASE " CLUSTER_DATABASE " SET bazar.test_database = on",
		                             SQLSTATE_DUPLICATE_DATABASE, &created, msg, sizeof msg))
			goto fail;
	}
	PQfinish(conn);
	return BZ_OK;
fail:
	msg[strcspn(msg, "\n")] = '\0';
	snprintf(err, errlen, "could not create Bazar's roles and database in the private cluster: %s", msg);
	bz_log(LOG_ERROR, "cluster: creating roles failed: %s", msg);
	PQfinish(conn);
	return rc;
}

/* BAZAR_HOME exists and we may write in it (Bazar's log goes there). */
static bz_err
prepare_home(const struct cluster_paths *paths, const struct cluster_owner *owner, char *err, size_t errlen)
{
	struct stat st;
	bool existed = stat(paths->home, &st) == 0;
	/* A home we create is handed to the server user, so it can reach the
	 * data below; an existing one is left as its owner made it. */
	int e = cluster_make_dir(paths->home, !existed, owner);

	if (e == 0 && access(paths->home, W_OK | X_OK) != 0)
		e = errno;
	if (e != 0) {
		snprintf(err, errlen, "cannot write to BAZAR_HOME=%s: %s; choose another with BAZAR_HOME",
		         paths->home, strerror(e));
		return BZ_ERR_IO;
	}
	return BZ_OK;
}

/* The /var/tmp folder that takes data or socket: created private, and
 * refused when someone else made it first (it lives in a shared,
 * world-writable place, so it could be a trap). */
static bz_err
prepare_relocation(const struct cluster_paths *paths, const struct cluster_owner *owner,
                   char *err, size_t errlen)
{
	char base[PATH_MAX];
	struct stat st;

	if (!paths->relocated)
		return BZ_OK;
	cluster_relocation_base(paths->home, base, sizeof base);
	if (mkdir(base, 0700) == 0) {
		if (owner->uid != (uid_t)-1 && chown(base, owner->uid, owner->gid) < 0)
			goto io;
	} else if (errno != EEXIST) {
		goto io;
	}
	if (lstat(base, &st) < 0)
		goto io;
	if (!S_ISDIR(st.st_mode) || (st.st_mode & 022) != 0 ||
	    (st.st_uid != geteuid() && st.st_uid != owner->uid)) {
		snprintf(err, errlen, "refusing to use %s: it is not a private folder of yours or of the "
		         "server user (owner uid %lu, mode %03o); remove it and start again", base,
		         (unsigned long)st.st_uid, (unsigned)(st.st_mode & 0777));
		return BZ_ERR_ENVIRONMENT;
	}
	return BZ_OK;
io:
	snprintf(err, errlen, "cannot create %s (the server's folder outside BAZAR_HOME): %s",
	         base, strerror(errno));
	return BZ_ERR_IO;
}

/* initdb, pg_ctl and postgres are where resolve said; else say what to install. */
static bz_err
check_binaries(const struct cluster_paths *paths, char *err, size_t errlen)
{
	char bindir[PATH_MAX], looked[PATH_MAX + 128];

	if (paths->bindir[0] != '\0')
		return BZ_OK;
	cluster_find_bindir(bindir, sizeof bindir, looked, sizeof looked);
	snprintf(err, errlen, "PostgreSQL server binaries not found (looked in: %s); install the "
	         "Debian package postgresql-15 (or set BAZAR_PG_BINDIR)", looked);
	return BZ_ERR_ENVIRONMENT;
}

/* A postmaster.pid whose PID is dead, or is some other program (PIDs are
 * reused after a crash or reboot), would make pg_ctl refuse to start:
 * remove it and say so. False with err set when it cannot be removed. */
static bool
clear_stale_pidfile(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen)
{
	char path[PATH_MAX + 16], comm[64];
	long pid = cluster_pidfile_pid(paths->data_dir);
	enum cluster_pid_kind kind;

	if (pid == 0)
		return true;
	kind = cluster_classify_pid(pid, paths->data_dir, comm, sizeof comm);
	if (kind == CLUSTER_PID_OURS)
		return true;
	snprintf(path, sizeof path, "%s/postmaster.pid", paths->data_dir);
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "found a stale %s but cannot remove it: %s", path, strerror(errno));
		return false;
	}
	if (pid < 0)
		cluster_say(out, "removed stale postmaster.pid (it held no PID)\n");
	else if (kind == CLUSTER_PID_DEAD)
		cluster_say(out, "removed stale postmaster.pid (PID %ld was not running)\n", pid);
	else
		cluster_say(out, "removed stale postmaster.pid (PID %ld was not running PostgreSQL but %s)\n", pid, comm);
	bz_log(LOG_WARN, "cluster: removed stale postmaster.pid (PID %ld)", pid);
	return true;
}

/* The tail of a file, as text_tail. */
static void
file_tail(const char *path, char *out, size_t outlen)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t size;
	ssize_t n;

	out[0] = '\0';
	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof buf - 1)
		lseek(fd, size - (off_t)sizeof buf + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	cluster_text_tail(buf, out, outlen);
}

/* pg_ctl start, waiting until the server is up; on failure the server
 * log says why, so quote its end. */
static bz_err
run_pg_ctl_start(const struct cluster_paths *paths, char *err, size_t errlen)
{
	char pg_ctl[PATH_MAX + 16], tail[1024];
	const char *argv[] = { pg_ctl, "-D", paths->data_dir, "-l", paths->server_log,
	                       "-w", "-t", START_TIMEOUT_S, "start", NULL };
	char *output = NULL;
	int rc;

	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", paths->bindir);
	rc = cluster_run(paths->run_as, argv, &output);
	if (rc == 0) {
		free(output);
		return BZ_OK;
	}
	if (rc < 0) {
		snprintf(err, errlen, "cannot run %s: %s", paths->run_as[0] != '\0' ? "runuser" : pg_ctl,
		         strerror(errno));
		free(output);
		return BZ_ERR_ENVIRONMENT;
	}
	file_tail(paths->server_log, tail, sizeof tail);
	if (tail[0] == '\0')
		cluster_text_tail(output != NULL ? output : "", tail, sizeof tail);
	free(output);
	snprintf(err, errlen, "PostgreSQL did not start (pg_ctl exit %d); the server log %s ends:\n%s",
	         rc, paths->server_log, tail);
	bz_log(LOG_ERROR, "cluster: pg_ctl start failed with exit %d", rc);
	return BZ_ERR_IO;
}

/* Serialise start and stop between bazar processes (tests run in
 * parallel, and every command may start the cluster): without it two
 * processes could run initdb in one folder. Returns the lock's fd, or -1
 * when it cannot be taken (then we go on unlocked: better than refusing). */
static int
lock_home(const struct cluster_paths *paths)
{
	char path[PATH_MAX + 16];
	int fd;

	snprintf(path, sizeof path, "%s/.start.lock", paths->home);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Release lock_home's lock. */
static void
unlock_home(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Our server runs but with another port or socket folder than asked
 * (BAZAR_PG_PORT changed, say): waiting for it on the new socket would
 * only time out, so say what to do instead. */
static bool
runs_elsewhere(const struct cluster_paths *paths, long pid, char *err, size_t errlen)
{
	char port[32], sockdir[PATH_MAX], real_theirs[PATH_MAX], real_ours[PATH_MAX];
	bool same_dir;

	if (!cluster_pidfile_line(paths->data_dir, 4, port, sizeof port) ||
	    !cluster_pidfile_line(paths->data_dir, 5, sockdir, sizeof sockdir))
		return false;  /* still starting: the lines come later */
	/* PostgreSQL canonicalises the folder it records; compare real paths. */
	if (realpath(sockdir, real_theirs) != NULL && realpath(paths->socket_dir, real_ours) != NULL)
		same_dir = strcmp(real_theirs, real_ours) == 0;
	else
		same_dir = strcmp(sockdir, paths->socket_dir) == 0;
	if (atoi(port) == paths->port && same_dir)
		return false;
	snprintf(err, errlen, "PostgreSQL (PID %ld) already runs in %s with port %s and socket folder %s, "
	         "not port %d in %s; stop it with \"bazar db stop\" to change them", pid, paths->data_dir,
	         port, sockdir, paths->port, paths->socket_dir);
	return true;
}

bz_err
cluster_ensure_running(FILE *out, char *err, size_t errlen)
{
	struct cluster_paths paths;
	bz_err rc;

	if (!cluster_is_default())
		return BZ_OK;
	if ((rc = cluster_resolve(&paths, err, errlen)) != BZ_OK)
		return rc;
	if (cluster_state(&paths) == CLUSTER_RUNNING)
		return BZ_OK;
	return cluster_start(&paths, out, err, errlen);
}

bz_err
cluster_start(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen)
{
	struct cluster_owner owner;
	bz_err rc;
	int lock;

	cluster_server_owner(paths, &owner);
	if ((rc = check_binaries(paths, err, errlen)) != BZ_OK)
		return rc;
	if ((rc = prepare_home(paths, &owner, err, errlen)) != BZ_OK)
		return rc;
	lock = lock_home(paths);
	rc = start_locked(paths, &owner, out, err, errlen);
	unlock_home(lock);
	return rc;
}

/* cluster_start once the home exists and the start lock is held. */
static bz_err
start_locked(const struct cluster_paths *paths, const struct cluster_owner *owner,
             FILE *out, char *err, size_t errlen)
{
	char sock[PATH_MAX + 32];
	long pid;
	bz_err rc;
	int e;

	if ((rc = prepare_relocation(paths, owner, err, errlen)) != BZ_OK)
		return rc;
	cluster_socket_path(paths, sock, sizeof sock);

	if (cluster_our_pid(paths, &pid)) {
		if (runs_elsewhere(paths, pid, err, errlen))
			return BZ_ERR_CONFLICT;
		/* Ours, maybe still starting. */
		if (!wait_ready(paths, READY_WAIT_MS)) {
			snprintf(err, errlen, "PostgreSQL (PID %ld) runs in %s but does not accept connections "
			         "on %s; see %s, or stop it with \"bazar db stop\"", pid, paths->data_dir,
			         sock, paths->server_log);
			return BZ_ERR_CONNECTION;
		}
		cluster_say(out, "PostgreSQL is already running (PID %ld) on %s\n", pid, sock);
		return ensure_roles(paths, out, err, errlen);
	}
	if (!clear_stale_pidfile(paths, out, err, errlen))
		return BZ_ERR_IO;
	/* PostgreSQL would silently unlink a socket file it finds and take
	 * over the name: refuse while anything still answers on it. */
	if (cluster_socket_accepts(sock)) {
		snprintf(err, errlen, "socket %s is in use by another server; stop it or set BAZAR_PG_PORT", sock);
		return BZ_ERR_CONFLICT;
	}
	if (!cluster_is_initialised(paths) && (rc = cluster_initdb(paths, owner, out, err, errlen)) != BZ_OK)
		return rc;
	/* Hand data and socket folders to the server user even if they exist:
	 * someone (a test, a careful admin) may have made them as root. */
	if ((e = cluster_make_dir(paths->data_dir, true, owner)) != 0 ||
	    (e = cluster_make_dir(paths->socket_dir, true, owner)) != 0) {
		snprintf(err, errlen, "cannot prepare %s and %s for the server: %s",
		         paths->data_dir, paths->socket_dir, strerror(e));
		return BZ_ERR_IO;
	}
	if ((rc = cluster_write_settings(paths, owner, err, errlen)) != BZ_OK)
		return rc;
	if ((rc = cluster_touch_owned(paths->server_log, owner, err, errlen)) != BZ_OK)
		return rc;
	cluster_say(out, "starting PostgreSQL on %s...\n", sock);
	if ((rc = run_pg_ctl_start(paths, err, errlen)) != BZ_OK)
		return rc;
	if (!wait_ready(paths, READY_WAIT_MS)) {
		snprintf(err, errlen, "PostgreSQL started but does not accept connections on %s; see %s",
		         sock, paths->server_log);
		return BZ_ERR_CONNECTION;
	}
	if ((rc = ensure_roles(paths, out, err, errlen)) != BZ_OK)
		return rc;
	cluster_our_pid(paths, &pid);
	cluster_say(out, "PostgreSQL is running (PID %ld), data in %s\n", pid, paths->data_dir);
	bz_log(LOG_INFO, "cluster: started PostgreSQL (PID %ld) in %s", pid, paths->data_dir);
	return BZ_OK;
}

bz_err
cluster_stop(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen)
{
	struct stat st;
	bz_err rc;
	int lock;

	/* No home, nothing to stop, and no reason to create a lock file. */
	if (stat(paths->home, &st) < 0 || !S_ISDIR(st.st_mode))
		return stop_locked(paths, out, err, errlen);
	lock = lock_home(paths);
	rc = stop_locked(paths, out, err, errlen);
	unlock_home(lock);
	return rc;
}

/* cluster_stop under the start lock. */
static bz_err
stop_locked(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen)
{
	char pg_ctl[PATH_MAX + 16], tail[1024];
	const char *argv[] = { pg_ctl, "-D", paths->data_dir, "-m", "fast", "-w", "-t", START_TIMEOUT_S,
	                       "stop", NULL };
	char *output = NULL;
	long pid;
	bz_err rc;
	int status;

	if (!cluster_is_initialised(paths)) {
		cluster_say(out, "no private cluster in %s: nothing to stop\n", paths->data_dir);
		return BZ_OK;
	}
	if (!cluster_our_pid(paths, &pid)) {
		cluster_say(out, "PostgreSQL is not running (data in %s): nothing to stop\n", paths->data_dir);
		return BZ_OK;
	}
	if ((rc = check_binaries(paths, err, errlen)) != BZ_OK)
		return rc;
	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", paths->bindir);
	status = cluster_run(paths->run_as, argv, &output);
	if (status != 0) {
		cluster_text_tail(output != NULL ? output : strerror(errno), tail, sizeof tail);
		snprintf(err, errlen, "could not stop PostgreSQL (PID %ld): pg_ctl exit %d:\n%s", pid, status, tail);
		free(output);
		return BZ_ERR_IO;
	}
	free(output);
	cluster_say(out, "stopped PostgreSQL (PID %ld)\n", pid);
	bz_log(LOG_INFO, "cluster: stopped PostgreSQL (PID %ld)", pid);
	return BZ_OK;
}
