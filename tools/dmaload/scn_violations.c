// SPDX-License-Identifier: GPL-2.0
/*
 * violations: every violation kind of docs/ground-truth.md, drawn at random
 * between good maps and unmaps.
 *   IOAS A ("dev"): a mock device attached (aperture 16 MiB..2 GiB-1, IOVA
 *     alignment 2 KiB), a reserved hole 0x40000000-0x400fffff, allowed
 *     0x1000000-0x3fffffff; the compat (type1) IOAS.
 *   IOAS B ("small"): no device, allowed 0x100000-0x1fffff (1 MiB): auto
 *     maps of 64 KiB exhaust it (-ENOSPC); then it is emptied again.
 * IOVAs 0x7ff00000-0x7fffffff of A are never mapped: unmaps there miss.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "scn.h"

#define A		0
#define B		1
#define HOLE_START	0x40000000ULL
#define HOLE_LAST	0x400fffffULL
#define GOOD_START	0x1000000ULL		/* allowed, in the aperture */
#define GOOD_END	0x40000000ULL
#define OUTSIDE_START	0x40100000ULL		/* in the aperture, not allowed */
#define OUTSIDE_END	0x7ff00000ULL
#define MISS_START	0x7ff00000ULL
#define SMALL_START	0x100000ULL
#define SMALL_LAST	0x1fffffULL
#define RW		(IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define FIXED		IOMMU_IOAS_MAP_FIXED_IOVA
#define MAX_AREAS	512
#define PAGE		4096ULL

struct vstate {
	struct scn s;
	uint64_t iova[MAX_AREAS], len[MAX_AREAS];	/* A's areas */
	unsigned int n;
	int b_full;
};

static uint64_t rnd_page(struct vstate *v, uint64_t start, uint64_t end)
{
	return start + PAGE * dl_prng_below(&v->s.rng, (end - start) / PAGE);
}

static uint64_t rnd_len(struct vstate *v)
{
	return PAGE * (1 + dl_prng_below(&v->s.rng, 16));
}

static void map_a(struct vstate *v, uint64_t start, uint64_t end)
{
	uint64_t iova = rnd_page(v, start, end - 16 * PAGE), len = rnd_len(v);

	if (!scn_map_fixed(&v->s, A, iova, len, iova) && v->n < MAX_AREAS) {
		v->iova[v->n] = iova;
		v->len[v->n++] = len;
	}
}

static void unmap_a(struct vstate *v)
{
	unsigned int k;

	if (!v->n) {
		map_a(v, GOOD_START, GOOD_END);
		return;
	}
	k = dl_prng_below(&v->s.rng, v->n);
	if (!scn_unmap(&v->s, A, v->iova[k], v->len[k])) {
		v->iova[k] = v->iova[--v->n];
		v->len[k] = v->len[v->n];
	}
}

static void overlap(struct vstate *v)
{
	unsigned int k;

	if (!v->n) {
		map_a(v, GOOD_START, GOOD_END);
		return;
	}
	k = dl_prng_below(&v->s.rng, v->n);
	scn_map_fixed(&v->s, A, v->iova[k], v->len[k], 0);	/* -EEXIST */
}

static void exhaust(struct vstate *v)
{
	uint64_t iova;

	if (v->b_full) {
		scn_unmap(&v->s, B, 0, ~0ULL);
		v->b_full = 0;
		return;
	}
	if (scn_map_auto(&v->s, B, 64 << 10, 0, &iova) == -ENOSPC)
		v->b_full = 1;
}

static void misaligned(struct vstate *v)
{
	uint64_t iova = rnd_page(v, GOOD_START, GOOD_END - 16 * PAGE);

	if (dl_prng_below(&v->s.rng, 2))
		scn_map_fixed(&v->s, A, iova + 0x400, PAGE, 0);	/* IOVA */
	else
		scn_map_fixed(&v->s, A, iova, PAGE + 0x100, 0);	/* length */
}

