#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmatrace's command line: bad input gets one clear line and a non-zero
# exit; probe, filters, Ctrl-C and the exit code of -- CMD behave.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fails() {	# fails WANT_MESSAGE_PART DESCRIPTION ARGS...: rc != 0, one line
	want=$1
	desc=$2
	shift 2
	"$DMATRACE" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	rc=$?
	ok "$([ $rc != 0 ] && echo 0 || echo 1)" "$desc: non-zero exit ($rc)"
	is "$(wc -l < "$tmp/err")" 1 "$desc: one line on stderr"
	grep -q -- "$want" "$tmp/err"
	ok $? "$desc: says '$want'"
	[ $? = 0 ] || sed 's/^/#   /' "$tmp/err"
}

# Errors found before any BPF: no root needed
fails "unknown command 'bogus'" "unknown command" bogus
fails "bad option '--bogus'" "unknown option" latency --bogus
fails "unknown op 'mapp'" "unknown op name" latency --op mapp
fails "bad IOAS id 'x'" "bad IOAS id" latency --ioas x
fails "bad pid 'abc'" "bad pid" latency -p abc
fails "no such process: 2147483647" "pid that does not exist" latency -p 2147483647
fails "reference library not found: $tmp/none.so" "missing target library" \
	latency --target "ref:$tmp/none.so"
fails "bad --target 'vm'" "bad target" latency --target vm
fails "nothing to run after --" "empty command" --
fails "unexpected argument 'x'" "stray argument" windows x
fails "bad --by 'pid,disk'" "unknown --by dimension" latency --by pid,disk
fails "-j, --openmetrics and --prometheus exclude each other" "two output formats" latency -j --openmetrics
fails "cannot run $tmp/none" "command that cannot run, found before attaching" \
	--target ref -- "$tmp/none"
# A directory or a file without x: refused the same way, before any probe
# (the one line on stderr is not preceded by an attach report), exit 127
fails "cannot run $tmp: Is a directory" "a directory as the command, found before attaching" \
	--target ref -- "$tmp"
is "$rc" 127 "a directory as the command: exit 127"
mkdir "$tmp/pathdir" && mkdir "$tmp/pathdir/dmaload-dir"
PATH="$tmp/pathdir:$PATH" fails "cannot run dmaload-dir: Is a directory" \
	"a directory found in PATH, refused as exec would" --target ref -- dmaload-dir
printf '#!/bin/sh\n' > "$tmp/noexec"
fails "cannot run $tmp/noexec: Permission denied" "a file without x, found before attaching" \
	--target ref -- "$tmp/noexec"
is "$rc" 127 "a file without x: exit 127"
fails "reference library $tmp: not a regular file" "a directory as the reference library" \
	latency --target "ref:$tmp"
if ! "$DMATRACE" probe --target kernel -j | jq -e '.missing_required == 0' >/dev/null; then
	# This kernel cannot be traced: an explicit kernel target must say so
	if [ ! -e /dev/iommu ] && [ ! -e /sys/module/iommufd ] && [ ! -e /sys/module/vfio ]; then
		fails "neither iommufd nor VFIO" "kernel target without iommufd/VFIO" \
			latency --target kernel
	fi
fi

# --target ref:PATH is resolved once, made absolute, for probe and for
# tracing alike: a relative name is a file of the current directory
lib=$(cd bin && pwd -P)/libdmaref.so
is "$(cd bin && "../$DMATRACE" probe --target ref:libdmaref.so -j | jq -r '.library + " " + (.traceable | tostring)')" \
	"$lib true" "probe --target ref:NAME in its directory: the library's absolute path, traceable"
is "$(cd bin/.. && "$DMATRACE" probe --target ref:bin/libdmaref.so -j | jq -r .library)" "$lib" \
	"probe --target ref:DIR/NAME: made absolute"
is "$("$DMATRACE" probe --target ref -j | jq -r .library)" "$lib" \
	"probe --target ref: the library next to the binary"
fails "reference library not found: libdmaref.so" "ref:NAME where there is none: not searched elsewhere" \
	probe --target ref:libdmaref.so

# probe: every ref entry point is found in the library, by uprobe
"$DMATRACE" probe --target ref -j > "$tmp/probe"
is "$?" 0 "probe --target ref runs"
is "$(jq -r '[.points[] | select(.optional | not) | .attach] | unique | join(",")' "$tmp/probe")" \
   uprobe "probe: required points attach by uprobe"
