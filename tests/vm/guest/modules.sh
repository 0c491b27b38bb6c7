# SPDX-License-Identifier: GPL-2.0
# Kernel modules in the guest (POSIX sh, sourced). On a stock kernel
# (tools/vm/run.sh --kernel stock-*) they are in the unpacked package in the
# host's VM cache, $DMATRACE_VM_MODROOT/lib/modules/<version>, which the
# guest sees through the host root (the host's /lib/modules is not the
# guest kernel's); on ours they are built in.
#   vm_modprobe MODULE...  load each MODULE and its dependencies unless
#                          /sys/module has it already (built in or loaded)
#   vm_load_vfio           the VFIO stack: vfio_iommu_type1, vfio-pci (with
#                          vfio, vfio-pci-core, irqbypass)
vm_modprobe() {
	for _m; do
		[ -d "/sys/module/$(echo "$_m" | tr - _)" ] && continue
		modprobe ${DMATRACE_VM_MODROOT:+-d "$DMATRACE_VM_MODROOT"} "$_m" || return
	done
}

vm_load_vfio() {
	vm_modprobe vfio_iommu_type1 vfio-pci
}
