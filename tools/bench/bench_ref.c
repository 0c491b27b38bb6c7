// SPDX-License-Identifier: GPL-2.0
/*
 * bench-ref: map+unmap throughput of libdmaref with N live areas.
 * One "op" is one IOMMU_IOAS_MAP plus one IOMMU_IOAS_UNMAP of a 4 KiB area,
 * both through iommufd_fops_ioctl() (size checks, lock, handler).
 *   fixed: live areas on even pages, each op maps/unmaps a random odd page
 *   seq:   as fixed, but the odd pages are visited in address order
 *          (same tree work, cache-friendly: separates the algorithm from
 *          DRAM latency)
 *   auto:  live areas packed from 4 KiB up, each op maps with an automatic
 *          IOVA (first fit) and unmaps it
 * Time is this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so waiting for
 * a shared CPU does not count; each case runs its ops in ROUNDS equal
 * rounds and reports the fastest (the least disturbed) one; every case
 * runs in its own child process (fresh heap), REPEATS times spread over the
 * run (this machine has phases where all code runs ~20x slower), and the
 * best repeat counts.
 * Usage: bench-ref [ops-per-case] [live-area counts...]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ref/iommufd.h"

#define PAGE 0x1000ULL
#define UVA 0x7f0000000000ULL
#define ROUNDS 20
#define REPEATS 3

static int ioas_map(struct iommufd_ctx *ctx, __u32 ioas, __u32 flags,
		    __u64 *iova)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .user_va = UVA,
		.length = PAGE, .iova = *iova,
		.flags = flags | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
	};
	int rc = iommufd_fops_ioctl(ctx, IOMMU_IOAS_MAP, (unsigned long)&cmd);

	*iova = cmd.iova;
	return rc;
}

static int ioas_unmap(struct iommufd_ctx *ctx, __u32 ioas, __u64 iova)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .iova = iova,
		.length = PAGE,
	};

	return iommufd_fops_ioctl(ctx, IOMMU_IOAS_UNMAP, (unsigned long)&cmd);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Returns ns per op, or a negative errno */
enum bench_mode { MODE_FIXED, MODE_SEQ, MODE_AUTO, NR_MODES };

static double run_case(unsigned long live, unsigned long ops,
		       enum bench_mode mode)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	unsigned long i, r, per_round = (ops + ROUNDS - 1) / ROUNDS;
	double t0, best = 0;
	__u64 iova;
	int automatic = mode == MODE_AUTO;
	int rc;

	if (!ctx || iommufd_fops_ioctl(ctx, IOMMU_IOAS_ALLOC,
				       (unsigned long)&alloc))
		return -ENOMEM;
	for (i = 0; i != live; i++) {
		iova = automatic ? 0 : 2 * i * PAGE;
		rc = ioas_map(ctx, alloc.out_ioas_id,
			      automatic ? 0 : IOMMU_IOAS_MAP_FIXED_IOVA, &iova);
		if (rc)
			return rc;
	}
	srandom(1);
	t0 = now_ns();
	for (i = 0, r = 0; i != per_round * ROUNDS; i++) {
		if (mode == MODE_FIXED)
			iova = (2 * (random() % live) + 1) * PAGE;
		else if (mode == MODE_SEQ)
			iova = (2 * (i % live) + 1) * PAGE;
		else
			iova = 0;
		rc = ioas_map(ctx, alloc.out_ioas_id,
			      automatic ? 0 : IOMMU_IOAS_MAP_FIXED_IOVA, &iova);
		if (!rc)
			rc = ioas_unmap(ctx, alloc.out_ioas_id, iova);
		if (rc)
			return rc;
		if ((i + 1) % per_round == 0) {
			double t1 = now_ns();

			if (!r++ || t1 - t0 < best)
				best = t1 - t0;
			t0 = t1;
		}
	}
	iommufd_ctx_destroy(ctx);
	return best / per_round;
}

/* Each case in a child process: a fresh heap, no state left by others */
static double run_case_isolated(unsigned long live, unsigned long ops,
				enum bench_mode mode)
{
	double ns = -EIO;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		ns = run_case(live, ops, mode);
		_exit(write(fds[1], &ns, sizeof(ns)) == sizeof(ns) ? 0 : 1);
	}
	close(fds[1]);
	if (read(fds[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -EIO;
	close(fds[0]);
	waitpid(pid, &status, 0);
	return ns;
}

int main(int argc, char **argv)
{
	static const unsigned long defaults[] = { 10, 10000, 1000000 };
	unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	const char *modes[NR_MODES] = { "fixed", "seq", "auto" };
	unsigned long counts[16];
	double best[NR_MODES][16];
	int nr = 0, m, i, rep;

	if (!ops) {
		fprintf(stderr, "bench-ref: ops must be a positive number\n");
		return 2;
	}
	for (i = 2; i < argc && nr < 16; i++)
		counts[nr++] = strtoul(argv[i], NULL, 0);
	if (!nr)
		for (nr = 0; nr != 3; nr++)
			counts[nr] = defaults[nr];
	for (rep = 0; rep != REPEATS; rep++) {
		for (i = 0; i != nr; i++) {
			for (m = 0; m != NR_MODES; m++) {
				double ns = run_case_isolated(counts[i], ops, m);

				if (ns < 0) {
					fprintf(stderr, "bench-ref: %s case with "
						"%lu areas failed: %s\n",
						modes[m], counts[i],
						strerror((int)-ns));
					return 1;
				}
				if (!rep || ns < best[m][i])
					best[m][i] = ns;
			}
		}
	}
	printf("%-6s %10s %10s %12s %12s %10s\n", "mode", "live", "ops",
	       "ns/op", "ops/s", "vs_first");
	for (m = 0; m != NR_MODES; m++) {
		double base = best[m][0];

		for (i = 0; i != nr; i++) {
			double ns = best[m][i];

			printf("%-6s %10lu %10lu %12.1f %12.0f %10.2f\n",
			       modes[m], counts[i], ops, ns, 1e9 / ns,
			       ns / base);
			fflush(stdout);
		}
	}
	printf("# op = one IOAS_MAP + one IOAS_UNMAP of 4 KiB via "
	       "iommufd_fops_ioctl; ns/op = thread CPU time, fastest of %d "
	       "rounds x %d runs; vs_first = "
	       "ns/op relative to the first count\n", ROUNDS, REPEATS);
	return 0;
}
