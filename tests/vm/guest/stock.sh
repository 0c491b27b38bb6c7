# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/5*-stock-*.t: one of Debian's stock kernels
# (tools/vm/run.sh --kernel stock-*), booted with an emulated VT-d and QEMU's
# edu device. It is the expected version; it has BTF for vmlinux and for
# vfio_iommu_type1 once the VFIO stack is loaded from its modules; the native
# type1 attach points of ../shared/vm/STOCK.md are in the module BTF and in
# available_filter_functions, the inlined ones in neither; edu binds to
# vfio-pci and a type1 container takes its group, with the IOVA ranges
# around the MSI window that the group reserves; dmatrace probe runs (its
# output goes to the TAP log). Then, in the same boot, the native type1
# differential test (the host ran the reference side into /mnt/type1:
# vm_type1_cases, tests/vm/lib.sh) with every run counted by kprobe events
# against dmaload's ground truth (t1diff.sh, t1count.sh), and dmatrace's
# end-to-end check on the type1 scripts (t1trace.sh).
#   stock.sh VERSION     (the expected uname -r)
. tests/vm/guest/tap.sh
. tests/vm/guest/modules.sh
. tests/vm/guest/t1diff.sh
. tests/vm/guest/t1count.sh
. tests/vm/guest/t1trace.sh
. tests/vm/guest/t1rec.sh
. tests/vm/guest/clients.sh
T=/sys/kernel/tracing
W=/mnt/stock
mkdir -p $W
echo "# $(uname -r) up $(cut -d' ' -f1 /proc/uptime) s (guest clock) when the job started"

if [ "$(uname -r)" = "$1" ]; then
	tap_ok "the kernel is $1"
else
	tap_not_ok "the kernel is $1 (uname -r: $(uname -r))"
fi
tap_check "/sys/kernel/btf/vmlinux exists" test -r /sys/kernel/btf/vmlinux
tap_check "the VFIO stack loads from the stock modules (vfio_iommu_type1, vfio-pci)" vm_load_vfio
tap_check "/sys/kernel/btf/vfio_iommu_type1 exists" test -r /sys/kernel/btf/vfio_iommu_type1
unsafe=$(cat /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts 2>&1)
if [ "$unsafe" = Y ]; then
	tap_ok "vfio_iommu_type1 allow_unsafe_interrupts is Y (from the kernel command line)"
else
	tap_not_ok "vfio_iommu_type1 allow_unsafe_interrupts is Y (got '$unsafe')"
fi

# Attach points (MODULE:FUNCTION) in the modules' split BTF and in ftrace's
# list. Both lists are cut down to the names asked about, once, into
# variables: under TCG every process costs a good part of a second.
attach="vfio_iommu_type1:vfio_iommu_type1_ioctl vfio_iommu_type1:vfio_iommu_type1_attach_group
vfio_iommu_type1:vfio_iommu_type1_detach_group vfio_iommu_type1:vfio_pin_pages_remote
vfio_iommu_type1:vfio_unpin_pages_remote vfio_iommu_type1:vfio_unmap_unpin
vfio_iommu_type1:vfio_remove_dma vfio_iommu_type1:vfio_iommu_type1_open
vfio_iommu_type1:vfio_iommu_type1_release vfio_iommu_type1:vfio_iommu_resv_exclude
vfio_iommu_type1:vfio_iommu_aper_resize vfio_iommu_type1:vfio_iommu_iova_insert
vfio_iommu_type1:vaddr_get_pfns vfio_iommu_type1:mm_lock_acct
vfio_iommu_type1:vfio_iommu_type1_pin_pages vfio_iommu_type1:vfio_iommu_type1_unpin_pages
vfio_iommu_type1:vfio_iommu_type1_dma_rw vfio:vfio_fops_unl_ioctl
vfio:vfio_group_fops_unl_ioctl vfio:vfio_device_fops_unl_ioctl"
inlined="vfio_dma_do_map vfio_dma_do_unmap vfio_pin_map_dma vfio_iommu_replay
vfio_iommu_type1_dirty_pages"
for p in $attach $inlined; do
	echo "${p#*:}"
done > $W/names
for m in vfio_iommu_type1 vfio; do
	bpftool btf dump file /sys/kernel/btf/$m format raw 2>> $W/btf.err |
		sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/$m \1/p"
done > $W/btf.funcs
btf=" $(awk 'NR == FNR { want[$1]; next } $2 in want { printf "%s:%s ", $1, $2 }' \
	$W/names $W/btf.funcs)"
ftrace=" $(awk 'NR == FNR { want[$1]; next } $1 in want { printf "%s ", $1 }' \
	$W/names $T/available_filter_functions)"

