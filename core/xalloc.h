/* Allocation wrappers that abort on out-of-memory, so callers never
 * handle NULL from an allocation (the Redis/SQLite habit). */
#ifndef BAZAR_CORE_XALLOC_H
#define BAZAR_CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* printf into a fresh heap string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
