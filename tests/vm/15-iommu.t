#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier, the emulated VT-d variant (tools/vm/run.sh --iommu) with QEMU's
# edu device: IOMMU live, mock domain refused, VFIO cdev (one boot; cases
# in tests/vm/guest/iommu.sh)
. tests/vm/lib.sh
vm_suite --timeout 120 --iommu --device edu tests/vm/guest/iommu.sh
