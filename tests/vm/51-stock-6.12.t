#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier on Debian's stock 6.12 (tools/vm/fetch-stock.sh 6.12, booted with its
# modules by tools/vm/run.sh --kernel stock-6.12), emulated VT-d and QEMU's
# edu device: the native VFIO type1 stack users run; in the same boot the
# native type1 differential test (the type1 scripts and VM_STOCK_T1_SCRIPTS
# random scripts, default 2: about 1100 ops; the reference side runs here
# first), counted by kprobe events, and dmatrace's end-to-end check on
# vfio-type1 (one boot; cases in tests/vm/guest/stock.sh)
. tests/vm/lib.sh
vm_require --kernel stock-6.12
version=$(tools/vm/fetch-stock.sh 6.12 | sed -n 2p)
vm_share
vm_type1_cases "${VM_STOCK_T1_SCRIPTS:-2}" 20 40 "${VM_T1_SEED:-1}" --json
vm_suite --kernel stock-6.12 --timeout 900 --iommu --device edu --device e1000 tests/vm/guest/stock.sh "$version"
