#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `dmatrace layout diff A B [--guest G] [--device BDF]` on layouts made
# by `dmatrace layout -j` from fixture trees (tests/unit/layout_lib.sh) and
# on tests/unit/fixtures/layout/*.json: intel 48 vs 39 bits, intel vs AMD
# (the HyperTransport range), a POWER-like two-window host vs x86, the
# guest's ranges, the group that counts, and exit 2 with one line for
# every bad input.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/layout_lib.sh
need_dmatrace
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {		# run ARGS...: status in $rc, stdout in $out, stderr in $err
	"$DMATRACE" layout diff "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

host() {	# host NAME KIND: $tmp/NAME.json, from a fixture tree
	fx_q35 "$tmp/$1" "$2"
	"$DMATRACE" layout -j --sysfs "$tmp/$1" > "$tmp/$1.json"
}
host i48 intel48
host i39 intel39
host amd amd
A48=$tmp/i48.json A39=$tmp/i39.json AMD=$tmp/amd.json
POWER=$FX/power.json
ABOVE39="[0x8000000000, 0xffffffffffff] (255.5 TiB) usable on A, blocked on B: beyond the address width of dmar0 (39 bits)"

run "$A48" "$A48"
is "$rc|$out|$err" "0|compatible: every range that is usable on A is usable on B|" \
	"identical layouts: exit 0"
run "$A48" "$A39"
is "$rc" 1 "intel 48 -> 39: exit 1"
is "$out" "$ABOVE39
incompatible: 1 range usable on A is blocked on B" "intel 48 -> 39: above 2^39, one line"
run "$A39" "$A48"
is "$rc" 0 "intel 39 -> 48: exit 0"

# the guest's ranges: only those count
run "$A48" "$A39" --guest "$FX/guest-high.json"
is "$rc|$out" "1|[0x8000000000, 0x803fffffff] (1 GiB) usable on A, blocked on B: beyond the address width of dmar0 (39 bits)
incompatible: 1 range the guest uses is usable on A but blocked on B" \
	"48 -> 39, a guest using IOVAs above 2^39: that range"
run "$A48" "$A39" --guest "$FX/guest-8g.json"
is "$rc|$out" "0|compatible: every range the guest uses that is usable on A is usable on B" \
	"48 -> 39, a guest below 2^39: exit 0"

# intel vs AMD: the HyperTransport range
run "$A48" "$AMD"
is "$rc|$out" "1|[0xfd00000000, 0xffffffffff] (12 GiB) usable on A, blocked on B: reserved (reserved) in 4 groups (0, 1, 2, 3)
incompatible: 1 range usable on A is blocked on B" "intel -> amd: the HT range, reserved by every group"
run "$AMD" "$A48"
is "$rc|$out" "1|[0x1000000000000, 0xffffffffffffffff] (16.0 EiB) usable on A, blocked on B: beyond the address width of dmar0 (48 bits)
incompatible: 1 range usable on A is blocked on B" "amd -> intel 48: beyond 48 bits"
run "$A48" "$AMD" --guest "$FX/guest-8g.json"
is "$rc" 0 "intel -> amd, a guest below 1 TiB: exit 0"
run "$A48" "$AMD" --guest "$FX/guest-high.json"
is "$rc" 0 "intel -> amd, a guest at 2^39 (below the HT range): exit 0"

# POWER-like: two windows (2 GiB at 0, 2 GiB at 2^59) vs x86
run "$POWER" "$A48"
is "$rc|$out" "1|[0x800000000000000, 0x80000007fffffff] (2 GiB) usable on A, blocked on B: beyond the address width of dmar0 (48 bits)
incompatible: 1 range usable on A is blocked on B" "power -> x86: the high window"
run "$A48" "$POWER"
is "$rc|$out" "1|[0x80000000, 0xfedfffff] (2030 MiB) usable on A, blocked on B: outside the windows of tce0
[0xfef00000, 0xffffffffffff] (256.0 TiB) usable on A, blocked on B: outside the windows of tce0
incompatible: 2 ranges usable on A are blocked on B" "x86 -> power: all but the low window"
run "$A48" "$POWER" --guest "$FX/guest-2g.json"
is "$rc" 0 "x86 -> power, a 2 GiB guest: fits the low window"
run "$POWER" "$POWER"
is "$rc" 0 "power -> power: exit 0"
run "$A48" "$POWER" --guest "$FX/guest-power.json"
is "$rc|$out" "0|note: the guest uses [0x800000000000000, 0x80000003fffffff], which A blocks already (not counted)
compatible: every range the guest uses that is usable on A is usable on B" \
	"a guest range A blocks already: a note, not counted"

# direct-relaxable blocks nothing; direct does (an RMRR): the group counts
cp -r "$tmp/i48" "$tmp/rmrr"
fx_group "$tmp/rmrr" 4 DMA 0000:00:14.0 "0x00000000bf000000 0x00000000bf7fffff direct" "$MSI"
fx_dev "$tmp/rmrr" "$tmp/rmrr/class/iommu/dmar0/devices" 0000:00:14.0
"$DMATRACE" layout -j --sysfs "$tmp/rmrr" > "$tmp/rmrr.json"
run "$A48" "$tmp/rmrr.json"
is "$rc|$out" "1|[0xbf000000, 0xbf7fffff] (8 MiB) usable on A, blocked on B: reserved (direct) in group 4
incompatible: 1 range usable on A is blocked on B" "a direct region of one group: union over the groups"
run "$A48" "$tmp/rmrr.json" --device 0000:00:02.0
is "$rc" 0 "--device: only its group counts"
run "$A48" "$tmp/rmrr.json" --device 0000:00:14.0
is "$rc|$err" "2|dmatrace layout: $A48: no group holds device 0000:00:14.0" \
	"--device absent from A: exit 2"

# Bad input: exit 2, one line
run "$A48"
is "$rc|$err" "2|dmatrace layout: diff needs two layouts: dmatrace layout diff A.json B.json" "one layout"
run "$A48" "$A39" "$AMD"
is "$rc" 2 "three layouts: exit 2"
run "$A48" "$tmp/nothere.json"
is "$rc|$err" "2|dmatrace layout: $tmp/nothere.json: No such file or directory" "missing file"
printf '{"dmatrace_layout":1,' > "$tmp/trunc.json"
run "$A48" "$tmp/trunc.json"
is "$rc" 2 "truncated JSON: exit 2"
is "$(echo "$err" | wc -l)" 1 "truncated JSON: one line ($err)"
echo '{"op_latency":[]}' > "$tmp/other.json"
run "$tmp/other.json" "$A48"
is "$rc|$err" "2|dmatrace layout: $tmp/other.json: not a dmatrace layout -j record (no \"dmatrace_layout\":1)" \
	"another record"
jq -c '.groups[1].reserved[0].start = "0xfef00000"' "$A48" > "$tmp/inv.json"
run "$A48" "$tmp/inv.json"
is "$rc|$err" "2|dmatrace layout: $tmp/inv.json: groups[1].reserved[0]: \"start\" above \"last\"" \
	"a region that ends before it starts"
jq -c '.groups[0].reserved[0].last = "fee"' "$A48" > "$tmp/nothex.json"
run "$A48" "$tmp/nothex.json"
is "$rc|$err" "2|dmatrace layout: $tmp/nothex.json: groups[0].reserved[0]: \"last\" missing or not an address" \
	"an address that is not one"
jq -c '.iommus[0].aw_bits = 65' "$A48" > "$tmp/aw.json"
run "$A48" "$tmp/aw.json"
is "$rc|$err" "2|dmatrace layout: $tmp/aw.json: iommus[0]: \"aw_bits\" is not 1..64 or null" "aw_bits 65"
jq -c '.groups = []' "$A48" > "$tmp/nogroups.json"
run "$A48" "$tmp/nogroups.json"
is "$rc|$err" "2|dmatrace layout: $tmp/nogroups.json: no IOMMU group with devices" "no group"
echo '{"ranges":[{"start":"0x1000"}]}' > "$tmp/g1.json"
run "$A48" "$A39" --guest "$tmp/g1.json"
is "$rc|$err" "2|dmatrace layout: $tmp/g1.json: ranges[0]: \"last\" missing or not an address" \
	"a guest range without last"
echo '{"ranges":{}}' > "$tmp/g2.json"
run "$A48" "$A39" --guest "$tmp/g2.json"
is "$rc|$err" "2|dmatrace layout: $tmp/g2.json: ranges: missing or not an array" "guest ranges not a list"
echo '{"ranges":[]}' > "$tmp/g3.json"
run "$A48" "$A39" --guest "$tmp/g3.json"
is "$rc" 0 "a guest that uses nothing: exit 0"
echo '{"ranges":[{"start":0,"last":1073741823}]}' > "$tmp/g4.json"
run "$A48" "$POWER" --guest "$tmp/g4.json"
is "$rc" 0 "guest addresses as JSON integers"
run "$A48" "$A39" -j
is "$rc|$err" "2|dmatrace layout: -j and --sysfs apply to dmatrace layout, not to diff" "-j with diff"

done_testing
