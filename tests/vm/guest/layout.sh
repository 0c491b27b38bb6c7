# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/60-layout.t: this boot's IOMMU layout, as
# `dmatrace layout` text and -j, into the share (the host side compares the
# boots with `dmatrace layout diff`), with the kernel's IOMMU log lines and
# the raw reserved_regions files.
. tests/vm/guest/tap.sh
W=${DMATRACE_VM_OUT:-/mnt}

tap_check "dmatrace layout (text)" sh -c "bin/dmatrace layout > $W/layout.txt"
tap_check "dmatrace layout -j" sh -c "bin/dmatrace layout -j > $W/layout.json"
tap_check "an IOMMU is registered (/sys/class/iommu)" \
	sh -c '[ -n "$(ls /sys/class/iommu)" ]'
for f in /sys/kernel/iommu_groups/*/reserved_regions; do
	echo "== $f"
	cat "$f"
done > $W/reserved_regions.txt 2>&1
for f in /sys/class/iommu/*/*-iommu/*; do
	echo "$f: $(cat "$f" 2>&1)"
done > $W/iommu_files.txt 2>&1
dmesg | grep -iE 'DMAR|AMD-Vi|iommu' > $W/dmesg.txt 2>&1
tap_end
[ "$TAP_FAILED" = 0 ]
