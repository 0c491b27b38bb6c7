# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/30-dmatrace.t: dmatrace on the real kernel sees
# exactly what dmaload did on /dev/iommu: with fentry (the default here)
# and with kprobes forced, the summary of `dmatrace -j -- dmaload --json`
# equals dmaload's ground truth, the histograms count every op, nothing was
# dropped; per-op counts equal an ftrace count of the same kernel functions
# during the same run (tests/vm/guest/count.sh), and bpftool, from inside
# the workload, sees the probes attached as asked (kprobes only, or fentry
# only). Reuses the host tier's helpers (TAP, jq normalisation).
. tests/host/lib.sh
. tests/vm/guest/count.sh
W=/mnt/dmatrace
mkdir -p $W
command -v jq >/dev/null || { ok 1 "jq is installed (make deps)"; done_testing; exit 0; }
for b in "$DMATRACE" "$DMALOAD"; do
	[ -x "$b" ] || { ok 1 "$b is built (run make before the VM tier)"; done_testing; exit 0; }
done

# check_run DESCRIPTION DMATRACE_OPTION DMALOAD_ARGS...
check_run() {
	desc=$1 mode=$2
	shift 2
	mkdir -p $W/attach
	count_start
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	"$DMATRACE" -j --target kernel $mode -- \
		sh -c ". tests/vm/guest/count.sh; attach_snapshot $W/attach;
			exec \"\$0\" \"\$@\" --json > $W/out" \
		"$DMALOAD" --backend kernel "$@" > $W/record 2> $W/err
	rc=$?
	count_stop $W/count
	echo "# $desc: $(echo "$(date +%s.%N) - $t0" | bc) s under emulation"
	is "$rc" 0 "$desc: dmatrace exits with dmaload's status 0"
	[ "$rc" = 0 ] || sed 's/^/#   /' $W/err | head -n 20
	tail -n 1 $W/out | normalise > $W/truth
	grep '^{"dmatrace_record"' $W/record > $W/rec
	jq '.summary' $W/rec | normalise > $W/summary
	same_json $W/summary $W/truth "$desc: summary equals dmaload's ground truth"
	is "$(jq -c '[.histograms[].count] | add // 0' $W/rec)" \
	   "$(jq -c '[.ops[][]] | add // 0' $W/truth)" \
		"$desc: histograms count every op"
	is "$(jq -c '.counters' $W/rec)" \
	   '{"rb_drops":0,"stash_miss":0,"read_fail":0,"areas_full":0}' \
		"$desc: no drops, no missed exits"
	is "$(count_ops $W/rec)" "$(cat $W/count)" \
		"$desc: per-op counts equal the ftrace count"
	if [ "$mode" = --force-kprobe ]; then
		is "$(missing_kprobes $W/attach)" "" \
			"$desc: live on kprobes on every handler (bpftool perf show)"
		is "$(attached_fentry $W/attach)" 0 "$desc: no fentry links"
		is "$(reported_points $W/err kprobe)" "$(attached_kprobe_count $W/attach)" \
			"$desc: dmatrace's attach report counts the kprobed functions bpftool sees"
	else
		is "$(attached_kprobes $W/attach)" "" "$desc: no kprobes (bpftool perf show)"
		[ "$(attached_fentry $W/attach)" -ge 8 ]
		ok $? "$desc: on fentry links (bpftool link show: $(attached_fentry $W/attach))"
		is "$(reported_tracing_links $W/err)" "$(attached_tracing_links $W/attach)" \
			"$desc: dmatrace's attach report counts the fentry and fexit links bpftool sees"
	fi
}

# What --force-kprobe plans, before trusting the runs below
"$DMATRACE" probe --target kernel --force-kprobe > $W/probe 2>&1
grep -q '^iommufd_ioas_map  *kprobe' $W/probe
ok $? "--force-kprobe plans a kprobe on iommufd_ioas_map"

# The planner's backends on this kernel: iommufd, its type1 compat, the
# faults and native type1 (VFIO built in) live, the seed's windows absent
# (reference only); the AMD fault point (the event log read at
# amd_iommu_int_handler) is in this kernel's BTF
"$DMATRACE" probe --target kernel -j > $W/probe.json 2>&1
is "$(jq -r '[.backends[] | .name + "=" + .state] | join(" ")' $W/probe.json)" \
   "iommufd=live iommufd-compat=live seed-windows=absent faults=live vfio-type1=live" \
	"probe: backends live and absent"
is "$(jq -r '.points[] | select(.name == "iommufd_hw_pagetable_attach") | .attach' $W/probe.json)" \
   fentry "probe: iommufd_hw_pagetable_attach on fentry (its fexit alone)"