is "$(jq -r '.missing_required' "$tmp/probe")" 0 "probe: nothing required missing"
"$DMATRACE" probe --target ref:/bin/sh -j > "$tmp/probe"
is "$(jq -r '.points[0].detail' "$tmp/probe")" "symbol not found in /bin/sh" \
	"probe: a library without the symbols says why"
is "$("$DMATRACE" probe --target ref -j | jq -r '[.backends[] | .name + "=" + .state] | join(" ")')" \
   "iommufd=live iommufd-compat=live seed-windows=live faults=absent vfio-type1=live" \
	"probe: the ref target's backends, faults absent (kernel only)"
"$DMATRACE" probe --target kernel > "$tmp/probe"
is "$?" 0 "probe --target kernel runs on any kernel"
grep -q '^iommufd_ioas_map ' "$tmp/probe"
ok $? "probe --target kernel lists iommufd_ioas_map"

# Without root: one line, before loading anything
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$DMATRACE" latency --target ref > "$tmp/out" 2> "$tmp/err"
	rc=$?
	ok "$([ $rc != 0 ] && echo 0 || echo 1)" "not root: non-zero exit"
	grep -q "needs root" "$tmp/err"
	ok $? "not root: says it needs root"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$DMATRACE" probe --target kernel > "$tmp/out" 2> "$tmp/err"
	rc=$?
	ok "$([ $rc != 0 ] && echo 0 || echo 1)" "not root: probe of the kernel exits non-zero"
	grep -q "^not root: cannot tell what will attach" "$tmp/out"
	ok $? "not root: probe says it cannot tell"
fi

if [ "$(id -u)" != 0 ] || ! bpftool prog list >/dev/null 2>&1; then
	T_N=$((T_N + 1))
	echo "ok $T_N # SKIP the tracing half of dmatrace's CLI tests: needs root and BPF"
	done_testing
	exit
fi

# What is live is said in one line on stderr, before the command runs
"$DMATRACE" latency --target ref -- true > /dev/null 2> "$tmp/err"
is "$(grep -c '^dmatrace: 19 of 19 points live: uprobe 19$' "$tmp/err")" 1 \
	"attach report: every ref point live by uprobe, said once"
is "$(sed -n '2,$p' "$tmp/err")" "dmatrace: backend iommufd: live (10 points: uprobe 10)
dmatrace: backend iommufd-compat: live (1 point: uprobe 1)
dmatrace: backend seed-windows: live (2 points: uprobe 2)
dmatrace: backend faults: absent (kernel only)
dmatrace: backend vfio-type1: live (6 points: uprobe 6)
dmatrace: links: uprobe_multi 1 (19 points) uretprobe_multi 1 (17 points)
dmatrace: no probe was hit: true on $(cd bin && pwd -P)/libdmaref.so: it made no call into that library: it may load another copy of libdmaref.so (--target ref:PATH names the one it loads) or make no DMA op" \
	"attach report: then one line per backend and the links (and, true hitting no probe, its warning)"

# The links as the kernel has them (bpftool, while the command runs): two
# uprobe_multi links on the library, 19 entries and 17 returns; with
# DMATRACE_UPROBE_MULTI=0 (a kernel before 6.6) one perf_event link each
lib=$(cd bin && pwd -P)/libdmaref.so
"$DMATRACE" latency --target ref -- sh -c "bpftool link show -j > $tmp/links.json" \
	> /dev/null 2>&1
is "$(jq -c --arg lib "$lib" '[.[] | select(.type == "uprobe_multi" and .path == $lib) |
	[.retprobe, .func_cnt]] | sort' "$tmp/links.json")" '[[false,19],[true,17]]' \
	"bpftool: one uprobe_multi link of 19 entries and one of 17 returns on the library"
DMATRACE_UPROBE_MULTI=0 "$DMATRACE" latency --target ref -- \
	sh -c "bpftool link show -j > $tmp/links0.json" > /dev/null 2> "$tmp/err"
is "$(grep '^dmatrace: links:' "$tmp/err")" \
	"dmatrace: links: uprobe 19 uretprobe 17 (one link each: DMATRACE_UPROBE_MULTI=0)" \
	"fallback: one uprobe link per point, and why"
