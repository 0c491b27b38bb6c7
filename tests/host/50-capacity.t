#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Capacity and loss: the BPF maps are sized by --max-keys, --max-areas,
# --max-ioas and --max-procs; with small limits the ops, areas and IOAS
# that do not fit are counted exactly (dmaload's ground truth minus what
# the views show), the figures are marked as lower bounds in text and
# JSON, OpenMetrics has the loss counters, and the run exits 70 (one line
# on stderr; -- CMD's own non-zero status wins). The defaults hold 100k
# live areas with nothing lost. Bad values are refused in one line.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 10 IOAS, 3 maps in each: 10 ioas_alloc keys (one per new id) and 10
# map keys, more than 4
for i in 1 2 3 4 5 6 7 8 9 10; do echo "ioas a$i"; done > "$tmp/keys.dms"
for i in 1 2 3 4 5 6 7 8 9 10; do
	for j in 1 2 3; do echo "map a$i fixed 0x${j}00000 0x1000"; done
done >> "$tmp/keys.dms"

# traced DMATRACE_ARGS... -- SCRIPT: dmaload's truth in $tmp/truth, the
# output in $tmp/rec, stderr in $tmp/err, the exit status in $rc
traced() {
	script=$1
	shift
	"$DMATRACE" --target ref "$@" -- sh -c \
		'exec "$0" --script "$1" --json > "$2"' \
		"$DMALOAD" "$script" "$tmp/truth" > "$tmp/rec" 2> "$tmp/err"
	rc=$?
	tail -n 1 "$tmp/truth" > "$tmp/truth.last"
}

# ---- histogram map full: --max-keys 4 --by ioas
traced "$tmp/keys.dms" -j --max-keys 4 --by ioas
is "$rc" 70 "--max-keys 4: exit 70 (a loss, the run otherwise fine)"
truth=$(jq '[.ops[][]] | add' "$tmp/truth.last")
got=$(jq '[.histograms[].count] | add // 0' "$tmp/rec")
lost=$(jq '.lost.hist_full' "$tmp/rec")
is "$truth" 40 "--max-keys 4: dmaload made 40 ops"
is "$lost" "$((truth - got))" "--max-keys 4: hist_full ($lost) = truth ($truth) - ops in the histograms ($got)"
is "$(jq -c '[.histograms[].lower_bound] | unique' "$tmp/rec")" '[true]' \
	"--max-keys 4: every histogram record says lower_bound"
is "$(jq -c '[.op_latency[].lower_bound] | unique' "$tmp/rec")" '[true]' \
	"--max-keys 4: every op_latency record says lower_bound"
is "$(jq -c '.lost.lower_bound' "$tmp/rec")" '["histograms"]' \
	"--max-keys 4: lost.lower_bound names the histograms alone"
is "$(jq -c '.summary.lower_bound' "$tmp/rec")" true "--max-keys 4: the summary says lower_bound"
is "$(jq -c '.counters' "$tmp/rec")" \
	'{"rb_drops":0,"stash_miss":0,"read_fail":0,"areas_full":0}' \
	"--max-keys 4: the counters object keeps its keys"
is "$(grep -c '^dmatrace: lost: hist_full' "$tmp/err")" 1 "--max-keys 4: one line on stderr"
grep -q "^dmatrace: lost: hist_full $lost (histogram map full, --max-keys); .*(exit 70)$" "$tmp/err"
ok $? "--max-keys 4: the stderr line names the loss and the exit status"

traced "$tmp/keys.dms" latency --max-keys 4 --by ioas
is "$rc" 70 "latency text, --max-keys 4: exit 70"
grep -q "^lower bound: $lost ops lost (histogram map full, --max-keys)$" "$tmp/rec"
ok $? "latency text: 'lower bound: $lost ops lost' before the histograms"
grep -q "  hist_full $lost$" "$tmp/rec"
ok $? "latency text: the counters line has hist_full $lost"

traced "$tmp/keys.dms" --prometheus --max-keys 4
is "$rc" 70 "--prometheus --max-keys 4: exit 70"
grep -q "^dmatrace_lost_total{cause=\"hist_full\"} $lost$" "$tmp/rec"
ok $? "--prometheus: dmatrace_lost_total{cause=\"hist_full\"} $lost"
if command -v promtool >/dev/null; then
	promtool check metrics < "$tmp/rec" > "$tmp/promtool" 2>&1
	ok $? "--prometheus with losses: promtool check metrics"
else
	skip "promtool missing (make deps)"
fi

# the command's own failure wins; the line is printed all the same
"$DMATRACE" latency --target ref --max-keys 4 -- sh -c \
	'"$0" --script "$1" > /dev/null; exit 3' "$DMALOAD" "$tmp/keys.dms" \
	> /dev/null 2> "$tmp/err"
is "$?" 3 "--max-keys 4, -- CMD exiting 3: exit 3"
is "$(grep -c '^dmatrace: lost: hist_full' "$tmp/err")" 1 "-- CMD exiting 3: the loss line on stderr still"

