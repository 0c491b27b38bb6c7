#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What an unmap costs the BPF programs, against how many other areas the
# tracer holds (issue 10: no cliff on unmap). dmatrace windows --target ref
# traces dmaload scripts on the reference implementation; each run first
# maps OTHER areas in a second IOAS (the state the tracer holds), then does
# one kind of unmap in IOAS a:
#   single     N maps of one page, then N exact unmaps of them
#   all(10)    N/10 rounds of: 10 maps, unmap all
# and, while the tracer is still attached, reads run_time_ns and run_cnt
# of its programs (bpftool prog show, kernel.bpf_stats_enabled=1; restored
# at exit). It prints the BPF ns per unmap of the unmap exit program
# (ur_iommufd_ioas_unmap: the windows update) and of entry + exit, and the
# ratio all(10)/single, per OTHER, side by side.
#
# The tree is built privately (a copy of the work tree, or of a git
# revision with -r) with DT_MAX_AREAS raised to MAX, so that 100000 other
# areas fit; the repository's build is not touched.
#
#   tools/bench/bench-unmap.sh [-n N] [-o "OTHER..."] [-m MAX] [-r REV]... [-k]
#	-n N        unmaps per run (default 2000; all(10) does N/10)
#	-o OTHER    the other areas' counts (default "0 10000 100000")
#	-m MAX      the private builds' DT_MAX_AREAS (default 262144)
#	-r REV      also measure git revision REV (e.g. the whole-map walk
#	            before this change), built the same way; repeatable
#	-k          keep the work directory and print its path
# Needs root (BPF, uprobes, sysctl).
set -u
cd "$(dirname "$0")/../.." || exit 1

n=2000
others="0 10000 100000"
max=262144
revs=()
keep=0
usage='usage: tools/bench/bench-unmap.sh [-n N] [-o "OTHER..."] [-m MAX] [-r REV]... [-k]'
while getopts "n:o:m:r:kh" opt; do
	case $opt in
	n) n=$OPTARG ;;
	o) others=$OPTARG ;;
	m) max=$OPTARG ;;
	r) revs+=("$OPTARG") ;;
	k) keep=1 ;;
	h) echo "$usage"; exit 0 ;;
	*) echo "$usage" >&2; exit 1 ;;
	esac
done
die() {
	echo "bench-unmap: $*" >&2
	exit 1
}
for v in "$n" "$max" $others; do
	[[ $v =~ ^[0-9]+$ ]] || die "not a number: $v"
done
[ "$n" -ge 10 ] || die "-n: at least 10"
if [ "$(id -u)" != 0 ]; then
	echo "bench-unmap: needs root (BPF programs on uprobes, kernel.bpf_stats_enabled)" >&2
	exit 2
fi
for tool in bpftool jq make sysctl tar git; do
	command -v "$tool" > /dev/null || die "$tool not found"
done

work=$(mktemp -d /tmp/bench-unmap.XXXXXX) || die "cannot create a work directory"
stats_before=$(sysctl -n kernel.bpf_stats_enabled)
cleanup() {
	sysctl -qw kernel.bpf_stats_enabled="$stats_before"
	if [ "$keep" = 1 ]; then
		echo "bench-unmap: work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# build NAME: $work/NAME/bin from the copy in $work/NAME, DT_MAX_AREAS=MAX
build() {
	sed -i "s/^#define DT_MAX_AREAS\t[0-9]*/#define DT_MAX_AREAS\t$max/" \
		"$work/$1/bpf/dmatrace.bpf.h"
	grep -q "^#define DT_MAX_AREAS	$max\b" "$work/$1/bpf/dmatrace.bpf.h" ||
		die "$1: DT_MAX_AREAS not found in bpf/dmatrace.bpf.h"
	make -C "$work/$1" -j2 bin/dmatrace bin/dmaload bin/libdmaref.so \
		> "$work/$1.build" 2>&1 || die "$1: build failed (see $work/$1.build)"
}

names=(worktree)
mkdir "$work/worktree"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - |
	tar -x -C "$work/worktree" || die "cannot copy the work tree"
for r in "${revs[@]}"; do
	name=$(git rev-parse --short "$r") || die "no revision $r"
	mkdir "$work/$name"
	git archive "$r" | tar -x -C "$work/$name" || die "cannot export $r"
	names+=("$name")
done
for name in "${names[@]}"; do
	echo "bench-unmap: building $name (DT_MAX_AREAS $max)" >&2
	build "$name"
done

# script KIND OTHER: the dmaload script of one run
script() {
	awk -v kind="$1" -v other="$2" -v n="$n" 'BEGIN {
		print "ioas a"
		print "ioas b"
		for (i = 0; i < other; i++)
			printf "map b fixed 0x%x 0x1000\n", 0x10000000 + i * 0x2000
		base = 0x1000000000
		if (kind == "single") {
			for (i = 0; i < n; i++)
				printf "map a fixed 0x%x 0x1000\n", base + i * 0x2000
			for (i = 0; i < n; i++)
				printf "unmap a 0x%x 0x1000\n", base + i * 0x2000
		} else {
			for (r = 0; r < n / 10; r++) {
				for (i = 0; i < 10; i++)
					printf "map a fixed 0x%x 0x1000\n", base + i * 0x2000
				print "unmap a all"
			}
		}
	}'
}

