#!/bin/sh
# Install what dmatrace needs to build, demo and test, when it is missing.
# Idempotent; a no-op (one dpkg-query) when everything is present.
#   build:  gcc make clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
#   tests:  libcmocka-dev perl (prove/TAP::Harness) jq (dmaload tests)
#           python3-prometheus-client (strict OpenMetrics parse, view tests)
#           prometheus (promtool check metrics, tests/host/40-metrics.t)
#           libclang-rt-14-dev (the asan tier: clang's sanitizer runtimes,
#           only a Recommends of clang, which --no-install-recommends skips)
#   bench:  bpftrace
#   vm:     qemu-system-x86 busybox-static cpio linux-source-6.12
#           kmod xz-utils (stock kernels: depmod, modprobe, .ko.xz)
#           dpdk-dev (testpmd: a real VFIO client in the guest)
set -eu

PKGS="gcc make clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
libcmocka-dev perl jq python3-prometheus-client prometheus libclang-rt-14-dev bpftrace qemu-system-x86
busybox-static cpio kmod xz-utils dpdk-dev
linux-source-6.12"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$st" in
	ii*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
