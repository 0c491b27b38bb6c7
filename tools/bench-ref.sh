#!/bin/sh
# Map+unmap throughput of the reference implementation (bin/libdmaref.so)
# at 10, 10k and 1M live areas, fixed and automatic IOVA. The per-op cost
# should grow at most logarithmically: see the vs_first column.
#   tools/bench-ref.sh [ops-per-case] [live counts...]   (default 200000)
set -e
cd "$(dirname "$0")/.."
make --no-print-directory -s bin/bench-ref
ops=${1:-200000}
[ $# -gt 0 ] && shift
exec bin/bench-ref "$ops" "$@"