is "$(jq --arg lib "$lib" '[.[] | select(.type == "perf_event" and .file == $lib)] | length' "$tmp/links0.json")" 36 \
	"bpftool: the fallback's 36 perf_event links"

# Both ways see the same: counts per histogram key, windows, violations
views_of() {
	jq -c '[[.histograms[] | [.op, .ret, .size_log2, .count, .bytes]],
		[.windows[] | [.id, .mapped_bytes, .areas]],
		[.violations[] | .kind] | sort]' "$1"
}
for m in 1 0; do
	DMATRACE_UPROBE_MULTI=$m "$DMATRACE" -j -o "$tmp/rec$m.json" --target ref -- \
		"$DMALOAD" --scenario violations --ops 300 > /dev/null 2>&1
done
is "$(views_of "$tmp/rec0.json")" "$(views_of "$tmp/rec1.json")" \
	"uprobe_multi and one link per point: the same histograms, windows and violations"
ok "$([ "$(jq '[.histograms[].count] | add' "$tmp/rec1.json")" = 300 ] && echo 0 || echo 1)" \
	"uprobe_multi: the histograms count all 300 ops of the scenario"

# A stripped library (no .symtab, only .dynsym, as packages ship it): the
# offsets are ours, both ways (libbpf 1.4.6's lookup by name fails there)
mkdir -p "$tmp/stripped"
cp "$DMALOAD" "$tmp/stripped/dmaload" && cp bin/libdmaref.so "$tmp/stripped/"
strip "$tmp/stripped/libdmaref.so"
is "$(readelf -S "$tmp/stripped/libdmaref.so" | grep -c '\.symtab')" 0 "the stripped copy has no .symtab"
for m in 1 0; do
	DMATRACE_UPROBE_MULTI=$m "$DMATRACE" -j -o "$tmp/strip$m.json" \
		--target "ref:$tmp/stripped/libdmaref.so" -- \
		"$tmp/stripped/dmaload" --scenario churn --ops 500 > /dev/null 2>&1
	is "$(jq '[.histograms[].count] | add' "$tmp/strip$m.json")" 500 \
		"stripped library, DMATRACE_UPROBE_MULTI=$m: all 500 ops counted"
done

# A backend is attached as a whole: a library with the type1 front only
# traces it (iommufd absent: reported, no error); one with part of
# iommufd's handlers does not start
printf 'int %s(void) { return 0; }\n' iommufd_vfio_ioctl > "$tmp/compat.c"
printf 'int %s(void) { return 0; }\n' iommufd_ioas_alloc_ioctl iommufd_ioas_map \
	> "$tmp/partial.c"
if cc -shared -fPIC -o "$tmp/compat.so" "$tmp/compat.c" &&
   cc -shared -fPIC -o "$tmp/partial.so" "$tmp/partial.c"; then
	"$DMATRACE" latency --target "ref:$tmp/compat.so" -- true > /dev/null 2> "$tmp/err"
	is "$?" 69 "absent backend: tracing starts on the backend that is there (exit 69: true hits no probe)"
	grep -q '^dmatrace: backend iommufd: absent (10 points missing, e.g. iommufd_ioas_alloc_ioctl: symbol not found in ' "$tmp/err"
	ok $? "absent backend: reported as absent, with a reason"
	grep -q '^dmatrace: backend iommufd-compat: live (1 point: uprobe 1)$' "$tmp/err"
	ok $? "absent backend: the other backend live"
	fails "backend iommufd partially present: 8 of 10 points missing, e.g. iommufd_destroy: symbol not found in $tmp/partial.so" \
		"partially present backend" latency --target "ref:$tmp/partial.so" -- true
else
	T_N=$((T_N + 1))
	echo "ok $T_N # SKIP no C compiler for the backend-as-a-whole tests"
fi

# --openmetrics: a Prometheus histogram per op, closed by # EOF
"$DMATRACE" latency --openmetrics --target ref -- \
	"$DMALOAD" --scenario dpdk --seed 1 --ops 200 > "$tmp/om" 2> /dev/null
is "$?" 0 "--openmetrics: exit 0"
is "$(tail -n 1 "$tmp/om")" "# EOF" "--openmetrics: ends with # EOF"
grep -q '^dmatrace_op_latency_seconds_count{op="map",backend="iommufd",ret="0",' "$tmp/om"
ok $? "--openmetrics: a _count series for successful maps"

