# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/20-dmaload.t: the kernel side of the differential
# test. /mnt/dmaload/cases lists "NAME SCRIPT" (SCRIPT "-": ref only, the
# seed's window extension); the host left NAME.ref (output), NAME.ref.rc
# and NAME.ref.err beside it. Each script runs on --backend kernel
# (/dev/iommu); both runs must exit 0 and their per-op outputs must be
# identical (tools/difftest.sh names the first differing line).
. tests/vm/guest/tap.sh
O=/mnt/dmaload

# check_case NAME SCRIPT
check_case() {
	bin/dmaload --backend kernel --script "$2" < /dev/null > $O/$1.kernel 2> $O/$1.kernel.err
	rc=$?
	ref_rc=$(cat $O/$1.ref.rc)
	if [ $rc != 0 ] || [ "$ref_rc" != 0 ]; then
		tap_not_ok "$1: dmaload exits 0 on both backends (kernel $rc, ref $ref_rc)"
		tail -n 5 $O/$1.kernel.err $O/$1.ref.err | tap_diag
	elif tools/difftest.sh "$2" $O/$1.ref $O/$1.kernel > $O/$1.diff; then
		tap_ok "$1: ref and kernel agree on all $(wc -l < $O/$1.kernel) ops"
	else
		tap_not_ok "$1: ref and kernel differ"
		tap_diag < $O/$1.diff
	fi
}

if [ ! -x bin/dmaload ] || [ ! -r $O/cases ]; then
	tap_not_ok "bin/dmaload and the host's $O/cases are there"
	tap_end
	exit 0
fi
nfixed=0
while read -r name script; do
	if [ "$script" = - ]; then
		tap_skip "$name" "uses the seed's window extension (ref only)"
		continue
	fi
	case $name in rand-*) ;; *) nfixed=$((nfixed + 1)) ;; esac
	check_case "$name" "$script"
done < $O/cases
[ $nfixed -gt 0 ] || tap_not_ok "tests/scripts has scripts for the kernel backend"
tap_end
