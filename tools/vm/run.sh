#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run one script inside the dmatrace test VM (Linux 6.12 with iommufd, or
# one of Debian's stock kernels; QEMU software emulation) and return its
# output and exit status.
#
#   tools/vm/run.sh [options] SCRIPT [ARG...]
#     --kernel KERNEL  ours (default): the project's 6.12, VFIO and iommufd
#                      built in; stock-6.1, stock-6.12: Debian's kernels with
#                      their modules (tools/vm/fetch-stock.sh)
#     --iommu          emulated Intel VT-d (intel-iommu device, intel_iommu=on,
#                      vfio_iommu_type1.allow_unsafe_interrupts=1: no
#                      interrupt remapping); default: no IOMMU, so iommufd's
#                      mock domain works
#     --iommu-device SPEC  --iommu with this IOMMU device instead, e.g.
#                      intel-iommu,intremap=off,aw-bits=48 or amd-iommu
#                      (intel_iommu=on only for an intel-iommu)
#     --device SPEC    add a QEMU device (-device SPEC), e.g. edu (a PCI
#                      device that does DMA on request); repeatable
#     --timeout SECS   power the VM off (kill QEMU) after SECS (default 300)
#     --share DIR      the read-write share, the guest's /mnt (default: a
#                      fresh directory under build/vm/, removed afterwards)
#     --log FILE       console log (default build/vm/console.log)
#     --mem MB         guest memory (default 2048)
#     --smp SPEC       QEMU -smp: vCPUs (default 2; $DMATRACE_VM_SMP), e.g.
#                      2,maxcpus=64: 2 running, 64 possible (hotplug slots)
#     --append ARGS    more kernel parameters, e.g. possible_cpus=64
#     --find-kernel    print the kernel image that would boot and exit
#                      (status 3 and where it looked, or why the stock
#                      kernel could not be fetched, when there is none)
#
# The guest sees the host's root read-only over 9p (so host binaries and
# this repository run as they are, at the same paths) and the share read-
# write at /mnt; its /tmp is an empty tmpfs, but for the host paths the
# guest needs that lie under /tmp (this checkout, a stock kernel's
# modules): those are bound into it at the same paths (the list goes to
# the guest as /mnt/keep; tools/vm/init), so a checkout under /tmp runs. SCRIPT runs with sh, in the
# repository's top directory, with DMATRACE_VM_OUT=/mnt and our VM_* and
# DMATRACE_* environment variables; its stdout and stderr come back on
# ours, its status is ours (from the console's "VM-EXIT <status>" line).
#
# Our kernel image, first found: $DMATRACE_VM_KERNEL; vm/bzImage of the
# shared directory (../shared beside the checkout, wherever it lives:
# $DMATRACE_SHARED, then ../shared beside this checkout, beside its main
# worktree, beside the local repository it was cloned from); the cache of tools/vm/build-kernel.sh
# ($DMATRACE_VM_CACHE, default ~/.cache/dmatrace/vm). A stock kernel is
# fetched (once) into that cache's stock/ by tools/vm/fetch-stock.sh.
# The initramfs (busybox + tools/vm/init; for a stock kernel also the
# modules that mount the host root: 9p over virtio) is built once per
# kernel into that cache. On a stock kernel the guest loads further
# modules with modprobe -d $DMATRACE_VM_MODROOT (the unpacked package in
# the cache, which the guest sees through the host root; see
# tests/vm/guest/modules.sh).
#
# Status besides the script's own: 3 no kernel image, 4 missing tool,
# 124 timeout, 125 the VM did not report an exit status.
set -u

VM_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(git -C "$VM_DIR" rev-parse --show-toplevel 2>/dev/null) || REPO=$(cd "$VM_DIR/../.." && pwd)
CACHE=${DMATRACE_VM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/dmatrace/vm}

die() {
	local rc=$1
	shift
	echo "vm/run.sh: $*" >&2
	exit "$rc"
}

