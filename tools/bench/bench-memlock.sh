#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BPF memory of dmatrace with all views on (no command: latency, windows
# and violations at once): starts `dmatrace -j -- CMD` (CMD holds until the
# table is taken), reads the maps and programs of its fds (bpftool map/prog
# show -j: the memlock the kernel reports for each), and prints per map its
# type, key/value size, max_entries, flags, memlock, a formula in n (the
# number of possible CPUs) derived from the type and the kernel's struct
# sizes (tools/bench/bench-memlock.pl), the formula at this n and at 256,
# the total and PASS/FAIL of the 256-CPU figure against 64 MiB. Sizes and
# flags come from the running maps, nothing about them is assumed.
#
#   tools/bench/bench-memlock.sh [-t TARGET] [-b MIB] [-a N] [-o JSON] [-d DMATRACE] [-- DMATRACE_OPTION...]
#	-t TARGET  dmatrace --target (default: ref here, kernel in the VM)
#	-b MIB     budget at N possible CPUs (default 64)
#	-a N       possible CPUs of the prediction (default 256)
#	-o JSON    also write the figures as JSON (bench-memlock.pl compare)
#	-d PATH    the dmatrace binary (default bin/dmatrace)
#	after --: more dmatrace options (e.g. capacity options)
# Needs root, bpftool, jq, perl; run `make` first. In the VM:
# tools/bench/bench-memlock-vm.sh.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
cd "$(dirname "$0")/../.." || exit 1
target="" budget=64 at=256 out="" dmatrace=bin/dmatrace
[ -n "${DMATRACE_VM:-}" ] && target=kernel
usage="usage: tools/bench/bench-memlock.sh [-t TARGET] [-b MIB] [-a N] [-o JSON] [-d DMATRACE] [-- DMATRACE_OPTION...]"
while getopts "t:b:a:o:d:h" opt; do
	case $opt in
	t) target=$OPTARG ;;
	b) budget=$OPTARG ;;
	a) at=$OPTARG ;;
	o) out=$OPTARG ;;
	d) dmatrace=$OPTARG ;;
	h) echo "$usage"; exit 0 ;;
	*) echo "$usage" >&2; exit 1 ;;
	esac
done
shift $((OPTIND - 1))
die() {
	echo "bench-memlock: $*" >&2
	exit 1
}
[ "$(id -u)" = 0 ] || die "needs root (BPF)"
[ -x "$dmatrace" ] || die "$dmatrace not built (run make)"
for c in bpftool jq perl; do
	command -v $c > /dev/null || die "$c missing (make deps)"
done
[ -n "$target" ] || target=ref

W=$(mktemp -d "${TMPDIR:-/tmp}/bench-memlock.XXXXXX") || die "mktemp failed"
dt=""
cleanup() {
	[ -s "$W/child" ] && kill "$(cat "$W/child")" 2> /dev/null
	[ -n "$dt" ] && wait "$dt" 2> /dev/null
	rm -rf "$W"
}
trap cleanup EXIT

percpu() { awk '/^Percpu:/ { print $2 }' /proc/meminfo; }

before=$(percpu)
# the command starts once the tracer is loaded and attached: it writes its
# pid (the sign) and holds
"$dmatrace" -j --target "$target" "$@" -o "$W/record.json" -- \
	sh -c 'echo $$ > "$0.tmp" && mv "$0.tmp" "$0" && exec sleep 600' "$W/child" \
	2> "$W/dmatrace.err" &
dt=$!
for ((i = 0; i < 6000; i++)); do
	[ -s "$W/child" ] && break
	kill -0 "$dt" 2> /dev/null || { cat "$W/dmatrace.err" >&2; dt=""; die "dmatrace ended early"; }
	sleep 0.1
done
[ -s "$W/child" ] || die "dmatrace did not start its command in 600 s"
during=$(percpu)

# the tracer's maps and programs: its fds (ids deduplicated)
for fd in /proc/$dt/fd/*; do
	case $(readlink "$fd") in
	anon_inode:bpf-map) awk '/^map_id:/ { print "map", $2 }' "/proc/$dt/fdinfo/${fd##*/}" ;;
	anon_inode:bpf-prog) awk '/^prog_id:/ { print "prog", $2 }' "/proc/$dt/fdinfo/${fd##*/}" ;;
	esac
done | sort -u > "$W/ids"
while read -r kind id; do
	bpftool "$kind" show id "$id" -j > "$W/$kind.$id.json" || die "bpftool $kind show id $id failed"
done < "$W/ids"
jq -s . "$W"/map.*.json > "$W/maps.json" || die "no maps in dmatrace's fds"
if ls "$W"/prog.*.json > /dev/null 2>&1; then
	jq -s . "$W"/prog.*.json > "$W/progs.json"
else
	echo '[]' > "$W/progs.json"
fi

kill "$(cat "$W/child")"
wait "$dt"
dt=""
grep -m1 'points live' "$W/dmatrace.err" | sed 's/^dmatrace: /bench-memlock: dmatrace: /'
perl tools/bench/bench-memlock.pl report "$W/maps.json" "$W/progs.json" \
	budget="$budget" at="$at" percpu_kb=$((during - before)) \
	label="dmatrace -j --target $target${*:+ $*} (all views), $(nproc) CPUs online" ${out:+out="$out"}
