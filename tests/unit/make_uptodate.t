#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# After a build, the tree is up to date: `make -q all` succeeds, so a second
# `make` does nothing (no target whose recipe writes another file, no
# intermediate object deleted and rebuilt, no always-new prerequisite).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
# A clean make of its own, not the jobserver or variables of a calling one
unset MAKEFLAGS MFLAGS MAKELEVEL
[ -x bin/dmaload ] || skip_all "not built (run make)"

make -q all
rc=$?
ok $rc "make -q all: nothing to remake after a build"
[ $rc = 0 ] || make -n all 2>&1 | head -n 20 | sed 's/^/#   would run: /'
done_testing
