#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the kernel's iommufd selftest (tools/testing/selftests/iommu/
# iommufd.c) for the VM tier, from Debian's linux-source-6.12 tarball
# (tools/install-deps.sh installs the package), into build/ksft/:
#
#   tools/vm/build-ksft.sh [TARBALL]    prints the binary's path
#   (default TARBALL: $DMATRACE_KSFT_TARBALL, else /usr/src/linux-source-6.12.tar.xz)
#
# Only the few files the selftest needs are untarred (into build/ksft/src,
# never into /usr/src); the uAPI header it needs, <linux/iommufd.h>, comes
# from the same tarball (build/ksft/khdr), the rest from the system.
# tools/vm/ksft-compat.h is force-included: it says why. Flags are the
# selftest Makefile's (-Wall -O2 -Wno-unused-function) plus -D_GNU_SOURCE
# (pipe2). Rebuilt only when the tarball or the shim changes.
# Status: 0 built, 3 no tarball (the caller skips), 1 build failure.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
tarball=${1:-${DMATRACE_KSFT_TARBALL:-/usr/src/linux-source-6.12.tar.xz}}
out=$top/build/ksft
compat=$top/tools/vm/ksft-compat.h

if [ ! -r "$tarball" ]; then
	echo "build-ksft: no $tarball (apt-get install linux-source-6.12, or tools/install-deps.sh)" >&2
	exit 3
fi
key=$(ls -lL --time-style=+%s "$tarball" | awk '{ print $5 "-" $6 }')-$(md5sum < "$compat" | cut -c1-12)
if [ -x "$out/iommufd" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$key" ]; then
	echo "$out/iommufd"
	exit 0
fi

rm -rf "$out"
mkdir -p "$out/src" "$out/khdr/linux"
prefix=$(tar -tJf "$tarball" 2>/dev/null | head -n 1 | cut -d/ -f1)
tar -xJf "$tarball" -C "$out/src" --strip-components=1 \
	"$prefix/tools/testing/selftests/iommu/iommufd.c" \
	"$prefix/tools/testing/selftests/iommu/iommufd_utils.h" \
	"$prefix/tools/testing/selftests/kselftest_harness.h" \
	"$prefix/tools/testing/selftests/kselftest.h" \
	"$prefix/drivers/iommu/iommufd/iommufd_test.h" \
	"$prefix/include/uapi/linux/iommufd.h"
cp "$out/src/include/uapi/linux/iommufd.h" "$out/khdr/linux/"
${CC:-cc} -Wall -O2 -Wno-unused-function -D_GNU_SOURCE \
	-isystem "$out/khdr" -include "$compat" \
	-o "$out/iommufd.tmp" "$out/src/tools/testing/selftests/iommu/iommufd.c" \
	> "$out/build.log" 2>&1 || {
	echo "build-ksft: the iommufd selftest does not build; $out/build.log:" >&2
	grep -m 20 -E 'error|warning' "$out/build.log" >&2
	exit 1
}
mv "$out/iommufd.tmp" "$out/iommufd"
echo "$key" > "$out/stamp"
echo "$out/iommufd"
