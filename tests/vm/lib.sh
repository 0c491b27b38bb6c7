# SPDX-License-Identifier: GPL-2.0
# Host side of a VM test suite (sourced by tests/vm/*.t, run from the top
# of the tree by tests/run). A suite boots the VM once and runs one
# guest-side script (tests/vm/guest/*.sh) that runs all its cases and
# prints their TAP (tests/vm/guest/tap.sh), which comes back through the
# read-write share and is printed here. If the VM run fails (timeout, no
# exit status, guest script not finishing) one more failing test point
# says so; the plan is printed here, last.
#
#   vm_suite [run.sh options] GUEST_SCRIPT [ARG...]
# Skips the whole suite loudly ("1..0 # SKIP ...") without root, QEMU or a
# kernel image (for --kernel stock-*: when it cannot be fetched; see
# tools/vm/fetch-stock.sh). vm_require [run.sh options] does these checks
# alone. VM_SUITE_SHARE is the share (the guest's /mnt), created
# before the boot and removed afterwards unless the suite failed.
VM_RUN=tools/vm/run.sh

vm_skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

vm_require() {
	local kernel

	[ "$(id -u)" = 0 ] || vm_skip_all "VM tier needs root (QEMU 9p share of / as root)"
	command -v qemu-system-x86_64 >/dev/null ||
		vm_skip_all "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
	command -v busybox >/dev/null && command -v cpio >/dev/null ||
		vm_skip_all "no busybox or cpio for the initramfs (apt-get install busybox-static cpio)"
	kernel=$($VM_RUN --find-kernel "$@" 2>&1) || vm_skip_all "${kernel#vm/run.sh: }"
}

# Make VM_SUITE_SHARE before vm_suite to put inputs there
vm_share() {
	mkdir -p build/vm
	VM_SUITE_SHARE=$(mktemp -d "$PWD/build/vm/suite.XXXXXX") ||
		{ echo "Bail out! cannot create a share under build/vm"; exit 1; }
}

vm_suite() {
	local rc n

	vm_require "$@"
	[ -n "${VM_SUITE_SHARE:-}" ] || vm_share
	$VM_RUN --share "$VM_SUITE_SHARE" --log "$VM_SUITE_SHARE/console.log" \
		"$@" > "$VM_SUITE_SHARE/tap" 2> "$VM_SUITE_SHARE/run.err"
	rc=$?
	if grep -q '^1\.\.0 # SKIP' "$VM_SUITE_SHARE/tap"; then
		grep '^1\.\.0 # SKIP' "$VM_SUITE_SHARE/tap"
		rm -rf "$VM_SUITE_SHARE"
		return 0
	fi
	grep -v '^1\.\.[0-9]*$' "$VM_SUITE_SHARE/tap"
	n=$(grep -cE '^(not )?ok [0-9]+' "$VM_SUITE_SHARE/tap")
	if [ $rc != 0 ] || ! grep -q '^1\.\.[0-9]*$' "$VM_SUITE_SHARE/tap"; then
		n=$((n + 1))
		echo "not ok $n - VM run of $*: status $rc, guest script did not finish (share kept: $VM_SUITE_SHARE)"
		sed 's/^/#   /' "$VM_SUITE_SHARE/run.err" | tail -n 30
	elif ! grep -q '^not ok' "$VM_SUITE_SHARE/tap"; then
		rm -rf "$VM_SUITE_SHARE"
	else
		echo "# failures: share kept in $VM_SUITE_SHARE"
	fi
	echo "1..$n"
}


# The native type1 differential cases (tests/vm/guest/t1diff.sh runs the
# kernel side): every tests/scripts/type1/*.dms but those marked "# ref
# only" (a second group with another layout: the VM has none), then
# SCRIPTS random scripts (tools/vm/randops-type1) of SEQS sequences of up
# to OPS ops, seeds from SEED. Each runs on --backend ref now, into
# $VM_SUITE_SHARE/type1 (NAME.ref, NAME.ref.err, NAME.ref.rc); "NAME
# SCRIPT" lines, paths as the guest sees them, go to its "cases" file.
#   vm_type1_cases SCRIPTS SEQS OPS SEED [DMALOAD_OPTION...]  (after vm_share)
# The options go to the reference runs: --json (they end with their ground
# truth: for t1_diff_cases DIR count), --linux 6.1 (the kernel the model
# follows, docs/type1.md). Prints "# N ops in M cases" (op lines).
vm_type1_cases() {
	local o=$VM_SUITE_SHARE/type1 s seed=$4 end=$(($4 + $1)) seqs=$2 ops=$3

	shift 4
	VM_T1_REFOPTS="$*"
	mkdir -p "$o"
	: > "$o/cases"
	for s in tests/scripts/type1/*.dms; do
		grep -q '^# ref only' "$s" || vm_type1_case "$(basename "$s" .dms)" "$s"
	done
	while [ "$seed" -lt "$end" ]; do
		tools/vm/randops-type1 "$seed" "$seqs" "$ops" > "$o/rand-$seed.dms"
		vm_type1_case "rand-$seed" "$o/rand-$seed.dms"
		seed=$((seed + 1))
	done
	echo "# $(cat $(sed 's/^[^ ]* //' "$o/cases") | grep -cv '^[[:space:]]*\(#.*\)\{0,1\}$') ops in $(wc -l < "$o/cases") cases"
	sed -i "s|$VM_SUITE_SHARE|/mnt|" "$o/cases"
}

vm_type1_case() {	# NAME SCRIPT: the reference run now, a line for the guest
	local o=$VM_SUITE_SHARE/type1

	bin/dmaload --backend ref --script "$2" ${VM_T1_REFOPTS:-} > "$o/$1.ref" 2> "$o/$1.ref.err"
	echo $? > "$o/$1.ref.rc"
	echo "$1 $2" >> "$o/cases"
}
