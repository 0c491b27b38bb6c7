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
done_testing
