/* Internals shared by db/cluster*.c: running programs as the server user,
 * looking at postmaster.pid and the socket. Not for other modules: they
 * use db/cluster.h. */
#ifndef BAZAR_DB_CLUSTER_PRIVATE_H
#define BAZAR_DB_CLUSTER_PRIVATE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "db/cluster.h"

/* Who should own the folders the server uses: the server user when we
 * are root; uid (uid_t)-1 otherwise (everything simply belongs to us). */
struct cluster_owner {
	uid_t uid;
	gid_t gid;
};

/* What a PID read from postmaster.pid turned out to be. */
enum cluster_pid_kind {
	CLUSTER_PID_DEAD,   /* no such process */
	CLUSTER_PID_OTHER,  /* alive, but not a PostgreSQL server of this data folder */
	CLUSTER_PID_OURS,   /* a postgres process whose working folder is our data folder */
};

/* Run argv[0] (an absolute path, or a bare name looked up in PATH) with
 * stdin from /dev/null and stdout+stderr captured into *output (NUL
 * terminated, caller frees; pass NULL to discard). When run_as is not
 * empty the program runs as that user through runuser(1), from "/" so
 * that an unreachable working folder cannot break it. Returns the exit
 * status (128+N for signal N), or -1 when it could not be started, with
 * errno set. */
int cluster_run(const char *run_as, const char *const argv[], char **output);

/* The uid and gid of user; false when there is no such user. */
bool cluster_user_ids(const char *user, uid_t *uid, gid_t *gid);

/* Whether user (with its groups) may access(path, mode). Exact: a child
 * process drops to the user and asks the kernel, so ACLs, groups and
 * read-only mounts all count. */
bool cluster_user_can(const char *user, const char *path, int mode);

/* The PID in data_dir/postmaster.pid; 0 when the file does not exist,
 * -1 when it exists but holds no PID. */
long cluster_pidfile_pid(const char *data_dir);

/* Line lineno (1-based) of data_dir/postmaster.pid without its newline:
 * 4 is the port, 5 the socket folder, 8 the status ("ready", "starting").
 * False when the file or the line is missing. */
bool cluster_pidfile_line(const char *data_dir, int lineno, char *out, size_t outlen);

/* Classify pid against data_dir; comm gets the process name ("" if dead). */
enum cluster_pid_kind cluster_classify_pid(long pid, const char *data_dir, char *comm, size_t commlen);

/* Something accepts connections on the Unix socket at path. */
bool cluster_socket_accepts(const char *path);

/* Full path of the socket file .s.PGSQL.<port> into out. */
void cluster_socket_path(const struct cluster_paths *paths, char *out, size_t outlen);

/* Where the server binaries are: bindir gets the folder ("" when none has
 * initdb, pg_ctl and postgres), looked the places searched, for messages. */
void cluster_find_bindir(char *bindir, size_t bindirlen, char *looked, size_t lookedlen);

/* The folder that takes data and/or socket when home will not do:
 * /var/tmp/bazar-<euid>-<12 hex of a hash of home>, deterministic. */
void cluster_relocation_base(const char *home, char *out, size_t outlen);

/* mkdir -p path; the folders created get mode (and, when owner_uid is not
 * (uid_t)-1, that owner). Returns 0 or an errno value. */
int cluster_mkdirs(const char *path, mode_t mode, uid_t owner_uid, gid_t owner_gid);

/* --- cluster.c --- */

/* printf to out, which may be NULL (quiet callers). */
void cluster_say(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fill owner from paths->run_as. */
void cluster_server_owner(const struct cluster_paths *paths, struct cluster_owner *owner);

/* initdb has completed in the data folder (it writes PG_VERSION). */
bool cluster_is_initialised(const struct cluster_paths *paths);

/* A connection as the bootstrap superuser over the private socket; check
 * PQstatus, PQfinish it. */
PGconn *cluster_admin_connect(const struct cluster_paths *paths, const char *dbname);

/* postmaster.pid names a live server of this data folder; its PID in *pid. */
bool cluster_our_pid(const struct cluster_paths *paths, long *pid);

/* --- cluster_setup.c --- */

/* mkdir -p path: parents 0755, the folder itself 0700, handed to the
 * server user when hand_over and we are root. 0 or an errno value. */
int cluster_make_dir(const char *path, bool hand_over, const struct cluster_owner *owner);

/* The last lines of text, indented, for an error message. */
void cluster_text_tail(const char *text, char *out, size_t outlen);

/* initdb into the (created) data folder, as the server user. */
bz_err cluster_initdb(const struct cluster_paths *paths, const struct cluster_owner *owner,
                      FILE *out, char *err, size_t errlen);

/* (Re)write data/bazar.conf and include it from postgresql.conf. */
bz_err cluster_write_settings(const struct cluster_paths *paths, const struct cluster_owner *owner,
                              char *err, size_t errlen);

/* Create path if missing and give it to the server user. */
bz_err cluster_touch_owned(const char *path, const struct cluster_owner *owner, char *err, size_t errlen);

#endif
