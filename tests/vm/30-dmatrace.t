#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier: dmatrace end to end on the real kernel, fentry and forced
# kprobes, against dmaload's ground truth (one boot; cases in
# tests/vm/guest/dmatrace.sh)
. tests/vm/lib.sh
vm_suite --timeout 600 tests/vm/guest/dmatrace.sh
