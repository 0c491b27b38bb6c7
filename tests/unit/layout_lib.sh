# SPDX-License-Identifier: GPL-2.0
# Fixture sysfs trees for `dmatrace layout` (tests/unit/layout_*.t):
# sourced. Devices are symlinks into ROOT/devices/, as in sysfs.
#   fx_group ROOT ID TYPE "BDF..." [REGION_LINE...]
#   fx_intel ROOT NAME CAP "BDF..."        (intel-iommu/cap, ecap)
#   fx_amd ROOT NAME CAP FEATURES "BDF..." (amd-iommu/cap, features)
#   fx_q35 ROOT intel39|intel48|amd        QEMU q35 + edu, as the VM tier sees it
. tests/lib/tap.sh
DMATRACE=${DMATRACE:-${DMATRACE_BIN:-bin}/dmatrace}
FX=tests/unit/fixtures/layout

need_dmatrace() {
	[ -x "$DMATRACE" ] || { echo "1..1"; echo "not ok 1 - $DMATRACE not built (run make)"; exit 1; }
	command -v jq >/dev/null || { echo "1..1"; echo "not ok 1 - jq not installed"; exit 1; }
}

fx_dev() {	# fx_dev ROOT DIR BDF: DIR/BDF -> ROOT/devices/pci0000:00/BDF
	mkdir -p "$1/devices/pci0000:00/$3" "$2"
	ln -sfn "$(realpath "$1")/devices/pci0000:00/$3" "$2/$3"
}

fx_group() {
	local root=$1 d=$1/kernel/iommu_groups/$2 type=$3 devs=$4 x

	shift 4
	mkdir -p "$d/devices"
	echo "$type" > "$d/type"
	for x in $devs; do fx_dev "$root" "$d/devices" "$x"; done
	: > "$d/reserved_regions"
	for x in "$@"; do echo "$x" >> "$d/reserved_regions"; done
}

fx_iommu() {	# fx_iommu ROOT NAME "BDF..."
	local x

	mkdir -p "$1/class/iommu/$2/devices"
	for x in $3; do fx_dev "$1" "$1/class/iommu/$2/devices" "$x"; done
}

fx_intel() {
	fx_iommu "$1" "$2" "$4"
	mkdir -p "$1/class/iommu/$2/intel-iommu"
	echo "$3" > "$1/class/iommu/$2/intel-iommu/cap"
	echo f00f5e > "$1/class/iommu/$2/intel-iommu/ecap"
}

fx_amd() {
	fx_iommu "$1" "$2" "$5"
	mkdir -p "$1/class/iommu/$2/amd-iommu"
	echo "$3" > "$1/class/iommu/$2/amd-iommu/cap"
	echo "$4" > "$1/class/iommu/$2/amd-iommu/features"
}

MSI="0x00000000fee00000 0x00000000feefffff msi"
HT="0x000000fd00000000 0x000000ffffffffff reserved"
LPC_DIRECT="0x0000000000000000 0x0000000000ffffff direct-relaxable"
Q35_DEVS="0000:00:00.0 0000:00:01.0 0000:00:02.0 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3"
# cap: MGAW (bits 21:16) 38 or 47, SAGAW (bits 12:8) 39 or 39+48 bits
CAP39=d2008c22260206
CAP48=d2008c222f0606

fx_q35() {
	local root=$1 ht=

	[ "$2" = amd ] && ht=y
	fx_group "$root" 0 DMA 0000:00:00.0 "$MSI" ${ht:+"$HT"}
	fx_group "$root" 1 DMA 0000:00:01.0 "$MSI" ${ht:+"$HT"}
	fx_group "$root" 2 DMA 0000:00:02.0 "$MSI" ${ht:+"$HT"}
	fx_group "$root" 3 DMA "0000:00:1f.0 0000:00:1f.2 0000:00:1f.3" \
		"$LPC_DIRECT" "$MSI" ${ht:+"$HT"}
	case $2 in
	intel39) fx_intel "$root" dmar0 $CAP39 "$Q35_DEVS" ;;
	intel48) fx_intel "$root" dmar0 $CAP48 "$Q35_DEVS" ;;
	amd) fx_amd "$root" ivhd0 800000 "0:a2fe5" "$Q35_DEVS" ;;
	esac
}
