/* Processes for the private cluster: running initdb/pg_ctl (as the server
 * user when we are root), asking the kernel what that user may access,
 * and telling a live postmaster from a stale postmaster.pid. */
#include "config.h"
#include "db/cluster_private.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/xalloc.h"

static const char *find_runuser(void);
static char **build_argv(const char *run_as, const char *runuser, const char *const argv[]);
static void free_argv(char **argv);
static char *read_all(int fd);
static int wait_status(pid_t pid);
static bool drop_to_user(const char *user);
static void close_inherited(void);

/* runuser(1) comes with util-linux; Debian installs it in /usr/sbin. */
static const char *
find_runuser(void)
{
	static const char *const places[] = { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", NULL };

	for (size_t i = 0; places[i] != NULL; i++)
		if (access(places[i], X_OK) == 0)
			return places[i];
	return NULL;
}

/* A writable copy of argv, prefixed with "runuser -u USER --" when needed,
 * built before fork so the child only calls async-signal-safe functions. */
static char **
build_argv(const char *run_as, const char *runuser, const char *const argv[])
{
	size_t n = 0, k = 0;
	char **out;

	while (argv[n] != NULL)
		n++;
	out = xcalloc(n + 5, sizeof *out);
	if (runuser != NULL) {
		out[k++] = xstrdup("runuser");
		out[k++] = xstrdup("-u");
		out[k++] = xstrdup(run_as);
		out[k++] = xstrdup("--");
	}
	for (size_t i = 0; i < n; i++)
		out[k++] = xstrdup(argv[i]);
	out[k] = NULL;
	return out;
}

/* Free what build_argv made. */
static void
free_argv(char **argv)
{
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* Everything readable from fd until EOF, NUL terminated. */
static char *
read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);

	for (;;) {
		ssize_t got;

		if (cap - len < 1024) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	buf[len] = '\0';
	return buf;
}

/* In a child: close every descriptor above stderr. pg_ctl's server runs
 * on for days and would otherwise keep whatever we inherited open, such
 * as a flock(1) lock or a test harness pipe, and hold it forever. */
static void
close_inherited(void)
{
	long max;

	if (close_range(3, ~0U, 0) == 0)
		return;
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = 3; fd < max; fd++)
		close(fd);
}

/* Wait for pid; its exit status, or 128+signal. */
static int
wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

