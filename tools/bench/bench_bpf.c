// SPDX-License-Identifier: GPL-2.0
/*
 * bench-bpf: what each BPF operation of dmatrace's hot path costs on this
 * kernel, per run of a uprobe program (run_time_ns / run_cnt, recorded
 * through bpf_enable_stats()), and above an empty program's run: the
 * uprobe dispatch, the clock, a user read and a dependent pair of them
 * (ucmd->cmd, then the uAPI struct), the per-thread stash, a histogram
 * sample, and an area's insert and delete in a map shaped as dmatrace's
 * areas (1024 live, as dmaload's churn keeps them), and in a preallocated
 * one.
 *
 *   bench-bpf [-n CALLS]   (root; default 200000 calls per operation)
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bench_bpf.skel.h"

#define LIVE_AREAS	1024

/* The traced functions: one per operation, never inlined */
#define TRACED(name)							\
	__attribute__((noinline, used)) void bench_##name(void *a)	\
	{								\
		asm volatile("" : : "r"(a) : "memory");			\
	}
TRACED(empty) TRACED(clock) TRACED(read) TRACED(read_chain) TRACED(stash)
TRACED(hist) TRACED(area_insert) TRACED(area_delete)
TRACED(area_prealloc_insert) TRACED(area_prealloc_delete)

/* A struct iommufd_ucmd whose cmd points at an iommu_ioas_map */
static __u64 cmd_buf[5] = { 0, 4096, 0, 1 << 20, 0 };
static __u64 ucmd[4] = { 0, 0, 0, (__u64)(unsigned long)cmd_buf };

static void call_ucmd(void (*fn)(void *), long i)
{
	(void)i;
	fn(&ucmd[3]);
}

static void call_key(void (*fn)(void *), long i)
{
	fn((void *)(i & 7));	/* 8 histogram keys */
}

enum { PROG_MAX = 2 };

/* A program of the skeleton, by its field: skel->progs.op_NAME */
#define PROG(name)	offsetof(struct bench_bpf, progs.op_##name)

struct op_row {
	const char *name;
	const char *what;
	const char *func[PROG_MAX];
	size_t prog[PROG_MAX];
	void (*fn)(void *);
	void (*call)(void (*fn)(void *), long i);
	void (*pair)(long n);		/* instead of call: two functions */
};

/*
 * n inserts, each but the first LIVE_AREAS after a delete of the oldest;
 * the IOVAs come back round (2 x LIVE_AREAS of them), as an allocator
 * hands freed ones out again: the same buckets stay hot
 */
#define AREA_IOVA(i)	((void *)((((i) % (2 * LIVE_AREAS)) + 1) << 12))

static void area_churn(void (*insert)(void *), void (*delete)(void *), long n)
{
	long i;

	for (i = 0; i < n; i++) {
		insert(AREA_IOVA(i));
		if (i >= LIVE_AREAS)
			delete(AREA_IOVA(i - LIVE_AREAS));
	}
	for (i = n > LIVE_AREAS ? n - LIVE_AREAS : 0; i < n; i++)
		delete(AREA_IOVA(i));
}

static void area_pair(long n)
{
	area_churn(bench_area_insert, bench_area_delete, n);
}

static void area_prealloc_pair(long n)
{
	area_churn(bench_area_prealloc_insert, bench_area_prealloc_delete, n);
}

static const struct op_row rows[] = {
	{ .name = "empty", .func = { "bench_empty" }, .prog = { PROG(empty) },
	  .what = "an empty program: uprobe dispatch, run accounting",
	  .fn = bench_empty, .call = call_ucmd },
	{ .name = "clock", .func = { "bench_clock" }, .prog = { PROG(clock) },
	  .what = "bpf_ktime_get_ns()", .fn = bench_clock, .call = call_ucmd },
	{ .name = "read", .func = { "bench_read" }, .prog = { PROG(read) },
	  .what = "one bpf_probe_read_user() of 8 bytes", .fn = bench_read,
	  .call = call_ucmd },
	{ .name = "read_chain", .func = { "bench_read_chain" },
	  .prog = { PROG(read_chain) },
	  .what = "ucmd->cmd, then the 40-byte uAPI struct behind it",
	  .fn = bench_read_chain, .call = call_ucmd },
	{ .name = "stash", .func = { "bench_stash" }, .prog = { PROG(stash) },
	  .what = "bpf_task_storage_get() of the thread's call",
	  .fn = bench_stash, .call = call_ucmd },
	{ .name = "hist", .func = { "bench_hist" }, .prog = { PROG(hist) },
	  .what = "a histogram sample: hash lookup, four atomic adds",
	  .fn = bench_hist, .call = call_key },
	{ .name = "area", .func = { "bench_area_insert", "bench_area_delete" },
	  .prog = { PROG(area_insert), PROG(area_delete) },
	  .what = "insert | delete of an area in dmatrace's areas hash",
	  .pair = area_pair },
	{ .name = "area_prealloc",
	  .func = { "bench_area_prealloc_insert", "bench_area_prealloc_delete" },
	  .prog = { PROG(area_prealloc_insert), PROG(area_prealloc_delete) },
	  .what = "the same in a preallocated hash", .pair = area_prealloc_pair },
};


