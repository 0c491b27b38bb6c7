#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmaload on tests/scripts/*.dms (ref backend): every op line annotated
# "# => RET [key=value...]" must produce exactly that result. RET is 0 or
# -ENAME; values are compared as the JSON prints them (ids as numbers,
# addresses as "0x..."); ranges=S-L,S-L compares the whole array.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
. tests/unit/dmaload_check.sh
need_tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for s in tests/scripts/*.dms; do
	check_script "$s"
done
done_testing