for p in $attach; do
	f=${p#*:} m=${p%%:*} where=""
	case $btf in *" $p "*) ;; *) where="$where, not in $m's BTF" ;; esac
	case $ftrace in *" $f "*) ;; *) where="$where, not in available_filter_functions" ;; esac
	if [ -z "$where" ]; then
		tap_ok "$f is in $m's BTF and in available_filter_functions"
	else
		tap_not_ok "$f is in $m's BTF and in available_filter_functions (${where#, })"
		tap_diag < $W/btf.err
	fi
done
for f in $inlined; do
	case "$btf$ftrace " in
	*[:\ ]"$f "*) tap_not_ok "$f is inlined: in neither BTF nor available_filter_functions" ;;
	*) tap_ok "$f is inlined: in neither BTF nor available_filter_functions" ;;
	esac
done

# edu to vfio-pci by driver_override; its group's node under /dev/vfio
if t1_bind $W/bind.err; then
	tap_ok "edu ($T1_BDF) binds to vfio-pci by driver_override: /dev/vfio/$T1_GROUP"
else
	tap_not_ok "edu binds to vfio-pci by driver_override: /dev/vfio/<group> (device '$T1_DEV', group '$T1_GROUP')"
	{ cat $W/bind.err; ls -l /dev/vfio; } 2>&1 | tap_diag
fi
group=$T1_GROUP

# The type1 container (bin/vfiocheck): VFIO_GET_API_VERSION,
# VFIO_CHECK_EXTENSION(TYPE1v2), edu's group in it, VFIO_SET_IOMMU(TYPE1v2)
# (EPERM under intremap=off without allow_unsafe_interrupts), and its IOVA
# ranges around the MSI window (aw-bits 39: ../shared/vm/STOCK.md)
if [ -x bin/vfiocheck ]; then
	bin/vfiocheck "/dev/vfio/$group" > $W/container.out 2>&1
else
	echo "bin/vfiocheck is not built (run make before the VM tier)" > $W/container.out
fi
container() {
	if grep -qx "$1" $W/container.out; then
		tap_ok "$2"
	else
		tap_not_ok "$2"
		tap_diag < $W/container.out
	fi
}
container "open 0" "/dev/vfio/vfio opens"
container "api 0" "VFIO_GET_API_VERSION is 0"
container "type1v2 1" "VFIO_CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU) is 1"
container "set_iommu 0" "VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU) with edu's group in the container succeeds"
container "iova_ranges 0x0-0xfedfffff 0xfef00000-0x7fffffffff" \
	"VFIO_IOMMU_GET_INFO: IOVA ranges [0, 0xfedfffff] and [0xfef00000, 0x7fffffffff]"

if grep -q '^0x0*fee00000 0x0*feefffff msi$' "/sys/kernel/iommu_groups/$group/reserved_regions" 2>/dev/null; then
	tap_ok "edu's group $group reserves 0xfee00000 0xfeefffff msi"
else
	tap_not_ok "edu's group '$group' reserves 0xfee00000 0xfeefffff msi"
	cat /sys/kernel/iommu_groups/*/reserved_regions 2>&1 | tap_diag
fi

# dmatrace on a kernel without iommufd: only that it runs to an exit status
if [ -x bin/dmatrace ]; then
	bin/dmatrace probe --target kernel > $W/probe.out 2>&1
	rc=$?
	echo "# bin/dmatrace probe --target kernel: status $rc, output:"
	sed 's/^/#   /' $W/probe.out
	if [ $rc -lt 128 ] && [ -s $W/probe.out ]; then
		tap_ok "bin/dmatrace probe --target kernel runs (status $rc, no signal)"
	else
		tap_not_ok "bin/dmatrace probe --target kernel runs (status $rc, $(wc -l < $W/probe.out) lines)"
	fi
else
	tap_not_ok "bin/dmatrace is built (run make before the VM tier)"
fi

# Native type1: the reference model against this kernel, the kprobe count
# against dmaload's truth, dmatrace against both
read -r t0 _ < /proc/uptime
t1_diff_cases /mnt/type1 count
tap_check "dma_entry_limit is back to its default" \
	grep -qx 65535 /sys/module/vfio_iommu_type1/parameters/dma_entry_limit
read -r t1 _ < /proc/uptime
echo "# type1 differential test: $((${t1%.*} - ${t0%.*})) s (guest clock)"
t1trace_cases /mnt/type1

# Real clients (QEMU, DPDK) against a kprobe record (tests/vm/guest/clients.sh)
read -r c0 _ < /proc/uptime
clients_cases /mnt/type1
read -r c1 _ < /proc/uptime
echo "# real clients: $((${c1%.*} - ${c0%.*})) s (guest clock)"
tap_end
