#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of tools/bench/bench-vm.sh (runs in the test VM, Linux 6.12
# with iommufd): dmaload churn on /dev/iommu (IOAS_MAP/UNMAP) in rounds of
# four variants, the order rotating from round to round:
#   untraced   the workload alone
#   fentry     dmatrace latency --target kernel
#   kprobe     dmatrace latency --target kernel --force-kprobe
#   bpftrace   tools/bench/bpftrace/latency-kernel.bt (kfunc/kretfunc)
# The workload runs under tools/bench/bench-tracer-run.sh (its time around
# the workload only, and bpftool prog show -j while the tracer still runs:
# in the VM nothing else loads BPF programs, so those are the tracer's).
#   bench-vm-guest.sh OPS ROUNDS SEED
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ops=$1 rounds=$2 seed=$3
W=${DMATRACE_VM_OUT:-/mnt}/bench
mkdir -p "$W"
load=(bin/dmaload --backend kernel --scenario churn --seed "$seed" --ops "$ops")
run=("$BASH" tools/bench/bench-tracer-run.sh)

sysctl -q -w kernel.bpf_stats_enabled=1 || exit 1

variant() {	# variant NAME ROUND
	local p=$W/$1.$2

	case $1 in
	untraced) "${run[@]}" "$p" untraced "${load[@]}" ;;
	fentry) bin/dmatrace latency --target kernel -- \
			"${run[@]}" "$p" traced "${load[@]}" > "$p.out" 2> "$p.err" ;;
	kprobe) bin/dmatrace latency --target kernel --force-kprobe -- \
			"${run[@]}" "$p" traced "${load[@]}" > "$p.out" 2> "$p.err" ;;
	bpftrace) bpftrace -c "${run[*]} $p traced ${load[*]}" \
			tools/bench/bpftrace/latency-kernel.bt > "$p.out" 2> "$p.err" ;;
	esac || { echo "bench-vm: $1 round $2 failed:" >&2; tail -n 5 "$p.err" >&2; exit 1; }
	# the traced run's VmHWM sampler writes last: wait for it
	[ "$1" = untraced ] || while [ ! -e "$p.hwm" ]; do sleep 0.05; done
}

variants=(untraced fentry kprobe bpftrace)
for ((r = 0; r < rounds; r++)); do
	for ((i = 0; i < 4; i++)); do
		variant "${variants[(i + r) % 4]}" "$r"
	done
done

perl - "$W" "$ops" "$rounds" <<'PERL'
use strict;
use warnings;
use JSON::PP;

my ($w, $ops, $rounds) = @ARGV;
my @variants = qw(untraced fentry kprobe bpftrace);

sub slurp { local $/; open(my $f, '<', $_[0]) or die "$_[0]: $!\n"; <$f> }
sub median {
	my @s = sort { $a <=> $b } @_;
	return @s % 2 ? $s[$#s / 2] : ($s[@s / 2 - 1] + $s[@s / 2]) / 2;
}

my (%nsop, %cpuop, %bpf, %progs);
for my $v (@variants) {
	for my $r (0 .. $rounds - 1) {
		my ($t0, $t1) = split ' ', slurp("$w/$v.$r.times");
		push @{$nsop{$v}}, ($t1 - $t0) * 1e9 / $ops;
		my (undef, $user, $sys) = split ' ', slurp("$w/$v.$r.cpu");
		push @{$cpuop{$v}}, ($user + $sys) * 1e9 / $ops;
		next if $v eq 'untraced';
		my ($ns, $cnt, %seen) = (0, 0);
		for my $p (@{decode_json(slurp("$w/$v.$r.progs"))}) {
			next unless $p->{run_cnt};
			$ns += $p->{run_time_ns};
			$cnt += $p->{run_cnt};
			# bpftrace's kfunc and kretfunc programs share a
			# (truncated) name: number the repeats, in load order
			my $k = "$p->{type} $p->{name}";
			$k .= " #" . $seen{$k} if $seen{$k}++;
			push @{$progs{$v}{$k}}, $p->{run_time_ns} / $p->{run_cnt};
			$progs{$v}{"$k count"} = $p->{run_cnt};
		}
		push @{$bpf{$v}{ns_op}}, $ns / $ops;
		push @{$bpf{$v}{runs_op}}, $cnt / $ops;
	}
}

my $ratio = sub { my ($a, $b) = @_; $b > 0 ? sprintf('%.2f', $a / $b) : 'n/a' };
printf "dmaload --backend kernel --scenario churn, %d ops, %d rounds (rotated), QEMU TCG\n",
	$ops, $rounds;
print "medians per workload op (emulation: absolute times mean little)\n";
for my $what (['wall', \%nsop], ['cpu (user+sys of the workload)', \%cpuop]) {
	my ($name, $t) = @$what;
	my %m = map { $_ => median(@{$t->{$_}}) } @variants;
	my $add = sub { $m{$_[0]} - $m{untraced} };
	print "$name ns/op:\n";
	printf "  %-9s %9s %9s   %s\n", 'variant', 'median', 'added', 'rounds';
	for my $v (@variants) {
		printf "  %-9s %9.0f %9s   %s\n", $v, $m{$v},
			$v eq 'untraced' ? '-' : sprintf('%.0f', $add->($v)),
			join(' ', map { sprintf '%.0f', $_ } @{$t->{$v}});
	}
	printf "  added ns/op ratios: dmatrace fentry / bpftrace %s, kprobe / fentry %s\n",
		$ratio->($add->('fentry'), $add->('bpftrace')),
		$ratio->($add->('kprobe'), $add->('fentry'));
}
print "BPF programs' own run time (bpf_stats), all the tracer's programs:\n";
printf "  %-9s %9s %9s\n", 'variant', 'ns/op', 'runs/op';
for my $v (qw(fentry kprobe bpftrace)) {
	printf "  %-9s %9.0f %9.2f\n", $v, median(@{$bpf{$v}{ns_op}}),
		median(@{$bpf{$v}{runs_op}});
}
printf "  ratios: dmatrace fentry / bpftrace %s, kprobe / fentry %s\n",
	$ratio->(median(@{$bpf{fentry}{ns_op}}), median(@{$bpf{bpftrace}{ns_op}})),
	$ratio->(median(@{$bpf{kprobe}{ns_op}}), median(@{$bpf{fentry}{ns_op}}));
print "bpf_stats per program (run_time_ns / run_cnt, median over rounds; runs in the last round):\n";
for my $v (qw(fentry kprobe bpftrace)) {
	for my $k (sort grep { !/ count$/ } keys %{$progs{$v}}) {
		printf "  %-9s %-44s %8.0f ns  %8d runs\n", $v, $k,
			median(@{$progs{$v}{$k}}), $progs{$v}{"$k count"};
	}
}
PERL
