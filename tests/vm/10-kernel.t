#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier: the test kernel's BTF, /dev/iommu, fentry/kprobe/function
# profiler on iommufd_ioas_map (one boot; cases in tests/vm/guest/kernel.sh)
. tests/vm/lib.sh
vm_suite --timeout 120 tests/vm/guest/kernel.sh
