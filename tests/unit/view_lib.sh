# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the view scripts (tests/unit/view_*.t): sourced.
# The binaries are taken from $DMATRACE_BIN (default bin; tests/run asan: bin-asan).
VIEW_SAMPLE=${VIEW_SAMPLE:-${DMATRACE_BIN:-bin}/tests/view-sample}
. tests/lib/tap.sh

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

