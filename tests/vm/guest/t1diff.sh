# SPDX-License-Identifier: GPL-2.0
# Native VFIO type1 in the guest (POSIX sh, sourced by tests/vm/guest/
# type1.sh and stock.sh; needs tap.sh): edu to vfio-pci, and the kernel
# side of the differential test whose reference side the host ran before
# the boot (vm_type1_cases, tests/vm/lib.sh).
#   t1_bind ERRFILE      edu (PCI 1234:11e8) to vfio-pci by driver_override;
#                        sets T1_DEV (its sysfs path), T1_BDF, T1_GROUP;
#                        status 0 once /dev/vfio/$T1_GROUP is there and
#                        the driver is vfio-pci (errors into ERRFILE)
#   t1_diff_cases DIR    each "NAME SCRIPT" of DIR/cases on --backend kernel
#                        with edu's group (DIR/NAME.kernel, .kernel.err):
#                        one TAP point per case, both backends exit 0 and
#                        print the same per-op lines (tools/difftest.sh
#                        names the first difference)
t1_bind() {
	T1_DEV=$(grep -l 0x11e8 /sys/bus/pci/devices/*/device 2>/dev/null | head -n 1)
	T1_DEV=${T1_DEV%/device}
	T1_BDF=$(basename "${T1_DEV:-none}")
	T1_GROUP=$(basename "$(readlink "$T1_DEV/iommu_group" 2>/dev/null)")
	{
		echo vfio-pci > "$T1_DEV/driver_override" &&
			echo "$T1_BDF" > /sys/bus/pci/drivers_probe
	} > "$1" 2>&1
	_i=0
	while [ ! -c "/dev/vfio/$T1_GROUP" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -n "$T1_GROUP" ] && [ -c "/dev/vfio/$T1_GROUP" ] &&
		[ "$(basename "$(readlink "$T1_DEV/driver")")" = vfio-pci ]
}

t1_diff_cases() {
	while read -r _name _script; do
		bin/dmaload --backend kernel --vfio-device "$T1_BDF" --script "$_script" \
			< /dev/null > "$1/$_name.kernel" 2> "$1/$_name.kernel.err"
		_rc=$?
		_ref_rc=$(cat "$1/$_name.ref.rc")
		if [ $_rc != 0 ] || [ "$_ref_rc" != 0 ]; then
			tap_not_ok "$_name: dmaload exits 0 on both backends (kernel $_rc, ref $_ref_rc)"
			tail -n 5 "$1/$_name.kernel.err" "$1/$_name.ref.err" | tap_diag
		elif tools/difftest.sh "$_script" "$1/$_name.ref" "$1/$_name.kernel" > "$1/$_name.diff"; then
			tap_ok "$_name: ref and kernel agree on all $(wc -l < "$1/$_name.kernel") output lines"
		else
			tap_not_ok "$_name: ref and kernel differ"
			tap_diag < "$1/$_name.diff"
		fi
	done < "$1/cases"
}
