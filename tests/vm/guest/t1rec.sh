# SPDX-License-Identifier: GPL-2.0
# An independent record of native VFIO type1 maps and unmaps, without BPF
# (POSIX sh, sourced): tracefs kprobe events on vfio_iommu_type1_ioctl that
# read the uAPI struct from user memory (+uOFF(%dx): struct
# vfio_iommu_type1_dma_map {argsz, flags, vaddr, iova, size} and _unmap
# {argsz, flags, iova, size}), a kretprobe for each return (paired with
# its entry by pid), and trace_marker lines that cut the run into phases.
# Module-qualified where vfio_iommu_type1 is a module. System-wide.
#   t1rec_start             reset the buffer, add the events, start
#   t1rec_mark              a new phase from here on (trace_marker)
#   t1rec_stop FILE         stop, remove the events; FILE gets one JSON
#                           object per op: {"op":"vfio_map_dma",
#                           "ret":0,"flags":3,"iova":N,"size":N,
#                           "phase":P,"comm":"..."}; status 1 when
#                           the buffer lost events
T1REC_T=/sys/kernel/tracing

t1rec_remove() {
	for _e in map unmap ret; do
		echo "-:dtrec/$_e" >> $T1REC_T/kprobe_events
	done 2>/dev/null
}

t1rec_start() {
	_fn=vfio_iommu_type1_ioctl
	[ -e /sys/module/vfio_iommu_type1/initstate ] && _fn=vfio_iommu_type1:$_fn
	echo 0 > $T1REC_T/tracing_on
	[ -d $T1REC_T/events/dtrec ] && echo 0 > $T1REC_T/events/dtrec/enable
	t1rec_remove
	{
		echo "p:dtrec/map $_fn cmd=%si:u32 flags=+u4(%dx):u32 iova=+u16(%dx):u64 size=+u24(%dx):u64"
		echo "p:dtrec/unmap $_fn cmd=%si:u32 flags=+u4(%dx):u32 iova=+u8(%dx):u64 size=+u16(%dx):u64"
		echo "r:dtrec/ret $_fn ret=\$retval:s64"
	} >> $T1REC_T/kprobe_events || return
	echo 'cmd == 0x3b71' > $T1REC_T/events/dtrec/map/filter &&
		echo 'cmd == 0x3b72' > $T1REC_T/events/dtrec/unmap/filter &&
		echo 1 > $T1REC_T/events/dtrec/enable &&
		: > $T1REC_T/trace &&
		echo 1 > $T1REC_T/tracing_on
}

t1rec_mark() {
	echo DTREC-PHASE > $T1REC_T/trace_marker
}

t1rec_stop() {
	echo 0 > $T1REC_T/tracing_on
	echo 0 > $T1REC_T/events/dtrec/enable
	# read before the events go: removing one resets the buffer
	awk '
		function val(k,    i) {
			for (i = 1; i <= NF; i++)
				if (index($i, k "=") == 1)
					return substr($i, length(k) + 2)
			return ""
		}
		/LOST|overrun/ { lost = 1 }
		/tracing_mark_write: DTREC-PHASE/ { phase++; next }
		/ (map|unmap): / {
			task = $1; pid = task; sub(/.*-/, "", pid); sub(/-[0-9]+$/, "", task)
			op[pid] = / map: / ? "vfio_map_dma" : "vfio_unmap_dma"
			fl[pid] = val("flags"); io[pid] = val("iova"); sz[pid] = val("size")
			cm[pid] = task
			next
		}
		/ ret: / {
			pid = $1; sub(/.*-/, "", pid)
			if (!(pid in op))
				next
			printf "{\"op\":\"%s\",\"ret\":%s,\"flags\":%s,\"iova\":%s,\"size\":%s,\"phase\":%d,\"comm\":\"%s\"}\n",
				op[pid], val("ret"), fl[pid], io[pid], sz[pid], phase, cm[pid]
			delete op[pid]
		}
		END { exit lost }' $T1REC_T/trace > "$1"
	_lost=$?
	t1rec_remove
	return $_lost
}
