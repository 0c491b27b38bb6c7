#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmatrace (uprobes on libdmaref) sees exactly what dmaload did: for every
# scenario and a few seeds, and with threads mapping at once, the summary
# in `dmatrace -j -- dmaload ... --json` equals dmaload's ground truth, the
# latency histograms count every op, and nothing was dropped or missed.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_run() {	# check_run DESCRIPTION DMALOAD_ARGS...
	desc=$1
	shift
	trace_vs_truth "$tmp" "$@"
	rc=$?
	is "$rc" 0 "$desc: dmatrace exits with dmaload's status 0"
	[ "$rc" = 0 ] || sed 's/^/#   /' "$tmp/err"
	tail -n 1 "$tmp/out" | normalise > "$tmp/truth"
	grep '^{"dmatrace_record"' "$tmp/record" > "$tmp/rec"
	jq '.summary' "$tmp/rec" | normalise > "$tmp/summary"
	same_json "$tmp/summary" "$tmp/truth" \
		"$desc: summary equals dmaload's ground truth"
	is "$(jq -c '[.histograms[].count] | add // 0' "$tmp/rec")" \
	   "$(jq -c '[.ops[][]] | add // 0' "$tmp/truth")" \
		"$desc: histograms count every op"
	is "$(jq -c '.counters' "$tmp/rec")" \
	   '{"rb_drops":0,"stash_miss":0,"read_fail":0,"areas_full":0}' \
		"$desc: no drops, no missed exits"
}

for scenario in vm-boot dpdk violations power churn; do
	for seed in 1 2 7; do
		check_run "$scenario seed $seed" --scenario "$scenario" --seed "$seed"
	done
done
check_run "churn 4 threads, one IOAS each" --scenario churn --seed 3 --threads 4
check_run "churn 4 threads, same IOAS" --scenario churn --seed 4 --threads 4 \
	--same-ioas

done_testing
