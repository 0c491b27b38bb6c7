# SPDX-License-Identifier: GPL-2.0
# Guest side of tests/vm/10-kernel.t: what the VM tier builds on. The test
# kernel has BTF with the iommufd types, /dev/iommu, and every map ioctl
# reaches iommufd_ioas_map(), seen the same number of times by fentry, a
# kprobe and the ftrace function profiler.
. tests/vm/guest/tap.sh
T=/sys/kernel/tracing
W=/mnt/kernel

btf_has_iommufd() {
	bpftool btf dump file /sys/kernel/btf/vmlinux format raw |
		grep -q "STRUCT 'iommufd_ioas'"
}

tap_check "/sys/kernel/btf/vmlinux has struct iommufd_ioas" btf_has_iommufd
tap_check "/dev/iommu is a character device" test -c /dev/iommu
tap_check "kprobe_events is there (CONFIG_KPROBE_EVENTS)" test -w $T/kprobe_events

# The workload: 6 map ioctls (3 fail in the kernel: overlap, reserved,
# misaligned), 1 unmap
mkdir -p $W
cat > $W/maps.dms <<'DMS'
ioas a
mockdev a d
reserve a 0x40000000 0x400fffff
map a auto 0x100000
map a fixed 0x2000000 0x100000
map a fixed 0x2000000 0x100000
map a fixed 0x40000000 0x1000
map a fixed 0x3000400 0x1000
map a auto 0x1000 ro
unmap a 0x2000000 0x100000
DMS
nmaps=6

if [ ! -x bin/dmaload ]; then
	tap_not_ok "bin/dmaload is built (run make before the VM tier)"
	tap_end
	exit 0
fi
tap_check "host-built bin/dmaload runs the workload on /dev/iommu" \
	bin/dmaload --backend kernel --script $W/maps.dms
if [ -x bin/dmatrace ]; then
	tap_check "host-built bin/dmatrace (libbpf, libelf, zlib) plans fentry on the kernel" \
		sh -c 'bin/dmatrace probe > /mnt/kernel/probe.out 2>&1 &&
			grep -q "^iommufd_ioas_map  *fentry" /mnt/kernel/probe.out ||
			{ cat /mnt/kernel/probe.out; false; }'
else
	tap_not_ok "bin/dmatrace is built (run make before the VM tier)"
fi

# One bpftrace with fentry and kprobe on the same function, and the
# function profiler, around a second run of the workload
echo iommufd_ioas_map > $T/set_ftrace_filter
echo 0 > $T/function_profile_enabled
echo 1 > $T/function_profile_enabled
bpftrace -e 'BEGIN { printf("ready\n"); }
	kfunc:iommufd_ioas_map { @fentry = count(); }
	kprobe:iommufd_ioas_map { @kprobe = count(); }' > $W/bt.out 2>&1 &
bt=$!
i=0
while ! grep -q ready $W/bt.out && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
bin/dmaload --backend kernel --script $W/maps.dms > $W/run2.out 2>&1
kill -INT $bt
wait $bt
echo 0 > $T/function_profile_enabled
echo > $T/set_ftrace_filter

count_of() {
	sed -n "s/^@$1: \([0-9]*\)/\1/p" $W/bt.out
}
profiled() {
	cat $T/trace_stat/function* |
		awk '$1 == "iommufd_ioas_map" { n += $2 } END { print n + 0 }'
}
for probe in fentry kprobe; do
	n=$(count_of $probe)
	if [ "$n" = $nmaps ]; then
		tap_ok "$probe on iommufd_ioas_map counts the $nmaps map ioctls"
	else
		tap_not_ok "$probe on iommufd_ioas_map counts the $nmaps map ioctls (got '${n}')"
		tap_diag < $W/bt.out
	fi
done
n=$(profiled)
if [ "$n" = $nmaps ]; then
	tap_ok "the function profiler counts the $nmaps map ioctls"
else
	tap_not_ok "the function profiler counts the $nmaps map ioctls (got $n)"
	cat $T/trace_stat/function* | tap_diag
fi
tap_end
