/* The private PostgreSQL cluster: Bazar's embedded default database.
 *
 * When neither DATABASE_URL nor any PG* connection variable is set, Bazar
 * keeps its own cluster under $BAZAR_HOME, listening on a Unix socket only
 * (no TCP). This module finds the paths, runs initdb once, starts and stops
 * the server with pg_ctl, and reports its status. When run as root, the
 * server runs as an unprivileged OS user (PostgreSQL refuses root).
 *
 * Nothing here talks to ncurses; libpq is used only inside db/cluster.c
 * (to ping the server and create the roles). */
#ifndef BAZAR_DB_CLUSTER_H
#define BAZAR_DB_CLUSTER_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

/* Names fixed by the private cluster. */
#define CLUSTER_SUPERUSER   "bazar_admin"   /* bootstrap superuser (initdb -U) */
#define CLUSTER_OWNER_ROLE  "bazar_owner"   /* owns the database and runs migrations */
#define CLUSTER_CLIENT_ROLE "bazar_client"  /* kiosk storefront: API functions only */
#define CLUSTER_STAFF_ROLE  "bazar_staff"   /* operator console */
#define CLUSTER_TESTER_ROLE "bazar_tester"  /* race lab and attack suite: customer + staff API */
#define CLUSTER_MAILER_ROLE "bazar_mailer"  /* mail worker: the api_mail_* functions only */
#define CLUSTER_DATABASE    "bazar"
#define CLUSTER_DEFAULT_PORT 5432

struct cluster_paths {
	char home[PATH_MAX];       /* $BAZAR_HOME (default $XDG_DATA_HOME/bazar) */
	char data_dir[PATH_MAX];   /* PGDATA */
	char socket_dir[PATH_MAX]; /* unix_socket_directories; the host= to connect to */
	char server_log[PATH_MAX]; /* PostgreSQL's own log */
	char bazar_log[PATH_MAX];  /* Bazar's log: errors, retries, slow calls; no secrets */
	char bindir[PATH_MAX];     /* where initdb/pg_ctl/postgres live; "" if not found */
	char run_as[64];           /* OS user the server runs as when we are root; "" otherwise */
	int port;                  /* names the socket file .s.PGSQL.<port> */
	bool relocated;            /* data/socket moved out of home (unreachable or path too long) */
};

enum cluster_state {
	CLUSTER_ABSENT,   /* no data folder yet (initdb never ran) */
	CLUSTER_STOPPED,  /* initialised, not running */
	CLUSTER_RUNNING,  /* accepting connections on the socket */
};

/* True when no DATABASE_URL and no PG* connection variable is set, i.e.
 * Bazar should use (and may start) its private cluster. */
bool cluster_is_default(void);

/* Work out every path from the environment (BAZAR_HOME, XDG_DATA_HOME,
 * HOME, BAZAR_PG_BINDIR, BAZAR_PG_PORT). Creates nothing.
 * On error writes a sentence to err. */
bz_err cluster_resolve(struct cluster_paths *paths, char *err, size_t errlen);

/* Current state; never starts anything. */
enum cluster_state cluster_state(const struct cluster_paths *paths);

/* initdb (once), then start the server and wait until it accepts
 * connections; creates the roles and the database on first start.
 * Progress lines go to out (may be NULL). Idempotent: a running cluster is
 * left alone. Bad states (stale postmaster.pid, socket in use, folder not
 * writable, binaries missing) give a clear sentence in err. */
bz_err cluster_start(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen);

/* What every command that connects starts with: when the private cluster
 * is the database in use (cluster_is_default), resolve it and start it
 * unless it runs (progress lines to OUT); otherwise nothing. */
bz_err cluster_ensure_running(FILE *out, char *err, size_t errlen);

/* Stop the server (fast shutdown) and wait. Stopping a stopped cluster is OK. */
bz_err cluster_stop(const struct cluster_paths *paths, FILE *out, char *err, size_t errlen);

/* Print state, paths, socket, log locations to out. */
void cluster_print_status(const struct cluster_paths *paths, FILE *out);

/* A libpq URI reaching dbname as role over the private socket, e.g.
 * postgresql:///bazar?host=%2Fhome%2Fu%2F.local%2Fshare%2Fbazar%2Frun&port=5432&user=bazar_owner
 * (no password: the socket is private and local connections are trusted).
 * Caller frees. */
char *cluster_uri(const struct cluster_paths *paths, const char *role, const char *dbname);

#endif
