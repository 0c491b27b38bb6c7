#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One include root per namespace. From the top of the tree:
#   tools/check-includes.sh ROOT...     (the build's -I directories)
# TAP out, two points:
#  1. no namespace exists under two roots (a namespace: an entry of a root
#     that is a header or a directory with headers in it: dmatrace/, view/);
#  2. every quoted #include of the tree's C sources resolves to exactly one
#     file, relative to the including file or under one root.
. tests/lib/tap.sh
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# Namespaces: "NAME ROOT" lines
for r in "$@"; do
	for e in "$r"/*; do
		case $e in
		*.h) [ -f "$e" ] || continue ;;
		*) [ -d "$e" ] && [ -n "$(find "$e" -name '*.h' -print -quit)" ] || continue ;;
		esac
		echo "${e##*/} $r"
	done
done | sort > "$T/ns"
awk '{ n[$1]++; r[$1] = r[$1] " " $2 } END { for (k in n) if (n[k] > 1) print k ":" r[k] }' \
	"$T/ns" | sort > "$T/dup"
[ -s "$T/dup" ]
ok $((! $?)) "no namespace under two include roots ($(echo $(cut -d' ' -f1 "$T/ns"))) in: $*"
sed 's/^/#   namespace under several roots: /' "$T/dup"

# Quoted includes: the candidates that exist, counted by real path
roots=$*
find bpf include src tests tools -name '*.[ch]' | sort | while read -r f; do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
	while read -r inc; do
		found= n=0
		for d in "${f%/*}" $roots; do
			[ -f "$d/$inc" ] || continue
			p=$(readlink -f "$d/$inc")
			case "$found " in *" $p "*) continue ;; esac
			found="$found $p" n=$((n + 1))
		done
		[ $n = 1 ] || echo "$f: \"$inc\" resolves to $n files$found"
	done
done > "$T/bad"
[ -s "$T/bad" ]
ok $((! $?)) "every quoted include resolves to exactly one file"
sed 's/^/#   /' "$T/bad"
done_testing
