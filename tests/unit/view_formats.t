#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The view's JSON record and OpenMetrics exposition, checked with outside
# tools: jq, and prometheus_client's strict OpenMetrics parser when
# installed. Values are those of the fixed scenario (view_scenario.c),
# worked out by hand.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/view_lib.sh
need_sample
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
S=$VIEW_SAMPLE

# ---- JSON record ----
"$S" json > "$tmp/rec.json"
is "$?" 0 "json: exit 0"
jq -e . "$tmp/rec.json" > /dev/null
ok $? "json: jq parses the record"
is "$(wc -l < "$tmp/rec.json" | tr -d ' ')" 1 "json: one line"
q() { jq -c "$1" "$tmp/rec.json"; }
is "$(q .dmatrace_record)" 1 "json: record version 1"
is "$(q .summary.ops)" '{"map":{"0":4,"-EEXIST":1},"unmap":{"0":2}}' \
	"summary: ops per op and ret"
is "$(q '[.summary.bytes_mapped,.summary.bytes_unmapped]')" '[16384,16384]' \
	"summary: bytes mapped/unmapped"
is "$(q '[.summary.ioas[].id]')" '[1,3]' "summary: live IOAS only (2 destroyed)"
is "$(q '.summary.violations|length')" 11 "summary: 11 violations"
is "$(q '[.summary.violations[]|.kind]')" \
	'["outside_allowed","reserved","overlap","exhausted","misaligned","wrap","bad_flags","bad_flags","unmap_miss","reserved","type1_outside"]' \
	"summary: violations sorted by (ioas, op, kind, iova, length, ret)"
is "$(q '[.histograms[]|[.op,.ret,.size_log2,.count]]')" \
	'[["map","0",12,4],["map","-EEXIST",12,1],["unmap","0",13,2]]' \
	"histograms: default split op/ret/size"
is "$(q '.histograms[0]|[.p50_ns,.p90_ns,.p99_ns,.avg_ns,.min_ns,.max_ns]')" \
	'[1706.667,3000,3000,1875,1500,3000]' "histograms: map/0 estimates"
is "$(q '[.op_latency[]|[.op,.count,.p99_ns]]')" '[["map",4,3000],["unmap",2,5000]]' \
	"op_latency: successful calls per op"
is "$(q '[.windows[]|[.id,.source,(.windows|length)]]')" \
	'[[1,"allowed-reserved",1],[2,"all-reserved",1],[3,"iova_ranges",2]]' \
	"windows: sources and counts"
is "$(q '.windows[1].windows[0]')" \
	'{"start":"0x0","last":"0xffffffffffffffff","size":"0x10000000000000000"}' \
	"windows: the full 2^64 space"
is "$(q '[.windows[0].windows[0].used_bytes, .windows[0].outside_windows]')" \
	'[2084864,{"areas":1,"bytes":12288,"examples":[{"iova":"0x7ffff000","length":"0x4000"}]}]' \
	"windows: the window holds the bytes inside it, the rest is outside"
is "$(q '[.windows[1].occupancy_unknown, (.windows[1].windows[0]|has("used_bytes"))]')" \
	'["usage not traced",false]' "windows: no usage, no per-window figure"
is "$(q '[.windows[0].reserved[0]|.owner_kind,.owner_index]')" '["device",1]' \
	"windows: a hole's owner named by kind"
is "$(q '[(.faults|length), .counters.rb_drops]')" '[2,0]' "faults and counters"
"$S" json --pid | jq -c '[.histograms[]|[.op,.pid,.ioas]]' > "$tmp/pid"
is "$(cat "$tmp/pid")" '[["map",42,1],["map",42,1],["unmap",43,1]]' \
	"json --pid: split by process and IOAS"

