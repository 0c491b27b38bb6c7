#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The windows view on real traced runs: every window is credited only with
# the bytes of the areas inside it, and what lies outside every window is
# counted apart, so the two add up to the IOAS's mapped bytes (dmaload's
# ground truth); the examples shown do lie outside the windows.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for sc in violations vm-boot power; do
	"$DMATRACE" windows -j --target ref -- sh -c \
		'exec "$0" --scenario "$1" --seed 1 --ops 1000 --json > "$2"' \
		"$DMALOAD" "$sc" "$tmp/truth" > "$tmp/rec" 2> "$tmp/err"
	is "$?" 0 "$sc: exit 0"
	for id in $(jq '.ioas[].id' "$tmp/truth"); do
		w=".windows[] | select(.id == $id and (has(\"container\") | not))"
		want=$(jq ".ioas[] | select(.id == $id) | .mapped_bytes" "$tmp/truth")
		got=$(jq "$w | ([.windows[].used_bytes] | add) + .outside_windows.bytes" "$tmp/rec")
		is "$got" "$want" "$sc: IOAS $id: used per window + outside = mapped bytes"
		/usr/bin/python3 - "$tmp/rec" "$id" > "$tmp/py" 2>&1 <<'PY'
import json, sys
io = [w for w in json.loads(open(sys.argv[1]).read())["windows"]
      if w["id"] == int(sys.argv[2]) and not w.get("container")][0]
wins = [(int(w["start"], 16), int(w["last"], 16)) for w in io["windows"]]
for e in io["outside_windows"]["examples"]:
    s = int(e["iova"], 16); l = s + int(e["length"], 16) - 1
    if any(a <= s and l <= b for a, b in wins):
        sys.exit("example %#x inside a window" % s)
print(len(io["outside_windows"]["examples"]))
PY
		ok $? "$sc: IOAS $id: the outside examples ($(tail -n 1 "$tmp/py")) lie outside every window"
	done
	"$DMATRACE" windows --target ref -- sh -c \
		'exec "$0" --scenario "$1" --seed 1 --ops 1000 > /dev/null' \
		"$DMALOAD" "$sc" > "$tmp/text" 2> /dev/null
	grep -q "owner 0x" "$tmp/text"
	ok "$([ $? = 1 ] && echo 0 || echo 1)" "$sc: no hole owner printed as a raw pointer"
done
# the violations scenario maps outside the allowed window on purpose
"$DMATRACE" windows --target ref -- sh -c \
	'exec "$0" --scenario violations --seed 1 --ops 1000 > /dev/null' \
	"$DMALOAD" > "$tmp/text" 2> /dev/null
grep -q '^  outside windows: [1-9][0-9]* areas, .*: \[0x' "$tmp/text"
ok $? "violations: the accepted maps outside the window are listed, with addresses"
done_testing
