#!/usr/bin/env perl
# SPDX-License-Identifier: GPL-2.0
# Helper of tools/bench/bench-memlock.sh and bench-memlock-vm.sh: the BPF
# memory of a running dmatrace, map by map, against a formula in n, the
# number of possible CPUs.
#
#   bench-memlock.pl report MAPS.json PROGS.json [KEY=VALUE...]
#       MAPS.json, PROGS.json: arrays of `bpftool map show id N -j` and
#       `bpftool prog show id N -j` objects (the tracer's fds). KEYs:
#       btf=FILE (default /sys/kernel/btf/vmlinux), possible=LIST (default
#       /sys/devices/system/cpu/possible), budget=MIB (64), at=N (256),
#       percpu_kb=DELTA (/proc/meminfo Percpu: while traced minus before),
#       label=TEXT, out=FILE (the figures as JSON, for "compare")
#   bench-memlock.pl compare RUN.json...
#       the per-map memlock measured in each run (each at its own n) next
#       to the formula, and the totals
#
# The formula is the kernel's own accounting (the map_mem_usage of each
# map type: what fdinfo's "memlock:" and bpftool's bytes_memlock report),
# written out per type with the sizes of the kernel structures it counts
# taken from the running kernel's BTF (bpf_htab, htab_elem, bucket,
# bpf_array, bpf_ringbuf_map, bpf_local_storage_map, ...), so it follows
# the kernel it runs on and the maps' sizes and flags as loaded.
# Hash and LRU hash (kernel/bpf/hashtab.c htab_map_mem_usage):
#   htab + bucket*pow2(max) + 4*8*n (per-CPU map_locked ints)
#   + elem*(max [+ n extra elems: plain hash]) [+ 8*n extra_elems ptrs]
#   elem = htab_elem + r8(key) + r8(value)   (per-CPU: + 8, the pointer;
#   the values r8(value)*n*max on top); BPF_F_NO_PREALLOC: elements as
#   used, (elem + 8 llist_node) each (per-CPU: + 16 + r8(value)*n)
# Array (arraymap.c): array + max*r8(value); mmapable (.bss, .rodata):
#   page(array) + page(max*r8(value)); per-CPU: array + 8*max +
#   r8(value)*max*n
# Ring buffer (ringbuf.c): ringbuf_map + (meta + data pages)*page +
#   (meta + 2*data)*8 (page pointers: the data pages are mapped twice)
# Task (sk, inode, cgroup) storage (bpf_local_storage.c): smap +
#   bucket*pow2(max(n, 2)); the per-task elements are not counted
# Programs: bytes_memlock (pages of the image) is not per-CPU; not in it,
# per-CPU: bpf_prog_stats + an int (prog->active) per program.
# Per-CPU memory the kernel allocates but leaves out of memlock (read off
# the 6.12 sources; the "hidden/CPU" column, bytes per possible CPU):
# every hash an s64 elem_count (and an s32 percpu_counter when max/2 >
# 32*online CPUs); preallocated: a pcpu_freelist_head (hash) or a
# bpf_lru_locallist (LRU; bpf_lru_list with BPF_F_NO_COMMON_LRU); not
# preallocated (hash, local storage): a bpf_mem_cache per allocator and
# its prefill from slab (4 elements up to 256 bytes, else 1, kmalloc
# size classes). The percpu allocator's own round-ups (4-byte units,
# pages per chunk) are not in it either: /proc/meminfo Percpu shows them.
use strict;
use warnings;
use JSON::PP;
use POSIX qw(ceil);

my $page = `getconf PAGESIZE` + 0 || 4096;

sub slurp { local $/; open(my $f, '<', $_[0]) or die "bench-memlock: $_[0]: $!\n"; <$f> }
sub r8 { my $x = shift; ($x + 7) & ~7 }
sub palign { my $x = shift; ceil($x / $page) * $page }
sub pow2 { my $x = shift; my $p = 1; $p <<= 1 while $p < $x; $p }
sub mib { sprintf '%.2f', $_[0] / 1048576 }

