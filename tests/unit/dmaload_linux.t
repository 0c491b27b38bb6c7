#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmaload --linux: the kernel the ref backend's native type1 models (6.12
# by default, 6.1 for Debian's stock 6.1: GET_INFO's capability chain is
# not padded there, docs/type1.md); the option is the ref backend's only.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
need_tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf '%s\n' "container c" "group c edu aw 39 resv 0xfee00000-0xfeefffff msi" \
	"setiommu c v2" "vinfo c 16" "vinfo c 116" "vinfo c" > "$tmp/info.dms"
jqc='[.argsz, (.caps | length), (.ranges // [] | length)] | map(tostring) | join(" ")'
"$DMALOAD" --script "$tmp/info.dms" | tail -n 3 | jq -r "$jqc" > "$tmp/612"
"$DMALOAD" --linux 6.12 --script "$tmp/info.dms" | tail -n 3 | jq -r "$jqc" > "$tmp/612b"
"$DMALOAD" --linux 6.1 --script "$tmp/info.dms" | tail -n 3 | jq -r "$jqc" > "$tmp/61"
is "$(tr '\n' ',' < "$tmp/612")" "120 0 0,120 0 0,4096 3 2," \
	"6.12 (default): the chain needs 120 bytes"
is "$(tr '\n' ',' < "$tmp/612b")" "$(tr '\n' ',' < "$tmp/612")" "--linux 6.12 is the default"
is "$(tr '\n' ',' < "$tmp/61")" "116 0 0,116 3 2,4096 3 2," \
	"--linux 6.1: 116 bytes (DMA_AVAIL not padded), the chain read whole"
"$DMALOAD" --linux 6.2 --script "$tmp/info.dms" > "$tmp/out" 2> "$tmp/err"
is "$?:$(cat "$tmp/err"):$(wc -c < "$tmp/out" | tr -d ' ')" \
	"1:dmaload: --linux: '6.2' is not a kernel the model knows (6.1, 6.12):0" \
	"a version the model does not know: exit 1, one line, nothing run"
"$DMALOAD" --backend kernel --linux 6.1 --script "$tmp/info.dms" > "$tmp/out" 2> "$tmp/err"
is "$?:$(cat "$tmp/err"):$(wc -c < "$tmp/out" | tr -d ' ')" \
	"1:dmaload: --linux chooses the kernel the ref backend models; the kernel backend is the running kernel:0" \
	"--linux on the kernel backend: exit 1, one line, nothing run"
done_testing
