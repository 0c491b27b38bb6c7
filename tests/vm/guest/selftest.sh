# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/40-selftest.t: the kernel's own iommufd selftest
# (build/ksft/iommufd, tools/vm/build-ksft.sh) as the workload under
# `dmatrace -j --target kernel`, with fentry and with --force-kprobe. Per
# run: dmatrace exits with the selftest's status, is attached the way it
# says (bpftool, from inside the workload), reports a record with nothing
# dropped or missed, its per-op counts equal the ftrace count of the same
# kernel functions (tests/vm/guest/count.sh), its histograms count every
# op. The selftest's own results are reported as comments, not verdicts.
#   selftest.sh KSFT_BINARY SELFTEST_ARGS...
. tests/host/lib.sh
. tests/vm/guest/count.sh
W=/mnt/selftest
mkdir -p $W
KSFT=$1
shift
command -v jq >/dev/null || { ok 1 "jq is installed (make deps)"; done_testing; exit 0; }
for b in "$DMATRACE" "$KSFT"; do
	[ -x "$b" ] || { ok 1 "$b is built"; done_testing; exit 0; }
done
# The hugepage tests (MAP_HUGETLB) need a pool
echo 16 > /proc/sys/vm/nr_hugepages

# run_selftest NAME DMATRACE_OPTION: leaves $W/NAME.{rec,ksft,rc,err}
# and the attach snapshot in $W/NAME/
run_selftest() {
	name=$1 mode=$2
	shift 2
	mkdir -p $W/$name
	count_start
	t0=$(date +%s)
	# shellcheck disable=SC2086
	"$DMATRACE" -j --target kernel $mode -- sh -c '
		. tests/vm/guest/count.sh
		attach_snapshot "$0"
		"$@" > "$0.ksft" 2>&1
		rc=$?
		echo $rc > "$0.rc"
		exit $rc' $W/$name "$KSFT" "$@" > $W/$name.out 2> $W/$name.err
	rc=$?
	count_stop $W/$name.count
	echo "# $name: dmatrace and the selftest: $(($(date +%s) - t0)) s under emulation"
	grep '^{"dmatrace_record"' $W/$name.out > $W/$name.rec
}

check_selftest() {
	name=$1
	is "$rc" "$(cat $W/$name.rc 2>/dev/null)" \
		"$name: dmatrace exits with the selftest's status"
	[ -s $W/$name.err ] && sed 's/^/#   dmatrace: /' $W/$name.err | head -n 10
	totals=$(sed -n 's/^# Totals: //p' $W/$name.ksft)
	echo "# $name: selftest $totals"
	grep '^not ok' $W/$name.ksft | sed 's/^/#   selftest: /'
	pass=$(echo "$totals" | sed -n "s/^pass:\([0-9]*\) .*/\1/p")
	[ "${pass:-0}" -gt 0 ]
	ok $? "$name: the selftest ran and passed tests (${pass:-no} passed)"
	[ -s $W/$name.rec ]
	ok $? "$name: dmatrace printed its JSON record"
	is "$(jq -c '.counters' $W/$name.rec)" \
	   '{"rb_drops":0,"stash_miss":0,"read_fail":0,"areas_full":0}' \
		"$name: no drops, no missed exits"
	is "$(count_ops $W/$name.rec)" "$(cat $W/$name.count)" \
		"$name: per-op counts equal the ftrace count of the same functions"
	maps=$(jq '.map // 0' $W/$name.count 2>/dev/null)
	[ "${maps:-0}" -gt 0 ]
	ok $? "$name: ftrace counted map calls: $(cat $W/$name.count)"
	is "$(jq -c '[.histograms[].count] | add // 0' $W/$name.rec)" \
	   "$(jq -c '[.summary.ops[][]] | add // 0' $W/$name.rec)" \
		"$name: histograms count every op"
}

run_selftest fentry "" "$@"
check_selftest fentry
is "$(attached_kprobes $W/fentry)" "" "fentry: no kprobes attached (bpftool perf show)"
[ "$(attached_fentry $W/fentry)" -ge 8 ]
ok $? "fentry: fentry links attached (bpftool link show: $(attached_fentry $W/fentry))"

run_selftest kprobe --force-kprobe "$@"
check_selftest kprobe
is "$(reported_tracing_links $W/fentry.err)" "$(attached_tracing_links $W/fentry)" \
	"fentry: dmatrace's attach report counts the fentry and fexit links bpftool sees"
is "$(missing_kprobes $W/kprobe)" "" "kprobe: kprobes live on every handler (bpftool perf show)"
is "$(reported_points $W/kprobe.err kprobe)" "$(attached_kprobe_count $W/kprobe)" \
	"kprobe: dmatrace's attach report counts the kprobed functions bpftool sees"
is "$(attached_fentry $W/kprobe)" 0 "kprobe: no fentry links (bpftool link show)"
done_testing
exit 0
