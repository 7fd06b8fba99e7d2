/* Migration file names and versions; see migration_name.h. */
#include "config.h"
#include "core/migration_name.h"

#include <string.h>

/* Parse one numeric component at *p (at most 6 digits, so no overflow);
 * returns -1 when there is no digit. */
static long
read_component(const char **p)
{
	long value = 0;
	int digits = 0;

	while (**p >= '0' && **p <= '9' && digits < 6) {
		value = value * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	if (digits == 0 || (**p >= '0' && **p <= '9'))
		return -1;
	return value;
}

bool
migration_version_valid(const char *text)
{
	const char *p = text;

	if (read_component(&p) < 0)
		return false;
	if (*p == '.') {
		p++;
		if (read_component(&p) < 0)
			return false;
	}
	return *p == '\0' && strlen(text) < MIGRATION_VERSION_MAX;
}

int
migration_version_cmp(const char *a, const char *b)
{
	const char *pa = a, *pb = b;
	long major_a = read_component(&pa), major_b = read_component(&pb);
	long minor_a = 0, minor_b = 0;

	if (major_a != major_b)
		return major_a < major_b ? -1 : 1;
	/* A plain NNNN sorts before every NNNN.M. */
	if (*pa == '.') { pa++; minor_a = read_component(&pa) + 1; }
	if (*pb == '.') { pb++; minor_b = read_component(&pb) + 1; }
	if (minor_a != minor_b)
		return minor_a < minor_b ? -1 : 1;
	return 0;
}

bool
migration_name_parse(const char *filename, char version[MIGRATION_VERSION_MAX],
                     char name[MIGRATION_NAME_MAX])
{
	const char *underscore = strchr(filename, '_');
	size_t len = strlen(filename);
	size_t vlen, nlen;

	if (underscore == NULL || len < 5 || strcmp(filename + len - 4, ".sql") != 0)
		return false;
	vlen = (size_t)(underscore - filename);
	nlen = len - 4 - vlen - 1;
	if (vlen == 0 || vlen >= MIGRATION_VERSION_MAX || nlen == 0 || nlen >= MIGRATION_NAME_MAX)
		return false;
	memcpy(version, filename, vlen);
	version[vlen] = '\0';
	if (!migration_version_valid(version))
		return false;
	for (size_t i = 0; i < nlen; i++) {
		char c = underscore[1 + i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
		name[i] = c;
	}
	name[nlen] = '\0';
	return true;
}
