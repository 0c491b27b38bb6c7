#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `dmatrace layout` on fixture sysfs trees (tests/unit/layout_lib.sh): the
# groups, devices, types and reserved regions, intel-iommu's cap register
# decoded (MGAW, SAGAW: the address width), amd-iommu's files as read, text
# and -j, DMATRACE_SYSFS and --sysfs, and one line of error for bad input.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/layout_lib.sh
need_dmatrace
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {		# run ARGS...: status in $rc, stdout in $out, stderr in $err
	"$DMATRACE" layout "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

fx_q35 "$tmp/i48" intel48
fx_q35 "$tmp/i39" intel39
fx_q35 "$tmp/amd" amd

run --sysfs "$tmp/i48"
is "$rc" 0 "intel 48: exit 0"
is "$out" "IOMMU dmar0: intel-iommu, cap 0xd2008c222f0606, ecap 0xf00f5e, 6 device(s): MGAW 48 bits, SAGAW 39, 48 bits: address width 48 bits, IOVA [0x0, 0xffffffffffff]
group 0: type DMA, iommu dmar0, devices 0000:00:00.0
  reserved [0xfee00000, 0xfeefffff] (1 MiB) msi
group 1: type DMA, iommu dmar0, devices 0000:00:01.0
  reserved [0xfee00000, 0xfeefffff] (1 MiB) msi
group 2: type DMA, iommu dmar0, devices 0000:00:02.0
  reserved [0xfee00000, 0xfeefffff] (1 MiB) msi
group 3: type DMA, iommu dmar0, devices 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3
  reserved [0x0, 0xffffff] (16 MiB) direct-relaxable
  reserved [0xfee00000, 0xfeefffff] (1 MiB) msi
1 IOMMU(s), 4 group(s)" "intel 48: the text"
is "$err" "" "intel 48: nothing on stderr"

DMATRACE_SYSFS=$tmp/i48 run -j
is "$rc" 0 "DMATRACE_SYSFS, -j: exit 0"
is "$(jq -c '.iommus[0] | [.name, .driver, .cap, .mgaw, .sagaw_bits, .aw_bits, .iova_last, (.devices | length)]' "$tmp/out")" \
	'["dmar0","intel-iommu","0xd2008c222f0606",48,[39,48],48,"0xffffffffffff",6]' \
	"-j: the IOMMU, cap decoded"
is "$(jq -c '[.groups[] | [.id, .type, .iommu, (.devices | length), [.reserved[] | .type]]]' "$tmp/out")" \
	'[[0,"DMA","dmar0",1,["msi"]],[1,"DMA","dmar0",1,["msi"]],[2,"DMA","dmar0",1,["msi"]],[3,"DMA","dmar0",3,["direct-relaxable","msi"]]]' \
	"-j: the groups"
is "$(jq -c '.groups[3].reserved' "$tmp/out")" \
	'[{"start":"0x0","last":"0xffffff","type":"direct-relaxable"},{"start":"0xfee00000","last":"0xfeefffff","type":"msi"}]' \
	"-j: reserved regions as 0x strings"
DMATRACE_SYSFS=/nonexistent run -j --sysfs "$tmp/i48"
is "$rc" 0 "--sysfs wins over DMATRACE_SYSFS"

run --sysfs "$tmp/i39" -j
is "$(jq -c '.iommus[0] | [.mgaw, .sagaw_bits, .aw_bits, .iova_last]' "$tmp/out")" \
	'[39,[39],39,"0x7fffffffff"]' "intel 39: MGAW 39, SAGAW 39: 39 bits"

# MGAW 39 with SAGAW 39 and 48: the domain is 39 bits wide (the smaller)
mkdir -p "$tmp/m39"
fx_intel "$tmp/m39" dmar0 d2008c22260606 ""
run --sysfs "$tmp/m39" -j
is "$(jq -c '.iommus[0] | [.mgaw, .sagaw_bits, .aw_bits]' "$tmp/out")" '[39,[39,48],39]' \
	"MGAW below the widest SAGAW: MGAW"
# SAGAW 48 and 57 (5-level), MGAW 57
mkdir -p "$tmp/m57"
fx_intel "$tmp/m57" dmar1 d2008c22380c06 ""
run --sysfs "$tmp/m57" -j
is "$(jq -c '.iommus[0] | [.mgaw, .sagaw_bits, .aw_bits, .iova_last]' "$tmp/out")" \
	'[57,[48,57],57,"0x1ffffffffffffff"]' "5-level: 57 bits"

run --sysfs "$tmp/amd"
is "$(echo "$out" | head -n 1)" \
	"IOMMU ivhd0: amd-iommu, cap 0x800000, features 0:a2fe5, 6 device(s): no address width known (IOVA up to 2^64 - 1)" \
	"amd: cap and features as read, no width"
is "$(echo "$out" | grep -c 'reserved \[0xfd00000000, 0xffffffffff\] (12 GiB) reserved')" 4 \
	"amd: the HyperTransport range in every group"
run --sysfs "$tmp/amd" -j
is "$(jq -c '.iommus[0] | [.driver, .cap, .features, .aw_bits, .iova_last]' "$tmp/out")" \
	'["amd-iommu","0x800000","0:a2fe5",null,"0xffffffffffffffff"]' "amd -j"

# Two IOMMUs: each group names the one that lists its device
mkdir -p "$tmp/two"
fx_group "$tmp/two" 0 DMA 0000:00:02.0 "$MSI"
fx_group "$tmp/two" 7 identity 0000:80:01.0
fx_intel "$tmp/two" dmar0 $CAP48 0000:00:02.0
fx_intel "$tmp/two" dmar1 $CAP39 0000:80:01.0
run --sysfs "$tmp/two" -j
is "$(jq -c '[.groups[] | [.id, .type, .iommu, .reserved]]' "$tmp/out")" \
	'[[0,"DMA","dmar0",[{"start":"0xfee00000","last":"0xfeefffff","type":"msi"}]],[7,"identity","dmar1",[]]]' \
	"two IOMMUs: each group's own, a group without regions"

# No IOMMU: an empty tree
mkdir -p "$tmp/none"
run --sysfs "$tmp/none"
is "$rc $out" "0 no IOMMU: no /sys/class/iommu entry, no IOMMU group" "no IOMMU: said, exit 0"
run --sysfs "$tmp/none" -j
is "$out" '{"dmatrace_layout":1,"iommus":[],"groups":[]}' "no IOMMU: -j"

# Bad input: one line, exit 1 (sysfs) or 2 (usage)
run --sysfs "$tmp/nothere"
is "$rc|$err" "1|dmatrace layout: $tmp/nothere: No such file or directory" "missing root"
echo x > "$tmp/file"
run --sysfs "$tmp/file"
is "$rc|$err" "1|dmatrace layout: $tmp/file: not a directory" "root not a directory"
cp -r "$tmp/i48" "$tmp/bad"
printf '%s\n0xfee00000 msi\n' "$MSI" > "$tmp/bad/kernel/iommu_groups/2/reserved_regions"
run --sysfs "$tmp/bad"
is "$rc|$err" "1|dmatrace layout: $tmp/bad/kernel/iommu_groups/2/reserved_regions:2: bad reserved region '0xfee00000 msi'" \
	"a malformed reserved_regions line: file and line"
printf '0x00000000feefffff 0x00000000fee00000 msi\n' > "$tmp/bad/kernel/iommu_groups/2/reserved_regions"
run --sysfs "$tmp/bad"
is "$rc" 1 "a region that ends before it starts: exit 1"
run --bogus
is "$rc|$err" "2|dmatrace layout: bad option '--bogus' (try dmatrace layout -h)" "unknown option"
run extra
is "$rc|$err" "2|dmatrace layout: unexpected argument 'extra' (try dmatrace layout -h)" "stray argument"
run --guest x.json
is "$rc|$err" "2|dmatrace layout: --guest and --device apply to dmatrace layout diff" "--guest without diff"
run -h
is "$rc" 0 "-h: exit 0"
echo "$out" | grep -q 'Exit (layout diff): 0 compatible, 1 incompatible'
ok $? "-h: the exit statuses of diff"
"$DMATRACE" -h | grep -q 'layout diff A B'
ok $? "dmatrace -h lists layout"
"$DMATRACE" layout --sysfs "$tmp/i48" > /dev/full 2> "$tmp/err"
is "$?" 1 "a failed write to stdout: exit 1"

done_testing
