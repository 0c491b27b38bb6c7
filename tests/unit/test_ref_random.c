// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized op sequences on the ref, checked after every step against a
 * shadow model kept here (areas, reserved ranges) and the ref's own
 * invariants: no two areas overlap, no area touches a reserved range,
 * usage = sum of the areas, interval trees valid. Runs ~2 s; the seed comes
 * from DMATRACE_SEED (else the time) and is printed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "ref_helpers.h"

#define MAX_AREAS 4096
#define MAX_RES 64
#define SPACE (1ULL << 25)		/* IOVAs drawn from [0, 32 MiB) */
#define MAX_ALLOWED 3

struct shadow {
	__u32 id;
	__u64 start[MAX_AREAS], last[MAX_AREAS];
	int n;
	__u64 rstart[MAX_RES], rlast[MAX_RES];
	int nres;
	__u64 astart[MAX_ALLOWED], alast[MAX_ALLOWED];
	int nallowed;
	__u32 stdev;			/* mock device attached, or 0 */
};

static struct shadow sh[2];
/* successes per kind, printed so a run shows what it exercised */
static long n_map, n_unmap, n_reserve, n_copy, n_allow, n_attach;
static unsigned long long seed;

static __u64 rnd(__u64 n)
{
	return n ? (((__u64)random() << 31) ^ (__u64)random()) % n : 0;
}

static bool overlaps_area(struct shadow *s, __u64 a, __u64 b)
{
	int i;

	for (i = 0; i != s->n; i++)
		if (a <= s->last[i] && b >= s->start[i])
			return true;
	return false;
}

static bool overlaps_res(struct shadow *s, __u64 a, __u64 b)
{
	int i;

	if (s->stdev && (a < MOCK_APERTURE_START || b > MOCK_APERTURE_LAST))
		return true;
	for (i = 0; i != s->nres; i++)
		if (a <= s->rlast[i] && b >= s->rstart[i])
			return true;
	return false;
}

static bool overlaps_allowed(struct shadow *s, __u64 a, __u64 b)
{
	int i;

	for (i = 0; i != s->nallowed; i++)
		if (a <= s->alast[i] && b >= s->astart[i])
			return true;
	return false;
}

/* An automatic IOVA lies inside one allowed range (or any if none) */
static bool inside_allowed(struct shadow *s, __u64 a, __u64 b)
{
	int i;

	if (!s->nallowed)
		return true;
	for (i = 0; i != s->nallowed; i++)
		if (a >= s->astart[i] && b <= s->alast[i])
			return true;
	/* adjacent allowed ranges form one span */
	for (i = 0; i != s->nallowed; i++) {
		int j;

		for (j = 0; j != s->nallowed; j++)
			if (s->alast[i] + 1 == s->astart[j] &&
			    a >= s->astart[i] && b <= s->alast[j])
				return true;
	}
	return false;
}

static void add_area(struct shadow *s, __u64 iova, __u64 len)
{
	assert_true(s->n < MAX_AREAS);
	s->start[s->n] = iova;
	s->last[s->n++] = iova + len - 1;
}

static void check(struct iommufd_ctx *ctx, struct shadow *s, long step)
{
	struct ref_ioas_usage u;
	const char *why;
	__u64 sum = 0;
	int i;

	if (ref_ioas_check(ctx, s->id, &why))
		fail_msg("seed %llu step %ld: %s", seed, step, why);
	assert_int_equal(ref_ioas_usage(ctx, s->id, &u), 0);
	for (i = 0; i != s->n; i++)
		sum += s->last[i] - s->start[i] + 1;
	if (u.nr_areas != (__u64)s->n || u.mapped_bytes != sum)
		fail_msg("seed %llu step %ld: ref %llu areas/%llu bytes, "
			 "shadow %d/%llu", seed, step,
			 (unsigned long long)u.nr_areas,
			 (unsigned long long)u.mapped_bytes, s->n,
			 (unsigned long long)sum);
}

