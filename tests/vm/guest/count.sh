# SPDX-License-Identifier: GPL-2.0
# An independent count of dmatrace's ops, without BPF (POSIX sh, sourced
# by guest scripts): the ftrace function profiler counts the iommufd
# handler functions dmatrace hooks, and two filtered kprobe events split
# iommufd_vfio_ioctl() by command (VFIO_IOMMU_MAP_DMA 0x3b71, UNMAP_DMA
# 0x3b72), counted as lines in the trace buffer. System-wide: run nothing
# else on /dev/iommu in between.
#   count_start              reset and start counting
#   count_stop FILE          stop; FILE gets {"op": calls, ...} (ops with
#                            calls only, keys sorted), the form of
#                            count_ops below
#   count_ops RECORD         dmatrace -j RECORD's summary in that form
COUNT_T=/sys/kernel/tracing
# handler function -> dt_op name (include/dmatrace/ops.h)
COUNT_FUNCS="iommufd_ioas_alloc_ioctl:ioas_alloc iommufd_destroy:destroy
iommufd_ioas_map:map iommufd_ioas_unmap:unmap iommufd_ioas_copy:copy
iommufd_ioas_iova_ranges:iova_ranges iommufd_ioas_allow_iovas:allow_iovas"

count_start() {
	echo 0 > $COUNT_T/tracing_on
	echo 0 > $COUNT_T/function_profile_enabled
	: > $COUNT_T/set_ftrace_filter
	for fo in $COUNT_FUNCS; do
		echo "${fo%%:*}" >> $COUNT_T/set_ftrace_filter
	done
	echo '-:dtcount/type1_map' >> $COUNT_T/kprobe_events 2>/dev/null
	echo '-:dtcount/type1_unmap' >> $COUNT_T/kprobe_events 2>/dev/null
	echo 'p:dtcount/type1_map iommufd_vfio_ioctl cmd=%si:u32' >> $COUNT_T/kprobe_events
	echo 'p:dtcount/type1_unmap iommufd_vfio_ioctl cmd=%si:u32' >> $COUNT_T/kprobe_events
	echo 'cmd == 0x3b71' > $COUNT_T/events/dtcount/type1_map/filter
	echo 'cmd == 0x3b72' > $COUNT_T/events/dtcount/type1_unmap/filter
	echo 1 > $COUNT_T/events/dtcount/enable
	: > $COUNT_T/trace
	echo 1 > $COUNT_T/tracing_on
	echo 1 > $COUNT_T/function_profile_enabled
}

count_stop() {
	echo 0 > $COUNT_T/function_profile_enabled
	echo 0 > $COUNT_T/tracing_on
	echo 0 > $COUNT_T/events/dtcount/enable
	{
		cat $COUNT_T/trace_stat/function*
		echo "type1_map $(grep -c 'type1_map:' $COUNT_T/trace)"
		echo "type1_unmap $(grep -c 'type1_unmap:' $COUNT_T/trace)"
		sed -n 's|^# entries-in-buffer/entries-written: \([0-9]*\)/\([0-9]*\).*|\1 \2|p' \
			$COUNT_T/trace | awk '$1 != $2 { print "LOST" }'
	} | awk -v map="$COUNT_FUNCS" '
		BEGIN {
			n = split(map, m, /[ \n]+/)
			for (i = 1; i <= n; i++) {
				split(m[i], f, ":")
				op[f[1]] = f[2]
			}
			op["type1_map"] = "type1_map"
			op["type1_unmap"] = "type1_unmap"
		}
		$1 == "LOST" { lost = 1 }
		$1 in op { c[op[$1]] += $2 }
		END {
			if (lost) { print "trace buffer overrun"; exit 1 }
			s = "{"
			n = asorti_keys(c, k)
			for (i = 1; i <= n; i++)
				if (c[k[i]])
					s = s (s == "{" ? "" : ",") "\"" k[i] "\":" c[k[i]]
			print s "}"
		}
		function asorti_keys(a, k,    i, j, t, n) {
			n = 0
			for (i in a) k[++n] = i
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && k[j - 1] > k[j]; j--) {
					t = k[j]; k[j] = k[j - 1]; k[j - 1] = t
				}
			return n
		}' > "$1"
	: > $COUNT_T/set_ftrace_filter
	echo '-:dtcount/type1_map' >> $COUNT_T/kprobe_events
	echo '-:dtcount/type1_unmap' >> $COUNT_T/kprobe_events
	echo 1 > $COUNT_T/tracing_on
}

count_ops() {
	jq -S -c '.summary.ops | map_values([.[]] | add)' "$1"
}

# What is attached right now, from the kernel (bpftool), into DIR/perf
# (perf_event attachments: kprobes) and DIR/links (BPF links: fentry/fexit)
attach_snapshot() {
	bpftool perf show > "$1/perf" 2>&1
	bpftool link show > "$1/links" 2>&1
}

# attached_kprobes DIR: the functions with a kprobe program attached
attached_kprobes() {
	awk '$0 ~ / kprobe / { for (i = 1; i < NF; i++) if ($i == "func") print $(i + 1) }' \
		"$1/perf" | sort -u | tr '\n' ' '
}

# attached_fentry DIR: how many fentry links there are
attached_fentry() {
	grep -c 'attach_type trace_fentry' "$1/links"
}

# attached_tracing_links DIR: "fentry N fexit M", the links bpftool sees
attached_tracing_links() {
	echo "fentry $(attached_fentry "$1") fexit $(grep -c 'attach_type trace_fexit' "$1/links")"
}

# reported_tracing_links FILE: "fentry N fexit M", the links dmatrace's
# attach report says it made ("dmatrace: links: fentry 12 fexit 13 ...")
reported_tracing_links() {
	sed -n 's/^dmatrace: links://p' "$1" | head -n 1 |
		awk '{ for (i = 1; i < NF; i += 2) n[$i] = $(i + 1) }
			END { print "fentry " n["fentry"] + 0 " fexit " n["fexit"] + 0 }'
}

# missing_kprobes DIR: the op handlers dmatrace hooks with no kprobe
# attached (empty: all there)
COUNT_HANDLERS="iommufd_destroy iommufd_ioas_alloc_ioctl iommufd_ioas_allow_iovas
iommufd_ioas_copy iommufd_ioas_iova_ranges iommufd_ioas_map iommufd_ioas_unmap
iommufd_vfio_ioctl"
missing_kprobes() {
	_got=" $(attached_kprobes "$1")"
	_missing=""
	for _f in $COUNT_HANDLERS; do
		case $_got in *" $_f "*) ;; *) _missing="$_missing $_f" ;; esac
	done
	echo "${_missing# }"
}

# reported_points FILE KIND: how many points dmatrace's attach report
# (stderr: "dmatrace: N of M points live: fentry 11 tp_btf 1...") says
# are on KIND (0 when it names none)
reported_points() {
	sed -n 's/.*points live: \([^;]*\).*/\1/p' "$1" | head -n 1 |
		awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) n = $(i + 1) }
			END { print n + 0 }'
}

# attached_kprobe_count DIR: how many functions have a kprobe attached
attached_kprobe_count() {
	attached_kprobes "$1" | wc -w
}
