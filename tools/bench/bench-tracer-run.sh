#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The traced command of tools/bench/bench-tracer.sh. It runs as the child
# of the tracer (dmatrace -- CMD, bpftrace -c CMD), which both start only
# once their probes are attached, so its first line marks "probes live".
#
#   bench-tracer-run.sh PREFIX traced|untraced DMALOAD [ARGS...]
#
# Writes PREFIX.times ("start end", $EPOCHREALTIME around the workload),
# PREFIX.cpu (the workload's "real user sys" seconds: uprobe handling and
# the BPF programs run in its threads, so they are in its sys time, while
# time spent waiting for a CPU on a busy machine is not) and PREFIX.load
# (the workload's stdout). When traced, while the tracer (our
# parent) still runs: PREFIX.progs, PREFIX.perf and PREFIX.links (bpftool
# prog/perf/link show
# -j: run_time_ns, run_cnt, which program is on which uprobe), and
# PREFIX.hwm, the tracer's VmHWM in kB, sampled every 2 ms until it exits
# (written last, through a rename: the benchmark waits for it), and
# PREFIX.done, when this command exits and the tracer starts to wind down.
start=$EPOCHREALTIME
prefix=$1
mode=$2
shift 2

TIMEFORMAT='%3R %3U %3S'
{ time "$@" > "$prefix.load" 2>&3; } 3>&2 2> "$prefix.cpu" || exit
end=$EPOCHREALTIME
echo "$start $end" > "$prefix.times"
[ "$mode" = traced ] || exit 0

bpftool prog show -j > "$prefix.progs" || exit
bpftool perf show -j > "$prefix.perf" || exit
bpftool link show -j > "$prefix.links" || exit
tracer=$PPID
perl -e '
	my ($pid, $out) = @ARGV;
	my $max = 0;
	while (open(my $f, "<", "/proc/$pid/status")) {
		while (<$f>) {
			$max = $1 if /^VmHWM:\s+(\d+)/ && $1 > $max;
		}
		close($f);
		select(undef, undef, undef, 0.002);
	}
	open(my $o, ">", "$out.tmp") or die "$out.tmp: $!\n";
	print $o "$max\n";
	close($o);
	rename("$out.tmp", $out) or die "$out: $!\n";
' "$tracer" "$prefix.hwm" < /dev/null > /dev/null 2>&1 &
echo "$EPOCHREALTIME" > "$prefix.done"
exit 0