# -o FILE: the record or the exposition goes to FILE, nothing to stdout
"$DMATRACE" latency -j -o "$tmp/rec.json" --target ref -- \
	sh -c '"$1" --scenario dpdk --seed 1 --ops 200 > /dev/null' sh "$DMALOAD" \
	> "$tmp/out" 2> /dev/null
is "$?:$(wc -c < "$tmp/out" | tr -d ' ')" 0:0 "-j -o FILE: exit 0, nothing on stdout"
jq -e '.dmatrace_record == 1 and (.histograms | length) > 0' "$tmp/rec.json" > /dev/null
ok $? "-j -o FILE: FILE holds the record"
# a real record passes diff's checks (slots sum to the counts) against itself
"$DMATRACE" diff "$tmp/rec.json" "$tmp/rec.json" > "$tmp/diff" 2>&1
is "$?:$(tail -n 1 "$tmp/diff" | cut -d'(' -f1)" "0:no op regressed by more than 10.0% at p99 " \
	"diff of a real record against itself: exit 0"
"$DMATRACE" latency --openmetrics -o "$tmp/om2" --target ref -- \
	sh -c '"$1" --scenario dpdk --seed 1 --ops 200 > /dev/null' sh "$DMALOAD" \
	> "$tmp/out" 2> /dev/null
is "$?:$(wc -c < "$tmp/out" | tr -d ' '):$(tail -n 1 "$tmp/om2")" "0:0:# EOF" \
	"--openmetrics -o FILE: exit 0, the exposition in FILE"
fails "cannot open $tmp/nodir/om: No such file or directory" "-o into a missing directory" \
	latency --openmetrics -o "$tmp/nodir/om" --target ref -- true
# A full disk: one line that says so, non-zero exit (with -o and with >)
"$DMATRACE" -j -o /dev/full --target ref -- \
	"$DMALOAD" --scenario dpdk --seed 1 --ops 200 > /dev/null 2> "$tmp/err"
rc=$?
is "$rc:$(tail -n 1 "$tmp/err")" "1:dmatrace: writing /dev/full: No space left on device" \
	"-j -o /dev/full: exit 1, the write error said"
"$DMATRACE" latency --openmetrics --target ref -- sh -c '"$1" --scenario dpdk --ops 200 > /dev/null' \
	sh "$DMALOAD" > /dev/full 2> "$tmp/err"
rc=$?
is "$rc:$(tail -n 1 "$tmp/err")" "1:dmatrace: writing stdout: No space left on device" \
	"--openmetrics > /dev/full: exit 1, the write error said"
"$DMATRACE" --target ref -- sh -c '"$1" --scenario dpdk --ops 200 > /dev/null' \
	sh "$DMALOAD" > /dev/full 2> "$tmp/err"
rc=$?
is "$rc:$(tail -n 1 "$tmp/err")" "1:dmatrace: writing stdout: No space left on device" \
	"text views > /dev/full: exit 1, the write error said"

# latency interval [count] -- CMD: periodic output while CMD runs
elapsed() { echo $(( $(date +%s) - $1 )); }
t0=$(date +%s)
"$DMATRACE" latency -j 1 2 --target ref -- \
	sh -c '"$1" --scenario dpdk --seed 1 --ops 50 > /dev/null; exec sleep 30' sh "$DMALOAD" \
	> "$tmp/iv" 2> "$tmp/err"
rc=$?
took=$(elapsed "$t0")
is "$rc:$(grep -c '^{"dmatrace_record"' "$tmp/iv")" 0:2 \
	"latency -j 1 2 -- CMD: two records, exit 0 when the count ends first"
[ "$took" -lt 25 ]
ok $? "latency -j 1 2 -- CMD: CMD (sleep 30) ended after the count (took ${took}s)"
is "$(jq -s '[.[].histograms[].count] | add' "$tmp/iv")" 50 \
	"latency -j 1 2 -- CMD: the 50 ops are in the records"
"$DMATRACE" latency -j 1 --target ref -- \
	sh -c 'sleep 1.3; "$1" --scenario dpdk --seed 1 --ops 200 > /dev/null; exit 5' sh "$DMALOAD" \
	> "$tmp/iv" 2> "$tmp/err"
