#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What tracing costs the traced program: the dmaload churn workload on the
# reference implementation, run in rounds of six variants:
#   untraced   the workload alone
#   floor      bpftrace with an empty action on exactly the uprobes and
#              uretprobes dmatrace latency attaches (read from bpftool perf
#              and link show during a first, discovery run of dmatrace): what the
#              uprobe mechanism itself costs
#   required   the same probes with only the work no latency histogram of
#              these ops can do without (bench-tracer.pl required): the clock
#              at entry and return, ucmd->cmd and the uAPI struct read at
#              entry; no stash, no histogram. What it costs is the least any
#              tracer of these histograms costs on this kernel.
#   dmatrace   dmatrace latency --target ref:LIB -- WORKLOAD
#   all-views  dmatrace -j --target ref:LIB -- WORKLOAD (latency, windows,
#              violations, faults)
#   bpftrace   tools/bench/bpftrace/latency.bt, the same histograms
# The order rotates from round to round so that noise hits every variant
# alike; figures are medians over the rounds. It prints ns per workload op,
# the cost above the floor, start-up (exec of the tracer until the traced
# command starts: both tracers hold it until their probes are attached),
# shutdown (the traced command's exit until the tracer's, output included),
# the tracers' peak RSS (VmHWM), and the BPF programs' own run time
# (kernel.bpf_stats_enabled=1, for all variants alike; restored at exit),
# with bin/bench-bpf's cost of each BPF operation they are made of (the
# area insert and delete bound the all-views cost from below).
#
# The workload runs on private copies of bin/dmaload and bin/libdmaref.so:
# uprobes are per file, so other tracers on this machine do not hit it and
# ours do not hit anyone else's.
#
#   tools/bench/bench-tracer.sh [-n OPS] [-r ROUNDS] [-s SEED] [-d DMATRACE] [-k]
#	-n OPS     workload ops per run (default 50000)
#	-r ROUNDS  rounds of the six variants (default 5)
#	-s SEED    dmaload seed (default 1)
#	-d PATH    the dmatrace binary to measure (default bin/dmatrace)
#	-k         keep the work directory (raw outputs) and print its path
# Needs root (BPF, uprobes, sysctl); run `make` first.
set -u
cd "$(dirname "$0")/../.." || exit 1

ops=50000
rounds=5
seed=1
keep=0
dmatrace=bin/dmatrace
usage="usage: tools/bench/bench-tracer.sh [-n OPS] [-r ROUNDS] [-s SEED] [-d DMATRACE] [-k]"
while getopts "n:r:s:d:kh" opt; do
	case $opt in
	n) ops=$OPTARG ;;
	r) rounds=$OPTARG ;;
	s) seed=$OPTARG ;;
	d) dmatrace=$OPTARG ;;
	k) keep=1 ;;
	h) echo "$usage"; exit 0 ;;
	*) echo "$usage" >&2; exit 1 ;;
	esac
