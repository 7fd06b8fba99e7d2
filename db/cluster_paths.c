/* Where the private cluster lives: home, data, socket, logs, binaries,
 * port and server user, all worked out from the environment without
 * creating anything; and the connection URIs that point at it. */
#include "config.h"
#include "db/cluster.h"
#include "db/cluster_private.h"

#include <errno.h>
#include <glob.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"

/* sun_path holds 108 bytes; PostgreSQL refuses longer socket paths, so
 * stay clear of the limit rather than fail at start. */
#define SOCKET_PATH_LIMIT 100
/* Where data or socket go when home will not do. /var/tmp survives
 * reboots (unlike /tmp on many systems), so the data stays. */
#define RELOCATE_PARENT "/var/tmp"

static const char *const pg_connection_vars[] = {
	"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", NULL
};

static bool is_set(const char *name);
static bool has_server_binaries(const char *dir);
static void normalise_path(char *path);
static bz_err resolve_home(char *home, size_t len, char *err, size_t errlen);
static bz_err resolve_port(int *port, char *err, size_t errlen);
static bz_err resolve_run_as(char *run_as, size_t len, char *err, size_t errlen);
static bool server_can_use(const char *user, const char *target);
static uint64_t fnv1a64(const char *s);
static bool path_join(char *out, size_t outlen, const char *dir, const char *name);
static void percent_encode(char *out, const char *in);

/* An environment variable that is set and not empty. */
static bool
is_set(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0';
}

bool
cluster_is_default(void)
{
	if (is_set("DATABASE_URL"))
		return false;
	/* Set-but-empty PG* variables still count: libpq treats PGHOST=""
	 * differently from unset, so the user asked for something. */
	for (size_t i = 0; pg_connection_vars[i] != NULL; i++)
		if (getenv(pg_connection_vars[i]) != NULL)
			return false;
	return true;
}

/* dir holds the three programs the private cluster needs. */
static bool
has_server_binaries(const char *dir)
{
	static const char *const progs[] = { "initdb", "pg_ctl", "postgres", NULL };
	char path[PATH_MAX];

	if (dir[0] == '\0')
		return false;
	for (size_t i = 0; progs[i] != NULL; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, progs[i]) >= sizeof path)
			return false;
		if (access(path, X_OK) != 0)
			return false;
	}
	return true;
}

void
cluster_find_bindir(char *bindir, size_t bindirlen, char *looked, size_t lookedlen)
{
	const char *env = getenv("BAZAR_PG_BINDIR");
	const char *const pg_config_argv[] = { "pg_config", "--bindir", NULL };
	char *out = NULL;
	glob_t g;
	long best_version = -1;
	const char *best = NULL;

	bindir[0] = '\0';
	looked[0] = '\0';
	/* An explicit choice is final: falling back would hide a typo. */
	if (env != NULL && env[0] != '\0') {
		snprintf(looked, lookedlen, "%s (BAZAR_PG_BINDIR)", env);
		if (has_server_binaries(env))
			snprintf(bindir, bindirlen, "%s", env);
		return;
	}
	if (cluster_run(NULL, pg_config_argv, &out) == 0 && out != NULL) {
		out[strcspn(out, "\n")] = '\0';
		snprintf(looked, lookedlen, "%s (pg_config --bindir)", out);
		if (has_server_binaries(out)) {
			snprintf(bindir, bindirlen, "%s", out);
			free(out);
			return;
		}
	} else {
		snprintf(looked, lookedlen, "pg_config (not in PATH)");
	}
	free(out);
	snprintf(looked + strlen(looked), lookedlen - strlen(looked), ", /usr/lib/postgresql/*/bin");
	if (glob("/usr/lib/postgresql/*/bin", GLOB_NOSORT, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i] + strlen("/usr/lib/postgresql/");
		long v = strtol(p, NULL, 10);

		if (v > best_version && has_server_binaries(g.gl_pathv[i])) {
			best_version = v;
			best = g.gl_pathv[i];
		}
	}
	if (best != NULL)
		snprintf(bindir, bindirlen, "%s", best);
	globfree(&g);
}

/* Collapse "//" and "/./" and drop a trailing "/", so that one folder
 * always hashes to the same relocation place. ".." is kept: resolving it
 * lexically is wrong across symlinks. */