static struct bpf_program *row_prog(struct bench_bpf *s, size_t field)
{
	return *(struct bpf_program **)((char *)s + field);
}

static int prog_cost(struct bpf_program *p, double *ns)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_prog_get_info_by_fd(bpf_program__fd(p), &info, &len))
		return -errno;
	if (!info.run_cnt)
		return -ENODATA;
	*ns = (double)info.run_time_ns / info.run_cnt;
	return 0;
}

/* Attach row r's programs, make n calls, put their costs in ns[] */
static int run_row(struct bench_bpf *s, const struct op_row *r, long n,
		   double ns[PROG_MAX])
{
	struct bpf_link *link[PROG_MAX] = {};
	struct bpf_program *p[PROG_MAX] = {};
	int i, err = 0;
	long c;

	for (i = 0; i < PROG_MAX && r->func[i]; i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = r->func[i]);

		p[i] = row_prog(s, r->prog[i]);
		link[i] = bpf_program__attach_uprobe_opts(p[i], 0,
							  "/proc/self/exe", 0, &o);
		if (!link[i]) {
			err = -errno;
			fprintf(stderr, "bench-bpf: cannot attach to %s: %s\n",
				r->func[i], strerror(-err));
			goto out;
		}
	}
	if (r->pair)
		r->pair(n);
	else
		for (c = 0; c < n; c++)
			r->call(r->fn, c);
	for (i = 0; i < PROG_MAX && r->func[i] && !err; i++) {
		err = prog_cost(p[i], &ns[i]);
		if (err)
			fprintf(stderr, "bench-bpf: no run time for %s: %s\n",
				r->func[i], strerror(-err));
	}
out:
	for (i = 0; i < PROG_MAX; i++)
		bpf_link__destroy(link[i]);
	return err;
}

static void print_row(const struct op_row *r, const double ns[PROG_MAX],
		      double empty)
{
	char cost[32], above[32];

	if (r->func[1]) {
		snprintf(cost, sizeof(cost), "%.1f | %.1f", ns[0], ns[1]);
		snprintf(above, sizeof(above), "%.1f | %.1f", ns[0] - empty,
			 ns[1] - empty);
	} else {
		snprintf(cost, sizeof(cost), "%.1f", ns[0]);
		snprintf(above, sizeof(above), "%.1f", ns[0] - empty);
	}
	printf("%-11s %13s %13s  %s\n", r->name, cost,
	       r == rows ? "-" : above, r->what);
}

int main(int argc, char **argv)
{
	struct bench_bpf *s;
	double ns[PROG_MAX], empty = 0;
	struct utsname u;
	long n = 200000;
	size_t i;
	int opt, stats_fd, err = 0;

	while ((opt = getopt(argc, argv, "n:h")) != -1) {
		char *end;

		switch (opt) {
		case 'n':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1) {
				fprintf(stderr, "bench-bpf: -n wants a positive number, not '%s'\n",
					optarg);
				return 1;
			}
			break;
		case 'h':
			printf("usage: bench-bpf [-n CALLS]\n");
			return 0;
		default:
			fprintf(stderr, "usage: bench-bpf [-n CALLS]\n");
			return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: bench-bpf [-n CALLS]\n");
		return 1;
	}
	/* run times are recorded while this fd is open (kernel.bpf_stats_enabled
	   is left as it is) */
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "bench-bpf: cannot enable BPF run-time stats: %s (needs root)\n",
			strerror(errno));
		return 2;
	}
	s = bench_bpf__open_and_load();
	if (!s) {
		fprintf(stderr, "bench-bpf: cannot load the BPF object: %s (needs root)\n",
			strerror(errno));
		return 2;
	}
	uname(&u);
	printf("bench-bpf: %ld calls per operation, kernel %s, %ld CPUs\n", n,
	       u.release, sysconf(_SC_NPROCESSORS_ONLN));
	printf("%-11s %13s %13s  %s\n", "operation", "ns/run", "above empty",
	       "what the program does");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]) && !err; i++) {
		err = run_row(s, &rows[i], n, ns);
		if (err)
			break;
		if (i == 0)
			empty = ns[0];
		print_row(&rows[i], ns, empty);
	}
	bench_bpf__destroy(s);
	close(stats_fd);
	return err ? 1 : 0;
}
