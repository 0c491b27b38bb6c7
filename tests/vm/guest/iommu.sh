# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/15-iommu.t, booted with an emulated Intel VT-d and
# QEMU's edu PCI device: the IOMMU is live, iommufd's mock domain is
# refused (-EINVAL) there, and edu binds to vfio-pci with a VFIO cdev.
. tests/vm/guest/tap.sh
W=/mnt/iommu
mkdir -p $W

tap_check "an Intel IOMMU is registered (/sys/class/iommu/dmar0)" test -d /sys/class/iommu/dmar0

edu=$(grep -l 0x11e8 /sys/bus/pci/devices/*/device 2>/dev/null | head -n 1)
edu=${edu%/device}
if [ -n "$edu" ] && [ -e "$edu/iommu_group" ]; then
	tap_ok "edu ($(basename "$edu")) is in an IOMMU group"
else
	tap_not_ok "edu is in an IOMMU group (device: '${edu}')"
fi

printf 'ioas a\nmockdev a d\n' > $W/mock.dms
if [ -x bin/dmaload ]; then
	bin/dmaload --backend kernel --script $W/mock.dms > $W/mock.out 2>&1
	if grep -q '"op":"mockdev","ret":-22' $W/mock.out; then
		tap_ok "the mock domain is refused with -EINVAL under VT-d"
	else
		tap_not_ok "the mock domain is refused with -EINVAL under VT-d"
		tap_diag < $W/mock.out
	fi
else
	tap_not_ok "bin/dmaload is built (run make before the VM tier)"
fi

echo 1234 11e8 > /sys/bus/pci/drivers/vfio-pci/new_id 2> $W/bind.err
i=0
while [ ! -c /dev/vfio/devices/vfio0 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -c /dev/vfio/devices/vfio0 ] &&
   [ "$(basename "$(readlink "$edu/driver")")" = vfio-pci ]; then
	tap_ok "edu binds to vfio-pci: /dev/vfio/devices/vfio0"
else
	tap_not_ok "edu binds to vfio-pci: /dev/vfio/devices/vfio0"
	{ cat $W/bind.err; ls -l /dev/vfio /dev/vfio/devices; } 2>&1 | tap_diag
fi
tap_end
