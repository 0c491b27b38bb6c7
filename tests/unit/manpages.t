#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The man pages (man/dmatrace.8, man/dmaload.1) in sync with the programs:
# every option, command and op that `dmatrace --help`, `dmatrace diff -h`
# and `dmaload --help` print, every environment variable the programs read
# (getenv) and every DT_EXIT_* status is in the page; both render without
# a warning (groff -man -ww, and man -l as lintian runs it).
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
for b in bin/dmatrace bin/dmaload; do
	[ -x "$b" ] || { echo "1..1"; echo "not ok 1 - $b not built (run make)"; exit 1; }
done
command -v groff >/dev/null || skip_all "groff missing (groff-base)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# plain PAGE: the roff source with \- as -, font escapes and requests'
# leading dot gone: what a reader sees, one source line per line
plain() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(aq/'"'"'/g' \
	    -e 's/^\.[A-Z][A-Z]* *//' "$1"
}

# options HELP_FILE: every --long and -x option the help names
options() {
	grep -o -- '--[a-z][a-z0-9-]*' "$1"
	grep -o -- '^ *-[A-Za-z],' "$1" | tr -d ' ,'
}

# has PAGE_TEXT WORD: WORD in the page, not as part of a longer option
has() {
	grep -q -e "\(^\|[^-A-Za-z0-9_]\)$2\([^-A-Za-z0-9_]\|$\)" "$1"
}

check() {	# check PAGE HELP_FILE WHAT
	page=$1
	plain "$page" > "$tmp/page"
	options "$2" | sort -u > "$tmp/opts"
	[ -s "$tmp/opts" ]
	ok $? "$3: options found in the help ($(wc -l < "$tmp/opts"))"
	missing=""
	while read -r o; do
		has "$tmp/page" "$o" || missing="$missing $o"
	done < "$tmp/opts"
	is "$missing" "" "$page: every option of $3"
}

bin/dmatrace --help > "$tmp/help"
ok $? "dmatrace --help exits 0"
bin/dmatrace diff -h > "$tmp/diffhelp"
ok $? "dmatrace diff -h exits 0"
bin/dmatrace layout --help > "$tmp/layouthelp"
ok $? "dmatrace layout --help exits 0"
cat "$tmp/help" "$tmp/diffhelp" "$tmp/layouthelp" > "$tmp/allhelp"
check man/dmatrace.8 "$tmp/allhelp" "dmatrace --help, diff -h and layout --help"

# commands: the lines of the "Commands" paragraph
awk '/^Commands/ { c = 1; next } c && /^$/ { exit }
     c && /^  [a-z]/ { print $1 }' "$tmp/help" > "$tmp/cmds"
is "$(tr '\n' ' ' < "$tmp/cmds")" "probe latency windows violations exporter demo diff layout " \
	"dmatrace --help: the commands"
missing=""
while read -r c; do
	grep -q "^\.B[I]* $c\( \|$\)" man/dmatrace.8 || missing="$missing $c"
done < "$tmp/cmds"
is "$missing" "" "man/dmatrace.8: a .TP entry for every command"

# ops: what --op takes, as --help lists them
awk '/--op=OP/ { c = 1 } c { print } c && /vfio_unmap_dma|^  *-/ && !/--op=/ { exit }' \
	"$tmp/help" | sed 's/.*only this op://' | tr ',' '\n' |
	sed -n "s/^ *\\([a-z0-9_][a-z0-9_]*\\) *$/\\1/p" > "$tmp/ops"
[ "$(wc -l < "$tmp/ops")" -ge 10 ]
ok $? "dmatrace --help: the ops of --op ($(wc -l < "$tmp/ops"))"
plain man/dmatrace.8 > "$tmp/page"
missing=""
while read -r o; do
	has "$tmp/page" "$o" || missing="$missing $o"
done < "$tmp/ops"
is "$missing" "" "man/dmatrace.8: every op of --op"

bin/dmaload --help > "$tmp/lhelp"
ok $? "dmaload --help exits 0"
check man/dmaload.1 "$tmp/lhelp" "dmaload --help"

# section PAGE NAME: the text of the page's section NAME (.SH NAME)
section() {
	awk -v s=".SH $2" '$0 == s { e = 1; next } /^\.SH / { e = 0 } e' "$1" > "$tmp/sect"
	plain "$tmp/sect"
}

# environment: every variable the programs read, in ENVIRONMENT
envcheck() {	# envcheck PAGE SOURCE_DIR
	section "$1" ENVIRONMENT > "$tmp/env"
	missing=""
	for v in $(grep -rho 'getenv("[A-Z_]*")' "$2" | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
		has "$tmp/env" "$v" || missing="$missing $v"
	done
	is "$missing" "" "$1: ENVIRONMENT names every variable $2 reads"
}
envcheck man/dmatrace.8 src/dmatrace
envcheck man/dmaload.1 tools/dmaload

# exit statuses: 127 (CMD cannot run) and each DT_EXIT_* of src/dmatrace
section man/dmatrace.8 "EXIT STATUS" > "$tmp/exit"
missing=""
for s in 127 $(sed -n 's/^#define DT_EXIT_[A-Z_]*[[:space:]]*\([0-9]*\).*/\1/p' src/dmatrace/*.h); do
	grep -qx "$s" "$tmp/exit" || missing="$missing $s"
done
is "$missing" "" "man/dmatrace.8: EXIT STATUS has 127 and every DT_EXIT_* status"

# rendering: no warning from groff (all warnings on) nor from man -l
for p in man/dmatrace.8 man/dmaload.1; do
	LC_ALL=C.UTF-8 groff -man -Tutf8 -ww "$p" > "$tmp/out" 2> "$tmp/err"
	ok $? "$p: groff -man -Tutf8 -ww exits 0"
	is "$(cat "$tmp/err")" "" "$p: groff -ww warns nothing"
	grep -q . "$tmp/out"
	ok $? "$p: renders text"
	if command -v man >/dev/null; then
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$p" \
			> /dev/null 2> "$tmp/err"
		ok $? "$p: man -l exits 0"
		is "$(cat "$tmp/err")" "" "$p: man --warnings -l warns nothing"
	else
		skip "man missing (man-db): man -l not tried"
	fi
done
done_testing