static void
normalise_path(char *path)
{
	char *r = path, *w = path;

	while (*r != '\0') {
		if (r[0] == '/' && r[1] == '/') {
			r++;
		} else if (r[0] == '/' && r[1] == '.' && (r[2] == '/' || r[2] == '\0')) {
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	if (w == path) {
		strcpy(path, "/");
		return;
	}
	while (w > path + 1 && w[-1] == '/')
		*--w = '\0';
}

/* $BAZAR_HOME, else $XDG_DATA_HOME/bazar, else ~/.local/share/bazar,
 * made absolute against the current folder. */
static bz_err
resolve_home(char *home, size_t len, char *err, size_t errlen)
{
	char rel[PATH_MAX], cwd[PATH_MAX];
	const char *env;
	int n;

	if (is_set("BAZAR_HOME")) {
		n = snprintf(rel, sizeof rel, "%s", getenv("BAZAR_HOME"));
	} else if (is_set("XDG_DATA_HOME")) {
		n = snprintf(rel, sizeof rel, "%s/bazar", getenv("XDG_DATA_HOME"));
	} else {
		env = getenv("HOME");
		if (env == NULL || env[0] == '\0') {
			struct passwd *pw = getpwuid(geteuid());

			if (pw == NULL) {
				snprintf(err, errlen, "cannot tell where Bazar's folder goes: "
				         "HOME is not set; set BAZAR_HOME");
				return BZ_ERR_ENVIRONMENT;
			}
			env = pw->pw_dir;
		}
		n = snprintf(rel, sizeof rel, "%s/.local/share/bazar", env);
	}
	if (n < 0 || (size_t)n >= sizeof rel)
		goto too_long;
	if (rel[0] == '/') {
		n = snprintf(home, len, "%s", rel);
	} else {
		if (getcwd(cwd, sizeof cwd) == NULL) {
			snprintf(err, errlen, "cannot make BAZAR_HOME=%s absolute: %s", rel, strerror(errno));
			return BZ_ERR_IO;
		}
		n = snprintf(home, len, "%s/%s", cwd, rel);
	}
	if (n < 0 || (size_t)n >= len)
		goto too_long;
	normalise_path(home);
	return BZ_OK;
too_long:
	snprintf(err, errlen, "the path of Bazar's folder is too long; set a shorter BAZAR_HOME");
	return BZ_ERR_INVALID_INPUT;
}

/* $BAZAR_PG_PORT (1..65535), else the PostgreSQL default. */
static bz_err
resolve_port(int *port, char *err, size_t errlen)
{
	const char *env = getenv("BAZAR_PG_PORT");
	char *end;
	long v;

	*port = CLUSTER_DEFAULT_PORT;
	if (env == NULL || env[0] == '\0')
		return BZ_OK;
	errno = 0;
	v = strtol(env, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 65535) {
		snprintf(err, errlen, "BAZAR_PG_PORT=%s is not a port number (1 to 65535)", env);
		return BZ_ERR_INVALID_INPUT;
	}
	*port = (int)v;
	return BZ_OK;
}

/* PostgreSQL refuses to run as root: pick the unprivileged user. */
static bz_err
resolve_run_as(char *run_as, size_t len, char *err, size_t errlen)
{
	const char *user = is_set("BAZAR_PG_USER") ? getenv("BAZAR_PG_USER") : "postgres";
	uid_t uid;
	gid_t gid;

	if (!cluster_user_ids(user, &uid, &gid)) {
		snprintf(err, errlen, "running as root, the PostgreSQL server must run as another user, "
		         "but user '%s' does not exist; create it (adduser --system %s) or name "
		         "an existing one with BAZAR_PG_USER", user, user);
		return BZ_ERR_ENVIRONMENT;
	}
	if (uid == 0) {
		snprintf(err, errlen, "BAZAR_PG_USER=%s is root, and PostgreSQL refuses to run as root; "
		         "name an unprivileged user", user);
		return BZ_ERR_INVALID_INPUT;
	}
	if ((size_t)snprintf(run_as, len, "%s", user) >= len) {
		snprintf(err, errlen, "BAZAR_PG_USER is too long");
		return BZ_ERR_INVALID_INPUT;
	}
	return BZ_OK;
}

/* Whether the server user could use a folder at target that we (root)
 * create if missing and hand over to it: every folder on the way must be
 * searchable by that user, and the nearest existing one writable by us
 * (a read-only mount refuses even root). A non-folder on the way is
 * BAZAR_HOME's own problem, reported by cluster_start, not a reason to
 * move. */
static bool
server_can_use(const char *user, const char *target)
{
	char dir[PATH_MAX];
	struct stat st;
	bool exists = stat(target, &st) == 0;

	snprintf(dir, sizeof dir, "%s", target);
	for (;;) {
		char *slash = strrchr(dir, '/');

		if (slash == NULL || slash == dir) {
			strcpy(dir, "/");
			break;
		}
		*slash = '\0';
		if (stat(dir, &st) == 0 || errno != ENOENT)
			break;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return true;
	if (!exists && access(dir, W_OK) != 0)
		return false;
	return cluster_user_can(user, dir, X_OK);
}

/* FNV-1a: a stable, dependency-free fingerprint of the home path (the
 * relocation folder is not a secret, only a deterministic name). */
static uint64_t
fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* /var/tmp/bazar-<uid>-<12 hex of the home's hash>: the same place for
 * every later command run with the same BAZAR_HOME. */
void
cluster_relocation_base(const char *home, char *out, size_t outlen)
{
	char hex[17];

	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)fnv1a64(home));
	hex[12] = '\0';
	snprintf(out, outlen, "%s/bazar-%lu-%s", RELOCATE_PARENT, (unsigned long)geteuid(), hex);
}

/* out = dir + "/" + name; false when it does not fit. */
static bool
path_join(char *out, size_t outlen, const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);

	if (a + 1 + b + 1 > outlen)
		return false;
	memcpy(out, dir, a);
	out[a] = '/';
	memcpy(out + a + 1, name, b + 1);
	return true;
}

