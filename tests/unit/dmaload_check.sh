# SPDX-License-Identifier: GPL-2.0
# check_script FILE [DMALOAD OPTIONS]: run a dmaload script (ref backend)
# and check every op line annotated "# => RET [key=value...]" (sourced by
# tests/unit/dmaload_scripts.t and dmaload_type1.t; needs $tmp, tap.sh).
# RET is 0, -ENAME or a positive answer; values are compared as the JSON prints them (ids as
# numbers, addresses as "0x..."); ranges=S-L,S-L compares the whole array.

# One line per op output: "LINE RET key=value ...", ranges as S-L,S-L
flatten() {
	jq -r '[(.line | tostring), (.ret | tostring)] +
	  [to_entries[] | select(.key != "line" and .key != "op" and .key != "ret") |
	   .key + "=" + (if .key == "ranges"
			 then (.value | map(.[0] + "-" + .[1]) | join(","))
			 else (.value | tostring) end)] | join(" ")' "$1"
}

# Compare: expectations (LINE<TAB>OP<TAB>WANT) against flattened output;
# print one TAP line (without number) per expectation
compare() {
	awk -F '\t' -v name="$1" '
	BEGIN {
		split("EPERM 1 ENOENT 2 EBADF 9 ENOMEM 12 EFAULT 14 EBUSY 16 " \
		      "EEXIST 17 ENODEV 19 EINVAL 22 ENOTTY 25 ENOSPC 28 " \
		      "EOVERFLOW 75 EMSGSIZE 90 EOPNOTSUPP 95 EADDRINUSE 98", t, " ")
		for (i = 1; i in t; i += 2) errno["-" t[i]] = -t[i + 1]
		errno["0"] = 0
	}
	FILENAME == ARGV[1] { split($0, f, " "); got[f[1]] = $0; next }
	{
		n = $1; op = $2; want = $3
		nw = split(want, w, " ")
		if (w[1] ~ /^[0-9]+$/)	# a positive answer (CHECK_EXTENSION)
			errno[w[1]] = w[1] + 0
		split(got[n], g, " ")
		delete kv
		for (i = 3; i in g; i++) {
			k = g[i]; sub(/=.*/, "", k); v = g[i]; sub(/^[^=]*=/, "", v)
			kv[k] = v
		}
		bad = !(n in got) || !(w[1] in errno) || g[2] != errno[w[1]]
		for (i = 2; i <= nw; i++) {
			k = w[i]; sub(/=.*/, "", k); v = w[i]; sub(/^[^=]*=/, "", v)
			if (!(k in kv) || kv[k] != v)
				bad = 1
		}
		printf "%s - %s:%s: %s => %s\n", bad ? "not ok" : "ok", name, n, op, want
		if (bad)
			printf "#   got: %s\n", (n in got) ? got[n] : "(no output line)"
	}' "$2" "$3"
}

check_script() {
	s=$1 name=$(basename "$1")
	out=$tmp/$name.out
	"$DMALOAD" --script "$s" > "$out" 2> "$tmp/$name.err"
	is "$?" 0 "$name: runs, exit 0"
	nops=$(sed 's/#.*//' "$s" | grep -c '[^[:space:]]')
	is "$(wc -l < "$out" | tr -d ' ')" "$nops" "$name: one JSON line per op ($nops)"
	flatten "$out" > "$tmp/$name.flat"
	# LINE<TAB>OP<TAB>WANT for op lines carrying "# => WANT"
	awk '/^[^#]*[^#[:space:]][^#]*# => / {
		op = $0; sub(/[[:space:]]*#.*/, "", op)
		want = $0; sub(/.*# => /, "", want); sub(/[[:space:]]+$/, "", want)
		printf "%d\t%s\t%s\n", NR, op, want }' "$s" > "$tmp/$name.want"
	compare "$name" "$tmp/$name.flat" "$tmp/$name.want" > "$tmp/$name.tap"
	while IFS= read -r t; do
		case $t in
		"ok - "*) ok 0 "${t#ok - }" ;;
		"not ok - "*) ok 1 "${t#not ok - }" ;;
		*) echo "$t" ;;
		esac
	done < "$tmp/$name.tap"
}
