/* The file transport: without an API key, each message becomes one
 * RFC 5322 file in a folder, so a demo or a kiosk with no provider still
 * shows what would have been sent.
 *
 * The file is named after the message's idempotency key and written
 * under a temporary name, then linked into place: link(2) refuses to
 * replace an existing name, so a second attempt at the same outbox row
 * (a worker whose lease ran out, a retry after a lost database answer)
 * finds the first one's file and counts as delivered, never as a second
 * message; and a reader never sees half a file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "mail/mail.h"

static void file_send(const struct mail_config *cfg, const struct mail_message *msg, struct mail_result *result);
static bool header_safe(const char *value);
static bool name_safe(const char *key);
static bool write_all(int fd, const char *data, size_t len);
static char *message_text(const struct mail_message *msg);

const struct mail_transport mail_transport_file = {
	.send = file_send,
	.name = "file",
};

static void
file_send(const struct mail_config *cfg, const struct mail_message *msg, struct mail_result *result)
{
	char *path = NULL, *tmp = NULL, *text = NULL;
	int fd = -1;

	memset(result, 0, sizeof *result);
	result->retry_after_ms = -1;
	if (!name_safe(msg->idempotency_key) || !header_safe(msg->from) || !header_safe(msg->to) ||
	    !header_safe(msg->subject)) {
		/* A line break in a header would let the text forge headers. */
		result->attempt.answered = true;
		result->attempt.http_status = 422;
		snprintf(result->detail, sizeof result->detail,
		         "not written: a header or the key holds a line break or control character");
		return;
	}
	if (mkdir(cfg->dir, 0700) != 0 && errno != EEXIST) {
		snprintf(result->detail, sizeof result->detail, "cannot create %.200s: %s", cfg->dir, strerror(errno));
		return;
	}
	path = xasprintf("%s/%s.eml", cfg->dir, msg->idempotency_key);
	tmp = xasprintf("%s/.%s.%ld.tmp", cfg->dir, msg->idempotency_key, (long)getpid());
	text = message_text(msg);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !write_all(fd, text, strlen(text)) || fsync(fd) != 0) {
		snprintf(result->detail, sizeof result->detail, "cannot write %.200s: %s", tmp, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (link(tmp, path) != 0 && errno != EEXIST) {
		snprintf(result->detail, sizeof result->detail, "cannot link %.200s: %s", path, strerror(errno));
		goto out;
	}
	/* Written now, or by an earlier attempt: delivered either way. */
	result->attempt.answered = true;
	result->attempt.http_status = 200;
	result->attempt.has_message_id = true;
	snprintf(result->message_id, sizeof result->message_id, "file:%.100s.eml", msg->idempotency_key);
	snprintf(result->detail, sizeof result->detail, "written to %.250s", path);
out:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(text);
	free(tmp);
	free(path);
}

/* The message as RFC 5322 text: headers, a blank line, the body, every
 * line ending in CRLF. Plain UTF-8 text (8bit): the headers Bazar writes
 * are its own ASCII subjects and the addresses it registered. */
static char *
message_text(const struct mail_message *msg)
{
	char date[64], *body, *out;
	time_t now = time(NULL);
	struct tm tm;
	size_t n = 0, cap = strlen(msg->text) * 2 + 3;

	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	body = xmalloc(cap);
	for (const char *p = msg->text; *p; p++) {
		if (*p == '\n' && (p == msg->text || p[-1] != '\r'))
			body[n++] = '\r';
		body[n++] = *p;
	}
	body[n++] = '\r';
	body[n++] = '\n';
	body[n] = '\0';
	out = xasprintf("From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@bazar.invalid>\r\n"
	                "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	                "Content-Transfer-Encoding: 8bit\r\n\r\n%s",
	                msg->from, msg->to, msg->subject, date, msg->idempotency_key, body);
	free(body);
	return out;
}

/* No control characters at all in a header value. */
static bool
header_safe(const char *value)
{
	if (value == NULL || value[0] == '\0')
		return false;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* The key becomes a file name: letters, digits and - _ . only, not
 * starting with a dot. */
static bool
name_safe(const char *key)
{
	if (key == NULL || key[0] == '\0' || key[0] == '.' || strlen(key) > 200)
		return false;
	for (const char *p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

static bool
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}