rc=$?
n=$(grep -c '^{"dmatrace_record"' "$tmp/iv")
is "$rc" 5 "latency -j 1 -- CMD: exits with CMD's code when it ends first"
[ "$n" -ge 2 ]
ok $? "latency -j 1 -- CMD: a record per interval and the last, partial one ($n)"
is "$(jq -s '[.[].histograms[].count] | add' "$tmp/iv")" 200 \
	"latency -j 1 -- CMD: nothing lost in the last, partial interval"
"$DMATRACE" latency -T 1 3 --target ref -- \
	sh -c '"$1" --scenario dpdk --seed 1 --ops 50 > /dev/null; exec sleep 30' sh "$DMALOAD" \
	> "$tmp/iv" 2> "$tmp/err"
is "$?:$(grep -c '^rb_drops ' "$tmp/iv"):$(grep -c '^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] *$' "$tmp/iv")" 0:3:3 \
	"latency -T 1 3 -- CMD: three text intervals, each with its timestamp"

# --by pid,ioas: histograms kept apart by process and IOAS
"$DMATRACE" latency --by pid,ioas --target ref -- \
	"$DMALOAD" --scenario dpdk --seed 1 --ops 200 > "$tmp/out" 2> /dev/null
grep -q '^op = map  ret = 0 .* ioas = 1  pid = [0-9][0-9]* (dmaload)$' "$tmp/out"
ok $? "--by pid,ioas: histogram headers name the IOAS, the pid and its comm"

fails "symbol not found in /bin/sh" "library without the entry points" \
	latency --target ref:/bin/sh
fails "cannot run $tmp/none" "command that cannot run" \
	--target ref -- "$tmp/none"

# The same relative ref:NAME traces: tracing attaches where probe looked
(cd bin && "../$DMATRACE" -j --target ref:libdmaref.so -- ./dmaload --scenario dpdk --seed 1 --ops 50) \
	> "$tmp/rec" 2> "$tmp/err"
is "$?:$(grep '^{"dmatrace_record"' "$tmp/rec" | jq '[.histograms[].count] | add')" "0:50" \
	"--target ref:NAME in its directory: tracing attaches to that library (50 ops seen)"

# -- CMD: its exit code is dmatrace's
"$DMATRACE" --target ref -- sh -c '"$1" --scenario dpdk --ops 20 > /dev/null; exit 3' sh "$DMALOAD" \
	> /dev/null 2> "$tmp/err"
is "$?:$(grep -c 'no probe was hit' "$tmp/err")" 3:0 "-- CMD: exits with the command's exit code"

# -- CMD that hits no probe: the views, a warning naming the likely reason,
# exit 69 (README); CMD's own failure wins over 69, the warning stays
"$DMATRACE" -j --target ref -- true > "$tmp/rec" 2> "$tmp/err"
is "$?" 69 "-- true: no probe hit, exit 69"
is "$(grep -c '^{"dmatrace_record"' "$tmp/rec")" 1 "-- true: the record is still written"
is "$(grep 'no probe was hit' "$tmp/err")" \
   "dmatrace: no probe was hit: true on $lib: it made no call into that library: it may load another copy of libdmaref.so (--target ref:PATH names the one it loads) or make no DMA op" \
   "-- true: one warning line with the likely reason"
"$DMATRACE" --target ref -- sh -c 'exit 3' > /dev/null 2> "$tmp/err"
is "$?:$(grep -c '^dmatrace: no probe was hit: sh on ' "$tmp/err")" 3:1 \
	"-- CMD failing without a probe hit: CMD's code, and the warning"
# dmaload and its own copy of libdmaref.so ($ORIGIN rpath) elsewhere: the
# library probed is never called
mkdir "$tmp/copy" && cp "$DMALOAD" bin/libdmaref.so "$tmp/copy/"
"$DMATRACE" -j --target ref -- "$tmp/copy/dmaload" --scenario dpdk --ops 20 > "$tmp/rec" 2> "$tmp/err"
is "$?:$(grep -c "^dmatrace: no probe was hit: $tmp/copy/dmaload on $lib: .*another copy of libdmaref.so" "$tmp/err")" 69:1 \
	"a command loading another copy of libdmaref.so: warned, exit 69"
