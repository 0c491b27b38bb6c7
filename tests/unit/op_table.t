#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The op table (include/dmatrace/ops.h) and what is generated from it:
# docs/ops.md, the uAPI sizes the BPF programs read, the names the docs use.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
gen=build/bpf/gen_uapi_offsets
[ -x "$gen" ] || { echo "1..1"; echo "not ok 1 - $gen not built (run make)"; exit 1; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

"$gen" --doc > "$T/ops.md"
diff -u docs/ops.md "$T/ops.md" > "$T/diff"
ok $? "docs/ops.md is what the op table prints (make docs to refresh)"
[ -s "$T/diff" ] && sed 's/^/#   /' "$T/diff" | head -20

# The op names, as the table has them (first column of docs/ops.md)
sed -n 's/^| \([a-z0-9_]*\) | .*/\1/p' "$T/ops.md" | grep -v '^op$' > "$T/names"
n=$(wc -l < "$T/names")
is "$(grep -c '^#define U_SIZE_' build/uapi_offsets.h)" "$((n + 1))" \
	"uapi_offsets.h: one U_SIZE_ per row (and U_SIZE_MAX)"
is "$(grep -c '^#define U_IOCTL_' build/uapi_offsets.h)" "$n" \
	"uapi_offsets.h: one U_IOCTL_ per row"
missing=
while read -r op; do
	grep -Eq "\($op[,)]" docs/ground-truth.md || missing="$missing $op"
done < "$T/names"
is "$missing" "" "docs/ground-truth.md names every op of the table"

# Bad arguments to the generator: a one-line usage and status 2
"$gen" --bogus > "$T/out" 2>&1
is "$?:$(cat "$T/out")" "2:usage: gen_uapi_offsets [--doc]" \
	"gen_uapi_offsets: a bad argument is refused"
done_testing
