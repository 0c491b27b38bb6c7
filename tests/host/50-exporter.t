#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `dmatrace exporter` scraped by a real Prometheus (1 s), on the reference
# library: while dmaload runs churn three times (three traced processes,
# one after the other) and then violations, Prometheus's own PromQL
# answers (sum of _count by op, bytes, rate, histogram_quantile, resets)
# match dmaload's ground truth and the exporter's last /metrics; the
# --textfile it writes at the same time passes promtool and is replaced
# atomically; content negotiation; a bad --listen; SIGTERM ends it.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
command -v prometheus > /dev/null ||
	skip_all "prometheus missing (Debian package prometheus; tools/install-deps.sh installs it)"
command -v curl > /dev/null || skip_all "curl missing"
tmp=$(mktemp -d)
exp_pid=
prom_pid=
cleanup() {
	[ -n "$exp_pid" ] && kill "$exp_pid" 2> /dev/null
	[ -n "$prom_pid" ] && kill "$prom_pid" 2> /dev/null
	wait 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# bad --listen: one line, exit 2, before any BPF
"$DMATRACE" exporter --target ref --listen 127.0.0.1:99999 > /dev/null 2> "$tmp/bad"
is "$?" 2 "a bad --listen exits 2"
is "$(wc -l < "$tmp/bad")" 1 "with one line: $(cat "$tmp/bad")"
"$DMATRACE" exporter --target ref --listen nohost > /dev/null 2> "$tmp/bad"
is "$?" 2 "a --listen without a port exits 2"

eport=$(free_port)
pport=$(free_port)
mkdir "$tmp/tf"
"$DMATRACE" exporter --target ref --listen "127.0.0.1:$eport" \
	--textfile "$tmp/tf/dmatrace.prom" 1 > /dev/null 2> "$tmp/exp.err" &
exp_pid=$!
i=0
until grep -q '^Tracing DMA mapping' "$tmp/exp.err"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$exp_pid" 2> /dev/null; then
		sed 's/^/#   /' "$tmp/exp.err"
		skip_all "the exporter did not start"
	fi
	sleep 0.1
done
ok 0 "the exporter is live on 127.0.0.1:$eport"

url="http://127.0.0.1:$eport/metrics"
curl -s -D "$tmp/h.prom" -o "$tmp/m.prom" "$url"
grep -qi '^content-type: text/plain; version=0.0.4' "$tmp/h.prom"
ok $? "no Accept: Prometheus text 0.0.4"
curl -s -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' \
	-D "$tmp/h.om" -o "$tmp/m.om" "$url"
grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$tmp/h.om"
ok $? "Accept: application/openmetrics-text gets OpenMetrics 1.0.0"
is "$(tail -n 1 "$tmp/m.om")" "# EOF" "the OpenMetrics text ends with # EOF"
is "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$eport/nope")" 404 \
	"another path: 404"

cat > "$tmp/prom.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: dmatrace
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['127.0.0.1:$eport']
EOF
prometheus --config.file="$tmp/prom.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$pport" > "$tmp/prom.log" 2>&1 &
prom_pid=$!
api="http://127.0.0.1:$pport/api/v1/query"
q() {		# q PROMQL: the first result's value ("" when none)
	curl -s "$api" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty'
}
i=0
until [ "$(q 'up{job="dmatrace"}')" = 1 ]; do
	i=$((i + 1))
	if [ $i -gt 150 ] || ! kill -0 "$prom_pid" 2> /dev/null; then
		tail -n 5 "$tmp/prom.log" | sed 's/^/#   /'
		ok 1 "Prometheus scrapes the exporter"
		done_testing
		exit
	fi
	sleep 0.2
done
ok 0 "Prometheus (127.0.0.1:$pport) scrapes the exporter: up 1"