"$DMATRACE" -j --target "ref:$tmp/copy/libdmaref.so" -- "$tmp/copy/dmaload" --scenario dpdk --ops 20 > "$tmp/rec" 2> "$tmp/err"
is "$?:$(grep -c 'no probe was hit' "$tmp/err")" 0:0 "the same command with --target ref:ITS_COPY: traced, exit 0"
"$DMATRACE" latency -j --target ref --op copy -- true > /dev/null 2> "$tmp/err"
is "$?:$(grep -c '^dmatrace: no probe was hit: true on .*none of its ops matched --op/--ioas' "$tmp/err")" 69:1 \
	"--op with no hit: the filter named as a likely reason, exit 69"
"$DMATRACE" latency -j 1 1 --target ref -- sleep 5 > /dev/null 2> "$tmp/err"
is "$?:$(grep -c 'no probe was hit' "$tmp/err")" 69:1 \
	"latency 1 1 -- CMD ended after the count without a hit: exit 69, warned"

# -- CMD: its children are traced (dmaload forked by a shell, not exec'd)
"$DMATRACE" -j --target ref -- sh -c '"$1" --scenario dpdk --seed 2 --json > "$2"; true' \
	sh "$DMALOAD" "$tmp/out" > "$tmp/rec" 2> "$tmp/err"
is "$?" 0 "-- CMD with a child: exit 0"
tail -n 1 "$tmp/out" | normalise > "$tmp/truth"
grep '^{"dmatrace_record"' "$tmp/rec" | jq '.summary' | normalise > "$tmp/summary"
same_json "$tmp/summary" "$tmp/truth" "-- CMD: a forked child is traced in full"

# -- CMD: a process outside it, making ops while it runs, is not counted
# (whether a thread is traced is asked once per thread and kept)
rm -f "$tmp/go"
mkfifo "$tmp/go"
sh -c 'read x < "$1"; shift; exec "$@"' sh "$tmp/go" \
	"$DMALOAD" --scenario vm-boot --seed 5 > /dev/null &
outside=$!
"$DMATRACE" -j --target ref -- sh -c 'echo go > "$1"
	"$2" --scenario dpdk --seed 2 --json > "$3"
	while kill -0 "$4" 2> /dev/null; do sleep 0.05; done' \
	sh "$tmp/go" "$DMALOAD" "$tmp/out" $outside > "$tmp/rec" 2> "$tmp/err"
is "$?" 0 "-- CMD beside an outside process: exit 0"
tail -n 1 "$tmp/out" | normalise > "$tmp/truth"
grep '^{"dmatrace_record"' "$tmp/rec" | jq '.summary' | normalise > "$tmp/summary"
same_json "$tmp/summary" "$tmp/truth" \
	"-- CMD: an outside process's ops are not counted, the command's all are"
is "$(grep '^{"dmatrace_record"' "$tmp/rec" | jq -c '.counters')" \
   '{"rb_drops":0,"stash_miss":0,"read_fail":0,"areas_full":0}' \
   "-- CMD beside an outside process: no stash miss"

# A read of traced memory that fails (the uAPI struct in a page the
# process has not touched: BPF cannot fault it in) is a loss: the record
# says which figures it affects, stderr says it once, exit 70
"$DMATRACE" -j --target ref -- bin/tests/host/nonresident "$tmp/nr.page" \
	> "$tmp/rec" 2> "$tmp/err"
is "$?" 70 "a failed read of traced memory: exit 70"
is "$(grep -c '^rc -' "$tmp/rec")" 1 "nonresident: its one VFIO_IOMMU_MAP_DMA ran (and failed: no IOMMU set)"
is "$(grep '^{"dmatrace_record"' "$tmp/rec" | jq -c '[.counters.read_fail, .lost.read_fail, .lost.lower_bound, [.histograms[].lower_bound]]')" \
   '[1,1,["histograms","windows","violations","faults"],[true]]' \
   "read_fail: counted, in lost, and the histogram marked a lower bound"
is "$(grep -c '^dmatrace: lost: read_fail 1 (a page not resident' "$tmp/err")" 1 \
   "read_fail: one line on stderr"

# --op: only that op's histograms
"$DMATRACE" latency -j --target ref --op unmap -- \
	"$DMALOAD" --scenario dpdk --seed 1 > "$tmp/rec" 2>&1
is "$(grep '^{"dmatrace_record"' "$tmp/rec" | jq -r '[.histograms[].op] | unique | join(",")')" \
   unmap "--op unmap: only unmap histograms"

