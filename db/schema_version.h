/* The newest migration this program was built for. Bump it in the same
 * commit that adds a migration; tests/shell/schema_version.test fails
 * when it disagrees with the newest file in sql/migrations. */
#ifndef BAZAR_DB_SCHEMA_VERSION_H
#define BAZAR_DB_SCHEMA_VERSION_H

#define BAZAR_SCHEMA_VERSION "0022"

#endif
