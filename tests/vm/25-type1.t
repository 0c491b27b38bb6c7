#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier, differential test of native VFIO type1: dmaload's type1 scripts
# on the real kernel's /dev/vfio/vfio (vfio_iommu_type1.c of our 6.12,
# emulated VT-d, QEMU's edu device bound to vfio-pci) and on the reference
# implementation must give the same per-op results. The host runs the
# reference side into the share before the one boot (vm_type1_cases,
# tests/vm/lib.sh); the guest (tests/vm/guest/type1.sh, t1diff.sh) runs
# the kernel side and the verdicts. Cases:
#   a) tests/scripts/type1/*.dms, except those marked "# ref only" (a
#      second group with another layout: the VM has none);
#   b) VM_T1_SCRIPTS random scripts (tools/vm/randops-type1) of
#      VM_T1_SEQS sequences of up to VM_T1_OPS ops, seeds from
#      VM_T1_SEED (defaults 4, 20, 40, 1: about 2000 ops).
. tests/vm/lib.sh
vm_require
[ -x bin/dmaload ] || { echo "1..1"; echo "not ok 1 - bin/dmaload is built (run make first)"; exit 0; }
vm_share
vm_type1_cases "${VM_T1_SCRIPTS:-4}" "${VM_T1_SEQS:-20}" "${VM_T1_OPS:-40}" "${VM_T1_SEED:-1}"
vm_suite --timeout 600 --iommu --device edu --device e1000 tests/vm/guest/type1.sh
