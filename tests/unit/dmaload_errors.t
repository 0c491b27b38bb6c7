#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmaload bad input: a clear one-line error on stderr, a non-zero exit,
# and for a malformed script nothing executed (the whole file is parsed
# first).
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
need_tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_error "ARGS" "STDERR LINE" DESCRIPTION
expect_error() {
	# shellcheck disable=SC2086
	"$DMALOAD" $1 > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ $rc != 0 ]
	ok $? "$3: non-zero exit ($rc)"
	is "$(cat "$tmp/err")" "$2" "$3: one-line message"
	is "$(wc -c < "$tmp/out" | tr -d ' ')" 0 "$3: nothing on stdout"
}

script() {	# script NAME LINES...: write tests' scratch script
	f=$tmp/$1; shift
	printf '%s\n' "$@" > "$f"
}

script typo.dms "ioas a" "map a auto 0x1000" "" "# comment" "mpa a auto 0x1000" "unmap a all"
expect_error "--script $tmp/typo.dms" "dmaload: $tmp/typo.dms:5: unknown op 'mpa'" "unknown op"
script num.dms "ioas a" "map a fixed 0x10g0 0x1000"
expect_error "--script $tmp/num.dms" "dmaload: $tmp/num.dms:2: bad number '0x10g0'" "bad number"
script ovf.dms "ioas a" "map a auto 0x10000000000000000"
expect_error "--script $tmp/ovf.dms" "dmaload: $tmp/ovf.dms:2: bad number '0x10000000000000000'" "number over 64 bits"
script big.dms "ioas a" "map a auto 17179869184G"
expect_error "--script $tmp/big.dms" "dmaload: $tmp/big.dms:2: bad number '17179869184G'" "suffix overflows 64 bits"
script name.dms "ioas a" "map b auto 0x1000"
expect_error "--script $tmp/name.dms" "dmaload: $tmp/name.dms:2: unknown name 'b'" "name used before 'ioas NAME'"
script kind.dms "ioas a" "mockdev a d" "map d auto 0x1000"
expect_error "--script $tmp/kind.dms" "dmaload: $tmp/kind.dms:3: 'd' is a mockdev, not an ioas" "mockdev where an ioas is needed"
script win.dms "ioas a" "map a auto 0x1000" "window a 0 2G 4K"
expect_error "--backend kernel --script $tmp/win.dms" \
	"dmaload: $tmp/win.dms:3: 'window' needs the seed's multi-window extension, which the kernel backend has not (use --backend ref)" \
	"window op on the kernel backend, refused before anything runs"
script arity.dms "ioas a" "unmap a 0x1000"
expect_error "--script $tmp/arity.dms" "dmaload: $tmp/arity.dms:2: usage: unmap NAME IOVA LEN | unmap NAME all" "missing argument"
script mode.dms "ioas a" "map a fxed 0x1000 0x1000"
expect_error "--script $tmp/mode.dms" "dmaload: $tmp/mode.dms:2: map: want 'fixed' or 'auto', not 'fxed'" "bad map mode"
script range.dms "ioas a" "allow a 0x1000:0x2000"
expect_error "--script $tmp/range.dms" "dmaload: $tmp/range.dms:2: bad range '0x1000:0x2000' (want START-LAST)" "bad range"
script prot.dms "ioas a" "map a fixed 0x1000 0x1000 rx"
expect_error "--script $tmp/prot.dms" "dmaload: $tmp/prot.dms:2: unexpected 'rx' (want ro, wo, rw or a UADDR)" "bad protection word"
# A line is bounded before it is read whole (DL_MAX_LINE: 4096 bytes,
# its newline included): /dev/zero and a pipe without a newline fail at
# once, in little memory (256 MiB of data, not under ASan's shadow)
bounded() {	# bounded ARGS...: dmaload ARGS in 20 s and, unsanitized, 256 MiB
	case $DMALOAD in
	*bin-asan*) timeout 20 "$DMALOAD" "$@" ;;
	*) (ulimit -d 262144 && exec timeout 20 "$DMALOAD" "$@") ;;
	esac
}
bounded --script /dev/zero > "$tmp/out" 2> "$tmp/err"
is "$?:$(cat "$tmp/err")" "1:dmaload: /dev/zero:1: NUL byte in the line (not a text file?)" \
	"/dev/zero as a script: refused at line 1, exit 1"
