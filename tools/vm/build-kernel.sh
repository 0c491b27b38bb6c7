#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test VM's kernel (Linux 6.12 with iommufd, its selftest mock
# domains, VFIO, BPF + BTF, kprobes, the ftrace function profiler) from
# Debian's linux-source-6.12, so that the VM tier works without
# ../shared/vm. About 21 minutes on 2 cores.
#
#   tools/vm/build-kernel.sh [--config-only] [--jobs N]
#
# Configuration: defconfig, kvm_guest.config, tools/vm/config.fragment
# merged with scripts/kconfig/merge_config.sh, olddefconfig; the script
# fails when an option of the fragment did not survive. Results, in
# $DMATRACE_VM_CACHE (default ~/.cache/dmatrace/vm), where tools/vm/run.sh
# looks for them:
#   bzImage        the kernel
#   vmlinux.btf    its raw BTF (the .BTF section of vmlinux), for
#                  tools/gen-vmlinux.sh
#   kernel.config  the full .config
# --config-only stops after the configuration (a quick check of the
# fragment against this source) and writes only kernel.config.
set -eu

VM_DIR=$(cd "$(dirname "$0")" && pwd)
CACHE=${DMATRACE_VM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/dmatrace/vm}
TARBALL=${DMATRACE_LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
FRAGMENT=$VM_DIR/config.fragment
SRC=$CACHE/src
OBJ=$CACHE/obj

config_only=0
jobs=$(($(nproc) + 1))
while [ $# -gt 0 ]; do
	case $1 in
	--config-only) config_only=1 ;;
	--jobs) jobs=${2:?}; shift ;;
	-h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "build-kernel: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

log() { echo "build-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

# Build dependencies: pahole (dwarves) is needed already at configuration
# time, DEBUG_INFO_BTF depends on its version.
install_deps() {
	local p st missing=""

	for p in linux-source-6.12 build-essential flex bison bc libssl-dev \
		 libelf-dev dwarves xz-utils; do
		st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
		case $st in ii*) ;; *) missing="$missing $p" ;; esac
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages:$missing (as root: apt-get install$missing)"
	log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
}

unpack_source() {
	[ -f "$SRC/Makefile" ] && return 0
	[ -r "$TARBALL" ] || die "no kernel source tarball $TARBALL (apt-get install linux-source-6.12)"
	log "unpacking $TARBALL into $SRC"
	rm -rf "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	tar -xf "$TARBALL" -C "$SRC.tmp" --strip-components=1
	mv "$SRC.tmp" "$SRC"
}

configure() {
	mkdir -p "$OBJ"
	make -s -C "$SRC" O="$OBJ" defconfig
	make -s -C "$SRC" O="$OBJ" kvm_guest.config
	(cd "$OBJ" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" \
		"$OBJ/.config" "$FRAGMENT" >/dev/null)
	make -s -C "$SRC" O="$OBJ" olddefconfig
}

# Every option of the fragment must have the value asked for
check_config() {
	local line opt want got bad=0

	while IFS= read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		opt=${line%%=*}
		want=${line#*=}
		got=$(sed -n "s/^$opt=//p" "$OBJ/.config")
		[ -z "$got" ] && grep -q "^# $opt is not set" "$OBJ/.config" && got=n
		[ -z "$got" ] && [ "$want" = n ] && got=n
		if [ "$got" != "$want" ]; then
			log "$opt: fragment wants $want, .config has ${got:-nothing}"
			bad=1
		fi
	done < "$FRAGMENT"
	[ $bad = 0 ] || die "the configuration lost options of $FRAGMENT"
}

install_deps
unpack_source
log "configuring in $OBJ"
configure
check_config
mkdir -p "$CACHE"
cp "$OBJ/.config" "$CACHE/kernel.config"
log "kernel.config: $CACHE/kernel.config ($(grep -c '=[ym]$' "$CACHE/kernel.config") options set)"
[ $config_only = 1 ] && exit 0

log "building bzImage with -j$jobs (about 21 minutes on 2 cores)"
make -s -C "$SRC" O="$OBJ" -j"$jobs" bzImage
objcopy --dump-section .BTF="$CACHE/vmlinux.btf.tmp" "$OBJ/vmlinux" "$CACHE/objcopy.out.tmp"
rm -f "$CACHE/objcopy.out.tmp"
mv "$CACHE/vmlinux.btf.tmp" "$CACHE/vmlinux.btf"
cp "$OBJ/arch/x86/boot/bzImage" "$CACHE/bzImage.tmp"
mv "$CACHE/bzImage.tmp" "$CACHE/bzImage"
log "done: $CACHE/bzImage, $CACHE/vmlinux.btf"