# The sizes the formulas need, from BTF: bpftool btf dump format raw
sub btf_sizes {
	my $file = shift;
	my %want = map { $_ => 1 } qw(bpf_htab htab_elem bucket bpf_array
		bpf_ringbuf_map bpf_ringbuf bpf_local_storage_map
		bpf_local_storage_map_bucket bpf_prog_stats llist_node
		pcpu_freelist_head bpf_lru_list bpf_lru_locallist bpf_mem_cache
		bpf_local_storage bpf_local_storage_elem);
	my (%size, $cur);
	open(my $b, '-|', 'bpftool', 'btf', 'dump', 'file', $file, 'format', 'raw')
		or die "bench-memlock: bpftool btf dump $file: $!\n";
	while (<$b>) {
		if (/^\[\d+\] STRUCT '(\w+)' size=(\d+)/) {
			$cur = $want{$1} && !exists $size{$1} ? $1 : undef;
			$size{$1} = $2 if $cur;
		} elsif ($cur && $cur eq 'bpf_ringbuf' && /^\s+'consumer_pos' .*bits_offset=(\d+)/) {
			$size{consumer_pos} = $1 / 8;
		} elsif (!/^\s/) {
			$cur = undef;
		}
	}
	close $b;
	for (sort keys %want) {
		die "bench-memlock: no struct $_ in $file\n" unless defined $size{$_};
	}
	die "bench-memlock: no bpf_ringbuf.consumer_pos in $file\n" unless defined $size{consumer_pos};
	return \%size;
}

sub possible_cpus {
	my $list = shift;
	my $n = 0;
	for (split /,/, $list) {
		$n += /^(\d+)-(\d+)$/ ? $2 - $1 + 1 : 1;
	}
	return $n;
}

# f(n, used) = a + b*n + p*pow2(max(n, 2)) + used*(u + up*n)
sub at {
	my ($f, $n, $used) = @_;
	$used //= $f->{used} // 0;
	return $f->{a} + $f->{b} * $n + $f->{p} * pow2($n < 2 ? 2 : $n) +
		$used * ($f->{u} + $f->{up} * $n);
}

sub ftext {
	my $f = shift;
	my $s = "$f->{a}";
	$s .= " + $f->{b}n" if $f->{b};
	$s .= " + $f->{p}*pow2(n)" if $f->{p};
	if ($f->{u} || $f->{up}) {
		$s .= " + used*(" . $f->{u} . ($f->{up} ? " + $f->{up}n" : '') . ")";
	}
	$s .= ' ?' if $f->{unknown};
	return $s;
}

use constant { F_NO_PREALLOC => 1, F_NO_COMMON_LRU => 2, F_MMAPABLE => 1 << 10 };

sub kmalloc_size {
	my $x = shift;
	for (8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192) {
		return $_ if $x <= $_;
	}
	return palign($x);
}

# a bpf_mem_alloc of objects of $unit bytes: per CPU its cache, and the
# prefill from slab
sub mem_alloc {
	my ($h, $k, $unit, $percpu) = @_;
	$h->{pcpu} += $k->{bpf_mem_cache};
	if ($percpu) {
		$h->{slab} += kmalloc_size($k->{llist_node} + 8);
		$h->{pcpu} += $unit;
	} else {
		$unit += $k->{llist_node};
		$h->{slab} += ($unit <= 256 ? 4 : 1) * kmalloc_size($unit);
	}
}

