#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmaload scenarios (ref backend): deterministic for a seed, different for
# another, ground truth consistent (counts add up to --ops, bytes balance),
# each scenario doing what it is for.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
need_tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for s in vm-boot dpdk churn violations power; do
	"$DMALOAD" --scenario $s --seed 42 --ops 3000 --json > "$tmp/$s.a"
	is "$?" 0 "$s: runs"
	"$DMALOAD" --scenario $s --seed 42 --ops 3000 --json > "$tmp/$s.b"
	"$DMALOAD" --scenario $s --seed 43 --ops 3000 --json > "$tmp/$s.c"
	cmp -s "$tmp/$s.a" "$tmp/$s.b"
	ok $? "$s: same seed, identical ground truth"
	! cmp -s "$tmp/$s.a" "$tmp/$s.c"
	ok $? "$s: another seed, another ground truth"
	is "$(jq '[.ops[][]] | add' "$tmp/$s.a")" 3000 "$s: op counts add up to --ops"
	is "$(jq '.bytes_mapped - .bytes_unmapped' "$tmp/$s.a")" \
	   "$(jq '[.ioas[].mapped_bytes] | add' "$tmp/$s.a")" \
	   "$s: bytes_mapped - bytes_unmapped = sum of per-IOAS mapped bytes"
done

# clean workloads: nothing fails, nothing is a violation
for s in vm-boot dpdk churn; do
	is "$(jq '[.ops[] | to_entries[] | select(.key != "0") | .value] | add // 0' "$tmp/$s.a")" 0 "$s: every op succeeds"
	is "$(jq '.violations | length' "$tmp/$s.a")" 0 "$s: no violations"
done

is "$(jq -r '.ioas[0].reserved | tostring' "$tmp/vm-boot.a")" '[["0xfee00000","0xfeefffff"]]' \
   "vm-boot: the MSI window is reserved"
is "$(jq '.ops.map | keys | length' "$tmp/dpdk.a")" 1 "dpdk: maps only succeed"

# violations: every kind, each with the errno its rule implies
is "$(jq -c '[.violations[].kind] | unique' "$tmp/violations.a")" \
   '["bad_flags","exhausted","misaligned","outside_allowed","overlap","reserved","type1_outside","unmap_miss","wrap"]' \
   "violations: all nine kinds occur"
is "$(jq -c '[.violations[] | [.kind, .ret]] | unique' "$tmp/violations.a")" \
   '[["bad_flags","-EINVAL"],["bad_flags","-EOPNOTSUPP"],["exhausted","-ENOSPC"],["misaligned","-EINVAL"],["outside_allowed","0"],["overlap","-EEXIST"],["reserved","-EINVAL"],["type1_outside","-EINVAL"],["unmap_miss","-ENOENT"],["wrap","-EOVERFLOW"]]' \
   "violations: each kind with its errno"
is "$(jq '[.ops[] | to_entries[] | select(.key != "0") | .value] | add' "$tmp/violations.a")" \
   "$(jq '[.violations[] | select(.ret != "0")] | length' "$tmp/violations.a")" \
   "violations: every failed op is a violation"

# power: two windows, requests that cannot be met
is "$(jq '[.violations[] | select(.op == "window_request")] | length > 0' "$tmp/power.a")" true \
   "power: some window requests are refused (-ENOSPC)"
is "$(jq -c '[.violations[].kind] | unique' "$tmp/power.a")" \
   '["exhausted","misaligned","overlap","reserved"]' "power: the kinds its steps aim at"

# churn with threads: exact counts, each thread on its IOAS, or all on one
for mode in "" --same-ioas; do
	"$DMALOAD" --scenario churn --seed 5 --ops 20000 --threads 4 $mode --json > "$tmp/t$mode"
	is "$?" 0 "churn --threads 4 $mode: runs"
	is "$(jq '[.ops[][]] | add' "$tmp/t$mode")" 20000 "churn --threads 4 $mode: 20000 ops counted"
	is "$(jq '.ops.map["0"] + .ops.unmap["0"] + .ops.ioas_alloc["0"]' "$tmp/t$mode")" 20000 \
	   "churn --threads 4 $mode: all succeed"
	is "$(jq '.bytes_mapped - .bytes_unmapped' "$tmp/t$mode")" \
	   "$(jq '[.ioas[].mapped_bytes] | add' "$tmp/t$mode")" \
	   "churn --threads 4 $mode: bytes balance"
done
# unmaps race maps for freed space: the shadow must still agree (exit 0,
# not 3) over many ops
"$DMALOAD" --scenario churn --seed 9 --ops 200000 --threads 4 --same-ioas > /dev/null 2> "$tmp/race"
is "$?:$(head -c 200 "$tmp/race")" "0:" "churn --threads 4 --same-ioas, 200000 ops: backend and shadow agree"
is "$(jq '.ioas | length' "$tmp/t")" 4 "churn --threads 4: four IOASes"
is "$(jq '.ioas | length' "$tmp/t--same-ioas")" 1 "churn --threads 4 --same-ioas: one IOAS"
"$DMALOAD" --scenario churn --seed 5 --ops 20000 --threads 4 --json > "$tmp/t2"
cmp -s "$tmp/t" "$tmp/t2"
ok $? "churn --threads 4 (one IOAS each): same seed, identical ground truth"

# default size of churn; text summary without --json
"$DMALOAD" --scenario churn --seed 1 > "$tmp/text"
is "$(head -n 1 "$tmp/text")" "ops: 20000 (0 failed)" "churn: 20000 ops by default, text summary"
"$DMALOAD" --scenario dpdk --seed 1 --ops 50 --verbose > "$tmp/v"
is "$(grep -c '"line"' "$tmp/v")" 50 "--verbose: one JSON line per op"
done_testing
