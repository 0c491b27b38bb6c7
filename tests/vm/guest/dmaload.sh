# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/20-dmaload.t: dmaload on the real kernel, and the
# differential test of the reference implementation against it. Every
# script runs on --backend kernel (/dev/iommu) and --backend ref; their
# per-op outputs (ret, iova, ranges, ids) must be identical line by line
# (tools/difftest.sh names the first differing line).
#   a) tests/scripts/*.dms, except those using the seed's window extension
#      (window, need), which only the reference implementation has;
#   b) VM_RAND_SCRIPTS random scripts (tools/vm/randops) of VM_RAND_SEQS
#      op sequences each, seeds VM_RAND_SEED.. (defaults 40, 50, 1).
. tests/vm/guest/tap.sh
O=/mnt/dmaload
mkdir -p $O
nscripts=${VM_RAND_SCRIPTS:-40}
nseqs=${VM_RAND_SEQS:-50}
seed0=${VM_RAND_SEED:-1}

if [ ! -x bin/dmaload ]; then
	tap_not_ok "bin/dmaload is built (run make before the VM tier)"
	tap_end
	exit 0
fi

uses_windows() {
	grep -qE '^[[:space:]]*(window|need)([[:space:]]|$)' "$1"
}

# run_both NAME SCRIPT: both backends, then the verdict
run_both() {
	name=$1 script=$2
	for be in kernel ref; do
		bin/dmaload --backend $be --script "$script" > $O/$name.$be 2> $O/$name.$be.err
		eval rc_$be=$?
	done
	if [ $rc_kernel != 0 ] || [ $rc_ref != 0 ]; then
		tap_not_ok "$name: dmaload exits 0 on both backends (kernel $rc_kernel, ref $rc_ref)"
		tail -n 5 $O/$name.kernel.err $O/$name.ref.err | tap_diag
		return
	fi
	if tools/difftest.sh "$script" $O/$name.ref $O/$name.kernel > $O/$name.diff; then
		tap_ok "$name: ref and kernel agree on all $(wc -l < $O/$name.kernel) ops"
	else
		tap_not_ok "$name: ref and kernel differ"
		tap_diag < $O/$name.diff
	fi
}

nfixed=0
for s in tests/scripts/*.dms; do
	[ -e "$s" ] || continue
	name=$(basename "$s" .dms)
	if uses_windows "$s"; then
		tap_skip "$name" "uses the seed's window extension (ref only)"
		continue
	fi
	run_both "$name" "$s"
	nfixed=$((nfixed + 1))
done
[ $nfixed -gt 0 ] || tap_not_ok "tests/scripts has scripts for the kernel backend"

seed=$seed0
while [ $seed -lt $((seed0 + nscripts)) ]; do
	tools/vm/randops $seed $nseqs > $O/rand-$seed.dms
	run_both rand-$seed $O/rand-$seed.dms
	seed=$((seed + 1))
done
tap_end
