# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/45-amd-faults.t: on a boot with QEMU's amd-iommu,
# the AMD fault point (amd_iommu_int_handler, where the event log is read)
# is reported by the faults backend's planner and the kernel object loads
# and attaches there, on fentry and on a forced kprobe. QEMU 7.2's
# amd-iommu raises no event for edu, so nothing here runs the walk on
# entries (the unit tier decodes them: tests/unit/test_amd_evt.c).
. tests/vm/guest/tap.sh
. tests/vm/guest/modules.sh
W=${DMATRACE_VM_OUT:-/mnt}
DMATRACE=bin/dmatrace

uname -r > $W/uname
vm_load_vfio > $W/modules.log 2>&1	# a live backend with ops (type1)
grep -i 'AMD-Vi' /proc/interrupts > $W/interrupts 2>&1
"$DMATRACE" -v probe --target kernel > $W/probe.txt 2>&1
tap_check "probe --target kernel exits 0" \
	sh -c "$DMATRACE probe --target kernel > /dev/null 2>&1"
"$DMATRACE" probe --target kernel -j > $W/probe.json 2> $W/probe.err
p='.points[] | select(.name == "amd_iommu_int_handler")'
tap_check "probe: amd_iommu_int_handler is a faults point on fentry (any one)" \
	sh -c "[ \"\$(jq -r '$p | .backend + \" \" + .attach + \" \" + .role' $W/probe.json)\" = 'faults fentry any' ]"
tap_check "probe: amd_iommu_report_page_fault is no longer planned" \
	sh -c "! jq -e '.points[] | select(.name == \"amd_iommu_report_page_fault\")' $W/probe.json"

run() {	# run NAME [OPTION]: dmatrace -j -- true, its report in $W/NAME.err
	"$DMATRACE" -j $2 -- true > $W/$1.json 2> $W/$1.err
	echo "status $?" >> $W/$1.err
	grep '^dmatrace: backend faults: ' $W/$1.err > $W/$1.faults
	tap_check "$1: the kernel object loads and links are made" \
		grep -q '^dmatrace: links:' $W/$1.err
	tap_check "$1: a JSON record with no fault and no read failure" \
		jq -e '.faults_total == 0 and .counters.read_fail == 0' $W/$1.json
}
# the faults line names a point only when it is not on fentry
run fentry
tap_check "fentry: backend faults live, amd_iommu_int_handler on fentry" \
	sh -c "grep -q ': live (' $W/fentry.faults && ! grep -q amd_iommu_int_handler $W/fentry.faults"
run kprobe --force-kprobe
tap_check "kprobe: backend faults live, amd_iommu_int_handler on kprobe" \
	grep -q ': live (.*; amd_iommu_int_handler on kprobe' $W/kprobe.faults
tap_end
[ "$TAP_FAILED" = 0 ]
