#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The Debian package: `make deb` (dpkg-buildpackage -us -uc -b on a copy
# of the tree), lintian clean when lintian is there, then installed with
# dpkg into a throwaway root (its own dpkg database: --root), where the
# installed dmatrace runs `probe` and `demo` and the installed dmaload a
# scenario, and removed again (nothing left). With DMATRACE_PKG_SYSTEM=1
# the package is installed into the real system (dpkg -i, refused when a
# dmatrace package is already there) and /usr/bin/dmatrace demo runs,
# then dpkg -r removes it. About 30 s (the package build), 2 cores.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
unset MAKEFLAGS MFLAGS MAKELEVEL
for t in dpkg-buildpackage dpkg-deb dh; do
	command -v $t >/dev/null || skip_all "$t missing (make deps installs dpkg-dev and debhelper)"
done
dpkg-checkbuilddeps > /dev/null 2>&1 ||
	skip_all "build dependencies missing: $(dpkg-checkbuilddeps 2>&1 | head -n 1)"
need_root_bpf
tmp=$(mktemp -d)
sys_installed=""
cleanup() {
	[ -n "$sys_installed" ] && dpkg -r dmatrace > /dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

make -s deb DEB_DIR="$tmp/deb" > "$tmp/build.log" 2>&1
ok $? "make deb: dpkg-buildpackage -us -uc -b"
[ $T_FAIL = 0 ] || { tail -n 30 "$tmp/build.log" | sed 's/^/#   /'; done_testing; exit; }
v=$(dpkg-parsechangelog -S Version)
a=$(dpkg --print-architecture)
deb=$tmp/deb/dmatrace_${v}_$a.deb
[ -f "$deb" ] && [ -f "$tmp/deb/dmatrace_${v}_$a.changes" ]
ok $? "dmatrace_${v}_$a.deb and .changes built"

# What goes where: the make install layout under /usr, man pages gzipped
dpkg-deb -c "$deb" | awk '{ print $6 ($7 ? " " $7 " " $8 : "") }' | sed 's|^\./|/|' \
	> "$tmp/contents"
for f in /usr/lib/dmatrace/dmatrace /usr/lib/dmatrace/dmaload \
	 /usr/lib/dmatrace/libdmaref.so "/usr/bin/dmatrace -> ../lib/dmatrace/dmatrace" \
	 "/usr/bin/dmaload -> ../lib/dmatrace/dmaload" \
	 /usr/share/man/man8/dmatrace.8.gz /usr/share/man/man1/dmaload.1.gz \
	 /usr/share/doc/dmatrace/copyright /usr/share/doc/dmatrace/changelog.gz \
	 /usr/share/doc/dmatrace/README.md.gz; do
	grep -qxF "$f" "$tmp/contents"
	ok $? "package has $f"
done
deps=$(dpkg-deb -f "$deb" Depends)
case "$deps" in *libbpf1*) r=0 ;; *) r=1 ;; esac
ok $r "Depends names libbpf1 (\${shlibs:Depends}): $deps"
# every dependency is satisfied here (the throwaway root has no database
# of its own to check them against)
unmet=""
for d in $(printf '%s\n' "$deps" | sed 's/, */\n/g; s/ //g'); do
	name=${d%%(*}
	have=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null)
	case "$d" in
	*\(*) op=$(printf '%s' "$d" | sed 's/.*(\([<>=]*\).*/\1/')
	      want=$(printf '%s' "$d" | sed 's/.*([<>=]*\(.*\))/\1/')
	      case $op in '>=') op=ge ;; '<=') op=le ;; '=') op=eq ;; '>>') op=gt ;; '<<') op=lt ;; esac
	      [ -n "$have" ] && dpkg --compare-versions "$have" "$op" "$want" || unmet="$unmet $d" ;;
	*) [ -n "$have" ] || unmet="$unmet $d" ;;
	esac
done
is "$unmet" "" "every Depends is satisfied on this system"

if command -v lintian > /dev/null; then
	lintian --pedantic "$tmp/deb/dmatrace_${v}_$a.changes" > "$tmp/lintian" 2>&1
	rc=$?
	grep -v '^running with root privileges' "$tmp/lintian" > "$tmp/tags"
	is "$rc:$(cat "$tmp/tags")" "0:" "lintian --pedantic on the .changes and its .debs: no tag"
else
	skip "lintian missing (make deps installs it)"
fi

# A throwaway root: its own dpkg database; dependencies are the host's
R=$tmp/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
: > "$R/var/lib/dpkg/status"
: > "$R/var/lib/dpkg/available"
dpkg --root="$R" --force-depends --force-script-chrootless -i "$deb" > "$tmp/dpkg" 2>&1
ok $? "dpkg --root ROOT -i dmatrace_${v}_$a.deb"
[ $? = 0 ] || sed 's/^/#   /' "$tmp/dpkg"
is "$(dpkg --root="$R" -s dmatrace 2>/dev/null | sed -n 's/^Status: //p')" \
	"install ok installed" "dpkg in ROOT: dmatrace is installed"

