# SPDX-License-Identifier: GPL-2.0
# dmatrace's end-to-end check on native VFIO type1 (POSIX sh, sourced by
# tests/vm/guest/type1.sh and stock.sh after tap.sh, t1diff.sh (t1_bind
# done) and t1count.sh): for each type1 script of DIR/cases (not the
# random ones), `dmatrace -j --target kernel -- dmaload --backend kernel
# --vfio-device BDF --script S --json`, on fentry and again with
# --force-kprobe, each under t1count.sh's kprobe events. Per run: dmatrace
# exits 0; its attach report says the backend vfio-type1 is live; its
# summary equals dmaload's ground truth (ops, bytes_mapped,
# bytes_unmapped, violations); its per-op counts equal the kprobe count of
# vfio_iommu_type1_ioctl taken in the same run; no loss counter is
# non-zero. Gated on `dmatrace probe --target kernel -j` listing a
# backend vfio-type1 that is not absent on this kernel: otherwise one
# failing point, "dmatrace traces the vfio-type1 backend", says why (a
# gap, not a skip), and nothing else runs.
#   t1trace_cases DIR
t1trace_cases() {
	bin/dmatrace probe --target kernel -j > "$1/t1probe.json" 2> "$1/t1probe.err"
	_state=$(jq -r '[.backends[]? | select(.name == "vfio-type1") | .state][0] // "unlisted"' \
		"$1/t1probe.json" 2>/dev/null)
	case ${_state:-unlisted} in
	unlisted)
		tap_not_ok "dmatrace traces the vfio-type1 backend"
		{ echo "dmatrace probe --target kernel -j lists no backend vfio-type1"
		  cat "$1/t1probe.err"; } | tap_diag
		return ;;
	absent)
		tap_not_ok "dmatrace traces the vfio-type1 backend"
		jq -r '"probe: backend vfio-type1 absent on this kernel",
			(.points[] | select(.backend == "vfio-type1" or
				(.name | startswith("vfio_iommu_type1")))
			 | "\(.name): \(.attach) \(.detail // "")")' \
			"$1/t1probe.json" 2>&1 | tap_diag
		return ;;
	live)
		tap_ok "dmatrace traces the vfio-type1 backend (probe: live)" ;;
	*)
		tap_not_ok "dmatrace traces the vfio-type1 backend (probe: $_state)"
		jq -c '.backends[] | select(.name == "vfio-type1")' "$1/t1probe.json" | tap_diag ;;
	esac
	while read -r _tname _tscript; do
		case $_tname in rand-*) continue ;; esac
		t1trace_run "$1/$_tname.fentry" "$_tname, fentry" "$_tscript"
		t1trace_run "$1/$_tname.kprobe" "$_tname, kprobe" "$_tscript" --force-kprobe
	done < "$1/cases"
}

# t1trace_run PREFIX DESC SCRIPT [DMATRACE_OPTION]: one traced run, its points
t1trace_run() {
	t1count_start 2> "$1.count"
	read -r _t0 _ < /proc/uptime
	# shellcheck disable=SC2086
	bin/dmatrace -j --target kernel ${4:-} -- bin/dmaload --backend kernel \
		--vfio-device "$T1_BDF" --script "$3" --json < /dev/null > "$1.out" 2> "$1.err"
	_rc=$?
	t1count_stop "$1.count" || { mv "$1.count" "$1.count.err"; echo null > "$1.count"; }
	read -r _t1 _ < /proc/uptime
	echo "# $2: $((${_t1%.*} - ${_t0%.*})) s (guest clock)"
	if [ $_rc = 0 ]; then
		tap_ok "$2: dmatrace exits with dmaload's status 0"
	else
		tap_not_ok "$2: dmatrace exits with dmaload's status 0 (got $_rc)"
		tail -n 20 "$1.err" | tap_diag
	fi
	if grep -q '^dmatrace: backend vfio-type1: live' "$1.err"; then
		tap_ok "$2: attach report: backend vfio-type1 live"
	else
		tap_not_ok "$2: attach report: backend vfio-type1 live"
		grep '^dmatrace:' "$1.err" | tap_diag
	fi
	t1trace_verdict "$1" "$2"
}

# t1trace_verdict PREFIX DESC: the summary, count and loss points of one
# run from PREFIX.out (dmaload's lines, its truth, dmatrace's record) and
# PREFIX.count, in one jq ("NAME ok" or "NAME bad DETAIL" lines)
t1trace_verdict() {
	jq -n -R -r --slurpfile cnt "$1.count" '
		[inputs | fromjson? | objects] as $all
		| ($all | map(select(has("dmatrace_record"))) | last) as $r
		| ($all | map(select(has("dmatrace_record") | not) | select(has("ops"))) | last) as $t
		| def part: {ops: (.ops // {}), bytes_mapped: (.bytes_mapped // 0),
			     bytes_unmapped: (.bytes_unmapped // 0),
			     violations: ((.violations // [])
				| sort_by(.container, .ioas, .op, .kind, .iova, .length, .ret))};
		  def vfio: with_entries(select(.key | startswith("vfio_")));
		if $r == null then
			"summary bad no dmatrace record on stdout",
			"count bad no dmatrace record", "counters bad no dmatrace record"
		else
			(if $t == null then "summary bad no ground truth from dmaload"
			 elif ($r.summary | part) == ($t | part) then "summary ok"
			 else "summary bad got \($r.summary | part | del(.violations) | tojson) with \($r.summary.violations // [] | length) violations; want \($t | part | del(.violations) | tojson) with \($t.violations // [] | length) violations; missing \(($t | part | .violations) - ($r.summary | part | .violations) | .[:3] | tojson); extra \(($r.summary | part | .violations) - ($t | part | .violations) | .[:3] | tojson)"
			 end),
			(($r.summary.ops // {} | vfio) as $got
			 | if ($cnt[0] | type) != "object" then "count bad no kprobe count (\(input_filename // "the .count.err file"))"
			   elif $got == $cnt[0] then "count ok"
			   else "count bad dmatrace \($got | tojson), kprobe events \($cnt[0] | tojson)"
			   end),
			(($r.counters // {}) as $c
			 | if ($c | length) == 4 and ([$c[]] | all(. == 0)) then "counters ok"
			   else "counters bad \($c | tojson)"
			   end)
		end' "$1.out" > "$1.verdict" 2>&1 ||
		printf '%s\n' "summary bad jq failed: $(cat "$1.verdict")" \
			"count bad jq failed" "counters bad jq failed" > "$1.verdict"
	while read -r _what _res _detail; do
		case $_what in
		summary) _d="summary equals dmaload's ground truth (ops, bytes, violations)" ;;
		count) _d="per-op counts equal the kprobe events on vfio_iommu_type1_ioctl" ;;
		counters) _d="no loss (rb_drops, stash_miss, read_fail, areas_full 0)" ;;
		*) continue ;;
		esac
		if [ "$_res" = ok ]; then
			tap_ok "$2: $_d"
		else
			tap_not_ok "$2: $_d"
			echo "$_detail" | tap_diag
		fi
	done < "$1.verdict"
}
