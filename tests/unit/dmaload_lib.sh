# SPDX-License-Identifier: GPL-2.0
# Helpers for the dmaload TAP scripts (tests/unit/dmaload_*.t): sourced.
DMALOAD=${DMALOAD:-bin/dmaload}
T_N=0
T_FAIL=0

ok() {		# ok COND_RC DESCRIPTION
	T_N=$((T_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAIL=$((T_FAIL + 1))
	fi
}

is() {		# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got:  $1"
		echo "#   want: $2"
	fi
}

need_tools() {
	if [ ! -x "$DMALOAD" ]; then
		echo "1..0 # SKIP $DMALOAD not built (run make)"
		exit 0
	fi
	if ! command -v jq >/dev/null; then
		echo "1..0 # SKIP jq missing (make deps installs it)"
		exit 0
	fi
}

done_testing() {
	echo "1..$T_N"
	[ $T_FAIL = 0 ]
}
