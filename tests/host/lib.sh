# SPDX-License-Identifier: GPL-2.0
# Helpers for the host BPF tests (tests/host/*.t): sourced, from the top of
# the tree. TAP out; skips loudly without root, BPF, jq or the binaries.
DMATRACE=${DMATRACE:-bin/dmatrace}
DMALOAD=${DMALOAD:-bin/dmaload}
. tests/lib/tap.sh

need_built() {
	for b in "$DMATRACE" "$DMALOAD" bin/libdmaref.so; do
		[ -x "$b" ] || [ -f "$b" ] || skip_all "$b not built (run make)"
	done
	command -v jq >/dev/null || skip_all "jq missing (make deps installs it)"
}

need_root_bpf() {
	[ "$(id -u)" = 0 ] || skip_all "needs root to load BPF programs (run as root)"
	[ -r /sys/kernel/btf/vmlinux ] || skip_all "no kernel BTF (/sys/kernel/btf/vmlinux)"
	command -v bpftool >/dev/null || skip_all "bpftool missing (make deps)"
	bpftool prog list >/dev/null 2>&1 || skip_all "BPF syscall not permitted here"
}

# The ground-truth summary, normalised: keys sorted, violations sorted by
# (ioas, op, kind, iova, length, ret) as docs/ground-truth.md says.
normalise() {
	jq -S -c '.violations |= sort_by(.ioas, .container, .op, .kind, .iova, .length, .ret)'
}

# same_json GOT_FILE WANT_FILE DESCRIPTION: equal normalised JSON; on a
# difference, the first differing lines (one JSON value per line)
same_json() {
	if cmp -s "$1" "$2"; then
		ok 0 "$3"
		return
	fi
	ok 1 "$3"
	jq -c '.. | objects | select(has("kind") or has("id"))' "$1" > "$1.lines"
	jq -c '.. | objects | select(has("kind") or has("id"))' "$2" > "$2.lines"
	echo "#   ops got:  $(jq -c '[.ops, .bytes_mapped, .bytes_unmapped]' "$1")"
	echo "#   ops want: $(jq -c '[.ops, .bytes_mapped, .bytes_unmapped]' "$2")"
	diff "$1.lines" "$2.lines" | grep '^[<>]' | head -n 12 |
		sed 's/^</#   got: /; s/^>/#   want:/'
}

# trace_vs_truth TMPDIR DMALOAD_ARGS...: run dmaload under dmatrace -j;
# leaves $1/truth (dmaload --json summary) and $1/record (dmatrace record)
trace_vs_truth() {
	dir=$1
	shift
	"$DMATRACE" -j -- sh -c "exec \"\$0\" \"\$@\" --json > $dir/out" \
		"$DMALOAD" "$@" > "$dir/record" 2> "$dir/err"
}

