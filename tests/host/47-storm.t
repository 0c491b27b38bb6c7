#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A violation storm: every violation is counted (the tally, the JSON
# totals, OpenMetrics equal dmaload's ground truth), while only the first
# 10000 are kept whole for the lists at the end, which say how many they
# leave out; the live `dmatrace violations` stream prints every one. The
# peak RSS of a run 4x longer is printed, not asserted (see make bench).
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
need_built
need_root_bpf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ops=20000
"$DMATRACE" -j -o "$tmp/rec" --target ref -- sh -c \
	'exec "$0" --scenario violations --seed 1 --ops "$1" --json > "$2"' \
	"$DMALOAD" "$ops" "$tmp/truth" 2> "$tmp/err"
rc=$?
want=$(jq '.violations | length' "$tmp/truth")
ok "$([ "$want" -gt 10000 ] && echo 0 || echo 1)" "the scenario makes more than 10000 violations ($want)"
total=$(jq '.violations_total' "$tmp/rec")
drops=$(jq '.lost.rb_drops // 0' "$tmp/rec")
# A busy machine may fill the ring buffer: then the loss is counted and
# the run exits 70 (never a silent undercount); else the count is exact
if [ "$rc" = 70 ] && [ "$drops" -gt 0 ]; then
	ok "$([ "$total" -lt "$want" ] && echo 0 || echo 1)" \
		"JSON: ring buffer full ($drops events lost, exit 70): violations_total $total below the truth $want"
else
	is "$rc:$total" "0:$want" "JSON: exit 0, violations_total is dmaload's count"
fi
listed=$(jq '.violations | length' "$tmp/rec")
is "$listed" "$([ "$total" -lt 10000 ] && echo "$total" || echo 10000)" "JSON: the first 10000 are listed"
is "$(jq '.violations_unlisted' "$tmp/rec")" "$((total - listed))" "JSON: the rest are counted as unlisted"
is "$(jq '.summary.violations_unlisted' "$tmp/rec")" "$((total - listed))" \
	"summary: says its list is short by as many"
is "$(jq -c '[.summary.violations[] | .kind] | unique' "$tmp/rec")" \
   "$(jq -c '[.violations[] | .kind] | unique' "$tmp/truth")" \
	"summary: the kinds listed are the truth's kinds"

"$DMATRACE" violations --target ref -- "$DMALOAD" --scenario violations --seed 1 \
	--ops "$ops" > "$tmp/live" 2> "$tmp/err2"
lines=$(grep -c '^VIOLATION ' "$tmp/live")
tally=$(grep -E '^[0-9]+ violations' "$tmp/live" | tail -1)
if grep -q 'rb_drops [1-9]' "$tmp/live"; then
	ok "$([ "$lines" -lt "$want" ] && echo 0 || echo 1)" "live view: ring buffer full, counted: $lines lines of $want"
else
	is "$lines" "$want" "live view: every violation line printed as it came"
fi
is "${tally%%:*}" "$lines violations" "live view: the tally counts every line printed ($tally)"

# A busy machine may fill the ring buffer: then the loss is counted and
# the run exits 70 (never a silent undercount); else the sum is exact
"$DMATRACE" --openmetrics -o "$tmp/om" --target ref -- "$DMALOAD" --scenario violations \
	--seed 1 --ops "$ops" > /dev/null 2>&1
rc=$?
sum=$(awk '/^dmatrace_violations_total/ { n += $2 } END { print n }' "$tmp/om")
drops=$(awk -F' ' '/^dmatrace_lost_total\{cause="rb_drops"\}/ { print $2 }' "$tmp/om")
if [ "$rc" = 70 ] && [ "${drops:-0}" -gt 0 ]; then
	ok "$([ "$sum" -lt "$want" ] && echo 0 || echo 1)" \
		"OpenMetrics: ring buffer full ($drops events lost, exit 70): the sum $sum is below the truth $want"
else
	is "$rc:$sum" "0:$want" "OpenMetrics: exit 0, dmatrace_violations_total sums to the truth"
fi

for n in "$ops" "$((ops * 4))"; do
	/usr/bin/time -f '%M' -o "$tmp/rss" "$DMATRACE" -j -o /dev/null --target ref -- \
		"$DMALOAD" --scenario violations --seed 1 --ops "$n" > /dev/null 2>&1
	echo "# peak RSS with $n ops: $(cat "$tmp/rss") KiB"
done
done_testing