done
for n in "$ops" "$rounds" "$seed"; do
	if ! [[ $n =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ]; then
		echo "bench-tracer: not a positive number: $n" >&2
		exit 1
	fi
done

die() {
	echo "bench-tracer: $*" >&2
	exit 1
}

if [ "$(id -u)" != 0 ]; then
	echo "bench-tracer: needs root (loads BPF programs on uprobes, sets kernel.bpf_stats_enabled); run it with sudo" >&2
	exit 2
fi
for tool in bpftrace bpftool perl readelf nm sysctl; do
	command -v "$tool" > /dev/null || die "$tool not found (tools/install-deps.sh)"
done
bench_bpf=$PWD/bin/bench-bpf
for f in "$dmatrace" bin/dmaload bin/libdmaref.so bin/bench-bpf; do
	[ -x "$f" ] || die "$f missing: run make first"
done

bench=$PWD/tools/bench
# bpftrace -c runs ELF binaries only: the traced command is bash SCRIPT
bash=$(readlink -f "$BASH")
work=$(mktemp -d /tmp/bench-tracer.XXXXXX) || die "cannot create a work directory"
stats_before=$(sysctl -n kernel.bpf_stats_enabled)
cleanup() {
	sysctl -qw kernel.bpf_stats_enabled="$stats_before"
	if [ "$keep" = 1 ]; then
		echo "raw outputs kept in $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cp "$dmatrace" "$work/dmatrace" && cp bin/dmaload bin/libdmaref.so "$work/" || die "cannot copy the binaries"
lib=$work/libdmaref.so
sysctl -qw kernel.bpf_stats_enabled=1 || die "cannot set kernel.bpf_stats_enabled"

# One run of variant $1 in round $2 (with $3 ops); files $work/$1.$2.*
run() {
	local v=$1 r=$2 n=$3 pre=$work/$1.$2 rc i
	local load=("$bash" "$bench/bench-tracer-run.sh" "$pre" traced
		    "$work/dmaload" --scenario churn --seed "$seed" --ops "$n"
		    --json)
	local cmd

	case $v in
	untraced)
		load[3]=untraced
		cmd=("${load[@]}") ;;
	floor)
		cmd=(bpftrace -c "${load[*]}" "$work/floor.bt") ;;
	required)
		cmd=(bpftrace -c "${load[*]}" "$work/required.bt") ;;
	dmatrace|discover)
		cmd=("$work/dmatrace" latency --target "ref:$lib" -- "${load[@]}") ;;
	all-views)
		cmd=("$work/dmatrace" -j --target "ref:$lib" -- "${load[@]}") ;;
	bpftrace)
		cmd=(bpftrace -c "${load[*]}" "$bench/bpftrace/latency.bt" "$lib") ;;
	esac
	( echo "$EPOCHREALTIME" > "$pre.exec"; exec "${cmd[@]}" ) \
		> "$pre.out" 2> "$pre.err" < /dev/null
	rc=$?
	echo "$EPOCHREALTIME" > "$pre.exit"
	if [ $rc != 0 ] || [ ! -s "$pre.times" ]; then
		echo "bench-tracer: $v (round $r) failed, exit $rc: ${cmd[*]}" >&2
		grep -v 'RLIMIT_MEMLOCK\|uprobe_events\|failed to detach' \
			"$pre.err" | tail -n 5 >&2
		exit 1
	fi
	[ "$v" = untraced ] && return
	for ((i = 0; i < 500; i++)); do
		[ -e "$pre.hwm" ] && return
		sleep 0.02
	done
	die "$v (round $r): no VmHWM sample in $pre.hwm"
}

echo "bench-tracer: dmaload --scenario churn --seed $seed --ops $ops," \
     "$rounds rounds of 6 variants (order rotates)"
echo "host: $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
     "$(bpftrace --version)"
echo "dmatrace: $dmatrace, built $(date -r "$dmatrace" '+%F %T');" \
     "tree at $(git rev-parse --short HEAD 2>/dev/null)," \
     "src/dmatrace and bpf/ $(git diff --quiet HEAD -- src/dmatrace bpf 2>/dev/null &&
			      echo clean || echo modified)"
echo "runs (W = private copies in $work, CMD = bash tools/bench/bench-tracer-run.sh ... W/dmaload --scenario churn ...):"
echo "  untraced: CMD"
echo "  floor:     bpftrace -c CMD W/floor.bt"
echo "  required:  bpftrace -c CMD W/required.bt"
echo "  dmatrace:  dmatrace latency --target ref:W/libdmaref.so -- CMD"
echo "  all-views: dmatrace -j --target ref:W/libdmaref.so -- CMD"
echo "  bpftrace:  bpftrace -c CMD tools/bench/bpftrace/latency.bt W/libdmaref.so"

# Discovery: which uprobes does dmatrace latency attach? The floor copies them.
run discover 0 1000
perl "$bench/bench-tracer.pl" floor "$lib" "$work/discover.0" \
	> "$work/floor.bt" || exit 1
echo "floor: bpftrace, empty actions on the $(grep -c '{}' "$work/floor.bt")" \
     "uprobes/uretprobes dmatrace latency attached to libdmaref.so" \
     "(its tp_btf sched_process_fork program, hit per fork only, is not copied)"

perl "$bench/bench-tracer.pl" required "$lib" "$work/discover.0" \
	"$bench/bpftrace/latency.bt" > "$work/required.bt" || exit 1
echo "required: the clocks and reads alone, on the" \
     "$(grep -c 'nsecs' "$work/required.bt") uprobes/uretprobes of op handlers" \
     "among them (empty actions on the others)"

variants=(untraced floor required dmatrace all-views bpftrace)
for ((r = 1; r <= rounds; r++)); do
	for ((i = 0; i < ${#variants[@]}; i++)); do
		run "${variants[(i + r - 1) % ${#variants[@]}]}" "$r" "$ops"
	done
done
# What an area's insert and delete cost here, for the all-views bound
"$bench_bpf" > "$work/bench-bpf.out" || die "bin/bench-bpf failed"
echo
cat "$work/bench-bpf.out"
echo
perl "$bench/bench-tracer.pl" report "$work" "$lib" "$rounds" "${variants[@]}"
