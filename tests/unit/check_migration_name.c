/* Unit tests for core/migration_name: which file names are migrations and
 * how versions order (numerically per component, so 0003.10 > 0003.9). */
#include "config.h"

#include <string.h>

#include <check.h>

#include "core/migration_name.h"
#include "tests/unit/tap_main.h"

static Suite *migration_name_suite(void);

static const struct {
	const char *filename;
	const char *version;  /* NULL: not a migration file name */
	const char *name;
} names[] = {
	{ "0001_base.sql", "0001", "base" },
	{ "0003.1_idx_product_codes_available.sql", "0003.1", "idx_product_codes_available" },
	{ "0005.12_x.sql", "0005.12", "x" },
	{ "0001_base.SQL", NULL, NULL },
	{ "0001-base.sql", NULL, NULL },
	{ "0001_.sql", NULL, NULL },
	{ "_base.sql", NULL, NULL },
	{ "0001_Base.sql", NULL, NULL },
	{ "0001_base name.sql", NULL, NULL },
	{ "0001_base.sql.orig", NULL, NULL },
	{ "1.2.3_x.sql", NULL, NULL },
	{ "0003._x.sql", NULL, NULL },
	{ ".0003_x.sql", NULL, NULL },
	{ "abcd_x.sql", NULL, NULL },
	{ "0000001_x.sql", NULL, NULL },  /* 7 digits: over the component limit */
	{ "", NULL, NULL },
};

/* Ordered pairs: each a < b. */
static const struct {
	const char *a, *b;
} ordered[] = {
	{ "0001", "0002" },
	{ "0003", "0003.1" },
	{ "0003.1", "0003.2" },
	{ "0003.9", "0003.10" },
	{ "0003.10", "0004" },
	{ "0", "0001" },
	{ "9", "10" },
	{ "0004", "0005.0" },
};

START_TEST(parses_names)
{
	char version[MIGRATION_VERSION_MAX], name[MIGRATION_NAME_MAX];
	bool ok = migration_name_parse(names[_i].filename, version, name);

	if (names[_i].version == NULL) {
		ck_assert_msg(!ok, "\"%s\" was taken for a migration", names[_i].filename);
		return;
	}
	ck_assert_msg(ok, "\"%s\" was refused", names[_i].filename);
	ck_assert_msg(strcmp(version, names[_i].version) == 0, "\"%s\": version \"%s\", want \"%s\"",
	    names[_i].filename, version, names[_i].version);
	ck_assert_msg(strcmp(name, names[_i].name) == 0, "\"%s\": name \"%s\", want \"%s\"",
	    names[_i].filename, name, names[_i].name);
}
END_TEST

START_TEST(orders_versions)
{
	const char *a = ordered[_i].a, *b = ordered[_i].b;

	ck_assert_msg(migration_version_cmp(a, b) < 0, "%s < %s does not hold", a, b);
	ck_assert_msg(migration_version_cmp(b, a) > 0, "%s > %s does not hold", b, a);
	ck_assert_msg(migration_version_cmp(a, a) == 0, "%s == %s does not hold", a, a);
}
END_TEST

START_TEST(equal_spellings)
{
	/* Leading zeros do not make a different version. */
	ck_assert_int_eq(migration_version_cmp("0003", "3"), 0);
	ck_assert_int_eq(migration_version_cmp("0003.01", "0003.1"), 0);
}
END_TEST

START_TEST(validates_versions)
{
	ck_assert(migration_version_valid("0001"));
	ck_assert(migration_version_valid("0003.1"));
	ck_assert(migration_version_valid("0"));
	ck_assert(!migration_version_valid(""));
	ck_assert(!migration_version_valid("0003."));
	ck_assert(!migration_version_valid(".1"));
	ck_assert(!migration_version_valid("0003.1.2"));
	ck_assert(!migration_version_valid("x1"));
	ck_assert(!migration_version_valid("0003 "));
	ck_assert(!migration_version_valid("-1"));
	ck_assert(!migration_version_valid("1234567"));
}
END_TEST

/* The suite: one TAP line per table row. */
static Suite *
migration_name_suite(void)
{
	Suite *s = suite_create("migration_name");

	TAP_ADD_TABLE(s, parses_names, names);
	TAP_ADD_TABLE(s, orders_versions, ordered);
	TAP_ADD(s, equal_spellings);
	TAP_ADD(s, validates_versions);
	return s;
}

int
main(void)
{
	return run_suite_tap(migration_name_suite());
}
