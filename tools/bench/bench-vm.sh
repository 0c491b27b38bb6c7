#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tracer overhead on the real kernel, in the test VM (tools/vm/run.sh,
# Linux 6.12 with iommufd, QEMU TCG): dmaload churn (IOAS_MAP/UNMAP on
# /dev/iommu) untraced, under dmatrace latency with fentry, with
# --force-kprobe, and under the equivalent bpftrace script
# (tools/bench/bpftrace/latency-kernel.bt), in rotated rounds, one boot
# (tools/bench/bench-vm-guest.sh). Prints medians of ns per workload op
# (wall time, and the workload's user+sys CPU time, which leaves out time
# the guest spent elsewhere),
# the ns added over untraced, the ratios (dmatrace fentry / bpftrace,
# kprobe / fentry) and the BPF programs' own run time (bpf_stats). Under
# emulation absolute times mean little; the ratios are the figures.
#
#   tools/bench/bench-vm.sh [-n OPS] [-r ROUNDS] [-s SEED]
#	-n OPS     workload ops per run (default 20000)
#	-r ROUNDS  rounds of the four variants (default 3)
#	-s SEED    dmaload seed (default 1)
# Needs root, QEMU, the VM kernel and bpftrace; run `make` first.
set -u
cd "$(dirname "$0")/../.." || exit 1
ops=20000 rounds=3 seed=1
usage="usage: tools/bench/bench-vm.sh [-n OPS] [-r ROUNDS] [-s SEED]"
while getopts "n:r:s:h" opt; do
	case $opt in
	n) ops=$OPTARG ;;
	r) rounds=$OPTARG ;;
	s) seed=$OPTARG ;;
	h) echo "$usage"; exit 0 ;;
	*) echo "$usage" >&2; exit 1 ;;
	esac
done
for n in "$ops" "$rounds" "$seed"; do
	[[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "bench-vm: not a positive number: $n" >&2; exit 1; }
done
for b in bin/dmaload bin/dmatrace; do
	[ -x "$b" ] || { echo "bench-vm: $b not built (run make)" >&2; exit 1; }
done
command -v bpftrace > /dev/null || { echo "bench-vm: bpftrace missing (make deps)" >&2; exit 1; }
# raw outputs (times, bpftool prog show -j, tracer output) stay here
share=build/vm/bench
rm -rf "$share"
mkdir -p "$share"
echo "bench-vm: raw outputs in $share/bench"
exec tools/vm/run.sh --timeout 1800 --share "$share" --log "$share/console.log" \
	tools/bench/bench-vm-guest.sh "$ops" "$rounds" "$seed"
