#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The dmaload scripts of tests/scripts (copy, type1, reserved ranges, mock
# devices, windows, flags) and of tests/scripts/type1 (native VFIO type1
# on the reference's container) traced: summary equals dmaload's ground truth.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for script in tests/scripts/*.dms tests/scripts/type1/*.dms; do
	name=$(basename "$script")
	trace_vs_truth "$tmp" --script "$script"
	is "$?" 0 "$name: dmatrace exits with dmaload's status 0"
	tail -n 1 "$tmp/out" | normalise > "$tmp/truth"
	grep '^{"dmatrace_record"' "$tmp/record" | jq '.summary' | normalise \
		> "$tmp/summary"
	same_json "$tmp/summary" "$tmp/truth" \
		"$name: summary equals dmaload's ground truth"
done

done_testing
