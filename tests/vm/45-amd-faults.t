#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier: the AMD IOMMU fault point on the kernels users run. Three
# boots with QEMU's amd-iommu (without interrupt remapping) and edu:
# Debian's stock 6.1 and 6.12 and ours. In each, dmatrace's planner
# reports amd_iommu_int_handler for the faults backend and the kernel
# object loads and attaches (fentry, forced kprobe): the verifier takes
# the event log walk (bpf/faults.bpf.h) on all three; where bpftrace can
# probe __iommu_queue_command_sync, the event log's registers read as the
# walk reads them (EventLen 9, head and tail in the ring). QEMU 7.2's
# amd-iommu raises no event for the edu device, so no fault is traced
# here. One VM at a time; a stock kernel that cannot be fetched is
# skipped.
. tests/vm/lib.sh
. tests/lib/tap.sh
vm_require
command -v jq >/dev/null || vm_skip_all "no jq (apt-get install jq)"
[ -x bin/dmatrace ] || { echo "1..1"; echo "not ok 1 - bin/dmatrace not built (run make)"; exit 1; }
vm_share
D=$VM_SUITE_SHARE

boot() {	# boot KERNEL
	mkdir -p "$D/$1"
	if ! $VM_RUN --find-kernel --kernel "$1" > /dev/null 2>&1; then
		skip "$1: no kernel image"
		return
	fi
	$VM_RUN --kernel "$1" --timeout 240 --share "$D/$1" \
		--log "$D/$1/console.log" --iommu-device amd-iommu,intremap=off \
		--device edu tests/vm/guest/amdfaults.sh \
		> "$D/$1/tap" 2> "$D/$1/run.err"
	rc=$?
	sed 's/^/#   /' "$D/$1/probe.txt" 2>/dev/null | grep -E 'backend faults|amd_iommu|io_page_fault|dmar_fault'
	sed -n 's/^ *\(ok\|not ok\) [0-9]* - /\1 /p' "$D/$1/tap" | while read -r st rest; do
		[ "$st" = ok ] && echo "#   $1: ok $rest" || echo "#   $1: not ok $rest"
	done
	n=$(grep -c '^not ok' "$D/$1/tap")
	is "$rc $n" "0 0" "$1 ($(cat "$D/$1/uname" 2>/dev/null)): AMD fault point planned, object loads and attaches"
	[ "$rc $n" = "0 0" ] || sed 's/^/#   /' "$D/$1/tap" "$D/$1/run.err" | tail -n 30
	grep -h '^dmatrace: backend faults' "$D/$1/fentry.err" "$D/$1/kprobe.err" 2>/dev/null | sed 's/^/#   /'
	sed 's/^/#   interrupts: /' "$D/$1/interrupts" 2>/dev/null
	grep -h '^evtlog' "$D/$1/amdregs.out" 2>/dev/null | sed "s/^/#   $1: /"
}

boot stock-6.1
boot stock-6.12
boot ours
grep -q '^not ok' "$D"/*/tap 2>/dev/null || rm -rf "$D"
done_testing
