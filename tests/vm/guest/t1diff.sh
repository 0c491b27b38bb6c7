# SPDX-License-Identifier: GPL-2.0
# Native VFIO type1 in the guest (POSIX sh, sourced by tests/vm/guest/
# type1.sh and stock.sh; needs tap.sh): edu to vfio-pci, and the kernel
# side of the differential test whose reference side the host ran before
# the boot (vm_type1_cases, tests/vm/lib.sh).
#   t1_bind ERRFILE      edu (PCI 1234:11e8) to vfio-pci by driver_override;
#                        sets T1_DEV (its sysfs path), T1_BDF, T1_GROUP;
#                        status 0 once /dev/vfio/$T1_GROUP is there and
#                        the driver is vfio-pci (errors into ERRFILE)
#   t1_diff_cases DIR [count]
#                        each "NAME SCRIPT" of DIR/cases on --backend kernel
#                        with edu's group (DIR/NAME.kernel, .kernel.err):
#                        one TAP point per case, both backends exit 0 and
#                        print the same per-op lines (tools/difftest.sh
#                        names the first difference). count (the host ran
#                        vm_type1_cases ... --json): the kernel run also
#                        ends with its ground truth, under t1count.sh's
#                        kprobe events, and a second point per case says
#                        they count what the truth counts (the ops that
#                        reach the driver, docs/ground-truth.md): at the
#                        driver's vfio_iommu_type1_ioctl the same calls and
#                        return values; at the container the same but for
#                        the -EINVAL of a container without a driver
#                        (VFIO_SET_IOMMU not done), which never gets there
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
		_json=
		[ "${2:-}" = count ] && _json=--json && t1count_start 2> "$1/$_name.count"
		bin/dmaload --backend kernel --vfio-device "$T1_BDF" --script "$_script" \
			$_json < /dev/null > "$1/$_name.kernel" 2> "$1/$_name.kernel.err"
		_rc=$?
		[ -n "$_json" ] && t1count_stop "$1/$_name.count"
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
		[ -n "$_json" ] && t1_count_check "$1/$_name" "$_name"
	done < "$1/cases"
}

# t1_count_check PREFIX NAME: PREFIX.count(.container) against the truth,
# the last line of PREFIX.kernel (one TAP point)
t1_count_check() {
	_v=$(jq -n -r --slurpfile d "$1.count" --slurpfile c "$1.count.container" '
		reduce inputs as $x (null; $x)
		| (.ops // {} | with_entries(select(.key | startswith("vfio_")))) as $t
		| ($c[0] // "none") as $c | ($d[0] // "none") as $d
		| if ($c | type) != "object" or ($d | type) != "object" then "no count"
		  elif $d != $t then "driver \($d | tojson), truth \($t | tojson)"
		  elif ([$c | to_entries[] | .key as $op | .value | to_entries[]
			 | select(.key != "-EINVAL" and .value != ($d[$op][.key] // 0))]
			| length) > 0
			or ([$d | to_entries[] | .key as $op | .value | to_entries[]
			 | select(.value > ($c[$op][.key] // 0))] | length) > 0
		  then "container \($c | tojson), driver \($d | tojson)"
		  else "ok \([$d[][]] | add // 0) \(([$c[][]] | add // 0) - ([$d[][]] | add // 0))"
		  end' "$1.kernel" 2>&1)
	case $_v in
	"ok "*)
		# shellcheck disable=SC2086
		set -- "$@" $_v
		tap_ok "$2: kprobe events on vfio_iommu_type1_ioctl count the truth's $4 MAP/UNMAP_DMA (and $5 more refused at the container, no driver)" ;;
	*)
		tap_not_ok "$2: kprobe events count what dmaload's truth counts"
		{ echo "$_v"; cat "$1.count"; } | tap_diag ;;
	esac
}