static void do_map(struct iommufd_ctx *ctx, struct shadow *s, long step)
{
	bool fixed = random() & 1;
	__u64 len = (1 + rnd(16)) << 12, iova = rnd(SPACE) & ~0xfffULL;
	__u64 uva = 0x10000000 + (rnd(1 << 16) << 12);
	int rc, want;

	rc = t_map(ctx, s->id, RW | (fixed ? FIXED : 0), uva, len, &iova);
	if (fixed) {
		want = overlaps_res(s, iova, iova + len - 1) ? -EINVAL :
		       overlaps_area(s, iova, iova + len - 1) ? -EEXIST : 0;
		if (rc != want)
			fail_msg("seed %llu step %ld: fixed map rc %d want %d",
				 seed, step, rc, want);
	} else if (rc && rc != -ENOSPC) {
		fail_msg("seed %llu step %ld: auto map rc %d", seed, step, rc);
	}
	if (rc)
		return;
	n_map++;
	if (!fixed && (iova == 0 || overlaps_res(s, iova, iova + len - 1) ||
		       overlaps_area(s, iova, iova + len - 1) ||
		       !inside_allowed(s, iova, iova + len - 1)))
		fail_msg("seed %llu step %ld: auto IOVA 0x%llx collides", seed,
			 step, (unsigned long long)iova);
	add_area(s, iova, len);
}

/* The kernel's walk: remove whole areas in address order, stop at a cut */
static int shadow_unmap(struct shadow *s, __u64 a, __u64 b, __u64 *bytes)
{
	*bytes = 0;
	for (;;) {
		int i, first = -1;

		for (i = 0; i != s->n; i++)
			if (a <= s->last[i] && b >= s->start[i] &&
			    (first < 0 || s->start[i] < s->start[first]))
				first = i;
		if (first < 0)
			return 0;
		if (s->start[first] < a || s->last[first] > b)
			return -ENOENT;
		*bytes += s->last[first] - s->start[first] + 1;
		a = s->last[first] + 1;
		s->start[first] = s->start[--s->n];
		s->last[first] = s->last[s->n];
		if (a == 0 || a > b)
			return 0;
	}
}

static void do_unmap(struct iommufd_ctx *ctx, struct shadow *s, long step)
{
	__u64 iova, len, bytes, got;
	int rc, want;

	if (s->n && (random() & 1)) {
		int i = rnd(s->n);

		iova = s->start[i];
		len = s->last[i] - s->start[i] + 1;
	} else {
		iova = rnd(SPACE) & ~0xfffULL;
		len = (1 + rnd(64)) << 12;
	}
	want = shadow_unmap(s, iova, iova + len - 1, &bytes);
	if (!want && !bytes)
		want = -ENOENT;
	got = len;
	rc = t_unmap(ctx, s->id, iova, &got);
	if (rc != want || (!rc && got != bytes))
		fail_msg("seed %llu step %ld: unmap rc %d/%llu want %d/%llu",
			 seed, step, rc, (unsigned long long)got, want,
			 (unsigned long long)bytes);
	n_unmap += !rc;
}

static void do_reserve(struct iommufd_ctx *ctx, struct shadow *s, long step)
{
	__u64 start = rnd(SPACE), len = 1 + rnd(0x8000);
	int rc, want;

	if (s->nres == MAX_RES)
		return;
	want = overlaps_area(s, start, start + len - 1) ||
	       overlaps_allowed(s, start, start + len - 1) ? -EADDRINUSE : 0;
	rc = t_add_reserved(ctx, s->id, start, len);
	if (rc != want)
		fail_msg("seed %llu step %ld: reserve rc %d want %d", seed,
			 step, rc, want);
	if (!rc) {
		n_reserve++;
		s->rstart[s->nres] = start;
		s->rlast[s->nres++] = start + len - 1;
	}
}

static void do_allow(struct iommufd_ctx *ctx, struct shadow *s, long step)
{
	struct iommu_iova_range r[MAX_ALLOWED];
	int i, j, n = rnd(MAX_ALLOWED + 1), rc, want = 0;

	for (i = 0; i != n; i++) {
		r[i].start = rnd(SPACE) & ~0xfffULL;
		r[i].last = r[i].start + ((1 + rnd(0x400)) << 12) - 1;
	}
	for (i = 0; i != n && !want; i++)
		for (j = 0; j != i; j++)
			if (r[i].start <= r[j].last && r[i].last >= r[j].start)
				want = -EINVAL;
	for (i = 0; i != n && !want; i++)
		if (overlaps_res(s, r[i].start, r[i].last))
			want = -EADDRINUSE;
	rc = t_allow(ctx, s->id, r, n);
	if (rc != want)
		fail_msg("seed %llu step %ld: allow rc %d want %d", seed, step,
			 rc, want);
	if (rc)
		return;
	n_allow++;
	for (i = 0; i != n; i++) {
		s->astart[i] = r[i].start;
		s->alast[i] = r[i].last;
	}
	s->nallowed = n;
}