is "$(jq -r '.points[] | select(.name == "amd_iommu_int_handler") | .attach' $W/probe.json)" \
   fentry "probe: the AMD fault point amd_iommu_int_handler on fentry"
"$DMATRACE" -j --target kernel -- true > /dev/null 2> $W/report
sed 's/^/# /' $W/report
grep -q '^dmatrace: backend iommufd: live (10 points: fentry 10)$' $W/report
ok $? "attach report: backend iommufd live on 10 fentry points"
grep -q '^dmatrace: backend iommufd-compat: live (1 point: fentry 1)$' $W/report
ok $? "attach report: backend iommufd-compat live on fentry"
grep -q '^dmatrace: backend seed-windows: absent (reference only)$' $W/report
ok $? "attach report: backend seed-windows absent (reference only)"
grep -q '^dmatrace: backend faults: live (6 points: fentry 5 tp_btf 1)$' $W/report
r=$?
ok $r "attach report: backend faults live on 6 points, the AMD one too"
[ $r = 0 ] || sed 's/^/#   /' $W/report
"$DMATRACE" -j --target kernel --force-kprobe -- true > /dev/null 2> $W/report
grep -q '^dmatrace: backend iommufd: live (10 points: kprobe 10; iommufd_ioas_alloc_ioctl on kprobe;' $W/report
r=$?
ok $r "attach report, --force-kprobe: backend iommufd live on kprobes"
[ $r = 0 ] || sed 's/^/#   /' $W/report

for scenario in vm-boot dpdk violations churn; do
	check_run "fentry, $scenario" "" --scenario $scenario --seed 1
done
check_run "fentry, churn 2 threads" "" --scenario churn --seed 3 --threads 2
for scenario in dpdk violations; do
	check_run "kprobe, $scenario" --force-kprobe --scenario $scenario --seed 1
done
check_run "kprobe, tests/scripts/type1.dms" --force-kprobe --script tests/scripts/type1.dms

# The state at start: dmaload builds its IOAS and holds it (--hold), then
# `dmatrace windows -j -p PID` starts: the record's IOASes (areas, bytes,
# allowed and reserved ranges) equal dmaload's ground truth, read by the
# snapshot alone (no op is traced after it)
held_dmaload() {
	fifo=/tmp/dmaload.hold
	rm -f $fifo
	mkfifo $fifo
	"$DMALOAD" --backend kernel --scenario vm-boot --seed 1 --json --hold \
		< $fifo > $W/held.out 2> $W/held.err &
	d=$!
	exec 3> $fifo
	i=0
	while ! grep -q '^held pid' $W/held.out && kill -0 $d 2> /dev/null &&
	      [ $i -lt 600 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	"$DMATRACE" windows -j -p $d --target kernel > $W/held.rec 2> $W/held.terr &
	t=$!
	i=0
	while ! grep -q "Tracing DMA" $W/held.terr && kill -0 $t 2> /dev/null &&
	      [ $i -lt 900 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -INT $t
	wait $t
	trc=$?
	echo go >&3
	exec 3>&-
	rm -f $fifo
	wait $d
	is "$?:$trc" 0:0 "held: dmaload --hold and dmatrace windows -p after it exit 0"
	sed 's/^/# /' $W/held.terr | grep snapshot
	grep '^{"ops"' $W/held.out | jq -S -c '.ioas' > $W/held.truth
	grep '^{"dmatrace_record"' $W/held.rec | jq -S -c '.summary.ioas' > $W/held.got
	[ -s $W/held.truth ] && [ "$(jq length $W/held.truth)" -gt 0 ]
	ok $? "held: dmaload's ground truth has its IOAS ($(cat $W/held.truth | cut -c1-120))"
	same_json $W/held.got $W/held.truth \
		"held: the snapshot's IOASes (areas, bytes, allowed, reserved) equal dmaload's ground truth"
	n=$(jq '[.[].areas] | add' $W/held.truth)
	b=$(jq '[.[].mapped_bytes] | add' $W/held.truth)
	grep -q "^dmatrace: snapshot: $(jq length $W/held.truth) iommufd IOAS(es) held before tracing started, with $n area(s) " $W/held.terr
	ok $? "held: the snapshot line counts the $n areas ($b bytes) of dmaload's IOAS"
	is "$(grep '^{"dmatrace_record"' $W/held.rec | jq -c '[.windows[] | select(.snapshot) | [.pid, .comm]]')" \
	   "[[$d,\"dmaload\"]]" "held: the record marks the IOAS as read at start and names its client"
	is "$(grep '^{"dmatrace_record"' $W/held.rec | jq -c '.counters')" \
	   '{"rb_drops":0,"stash_miss":0,"read_fail":0,"areas_full":0}' \
		"held: no drops, no failed reads, no walk cut short"
}
held_dmaload
done_testing
exit 0
