# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the view scripts (tests/unit/view_*.t): sourced.
VIEW_SAMPLE=${VIEW_SAMPLE:-bin/tests/view-sample}
T_N=0

ok() {		# ok RC DESCRIPTION
	T_N=$((T_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
	fi
}

is() {		# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$1" | sed 's/^/#   got:  /'
		printf '%s\n' "$2" | sed 's/^/#   want: /'
	fi
}

skip() {	# skip REASON
	T_N=$((T_N + 1))
	echo "ok $T_N # SKIP $1"
}

need_sample() {
	if [ ! -x "$VIEW_SAMPLE" ]; then
		echo "1..1"
		echo "not ok 1 - $VIEW_SAMPLE not built (run make)"
		exit 1
	fi
	command -v jq >/dev/null || {
		echo "1..1"
		echo "not ok 1 - jq not installed (apt-get install jq)"
		exit 1
	}
}

done_testing() {
	echo "1..$T_N"
}
