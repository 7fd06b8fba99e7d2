/* Bazar's log file; see logfile.h. */
#include "config.h"
#include "cli/logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

/* The one log of this process: path, descriptor once opened, and
 * whether a failure turned it off. */
static struct {
	char path[PATH_MAX];
	int fd;
	int off;
} logfile = { "", -1, 0 };

static void logfile_sink(enum log_level level, const char *line, void *ctx);
static int logfile_ensure_open(void);

void
logfile_open(const char *path)
{
	logfile_close();
	if (snprintf(logfile.path, sizeof logfile.path, "%s", path) >= (int)sizeof logfile.path)
		return;
	logfile.off = 0;
	log_set_sink(logfile_sink, NULL);
}

void
logfile_close(void)
{
	log_set_sink(NULL, NULL);
	if (logfile.fd >= 0)
		close(logfile.fd);
	logfile.fd = -1;
}

/* Open on first use: most runs log nothing, and the folder may not exist
 * until the private cluster's first start. Returns 0 when writable. */
static int
logfile_ensure_open(void)
{
	if (logfile.fd >= 0)
		return 0;
	if (logfile.off)
		return -1;
	logfile.fd = open(logfile.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (logfile.fd >= 0)
		return 0;
	if (errno != ENOENT) {
		fprintf(stderr, "bazar: warning: cannot write the log %s: %s; logging is off\n",
		        logfile.path, strerror(errno));
		logfile.off = 1;
	}
	return -1;
}

/* Format one line and append it with a single write(2). */
static void
logfile_sink(enum log_level level, const char *line, void *ctx)
{
	char buf[1280], stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int n;

	if (logfile_ensure_open() < 0)
		return;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(buf, sizeof buf, "%s %s %ld %s", stamp, log_level_name(level), (long)getpid(), line);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf - 1)
		n = (int)sizeof buf - 2;
	/* One event, one line: a message with newlines would forge entries. */
	for (int i = 0; i < n; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = ' ';
	buf[n++] = '\n';
	if (write(logfile.fd, buf, (size_t)n) < 0) {
		/* A full disk must not stop the shop; the log is best effort. */
	}
}
