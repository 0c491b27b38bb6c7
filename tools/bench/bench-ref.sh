#!/bin/sh
# Map+unmap throughput of the reference implementation (bin/libdmaref.so)
# at 10, 10k and 1M live areas: fixed IOVAs (random and sequential probes)
# and automatic IOVAs. The per-op cost should grow at most logarithmically:
# see the vs_first column.
#   tools/bench/bench-ref.sh [ops-per-case] [live counts...]   (default 200000)
# The driver runs from a private copy of the library: uprobes that a
# concurrent dmatrace attaches to bin/libdmaref.so (by inode) would
# otherwise slow every call.
set -e
cd "$(dirname "$0")/../.."
make --no-print-directory -s bin/bench-ref
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp bin/bench-ref bin/libdmaref.so "$dir/"
ops=${1:-200000}
[ $# -gt 0 ] && shift
"$dir/bench-ref" "$ops" "$@"
