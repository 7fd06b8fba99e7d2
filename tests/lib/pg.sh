# The shared test cluster, for shell tests (sourced after tap.sh; POSIX sh).
#
# Every test that needs PostgreSQL uses one private cluster started by
# "bazar db start" in $top_builddir/tests/home on port $BAZAR_TEST_PG_PORT
# (default 5433), whatever DATABASE_URL or PG* the caller has set. Each
# test works in its own database (pg_new_db t_<testname>) so tests can run
# in parallel.
#
#   pg_ensure_cluster            start it if needed (bails out on failure)
#   pg_admin_url [DB]            superuser URI (DB defaults to postgres)
#   pg_owner_url DB              bazar_owner URI for DB
#   pg_new_db NAME [TEMPLATE]    drop NAME if it exists, create it owned by bazar_owner
#                                (a copy of TEMPLATE when given), marked as a test
#                                database (bazar.test_database, race/race.h)
#   pg_db_exists NAME            whether the cluster has that database
#   pg_drop_db NAME
#   pg_psql_admin [DB] ARGS...   psql -X -v ON_ERROR_STOP=1 as the superuser
#   pg_stop_cluster              stop it (end of the run)
#
# The cluster_* tests need clusters of their own instead (they break
# them on purpose):
#
#   pg_private_setup NAME PORT   home $top_builddir/tests/tmp/NAME, that port;
#                                on exit the server is stopped and its folders
#                                (relocated ones too) removed
#   pg_private_bazar ARGS...     bazar with BAZAR_HOME=$pg_private_bazar_home
#                                (default: that home) and that port
#   pg_private_field LABEL       a value from "bazar db status", e.g. "data folder"

: "${BAZAR_TEST_PG_PORT:=5433}"
pg_test_home="$top_builddir/tests/home"
# flock -o: the lock is not passed on to bazar, whose server would
# otherwise hold it for as long as it runs.
pg_test_lock="$top_builddir/tests/tmp/cluster.lock"

# Run bazar against the shared test cluster, never the caller's database.
pg_bazar() {
	(
		unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE \
			PGPASSWORD PGOPTIONS
		BAZAR_HOME=$pg_test_home BAZAR_PG_PORT=$BAZAR_TEST_PG_PORT
		export BAZAR_HOME BAZAR_PG_PORT
		exec "$top_builddir/bazar" "$@"
	)
}

# Start the cluster once; a lock keeps parallel tests from racing initdb.
pg_ensure_cluster() {
	[ -n "$pg_cluster_ready" ] && return 0
	mkdir -p "$top_builddir/tests/tmp" || bail_out "cannot create $top_builddir/tests/tmp"
	if ! command -v flock >/dev/null 2>&1; then
		bail_out "flock(1) not found: install the Debian package util-linux"
	fi
	if ! pg_out=$(flock -o "$pg_test_lock" sh -c '
		unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE PGPASSWORD PGOPTIONS
		BAZAR_HOME=$1 BAZAR_PG_PORT=$2 exec "$3" db start' sh \
		"$pg_test_home" "$BAZAR_TEST_PG_PORT" "$top_builddir/bazar" 2>&1); then
		bail_out "cannot start the test cluster: $pg_out"
	fi
	pg_cluster_ready=1
}

pg_admin_url() {
	pg_bazar db url admin --db "${1:-postgres}"
}

pg_owner_url() {
	pg_bazar db url owner --db "$1"
}

# psql as the superuser: an optional database name first (anything not
# starting with "-"), then psql's own arguments.
pg_psql_admin() {
	pg_db=postgres
	if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
		pg_db=$1
		shift
	fi
	psql -X -q -v ON_ERROR_STOP=1 "$(pg_admin_url "$pg_db")" "$@"
}

# The name goes through psql's :"var" quoting, never into the SQL text.
pg_new_db() {
	pg_ensure_cluster
	printf '%s\n' 'SET client_min_messages = warning;' \
		'DROP DATABASE IF EXISTS :"pg_name" WITH (FORCE);' \
		'CREATE DATABASE :"pg_name" OWNER bazar_owner TEMPLATE :"pg_template";' \
		'ALTER DATABASE :"pg_name" SET bazar.test_database = on;' |
		pg_psql_admin -v pg_name="$1" -v pg_template="${2:-template1}" >/dev/null ||
		bail_out "cannot create the test database $1"
}

# pg_db_exists NAME: whether the shared cluster has that database.
pg_db_exists() {
	[ "$(pg_psql_admin -At -v pg_name="$1" <<-'EOF'
		SELECT count(*) FROM pg_database WHERE datname = :'pg_name';
	EOF
	)" = 1 ]
}

pg_drop_db() {
	printf '%s\n' 'SET client_min_messages = warning;' 'DROP DATABASE IF EXISTS :"pg_name" WITH (FORCE);' |
		pg_psql_admin -v pg_name="$1" >/dev/null
}

pg_stop_cluster() {
	flock -o "$pg_test_lock" sh -c '
		unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE PGPASSWORD PGOPTIONS
		BAZAR_HOME=$1 BAZAR_PG_PORT=$2 exec "$3" db stop' sh \
		"$pg_test_home" "$BAZAR_TEST_PG_PORT" "$top_builddir/bazar"
	pg_cluster_ready=
}

pg_private_bazar() {
	(
		unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE \
			PGPASSWORD PGOPTIONS
		BAZAR_HOME=${pg_private_bazar_home:-$pg_private_home}
		BAZAR_PG_PORT=$pg_private_port
		export BAZAR_HOME BAZAR_PG_PORT
		exec "$top_builddir/bazar" "$@"
	)
}

pg_private_field() {
	pg_private_bazar db status 2>/dev/null | sed -n "s/^$1: *//p"
}

# Stop the throwaway server and remove its folders, wherever they went.
pg_private_cleanup() {
	[ -n "$pg_private_home" ] || return 0
	if [ -d "$pg_private_home" ]; then
		pg_private_bazar db stop >/dev/null 2>&1
		for pg_dir in "$(pg_private_field 'data folder')" "$(pg_private_field 'socket folder')"; do
			case $pg_dir in
			/var/tmp/bazar-*/*) rm -rf "${pg_dir%/*}" ;;
			esac
		done
		rm -rf "$pg_private_home"
	fi
}

pg_private_setup() {
	pg_private_home="$top_builddir/tests/tmp/$1"
	pg_private_port=$2
	pg_private_bazar_home=
	[ -x "$top_builddir/bazar" ] || bail_out "$top_builddir/bazar is not built"
	pg_private_cleanup
	mkdir -p "$pg_private_home" || bail_out "cannot create $pg_private_home"
	trap 'pg_private_cleanup' EXIT
	trap 'exit 1' HUP INT TERM
}
