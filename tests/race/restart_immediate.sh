#!/bin/sh
# Stop a private cluster the way a power cut would and start it again:
# pg_ctl stop -m immediate (every backend killed at once, no shutdown
# checkpoint, so the next start runs crash recovery), BAZAR_FAULT_DOWN
# seconds (default 1) with no server at all, then "bazar db start". The
# fault scenario of the attack program runs it (BAZAR_RACE_FAULT_CMD) in
# the middle of a burst of checkouts.
#
# Environment, all required, so that a missing setting can never stop
# someone's default cluster: top_builddir (the bazar program), BAZAR_HOME
# and BAZAR_PG_PORT (which cluster), BAZAR_FAULT_PGDATA and
# BAZAR_FAULT_BINDIR ("data folder" and "binaries" of "bazar db status",
# looked up beforehand: under load that command takes most of a second,
# and the stop must come while the burst is on), BAZAR_FAULT_USER (its
# "server user", used when run as root). Exit 0 when the server is back.
for v in top_builddir BAZAR_HOME BAZAR_PG_PORT BAZAR_FAULT_PGDATA BAZAR_FAULT_BINDIR BAZAR_FAULT_USER; do
	eval "[ -n \"\${$v}\" ]" || { echo "restart_immediate.sh: $v is not set" >&2; exit 2; }
done
unset DATABASE_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE PGPASSWORD PGOPTIONS
# PostgreSQL refuses to run as root: as root the server belongs to the
# server user, and so must pg_ctl (as in db/cluster_proc.c).
if [ "$(id -u)" = 0 ]; then
	PATH=$PATH:/usr/sbin:/sbin
	set -- runuser -u "$BAZAR_FAULT_USER" -- "$BAZAR_FAULT_BINDIR/pg_ctl"
else
	set -- "$BAZAR_FAULT_BINDIR/pg_ctl"
fi
"$@" -D "$BAZAR_FAULT_PGDATA" -w -t 60 stop -m immediate >/dev/null || exit 1
sleep "${BAZAR_FAULT_DOWN:-1}"
"$top_builddir/bazar" db start >/dev/null || exit 1