# run NAME KIND OTHER: "exit_ns_per_op total_ns_per_op count map_ns_per_op"
# (empty on a failure, said on stderr). Our programs: those on our private
# library's uprobes (bpftool link and perf show), not another tracer's.
run() {
	local d=$work/$1 f=$work/$1.$2.$3
	script "$2" "$3" > "$f.dms"
	"$d/bin/dmatrace" windows --target "ref:$d/bin/libdmaref.so" -- sh -c \
		'"$0" --script "$1" > /dev/null || exit
		 bpftool prog show -j > "$2.progs" &&
		 bpftool link show -j > "$2.links" &&
		 bpftool perf show -j > "$2.perf"' \
		"$d/bin/dmaload" "$f.dms" "$f" > "$f.out" 2> "$f.err" || {
		echo "bench-unmap: $1 $2 $3: dmatrace failed (see $f.err)" >&2
		return 1
	}
	grep -q '^rb_drops 0  stash_miss 0  read_fail 0  areas_full 0' "$f.out" ||
		echo "bench-unmap: $1 $2 $3: $(grep '^rb_drops' "$f.out")" >&2
	jq -s -c --arg lib "$d/bin/libdmaref.so" \
		'[(.[0][] | select(.file? == $lib) | .prog_id),
		  (.[1][] | select(.filename? == $lib) | .prog_id)] | unique' \
		"$f.links" "$f.perf" > "$f.ids"
	jq -r --slurpfile ids "$f.ids" '
		[.[] | select(.id as $i | $ids[0] | index($i))] as $p |
		def prog($n): ($p | map(select(.name == $n)) | first);
		prog("ur_iommufd_ioas_unmap") as $x |
		prog("u_iommufd_ioas_unmap") as $e |
		prog("ur_iommufd_ioas_map") as $m |
		prog("u_iommufd_ioas_map") as $me |
		if $x == null or $e == null or $m == null or $me == null then
			error("the unmap and map programs are not all on our uprobes")
		else
		[ ($x.run_time_ns / $x.run_cnt),
		  (($x.run_time_ns + $e.run_time_ns) / $x.run_cnt),
		  $x.run_cnt,
		  (($m.run_time_ns + $me.run_time_ns) / $m.run_cnt) ] |
		map(floor) | @tsv end' "$f.progs"
}

sysctl -qw kernel.bpf_stats_enabled=1 || die "cannot set kernel.bpf_stats_enabled"
echo "bench-unmap: BPF ns per op (run_time_ns / run_cnt), N=$n unmaps per run;"
echo "  exit: ur_iommufd_ioas_unmap (the windows update), total: + its entry program;"
echo "  map: the map op's entry + exit, for scale"
printf '%-10s %8s | %12s %12s | %12s %12s | %11s %11s | %8s\n' \
	tree other "single exit" "single total" "all10 exit" "all10 total" \
	"ratio exit" "ratio total" "map"
for name in "${names[@]}"; do
	run "$name" single 0 > /dev/null	# warm-up, not shown
	for o in $others; do
		read -r sx st sc sm <<< "$(run "$name" single "$o")"
		read -r ax at ac am <<< "$(run "$name" all "$o")"
		[ -n "$sx" ] && [ -n "$ax" ] || die "$name $o: no figures"
		[ "$sc" = "$n" ] || echo "bench-unmap: $name single $o: $sc unmaps counted, not $n" >&2
		[ "$ac" = "$((n / 10))" ] || echo "bench-unmap: $name all $o: $ac unmaps counted, not $((n / 10))" >&2
		printf '%-10s %8s | %12s %12s | %12s %12s | %11s %11s | %8s\n' \
			"$name" "$o" "$sx" "$st" "$ax" "$at" \
			"$(awk -v a="$ax" -v b="$sx" 'BEGIN { printf "%.2f", a / b }')" \
			"$(awk -v a="$at" -v b="$st" 'BEGIN { printf "%.2f", a / b }')" "$sm"
	done
done
