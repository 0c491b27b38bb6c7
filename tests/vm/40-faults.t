#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier: IOMMU faults on the real kernel. Emulated VT-d and QEMU's edu
# device; bin/edufault makes edu DMA to a mapped IOVA, past an area and to
# an unmapped one; dmatrace (fentry, then kprobes forced) reports both
# faults with the IOAS, and the kernel log shows the same addresses (one
# boot; cases in tests/vm/guest/faults.sh)
. tests/vm/lib.sh
vm_suite --timeout 300 --iommu --device edu tests/vm/guest/faults.sh
