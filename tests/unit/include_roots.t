#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One include root per namespace: tools/check-includes.sh on the -I
# directories of every compile of `make all fuzz` (dry run, in-tree ones).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
unset MAKEFLAGS MFLAGS MAKELEVEL
[ -f build/uapi_offsets.h ] || skip_all "not built (run make): generated headers missing"
roots=$(make -n -B all fuzz 2>/dev/null | tr ' ' '\n' | sed -n 's/^-I//p' |
	grep -v '^/' | sort -u)
[ -n "$roots" ] || skip_all "make -n printed no -I flags"
exec tools/check-includes.sh $roots
