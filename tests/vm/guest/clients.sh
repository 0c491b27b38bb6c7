# SPDX-License-Identifier: GPL-2.0
# Real clients of native VFIO type1 under dmatrace (POSIX sh, sourced by
# tests/vm/guest/type1.sh and stock.sh after tap.sh, t1diff.sh (t1_bind
# done: edu on vfio-pci) and t1rec.sh), each against an independent
# record of the same run (t1rec.sh: kprobe events reading the uAPI
# structs):
#   - QEMU 7.2 as a nested VMM with edu passed through (vfio-pci), under
#     `dmatrace -j -- ...`: per-op counts and bytes, size classes and the
#     container's final mappings (IOVA, length) equal the record; the
#     container's windows are the iova_list around the MSI window;
#   - QEMU started paused first, `dmatrace windows -j -p PID` attached
#     after it (the snapshot), then a pc-dimm hot-plugged through the
#     monitor (one more MAP_DMA): the snapshot line equals what the record
#     saw before dmatrace was live, the traced ops equal what it saw after,
#     and the final mappings equal both together;
#   - DPDK 22.11 testpmd on an emulated e1000 bound to vfio-pci, with 64
#     2 MiB hugepages, under `dmatrace -j -- ...`: as for QEMU.
# What each client mapped is printed as TAP comments.
#   clients_cases DIR
CLIENTS_QEMU="qemu-system-x86_64 -machine q35 -accel tcg -m 128M,slots=2,maxmem=512M -nodefaults -display none -S -monitor stdio"

