#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier, differential test: dmaload scripts on the real kernel and on the
# reference implementation must give the same per-op results (ret, iova,
# ranges, ids). The host runs the reference side into the share before the
# boot (emulation is slow), then one boot runs the kernel side and the
# verdicts (tests/vm/guest/dmaload.sh). Cases:
#   a) tests/scripts/*.dms, except those using the seed's window extension
#      (window, need), which only the reference implementation has;
#   b) dmaload's seeded scenarios (--verbose: one line per op), seeds 1
#      and 2, except power (window extension);
#   c) VM_RAND_SCRIPTS random scripts (tools/vm/randops) of VM_RAND_SEQS
#      op sequences of up to VM_RAND_OPS ops each, seeds from VM_RAND_SEED
#      (defaults 40, 50, 24, 1).
. tests/vm/lib.sh
vm_require
[ -x bin/dmaload ] || { echo "1..1"; echo "not ok 1 - bin/dmaload is built (run make first)"; exit 0; }
vm_share
O=$VM_SUITE_SHARE/dmaload
mkdir -p "$O"

# add_case NAME LABEL DMALOAD_ARGS...: the reference run now, and a line
# "NAME LABEL ARGS" for the guest (LABEL: the script, or @SCENARIO:SEED)
add_case() {
	name=$1 label=$2
	shift 2
	bin/dmaload --backend ref "$@" > "$O/$name.ref" 2> "$O/$name.ref.err"
	echo $? > "$O/$name.ref.rc"
	echo "$name $label $*" >> "$O/cases"
}

: > "$O/cases"
for s in tests/scripts/*.dms; do
	[ -e "$s" ] || continue
	if grep -qE '^[[:space:]]*(window|need)([[:space:]]|$)' "$s"; then
		echo "$(basename "$s" .dms) - --script $s" >> "$O/cases"
		continue
	fi
	add_case "$(basename "$s" .dms)" "$s" --script "$s"
done
for scn in vm-boot dpdk churn violations; do
	for seed in 1 2; do
		add_case "$scn-$seed" "@$scn:$seed" --scenario $scn --seed $seed --verbose
	done
done
seed=${VM_RAND_SEED:-1}
end=$((seed + ${VM_RAND_SCRIPTS:-40}))
while [ "$seed" -lt "$end" ]; do
	tools/vm/randops "$seed" "${VM_RAND_SEQS:-50}" "${VM_RAND_OPS:-24}" > "$O/rand-$seed.dms"
	add_case "rand-$seed" "$O/rand-$seed.dms" --script "$O/rand-$seed.dms"
	seed=$((seed + 1))
done
sed -i "s|$VM_SUITE_SHARE|/mnt|" "$O/cases"
vm_suite --timeout 600 tests/vm/guest/dmaload.sh
