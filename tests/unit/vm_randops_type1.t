#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tools/vm/randops-type1 (random native type1 scripts of tests/vm/25-type1.t):
# deterministic, refuses bad arguments, and what it writes runs on dmaload
# --backend ref with every kind of answer the VM test compares.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
need_tools
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=tools/vm/randops-type1

$R 7 10 > "$T/a" && $R 7 10 > "$T/b" && $R 8 10 > "$T/c"
ok $? "randops-type1: writes scripts"
cmp -s "$T/a" "$T/b"
ok $? "randops-type1: same seed, same script"
! cmp -s "$T/a" "$T/c"
ok $? "randops-type1: another seed, another script"
$R 1x > /dev/null 2>&1
is $? 2 "randops-type1: a bad seed is refused (status 2)"
$R 1 10 3 > /dev/null 2>&1
is $? 2 "randops-type1: OPS below 4 is refused (status 2)"

: > "$T/all"
bad=
for seed in 1 2 3 4; do
	$R $seed > "$T/r.dms"
	"$DMALOAD" --script "$T/r.dms" --json > "$T/r.out" 2> "$T/r.err" ||
		bad="$bad $seed"
	head -n -1 "$T/r.out" >> "$T/all"
done
is "$bad" "" "randops-type1: seeds 1-4 run on dmaload --backend ref"
n=$(wc -l < "$T/all")
[ "$n" -ge 1000 ]
ok $? "randops-type1: the VM test's 4 default scripts hold at least 1000 ops ($n)"
rets=$(jq -r '.ret' "$T/all" | sort -un | tr '\n' ' ')
for want in -28 -22 -17 -12 -2 0 1; do
	case " $rets" in *" $want "*) ok 0 "randops-type1: some op returns $want" ;;
	*) ok 1 "randops-type1: some op returns $want (got: $rets)" ;; esac
done
done_testing