# clients_verdict RECORD REC PHASE DESC: the record's summary against the
# ops of phase >= PHASE, its container's mappings against all of them
clients_verdict() {
	jq -n -R -r --slurpfile rec "$2" --argjson p "$3" '
		def hex: ltrimstr("0x") | explode
			| reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87
				elif $c >= 65 then $c - 55 else $c - 48 end));
		def ret: if . == 0 then "0" else "\(.)" end;
		def counts: group_by(.op) | map({key: .[0].op, value:
			(group_by(.ret) | map({key: (.[0].ret | ret), value: length})
			 | from_entries)}) | from_entries;
		def classes: map(select(.ret == 0))
			| group_by([.op, (.size | log2 | floor)])
			| map({op: .[0].op, size_log2: (.[0].size | log2 | floor), count: length})
			| sort_by(.op, .size_log2);
		def replay: reduce (.[] | select(.ret == 0)) as $o ({};
			if $o.op == "vfio_map_dma" then .["\($o.iova)"] = $o.size
			else with_entries(select((.key | tonumber) < $o.iova or
				(.key | tonumber) + .value > $o.iova + $o.size))
			end)
			| to_entries | map({iova: (.key | tonumber), length: .value})
			| sort_by(.iova);
		[inputs | fromjson? | objects | select(has("dmatrace_record"))] | last as $r
		| ($rec | map(select(.phase >= $p))) as $traced
		| if $r == null then "summary bad no dmatrace record", "classes bad no record",
			"mappings bad no record"
		  else
			({ops: ($traced | counts),
			  bytes_mapped: ($traced | map(select(.op == "vfio_map_dma" and .ret == 0) | .size) | add // 0),
			  bytes_unmapped: ($traced | map(select(.op == "vfio_unmap_dma" and .ret == 0) | .size) | add // 0)}) as $want
			| ($r.summary | {ops: (.ops // {}), bytes_mapped, bytes_unmapped}) as $got
			| (if $got == $want then "summary ok"
			   else "summary bad got \($got | tojson) want \($want | tojson)" end),
			(($r.histograms // []) | map(select(.op | startswith("vfio_")) | select(.ret == "0"))
			 | group_by([.op, .size_log2]) | map({op: .[0].op, size_log2: .[0].size_log2, count: (map(.count) | add)})
			 | sort_by(.op, .size_log2)) as $hc
			| ($traced | classes) as $wc
			| (if $hc == $wc then "classes ok"
			   else "classes bad got \($hc | tojson) want \($wc | tojson)" end),
			([$r.windows[]? | select(.container)] ) as $cs
			| ($rec | replay) as $wm
			| (if ($cs | length) != 1 then "mappings bad \($cs | length) containers in the record"
			   else ($cs[0].mappings | map({iova: (.iova | hex), length: (.length | hex)})) as $gm
			   | if $gm == $wm then "mappings ok \($gm | length)"
			     else "mappings bad got \($gm | tojson) want \($wm | tojson)" end
			   end),
			(if ($cs | length) == 1 then "windows \($cs[0].windows | map("[\(.start), \(.last)]") | join(" "))"
			 else empty end)
		  end' "$1" > "$1.verdict" 2>&1 ||
		echo "summary bad jq failed: $(head -c 300 "$1.verdict")" > "$1.verdict"
	while read -r _what _res _detail; do
		case $_what in
		summary) _d="per-op counts and bytes equal the kprobe record" ;;
		classes) _d="size classes of the maps and unmaps equal the kprobe record" ;;
		mappings) _d="the container's mappings (IOVA, length) equal the kprobe record's" ;;
		windows)
			echo "# $4: container windows $_res $_detail"
			continue ;;
		*) continue ;;
		esac
		if [ "$_res" = ok ]; then
			tap_ok "$4: $_d${_detail:+ ($_detail)}"
		else
			tap_not_ok "$4: $_d"
			echo "$_detail" | tap_diag
		fi
	done < "$1.verdict"
}

# What a client mapped, as the record saw it
clients_describe() {
	jq -r 'def hex: [recurse(if . >= 16 then (. / 16 | floor) else empty end) | . % 16]
			| reverse | map("0123456789abcdef"[.:. + 1]) | "0x" + join("");
		"# \(.comm): \(.op) iova \(.iova | hex) size \(.size | hex) ret \(.ret) phase \(.phase)"' "$1" |
		head -n 24
}

clients_traced_run() {	# PREFIX DESC CMD...: one client under dmatrace -j --
	_pfx=$1 _desc=$2
	shift 2
	t1rec_start 2> "$_pfx.rec.err" || { tap_not_ok "$_desc: the kprobe record starts"; tap_diag < "$_pfx.rec.err"; return 1; }
	bin/dmatrace -j --target kernel -- "$@" > "$_pfx.out" 2> "$_pfx.err"
	_rc=$?
	t1rec_stop "$_pfx.rec" || tap_diag < "$_pfx.rec"
	if [ $_rc = 0 ]; then
		tap_ok "$_desc: dmatrace exits with the client's status 0"
	else
		tap_not_ok "$_desc: dmatrace exits with the client's status 0 (got $_rc)"
		tail -n 15 "$_pfx.err" | tap_diag
	fi
	clients_describe "$_pfx.rec"
	clients_verdict "$_pfx.out" "$_pfx.rec" 0 "$_desc"
}

clients_qemu() {
	printf 'info status\nquit\n' > "$1/qemu.in"
	clients_traced_run "$1/qemu" "QEMU with edu passed through" \
		sh -c "exec $CLIENTS_QEMU -device vfio-pci,host=$T1_BDF < $1/qemu.in > $1/qemu.mon 2>&1"
}

# QEMU paused first, dmatrace attached after it, a DIMM hot-plugged
clients_qemu_snapshot() {
	_d=$1
	rm -f /tmp/clients.mon
	mkfifo /tmp/clients.mon
	t1rec_start 2> "$_d/snap.rec.err" || { tap_not_ok "snapshot: the kprobe record starts"; return; }
	# shellcheck disable=SC2086
	$CLIENTS_QEMU -device vfio-pci,host=$T1_BDF < /tmp/clients.mon > "$_d/snap.mon" 2>&1 &
	_q=$!
	exec 3> /tmp/clients.mon
	echo "info status" >&3
	_i=0
	while ! grep -q "VM status" "$_d/snap.mon" && [ $_i -lt 600 ]; do sleep 0.2; _i=$((_i + 1)); done
	t1rec_mark
	bin/dmatrace windows -j -p $_q --target kernel > "$_d/snap.out" 2> "$_d/snap.err" &
	_t=$!
	_i=0
	while ! grep -q "Tracing DMA" "$_d/snap.err" && [ $_i -lt 900 ]; do sleep 0.2; _i=$((_i + 1)); done
	echo "object_add memory-backend-ram,id=m1,size=16M" >&3
	echo "device_add pc-dimm,id=d1,memdev=m1" >&3
	echo "info status" >&3
	echo "quit" >&3
	exec 3>&-
	wait $_q
	_qrc=$?
	sleep 1
	kill -INT $_t
	wait $_t
	_trc=$?
	t1rec_stop "$_d/snap.rec" || tap_diag < "$_d/snap.rec"
	rm -f /tmp/clients.mon
	if [ $_qrc = 0 ] && [ $_trc = 0 ]; then
		tap_ok "paused QEMU, dmatrace -p after it: both exit 0"
	else
		tap_not_ok "paused QEMU, dmatrace -p after it: both exit 0 (QEMU $_qrc, dmatrace $_trc)"
		tail -n 15 "$_d/snap.err" "$_d/snap.mon" | tap_diag
	fi
	clients_describe "$_d/snap.rec"
	# the snapshot: what the record saw before dmatrace was live (phase 0)
	_want=$(jq -s -r '[.[] | select(.phase == 0 and .ret == 0)] |
		(reduce .[] as $o ({}; if $o.op == "vfio_map_dma" then .["\($o.iova)"] = $o.size
			else with_entries(select((.key | tonumber) < $o.iova or
				(.key | tonumber) + .value > $o.iova + $o.size)) end))
		| "\(length) \([.[]] | add // 0)"' "$_d/snap.rec")
	_got=$(sed -n 's/^dmatrace: snapshot: 1 type1 container(s) held before tracing started, with \([0-9]*\) mapping(s) .*/\1/p' "$_d/snap.err")
	_gotb=$(jq -r '[.windows[]? | select(.container) | .mapped_bytes] | add // 0' "$_d/snap.out" 2>/dev/null)
	_addb=$(jq -s '[.[] | select(.phase >= 1 and .ret == 0 and .op == "vfio_map_dma") | .size] | add // 0' "$_d/snap.rec")
	if [ "$_got ${_want#* }" = "${_want% *} $((_gotb - _addb))" ] && [ -n "$_got" ]; then
		tap_ok "snapshot: 1 container with the ${_want% *} mappings (${_want#* } bytes) QEMU held before dmatrace started"
	else
		tap_not_ok "snapshot: 1 container with the mappings QEMU held before dmatrace started (record: $_want; dmatrace: ${_got:-no snapshot line} mappings, $((_gotb - _addb)) bytes)"
		grep '^dmatrace: snapshot' "$_d/snap.err" | tap_diag
	fi
	if jq -e '[.windows[]? | select(.container)][0] | .snapshot == true and .comm == "qemu-system-x86"' \
		"$_d/snap.out" > /dev/null 2>&1; then
		tap_ok "snapshot: the container is marked as read at start and names its client (comm qemu-system-x86)"
	else
		tap_not_ok "snapshot: the container is marked as read at start and names its client"
		jq -c '[.windows[]? | select(.container)][0] | del(.mappings)' "$_d/snap.out" 2>&1 | tap_diag
	fi
	clients_verdict "$_d/snap.out" "$_d/snap.rec" 1 "paused QEMU, traced after the snapshot"
}

clients_dpdk() {
	_dev=$(grep -l 0x100e /sys/bus/pci/devices/*/device 2>/dev/null | head -n 1)
	_dev=${_dev%/device}
	_bdf=$(basename "${_dev:-none}")
	if [ -z "$_dev" ] || ! command -v dpdk-testpmd > /dev/null; then
		tap_not_ok "DPDK testpmd on an e1000 (device: ${_dev:-none}; dpdk-testpmd: $(command -v dpdk-testpmd || echo missing))"
		return
	fi
	[ -e "$_dev/driver" ] && echo "$_bdf" > "$_dev/driver/unbind"
	echo vfio-pci > "$_dev/driver_override"
	echo "$_bdf" > /sys/bus/pci/drivers_probe
	echo 64 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
	mkdir -p /dev/hugepages
	mountpoint -q /dev/hugepages || mount -t hugetlbfs none /dev/hugepages
	# testpmd waits for a line on stdin to stop forwarding and exit
	clients_traced_run "$1/dpdk" "DPDK testpmd on e1000 $_bdf" \
		sh -c "(sleep 5; echo) | exec dpdk-testpmd -l 0-1 -n 1 -a $_bdf --file-prefix dt -- --auto-start --total-num-mbufs=2048 > $1/dpdk.log 2>&1"
	grep -m 3 -E 'IOVA|IOMMU|VFIO' "$1/dpdk.log" | sed 's/^/# testpmd: /'
}

clients_cases() {
	clients_qemu "$1"
	clients_qemu_snapshot "$1"
	clients_dpdk "$1"
}
