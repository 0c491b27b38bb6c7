#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two dmaload processes traced at once by one dmatrace: each has its own
# IOAS 1 (IOAS ids are per /dev/iommu file), with different reserved
# ranges and violations. docs/ground-truth.md, several processes: the
# summary's ioas and violation entries carry "pid"; those of each pid equal
# that dmaload's ground truth; "ops" and the byte counts are the two
# truths added.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Both dmaloads in the background of one traced shell; their pids in $tmp/pids
trace_pair() {	# trace_pair SCENARIO_A SEED_A SCENARIO_B SEED_B
	"$DMATRACE" -j -- sh -c '
		"$0" --scenario "$1" --seed "$2" --json > "$5/a.out" & a=$!
		"$0" --scenario "$3" --seed "$4" --json > "$5/b.out" & b=$!
		echo "$a $b" > "$5/pids"
		wait $a; ra=$?
		wait $b; rb=$?
		exit $((ra | rb))' "$DMALOAD" "$@" "$tmp" \
		> "$tmp/record" 2> "$tmp/err"
}

# The summary's entries of one pid, without the key, normalised
of_pid() {	# of_pid PID
	jq -c --argjson p "$1" '.summary |
		{ioas: [.ioas[] | select(.pid == $p) | del(.pid)],
		 violations: [.violations[] | select(.pid == $p) | del(.pid)]}' \
		"$tmp/rec" | normalise
}

truth_of() {	# truth_of a|b
	tail -n 1 "$tmp/$1.out" | jq -c '{ioas, violations}' | normalise
}

# ops of both truths added, per op and return code; and the byte counts
truth_sum() {
	tail -q -n 1 "$tmp/a.out" "$tmp/b.out" | jq -S -c -s '
		{ops: (reduce (.[].ops | to_entries[] | .key as $o |
				.value | to_entries[] | [$o, .key, .value])
			as [$o, $r, $n] ({}; .[$o][$r] += $n)),
		 bytes_mapped: (map(.bytes_mapped) | add),
		 bytes_unmapped: (map(.bytes_unmapped) | add)}'
}

check_pair() {	# check_pair SCENARIO_A SEED_A SCENARIO_B SEED_B
	desc="$1 seed $2 & $3 seed $4"
	trace_pair "$@"
	rc=$?
	is "$rc" 0 "$desc: dmatrace exits with the dmaloads' status 0"
	[ "$rc" = 0 ] || sed 's/^/#   /' "$tmp/err"
	read -r pid_a pid_b < "$tmp/pids"
	grep '^{"dmatrace_record"' "$tmp/record" > "$tmp/rec"
	is "$(tail -q -n 1 "$tmp/a.out" "$tmp/b.out" |
	      jq -c '[.ioas[].id] | index(1) != null' | tr '\n' ' ')" \
	   "true true " "$desc: both processes have an IOAS 1"
	for p in a b; do
		eval pid=\$pid_$p
		of_pid "$pid" > "$tmp/got.$p"
		truth_of "$p" > "$tmp/want.$p"
		same_json "$tmp/got.$p" "$tmp/want.$p" \
			"$desc: process $p's IOASes and violations equal its ground truth"
	done
	is "$(jq -c '.summary | [.ioas[], .violations[]] |
		     map(.pid) | unique' "$tmp/rec")" \
	   "$(printf '%s\n%s\n' "$pid_a" "$pid_b" | sort -n | jq -s -c .)" \
		"$desc: every summary entry names one of the two pids"
	is "$(jq -S -c '.summary | {ops, bytes_mapped, bytes_unmapped}' \
		"$tmp/rec")" "$(truth_sum)" \
		"$desc: ops and bytes are the two truths added"
	is "$(jq -c '.counters' "$tmp/rec")" \
	   '{"rb_drops":0,"stash_miss":0,"read_fail":0,"areas_full":0}' \
		"$desc: no drops, no missed exits"
}

check_pair violations 1 power 2
check_pair vm-boot 1 violations 7
check_pair dpdk 2 churn 3

done_testing