scrapes() { q 'count_over_time(up{job="dmatrace"}[10m])'; }
# wait_scrapes: until Prometheus has scraped twice more than now
wait_scrapes() {
	n0=$(scrapes)
	i=0
	while [ "$(scrapes)" -lt $((n0 + 2)) ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.2
	done
}

# truth_sum FILES...: dmaload's ops, by op, summed over runs: "op count" lines
truth_ops() {
	jq -s -r '[.[].ops | to_entries[] | {op: .key, n: ([.value[]] | add)}]
		| group_by(.op)[] | "\(.[0].op) \(map(.n) | add)"' "$@" | sort
}
prom_ops() {
	curl -s "$api" --data-urlencode \
		'query=sum by (op) (dmatrace_op_latency_seconds_count{job="dmatrace"})' |
		jq -r '.data.result[] | "\(.metric.op) \(.value[1])"' | sort
}

# phase 1: three churn processes, one after the other, a second apart
for seed in 1 2 3; do
	"$DMALOAD" --scenario churn --seed $seed --ops 400 --json > "$tmp/truth.c$seed"
	sleep 1
done
rate=$(q 'sum(rate(dmatrace_op_latency_seconds_count{job="dmatrace"}[5s]))')
ok "$(awk -v r="$rate" 'BEGIN { exit !(r > 0) }'; echo $?)" \
	"rate() of the op counts > 0 while dmaload runs ($rate/s)"
wait_scrapes
is "$(prom_ops)" "$(truth_ops "$tmp"/truth.c?)" \
	"sum by (op) of _count: dmaload's ops of three churn runs"
want=$(jq -s '[.[].bytes_mapped] | add' "$tmp"/truth.c?)
is "$(q 'sum(dmatrace_op_bytes_total{job="dmatrace",op="map"})')" "$want" \
	"sum of map bytes: dmaload's bytes_mapped ($want)"
before=$(q 'sum(dmatrace_op_latency_seconds_count{job="dmatrace"})')

# phase 2: another process, the violations scenario
"$DMALOAD" --scenario violations --seed 1 --ops 300 --json > "$tmp/truth.v"
wait_scrapes
is "$(prom_ops)" "$(truth_ops "$tmp"/truth.c? "$tmp/truth.v")" \
	"after a fourth process: the counts are cumulative over all four"
prom_ops | tr '\n' ' ' | sed 's/^/#   PromQL sum by (op): /; s/$/\n/'
truth_ops "$tmp"/truth.c? "$tmp/truth.v" | tr '\n' ' ' | sed 's/^/#   dmaload truth:      /; s/$/\n/' 
after=$(q 'sum(dmatrace_op_latency_seconds_count{job="dmatrace"})')
ok "$([ "$after" -gt "$before" ]; echo $?)" "the total went up, $before -> $after"
is "$(q 'sum(resets(dmatrace_op_latency_seconds_count{job="dmatrace"}[10m]))')" 0 \
	"resets() of every _count series: 0 (monotonic across processes)"
want=$(jq -s '[.[].violations | length] | add' "$tmp/truth.v")
is "$(q 'sum(dmatrace_violations_total{job="dmatrace"})')" "$want" \
	"sum of dmatrace_violations_total: dmaload's violations ($want)"
curl -s "$url" > "$tmp/last.prom"
sum_text=$(awk '/^dmatrace_op_latency_seconds_sum/ { s += $NF } END { printf "%.6f", s }' "$tmp/last.prom")
sum_prom=$(q 'sum(dmatrace_op_latency_seconds_sum{job="dmatrace"})')
is "$(awk -v s="$sum_prom" 'BEGIN { printf "%.6f", s }')" "$sum_text" \
	"sum of _sum in Prometheus: the exporter's own /metrics ($sum_text s)"
maxle=$(awk -F'le="' '/^dmatrace_op_latency_seconds_bucket/ && $2 !~ /^[+]Inf/ { split($2, a, "\""); if (a[1] + 0 > m) m = a[1] + 0 }
	END { print m }' "$tmp/last.prom")
p90=$(q 'histogram_quantile(0.9, sum by (le) (increase(dmatrace_op_latency_seconds_bucket{job="dmatrace",op="map"}[10m])))')
ok "$(awk -v p="$p90" -v m="$maxle" 'BEGIN { exit !(p != "" && p != "NaN" && p + 0 > 0 && p + 0 <= m) }'; echo $?)" \
	"histogram_quantile(0.9) of map: $p90 s, inside (0, $maxle]"

# --textfile: promtool accepts it, every read is whole, it is replaced
tf="$tmp/tf/dmatrace.prom"
if command -v promtool > /dev/null; then
	promtool check metrics < "$tf" > "$tmp/lint" 2>&1
	ok $? "--textfile: promtool check metrics passes"
	sed 's/^/#   /' "$tmp/lint"
else
	skip "promtool missing: textfile lint not run"
fi
ino1=$(stat -c %i "$tf")
whole=0
for i in $(seq 30); do
	tail -n 1 "$tf" | grep -q '^# HELP dmatrace_exporter_folded_series \|^dmatrace_exporter_folded_series{' || whole=1
	sleep 0.05
done
ok $whole "--textfile: 30 reads over 1.5 s, each whole"
sleep 1.1
ok "$([ "$(stat -c %i "$tf")" != "$ino1" ]; echo $?)" \
	"--textfile: replaced by rename (a new inode each interval)"
grep -q '^dmatrace_op_latency_seconds_count' "$tf"
ok $? "--textfile: carries the histograms"
n=$(ls "$tmp/tf" | grep -c .)
[ "$n" = 1 ] || { sleep 0.3; n=$(ls "$tmp/tf" | grep -c .); }
is "$n" 1 "--textfile: its directory holds it alone (no .tmp left between writes)"

kill -TERM "$exp_pid"
i=0
while kill -0 "$exp_pid" 2> /dev/null && [ $i -lt 50 ]; do
	i=$((i + 1))
	sleep 0.1
done
wait "$exp_pid"
is "$?" 0 "SIGTERM: the exporter exits 0"
exp_pid=
grep -q 'exporter: stopped after [0-9]* scrapes' "$tmp/exp.err"
ok $? "and says how many scrapes it served: $(grep -o 'stopped after [0-9]* scrapes' "$tmp/exp.err")"

# --max-series 2: two series per family as they are, the rest in "other"
eport=$(free_port)
"$DMATRACE" exporter --target ref --listen "127.0.0.1:$eport" --max-series 2 \
	> /dev/null 2> "$tmp/exp2.err" &
exp_pid=$!
i=0
until grep -q '^Tracing DMA mapping' "$tmp/exp2.err" || [ $i -gt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
"$DMALOAD" --scenario violations --seed 2 --ops 300 --json > "$tmp/truth.v2"
curl -s "http://127.0.0.1:$eport/metrics" > "$tmp/b.prom"
kill -TERM "$exp_pid"
wait "$exp_pid"
exp_pid=
is "$(awk '/^dmatrace_op_latency_seconds_count/ { s += $NF } END { print s }' "$tmp/b.prom")" \
	"$(jq '[.ops[][]] | add' "$tmp/truth.v2")" \
	"--max-series 2: the _count series still sum to dmaload's ops"
is "$(grep -c '^dmatrace_op_latency_seconds_count' "$tmp/b.prom")" 3 \
	"--max-series 2: two _count series and one \"other\""
grep -q '^dmatrace_op_latency_seconds_count{op="other",backend="other",ret="other",size_log2="other"} ' "$tmp/b.prom"
ok $? "--max-series 2: the folded series' labels are all \"other\""
n=$(awk '/^dmatrace_exporter_folded_series[{]family="dmatrace_op_latency_seconds"[}]/ { print $NF }' "$tmp/b.prom")
ok "$([ "${n:-0}" -gt 0 ]; echo $?)" "--max-series 2: dmatrace_exporter_folded_series counts them ($n)"
if command -v promtool > /dev/null; then
	promtool check metrics < "$tmp/b.prom" > /dev/null 2>&1
	ok $? "--max-series 2: promtool check metrics passes"
fi
done_testing