bz_err
cluster_resolve(struct cluster_paths *paths, char *err, size_t errlen)
{
	char looked[PATH_MAX + 128], base[PATH_MAX], sock[PATH_MAX + 32];
	bool data_moved = false, socket_moved = false, fits;
	bz_err rc;

	memset(paths, 0, sizeof *paths);
	if ((rc = resolve_home(paths->home, sizeof paths->home, err, errlen)) != BZ_OK)
		return rc;
	if ((rc = resolve_port(&paths->port, err, errlen)) != BZ_OK)
		return rc;
	if (geteuid() == 0 && (rc = resolve_run_as(paths->run_as, sizeof paths->run_as, err, errlen)) != BZ_OK)
		return rc;
	cluster_find_bindir(paths->bindir, sizeof paths->bindir, looked, sizeof looked);
	cluster_relocation_base(paths->home, base, sizeof base);
	fits = path_join(paths->data_dir, sizeof paths->data_dir, paths->home, "pg") &&
	       path_join(paths->socket_dir, sizeof paths->socket_dir, paths->home, "run");
	if (fits && paths->run_as[0] != '\0') {
		if (!server_can_use(paths->run_as, paths->data_dir)) {
			path_join(paths->data_dir, sizeof paths->data_dir, base, "pg");
			data_moved = true;
		}
		socket_moved = !server_can_use(paths->run_as, paths->socket_dir);
	}
	cluster_socket_path(paths, sock, sizeof sock);
	if (strlen(sock) > SOCKET_PATH_LIMIT)
		socket_moved = true;
	if (socket_moved)
		path_join(paths->socket_dir, sizeof paths->socket_dir, base, "run");
	paths->relocated = data_moved || socket_moved;
	/* pg_ctl opens the server log as the server user: keep it in home
	 * only when that user can reach home, i.e. when the data stayed. */
	fits = fits && path_join(paths->server_log, sizeof paths->server_log,
	                         data_moved ? base : paths->home, "postgres.log") &&
	       path_join(paths->bazar_log, sizeof paths->bazar_log, paths->home, "bazar.log");
	if (!fits) {
		snprintf(err, errlen, "the path of Bazar's folder is too long; set a shorter BAZAR_HOME");
		return BZ_ERR_INVALID_INPUT;
	}
	return BZ_OK;
}

/* RFC 3986 percent-encoding of everything but the unreserved characters;
 * out must hold 3 * strlen(in) + 1 bytes. */
static void
percent_encode(char *out, const char *in)
{
	static const char hexdig[] = "0123456789ABCDEF";

	for (; *in != '\0'; in++) {
		unsigned char c = (unsigned char)*in;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			*out++ = (char)c;
		} else {
			*out++ = '%';
			*out++ = hexdig[c >> 4];
			*out++ = hexdig[c & 15];
		}
	}
	*out = '\0';
}

char *
cluster_uri(const struct cluster_paths *paths, const char *role, const char *dbname)
{
	char *host = xmalloc(3 * strlen(paths->socket_dir) + 1);
	char *db = xmalloc(3 * strlen(dbname) + 1);
	char *user = xmalloc(3 * strlen(role) + 1);
	char *uri;

	percent_encode(host, paths->socket_dir);
	percent_encode(db, dbname);
	percent_encode(user, role);
	uri = xasprintf("postgresql:///%s?host=%s&port=%d&user=%s", db, host, paths->port, user);
	free(host);
	free(db);
	free(user);
	return uri;
}
