#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Differential check of the reference implementation against the Linux 6.12
# kernel in the test VM (tools/vm/run.sh; needs root, QEMU, the kernel
# image): tools/refcheck/edges.dms through dmaload on both backends, and
# the raw ioctls of bin/ref-rawcheck on both; prints the diffs, exits 1 if
# anything differs.
#   tools/refcheck.sh            (host: boots the VM)
#   tools/refcheck.sh --guest    (inside the VM)
set -u
cd "$(dirname "$0")/.."
if [ "${1:-}" != --guest ]; then
	make --no-print-directory -s bin/dmaload bin/ref-rawcheck || exit 1
	exec tools/vm/run.sh --timeout 300 tools/refcheck.sh --guest
fi
out=${DMATRACE_VM_OUT:-/tmp}/refcheck
mkdir -p "$out"
rc=0
for be in kernel ref; do
	bin/dmaload --backend $be --script tools/refcheck/edges.dms \
		> "$out/edges.$be" 2>&1 || { echo "dmaload --backend $be failed"; rc=1; }
	bin/ref-rawcheck $be > "$out/raw.$be" 2>&1 ||
		{ echo "ref-rawcheck $be failed"; rc=1; }
done
for t in edges raw; do
	if diff "$out/$t.kernel" "$out/$t.ref"; then
		echo "$t: ref and kernel agree on $(wc -l < "$out/$t.kernel") lines"
	else
		echo "$t: ref and kernel differ"
		rc=1
	fi
done
exit $rc
