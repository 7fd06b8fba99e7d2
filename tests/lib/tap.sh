# Minimal TAP producer for shell tests (sourced). Each test script:
#   . "$top_srcdir/tests/lib/tap.sh"
#   plan 3
#   ok "description" command args...      # passes when the command exits 0
#   is "$got" "$want" "description"
#   like "$text" 'regex' "description"
#   skip "reason" "description"           # counted and named, never silent
#   bail_out "reason"                     # aborts the whole script
# A failing check prints diagnostics as '# ' lines. The script's exit
# status is 0; the TAP driver counts the results.

tap_n=0
tap_failed=0

plan() { echo "1..$1"; }

tap_result() { # status description
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_n - $2"
	fi
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

ok() { # description command...
	tap_desc=$1; shift
	tap_out=$("$@" 2>&1); tap_rc=$?
	tap_result "$tap_rc" "$tap_desc"
	[ "$tap_rc" = 0 ] || diag "command: $*" "exit: $tap_rc" "$tap_out"
	return "$tap_rc"
}

fails() { # description command...   (passes when the command exits non-zero)
	tap_desc=$1; shift
	tap_out=$("$@" 2>&1); tap_rc=$?
	if [ "$tap_rc" != 0 ]; then tap_result 0 "$tap_desc"; else
		tap_result 1 "$tap_desc"; diag "command unexpectedly succeeded: $*" "$tap_out"; fi
}

is() { # got want description
	if [ "$1" = "$2" ]; then tap_result 0 "$3"; else
		tap_result 1 "$3"; diag "got:  '$1'" "want: '$2'"; fi
}

like() { # text regex description
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then tap_result 0 "$3"; else
		tap_result 1 "$3"; diag "no match for /$2/ in:" "$1"; fi
}

unlike() { # text regex description
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		tap_result 1 "$3"; diag "unexpected match for /$2/ in:" "$1"; else tap_result 0 "$3"; fi
}

skip() { # reason description
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $2 # SKIP $1"
}

bail_out() { echo "Bail out! $*"; exit 1; }
