#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The VM tier's host tools, unprivileged: tools/difftest.sh (differential
# verdict) and tools/vm/randops (random dmaload scripts).
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
n=0
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; sed 's/^/#   /' "$T/out"; fi
}

printf 'ioas a\n\nmap a auto 0x1000\nunmap a all\n' > "$T/s.dms"
printf '{"line":1,"ret":0}\n{"line":3,"ret":0,"iova":"0x1000"}\n{"line":4,"ret":0}\n' > "$T/a"
printf '{"line":1,"ret":0}\n{"line":3,"ret":-22}\n{"line":4,"ret":0}\n' > "$T/b"
head -n 2 "$T/a" > "$T/short"

tools/difftest.sh "$T/s.dms" "$T/a" "$T/a" > "$T/out" 2>&1
rc=$?
[ $rc = 0 ] && [ ! -s "$T/out" ]
check $? "difftest: identical outputs, status 0, silent"

tools/difftest.sh "$T/s.dms" "$T/a" "$T/b" > "$T/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -qx "$T/s.dms:3: map a auto 0x1000" "$T/out" &&
	grep -q '^  ref: *{"line":3,"ret":0,"iova":"0x1000"}$' "$T/out" &&
	grep -q '^  kernel: {"line":3,"ret":-22}$' "$T/out"
check $? "difftest: names the script line of the first difference and both outputs"

tools/difftest.sh "$T/s.dms" "$T/short" "$T/a" > "$T/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -qx "$T/s.dms:4: unmap a all" "$T/out" &&
	grep -q "ref: *(no line: output ends here)" "$T/out"
check $? "difftest: a shorter output differs where it ends"

tools/difftest.sh @churn:1 "$T/a" "$T/b" x y > "$T/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -qx "@churn:1: step 3" "$T/out" && grep -q "^  x: " "$T/out"
check $? "difftest: @LABEL (scenario) reports the step, custom names"

tools/difftest.sh "$T/none.dms" "$T/a" "$T/b" > "$T/out" 2>&1
[ $? = 2 ] && grep -q "cannot read" "$T/out"
check $? "difftest: missing script, status 2 and why"

tools/vm/randops 7 20 > "$T/r1" && tools/vm/randops 7 20 > "$T/r2" &&
	tools/vm/randops 8 20 > "$T/r3" 2> "$T/out"
rc=$?
[ $rc = 0 ] && cmp -s "$T/r1" "$T/r2" && ! cmp -s "$T/r1" "$T/r3" &&
	[ "$(grep -c '^# sequence' "$T/r1")" = 20 ]
check $? "randops: same seed same script, another seed another, 20 sequences"

tools/vm/randops 1x > "$T/out" 2>&1
[ $? = 2 ]
check $? "randops: a bad seed is refused"

if [ -x bin/dmaload ]; then
	bad=""
	for seed in 1 2 3 4 5 6 7 8 9 10; do
		tools/vm/randops $seed 50 > "$T/r.dms"
		bin/dmaload --backend ref --script "$T/r.dms" > /dev/null 2> "$T/out" || bad="$bad $seed"
	done
	[ -z "$bad" ]
	check $? "randops: scripts of seeds 1-10 run on dmaload --backend ref${bad:+ (failed:$bad)}"
else
	n=$((n + 1))
	echo "ok $n - randops scripts run on dmaload # SKIP bin/dmaload not built"
fi

# tools/vm/run.sh finds ../shared (the kernel image) wherever the checkout
# lives: beside it, beside its main worktree, beside the local repository
# it was cloned from (a clone under /tmp), or at $DMATRACE_SHARED
if command -v git >/dev/null; then
	g() { git -c user.name=t -c user.email=t@t -c init.defaultBranch=main "$@"; }
	mkrepo() {	# DIR: a git checkout holding tools/vm/run.sh
		mkdir -p "$1/tools/vm" && cp tools/vm/run.sh tools/vm/fetch-stock.sh "$1/tools/vm/" &&
			g -C "$1" init -q && g -C "$1" add tools && g -C "$1" commit -qm t
	}
	find_k() {	# DIR [ENV...]: its run.sh --find-kernel, nothing else set
		d=$1; shift
		env -u DMATRACE_VM_KERNEL -u DMATRACE_SHARED DMATRACE_VM_CACHE="$T/cache" "$@" \
			"$d/tools/vm/run.sh" --find-kernel > "$T/out" 2>&1
	}
	mkdir -p "$T/w/shared/vm" "$T/elsewhere/shared/vm" &&
		: > "$T/w/shared/vm/bzImage" && : > "$T/elsewhere/shared/vm/bzImage"
	mkrepo "$T/w/main" > /dev/null
	find_k "$T/w/main"
	[ "$(cat "$T/out")" = "$T/w/shared/vm/bzImage" ]
	check $? "run.sh --find-kernel: ../shared beside the checkout"
	g -C "$T/w/main" worktree add -q "$T/wt" 2> /dev/null
	find_k "$T/wt"
	[ "$(cat "$T/out")" = "$T/w/shared/vm/bzImage" ]
	check $? "run.sh --find-kernel: a worktree elsewhere finds ../shared beside its main worktree"
	g clone -q "$T/w/main" "$T/clones/dt" 2> /dev/null
	find_k "$T/clones/dt"
	[ "$(cat "$T/out")" = "$T/w/shared/vm/bzImage" ]
	check $? "run.sh --find-kernel: a clone elsewhere finds ../shared beside its origin"
	find_k "$T/clones/dt" DMATRACE_SHARED="$T/elsewhere/shared"
	[ "$(cat "$T/out")" = "$T/elsewhere/shared/vm/bzImage" ]
	check $? "run.sh --find-kernel: \$DMATRACE_SHARED first"
	rm "$T/w/shared/vm/bzImage"
	find_k "$T/clones/dt"
	[ $? = 3 ] && grep -q "$T/w/shared/vm/bzImage" "$T/out"
	check $? "run.sh --find-kernel: none there: status 3, the places looked at named"
else
	n=$((n + 1))
	echo "ok $n - run.sh finds ../shared # SKIP no git"
fi
echo "1..$n"
