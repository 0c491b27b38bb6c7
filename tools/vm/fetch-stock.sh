#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch one of Debian's stock kernels (the ones users run) for the VM tier,
# unpack it and index its modules; print the kernel image's path, then its
# version (uname -r), one per line.
#
#   tools/vm/fetch-stock.sh 6.1|6.12
#     6.1   the newest linux-image-6.1.0-*-amd64-unsigned (bookworm)
#     6.12  the newest linux-image-6.12.*+deb12-amd64-unsigned
#           (bookworm-security)
#
# The newest is the highest version apt-cache knows; when its lists have
# none (a fresh machine), apt-get update runs once and it looks again.
# Cached in $DMATRACE_VM_CACHE/stock/<version>/root/ (default
# ~/.cache/dmatrace/vm/stock/<version>/root/): the package unpacked with
# dpkg-deb -x (the .deb is removed then), boot/vmlinuz-<version> and
# lib/modules/<version> indexed by depmod -b (modules are .ko.xz on 6.12,
# plain .ko on 6.1). A cached kernel is not downloaded again.
#
# Status: 2 usage, 3 no such package in apt's lists, 4 missing tool,
# 5 download failed (apt or the network), 6 unpacking or depmod failed.
set -u

CACHE=${DMATRACE_VM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/dmatrace/vm}

die() {
	local rc=$1
	shift
	echo "vm/fetch-stock.sh: $*" >&2
	exit "$rc"
}

[ $# = 1 ] || { sed -n '7,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
case $1 in
6.1) pattern='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' ;;
6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' ;;
*) die 2 "unknown stock kernel '$1' (6.1 or 6.12)" ;;
esac

for t in apt-cache apt-get dpkg-deb; do
	command -v $t >/dev/null || die 4 "$t not found (a Debian system is needed)"
done
depmod=$(PATH=$PATH:/usr/sbin:/sbin command -v depmod) ||
	die 4 "depmod not found (apt-get install kmod)"

newest() {
	apt-cache search --names-only "$pattern" 2>/dev/null | cut -d' ' -f1 | sort -V | tail -n 1
}
pkg=$(newest)
if [ -z "$pkg" ]; then
	apt-get update -q > /dev/null 2>&1
	pkg=$(newest)
fi
[ -n "$pkg" ] || die 3 "no package matching $pattern in apt's lists (even after apt-get update)"
version=${pkg#linux-image-}
version=${version%-unsigned}
dir=$CACHE/stock/$version
vmlinuz=$dir/root/boot/vmlinuz-$version

if [ ! -s "$dir/root/lib/modules/$version/modules.dep" ] || [ ! -r "$vmlinuz" ]; then
	mkdir -p "$dir" || die 4 "cannot create $dir"
	if ! ls "$dir"/"$pkg"_*.deb >/dev/null 2>&1; then
		# Into a temporary directory first: a broken download leaves no .deb
		tmp=$(mktemp -d "$dir/download.XXXXXX") || die 4 "mktemp failed in $dir"
		if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg") > "$tmp/log" 2>&1; then
			msg=$(grep -E '^(E|W):' "$tmp/log" | head -n 1)
			rm -rf "$tmp"
			die 5 "apt-get download $pkg failed: ${msg:-no error line from apt-get}"
		fi
		mv "$tmp"/*.deb "$dir/" || die 5 "apt-get download $pkg left no .deb"
		rm -rf "$tmp"
	fi
	deb=$(ls "$dir"/"$pkg"_*.deb | sort -V | tail -n 1)
	rm -rf "$dir/root" "$dir/root.tmp"
	dpkg-deb -x "$deb" "$dir/root.tmp" ||
		die 6 "dpkg-deb -x $deb failed"
	[ -d "$dir/root.tmp/lib/modules/$version" ] && [ -r "$dir/root.tmp/boot/vmlinuz-$version" ] ||
		die 6 "$deb has no boot/vmlinuz-$version or lib/modules/$version"
	"$depmod" -b "$dir/root.tmp" "$version" 2> "$dir/depmod.err" ||
		die 6 "depmod -b $dir/root.tmp $version failed: $(head -n 1 "$dir/depmod.err")"
	mv "$dir/root.tmp" "$dir/root" || die 6 "cannot move $dir/root.tmp to $dir/root"
	rm -f "$deb" "$dir/depmod.err"
fi
echo "$vmlinuz"
echo "$version"
