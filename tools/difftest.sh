#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Differential test verdict: two dmaload per-op outputs of the same script
# (one line per op: ret, iova, ranges, ...) must be identical.
#   tools/difftest.sh SCRIPT A_OUT B_OUT [A_NAME B_NAME]
# SCRIPT is the script file, or @LABEL for a scenario run (no file; its
# "line" field is the step number). Exit 0 when identical. Otherwise exit
# 1 and say where they first differ: the output line, the script line it
# comes from (its "line" field) and both outputs, e.g.
#   rand-7.dms:412: map a auto 0x800
#     ref:    {"line":412,"op":"map",...,"ret":0,"iova":"0x1000000"}
#     kernel: {"line":412,"op":"map",...,"ret":-22}
set -eu
[ $# -eq 3 ] || [ $# -eq 5 ] || {
	echo "usage: tools/difftest.sh SCRIPT A_OUT B_OUT [A_NAME B_NAME]" >&2
	exit 2
}
script=$1 a=$2 b=$3 an=${4:-ref} bn=${5:-kernel}
readable() {
	[ -r "$1" ] || { echo "difftest: cannot read $1" >&2; exit 2; }
}
readable "$a"
readable "$b"
case $script in @*) ;; *) readable "$script" ;; esac
cmp -s "$a" "$b" && exit 0

exec awk -v script="$script" -v an="$an" -v bn="$bn" -v bfile="$b" '
function script_line(n,   l, i) {
	i = 0
	while ((getline l < script) > 0)
		if (++i == n) { close(script); return l }
	close(script)
	return ""
}
{
	eb = (getline lb < bfile) <= 0
	if (!eb && $0 == lb) next
	report(NR, $0, eb ? "(no line: output ends here)" : lb)
}
END {
	if (!done && (getline lb < bfile) > 0)
		report(NR + 1, "(no line: output ends here)", lb)
	exit done ? 1 : 0
}
function report(n, la, lb,   sl, m) {
	if (done) return
	done = 1
	sl = 0
	if (match(la " " lb, /"line": *[0-9]+/)) {
		m = substr(la " " lb, RSTART, RLENGTH)
		sub(/.*: */, "", m)
		sl = m + 0
	}
	if (sl && script ~ /^@/)
		printf "%s: step %d\n", script, sl
	else if (sl)
		printf "%s:%d: %s\n", script, sl, script_line(sl)
	else
		printf "%s: output line %d\n", script, n
	printf "  %-7s %s\n  %-7s %s\n", an ":", la, bn ":", lb
	exit 1
}' "$a"