# ---- OpenMetrics ----
"$S" openmetrics > "$tmp/om.txt"
is "$?" 0 "openmetrics: exit 0"
is "$(tail -n 1 "$tmp/om.txt")" "# EOF" "openmetrics: ends with # EOF"
for line in \
	'dmatrace_op_latency_seconds_bucket{op="map",backend="iommufd",ret="0",size_log2="12",le="0.000001024"} 0' \
	'dmatrace_op_latency_seconds_bucket{op="map",backend="iommufd",ret="0",size_log2="12",le="0.000002048"} 3' \
	'dmatrace_op_latency_seconds_bucket{op="map",backend="iommufd",ret="0",size_log2="12",le="0.000004096"} 4' \
	'dmatrace_op_latency_seconds_bucket{op="map",backend="iommufd",ret="0",size_log2="12",le="+Inf"} 4' \
	'dmatrace_op_latency_seconds_sum{op="map",backend="iommufd",ret="0",size_log2="12"} 0.0000075' \
	'dmatrace_op_latency_seconds_count{op="map",backend="iommufd",ret="0",size_log2="12"} 4' \
	'dmatrace_op_bytes_total{op="map",backend="iommufd",ret="0",size_log2="12"} 16384' \
	'dmatrace_ioas_mapped_bytes{ioas="1"} 2097152' \
	'dmatrace_ioas_areas{ioas="1"} 2' \
	'dmatrace_ioas_outside_windows_bytes{ioas="1"} 12288' \
	'dmatrace_violations_total{op="map",kind="bad_flags"} 2' \
	'dmatrace_faults_total 2'; do
	grep -qxF "$line" "$tmp/om.txt"
	ok $? "openmetrics: has $line"
done
# every sample follows the # TYPE of its family, declared once
awk '
/^# TYPE / { if (seen[$3]++) { print "dup TYPE " $3; bad = 1 } fam = $3; next }
/^# (HELP|UNIT) / { if ($3 != fam) { print "meta out of family: " $0; bad = 1 } next }
/^# EOF$/ { eof = NR; next }
/^#/ { print "stray comment: " $0; bad = 1; next }
{
	name = $1; sub(/\{.*/, "", name)
	if (name !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/ || index(name, fam) != 1) {
		print "sample outside its family: " $0; bad = 1
	}
}
END { if (eof != NR) { print "# EOF not last"; bad = 1 } exit bad }' \
	"$tmp/om.txt" > "$tmp/awk.out"
ok $? "openmetrics: families, metadata and samples in order"
sed 's/^/# /' "$tmp/awk.out"

PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
	for split in "" --pid; do
		"$S" openmetrics $split > "$tmp/om2.txt"
		"$PY" - "$tmp/om2.txt" > "$tmp/py.out" 2>&1 <<'PYEOF'
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
fams = list(text_string_to_metric_families(text))
for f in fams:
    if f.type != "histogram":
        continue
    series = {}
    for s in f.samples:
        key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
        series.setdefault(key, {"b": [], "count": None})
        if s.name.endswith("_bucket"):
            series[key]["b"].append((s.labels["le"], s.value))
        elif s.name.endswith("_count"):
            series[key]["count"] = s.value
    for key, d in series.items():
        vals = [v for _, v in d["b"]]
        assert vals == sorted(vals), ("buckets not cumulative", key)
        assert d["b"][-1][0] == "+Inf", ("no +Inf", key)
        assert d["b"][-1][1] == d["count"], ("+Inf != count", key)
print(len(fams))
PYEOF
		rc=$?
		ok $rc "openmetrics ${split:-default}: strict parser accepts it (families: $(tail -n 1 "$tmp/py.out"))"
		[ $rc = 0 ] || sed 's/^/# /' "$tmp/py.out"
	done
else
	skip "python3-prometheus-client not installed: strict OpenMetrics parse not run (apt-get install python3-prometheus-client)"
	skip "python3-prometheus-client not installed"
fi
# ---- Prometheus text format: what promtool lints ----
if command -v promtool > /dev/null; then
	for split in "" --pid; do
		"$S" prometheus $split > "$tmp/prom.txt"
		promtool check metrics < "$tmp/prom.txt" > "$tmp/lint" 2>&1
		ok $? "prometheus ${split:-default}: promtool check metrics passes"
		sed 's/^/# /' "$tmp/lint"
	done
else
	skip "promtool missing (Debian package prometheus; tools/install-deps.sh installs it): lint not run"
	skip "promtool missing"
fi
done_testing