"$R/usr/bin/dmatrace" probe > "$tmp/probe" 2> "$tmp/probe.err"
rc=$?
sed -n '1,3p' "$tmp/probe" | sed 's/^/#   /'
is "$rc" 0 "installed dmatrace probe: exit 0"
is "$(head -n 1 "$tmp/probe")" "target: ref ($R/usr/lib/dmatrace/libdmaref.so)" \
	"installed dmatrace probe: the installed libdmaref.so" 
[ -n "$(ls /dev/iommu /sys/module/iommufd /sys/module/vfio 2>/dev/null)" ] &&
	echo "# (this kernel has iommufd or VFIO: probe's default target is the kernel)"

demo_ok() {	# demo_ok DMATRACE DESCRIPTION: the demo's five scenarios, exit 0
	"$1" demo > "$tmp/demo" 2> "$tmp/demo.err"
	is "$?" 0 "$2: exit 0"
	is "$(grep -c '^######## dmaload --scenario' "$tmp/demo")" 5 "$2: five scenarios"
	grep -q "^dmatrace: links: " "$tmp/demo.err"
	ok $? "$2: the probes attached (stderr's report)"
	grep -m 3 '^######## \|^dmatrace: links' "$tmp/demo" "$tmp/demo.err" |
		sed "s|^$tmp/||; s/^/#   /"
}
demo_ok "$R/usr/bin/dmatrace" "installed dmatrace demo (ROOT/usr/bin/dmatrace)"
# its probes were hit: latency histograms, nothing lost (the library is
# the one next to the binary: probe said which, above)
[ "$(grep -c '^op = ' "$tmp/demo")" -gt 0 ] &&
	[ "$(grep '^rb_drops ' "$tmp/demo" | grep -vc ' [1-9]')" = 5 ]
ok $? "installed dmatrace demo: histograms, and no loss in any scenario"

"$R/usr/bin/dmaload" --scenario vm-boot --json > "$tmp/load" 2>&1
ok $? "installed dmaload --scenario vm-boot --json"
tail -n 1 "$tmp/load" | jq -e '.ops' > /dev/null
ok $? "installed dmaload: its ground truth is JSON"
ldd "$R/usr/lib/dmatrace/dmaload" | grep -q "=> $R/usr/lib/dmatrace/libdmaref.so"
ok $? "installed dmaload loads the installed libdmaref.so (\$ORIGIN)"
MANWIDTH=80 man -l "$R/usr/share/man/man8/dmatrace.8.gz" 2>&1 | grep -q 'DMATRACE_UPROBE_MULTI'
ok $? "the installed dmatrace(8) renders (man -l)"

dpkg --root="$R" --force-script-chrootless -r dmatrace > "$tmp/dpkg" 2>&1
ok $? "dpkg --root ROOT -r dmatrace"
is "$(find "$R" ! -type d ! -path "$R/var/lib/dpkg/*")" "" "removal leaves no file in ROOT"

# The real system, on request
if [ "${DMATRACE_PKG_SYSTEM:-0}" != 1 ]; then
	skip "DMATRACE_PKG_SYSTEM=1 not set: the package is not installed into the real system"
elif dpkg-query -W dmatrace > /dev/null 2>&1; then
	skip "a dmatrace package is installed already: the real system is left alone"
else
	dpkg -i "$deb" > "$tmp/dpkg" 2>&1
	rc=$?
	[ $rc = 0 ] && sys_installed=1
	ok $rc "dpkg -i dmatrace_${v}_$a.deb (the real system)"
	[ $rc = 0 ] || sed 's/^/#   /' "$tmp/dpkg"
	is "$(readlink /usr/bin/dmatrace)" ../lib/dmatrace/dmatrace "/usr/bin/dmatrace"
	/usr/bin/dmatrace probe > "$tmp/probe" 2>&1
	is "$?" 0 "/usr/bin/dmatrace probe: exit 0"
	head -n 1 "$tmp/probe" | sed 's/^/#   /'
	demo_ok /usr/bin/dmatrace "/usr/bin/dmatrace demo"
	man -w dmatrace > "$tmp/man" 2>&1
	is "$(cat "$tmp/man")" /usr/share/man/man8/dmatrace.8.gz "man -w dmatrace"
	dpkg -r dmatrace > "$tmp/dpkg" 2>&1
	rc=$?
	[ $rc = 0 ] && sys_installed=""
	ok $rc "dpkg -r dmatrace (the real system)"
	[ ! -e /usr/bin/dmatrace ] && [ ! -e /usr/lib/dmatrace ]
	ok $? "removed: no /usr/bin/dmatrace, no /usr/lib/dmatrace"
fi
done_testing
