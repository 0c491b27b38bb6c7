#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier on Debian's stock 6.1 (tools/vm/fetch-stock.sh 6.1, booted with its
# modules by tools/vm/run.sh --kernel stock-6.1), emulated VT-d and QEMU's
# edu device: the native VFIO type1 stack users run (one boot; cases in
# tests/vm/guest/stock.sh)
. tests/vm/lib.sh
vm_require --kernel stock-6.1
version=$(tools/vm/fetch-stock.sh 6.1 | sed -n 2p)
vm_suite --kernel stock-6.1 --timeout 180 --iommu --device edu tests/vm/guest/stock.sh "$version"
