/* "bazar db status": the private cluster's state, folders, version, logs
 * and connection URIs. */
#include "config.h"
#include "db/cluster.h"
#include "db/cluster_private.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void server_version(const struct cluster_paths *paths, char *out, size_t outlen);

/* "15.13" from the running server, else the binaries' own version. */
static void
server_version(const struct cluster_paths *paths, char *out, size_t outlen)
{
	char postgres[PATH_MAX + 16];
	const char *argv[] = { postgres, "--version", NULL };
	char *output = NULL;
	PGconn *conn;

	snprintf(out, outlen, "unknown");
	if (cluster_state(paths) == CLUSTER_RUNNING) {
		conn = cluster_admin_connect(paths, "postgres");
		if (PQstatus(conn) == CONNECTION_OK && PQparameterStatus(conn, "server_version") != NULL)
			snprintf(out, outlen, "%s (running)", PQparameterStatus(conn, "server_version"));
		PQfinish(conn);
		return;
	}
	if (paths->bindir[0] == '\0') {
		snprintf(out, outlen, "server binaries not found");
		return;
	}
	snprintf(postgres, sizeof postgres, "%s/postgres", paths->bindir);
	if (cluster_run(NULL, argv, &output) == 0 && output != NULL) {
		output[strcspn(output, "\n")] = '\0';
		snprintf(out, outlen, "%s (binaries)", output);
	}
	free(output);
}

void
cluster_print_status(const struct cluster_paths *paths, FILE *out)
{
	static const char *const roles[] = { CLUSTER_OWNER_ROLE, CLUSTER_CLIENT_ROLE, CLUSTER_STAFF_ROLE,
	                                     CLUSTER_TESTER_ROLE, CLUSTER_MAILER_ROLE };
	static const char *const labels[] = { "owner URI:", "client URI:", "staff URI:", "tester URI:",
	                                      "mailer URI:" };
	enum cluster_state state = cluster_state(paths);
	char version[256], user[64];
	long pid = 0;

	if (state == CLUSTER_RUNNING)
		cluster_our_pid(paths, &pid);
	server_version(paths, version, sizeof version);
	if (paths->run_as[0] != '\0')
		snprintf(user, sizeof user, "%s", paths->run_as);
	else
		snprintf(user, sizeof user, "uid %lu (you)", (unsigned long)geteuid());
	if (state == CLUSTER_RUNNING)
		fprintf(out, "state:         running (PID %ld)\n", pid);
	else if (state == CLUSTER_STOPPED && cluster_our_pid(paths, &pid))
		fprintf(out, "state:         not answering (PID %ld runs in the data folder but not on this "
		        "socket and port; see the server log)\n", pid);
	else
		fprintf(out, "state:         %s\n", state == CLUSTER_ABSENT ?
		        "absent (no data folder yet; \"bazar db start\" creates it)" : "stopped");
	fprintf(out, "home:          %s\n", paths->home);
	fprintf(out, "data folder:   %s\n", paths->data_dir);
	fprintf(out, "socket folder: %s\n", paths->socket_dir);
	fprintf(out, "port:          %d\n", paths->port);
	fprintf(out, "server user:   %s\n", user);
	fprintf(out, "PostgreSQL:    %s\n", version);
	fprintf(out, "binaries:      %s\n", paths->bindir[0] != '\0' ? paths->bindir : "not found");
	fprintf(out, "Bazar log:     %s\n", paths->bazar_log);
	fprintf(out, "server log:    %s\n", paths->server_log);
	if (paths->relocated)
		fprintf(out, "note:          data or socket live outside home (the server user cannot "
		        "reach home, or the socket path would be too long)\n");
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		char *uri = cluster_uri(paths, roles[i], CLUSTER_DATABASE);

		fprintf(out, "%-14s %s\n", labels[i], uri);
		free(uri);
	}
}
