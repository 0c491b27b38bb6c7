#!/bin/sh
# Regenerate vmlinux.h (committed at the top of the tree) from a kernel BTF
# that has the iommufd and VFIO types: by default the test VM kernel's raw
# BTF (Linux 6.12 with IOMMUFD=y, VFIO=y; see tools/vm/).
#   tools/gen-vmlinux.sh [BTF_FILE]
set -eu
btf=${1:-${DMATRACE_VM_DIR:-$(dirname "$0")/../../shared/vm}/vmlinux.btf}
[ -r "$btf" ] || { echo "gen-vmlinux: no BTF at $btf" >&2; exit 1; }
bpftool btf dump file "$btf" format c > vmlinux.h.tmp
mv vmlinux.h.tmp vmlinux.h
echo "vmlinux.h: $(wc -l < vmlinux.h) lines from $btf"
