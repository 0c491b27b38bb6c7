#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmaload on tests/scripts/type1/*.dms, native VFIO type1 (ref backend):
# every annotated op line as in dmaload_scripts.t, and the ground truth's
# lines "# truth: KEY=VALUE...": a top-level number of the summary
# (bytes_mapped=4096), or kinds=KIND:N,... (the violations by kind, sorted),
# or containers=ID:GROUPS:MAPPED_BYTES:DMAS,...
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
. tests/unit/dmaload_check.sh
need_tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

truth_value() {	# KEY TRUTHFILE
	case $1 in
	kinds) jq -r '[.violations[].kind] | group_by(.) |
		map("\(.[0]):\(length)") | join(",")' "$2" ;;
	containers) jq -r '[.containers[] |
		"\(.id):\(.groups):\(.mapped_bytes):\(.dmas)"] | join(",")' "$2" ;;
	*) jq -r --arg k "$1" '.[$k]' "$2" ;;
	esac
}

check_truth() {
	s=$1 name=$(basename "$1")
	"$DMALOAD" --script "$s" --json 2>/dev/null | tail -1 > "$tmp/$name.truth"
	sed -n 's/^# truth: //p' "$s" | tr ' ' '\n' | grep . > "$tmp/$name.tw"
	while IFS='=' read -r k v; do
		is "$(truth_value "$k" "$tmp/$name.truth")" "$v" "$name: truth $k"
	done < "$tmp/$name.tw"
}

for s in tests/scripts/type1/*.dms; do
	check_script "$s"
	check_truth "$s"
done
done_testing
