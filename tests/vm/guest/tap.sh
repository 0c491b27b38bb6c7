# SPDX-License-Identifier: GPL-2.0
# TAP helpers for guest-side test cases (POSIX sh, sourced). Test points
# are numbered as they run; tap_end prints the plan last ("1..N").
#   tap_ok DESC / tap_not_ok DESC / tap_skip DESC REASON
#   tap_check DESC CMD...   ok when CMD exits 0, else not ok with its output
#   tap_diag < FILE         copy FILE (first 40 lines) as TAP comments
TAP_N=0
TAP_FAILED=0

tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

tap_not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $*"
}

tap_skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

tap_diag() {
	head -n 40 | sed 's/^/#   /'
}

tap_check() {
	_desc=$1
	shift
	if "$@" > "${TMPDIR:-/tmp}/tap.out" 2>&1; then
		tap_ok "$_desc"
	else
		tap_not_ok "$_desc (status $?)"
		tap_diag < "${TMPDIR:-/tmp}/tap.out"
	fi
}

tap_end() {
	echo "1..$TAP_N"
}