# The formula of map $m (bpftool map show -j) and a note for the table
sub formula {
	my ($m, $k) = @_;
	my %f = (a => 0, b => 0, p => 0, u => 0, up => 0);
	my %h = (pcpu => 0, slab => 0);	# per CPU, not in memlock
	my ($t, $key, $val, $max, $flags) =
		@$m{qw(type bytes_key bytes_value max_entries flags)};
	my $note = '';
	if ($t =~ /^(lru_)?(percpu_)?hash$/) {
		my ($lru, $pcpu) = ($1, $2);
		my $elem = $k->{htab_elem} + r8($key) + ($pcpu ? 8 : r8($val));
		$f{a} = $k->{bpf_htab} + $k->{bucket} * pow2($max);
		$f{b} = 4 * 8;	# HASHTAB_MAP_LOCK_COUNT ints per CPU
		$h{pcpu} = 8;	# elem_count
		$h{pcpu} += 4 if $max / 2 > $k->{online} * 32;	# pcount
		if ($flags & F_NO_PREALLOC && !$lru) {
			$f{u} = $elem + $k->{llist_node};
			if ($pcpu) {
				$f{u} += $k->{llist_node} + 8;
				$f{up} = r8($val);
			}
			$note = 'as used';
			mem_alloc(\%h, $k, $elem, 0);
			mem_alloc(\%h, $k, r8($val), 1) if $pcpu;
		} else {
			$f{a} += $elem * $max;
			if ($pcpu) {
				$f{b} += r8($val) * $max;
			} elsif (!$lru) {
				$f{b} += $elem + 8;	# an extra elem and its pointer per CPU
			}
			$note = 'prealloc';
			$h{pcpu} += !$lru ? $k->{pcpu_freelist_head} :
				$flags & F_NO_COMMON_LRU ? $k->{bpf_lru_list} :
				$k->{bpf_lru_locallist};
		}
	} elsif ($t eq 'percpu_array') {
		$f{a} = $k->{bpf_array} + 8 * $max;
		$f{b} = r8($val) * $max;
		$note = 'prealloc';
	} elsif ($t eq 'array') {
		$f{a} = $flags & F_MMAPABLE ?
			palign($k->{bpf_array}) + palign($max * r8($val)) :
			$k->{bpf_array} + $max * r8($val);
		$note = $flags & F_MMAPABLE ? 'mmapable' : 'prealloc';
	} elsif ($t eq 'ringbuf') {
		my $meta = int($k->{consumer_pos} / $page) + 2;
		my $data = int($max / $page);
		$f{a} = $k->{bpf_ringbuf_map} + ($meta + $data) * $page +
			($meta + 2 * $data) * 8;
		$note = 'prealloc';
	} elsif ($t =~ /^(task|sk|inode|cgrp)_storage$/) {
		$f{a} = $k->{bpf_local_storage_map};
		$f{p} = $k->{bpf_local_storage_map_bucket};
		$note = 'elems not counted';
		# selem_ma and storage_ma (the unit: offsetof data[value_size],
		# taken as the struct's size plus the value)
		mem_alloc(\%h, $k, $k->{bpf_local_storage_elem} + $val, 0);
		mem_alloc(\%h, $k, $k->{bpf_local_storage}, 0);
	} else {
		# a type this does not know: taken as measured, not per-CPU
		$f{a} = $m->{bytes_memlock};
		$f{unknown} = 1;
		$note = 'formula unknown';
	}
	return (\%f, $note, \%h);
}

sub cpulist {
	my $s = slurp($_[0]);
	chomp $s;
	return $s;
}

