#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmaload --backend kernel opens /dev/iommu only when the run needs
# iommufd (a scenario, or a script with an op that is not native type1):
# a native type1 script runs on a kernel without iommufd (Debian's stock
# kernels), one that needs iommufd there stops with one line before
# anything runs. What needs a kernel is in the VM tier; here, on a
# machine without /dev/iommu (and without /dev/vfio/vfio for the second
# half), what is decided before any device is touched.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
need_tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -e /dev/iommu ]; then
	skip_all "this machine has /dev/iommu: the kernel backend would open it"
fi

# Native type1 ops with one iommufd op among them
printf '%s\n' "container c" "vcheck c 3" "# an iommufd op" "ioas a" "vcheck c 1" > "$tmp/mixed.dms"
"$DMALOAD" --backend kernel --script "$tmp/mixed.dms" --json > "$tmp/out" 2> "$tmp/err"
rc=$?
is "$rc" 1 "a script with an iommufd op, no /dev/iommu: exit 1"
is "$(cat "$tmp/err")" \
   "dmaload: kernel backend: no /dev/iommu: kernel without CONFIG_IOMMUFD (use --backend ref, or the VM tier); $tmp/mixed.dms:4: 'ioas' needs it" \
	"one line naming the first op that needs iommufd"
is "$(wc -c < "$tmp/out" | tr -d ' ')" 0 "nothing ran (no output)"
printf '%s\n' "container c" "vcheck c 3" "t1info" > "$tmp/compat.dms"
"$DMALOAD" --backend kernel --script "$tmp/compat.dms" > "$tmp/out" 2> "$tmp/err"
is "$(cat "$tmp/err")" \
   "dmaload: kernel backend: no /dev/iommu: kernel without CONFIG_IOMMUFD (use --backend ref, or the VM tier); $tmp/compat.dms:3: 't1info' needs it" \
	"iommufd's type1 compat ops need /dev/iommu too"

if [ -e /dev/vfio/vfio ]; then
	skip "native type1 script without /dev/iommu: this machine has /dev/vfio/vfio"
else
	# Native type1 only: /dev/iommu is not opened, the ops run (and fail
	# on the missing /dev/vfio/vfio, each reported as its op's result)
	printf '%s\n' "container c" "vcheck c 3" "limit memlock unlimited" > "$tmp/native.dms"
	"$DMALOAD" --backend kernel --script "$tmp/native.dms" --json > "$tmp/out" 2> "$tmp/err"
	rc=$?
	is "$rc" 0 "a native type1 script, no /dev/iommu: runs (exit 0)"
	is "$(head -n 1 "$tmp/out")" '{"line":1,"op":"container","ret":-2}' \
		"its container op goes to /dev/vfio/vfio (-ENOENT here)"
	is "$(cat "$tmp/err")" "" "nothing on stderr"
fi
done_testing
