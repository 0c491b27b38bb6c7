# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/25-type1.t: edu goes to vfio-pci (driver_override),
# allow_unsafe_interrupts is set (intremap=off: no interrupt remapping),
# then each case of /mnt/type1/cases ("NAME SCRIPT") runs on --backend
# kernel with edu's group as the script's group; both runs must exit 0
# and print the same per-op lines (tools/difftest.sh names the first
# difference).
. tests/vm/guest/tap.sh
O=/mnt/type1

edu=$(grep -l 0x11e8 /sys/bus/pci/devices/*/device 2>/dev/null | head -n 1)
edu=${edu%/device}
bdf=$(basename "${edu:-none}")
echo vfio-pci > "$edu/driver_override" 2> $O/bind.err &&
	echo "$bdf" > /sys/bus/pci/drivers_probe 2>> $O/bind.err
group=$(basename "$(readlink "$edu/iommu_group" 2>/dev/null)")
i=0
while [ ! -c "/dev/vfio/$group" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -c "/dev/vfio/$group" ]; then
	tap_ok "edu ($bdf) bound to vfio-pci: /dev/vfio/$group"
else
	tap_not_ok "edu bound to vfio-pci (device '$bdf', group '$group')"
	{ cat $O/bind.err; ls -l /dev/vfio; } 2>&1 | tap_diag
	tap_end
	exit 0
fi
P=/sys/module/vfio_iommu_type1/parameters
echo 1 > $P/allow_unsafe_interrupts
tap_check "the edu group's reserved regions are the x86 MSI window" \
	grep -qx '0x00000000fee00000 0x00000000feefffff msi' \
	/sys/kernel/iommu_groups/$group/reserved_regions

while read -r name script; do
	bin/dmaload --backend kernel --vfio-device "$bdf" --script "$script" \
		< /dev/null > $O/$name.kernel 2> $O/$name.kernel.err
	rc=$?
	ref_rc=$(cat $O/$name.ref.rc)
	if [ $rc != 0 ] || [ "$ref_rc" != 0 ]; then
		tap_not_ok "$name: dmaload exits 0 on both backends (kernel $rc, ref $ref_rc)"
		tail -n 5 $O/$name.kernel.err $O/$name.ref.err | tap_diag
	elif tools/difftest.sh "$script" $O/$name.ref $O/$name.kernel > $O/$name.diff; then
		tap_ok "$name: ref and kernel agree on all $(wc -l < $O/$name.kernel) output lines"
	else
		tap_not_ok "$name: ref and kernel differ"
		tap_diag < $O/$name.diff
	fi
done < $O/cases
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
tap_end
