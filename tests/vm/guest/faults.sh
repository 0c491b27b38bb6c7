# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/40-faults.t (emulated VT-d + edu): bin/edufault
# drives edu through VFIO cdev + iommufd and provokes three DMA faults: past
# a mapped area, on an area it just unmapped, and past an area of a second
# IOAS it moved the device to (a replace). Under dmatrace (fentry, text
# view, then --force-kprobe) the record's "faults" has each exactly once, at
# the IOVA edufault aimed at, in the IOAS the device was attached to then;
# the FAULT lines say by how much the IOVA missed the area it ran past and
# that the second area was unmapped recently by edufault (the others not);
# the kernel log (dmesg) reports a DMAR fault at the same addresses, once
# per run.
. tests/vm/guest/tap.sh
W=/mnt/faults
mkdir -p $W

for b in bin/dmatrace bin/edufault; do
	[ -x $b ] || { tap_not_ok "$b is built (run make before the VM tier)"; tap_end; exit 0; }
done
command -v jq >/dev/null || { tap_not_ok "jq is installed (make deps)"; tap_end; exit 0; }

edu=$(grep -l 0x11e8 /sys/bus/pci/devices/*/device 2>/dev/null | head -n 1)
edu=${edu%/device}
echo 1234 11e8 > /sys/bus/pci/drivers/vfio-pci/new_id 2> $W/bind.err
i=0
while [ ! -c /dev/vfio/devices/vfio0 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
cdev=/dev/vfio/devices/$(ls "$edu/vfio-dev" 2>/dev/null | head -n 1)
if [ -c "$cdev" ]; then
	tap_ok "edu ($(basename "$edu")) on vfio-pci: $cdev"
else
	tap_not_ok "edu on vfio-pci with a VFIO cdev"
	tap_diag < $W/bind.err
	tap_end
	exit 0
fi
# QEMU's VT-d here has no interrupt remapping (tools/vm/run.sh intremap=off):
# iommufd refuses to bind without it unless told otherwise
echo 1 > /sys/module/iommufd/parameters/allow_unsafe_interrupts

bin/dmatrace probe --target kernel > $W/probe 2>&1
tap_check "dmatrace probe: dmar_fault on fentry" \
	grep -q '^dmar_fault  *fentry' $W/probe
tap_check "dmatrace probe: iommufd_hw_pagetable_attach on fentry" \
	grep -q '^iommufd_hw_pagetable_attach  *fentry' $W/probe
BDF=$(basename "$edu")
DEV=${BDF#0000:}

# dmesg_count IOVA: DMAR faults the kernel logged at IOVA so far
dmesg_count() {
	dmesg | grep -c "DMAR: \[DMA Write NO_PASID\] Request device \[.*\] fault addr $1 "
}

# run_traced NAME DMATRACE_ARGS...: dmatrace ARGS -- edufault; sets
# IOAS PID PAST UNMAPPED from edufault's own report
run_traced() {
	name=$1
	shift
	d0=$(dmesg_count 0x102000) u0=$(dmesg_count 0x200000) r0=$(dmesg_count 0x301000)
	bin/dmatrace "$@" --target kernel -- \
		sh -c "exec bin/edufault $cdev > $W/$name.edu" > $W/$name.out 2> $W/$name.err
	rc=$?
	if [ $rc = 0 ]; then
		tap_ok "$name: dmatrace -- edufault exits 0 (edu DMA to a mapped IOVA copied the data)"
	else
		tap_not_ok "$name: dmatrace -- edufault exits 0 (status $rc)"
		cat $W/$name.err $W/$name.edu | tap_diag
	fi
	edu_report $name
	# The kernel's own account: one DMAR fault at each address in this run
	if [ -n "$PAST" ] && [ -n "$UNMAPPED" ] &&
	   [ "$(dmesg_count "$PAST")" = $((d0 + 1)) ] &&
	   [ "$(dmesg_count "$UNMAPPED")" = $((u0 + 1)) ] &&
	   [ "$(dmesg_count "$REPLACED")" = $((r0 + 1)) ]; then
		tap_ok "$name: dmesg has one DMAR write fault at each of $PAST $UNMAPPED $REPLACED"
	else
		tap_not_ok "$name: dmesg has one DMAR write fault at each of '$PAST' '$UNMAPPED' '$REPLACED'"
		dmesg | grep DMAR | tail -n 6 | tap_diag
	fi
}

# check_json NAME: the record's faults are exactly edufault's two
check_json() {
	name=$1
	grep '^{"dmatrace_record"' $W/$name.out > $W/$name.rec
	got=$(jq -c '[.faults[] | [.ioas, .iova]]' $W/$name.rec)
	want="[[$IOAS,\"$PAST\"],[$IOAS,\"$UNMAPPED\"],[$REPL_IOAS,\"$REPLACED\"]]"
	if [ "$got" = "$want" ]; then
		tap_ok "$name: JSON faults are $want (ioas, iova)"
	else
		tap_not_ok "$name: JSON faults are $want (ioas, iova), got $got"
		tap_diag < $W/$name.err
	fi
	got=$(jq -c '.counters' $W/$name.rec)
	want='{"rb_drops":0,"stash_miss":0,"read_fail":0,"areas_full":0}'
	if [ "$got" = "$want" ]; then
		tap_ok "$name: no drops, no missed exits, no failed reads"
	else
		tap_not_ok "$name: counters $want, got $got"
	fi
	check_lines "$name JSON" "$(jq -r '.faults[].line' $W/$name.rec)"
}

# check_lines NAME LINES [OWNER]: the FAULT lines say what happened: the
# IOVA past area A is 0x1 past it, before area B, and was never unmapped;
# area B was unmapped by edufault, and nothing is mapped there now; both
# in OWNER (default "ioas $IOAS"); and the replaced case, when there is one
check_lines() {
	printf '%s\n' "$2" > $W/lines
	owner=${3:-ioas $IOAS}
	area="\[$AREA_START, $AREA_LAST\]"
	by=$(printf '0x%x' $((PAST - AREA_LAST)))
	p=$(grep -c "^FAULT iova $PAST $owner: .*window \[.*; no area mapped: $by past area $area, 0x[0-9a-f]* before area \[$UNMAPPED, 0x[0-9a-f]*\]; not unmapped recently$" $W/lines)
	u=$(grep -c "^FAULT iova $UNMAPPED $owner: .*window \[.*; no area mapped: 0x[0-9a-f]* past area $area; unmapped [0-9.]* [mun]*s ago by pid $PID (edufault) \[$UNMAPPED +0x1000\]$" $W/lines)
	r=1 rr=1 what=
	if [ -n "$REPLACED" ]; then
		r=$(grep -cF "FAULT iova $REPLACED ioas $REPL_IOAS: " $W/lines)
		rr=$(grep -cF "; no area mapped: 0x1 past area $REPL_AREA; not unmapped recently" $W/lines)
		what="; $REPLACED in IOAS $REPL_IOAS after the replace, 0x1 past area $REPL_AREA"
	fi
	if [ "$p" = 1 ] && [ "$u" = 1 ] && [ "$r" = 1 ] && [ "$rr" = 1 ]; then
		tap_ok "$1: FAULT lines in $owner: $PAST $by past area [$AREA_START, $AREA_LAST], not unmapped; $UNMAPPED unmapped by pid $PID (edufault)$what"
	else
		tap_not_ok "$1: FAULT lines in $owner for $PAST ($by past area [$AREA_START, $AREA_LAST], not unmapped), $UNMAPPED (unmapped by pid $PID)$what"
		tap_diag < $W/lines
	fi
}

# edu_report NAME: IOAS PID PAST ... from edufault's own report
edu_report() {
	IOAS=$(sed -n 's/^ioas \([0-9]*\) pid.*/\1/p' $W/$1.edu)
	PID=$(sed -n 's/^\(ioas [0-9]*\|container\) pid \([0-9]*\)$/\2/p' $W/$1.edu)
	PAST=$(sed -n 's/^past iova \(0x[0-9a-f]*\) .*/\1/p' $W/$1.edu)
	UNMAPPED=$(sed -n 's/^unmapped iova \(0x[0-9a-f]*\) .*/\1/p' $W/$1.edu)
	REPL_IOAS=$(sed -n 's/^replaced ioas \([0-9]*\) .*/\1/p' $W/$1.edu)
	REPLACED=$(sed -n 's/^replaced ioas [0-9]* iova \(0x[0-9a-f]*\) .*/\1/p' $W/$1.edu)
	REPL_AREA=$(sed -n 's/^replaced .* area \(\[.*\]\)$/\1/p' $W/$1.edu)
	AREA_START=$(sed -n 's/^past iova .* area \[\(0x[0-9a-f]*\), .*/\1/p' $W/$1.edu)
	AREA_LAST=$(sed -n 's/^past iova .* area \[.*, \(0x[0-9a-f]*\)\]$/\1/p' $W/$1.edu)
}

