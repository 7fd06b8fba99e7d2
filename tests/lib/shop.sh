# Helpers for tests that drive bazar against a per-test database (sourced
# after pg.sh).

# shop_bazar DB ARGS...: run bazar as the owner of database DB.
shop_bazar() {
	shop_db=$1; shift
	DATABASE_URL=$(pg_owner_url "$shop_db") BAZAR_HOME="$top_builddir/tests/home" \
		"$top_builddir/bazar" "$@"
}

# shop_sql DB SQL: one value or rows (unaligned, tuples only) as superuser.
shop_sql() {
	pg_psql_admin "$1" -q -A -t -c "$2"
}

# shop_row_counts DB: "table=count ..." for every table in public except
# schema_migrations; rollback/migrate round trips compare these.
shop_row_counts() {
	shop_sql "$1" "SELECT coalesce(string_agg(format('%s=%s', c.relname,
	  (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I',
	   n.nspname, c.relname), false, true, '')))[1]::text), ' ' ORDER BY c.relname), '')
	  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations'"
}

# shop_applied DB: applied versions, space-separated, in order applied.
shop_applied() {
	shop_sql "$1" "SELECT coalesce(string_agg(version, ' ' ORDER BY string_to_array(version, '.')::int[]), '')
	  FROM schema_migrations WHERE to_regclass('public.schema_migrations') IS NOT NULL"
}

# shop_migration_versions: versions of every migration file, in order.
shop_migration_versions() {
	ls "$top_srcdir/sql/migrations" | sed -n 's/^\([0-9][0-9.]*\)_.*\.sql$/\1/p' |
		sort -t. -k1,1n -k2,2n | tr '\n' ' ' | sed 's/ $//'
}
