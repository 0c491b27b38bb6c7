#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `dmatrace latency --openmetrics` and `--prometheus` on a real traced run:
# the violation and IOAS families carry the run's counts (dmaload's own
# ground truth), the OpenMetrics text passes prometheus_client's strict
# parser and the Prometheus text passes `promtool check metrics`.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# scrape FORMAT OUT: trace the violations scenario, its truth in $tmp/truth
scrape() {
	"$DMATRACE" latency "$1" --target ref -- sh -c \
		'exec "$0" --scenario violations --seed 1 --ops 300 --json > "$1"' \
		"$DMALOAD" "$tmp/truth" > "$2" 2> "$tmp/err"
}

# sum of the samples of metric NAME in FILE
total() {
	awk -v n="$1" '$1 ~ "^" n "([{]|$)" { s += $NF } END { print s + 0 }' "$2"
}

for fmt in --openmetrics --prometheus; do
	scrape "$fmt" "$tmp/m"
	is "$?" 0 "$fmt: exit 0"
	want=$(jq '.violations | length' "$tmp/truth")
	ok "$([ "$want" -gt 0 ] && echo 0 || echo 1)" "$fmt: the run has violations ($want)"
	is "$(total dmatrace_violations_total "$tmp/m")" "$want" \
		"$fmt: dmatrace_violations_total sums to dmaload's violations"
	for k in $(jq -r '[.violations[].kind] | unique | .[]' "$tmp/truth"); do
		got=$(awk -v k="kind=\"$k\"" '/^dmatrace_violations_total/ && index($0, k) { s += $NF }
			END { print s + 0 }' "$tmp/m")
		is "$got" "$(jq --arg k "$k" '[.violations[] | select(.kind == $k)] | length' "$tmp/truth")" \
			"$fmt: kind $k counted as dmaload counts it"
	done
	for id in $(jq '.ioas[].id' "$tmp/truth"); do
		is "$(total "dmatrace_ioas_mapped_bytes[{]ioas=\"$id\"[}]" "$tmp/m")" \
			"$(jq ".ioas[] | select(.id == $id) | .mapped_bytes" "$tmp/truth")" \
			"$fmt: IOAS $id mapped bytes"
		is "$(total "dmatrace_ioas_areas[{]ioas=\"$id\"[}]" "$tmp/m")" \
			"$(jq ".ioas[] | select(.id == $id) | .areas" "$tmp/truth")" \
			"$fmt: IOAS $id areas"
	done
	# bytes outside every window: as the windows record of the same run says
	"$DMATRACE" windows -j --target ref -- sh -c \
		'exec "$0" --scenario violations --seed 1 --ops 300 > /dev/null' \
		"$DMALOAD" > "$tmp/w.json" 2> /dev/null
	want=$(jq '[.windows[] | select(.id == 1 and (has("container") | not))][0].outside_windows.bytes' "$tmp/w.json")
	is "$(total 'dmatrace_ioas_outside_windows_bytes[{]ioas="1"[}]' "$tmp/m")" "$want" \
		"$fmt: IOAS 1 bytes outside every window ($want), as the windows view says"
	# the IOVA space each IOAS allows: the sum of its windows' sizes there
	for id in $(jq '[.windows[] | select(has("container") | not) | .id] | .[]' "$tmp/w.json"); do
		want=$(jq -r "[.windows[] | select(.id == $id and (has(\"container\") | not))][0].windows
			| map(.size) | join(\" \")" "$tmp/w.json" |
			tr ' ' '\n' | while read -r x; do printf '%d\n' "$x"; done |
			awk '{ s += $1 } END { printf "%.0f\n", s }')
		is "$(total "dmatrace_ioas_window_bytes[{]ioas=\"$id\"[}]" "$tmp/m")" "$want" \
			"$fmt: IOAS $id window bytes ($want), the windows view's sizes summed"
	done
	# every latency series names its op's backend (the op table's row)
	is "$(grep '^dmatrace_op_latency_seconds_count{' "$tmp/m" | grep -vc 'backend="')" 0 \
		"$fmt: every latency series has a backend label"
	is "$(grep -c '^dmatrace_op_latency_seconds_count{op="type1_map",backend="iommufd-compat"' "$tmp/m")" \
		"$(grep -c '^dmatrace_op_latency_seconds_count{op="type1_map",' "$tmp/m")" \
		"$fmt: type1_map is the iommufd-compat backend's"
	cp "$tmp/m" "$tmp/m$fmt"
done
# --by pid: the process's name with its pid
"$DMATRACE" latency --prometheus --by pid -o "$tmp/bypid" --target ref -- "$DMALOAD" --scenario churn \
	--seed 1 --ops 100 > /dev/null 2>&1
is "$(grep '^dmatrace_op_latency_seconds_count{' "$tmp/bypid" | grep -vc 'pid="[0-9]*",comm="dmaload"')" 0 \
	"--by pid: every latency series has pid and comm=\"dmaload\""
promtool check metrics < "$tmp/bypid" > "$tmp/pt" 2>&1
ok $? "--by pid: promtool check metrics passes ($(head -c 200 "$tmp/pt"))"
is "$(tail -n 1 "$tmp/m--openmetrics")" "# EOF" "--openmetrics: ends with # EOF"
grep -q '^# EOF$\|^# UNIT ' "$tmp/m--prometheus"
ok "$([ $? = 1 ] && echo 0 || echo 1)" "--prometheus: no # EOF, no # UNIT"
grep -q '^# TYPE dmatrace_violations_total counter$' "$tmp/m--prometheus"
ok $? "--prometheus: a counter's TYPE names its samples"

PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
	"$PY" -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
print(len(fams), len(fams["dmatrace_violations"].samples))
' "$tmp/m--openmetrics" > "$tmp/py" 2>&1
	ok $? "--openmetrics: the strict OpenMetrics parser accepts it ($(tail -n 1 "$tmp/py"))"
else
	skip "python3-prometheus-client missing (tools/install-deps.sh installs it): strict parse not run"
fi

if command -v promtool > /dev/null; then
	promtool check metrics < "$tmp/m--prometheus" > "$tmp/lint" 2>&1
	ok $? "--prometheus: promtool check metrics passes"
	sed 's/^/#   /' "$tmp/lint"
else
	skip "promtool missing (Debian package prometheus; tools/install-deps.sh installs it): lint not run"
fi
done_testing
