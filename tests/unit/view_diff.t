#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `dmatrace diff` (view_diff_main, run through view-sample): percentiles
# from hand-made records, exit codes 0/1/2, and one clear line of error for
# every bad record or option, never a crash.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/view_lib.sh
need_sample
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
S=$VIEW_SAMPLE

# entry OP COUNT MIN MAX SLOTS_OBJ (slot index -> count)
entry() {
	jq -nc --arg op "$1" --argjson c "$2" --argjson mn "$3" --argjson mx "$4" \
		--argjson s "$5" \
		'{op: $op, count: $c, sum_ns: 0, min_ns: $mn, max_ns: $mx,
		  slots: [range(40) as $i | ($s[($i|tostring)] // 0)]}'
}
record() {	# record FILE ENTRY...
	f=$1; shift
	printf '{"dmatrace_record":1,"op_latency":[%s]}\n' "$(IFS=,; echo "$*")" > "$f"
}

# map: old 90 samples in [1024, 2048) ns and 10 in [2048, 4096); new 50/50.
# p99 old: rank 99, 9th of 10 in slot 11: 2048 + 2048 * 9/10 = 3891.2 ns
# p99 new: rank 99 in slot 11: 2048 + 2048 * 49/50 = 4055.04 -> max 4000
# p50 old: 1024 + 1024 * 50/90 = 1592.889; p50 new: 1024 + 1024 = 2048
record "$tmp/old.json" "$(entry map 100 1000 4000 '{"10":90,"11":10}')"
record "$tmp/new.json" "$(entry map 100 1000 4000 '{"10":50,"11":50}')" \
	"$(entry unmap 2 5000 5000 '{"12":2}')"
record "$tmp/gone.json" "$(entry copy 3 100 100 '{"6":3}')" \
	"$(entry map 100 1000 4000 '{"10":90,"11":10}')"

run() {		# run ARGS...: stdout in $out, stderr in $err, status in $rc
	"$S" diff "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	out=$(tr -s ' ' < "$tmp/out")
	err=$(cat "$tmp/err")
}

run "$tmp/old.json" "$tmp/new.json"
is "$rc" 0 "p99 +2.8% under the default 10%: exit 0"
is "$(echo "$out" | grep '^map ')" "map 100 100 3.891 4.000 +2.8%" "p99 row"
is "$(echo "$out" | grep '^unmap ')" "unmap - 2 - 5.000 new" "op only in NEW"
is "$(echo "$out" | tail -n 1)" "no op regressed by more than 10.0% at p99 (1 compared)" \
	"summary line"
is "$err" "" "nothing on stderr"

run "$tmp/old.json" "$tmp/new.json" --threshold 2
is "$rc" 1 "p99 +2.8% over --threshold 2: exit 1"
is "$(echo "$out" | grep '^map ')" "map 100 100 3.891 4.000 +2.8% REGRESSED" "row flagged"
is "$(echo "$out" | tail -n 1)" "1 of 1 ops regressed by more than 2.0% at p99" \
	"summary line names the regression"

run --percentile p50 "$tmp/old.json" "$tmp/new.json"
is "$rc" 1 "p50 +28.6%: exit 1"
is "$(echo "$out" | grep '^map ')" "map 100 100 1.593 2.048 +28.6% REGRESSED" "p50 row"

run "$tmp/new.json" "$tmp/old.json" --percentile p50
is "$rc" 0 "an improvement (-22.2%) is no regression"
is "$(echo "$out" | grep '^map ')" "map 100 100 2.048 1.593 -22.2%" "p50 row, reversed"

run "$tmp/gone.json" "$tmp/old.json" --threshold 0
is "$rc" 0 "equal percentiles at threshold 0: exit 0"
is "$(echo "$out" | grep '^copy ')" "copy 3 - 0.100 - gone" "op only in OLD"

"$S" json > "$tmp/rec.json"
run "$tmp/rec.json" "$tmp/rec.json" --min-samples 1
is "$rc" 0 "a real record against itself: exit 0"
is "$(echo "$out" | tail -n 1)" "no op regressed by more than 10.0% at p99 (2 compared)" \
	"both ops of the record compared"
# its 4 maps and 2 unmaps are under the default 30 samples
run "$tmp/rec.json" "$tmp/rec.json"
is "$rc" 0 "too few samples: exit 0"
is "$(echo "$out" | grep '^map ')" "map 4 4 3.000 3.000 +0.0% too few samples (< 30): not judged" \
	"too few samples: the row says so"
is "$(echo "$out" | tail -n 1)" \
	"no op regressed by more than 10.0% at p99 (0 compared); 2 with too few samples (< 30) not judged" \
	"too few samples: counted apart in the summary"

# ---- --min-samples: a regression on few samples is not judged ----
# new: 20 samples, all in [4096, 8192): p99 8192-ish against 3891 ns
record "$tmp/few.json" "$(entry map 20 4096 8000 '{"12":20}')"
run "$tmp/old.json" "$tmp/few.json"
is "$rc" 0 "+105% on 20 samples, default --min-samples 30: exit 0"
is "$(echo "$out" | grep '^map ')" "map 100 20 3.891 8.000 +105.6% too few samples (< 30): not judged" \
	"20 samples: shown, not judged"
run "$tmp/old.json" "$tmp/few.json" --min-samples 20
is "$rc" 1 "the same with --min-samples 20: exit 1"
is "$(echo "$out" | grep '^map ')" "map 100 20 3.891 8.000 +105.6% REGRESSED" \
	"--min-samples 20: judged"
run "$tmp/few.json" "$tmp/old.json" --min-samples 21
is "$(echo "$out" | tail -n 1)" \
	"no op regressed by more than 10.0% at p99 (0 compared); 1 with too few samples (< 21) not judged" \
	"too few in OLD counts as well"
for n in 0 -1 abc ''; do
	run "$tmp/old.json" "$tmp/new.json" --min-samples "$n"
	is "$rc:$err" "2:dmatrace diff: bad --min-samples '$n' (a count >= 1)" \
		"bad --min-samples '$n'"
done

# ---- bad records: exit 2, one line on stderr ----
bad() {		# bad CONTENT EXPECTED_MESSAGE DESCRIPTION
	printf '%b' "$1" > "$tmp/bad.json"
	run "$tmp/old.json" "$tmp/bad.json"
	is "$rc:$err" "2:dmatrace diff: $tmp/bad.json: $2" "$3"
}
trunc='{"dmatrace_record":1,"op_latency":['
bad '' "not valid JSON: line 1 col 1: unexpected end of input" "empty file"
bad "$trunc" "not valid JSON: line 1 col $(( ${#trunc} + 1 )): unexpected end of input" \
	"truncated record"
bad '\x00\xff\x01{[' "not valid JSON: line 1 col 1: unexpected character" "binary junk"
bad '{"a":1}\n{"b":2}' "not valid JSON: line 2 col 1: trailing data after the value" \
	"two values"
bad '{}' 'not a dmatrace record (no "dmatrace_record": 1)' "not a record"
bad '{"dmatrace_record":2,"op_latency":[]}' 'not a dmatrace record (no "dmatrace_record": 1)' \
	"unknown record version"
bad '{"dmatrace_record":1}' 'no "op_latency" array' "no op_latency"
bad '{"dmatrace_record":1,"op_latency":[]}' \
	'"op_latency" is empty: no successful op to compare' "empty op_latency"
bad '{"dmatrace_record":1,"op_latency":[{"op":"map"}]}' \
	'op_latency[0]: no "count"' "entry without count"
bad '{"dmatrace_record":1,"op_latency":[{"op":"map","count":1,"sum_ns":0,"min_ns":0}]}' \
	'op_latency[0]: no "max_ns"' "entry without max_ns"
bad '{"dmatrace_record":1,"op_latency":[{"op":"map","count":1,"sum_ns":0,"min_ns":0,"max_ns":0}]}' \
	'op_latency[0]: "slots" is not an array of 40 counts' "entry without slots"
bad "{\"dmatrace_record\":1,\"op_latency\":[$(entry map 100 1000 4000 '{"10":90,"11":9}')]}" \
	'op_latency[0] (map): count 100 but the slots sum to 99' "count that does not match the slots"
bad "{\"dmatrace_record\":1,\"op_latency\":[$(entry map 3 5000 4000 '{"12":3}')]}" \
	'op_latency[0] (map): min_ns 5000 above max_ns 4000' "min above max"
bad '{"dmatrace_record":1,"op_latency":[{"op":"mop","count":1}]}' \
	'op_latency[0]: missing or unknown "op"' "unknown op"
bad '{"dmatrace_record":1,"op_latency":[{"op":"map","count":-1,"sum_ns":0,"min_ns":0,"max_ns":0}]}' \
	'op_latency[0]: "count" is not a count' "negative count"
bad '{"dmatrace_record":1,"op_latency":[{"op":"map","count":1,"sum_ns":0,"min_ns":0,"max_ns":0,"slots":[1,2,3]}]}' \
	'op_latency[0]: "slots" is not an array of 40 counts' "short slots"
e=$(entry map 1 1 1 '{"0":1}')
bad "{\"dmatrace_record\":1,\"op_latency\":[$e,$e]}" 'op_latency[1]: op "map" twice' \
	"op twice"
deep=$(printf '%0.s[' $(seq 100))
bad "$deep" "not valid JSON: line 1 col 65: nested deeper than 64" "deep nesting"

run "$tmp/old.json" "$tmp/nope.json"
is "$rc:$err" "2:dmatrace diff: $tmp/nope.json: No such file or directory" "missing file"
run "$tmp/old.json" "$tmp"
is "$rc" 2 "a directory: exit 2"
is "$err" "dmatrace diff: $tmp: Is a directory" "a directory: one line"

# ---- options ----
run "$tmp/old.json"
is "$rc:$err" "2:usage: dmatrace diff OLD.json NEW.json [--threshold PCT] [--percentile pNN] [--min-samples N]" \
	"one file: usage"
run "$tmp/old.json" "$tmp/new.json" --threshold abc
is "$rc:$err" "2:dmatrace diff: bad --threshold 'abc' (a percentage >= 0)" "bad threshold"
run "$tmp/old.json" "$tmp/new.json" --threshold -5
is "$rc" 2 "negative threshold"
for p in 99 p0 p101 pabc p; do
	run "$tmp/old.json" "$tmp/new.json" --percentile "$p"
	is "$rc:$err" "2:dmatrace diff: bad --percentile '$p' (p50, p90, p99, p99.9 ...)" \
		"bad percentile $p"
done
run "$tmp/old.json" "$tmp/new.json" --percentile p99.9
is "$rc" 0 "p99.9 accepted"
run --help
is "$rc:$(echo "$out" | grep -c 'min-samples N .*not')" "0:1" "--help: exit 0, --min-samples explained"
echo "$out" | grep -q '(default 30)'
ok $? "--help: the default of --min-samples is said"
run "$tmp/old.json" "$tmp/new.json" --bogus
is "$rc" 2 "unknown option: exit 2"
done_testing
