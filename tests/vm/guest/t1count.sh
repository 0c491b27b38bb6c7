# SPDX-License-Identifier: GPL-2.0
# An independent count of native VFIO type1 ops, without BPF (POSIX sh,
# sourced): tracefs kprobe and kretprobe events on the type1 driver's
# vfio_iommu_type1_ioctl (what dmatrace's vfio-type1 backend hooks) and on
# the container's vfio_fops_unl_ioctl (every ioctl on /dev/vfio/vfio, a
# driver set or not), the entries filtered to VFIO_IOMMU_MAP_DMA (0x3b71)
# and VFIO_IOMMU_UNMAP_DMA (0x3b72), each return paired with its entry by
# pid. Module-qualified (vfio_iommu_type1:..., vfio:...) on a kernel where
# they are modules (Debian's), bare where VFIO is built in (ours).
# System-wide: run nothing else on /dev/vfio in between.
#   t1count_start            reset the buffer, add the events, start
#   t1count_stop FILE        stop, remove the events; FILE gets the driver's
#                            calls by op and return value in the shape of
#                            dmaload's ground truth "ops" (docs/
#                            ground-truth.md): {"vfio_map_dma":{"0":3,
#                            "-EINVAL":13},"vfio_unmap_dma":{...}} (errno
#                            names as strerrorname_np gives them, from the
#                            uAPI headers; ops with calls only), FILE.container
#                            the same at the container; status 1 (and
#                            "trace buffer overrun" in FILE) on a lost event
T1COUNT_T=/sys/kernel/tracing

t1count_events() {	# the event definitions, one a line
	_drv=vfio_iommu_type1_ioctl _ctr=vfio_fops_unl_ioctl
	[ -e /sys/module/vfio_iommu_type1/initstate ] && _drv=vfio_iommu_type1:$_drv
	[ -e /sys/module/vfio/initstate ] && _ctr=vfio:$_ctr
	echo "p:dtt1/drv $_drv cmd=%si:u32"
	echo "r:dtt1/drv_ret $_drv ret=\$retval:s64"
	echo "p:dtt1/ctr $_ctr cmd=%si:u32"
	echo "r:dtt1/ctr_ret $_ctr ret=\$retval:s64"
}

t1count_remove() {
	for _e in drv drv_ret ctr ctr_ret; do
		echo "-:dtt1/$_e" >> $T1COUNT_T/kprobe_events
	done 2>/dev/null
}

t1count_start() {
	echo 0 > $T1COUNT_T/tracing_on
	[ -d $T1COUNT_T/events/dtt1 ] && echo 0 > $T1COUNT_T/events/dtt1/enable
	t1count_remove
	t1count_events >> $T1COUNT_T/kprobe_events || return
	for _e in drv ctr; do
		echo 'cmd == 0x3b71 || cmd == 0x3b72' > $T1COUNT_T/events/dtt1/$_e/filter || return
	done
	echo 1 > $T1COUNT_T/events/dtt1/enable &&
		: > $T1COUNT_T/trace &&
		echo 1 > $T1COUNT_T/tracing_on
}

t1count_stop() {
	echo 0 > $T1COUNT_T/tracing_on
	echo 0 > $T1COUNT_T/events/dtt1/enable
	awk -v out="$1" '
		FILENAME ~ /errno/ {
			if ($1 == "#define" && $3 ~ /^[0-9]+$/ && !($3 in name))
				name[$3] = $2
			next
		}
		/^# entries-in-buffer\/entries-written:/ {
			split($3, e, "/")
			if (e[1] != e[2]) lost = 1
			next
		}
		/^#/ { next }
		{
			if (!match($0, /-[0-9]+ +(\([ 0-9-]+\) +)?\[[0-9]+\]/)) next
			pid = substr($0, RSTART + 1, RLENGTH - 1)
			sub(/ .*/, "", pid)
			if (!match($0, / (drv|drv_ret|ctr|ctr_ret): /)) next
			ev = substr($0, RSTART + 1, RLENGTH - 3)
			if (ev == "drv" || ev == "ctr") {
				if (!match($0, /cmd=[0-9]+/)) next
				cmd[ev, pid] = substr($0, RSTART + 4, RLENGTH - 4) + 0
				next
			}
			at = ev == "drv_ret" ? "drv" : "ctr"
			if (!((at, pid) in cmd) || !match($0, /ret=-?[0-9]+/)) next
			c = cmd[at, pid]
			delete cmd[at, pid]
			r = substr($0, RSTART + 4, RLENGTH - 4) + 0
			op = c == 15217 ? "vfio_map_dma" : "vfio_unmap_dma"
			key = r == 0 ? "0" : (-r in name) ? "-" name[-r] : r
			if (!((at, op, key) in n))
				keys[at, op] = keys[at, op] (keys[at, op] == "" ? "" : " ") key
			n[at, op, key]++
		}
		function ops(at,   s, i, j, k, nk, o, op) {
			s = "{"
			split("vfio_map_dma vfio_unmap_dma", o, " ")
			for (i = 1; i <= 2; i++) {
				op = o[i]
				if (!((at, op) in keys)) continue
				s = s (s == "{" ? "" : ",") "\"" op "\":{"
				nk = split(keys[at, op], k, " ")
				for (j = 1; j <= nk; j++)
					s = s (j > 1 ? "," : "") "\"" k[j] "\":" n[at, op, k[j]]
				s = s "}"
			}
			return s "}"
		}
		END {
			if (lost) {
				print "trace buffer overrun" > out
				print "trace buffer overrun" > (out ".container")
				exit 1
			}
			print ops("drv") > out
			print ops("ctr") > (out ".container")
		}' /usr/include/asm-generic/errno-base.h /usr/include/asm-generic/errno.h \
		$T1COUNT_T/trace
	_t1c_rc=$?
	t1count_remove
	echo 1 > $T1COUNT_T/tracing_on
	return $_t1c_rc
}