# check_dmesg NAME D0 U0: one more DMAR fault at PAST and at UNMAPPED
check_dmesg() {
	if [ -n "$PAST" ] && [ -n "$UNMAPPED" ] &&
	   [ "$(dmesg_count "$PAST")" = $(($2 + 1)) ] &&
	   [ "$(dmesg_count "$UNMAPPED")" = $(($3 + 1)) ]; then
		tap_ok "$1: dmesg has one DMAR write fault at each of $PAST $UNMAPPED"
	else
		tap_not_ok "$1: dmesg has one DMAR write fault at each of '$PAST' '$UNMAPPED'"
		dmesg | grep DMAR | tail -n 6 | tap_diag
	fi
}

# check_t1_json NAME: the record's faults are edufault's two, in container
# 1, with the device and the process that attached it
check_t1_json() {
	grep '^{"dmatrace_record"' $W/$1.out > $W/$1.rec
	got=$(jq -c '[.faults[] | [.container, .iova, .pid, .comm, .device]]' $W/$1.rec)
	want="[[1,\"$PAST\",$PID,\"edufault\",\"$DEV\"],[1,\"$UNMAPPED\",$PID,\"edufault\",\"$DEV\"]]"
	if [ "$got" = "$want" ]; then
		tap_ok "$1: JSON faults are $want (container, iova, pid, comm, device)"
	else
		tap_not_ok "$1: JSON faults are $want (container, iova, pid, comm, device), got $got"
		tap_diag < $W/$1.err
	fi
	check_lines "$1 JSON" "$(jq -r '.faults[].line' $W/$1.rec)" "container 1"
}

