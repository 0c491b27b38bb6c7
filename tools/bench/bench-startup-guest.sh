#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Start-up and shutdown of dmatrace on the kernel target, in the VM:
#   tools/vm/run.sh --kernel ours|stock-6.1|stock-6.12 --iommu tools/bench/bench-startup-guest.sh
# start-up: dmatrace's exec until the traced command's first line runs;
# shutdown: the command's exit until dmatrace's. Three runs per mode.
. tests/vm/guest/modules.sh
vm_load_vfio 2>/dev/null
now() { bash -c 'echo $EPOCHREALTIME'; }
for v in latency -j; do
	for i in 1 2 3; do
		t0=$(now)
		bin/dmatrace $v -- bash -c 'echo $EPOCHREALTIME > /mnt/s' \
			> /dev/null 2> /mnt/err
		t1=$(now)
		s=$(cat /mnt/s)
		echo "dmatrace $v: start-up $(echo "($s - $t0) * 1000" | bc) ms," \
		     "shutdown $(echo "($t1 - $s) * 1000" | bc) ms;" \
		     "$(grep 'links:' /mnt/err)"
	done
done
