#!/bin/sh
# Install what dmatrace needs to build, demo and test, when it is missing.
# Idempotent; a no-op (one dpkg-query) when everything is present.
#   build:  gcc make clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
#           libmicrohttpd-dev (dmatrace exporter's HTTP server)
#           libbpf-dev, libbpf1 and bpftool from bookworm-backports (libbpf
#           1.4: uprobe_multi links; bookworm's 1.1 has none), added as an
#           apt source when missing; nothing else comes from backports
#   tests:  libcmocka-dev perl (prove/TAP::Harness) jq (dmaload tests)
#           python3-prometheus-client (strict OpenMetrics parse, view tests)
#           prometheus (promtool check metrics, tests/host/40-metrics.t; the
#           server scrapes the exporter in tests/host/50-exporter.t) curl
#           libclang-rt-14-dev (the asan tier: clang's sanitizer runtimes,
#           only a Recommends of clang, which --no-install-recommends skips)
#           groff-base man-db (man pages render, tests/unit/manpages.t)
#           dpkg-dev debhelper lintian (make deb, tests/host/50-package.t)
#   bench:  bpftrace
#   vm:     qemu-system-x86 busybox-static cpio linux-source-6.12
#           kmod xz-utils (stock kernels: depmod, modprobe, .ko.xz)
#           dpdk-dev (testpmd: a real VFIO client in the guest)
set -eu

BPO="libbpf-dev libbpf1 bpftool"	# from bookworm-backports, see above
PKGS="gcc make clang llvm libelf-dev zlib1g-dev pkg-config libmicrohttpd-dev
libcmocka-dev perl jq python3-prometheus-client prometheus curl libclang-rt-14-dev
groff-base man-db dpkg-dev debhelper lintian bpftrace qemu-system-x86
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
bpo_missing=""
for p in $BPO; do
	v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
	case "$p" in bpftool) min="7.4" ;; *) min="1:1.4" ;; esac
	if [ -z "$v" ] || ! dpkg --compare-versions "$v" ge "$min"; then
		bpo_missing="$bpo_missing $p/bookworm-backports"
	fi
done
[ -z "$missing$bpo_missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "install-deps: installing:$missing$bpo_missing" >&2
export DEBIAN_FRONTEND=noninteractive
if [ -n "$bpo_missing" ] &&
   ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' \
		'Suites: bookworm-backports' 'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
		> /etc/apt/sources.list.d/bookworm-backports.sources
fi
apt-get update -qq >&2
# pkg/bookworm-backports takes only that package from backports (-t would
# move linux-libc-dev and others along with it)
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing $bpo_missing >&2