int
cluster_run(const char *run_as, const char *const argv[], char **output)
{
	const char *runuser = NULL;
	char **av;
	int fds[2];
	pid_t pid;
	char *text;
	int rc;

	if (output != NULL)
		*output = NULL;
	if (run_as != NULL && run_as[0] != '\0') {
		runuser = find_runuser();
		if (runuser == NULL) {
			errno = ENOENT;
			return -1;
		}
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	av = build_argv(run_as, runuser, argv);
	pid = fork();
	if (pid < 0) {
		int saved = errno;

		close(fds[0]);
		close(fds[1]);
		free_argv(av);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		close_inherited();
		if (runuser != NULL) {
			if (chdir("/") < 0)
				_exit(127);
			execv(runuser, av);
		} else if (strchr(av[0], '/') != NULL) {
			execv(av[0], av);
		} else {
			execvp(av[0], av);
		}
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", av[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	free_argv(av);
	text = read_all(fds[0]);
	close(fds[0]);
	rc = wait_status(pid);
	if (output != NULL)
		*output = text;
	else
		free(text);
	return rc;
}

bool
cluster_user_ids(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL)
		return false;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return true;
}

/* In a child: become user (groups, gid, uid) for good. */
static bool
drop_to_user(const char *user)
{
	uid_t uid;
	gid_t gid;

	if (!cluster_user_ids(user, &uid, &gid))
		return false;
	if (initgroups(user, gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0)
		return false;
	return true;
}

bool
cluster_user_can(const char *user, const char *path, int mode)
{
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		if (!drop_to_user(user))
			_exit(2);
		_exit(access(path, mode) == 0 ? 0 : 1);
	}
	return wait_status(pid) == 0;
}

long
cluster_pidfile_pid(const char *data_dir)
{
	char path[PATH_MAX], line[64];
	FILE *f;
	long pid = -1;

	if ((size_t)snprintf(path, sizeof path, "%s/postmaster.pid", data_dir) >= sizeof path)
		return 0;
	f = fopen(path, "r");
	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	if (fgets(line, sizeof line, f) != NULL) {
		char *end;
		long v = strtol(line, &end, 10);

		if (end != line && v > 0)
			pid = v;
	}
	fclose(f);
	return pid;
}

bool
cluster_pidfile_line(const char *data_dir, int lineno, char *out, size_t outlen)
{
	char path[PATH_MAX], line[PATH_MAX + 64];
	FILE *f;
	bool found = false;

	if ((size_t)snprintf(path, sizeof path, "%s/postmaster.pid", data_dir) >= sizeof path)
		return false;
	if ((f = fopen(path, "r")) == NULL)
		return false;
	for (int i = 1; fgets(line, sizeof line, f) != NULL; i++) {
		if (i == lineno) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, outlen, "%s", line);
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

enum cluster_pid_kind
cluster_classify_pid(long pid, const char *data_dir, char *comm, size_t commlen)
{
	char path[64], cwd[PATH_MAX], real[PATH_MAX];
	FILE *f;
	ssize_t n;

	if (commlen > 0)
		comm[0] = '\0';
	if (pid <= 0 || pid > INT_MAX || (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
		return CLUSTER_PID_DEAD;
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	f = fopen(path, "r");
	if (f == NULL) {
		/* Gone since kill(), or hidden (/proc mounted hidepid): either
		 * way not a server we could use. */
		snprintf(comm, commlen, "%s", errno == ENOENT ? "" : "a hidden process");
		return errno == ENOENT ? CLUSTER_PID_DEAD : CLUSTER_PID_OTHER;
	}
	if (commlen > 0 && fgets(comm, (int)commlen, f) != NULL)
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
	if (commlen == 0 || strcmp(comm, "postgres") != 0)
		return CLUSTER_PID_OTHER;
	/* The postmaster chdirs into its data folder: a postgres process
	 * elsewhere (PID reused by another cluster) is not ours. When we may not
	 * read its cwd (another user's process), give it the benefit of doubt. */
	snprintf(path, sizeof path, "/proc/%ld/cwd", pid);
	n = readlink(path, cwd, sizeof cwd - 1);
	if (n < 0)
		return CLUSTER_PID_OURS;
	cwd[n] = '\0';
	if (realpath(data_dir, real) == NULL)
		return CLUSTER_PID_OURS;
	return strcmp(cwd, real) == 0 ? CLUSTER_PID_OURS : CLUSTER_PID_OTHER;
}

bool
cluster_socket_accepts(const char *path)
{
	struct sockaddr_un addr;
	int fd, rc;

	if (strlen(path) >= sizeof addr.sun_path)
		return false;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	rc = connect(fd, (struct sockaddr *)&addr, sizeof addr);
	close(fd);
	return rc == 0;
}

void
cluster_socket_path(const struct cluster_paths *paths, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/.s.PGSQL.%d", paths->socket_dir, paths->port);
}

int
cluster_mkdirs(const char *path, mode_t mode, uid_t owner_uid, gid_t owner_gid)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof buf)
		return ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char saved = *p;
			struct stat st;

			*p = '\0';
			if (mkdir(buf, mode) == 0) {
				/* mkdir applies the umask; the mode is a promise. */
				if (chmod(buf, mode) < 0)
					return errno;
				if (owner_uid != (uid_t)-1 && chown(buf, owner_uid, owner_gid) < 0)
					return errno;
			} else if (errno != EEXIST) {
				return errno;
			} else if (stat(buf, &st) < 0) {
				return errno;
			} else if (!S_ISDIR(st.st_mode)) {
				return ENOTDIR;
			}
			*p = saved;
			if (saved == '\0')
				break;
		}
	}
	return 0;
}
