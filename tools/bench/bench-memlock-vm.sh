#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/bench/bench-memlock.sh on the real kernel in the test VM
# (tools/vm/run.sh, Linux 6.12 with iommufd, QEMU TCG), dmatrace
# --target kernel, one boot per CPU configuration, then the memlock each
# map had at each boot's number of possible CPUs next to the formula
# (bench-memlock.pl compare). Default configurations: -smp 8, 16 and 64,
# the most the VM kernel allows (CONFIG_NR_CPUS=64; 64 vCPUs boot and run
# in about 150 s). More possible than running CPUs is not to be had here:
# the kernel parameter possible_cpus=N only lowers the number the firmware
# enumerates (6.9+, arch/x86/kernel/cpu/topology.c), and the hotplug slots
# of -smp 2,maxcpus=64 (disabled MADT entries) count only on a known
# hypervisor, which TCG is not (acpi_is_processor_usable).
#
#   tools/bench/bench-memlock-vm.sh [SMP[:KERNEL_ARGS]...]
#	e.g. tools/bench/bench-memlock-vm.sh 8 16 64 2:possible_cpus=256
# Needs root, QEMU, the VM kernel; run `make` first. One VM at a time.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ $# -gt 0 ] || set -- 8 16 64
[ -x bin/dmatrace ] || { echo "bench-memlock-vm: bin/dmatrace not built (run make)" >&2; exit 1; }
share=build/vm/bench-memlock
rm -rf "$share"
mkdir -p "$share"
echo "bench-memlock-vm: raw outputs in $share"
runs=() rc=0
for c in "$@"; do
	smp=${c%%:*} args=""
	[ "$c" = "$smp" ] || args=${c#*:}
	[[ $smp =~ ^[1-9][0-9]*(,[a-z-]+=[0-9]+)*$ ]] ||
		{ echo "bench-memlock-vm: not SMP[,maxcpus=M][:ARGS]: $c" >&2; exit 1; }
	d=$share/smp${smp//[^a-z0-9=]/_}${args:+-${args//[^a-z0-9=]/_}}
	mkdir -p "$d"
	echo "== VM -smp $smp${args:+, kernel parameters: $args}"
	start=$(date +%s)
	tools/vm/run.sh --timeout 1200 --smp "$smp" ${args:+--append "$args"} \
		--share "$d" --log "$d/console.log" \
		tools/bench/bench-memlock-vm-guest.sh
	r=$?
	echo "(boot and run: $(($(date +%s) - start)) s, status $r)"
	if [ $r = 0 ] && [ -s "$d/memlock.json" ]; then
		runs+=("$d/memlock.json")
	else
		rc=1
	fi
done
[ ${#runs[@]} -gt 0 ] || exit 1
echo "== all boots"
perl tools/bench/bench-memlock.pl compare "${runs[@]}"
exit $rc
