#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of tools/bench/bench-memlock-vm.sh: what the kernel made of
# the CPUs (its boot messages), then tools/bench/bench-memlock.sh on the
# kernel target, the figures into the share.
dmesg | grep -iE 'possible_cpus|Allowing .* CPUs|nr_cpu_ids' | sed 's/^/guest dmesg: /'
echo "guest: possible $(cat /sys/devices/system/cpu/possible), online $(cat /sys/devices/system/cpu/online)"
exec bash tools/bench/bench-memlock.sh -t kernel -o "${DMATRACE_VM_OUT:-/mnt}/memlock.json"
