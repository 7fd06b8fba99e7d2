# Shared by scripts/demo and scripts/test (sourced; POSIX sh).
# Installs what the build and the tests need, then builds out of tree in
# _build/. Safe to run again: each step is skipped when already done.

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/_build"

# Debian packages by what they provide. The test-only ones are installed
# by scripts/test only.
build_packages="autoconf automake libtool pkg-config make gcc libncurses-dev libpq-dev
libcurl4-openssl-dev libcjson-dev postgresql-15 postgresql-client-15"
test_packages="check postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl tmux valgrind locales"
# npm (for the squawk migration linter) and python3 may come from elsewhere
# (NodeSource ships npm inside its nodejs): ask for them only when absent.
command -v npm >/dev/null 2>&1 || test_packages="$test_packages npm"
command -v python3 >/dev/null 2>&1 || test_packages="$test_packages python3"

say() { printf '%s\n' "== $*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Install the named Debian packages that are missing (apt-get, as root);
# otherwise say exactly which to install.
ensure_packages() {
	missing=""
	for p in $*; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing Debian packages:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null || die "apt-get update failed"
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
			die "apt-get install failed for:$missing"
	else
		die "missing Debian packages:$missing
install them with: sudo apt-get install$missing"
	fi
}

# build_tree [DIR [CONFIGURE FLAGS...]]: configure (once) and build out of
# tree, in _build/ by default, with warnings as errors.
build_tree() {
	tree=${1:-$build}
	[ $# -gt 0 ] && shift
	cd "$root" || die "cannot enter $root"
	if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
		say "autoreconf"
		autoreconf -fi >/dev/null 2>&1 || autoreconf -fi || die "autoreconf failed"
	fi
	mkdir -p "$tree"
	cd "$tree" || die "cannot enter $tree"
	if [ ! -f Makefile ] || [ "$root/configure" -nt config.status ]; then
		say "configure $*"
		"$root/configure" --enable-werror "$@" ${BAZAR_CONFIGURE_FLAGS:-} >configure.out 2>&1 ||
			{ tail -n 30 configure.out; die "configure failed (full output: $tree/configure.out)"; }
	fi
	say "make ($tree)"
	make -j"$(nproc 2>/dev/null || echo 2)" >make.out 2>&1 ||
		{ tail -n 40 make.out; die "make failed (full output: $tree/make.out)"; }
	cd "$root" || die "cannot enter $root"
}
