/* Logging front end; see log.h. */
#include "config.h"
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

static log_sink_fn log_sink;
static void *log_sink_ctx;

void
log_set_sink(log_sink_fn sink, void *ctx)
{
	log_sink = sink;
	log_sink_ctx = ctx;
}

const char *
log_level_name(enum log_level level)
{
	switch (level) {
	case LOG_ERROR: return "error";
	case LOG_WARN:  return "warn";
	case LOG_INFO:  return "info";
	case LOG_DEBUG: return "debug";
	}
	return "?";
}

void
bz_log(enum log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (log_sink == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	log_sink(level, line, log_sink_ctx);
}