sub report {
	my ($mapsf, $progsf, %o) = @_;
	my $maps = decode_json(slurp($mapsf));
	my $progs = decode_json(slurp($progsf));
	my $btf = $o{btf} // '/sys/kernel/btf/vmlinux';
	my $k = btf_sizes($btf);
	my $plist = $o{possible} // cpulist('/sys/devices/system/cpu/possible');
	my $n = possible_cpus($plist);
	$k->{online} = possible_cpus(cpulist('/sys/devices/system/cpu/online'));
	my $N = $o{at} // 256;
	my $budget = ($o{budget} // 64) * 1048576;
	chomp(my $krel = `uname -r`);

	printf "bench-memlock: %s; kernel %s; possible CPUs n=%d (%s)\n",
		$o{label} // 'dmatrace', $krel, $n, $plist;
	printf "kernel structs (BTF %s): bpf_htab %d, htab_elem %d, bucket %d, " .
		"bpf_array %d, bpf_ringbuf_map %d (meta pages %d), " .
		"bpf_local_storage_map %d, bpf_prog_stats %d, bpf_mem_cache %d, " .
		"bpf_lru_locallist %d; page %d\n",
		$btf, @$k{qw(bpf_htab htab_elem bucket bpf_array bpf_ringbuf_map)},
		int($k->{consumer_pos} / $page) + 2,
		@$k{qw(bpf_local_storage_map bpf_prog_stats bpf_mem_cache bpf_lru_locallist)},
		$page;

	my $fmt = "%-16s %-15s %4s %6s %8s %-24s %10s  %-30s %10s %6s %11s %10s\n";
	printf $fmt, 'map', 'type', 'key', 'value', 'max', 'flags', 'memlock',
		'formula (n: possible CPUs)', "f($n)", 'diff', "f($N)", 'hidden/CPU';
	my (@rows, %tot);
	for my $m (sort { $b->{bytes_memlock} <=> $a->{bytes_memlock} || $a->{name} cmp $b->{name} } @$maps) {
		my ($f, $note, $h) = formula($m, $k);
		my $asused = $f->{u} || $f->{up};
		if ($asused) {	# elements in use, from the measure
			my $per = $f->{u} + $f->{up} * $n;
			$f->{used} = int(($m->{bytes_memlock} - at($f, $n, 0)) / $per + 0.5);
			$note .= " ($f->{used})";
		}
		my $now = at($f, $n);
		# at N: NO_PREALLOC maps full
		my $full = at($f, $N, $asused ? $m->{max_entries} : undef);
		my $flags = sprintf('0x%x', $m->{flags}) . ($note ? " $note" : '');
		my $hid = $h->{pcpu} + $h->{slab};
		printf $fmt, $m->{name}, $m->{type}, $m->{bytes_key}, $m->{bytes_value},
			$m->{max_entries}, $flags, $m->{bytes_memlock}, ftext($f), $now,
			$m->{bytes_memlock} - $now, $full,
			$h->{slab} ? "$h->{pcpu}+$h->{slab}s" : $hid;
		$tot{mem} += $m->{bytes_memlock};
		$tot{now} += $now;
		$tot{full} += $full;
		# the per-CPU terms, at n and at N
		my $flat = { %$f, b => 0, p => 0, up => 0 };
		$tot{pcpu_n} += $now - at($flat, $n);
		$tot{pcpu} += $full - at($flat, $N, $asused ? $m->{max_entries} : undef);
		$tot{hid_pcpu} += $h->{pcpu};
		$tot{hid_slab} += $h->{slab};
		$tot{unknown}++ if $f->{unknown};
		push @rows, { %$m, formula => $f, note => $note, hidden => $h,
			at_n => $now, at_N => $full };
	}
	printf $fmt, 'total maps', scalar(@$maps) . ' maps', '', '', '', '',
		$tot{mem}, '', $tot{now}, $tot{mem} - $tot{now}, $tot{full},
		$tot{hid_pcpu} + $tot{hid_slab};
	print "(hidden/CPU: bytes per possible CPU not in memlock, percpu area + slab 's'; see bench-memlock.pl)\n";

	my $pmem = 0;
	$pmem += $_->{bytes_memlock} // 0 for @$progs;
	my $pp = scalar(@$progs) * ($k->{bpf_prog_stats} + 4);
	printf "programs: %d, memlock %d (not per-CPU); hidden per-CPU: " .
		"%d*(bpf_prog_stats %d + active 4) = %dn\n",
		scalar(@$progs), $pmem, scalar(@$progs), $k->{bpf_prog_stats}, $pp;
	my $hid = $tot{hid_pcpu} + $tot{hid_slab} + $pp;
	if (defined $o{percpu_kb}) {
		printf "real per-CPU memory at n=%d: /proc/meminfo Percpu grew %d KiB " .
			"while traced (system-wide, in pages per CPU); per-CPU terms: " .
			"memlock formulas %.1f KiB + hidden percpu %.1f KiB (maps %dn, programs %dn)\n",
			$n, $o{percpu_kb}, $tot{pcpu_n} / 1024,
			($tot{hid_pcpu} + $pp) * $n / 1024, $tot{hid_pcpu}, $pp;
	}
	printf "measured at n=%d: maps %d bytes (%s MiB), formula %d, diff %d%s\n",
		$n, $tot{mem}, mib($tot{mem}), $tot{now}, $tot{mem} - $tot{now},
		$tot{unknown} ? " ($tot{unknown} maps of unknown type taken as measured)" : '';
	my $all = $tot{full} + $pmem + $hid * $N;
	printf "prediction at n=%d possible CPUs: maps' memlock %d (%s MiB, of it per-CPU terms %s MiB; " .
		"NO_PREALLOC maps full) + programs' memlock %d + hidden per-CPU %dn = %d " .
		"= %d bytes = %s MiB\n",
		$N, $tot{full}, mib($tot{full}), mib($tot{pcpu}), $pmem, $hid,
		$hid * $N, $all, mib($all);
	# the measured Percpu growth per CPU in place of the per-CPU terms
	# the formulas give (percpu area only: the slab prefill stays)
	if ($o{percpu_kb}) {
		my $est = ($tot{pcpu_n} + ($tot{hid_pcpu} + $pp) * $n) / $n;
		my $real = $o{percpu_kb} * 1024 / $n;
		my $bound = $all - ($tot{pcpu} + ($tot{hid_pcpu} + $pp) * $N) +
			($real > $est ? $real : $est) * $N;
		printf "with the measured Percpu growth (%.0f bytes per CPU, formulas %.0f) " .
			"for the per-CPU terms: %d bytes = %s MiB at n=%d\n",
			$real, $est, $bound, mib($bound), $N;
		$all = $bound if $bound > $all;
	}
	printf "budget %s MiB at n=%d: %s (%s MiB, %.1f%% of the budget)\n",
		mib($budget), $N, $all <= $budget ? 'PASS' : 'FAIL', mib($all),
		100 * $all / $budget;

	if ($o{out}) {
		open(my $out, '>', $o{out}) or die "bench-memlock: $o{out}: $!\n";
		print $out encode_json({ n => $n, possible => $plist, kernel => $krel,
			label => $o{label} // '', maps => \@rows,
			progs => scalar(@$progs), prog_memlock => $pmem, prog_pcpu => $pp,
			hidden => $hid, percpu_kb => $o{percpu_kb}, total => $tot{mem},
			formula => $tot{now}, pcpu_n => $tot{pcpu_n},
			hid_pcpu => $tot{hid_pcpu}, at => $N, at_N => $tot{full},
			all_N => $all });
		close $out;
	}
}

# One table over runs at different n: each map's measure and its formula
# at that run's n (the formula is that run's: the same kernel gives the
# same one), and the formula of the last run at the prediction point
sub compare {
	my @runs = map { decode_json(slurp($_)) } @_;
	my %names;
	for my $r (@runs) { $names{$_->{name}} //= $_->{bytes_memlock} for @{$r->{maps}} }
	my @names = sort { $names{$b} <=> $names{$a} || $a cmp $b } keys %names;
	my $N = $runs[-1]{at};
	print "memlock measured (kernel) vs formula, per map; n = possible CPUs of each boot\n";
	printf "%-16s", 'map';
	printf " %10s %10s", "n=$_->{n}", 'formula' for @runs;
	printf " %11s  %s\n", "f($N)", 'formula (last run)';
	my (@tm, @tf);
	for my $name (@names) {
		printf "%-16s", $name;
		my $last;
		for my $i (0 .. $#runs) {
			my ($m) = grep { $_->{name} eq $name } @{$runs[$i]{maps}};
			if ($m) {
				printf " %10d %10d", $m->{bytes_memlock}, $m->{at_n};
				$last = $m;
			} else {
				printf " %10s %10s", '-', '-';
			}
		}
		printf " %11s  %s\n", $last ? $last->{at_N} : '-', $last ? ftext($last->{formula}) : '';
	}
	printf "%-16s", 'total maps';
	printf " %10d %10d", $_->{total}, $_->{formula} for @runs;
	printf " %11d\n", $runs[-1]{at_N};
	printf "%-16s", 'diff';
	printf " %10d %10s", $_->{total} - $_->{formula}, '' for @runs;
	print "\n";
	printf "%-16s", 'Percpu KiB';
	printf " %10s %10s", $_->{percpu_kb} // '-', '' for @runs;
	print "  (/proc/meminfo Percpu growth while traced, system-wide)\n";
	printf "%-16s", 'per-CPU KiB';
	printf " %10.1f %10.1f", ($_->{pcpu_n} + ($_->{hid_pcpu} + $_->{prog_pcpu}) * $_->{n}) / 1024, $_->{pcpu_n} / 1024 for @runs;
	print "  (formulas' per-CPU terms + hidden percpu | of it in memlock)\n";
	printf "%-16s", "all at n=$N";
	printf " %10s %10d", '', $_->{all_N} for @runs;
	print "  (maps + programs + hidden per-CPU, each boot's formulas)\n";
}

my $cmd = shift // '';
if ($cmd eq 'report' && @ARGV >= 2) {
	my ($m, $p) = splice(@ARGV, 0, 2);
	my %o = map { /^(\w+)=(.*)$/s ? ($1 => $2) : die "bench-memlock: not KEY=VALUE: $_\n" } @ARGV;
	report($m, $p, %o);
} elsif ($cmd eq 'compare' && @ARGV) {
	compare(@ARGV);
} else {
	die "usage: bench-memlock.pl report MAPS.json PROGS.json [KEY=VALUE...] | compare RUN.json...\n";
}