usage() {
	sed -n '6,28p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# Print ../shared of the checkout at $1 and of its main worktree
shared_beside() {
	local common

	echo "$1/../shared"
	common=$(git -C "$1" rev-parse --path-format=absolute --git-common-dir 2>/dev/null) &&
		echo "$(dirname "$common")/../shared"
}

# Print the candidate shared directories (see the header), first first
shared_dirs() {
	local origin

	[ -n "${DMATRACE_SHARED:-}" ] && echo "$DMATRACE_SHARED"
	shared_beside "$REPO"
	origin=$(git -C "$REPO" remote get-url origin 2>/dev/null) || return 0
	origin=${origin#file://}
	case $origin in /*) [ -d "$origin" ] && shared_beside "$origin" ;; esac
}

# Print the kernel image path; or, on status 1, the places looked at
find_kernel() {
	local c looked="" dirs=()

	mapfile -t dirs < <(shared_dirs | while read -r d; do realpath -m "$d/vm/bzImage"; done | awk '!seen[$0]++')
	for c in ${DMATRACE_VM_KERNEL:+"$DMATRACE_VM_KERNEL"} \
		 "${dirs[@]}" "$CACHE/bzImage"; do
		if [ -f "$c" ] && [ -r "$c" ]; then
			echo "$c"
			return 0
		fi
		looked="$looked $c"
	done
	echo "${looked# }"
	return 1
}

# Print the module files (paths in modules.dep of module directory DIR)
# that load MODULE... with their dependencies, in load order; built-in
# ones are left out
module_order() {
	local dir=$1 m line deps i list=()

	shift
	for m; do
		line=$(grep -m1 -E "(^|/)$m\.ko(\.xz)?:" "$dir/modules.dep")
		if [ -z "$line" ]; then
			grep -qE "(^|/)$m\.ko\$" "$dir/modules.builtin" ||
				die 3 "module $m is neither in $dir/modules.dep nor built in"
			continue
		fi
		read -ra deps <<< "${line#*:}"
		for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
			list+=("${deps[i]}")
		done
		list+=("${line%%:*}")
	done
	printf '%s\n' "${list[@]}" | awk '!seen[$0]++'
}

# Build the initramfs once per (init, busybox, kernel) triple, atomically.
# With a module directory: its modules that mount the host root, unpacked
# into /modules, their load order in /modules/load (read by the init).
build_initramfs() {
	local moddir=$1 busybox key root out mods="" m name

	busybox=$(command -v busybox) || die 4 "busybox not found (apt-get install busybox-static)"
	ldd "$busybox" 2>&1 | grep -q 'not a dynamic' ||
		die 4 "$busybox is not statically linked (apt-get install busybox-static)"
	command -v cpio >/dev/null || die 4 "cpio not found (apt-get install cpio)"
	if [ -n "$moddir" ]; then
		command -v xz >/dev/null || die 4 "xz not found (apt-get install xz-utils)"
		mods=$(module_order "$moddir" netfs 9pnet 9pnet_virtio 9p virtio_pci) || exit $?
	fi
	key=$( (cat "$VM_DIR/init" "$busybox"; echo "$moddir $mods") | md5sum | cut -c1-12)
	out="$CACHE/initramfs-$key.gz"
	if [ ! -s "$out" ]; then
		mkdir -p "$CACHE" || die 4 "cannot create $CACHE"
		root=$(mktemp -d "$CACHE/initramfs.XXXXXX") || die 4 "mktemp failed in $CACHE"
		for m in $mods; do
			name=${m##*/}
			name=${name%.xz}
			mkdir -p "$root/modules" &&
				xz -dcf "$moddir/$m" > "$root/modules/$name" &&
				echo "$name" >> "$root/modules/load" ||
				die 4 "cannot unpack $moddir/$m into the initramfs"
		done
		mkdir -p "$root/bin" &&
			cp "$busybox" "$root/bin/busybox" &&
			cp "$VM_DIR/init" "$root/init" &&
			chmod 755 "$root/init" &&
			(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp" &&
			mv "$out.tmp" "$out" || die 4 "cannot build $out"
		rm -rf "$root"
	fi
	echo "$out"
}

# Set kernel, version and modroot (empty for ours) for the kernel named $1
pick_kernel() {
	local out

	case $1 in
	ours)
		kernel=$(find_kernel) ||
			die 3 "no VM kernel image (looked in $kernel; tools/vm/build-kernel.sh builds one)"
		version="" modroot=""
		;;
	stock-6.1|stock-6.12)
		out=$("$VM_DIR/fetch-stock.sh" "${1#stock-}" 2>&1) ||
			die 3 "no stock kernel ${1#stock-}: ${out#vm/fetch-stock.sh: }"
		{ read -r kernel; read -r version; } <<< "$out"
		modroot=${kernel%/boot/*}
		;;
	*) die 2 "unknown kernel '$1' (ours, stock-6.1, stock-6.12)" ;;
	esac
}

kname=ours iommu=0 iommu_spec=intel-iommu,intremap=off timeout=300 share="" log="" mem=2048 devices=() find=0
smp=${DMATRACE_VM_SMP:-2} extra=""
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kname=${2:?}; shift ;;
	--iommu) iommu=1 ;;
	--iommu-device) iommu=1; iommu_spec=${2:?}; shift ;;
	--device) devices+=(-device "${2:?}"); shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--share) share=${2:?}; shift ;;
	--log) log=${2:?}; shift ;;
	--mem) mem=${2:?}; shift ;;
	--smp) smp=${2:?}; shift ;;
	--append) extra="$extra ${2:?}"; shift ;;
	--find-kernel) find=1 ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) die 2 "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
	shift
done
pick_kernel "$kname"
if [ $find = 1 ]; then
	echo "$kernel"
	exit 0
fi
[ $# -ge 1 ] || usage
case $timeout in ''|*[!0-9]*) die 2 "--timeout wants seconds, got '$timeout'" ;; esac
[[ $smp =~ ^[1-9][0-9]*(,[a-z-]+=[0-9]+)*$ ]] ||
	die 2 "--smp wants N[,maxcpus=M...], got '$smp'"

script=$(realpath -e "$1" 2>/dev/null) || die 2 "no such script: $1"
shift
command -v qemu-system-x86_64 >/dev/null ||
	die 4 "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
initrd=$(build_initramfs "${modroot:+$modroot/lib/modules/$version}") || exit $?

keep_share=1
if [ -z "$share" ]; then
	mkdir -p "$REPO/build/vm" || die 4 "cannot create $REPO/build/vm"
	share=$(mktemp -d "$REPO/build/vm/share.XXXXXX") || die 4 "mktemp failed"
	keep_share=0
fi
mkdir -p "$share" || die 4 "cannot create share $share"
share=$(realpath "$share")
log=${log:-$REPO/build/vm/console.log}
mkdir -p "$(dirname "$log")"
log=$(realpath "$log")

# The guest's /tmp is not the host's: the host paths it needs under /tmp
# are bound into it (tools/vm/init reads /mnt/keep); a script from
# elsewhere under /tmp is handed over by copy
: > "$share/keep"
for p in "$(realpath "$REPO")" ${modroot:+"$(realpath "$modroot")"}; do
	case $p in /tmp/*) echo "$p" >> "$share/keep" ;; esac
done
inside_kept() {	# is $1 under a path of $share/keep?
	local p

	while read -r p; do
		case $1 in "$p"/*) return 0 ;; esac
	done < "$share/keep"
	return 1
}
case $script in
/tmp/*) inside_kept "$script" || { cp "$script" "$share/script.sh" && script=/mnt/script.sh; } ;;
esac

{
	echo "cd $(printf %q "$REPO") || exit 125"
	echo "export DMATRACE_VM=1 DMATRACE_VM_OUT=/mnt"
	[ -n "$modroot" ] && printf 'export DMATRACE_VM_MODROOT=%q\n' "$modroot"
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for v in $(compgen -e | grep -E '^(VM|DMATRACE)_' | grep -vxE 'DMATRACE_VM_(OUT|MODROOT)'); do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
	printf 'sh %q' "$script"
	[ $# -gt 0 ] && printf ' %q' "$@"
	echo ' >/mnt/job.out 2>/mnt/job.err'
} > "$share/job.sh"
rm -f "$share/job.out" "$share/job.err"

append="console=ttyS0 panic=-1 quiet$extra"
iommu_dev=()
if [ $iommu = 1 ]; then
	case $iommu_spec in intel-iommu*) append="$append intel_iommu=on" ;; esac
	append="$append vfio_iommu_type1.allow_unsafe_interrupts=1"
	iommu_dev=(-device "$iommu_spec")
fi

# thread=single: one host thread runs all the vCPUs. With multi-threaded TCG
# a vCPU can run a stale translation of code the other one just patched
# (static keys, BPF trampolines use int3 text patching): "Oops: int3" in
# sched_clock_tick during boot, seen here about once in 15 boots.
: > "$log"
timeout -k 5 "$timeout" qemu-system-x86_64 \
	-machine q35 -accel tcg,thread=single -cpu max -m "$mem" -smp "$smp" \
	"${iommu_dev[@]}" "${devices[@]}" \
	-kernel "$kernel" -initrd "$initrd" -append "$append" \
	-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$share,mount_tag=out,security_model=none" \
	-nic none -display none -monitor none -serial "file:$log" -no-reboot \
	2> "$log.qemu"
qrc=$?

[ -f "$share/job.out" ] && cat "$share/job.out"
[ -f "$share/job.err" ] && cat "$share/job.err" >&2

status=$(tr -d '\r' < "$log" | sed -n 's/^VM-EXIT \([0-9]*\)$/\1/p' | tail -n1)
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	echo "vm/run.sh: timeout: the VM ran over ${timeout}s and was killed; console log $log:" >&2
	tail -n 20 "$log" | sed 's/^/  | /' >&2
	status=124
elif [ -z "$status" ]; then
	echo "vm/run.sh: the VM stopped without reporting an exit status (qemu status $qrc); console log $log:" >&2
	tail -n 20 "$log" "$log.qemu" | sed 's/^/  | /' >&2
	status=125
fi
[ $keep_share = 1 ] || rm -rf "$share"
exit "$status"
