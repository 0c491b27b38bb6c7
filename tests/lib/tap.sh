# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the host-side shell tests (tests/unit/*.t, tests/host/*.t,
# tests/vm/*.t): sourced, POSIX sh. Test points are numbered as they run;
# done_testing prints the plan last and fails when a point failed.
T_N=0
T_FAIL=0

ok() {		# ok RC DESCRIPTION: a point that passes when RC is 0
	T_N=$((T_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAIL=$((T_FAIL + 1))
	fi
}

is() {		# is GOT WANT DESCRIPTION: a point that passes when GOT = WANT
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$1" | cut -c1-2000 | sed 's/^/#   got:  /'
		printf '%s\n' "$2" | cut -c1-2000 | sed 's/^/#   want: /'
	fi
}

skip() {	# skip REASON: a skipped point, reason shown
	T_N=$((T_N + 1))
	echo "ok $T_N # SKIP $1"
}

skip_all() {	# skip_all REASON: the whole file, loudly
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$T_N"
	[ "$T_FAIL" = 0 ]
}
