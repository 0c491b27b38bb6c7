#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Unmaps that are not one exact area (a range over contiguous areas, a
# range with holes, unmap-all, destroy; bpf/windows.bpf.h walks each IOAS's
# own list of areas): the windows view's areas and mapped bytes per IOAS
# equal dmaload's ground truth, the mappings listed add up to them, and no
# walk was cut short nor list found busy. Also with 4 threads on one IOAS.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {
	name=$1
	shift
	"$DMATRACE" windows -j --target ref -- sh -c \
		't=$1; shift; exec "$0" "$@" --json > "$t"' "$DMALOAD" \
		"$tmp/truth" "$@" > "$tmp/rec" 2> "$tmp/err"
	is "$?" 0 "$name: exit 0"
	want=$(tail -n 1 "$tmp/truth" | jq -c '[.ioas[] | {id, mapped_bytes, areas}] | sort_by(.id)')
	[ -n "$want" ] && [ "$want" != "[]" ]
	ok $? "$name: the ground truth has IOAS"
	got=$(jq -c '[.windows[] | select(has("container") | not) |
		{id, mapped_bytes, areas}] | sort_by(.id)' "$tmp/rec")
	is "$got" "$want" "$name: areas and mapped bytes per IOAS"
	got=$(/usr/bin/python3 - "$tmp/rec" <<'PY'
import json, sys
ws = [w for w in json.load(open(sys.argv[1]))["windows"] if not w.get("container")]
print(json.dumps(sorted([{"id": w["id"],
    "mapped_bytes": sum(int(m["length"], 16) for m in w["mappings"]),
    "areas": len(w["mappings"])} for w in ws], key=lambda x: x["id"]),
    separators=(",", ":")))
PY
)
	is "$got" "$want" "$name: the mappings listed add up to them"
	is "$(jq -c '[.counters.areas_full, .lost.areas_walk_cut, .lost.areas_busy]' "$tmp/rec")" \
		"[0,0,0]" "$name: no area lost"
}

check unmap.dms --script tests/scripts/unmap.dms
check "churn 4 threads, same IOAS" --scenario churn --seed 5 --threads 4 \
	--same-ioas --ops 4000
check "churn 4 threads, one IOAS each" --scenario churn --seed 6 --threads 4 \
	--ops 4000
done_testing
