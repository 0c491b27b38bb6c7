#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmaload --json: the ground truth of tests/scripts/truth.dms, stated here
# in full from the rules of docs/ground-truth.md, and its consistency.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
need_tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$DMALOAD" --script tests/scripts/truth.dms --json > "$tmp/out"
is "$?" 0 "truth.dms runs with --json"
tail -n 1 "$tmp/out" > "$tmp/truth"
is "$(grep -c . "$tmp/out")" 20 "19 op lines, then the summary"

cat > "$tmp/want" <<'JSON'
{"ops": {
   "ioas_alloc": {"0": 2},
   "map": {"0": 4, "-EINVAL": 2, "-EEXIST": 1, "-EOPNOTSUPP": 1,
           "-EOVERFLOW": 1, "-ENOSPC": 1},
   "unmap": {"0": 1, "-ENOENT": 1},
   "copy": {"0": 1},
   "iova_ranges": {"-EMSGSIZE": 1},
   "allow_iovas": {"0": 2}},
 "bytes_mapped": 45056,
 "bytes_unmapped": 16384,
 "ioas": [
   {"id": 1, "mapped_bytes": 8192, "areas": 2,
    "allowed": [["0x100000", "0x7fffffff"]],
    "reserved": [["0xfee00000", "0xfeefffff"]]},
   {"id": 2, "mapped_bytes": 20480, "areas": 2,
    "allowed": [["0x1000", "0x1fff"]], "reserved": []}],
 "violations": [
   {"op": "map", "ioas": 1, "kind": "outside_allowed", "iova": "0x80000000", "length": "0x1000", "ret": "0"},
   {"op": "map", "ioas": 1, "kind": "reserved", "iova": "0xfee00000", "length": "0x1000", "ret": "-EINVAL"},
   {"op": "map", "ioas": 1, "kind": "overlap", "iova": "0x100000", "length": "0x1000", "ret": "-EEXIST"},
   {"op": "map", "ioas": 1, "kind": "bad_flags", "iova": "0x200000", "length": "0x1000", "ret": "-EINVAL"},
   {"op": "map", "ioas": 1, "kind": "bad_flags", "iova": "0x200000", "length": "0x1000", "ret": "-EOPNOTSUPP"},
   {"op": "map", "ioas": 1, "kind": "wrap", "iova": "0xfffffffffffff000", "length": "0x2000", "ret": "-EOVERFLOW"},
   {"op": "unmap", "ioas": 1, "kind": "unmap_miss", "iova": "0x300000", "length": "0x1000", "ret": "-ENOENT"},
   {"op": "map", "ioas": 2, "kind": "exhausted", "iova": "0x0", "length": "0x2000", "ret": "-ENOSPC"}]}
JSON
is "$(jq -S -c . "$tmp/truth")" "$(jq -S -c . "$tmp/want")" "summary equals the one reasoned from the script"

# consistency of the summary with the per-op lines
is "$(jq '[.ops[][]] | add' "$tmp/truth")" \
   "$(head -n -1 "$tmp/out" | jq -s '[.[] | select(.op != "reserve")] | length')" \
   "sum of op counts = counted ops executed"
is "$(jq '.bytes_mapped - .bytes_unmapped' "$tmp/truth")" \
   "$(jq '[.ioas[].mapped_bytes] | add' "$tmp/truth")" \
   "bytes_mapped - bytes_unmapped = sum of per-IOAS mapped bytes"

# without --json, a script prints op lines only
"$DMALOAD" --script tests/scripts/truth.dms > "$tmp/plain"
is "$(wc -l < "$tmp/plain" | tr -d ' ')" 19 "without --json: 19 op lines, no summary"

# Byte totals past 2^64-1 saturate there and say so (never wrap): 3 maps
# of 0x7fff000000000000 bytes sum past it; the two halves of the whole
# space map 2^64 bytes in one IOAS. Compared as text: jq reads doubles.
printf '%s\n' "ioas a" \
	"map a fixed 0x1000 0x7fff000000000000" "unmap a 0x1000 0x7fff000000000000" \
	"map a fixed 0x1000 0x7fff000000000000" "unmap a 0x1000 0x7fff000000000000" \
	"map a fixed 0x1000 0x7fff000000000000" > "$tmp/big.dms"
"$DMALOAD" --script "$tmp/big.dms" --json > "$tmp/out"
is "$?" 0 "3 maps of 0x7fff000000000000 bytes: the run completes"
tail -n 1 "$tmp/out" | grep -o '"bytes_[a-z_]*":[a-z0-9]*' | tr '\n' ' ' > "$tmp/got"
is "$(cat "$tmp/got")" '"bytes_mapped":18446744073709551615 "bytes_mapped_saturated":true "bytes_unmapped":18446181123756130304 ' \
	"bytes_mapped saturates at 2^64-1 and is marked; bytes_unmapped (2 x 0x7fff000000000000) is exact and unmarked"
tail -n 1 "$tmp/out" | grep -o '"mapped_bytes":[0-9]*,"areas":1,' > "$tmp/got"
is "$(cat "$tmp/got")" '"mapped_bytes":9223090561878065152,"areas":1,' "the IOAS's own figure is exact"
printf '%s\n' "ioas a" "map a fixed 0 0x8000000000000000" \
	"map a fixed 0x8000000000000000 0x8000000000000000" > "$tmp/whole.dms"
"$DMALOAD" --script "$tmp/whole.dms" --json | tail -n 1 > "$tmp/sum"
grep -o '"bytes_mapped[a-z_]*":[a-z0-9]*\|"mapped_bytes[a-z_]*":[a-z0-9]*' "$tmp/sum" | tr '\n' ' ' > "$tmp/got"
is "$(cat "$tmp/got")" '"bytes_mapped":18446744073709551615 "bytes_mapped_saturated":true "mapped_bytes":18446744073709551615 "mapped_bytes_saturated":true ' \
	"the whole 64-bit space mapped (2^64 bytes): total and IOAS figure saturated and marked, not 0"
is "$(grep -c saturated "$tmp/truth")" 0 "no saturation key in an ordinary summary"
done_testing
