# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/20-dmaload.t: the kernel side of the differential
# test. Each line of /mnt/dmaload/cases is "NAME LABEL DMALOAD_ARGS...";
# LABEL is the script or @SCENARIO:SEED, or "-" for a script only the
# reference implementation can run (the seed's window extension). The host
# left NAME.ref (output), NAME.ref.rc and NAME.ref.err beside it. Each case
# runs on --backend kernel (/dev/iommu); both runs must exit 0 and their
# per-op outputs must be identical (tools/difftest.sh names the first
# differing line).
. tests/vm/guest/tap.sh
O=/mnt/dmaload

# check_case NAME LABEL DMALOAD_ARGS...
check_case() {
	name=$1 label=$2
	shift 2
	bin/dmaload --backend kernel "$@" < /dev/null > $O/$name.kernel 2> $O/$name.kernel.err
	rc=$?
	ref_rc=$(cat $O/$name.ref.rc)
	if [ $rc != 0 ] || [ "$ref_rc" != 0 ]; then
		tap_not_ok "$name: dmaload exits 0 on both backends (kernel $rc, ref $ref_rc)"
		tail -n 5 $O/$name.kernel.err $O/$name.ref.err | tap_diag
	elif tools/difftest.sh "$label" $O/$name.ref $O/$name.kernel > $O/$name.diff; then
		tap_ok "$name: ref and kernel agree on all $(wc -l < $O/$name.kernel) output lines"
	else
		tap_not_ok "$name: ref and kernel differ"
		tap_diag < $O/$name.diff
	fi
}

if [ ! -x bin/dmaload ] || [ ! -r $O/cases ]; then
	tap_not_ok "bin/dmaload and the host's $O/cases are there"
	tap_end
	exit 0
fi
nfixed=0
while read -r name label args; do
	if [ "$label" = - ]; then
		# the seed's window extension: refused whole, before any ioctl
		# shellcheck disable=SC2086
		bin/dmaload --backend kernel $args > $O/$name.kernel 2> $O/$name.kernel.err
		rc=$?
		if [ $rc = 1 ] && [ ! -s $O/$name.kernel ] &&
		   [ "$(wc -l < $O/$name.kernel.err)" = 1 ] &&
		   grep -q "multi-window extension" $O/$name.kernel.err; then
			tap_ok "$name (window extension): the kernel backend refuses it in one line, nothing run"
		else
			tap_not_ok "$name (window extension): the kernel backend refuses it in one line, nothing run (got $rc)"
			tap_diag < $O/$name.kernel.err
		fi
		continue
	fi
	case $label in /mnt/*|@*) ;; *) nfixed=$((nfixed + 1)) ;; esac
	# shellcheck disable=SC2086
	check_case "$name" "$label" $args
done < $O/cases
[ $nfixed -gt 0 ] || tap_not_ok "tests/scripts has scripts for the kernel backend"

# The seed's window extension is refused on the kernel, in one clear line
bin/dmaload --backend kernel --scenario power > $O/power.out 2> $O/power.err
rc=$?
if [ $rc = 1 ] && [ "$(wc -l < $O/power.err)" = 1 ] &&
   grep -q "multi-window" $O/power.err; then
	tap_ok "power (windows) on the kernel backend: refused in one line, status 1"
else
	tap_not_ok "power (windows) on the kernel backend: refused in one line, status 1 (got $rc)"
	tap_diag < $O/power.err
fi
tap_end