# Native type1 (/dev/vfio/vfio): the group attach names the container
run_type1() {
	d0=$(dmesg_count 0x102000) u0=$(dmesg_count 0x200000)
	bin/dmatrace -j --target kernel -- \
		sh -c "exec bin/edufault --type1 $BDF > $W/type1.edu" > $W/type1.out 2> $W/type1.err
	rc=$?
	if [ $rc = 0 ]; then
		tap_ok "type1: dmatrace -- edufault --type1 exits 0"
	else
		tap_not_ok "type1: dmatrace -- edufault --type1 exits 0 (status $rc)"
		cat $W/type1.err $W/type1.edu | tap_diag
	fi
	edu_report type1
	check_dmesg type1 $d0 $u0
	check_t1_json type1
}

# held_run NAME EDUFAULT_ARGS...: edufault --hold ARGS, set up before
# dmatrace starts; then dmatrace violations -j -p PID, and edufault let go
# once the probes are live
held_run() {
	name=$1
	shift
	d0=$(dmesg_count 0x102000) u0=$(dmesg_count 0x200000)
	# the fifo on the guest's own tmpfs: the share ($W) is no place for one
	fifo=/tmp/$name.in
	rm -f $fifo
	mkfifo $fifo
	bin/edufault --hold "$@" < $fifo > $W/$name.edu 2> $W/$name.edu.err &
	e=$!
	exec 3> $fifo
	i=0
	while ! grep -q '^held pid' $W/$name.edu && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	bin/dmatrace violations -j -p $e --target kernel > $W/$name.out 2> $W/$name.err &
	t=$!
	i=0
	while ! grep -q "Tracing DMA" $W/$name.err && kill -0 $t 2> /dev/null &&
	      [ $i -lt 900 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	echo go >&3
	exec 3>&-
	rm -f $fifo
	wait $e
	erc=$?
	sleep 1
	kill -INT $t
	wait $t
	trc=$?
	if [ $erc = 0 ] && [ $trc = 0 ]; then
		tap_ok "$name: edufault --hold $*, dmatrace -p after its setup: both exit 0"
	else
		tap_not_ok "$name: edufault --hold $*, dmatrace -p after its setup: both exit 0 (edufault $erc, dmatrace $trc)"
		cat $W/$name.err $W/$name.edu.err | tap_diag
	fi
	edu_report $name
	check_dmesg $name $d0 $u0
}

run_traced fentry -j
check_json fentry
tap_check "fentry: attach report has no kprobe" grep -qE 'points live: fentry [0-9]+ tp_btf 1(;|$)' $W/fentry.err

run_traced text violations
check_lines "text view" "$(grep '^FAULT' $W/text.out)"
tap_check "text view: the tally counts 3 faults" grep -q '; 3 faults$' $W/text.out

run_traced kprobe -j --force-kprobe
check_json kprobe

# native type1: traced from the group attach, then held before tracing
run_type1
held_run t1held --type1 $BDF
check_t1_json t1held
tap_check "t1held: the snapshot read the container edufault held, with its 2 mappings" \
	grep -q '^dmatrace: snapshot: 1 type1 container(s) held before tracing started, with 2 mapping(s) ' $W/t1held.err

# iommufd: bound, attached and mapped before dmatrace started (the
# snapshot of its context), unmapped and replaced after
held_run ioheld $cdev
check_json ioheld
tap_check "ioheld: the snapshot read the IOAS edufault held, with its 2 areas" \
	grep -q '^dmatrace: snapshot: 1 iommufd IOAS(es) held before tracing started, with 2 area(s) ' $W/ioheld.err
tap_end
