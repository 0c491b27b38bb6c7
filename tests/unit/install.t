#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make install DESTDIR=... PREFIX=/usr: the programs and libdmaref.so in
# /usr/lib/dmatrace/, relative symlinks in /usr/bin/ that run from there
# (dmaload's rpath, dmatrace's "library next to the binary"); uninstall.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
unset MAKEFLAGS MFLAGS MAKELEVEL
[ -x bin/dmaload ] && [ -x bin/dmatrace ] || skip_all "not built (run make)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
D=$tmp/root

make -s install DESTDIR="$D" PREFIX=/usr > "$tmp/log" 2>&1
ok $? "make install DESTDIR PREFIX=/usr"
sed 's/^/#   /' "$tmp/log"

for f in lib/dmatrace/dmatrace lib/dmatrace/dmaload; do
	[ -f "$D/usr/$f" ] && [ -x "$D/usr/$f" ] && [ ! -L "$D/usr/$f" ]
	ok $? "/usr/$f: the program"
done
[ -f "$D/usr/lib/dmatrace/libdmaref.so" ]
ok $? "/usr/lib/dmatrace/libdmaref.so"
[ -f "$D/usr/share/doc/dmatrace/README.md" ]
ok $? "/usr/share/doc/dmatrace/README.md"
for m in man8/dmatrace.8 man1/dmaload.1; do
	cmp -s "$D/usr/share/man/$m" "man/${m#*/}"
	ok $? "/usr/share/man/$m: the man page"
done
for p in dmatrace dmaload; do
	is "$(readlink "$D/usr/bin/$p")" "../lib/dmatrace/$p" "/usr/bin/$p: relative symlink"
	is "$(readlink -f "$D/usr/bin/$p")" "$(readlink -f "$D/usr/lib/dmatrace/$p")" \
		"/usr/bin/$p resolves to the program"
done

"$D/usr/bin/dmaload" --scenario churn --ops 50 > "$tmp/out" 2>&1
ok $? "installed dmaload --scenario churn --ops 50 runs"
[ -s "$tmp/out" ] || echo "#   no output"
ldd "$D/usr/lib/dmatrace/dmaload" | grep -q "=> $D/usr/lib/dmatrace/libdmaref.so"
ok $? "installed dmaload loads the installed libdmaref.so"
"$D/usr/bin/dmatrace" probe --target ref > "$tmp/probe" 2>&1
is "$(head -n 1 "$tmp/probe")" "target: ref ($D/usr/lib/dmatrace/libdmaref.so)" \
	"installed dmatrace finds libdmaref.so next to its binary"

make -s uninstall DESTDIR="$D" PREFIX=/usr > "$tmp/log" 2>&1
ok $? "make uninstall"
is "$(find "$D" ! -type d)" "" "uninstall leaves no file behind"
done_testing
