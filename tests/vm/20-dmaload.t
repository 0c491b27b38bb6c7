#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier: dmaload's scripts and random op sequences on the real kernel and
# on the reference implementation must give the same results (one boot;
# cases in tests/vm/guest/dmaload.sh). VM_RAND_SCRIPTS, VM_RAND_SEQS and
# VM_RAND_SEED pass through to the guest.
. tests/vm/lib.sh
vm_suite --timeout 600 tests/vm/guest/dmaload.sh
