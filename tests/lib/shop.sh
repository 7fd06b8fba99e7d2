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

# shop_cart_put DB EMAIL PASSWORD PRODUCT_NAME QUANTITY: set one line of
# the shopper's server-side cart through the API (a session of its own).
shop_cart_put() {
	shop_sql "$1" "SELECT version FROM (SELECT session_token AS t
		FROM api_login('$2', '$3', gen_random_uuid())) AS s,
		LATERAL api_cart_set(s.t, (SELECT version FROM api_cart_get(s.t) LIMIT 1),
			(SELECT id FROM products WHERE name = '$4'), $5)"
}

# shop_function_calls DB NAME: pg_stat_user_functions.calls of public.NAME
# (0 before the first call). Backends report when they go idle, so a
# caller that wants a settled count polls (wait_calls in tmux.sh).
shop_function_calls() {
	shop_sql "$1" "SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions
		WHERE schemaname = 'public' AND funcname = '$2'"
}

# sql_hold NAME DB SQL: a psql session (as the superuser) runs SQL, e.g.
# "BEGIN; SELECT ... FOR UPDATE;", and then stays open, its transaction
# with it, until sql_release NAME [FINAL] sends FINAL (ROLLBACK; by
# default) and waits for it to end. So a test holds a lock exactly as
# long as it needs, however slow the machine; a holder that is never
# released gives up after 60 s.
sql_hold() {
	sq_dir=${TMPDIR:-/tmp}/bazar-hold-$$
	mkdir -p "$sq_dir" || bail_out "cannot create $sq_dir"
	rm -f "$sq_dir/$1.release"
	(
		printf '%s\n' "$3"
		sq_i=0
		while [ ! -e "$sq_dir/$1.release" ] && [ $sq_i -lt 1200 ]; do
			sleep 0.05
			sq_i=$((sq_i + 1))
		done
		cat "$sq_dir/$1.release" 2>/dev/null || echo 'ROLLBACK;'
	) | pg_psql_admin "$2" >/dev/null 2>&1 &
	eval "sql_hold_pid_$1=\$!"
}

sql_release() {
	sq_dir=${TMPDIR:-/tmp}/bazar-hold-$$
	printf '%s\n' "${2:-ROLLBACK;}" >"$sq_dir/$1.release.tmp" &&
		mv "$sq_dir/$1.release.tmp" "$sq_dir/$1.release"
	eval "wait \"\$sql_hold_pid_$1\"" 2>/dev/null
	rm -f "$sq_dir/$1.release"
	rmdir "$sq_dir" 2>/dev/null
	return 0
}
