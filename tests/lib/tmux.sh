# Terminal tests in the tmux style: bazar runs in a private tmux server
# (its own socket, no user config) on a test database; a test drives it
# with send-keys and reads the screen with capture-pane. Source after
# tap.sh, pg.sh and shop.sh.
#
#   tmux_require N [CMD...]   skip N tests and exit when tmux (or a CMD)
#                             is missing
#   tmux_start DB COLS ROWS [ENV=VALUE...] [-- BAZAR-ARGS...]
#                             start the storefront on DB; waits for its header
#   tmux_target               the session the calls below drive: "tui"; set
#                             it to another name before tmux_start for a
#                             second terminal beside the first (a customer
#                             watching while staff act), back to switch
#   tm ARGS...                tmux on the private server
#   keys KEYS...              send-keys to the storefront
#   type_text TEXT            send TEXT literally (no key names)
#   click ROW COL             a left click at a 0-based terminal cell
#   screen                    the pane's text now
#   wait_for REGEX [TENTHS]   poll until a line matches (default 5 s); the
#                             last capture is left in $scr; a timeout is
#                             said as a diag with that capture, and is 1
#   login_form EMAIL PASSWORD fill in the log-in form shown and press Enter
#   login_as EMAIL PASSWORD   F7, log in, wait for the header to name EMAIL
#   wait_sql DB SQL WANT [TENTHS]  poll a query until it prints WANT
#   wait_calls DB FUNCTION WANT    until FUNCTION has been counted WANT calls
#   tmux_exit_status [TENTHS] bazar's exit status once it has ended
#   tmux_stop                 kill the private server
#
# At exit tmux_start's trap runs tmux_stop, then test_cleanup when the test
# defines that function (to end its own lock holders, remove its fifos).

# The tmux server copies this environment: nothing of the caller's may
# point the storefront at another database.
unset BAZAR_CLIENT_URL BAZAR_STAFF_URL PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER \
	PGSERVICE PGPASSWORD PGOPTIONS PGAPPNAME NO_COLOR BAZAR_KIOSK_PIN BAZAR_KIOSK_IDLE

tmux_sock=bazar-test-$$
tmux_rcfile=${TMPDIR:-/tmp}/bazar-tmux-$$.rc
tmux_socket_file=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$tmux_sock

tm() { tmux -L "$tmux_sock" -f /dev/null "$@"; }
tmux_target=tui
keys() { tm send-keys -t "$tmux_target" "$@"; }
type_text() { tm send-keys -t "$tmux_target" -l -- "$1"; }
screen() { tm capture-pane -p -t "$tmux_target" 2>/dev/null; }

# click ROW COL: press and release as an X10 mouse report (TERM=screen's
# kmous is \E[M); below column and row 95 every byte is ASCII.
click() {
	cy=$(printf "\\$(printf '%03o' $((32 + $1 + 1)))")
	cx=$(printf "\\$(printf '%03o' $((32 + $2 + 1)))")
	tm send-keys -t "$tmux_target" -l "$(printf '\033[M ')$cx$cy"
	tm send-keys -t "$tmux_target" -l "$(printf '\033[M#')$cx$cy"
}

# capture-pane trims trailing blanks: a REGEX ending in a blank matches
# only where the line goes on after it.
wait_for() {
	wf_i=0
	while [ "$wf_i" -lt "${2:-50}" ]; do
		scr=$(screen)
		printf '%s\n' "$scr" | grep -Eq -- "$1" && return 0
		sleep 0.1
		wf_i=$((wf_i + 1))
	done
	diag "waited in vain for /$1/:" "$scr"
	return 1
}

tmux_require() {
	tr_n=$1
	shift
	tr_missing=
	for tr_cmd in tmux "$@"; do
		command -v "$tr_cmd" >/dev/null 2>&1 || tr_missing="$tr_missing $tr_cmd"
	done
	[ -z "$tr_missing" ] && return 0
	tr_i=0
	while [ $tr_i -lt "$tr_n" ]; do
		skip "missing:$tr_missing (the Debian packages tmux and coreutils have them)" \
			"terminal check $((tr_i + 1))"
		tr_i=$((tr_i + 1))
	done
	exit 0
}

tmux_stop() {
	tm kill-server >/dev/null 2>&1
	rm -f "$tmux_rcfile" "$tmux_socket_file"
}

# remain-on-exit keeps an early error message on screen for diagnostics;
# bazar's exit status lands in $tmux_rcfile (tmux 3.3 shows no
# #{pane_dead_status} for 0).
tmux_start() {
	ts_db=$1 ts_cols=$2 ts_rows=$3
	shift 3
	ts_env=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		ts_env="$ts_env -e $1"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	rm -f "$tmux_rcfile"
	trap 'tmux_stop; if command -v test_cleanup >/dev/null 2>&1; then test_cleanup; fi' EXIT
	trap 'exit 1' HUP INT TERM
	# shellcheck disable=SC2086 # word splitting of the -e pairs is wanted
	tm set-option -g remain-on-exit on \; \
		new-session -d -s "$tmux_target" -x "$ts_cols" -y "$ts_rows" \
		-e "DATABASE_URL=$(pg_owner_url "$ts_db")" -e "BAZAR_HOME=$top_builddir/tests/home" \
		-e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TERM=screen $ts_env \
		sh -c '"$@"; echo $? >"$0"' "$tmux_rcfile" "$top_builddir/bazar" "$@" ||
		bail_out "cannot start tmux"
	wait_for '^ Bazar .* schema ' 100 || bail_out "the storefront did not show its header in 10 s"
}

tmux_exit_status() {
	te_i=0
	while [ ! -s "$tmux_rcfile" ] && [ $te_i -lt "${1:-50}" ]; do
		sleep 0.1
		te_i=$((te_i + 1))
	done
	cat "$tmux_rcfile" 2>/dev/null
}

# login_form EMAIL PASSWORD: the log-in form is shown (F7, or a screen
# that needs a shopper); fill it in and submit.
login_form() {
	type_text "$1"
	keys Tab
	type_text "$2"
	keys Enter
}

# login_as EMAIL PASSWORD: F7, fill the log-in form, wait for the header
# to name the shopper.
login_as() {
	keys F7
	wait_for 'E-mail' || return 1
	login_form "$1" "$2"
	wait_for "^ Bazar .*$1" 100
}

# wait_sql DB SQL WANT [TENTHS]: poll a query until it prints WANT.
wait_sql() {
	ws_i=0
	while [ "$ws_i" -lt "${4:-50}" ]; do
		ws_got=$(shop_sql "$1" "$2")
		[ "$ws_got" = "$3" ] && return 0
		sleep 0.1
		ws_i=$((ws_i + 1))
	done
	return 1
}

# wait_calls DB FUNCTION WANT: until pg_stat_user_functions says WANT calls
# (backends report their counts about a second after going idle).
wait_calls() {
	wait_sql "$1" "SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions
		WHERE schemaname = 'public' AND funcname = '$2'" "$3" 150
}

# tmux_bazar_pid: the pid of this test's bazar (the pane's shell's child;
# other tests may run a bazar from the same build at the same time).
tmux_bazar_pid() {
	pgrep -P "$(tm display-message -p -t "$tmux_target" '#{pane_pid}')" | head -n 1
}