# ---- IOAS map full: --max-ioas 4; the 6 IOAS past the 4th are refused
# at their alloc and at each of their 3 maps
traced "$tmp/keys.dms" -j --max-ioas 4
is "$rc" 70 "--max-ioas 4: exit 70"
is "$(jq '.lost.ioas_full' "$tmp/rec")" "$(( (10 - 4) * (1 + 3) ))" \
	"--max-ioas 4: ioas_full = (10 - 4) IOAS x (alloc + 3 maps)"
is "$(jq '[.windows[] | select(.lower_bound)] | length' "$tmp/rec")" \
	"$(jq '.windows | length' "$tmp/rec")" "--max-ioas 4: every IOAS of the windows view is marked lower_bound"
is "$(jq '.lost.hist_full' "$tmp/rec")" 0 "--max-ioas 4: no histogram loss"

# ---- area map full: --max-areas 16 with 40 live maps
{
	echo "ioas a"
	i=0
	while [ $i -lt 40 ]; do
		printf 'map a fixed 0x%x 0x1000\n' $((0x100000 + i * 0x10000))
		i=$((i + 1))
	done
} > "$tmp/areas.dms"
traced "$tmp/areas.dms" windows -j --max-areas 16
is "$rc" 70 "--max-areas 16: exit 70"
want=$(jq '.ioas[0].areas' "$tmp/truth.last")
got=$(jq '.windows[0].areas' "$tmp/rec")
is "$want" 40 "--max-areas 16: dmaload holds 40 live areas"
is "$got" 16 "--max-areas 16: the windows view holds 16"
is "$(jq '.lost.areas_full' "$tmp/rec")" "$((want - got))" "--max-areas 16: areas_full = truth - areas shown ($((want - got)))"
is "$(jq '.counters.areas_full' "$tmp/rec")" "$((want - got))" "--max-areas 16: counters.areas_full says the same"
is "$(jq '.windows[0].lower_bound' "$tmp/rec")" true "--max-areas 16: the IOAS is marked lower_bound"
is "$(jq -c '.lost.lower_bound' "$tmp/rec")" '["windows"]' "--max-areas 16: lost.lower_bound names the windows"
traced "$tmp/areas.dms" windows --max-areas 16
is "$rc" 70 "windows text, --max-areas 16: exit 70"
grep -q "^lower bound: 24 areas not tracked (area map full, --max-areas)$" "$tmp/rec"
ok $? "windows text: 'lower bound: 24 areas not tracked' before the IOAS"
grep -q "^IOAS 1: mapped 64 KiB in 16 areas (lower bound: see above); " "$tmp/rec"
ok $? "windows text: the IOAS's usage is marked lower bound"

# ---- process map full: -- sh forks dmaload, the second process
"$DMATRACE" -j --target ref --max-procs 1 -- sh -c \
	'"$0" --script "$1" > /dev/null; true' "$DMALOAD" "$tmp/areas.dms" \
	> "$tmp/rec" 2> "$tmp/err"
is "$?" 70 "--max-procs 1, a forked child: exit 70"
is "$(jq '.lost.tgids_full' "$tmp/rec")" 1 "--max-procs 1: tgids_full 1 (the child not followed)"

# ---- the defaults: 100k live areas, nothing lost
awk 'BEGIN { print "ioas a"
	     for (i = 0; i < 100000; i++)
		printf "map a fixed 0x%x 0x1000\n", 1048576 + i * 8192 }' > "$tmp/100k.dms"
start=$(date +%s)
traced "$tmp/100k.dms" windows -j
is "$rc" 0 "defaults, 100k live areas: exit 0"
is "$(jq '.ioas[0].areas' "$tmp/truth.last")" 100000 "defaults: dmaload holds 100000 areas"
is "$(jq -c '[.windows[0].areas, .windows[0].mapped_bytes]' "$tmp/rec")" \
	"$(jq -c '[.ioas[0].areas, .ioas[0].mapped_bytes]' "$tmp/truth.last")" \
	"defaults: the windows view holds all 100000 areas and their bytes"
is "$(jq -c '[.lost | to_entries[] | select(.key != "lower_bound") | .value] | add' "$tmp/rec")" 0 \
	"defaults: every loss counter 0"
is "$(jq -c '[.windows[0].lower_bound, .lost.lower_bound]' "$tmp/rec")" '[null,[]]' \
	"defaults: nothing marked lower bound"
echo "# 100k areas traced in $(( $(date +%s) - start )) s"

# ---- bad values: one line, exit 2
for bad in "--max-keys 0" "--max-areas abc" "--max-ioas 99999999999" \
	   "--max-procs -1" "--max-areas 16777217"; do
	# shellcheck disable=SC2086
	"$DMATRACE" latency $bad -- true > "$tmp/out" 2> "$tmp/err"
	rc=$?
	is "$rc $(wc -l < "$tmp/err")" "2 1" "$bad: exit 2, one line"
	grep -q "^dmatrace: bad --max-[a-z]* '.*' (a number from 1 to [0-9]*)$" "$tmp/err"
	ok $? "$bad: says what it takes ($(cat "$tmp/err"))"
done
"$DMATRACE" -h > "$tmp/help"
grep -q -- "--max-areas=N" "$tmp/help" && grep -q "exit status is then 70" "$tmp/help"
ok $? "--help documents --max-areas and exit 70"
done_testing
