#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmatrace's command line as parsed, before anything is traced (no root:
# every run here stops at a usage error, at `probe`, or at a command that
# cannot run, all found before BPF is loaded): options before or after the
# command, -m/-u refused together, a missing value named, the --op list and
# the help generated from the op table.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
DMATRACE=${DMATRACE:-bin/dmatrace}
for b in "$DMATRACE" bin/libdmaref.so; do
	[ -e "$b" ] || { echo "1..1"; echo "not ok 1 - $b not built (run make)"; exit 1; }
done
command -v jq >/dev/null || { echo "1..1"; echo "not ok 1 - jq not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {		# run ARGS...: status in $rc, stdout in $tmp/out, stderr in $tmp/err
	"$DMATRACE" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	rc=$?
}

usage_error() {	# usage_error STDERR_LINE DESCRIPTION ARGS...: exit 2, that one line
	want=$1
	desc=$2
	shift 2
	run "$@"
	is "$rc" 2 "$desc: exit 2"
	is "$(cat "$tmp/err")" "dmatrace: $want" "$desc: one line"
}

# A missing value is named as such, short or long, abbreviated or in a cluster
usage_error "option '--pid' needs a value" "--pid without value" latency --pid
usage_error "option '-p' needs a value" "-p without value" latency -p
usage_error "option '-p' needs a value" "-p last in a cluster" -jp
usage_error "option '--pid' needs a value" "abbreviated --pi without value" latency --pi
usage_error "option '--ioas' needs a value" "--ioas without value" windows --ioas
usage_error "option '--op' needs a value" "--op without value" --op
usage_error "option '--target' needs a value" "--target before -- CMD" \
	latency --target -- true
usage_error "bad option '--bogus' (try dmatrace -h)" "unknown option is not a missing value" \
	latency --bogus
usage_error "bad option '-xj' (try dmatrace -h)" "unknown short option inside a cluster" \
	-v -xj
usage_error "bad option '--t' (try dmatrace -h)" "ambiguous abbreviation" latency --t
usage_error "bad pid ''" "--pid= with an empty value" latency --pid=

# -m and -u exclude each other, wherever they are
usage_error "-m and -u exclude each other" "-m -u" latency -m -u --target ref
usage_error "-m and -u exclude each other" "-m before, -u after the command" \
	-u latency -m --target ref
usage_error "-j, --openmetrics and --prometheus exclude each other" "-j before, --openmetrics after" \
	-j latency --openmetrics --target ref

# Options before or after the command mean the same
run probe -j --target ref
is "$rc" 0 "probe -j --target ref: exit 0"
jq -e '.target == "ref"' "$tmp/out" > /dev/null
ok $? "probe -j: a JSON record"
cp "$tmp/out" "$tmp/probe"
for args in "-j probe --target ref" "--target ref -j probe" "--target=ref probe -j"; do
	# shellcheck disable=SC2086
	run $args
	is "$rc:$(cmp -s "$tmp/out" "$tmp/probe" && echo same)" 0:same \
		"dmatrace $args: as probe -j --target ref"
done
usage_error "-p and -- CMD exclude each other" "-p before the command" \
	-p 1 latency --target ref -- true
usage_error "-p and -- CMD exclude each other" "-p after the command" \
	latency -p 1 --target ref -- true
usage_error "bad count 'x'" "interval and count among options" \
	-j latency -T 1 --target ref x
usage_error "unexpected argument '3'" "a third positional" latency 1 -j 2 3
usage_error "bad IOAS id 'x'" "--ioas before the command" --ioas x latency
run -j --target ref latency 1 2 -- "$tmp/none"
is "$rc:$(cat "$tmp/err")" "127:dmatrace: cannot run $tmp/none: No such file or directory" \
	"options, command, interval, count, -- CMD: parsed (stops at the command)"

# -o FILE: for the tracing commands only; a full disk is one line, exit 1
usage_error "-o applies to latency, windows, violations and the all-views run" \
	"-o with probe" probe -o "$tmp/x" --target ref
usage_error "-o applies to latency, windows, violations and the all-views run" \
	"-o with demo" demo -o "$tmp/x"
usage_error "option '-o' needs a value" "-o without value" latency -o
"$DMATRACE" probe -j --target ref > /dev/full 2> "$tmp/err"
is "$?:$(cat "$tmp/err")" "1:dmatrace: writing stdout: No space left on device" \
	"probe > /dev/full: exit 1, one line"
"$DMATRACE" probe --target ref > /dev/full 2> "$tmp/err"
is "$?:$(cat "$tmp/err")" "1:dmatrace: writing stdout: No space left on device" \
	"probe (text) > /dev/full: exit 1, one line"
e='{"op":"map","count":1,"sum_ns":1,"min_ns":1,"max_ns":1,"slots":[1'$(printf ',0%.0s' $(seq 39))']}'
echo '{"dmatrace_record":1,"op_latency":['"$e"']}' > "$tmp/r.json"
"$DMATRACE" diff "$tmp/r.json" "$tmp/r.json" > /dev/null
is "$?" 0 "diff of a record with itself: exit 0"
"$DMATRACE" diff "$tmp/r.json" "$tmp/r.json" > /dev/full 2> "$tmp/err"
is "$?:$(cat "$tmp/err")" "2:dmatrace: writing stdout: No space left on device" \
	"diff > /dev/full: exit 2, one line"
run -o "$tmp/nodir/x" --target ref latency -- "$tmp/none"
is "$rc:$(cat "$tmp/err")" "127:dmatrace: cannot run $tmp/none: No such file or directory" \
	"-o FILE parsed with the tracing commands"

# --op: the list in the error is every op, each accepted
run latency --op mapp
list=$(sed -n "s/^dmatrace: unknown op 'mapp' (\(.*\))$/\1/p" "$tmp/err" | sed 's/, / /g')
for op in ioas_alloc destroy map unmap copy iova_ranges allow_iovas type1_map \
	  type1_unmap window_request; do
	case " $list " in
	*" $op "*) ok 0 "unknown op: the list names $op" ;;
	*) ok 1 "unknown op: the list names $op"; echo "#   list: $list" ;;
	esac
done
for op in $list; do
	run latency --target ref --op "$op" -- "$tmp/none"
	is "$rc:$(grep -c 'unknown op' "$tmp/err")" 127:0 "--op $op is accepted"
done

# --help: on stdout, exit 0, before or after the command; lists the ops
for args in --help -h "latency -h" "-j windows --help"; do
	# shellcheck disable=SC2086
	run $args
	is "$rc:$(wc -c < "$tmp/err" | tr -d ' ')" 0:0 "dmatrace $args: exit 0, nothing on stderr"
done
tr -s ' \n' '  ' < "$tmp/out" > "$tmp/help"
for op in $list; do
	grep -q "[ ,]$op[ ,]" "$tmp/help"
	ok $? "--help lists op $op"
done
for cmd in probe latency windows violations demo diff; do
	grep -q "^  $cmd " "$tmp/out"
	ok $? "--help lists command $cmd"
done
for opt in --pid --ioas --op --timestamp --milliseconds --microseconds --json \
	   --openmetrics --prometheus --all --by --target --force-kprobe --verbose --help; do
	grep -q -- "$opt" "$tmp/out"
	ok $? "--help lists $opt"
done
run
is "$rc:$(grep -c '^Usage: dmatrace' "$tmp/err"):$(wc -c < "$tmp/out" | tr -d ' ')" 2:1:0 \
	"no argument: the help on stderr, exit 2"

done_testing