static void wrap(struct vstate *v)
{
	if (dl_prng_below(&v->s.rng, 2))
		scn_map_fixed(&v->s, B, ~0ULL - PAGE + 1, 2 * PAGE, 0);
	else
		scn_map_fixed(&v->s, B, ~0ULL, PAGE, 0);
}

static void unmap_miss(struct vstate *v)
{
	unsigned int k;

	if (v->n && dl_prng_below(&v->s.rng, 2)) {
		/* cut into an area: iopt_unmap_iova() refuses to split */
		k = dl_prng_below(&v->s.rng, v->n);
		scn_unmap(&v->s, A, v->iova[k] + 0x800, 0x800);
		return;
	}
	scn_unmap(&v->s, A, MISS_START + PAGE * dl_prng_below(&v->s.rng, 128),
		  PAGE);
}

static void bad_flags(struct vstate *v)
{
	uint64_t iova = rnd_page(v, GOOD_START, GOOD_END - 16 * PAGE);

	switch (dl_prng_below(&v->s.rng, 3)) {
	case 0:	/* unknown flag bit: -EOPNOTSUPP */
		scn_mapflags(&v->s, A, FIXED | RW | 0x8, 0, iova, PAGE);
		break;
	case 1:	/* __reserved set: -EOPNOTSUPP */
		scn_mapflags(&v->s, A, FIXED | RW, 1, iova, PAGE);
		break;
	default: /* neither readable nor writeable: -EINVAL */
		scn_mapflags(&v->s, A, FIXED, 0, iova, PAGE);
	}
}

static void step(struct vstate *v)
{
	switch (dl_prng_below(&v->s.rng, 12)) {
	case 0:
	case 1:
		map_a(v, GOOD_START, GOOD_END);		/* maybe -EEXIST */
		break;
	case 2:
		map_a(v, OUTSIDE_START, OUTSIDE_END);	/* outside_allowed */
		break;
	case 3:	/* the hole, or below the aperture: reserved */
		scn_map_fixed(&v->s, A, dl_prng_below(&v->s.rng, 2) ?
			      HOLE_START - PAGE : PAGE, 2 * PAGE, 0);
		break;
	case 4:
		overlap(v);
		break;
	case 5:
		exhaust(v);
		break;
	case 6:
		misaligned(v);
		break;
	case 7:
		wrap(v);
		break;
	case 8:
		unmap_miss(v);
		break;
	case 9:
		bad_flags(v);
		break;
	case 10:	/* type1_outside */
		scn_t1map(&v->s, HOLE_START + PAGE * dl_prng_below(&v->s.rng, 16),
			  PAGE, 0);
		break;
	default:
		unmap_a(v);
	}
}

int scn_violations(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
		   size_t errlen)
{
	static const struct iommu_iova_range allow_a = { GOOD_START, GOOD_END - 1 };
	static const struct iommu_iova_range allow_b = { SMALL_START, SMALL_LAST };
	struct dl_obj objs[2] = {
		{ .name = "dev", .type = DL_OBJ_IOAS },
		{ .name = "small", .type = DL_OBJ_IOAS },
	};
	static struct vstate v;
	int rc;

	x->objs = objs;
	v.n = 0;
	v.b_full = 0;
	scn_init(&v.s, x, o->seed, o->ops);
	if ((rc = scn_ioas(&v.s, A)) || (rc = scn_ioas(&v.s, B)) ||
	    (rc = scn_mockdev(&v.s, A)) ||
	    (rc = scn_reserve(&v.s, A, HOLE_START, HOLE_LAST)) ||
	    (rc = scn_allow(&v.s, A, &allow_a, 1)) ||
	    (rc = scn_allow(&v.s, B, &allow_b, 1)) || (rc = scn_type1(&v.s, A))) {
		snprintf(err, errlen, "setup failed: %s", strerror(-rc));
		return -1;
	}
	while (v.s.left)
		step(&v);
	return 0;
}
