/* Migration file names and versions (pure string rules, no I/O).
 *
 * A migration file is "<version>_<name>.sql" where version is NNNN or
 * NNNN.M (e.g. "0003.1") and name is [a-z0-9_]+. Versions compare
 * numerically component by component, so 0003 < 0003.1 < 0003.10 < 0004. */
#ifndef BAZAR_CORE_MIGRATION_NAME_H
#define BAZAR_CORE_MIGRATION_NAME_H

#include <stdbool.h>
#include <stddef.h>

#define MIGRATION_VERSION_MAX 16
#define MIGRATION_NAME_MAX 96

/* Split a file name into version and name. False when it isn't a
 * migration file name (then the outputs are unspecified). */
bool migration_name_parse(const char *filename, char version[MIGRATION_VERSION_MAX],
                          char name[MIGRATION_NAME_MAX]);

/* True when text is a well-formed version ("0", "0003", "0003.1"). */
bool migration_version_valid(const char *text);

/* <0, 0, >0 like strcmp, comparing numerically per component. Both must be
 * valid versions. */
int migration_version_cmp(const char *a, const char *b);

#endif