head -c 100000000 /dev/zero | tr '\0' x | bounded --script /dev/stdin > "$tmp/out" 2> "$tmp/err"
is "$?:$(cat "$tmp/err")" "1:dmaload: /dev/stdin:1: line longer than 4096 bytes" \
	"100 MB without a newline on a pipe: refused at line 1, exit 1"
{ echo "ioas a"; head -c 4096 /dev/zero | tr '\0' x; echo; } > "$tmp/long.dms"
expect_error "--script $tmp/long.dms" "dmaload: $tmp/long.dms:2: line longer than 4096 bytes" "a line of 4097 bytes"
{ echo "ioas a"; head -c 4095 /dev/zero | tr '\0' ' '; echo; } > "$tmp/edge.dms"
"$DMALOAD" --script "$tmp/edge.dms" > "$tmp/out" 2> "$tmp/err"
is "$?:$(cat "$tmp/err")" "0:" "a line of exactly 4096 bytes (newline included) is read"
expect_error "--script $tmp/missing.dms" "dmaload: $tmp/missing.dms: No such file or directory" "missing file"
expect_error "--scenario boot" "dmaload: unknown scenario 'boot' (vm-boot, dpdk, churn, violations, power)" "unknown scenario"
expect_error "--scenario churn --seed 0x" "dmaload: bad number for --seed: '0x'" "bad seed"
expect_error "--scenario churn --seed -1" "dmaload: bad number for --seed: '-1'" "negative seed"
expect_error "--scenario churn --ops 12k3" "dmaload: bad number for --ops: '12k3'" "bad --ops"
expect_error "--scenario violations --ops 2" "dmaload: --ops 2 too small for violations (at least 4)" "--ops below the setup"
expect_error "--scenario churn --threads 65" "dmaload: --threads must be 1..64, not 65" "too many threads"
expect_error "--scenario dpdk --threads 2" "dmaload: --threads applies to churn only" "--threads on another scenario"
expect_error "--scenario churn --frobnicate" "dmaload: unknown option '--frobnicate' (see --help)" "unknown option"
expect_error "--scenario" "dmaload: option --scenario needs an argument (see --help)" "option without its argument"
expect_error "--json" "dmaload: give exactly one of --script FILE or --scenario NAME" "neither script nor scenario"
expect_error "--backend qemu --scenario churn" "dmaload: unknown backend 'qemu' (ref, kernel)" "unknown backend"
expect_error "--backend kernel --script $tmp/typo.dms" "dmaload: $tmp/typo.dms:5: unknown op 'mpa'" "script checked before the backend opens"
# A full disk: the run completes, the write error is one line, exit 4
if [ -w /dev/full ]; then
	"$DMALOAD" --scenario dpdk --ops 50 --json > /dev/full 2> "$tmp/err"
	is "$?:$(cat "$tmp/err")" "4:dmaload: writing the output: No space left on device" \
		"stdout on a full disk (/dev/full): exit 4, one line"
	script ok.dms "ioas a" "map a auto 0x1000"
	"$DMALOAD" --script "$tmp/ok.dms" > /dev/full 2> "$tmp/err"
	is "$?:$(cat "$tmp/err")" "4:dmaload: writing the output: No space left on device" \
		"a script's per-op lines on a full disk: exit 4, one line"
else
	skip "no writable /dev/full for the full-disk test"
fi
if [ ! -e /dev/iommu ]; then
	expect_error "--backend kernel --scenario churn" \
		"dmaload: kernel backend: no /dev/iommu: kernel without CONFIG_IOMMUFD (use --backend ref, or the VM tier)" \
		"kernel backend without /dev/iommu"
fi
done_testing
