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

# The registers the walk reads, read the same way (probe reads of the
# MMIO mapping) by bpftrace while the driver queues commands for a VFIO
# attach of edu: the event log's size from its base register, head and
# tail within it. Skipped without bpftrace or the probed function.
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
if ! command -v bpftrace > /dev/null; then
	tap_skip "event log registers" "no bpftrace"
elif ! grep -q '^__iommu_queue_command_sync$' /sys/kernel/tracing/available_filter_functions; then
	tap_skip "event log registers" "__iommu_queue_command_sync not traceable here"
else
	rm -f /tmp/amdregs.up
	bpftrace --unsafe -B none tests/vm/guest/amdregs.bt > $W/amdregs.out 2>&1 &
	bt=$!
	i=0
	while [ ! -e /tmp/amdregs.up ] && [ $i -lt 90 ]; do sleep 1; i=$((i + 1)); done
	edu=
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat $d/vendor):$(cat $d/device)" = 0x1234:0x11e8 ] && edu=${d##*/}
	done
	if [ -n "$edu" ]; then
		echo vfio-pci > /sys/bus/pci/devices/$edu/driver_override
		echo $edu > /sys/bus/pci/drivers_probe
		g=$(readlink /sys/bus/pci/devices/$edu/iommu_group)
		bin/vfiocheck /dev/vfio/${g##*/} > $W/vfiocheck.out 2>&1
	fi
	i=0
	while ! grep -q '^evtlog' $W/amdregs.out && [ $i -lt 20 ]; do sleep 1; i=$((i + 1)); done
	kill $bt 2>/dev/null
	wait $bt 2>/dev/null
	tap_diag < $W/amdregs.out
	# base_hi 0x9000000: EventLen 9 (512 entries, 8 KiB); head, tail below it
	set -- $(grep -m1 '^evtlog' $W/amdregs.out) x x x x x x x x x
	tap_check "event log registers: EventLen 9, head and tail entry positions in 8 KiB" \
		sh -c "[ \$(( ($3 >> 24) & 15 )) = 9 ] && [ \$(( $7 < 8192 && $9 < 8192 && $7 % 16 == 0 && $9 % 16 == 0 )) = 1 ]"
fi
tap_end
[ "$TAP_FAILED" = 0 ]
