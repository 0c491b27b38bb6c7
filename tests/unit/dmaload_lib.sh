# SPDX-License-Identifier: GPL-2.0
# Helpers for the dmaload TAP scripts (tests/unit/dmaload_*.t): sourced.
# The binaries are taken from $DMATRACE_BIN (default bin; tests/run asan: bin-asan).
DMALOAD=${DMALOAD:-${DMATRACE_BIN:-bin}/dmaload}
. tests/lib/tap.sh

need_tools() {
	if [ ! -x "$DMALOAD" ]; then
		echo "1..1"
		echo "not ok 1 - $DMALOAD not built (run make)"
		exit 1
	fi
	if ! command -v jq >/dev/null; then
		echo "1..1"
		echo "not ok 1 - jq not installed (tools/install-deps.sh installs it)"
		exit 1
	fi
}

