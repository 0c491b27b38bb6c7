# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/25-type1.t: edu goes to vfio-pci (driver_override),
# allow_unsafe_interrupts is set (intremap=off: no interrupt remapping),
# then each case of /mnt/type1/cases ("NAME SCRIPT") runs on --backend
# kernel with edu's group as the script's group; both runs must exit 0
# and print the same per-op lines (tools/difftest.sh names the first
# difference; tests/vm/guest/t1diff.sh). Then dmatrace's end-to-end check
# on vfio-type1 (tests/vm/guest/t1trace.sh, counted by t1count.sh).
. tests/vm/guest/tap.sh
. tests/vm/guest/t1diff.sh
. tests/vm/guest/t1count.sh
. tests/vm/guest/t1trace.sh
. tests/vm/guest/t1rec.sh
. tests/vm/guest/clients.sh
O=/mnt/type1

if t1_bind $O/bind.err; then
	tap_ok "edu ($T1_BDF) bound to vfio-pci: /dev/vfio/$T1_GROUP"
else
	tap_not_ok "edu bound to vfio-pci (device '$T1_BDF', group '$T1_GROUP')"
	{ cat $O/bind.err; ls -l /dev/vfio; } 2>&1 | tap_diag
	tap_end
	exit 0
fi
bdf=$T1_BDF group=$T1_GROUP
P=/sys/module/vfio_iommu_type1/parameters
echo 1 > $P/allow_unsafe_interrupts
tap_check "the edu group's reserved regions are the x86 MSI window" \
	grep -qx '0x00000000fee00000 0x00000000feefffff msi' \
	/sys/kernel/iommu_groups/$group/reserved_regions

t1_diff_cases $O
tap_check "dma_entry_limit is back to its default" grep -qx 65535 $P/dma_entry_limit

# A group line whose regions are not the machine's: refused before any op
printf 'container c\ngroup c edu resv 0x1000-0x1fff reserved\n' > $O/bad.dms
bin/dmaload --backend kernel --vfio-device "$bdf" --script $O/bad.dms > $O/bad.out 2> $O/bad.err
rc=$?
if [ $rc = 1 ] && [ ! -s $O/bad.out ] && grep -q "not those of group" $O/bad.err; then
	tap_ok "a group layout unlike the machine's is refused, nothing run"
else
	tap_not_ok "a group layout unlike the machine's is refused, nothing run (got $rc)"
	tap_diag < $O/bad.err
fi

# dmatrace's end-to-end check on the type1 scripts (tests/vm/guest/t1trace.sh)
t1trace_cases $O

# Real clients (QEMU, DPDK) against a kprobe record (tests/vm/guest/clients.sh)
read -r c0 _ < /proc/uptime
clients_cases $O
read -r c1 _ < /proc/uptime
echo "# real clients: $((${c1%.*} - ${c0%.*})) s (guest clock)"
tap_end
