#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmaload on tests/scripts/*.dms (ref backend): every op line annotated
# "# => RET [key=value...]" must produce exactly that result. RET is 0 or
# -ENAME; values are compared as the JSON prints them (ids as numbers,
# addresses as "0x..."); ranges=S-L,S-L compares the whole array.
cd "$(dirname "$0")/../.." || exit 1
. tests/unit/dmaload_lib.sh
need_tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

errno_of() {
	case $1 in
	0) echo 0 ;;
	-EPERM) echo -1 ;;	-ENOENT) echo -2 ;;	-EBUSY) echo -16 ;;
	-EEXIST) echo -17 ;;	-ENODEV) echo -19 ;;	-EINVAL) echo -22 ;;
	-ENOSPC) echo -28 ;;	-EOVERFLOW) echo -75 ;;	-EMSGSIZE) echo -90 ;;
	-EOPNOTSUPP) echo -95 ;; -EADDRINUSE) echo -98 ;;
	*) echo "?$1" ;;
	esac
}

# ranges=0x0-0xfff,0x2000-0x2fff -> [["0x0","0xfff"],["0x2000","0x2fff"]]
ranges_json() {
	[ -z "$1" ] && { echo '[]'; return; }
	echo "$1" | tr ',' '\n' | awk -F- '{ printf "%s[\"%s\",\"%s\"]", (NR > 1 ? "," : "["), $1, $2 } END { print "]" }'
}

check_script() {
	s=$1 name=$(basename "$1")
	out=$tmp/$name.out
	"$DMALOAD" --script "$s" > "$out" 2> "$tmp/$name.err"
	is "$?" 0 "$name: runs, exit 0"
	nops=$(sed 's/#.*//' "$s" | grep -c '[^[:space:]]')
	is "$(wc -l < "$out" | tr -d ' ')" "$nops" "$name: one JSON line per op ($nops)"
	grep -n '# =>' "$s" | while IFS= read -r l; do
		n=${l%%:*}
		want=${l#*# => }
		op=$(echo "${l#*:}" | sed 's/[[:space:]]*#.*//')
		[ -n "$op" ] || continue	# a comment that quotes the syntax
		got=$(jq -c "select(.line == $n)" "$out")
		set -- $want
		rc=0
		[ "$(echo "$got" | jq -r .ret)" = "$(errno_of "$1")" ] || rc=1
		shift
		for kv in "$@"; do
			k=${kv%%=*} v=${kv#*=}
			if [ "$k" = ranges ]; then
				[ "$(echo "$got" | jq -c .ranges)" = "$(ranges_json "$v")" ] || rc=1
			else
				[ "$(echo "$got" | jq -r ".$k | tostring")" = "$v" ] || rc=1
			fi
		done
		ok $rc "$name:$n: $op => $want"
		[ $rc = 0 ] || echo "#   got: $got"
	done > "$tmp/$name.tap"
	# the loop ran in a subshell: renumber its points here
	while IFS= read -r t; do
		case $t in
		"ok "*) ok 0 "${t#ok * - }" ;;
		"not ok "*) ok 1 "${t#not ok * - }" ;;
		*) echo "$t" ;;
		esac
	done < "$tmp/$name.tap"
}

for s in tests/scripts/*.dms; do
	check_script "$s"
done
done_testing