# -p: a process that never calls the library: nothing traced
sleep 30 &
sleeper=$!
"$DMATRACE" latency -j --target ref -p $sleeper > "$tmp/rec" 2> "$tmp/err" &
tracer=$!
for i in $(seq 300); do grep -q "Hit Ctrl-C" "$tmp/err" 2>/dev/null && break; sleep 0.1; done
"$DMALOAD" --scenario dpdk --seed 1 > /dev/null
kill -INT $tracer
wait $tracer
is "$?" 0 "-p: Ctrl-C ends tracing with status 0"
kill $sleeper 2>/dev/null
is "$(jq -c '[.histograms[].count] | add // 0' "$tmp/rec")" 0 \
	"-p: another process's ops are not counted"

# -p PID, Ctrl-C: a process started before the tracer, held until the
# probes are live, is traced until Ctrl-C (other processes on this machine
# may use the library meanwhile: -p keeps them out)
rm -f "$tmp/go"
mkfifo "$tmp/go"
sh -c 'read x < "$1"; shift; exec "$@"' sh "$tmp/go" \
	"$DMALOAD" --scenario vm-boot --seed 5 --json > "$tmp/out" &
workload=$!
"$DMATRACE" -j --target ref -p $workload > "$tmp/rec" 2> "$tmp/err" &
tracer=$!
for i in $(seq 300); do grep -q "Hit Ctrl-C" "$tmp/err" 2>/dev/null && break; sleep 0.1; done
echo go > "$tmp/go"
wait $workload
tail -n 1 "$tmp/out" | normalise > "$tmp/truth"
kill -INT $tracer
wait $tracer
is "$?" 0 "Ctrl-C: prints the record and exits 0"
jq '.summary' "$tmp/rec" | normalise > "$tmp/summary"
same_json "$tmp/summary" "$tmp/truth" \
	"Ctrl-C: the summary equals dmaload's ground truth"

# violations: each line printed once, as it happens, then the tally
"$DMATRACE" violations --target ref -- \
	"$DMALOAD" --scenario violations --seed 1 --ops 300 > "$tmp/v" 2> /dev/null
want=$("$DMALOAD" --scenario violations --seed 1 --ops 300 --json | tail -n 1 | jq '.violations | length')
is "$(grep -c '^VIOLATION ' "$tmp/v")" "$want" "violations: one line per violation of the ground truth"
is "$(grep '^[0-9]* violations: ' "$tmp/v" | cut -d' ' -f1)" "$want" \
	"violations: the tally counts them"

# demo: every scenario, each with its three views, nothing lost
"$DMATRACE" demo > "$tmp/demo" 2> "$tmp/err"
rc=$?
is "$rc" 0 "demo exits 0"
[ "$rc" = 0 ] || sed 's/^/#   /' "$tmp/err"
is "$(grep -c '^######## dmaload --scenario' "$tmp/demo")" 5 "demo: five scenarios"
for view in Latency Windows Violations; do
	is "$(grep -c "^=== $view ===" "$tmp/demo")" 5 "demo: a $view view per scenario"
done
is "$(grep -c '^rb_drops 0  stash_miss 0  read_fail 0  areas_full 0$' "$tmp/demo")" 5 \
	"demo: no drops, no missed exits"
grep -q '^VIOLATION reserved: map' "$tmp/demo"
ok $? "demo: the violations scenario shows a reserved-range violation"
is "$(grep -c '^dmatrace demo: dmaload scenarios on libdmaref' "$tmp/demo")" 1 \
	"demo: what the views and counters are, said once"
is "$(grep -c '^count .* p50 ~[0-9.]* p90 ~[0-9.]* p99 ~[0-9.]* (usecs)$' "$tmp/demo")" \
	"$(grep -c '^count ' "$tmp/demo")" "demo: every percentile marked as an estimate"
is "$(grep -c '^(~: a percentile estimated inside its log2 bucket' "$tmp/demo")" 5 \
	"demo: the estimate explained once per latency view"