/* Attach or detach a mock device: the aperture becomes reserved */
static void do_mock(struct iommufd_ctx *ctx, struct shadow *s, long step)
{
	int i, rc, want = 0;

	if (s->stdev) {
		assert_int_equal(t_destroy(ctx, s->stdev), 0);
		s->stdev = 0;
		return;
	}
	s->stdev = 1;	/* what the reserved check sees after the attach */
	for (i = 0; i != s->n; i++)
		if (overlaps_res(s, s->start[i], s->last[i]))
			want = -EADDRINUSE;
	for (i = 0; i != s->nallowed; i++)
		if (overlaps_res(s, s->astart[i], s->alast[i]))
			want = -EADDRINUSE;
	s->stdev = 0;
	rc = t_mock_domain(ctx, s->id, &s->stdev, NULL, NULL);
	if (rc != want)
		fail_msg("seed %llu step %ld: mock domain rc %d want %d", seed,
			 step, rc, want);
	n_attach += !rc;
}

static void do_copy(struct iommufd_ctx *ctx, long step)
{
	struct shadow *src = &sh[0], *dst = &sh[1];
	__u64 iova = 0, len;
	int i, rc;

	if (!src->n)
		return;
	i = rnd(src->n);
	len = src->last[i] - src->start[i] + 1;
	rc = t_copy(ctx, dst->id, src->id, RW, src->start[i], len, &iova);
	if (rc && rc != -ENOSPC)
		fail_msg("seed %llu step %ld: copy rc %d", seed, step, rc);
	if (!rc) {
		if (overlaps_res(dst, iova, iova + len - 1) ||
		    overlaps_area(dst, iova, iova + len - 1))
			fail_msg("seed %llu step %ld: copy lands on 0x%llx",
				 seed, step, (unsigned long long)iova);
		add_area(dst, iova, len);
		n_copy++;
	}
}

static void test_random_ops(void **state)
{
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	const char *env = getenv("DMATRACE_SEED");
	struct timespec t0, t;
	long step;

	(void)state;
	seed = env ? strtoull(env, NULL, 0) : (unsigned long long)time(NULL);
	printf("# DMATRACE_SEED=%llu\n", seed);
	srandom(seed);
	memset(sh, 0, sizeof(sh));
	assert_int_equal(t_ioas_alloc(ctx, &sh[0].id), 0);
	assert_int_equal(t_ioas_alloc(ctx, &sh[1].id), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (step = 0; step != 200000; step++) {
		struct shadow *s = &sh[random() & 1];
		int op = rnd(100);

		if (op < 45)
			do_map(ctx, s, step);
		else if (op < 85)
			do_unmap(ctx, s, step);
		else if (op < 88)
			do_reserve(ctx, s, step);
		else if (op < 93)
			do_copy(ctx, step);
		else if (op < 96)
			do_allow(ctx, s, step);
		else if (op < 98)
			do_mock(ctx, s, step);
		else if (s->n > 1000 || op == 99)
			assert_int_equal(t_unmap(ctx, s->id, 0,
						 &(__u64){ UINT64_MAX }), 0),
				s->n = 0;
		check(ctx, &sh[0], step);
		check(ctx, &sh[1], step);
		if (step % 256 == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if (t.tv_sec - t0.tv_sec >= 2)
				break;
		}
	}
	printf("# %ld steps; succeeded: %ld maps, %ld unmaps, %ld reserves, "
	       "%ld copies, %ld allow lists, %ld mock attaches\n", step, n_map,
	       n_unmap, n_reserve, n_copy, n_allow, n_attach);
	iommufd_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_ops),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
