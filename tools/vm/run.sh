#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run one script inside the dmatrace test VM (Linux 6.12 with iommufd,
# QEMU software emulation) and return its output and exit status.
#
#   tools/vm/run.sh [options] SCRIPT [ARG...]
#     --iommu          emulated Intel VT-d (intel-iommu device, intel_iommu=on);
#                      default: no IOMMU, so iommufd's mock domain works
#     --device SPEC    add a QEMU device (-device SPEC), e.g. edu (a PCI
#                      device that does DMA on request); repeatable
#     --timeout SECS   power the VM off (kill QEMU) after SECS (default 300)
#     --share DIR      the read-write share, the guest's /mnt (default: a
#                      fresh directory under build/vm/, removed afterwards)
#     --log FILE       console log (default build/vm/console.log)
#     --mem MB         guest memory (default 2048)
#     --find-kernel    print the kernel image that would boot and exit
#                      (status 3 and where it looked when there is none)
#
# The guest sees the host's root read-only over 9p (so host binaries and
# this repository run as they are, at the same paths) and the share read-
# write at /mnt; its /tmp is an empty tmpfs. SCRIPT runs with sh, in the
# repository's top directory, with DMATRACE_VM_OUT=/mnt and our VM_* and
# DMATRACE_* environment variables; its stdout and stderr come back on
# ours, its status is ours (from the console's "VM-EXIT <status>" line).
#
# Kernel image, first found: $DMATRACE_VM_KERNEL; <repo>/../shared/vm/bzImage;
# the cache of tools/vm/build-kernel.sh ($DMATRACE_VM_CACHE, default
# ~/.cache/dmatrace/vm). The initramfs (busybox + tools/vm/init) is built
# once into that cache.
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
	sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# Print the kernel image path; or, on status 1, the places looked at
find_kernel() {
	local c looked=""

	for c in ${DMATRACE_VM_KERNEL:+"$DMATRACE_VM_KERNEL"} \
		 "$(realpath -m "$REPO/../shared/vm/bzImage")" "$CACHE/bzImage"; do
		if [ -r "$c" ]; then
			echo "$c"
			return 0
		fi
		looked="$looked $c"
	done
	echo "${looked# }"
	return 1
}

# Build the initramfs once per (init, busybox) pair, atomically
build_initramfs() {
	local busybox key root out

	busybox=$(command -v busybox) || die 4 "busybox not found (apt-get install busybox-static)"
	ldd "$busybox" 2>&1 | grep -q 'not a dynamic' ||
		die 4 "$busybox is not statically linked (apt-get install busybox-static)"
	command -v cpio >/dev/null || die 4 "cpio not found (apt-get install cpio)"
	key=$(cat "$VM_DIR/init" "$busybox" | md5sum | cut -c1-12)
	out="$CACHE/initramfs-$key.gz"
	if [ ! -s "$out" ]; then
		mkdir -p "$CACHE" || die 4 "cannot create $CACHE"
		root=$(mktemp -d "$CACHE/initramfs.XXXXXX") || die 4 "mktemp failed in $CACHE"
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

iommu=0 timeout=300 share="" log="" mem=2048 devices=()
while [ $# -gt 0 ]; do
	case $1 in
	--iommu) iommu=1 ;;
	--device) devices+=(-device "${2:?}"); shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--share) share=${2:?}; shift ;;
	--log) log=${2:?}; shift ;;
	--mem) mem=${2:?}; shift ;;
	--find-kernel)
		if k=$(find_kernel); then echo "$k"; exit 0; fi
		die 3 "no VM kernel image (looked in $k; tools/vm/build-kernel.sh builds one)"
		;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) die 2 "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || usage
case $timeout in ''|*[!0-9]*) die 2 "--timeout wants seconds, got '$timeout'" ;; esac

script=$(realpath -e "$1" 2>/dev/null) || die 2 "no such script: $1"
shift
kernel=$(find_kernel) || die 3 "no VM kernel image (looked in $kernel; tools/vm/build-kernel.sh builds one)"
command -v qemu-system-x86_64 >/dev/null ||
	die 4 "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
initrd=$(build_initramfs) || exit $?

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

# The guest's /tmp is not the host's: hand over scripts from there by copy
case $script in
/tmp/*) cp "$script" "$share/script.sh" && script=/mnt/script.sh ;;
esac

{
	echo "cd $(printf %q "$REPO") || exit 125"
	echo "export DMATRACE_VM=1 DMATRACE_VM_OUT=/mnt"
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for v in $(compgen -e | grep -E '^(VM|DMATRACE)_' | grep -vx DMATRACE_VM_OUT); do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
	printf 'sh %q' "$script"
	[ $# -gt 0 ] && printf ' %q' "$@"
	echo ' >/mnt/job.out 2>/mnt/job.err'
} > "$share/job.sh"
rm -f "$share/job.out" "$share/job.err"

append="console=ttyS0 panic=-1 quiet"
iommu_dev=()
if [ $iommu = 1 ]; then
	append="$append intel_iommu=on"
	iommu_dev=(-device intel-iommu,intremap=off)
fi

# thread=single: one host thread runs both vCPUs. With multi-threaded TCG
# a vCPU can run a stale translation of code the other one just patched
# (static keys, BPF trampolines use int3 text patching): "Oops: int3" in
# sched_clock_tick during boot, seen here about once in 15 boots.
: > "$log"
timeout -k 5 "$timeout" qemu-system-x86_64 \
	-machine q35 -accel tcg,thread=single -cpu max -m "$mem" -smp 2 \
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