grep -q 'owner 0x' "$tmp/demo"
ok "$([ $? = 1 ] && echo 0 || echo 1)" "demo: no hole owner printed as a pointer"
grep -q 'windows from ' "$tmp/demo"
ok "$([ $? = 1 ] && echo 0 || echo 1)" "demo: where the windows come from said in words"
# grouped by kind: a header per kind with its count, 3 distinct lines at most
sed -n '/^######## dmaload --scenario violations/,/^######## /p' "$tmp/demo" > "$tmp/dv"
tally=$(grep '^[0-9]* violations: ' "$tmp/dv")
kinds=$(echo "$tally" | sed 's/^[0-9]* violations: //; s/;.*//; s/,//g' | awk '{ print NF / 2 }')
is "$(grep -c '^[a-z_0-9]*: [0-9]*, ' "$tmp/dv")" "$kinds" "demo: one header per kind of the tally ($kinds)"
for k in $(echo "$tally" | sed 's/^[0-9]* violations: //; s/;.*//; s/,//g' | awk '{ for (i = 1; i < NF; i += 2) print $i ":" $(i + 1) }'); do
	name=${k%%:*}
	is "$(grep "^$name: [0-9]*, " "$tmp/dv" | cut -d, -f1)" "$name: ${k#*:}" "demo: $name's header counts it as the tally does"
	n=$(grep -c "^VIOLATION $name: " "$tmp/dv")
	ok "$([ "$n" -ge 1 ] && [ "$n" -le 3 ] && echo 0 || echo 1)" "demo: $name: 1 to 3 example lines ($n)"
done
grep -q '^(3 distinct lines at most per kind; every line: --all' "$tmp/dv"
ok $? "demo: says how to see every line"
# --all: every line in the all-views run
"$DMATRACE" --all --target ref -- \
	"$DMALOAD" --scenario violations --seed 1 --ops 300 > "$tmp/v" 2> /dev/null
is "$(grep -c '^VIOLATION ' "$tmp/v")" "$want" "--all: every violation line in the all-views run"
"$DMATRACE" --target ref -- \
	"$DMALOAD" --scenario violations --seed 1 --ops 300 > "$tmp/v" 2> /dev/null
n=$(grep -c '^VIOLATION ' "$tmp/v")
ok "$([ "$n" -lt "$want" ] && echo 0 || echo 1)" "all-views run without --all: grouped ($n of $want lines)"

# Global options before or after the command: the same trace
for args in "-j latency --target ref" "latency -j --target ref" "--target ref -j latency"; do
	# shellcheck disable=SC2086
	"$DMATRACE" $args -- "$DMALOAD" --scenario dpdk --seed 1 --ops 200 > "$tmp/out" 2> "$tmp/err"
	is "$?" 0 "dmatrace $args -- dmaload: exit 0"
	grep '^{"dmatrace_record"' "$tmp/out" |
		jq -c '[.histograms[] | [.op, .ret, .count]] | sort' > "$tmp/hists.$(echo $args | tr -d ' -')"
done
is "$(cat "$tmp/hists.jlatencytargetref")" "$(cat "$tmp/hists.latencyjtargetref")" \
	"-j before or after latency: the same histograms"
is "$(cat "$tmp/hists.targetrefjlatency")" "$(cat "$tmp/hists.latencyjtargetref")" \
	"--target ref -j before latency: the same histograms"
[ -s "$tmp/hists.jlatencytargetref" ] && [ "$(cat "$tmp/hists.jlatencytargetref")" != "[]" ]
ok $? "-j latency: histograms recorded"
"$DMATRACE" -m --target ref latency -- "$DMALOAD" --scenario dpdk --seed 1 --ops 50 \
	> "$tmp/out" 2> /dev/null
is "$?:$(grep -c '^ *msecs ' "$tmp/out"):$(grep -c '^ *usecs ' "$tmp/out")" "0:$(grep -c '^op = ' "$tmp/out"):0" \
	"-m before latency: every histogram in msecs"
"$DMATRACE" -j violations --target ref -- \
	"$DMALOAD" --scenario violations --seed 1 --ops 300 > "$tmp/v" 2> /dev/null
is "$(grep -c '^VIOLATION ' "$tmp/v"):$(grep '^{"dmatrace_record"' "$tmp/v" | jq '.violations | length')" \
	"0:$want" "-j before violations: one JSON record, no live lines"
fails "-m and -u exclude each other" "-m and -u" latency -m -u --target ref -- true
fails "option '--pid' needs a value" "--pid without a value" latency --target ref --pid

done_testing
