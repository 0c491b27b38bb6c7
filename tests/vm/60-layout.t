#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier: `dmatrace layout -j` in three boots, one IOMMU each (QEMU's
# intel-iommu with aw-bits 39 and 48, amd-iommu; edu as a device), then
# `dmatrace layout diff` between them here: 48 -> 39 breaks (above 2^39),
# 39 -> 48 is fine, intel -> amd breaks on the HyperTransport range.
# One VM at a time; skips loudly without root, QEMU or a kernel image.
. tests/vm/lib.sh
. tests/lib/tap.sh
vm_require --iommu
command -v jq >/dev/null || vm_skip_all "no jq (apt-get install jq)"
[ -x bin/dmatrace ] || { echo "1..1"; echo "not ok 1 - bin/dmatrace not built (run make)"; exit 1; }
vm_share
D=$VM_SUITE_SHARE
DMATRACE=bin/dmatrace

boot() {	# boot NAME IOMMU_DEVICE: its layout in $D/NAME/
	mkdir -p "$D/$1"
	$VM_RUN --timeout 180 --share "$D/$1" --log "$D/$1/console.log" \
		--iommu-device "$2" --device edu tests/vm/guest/layout.sh \
		> "$D/$1/tap" 2> "$D/$1/run.err"
	rc=$?
	is "$rc" 0 "$1 (-device $2): the guest ran dmatrace layout"
	[ $rc = 0 ] || sed 's/^/#   /' "$D/$1/tap" "$D/$1/run.err" | tail -n 20
	sed 's/^/#   /' "$D/$1/layout.txt" 2>/dev/null
}

diff_is() {	# diff_is A B WANT DESCRIPTION
	"$DMATRACE" layout diff "$D/$1/layout.json" "$D/$2/layout.json" \
		> "$D/diff-$1-$2" 2>&1
	is "$?" "$3" "$4"
	sed 's/^/#   /' "$D/diff-$1-$2"
}

boot aw39 intel-iommu,intremap=off,aw-bits=39
boot aw48 intel-iommu,intremap=off,aw-bits=48
# without interrupt remapping, as the intel-iommu boots: with it, a slow
# TCG boot can panic ("timer doesn't work through Interrupt-remapped IO-APIC")
boot amd amd-iommu,intremap=off

# A boot that failed: its points are skipped, not failed again
booted() {	# booted NAME...: each has its layout
	local b

	for b; do
		[ -s "$D/$b/layout.json" ] || return 1
	done
}

# our kernel also registers iommufd's selftest IOMMU, with no device
HW='[.iommus[] | select(.devices | length > 0)'
if booted aw39 aw48; then
	is "$(jq "$HW | .aw_bits] | unique" -c "$D/aw39/layout.json")" "[39]" \
		"aw-bits=39: address width 39 bits"
	is "$(jq "$HW | .aw_bits] | unique" -c "$D/aw48/layout.json")" "[48]" \
		"aw-bits=48: address width 48 bits"
	is "$(jq '[.groups[].reserved[] | select(.type == "msi") | .start + "-" + .last] | unique' \
		-c "$D/aw48/layout.json")" '["0xfee00000-0xfeefffff"]' \
		"intel: every group's msi region is the MSI window"
	diff_is aw48 aw39 1 "48 -> 39 breaks"
	is "$(head -n 1 "$D/diff-aw48-aw39")" \
		"[0x8000000000, 0xffffffffffff] (255.5 TiB) usable on A, blocked on B: beyond the address width of dmar0 (39 bits)" \
		"48 -> 39: the range above 2^39"
	diff_is aw39 aw48 0 "39 -> 48 is fine"
	diff_is aw48 aw48 0 "a layout against itself is fine"
else
	skip "intel-iommu aw-bits 39 and 48: a boot failed"
fi
if booted amd aw48; then
	is "$(jq "$HW | .driver + \" \" + (.aw_bits | tostring)] | unique" -c "$D/amd/layout.json")" \
		'["amd-iommu null"]' "amd-iommu: driver amd-iommu, no address width in sysfs"
	is "$(jq '[.groups[].reserved[] | select(.type == "reserved") | .start + "-" + .last] | unique' \
		-c "$D/amd/layout.json")" '["0xfd00000000-0xffffffffff"]' \
		"amd-iommu: the HyperTransport range is reserved"
	diff_is aw48 amd 1 "intel (48) -> amd breaks"
	grep -q '^\[0xfd00000000, 0xffffffffff\] .*reserved (reserved)' "$D/diff-aw48-amd"
	ok $? "intel -> amd: the HyperTransport range is named"
	diff_is amd aw48 1 "amd -> intel (48) breaks (beyond 48 bits)"
else
	skip "amd-iommu vs intel-iommu: a boot failed"
fi

[ "$T_FAIL" = 0 ] && rm -rf "$D" || echo "# share kept: $D"
done_testing
