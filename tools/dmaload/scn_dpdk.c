// SPDX-License-Identifier: GPL-2.0
/*
 * dpdk: a DPDK/SPDK app in IOVA-as-VA mode maps hugepages FIXED as its
 * memory segments grow and shrink: 2 MiB pages (3 in 4) and 1 GiB pages,
 * at IOVAs that mirror their offset in the user buffer. Pages are mapped
 * only where nothing is mapped, and unmapped exactly, so every op succeeds.
 */
#include "scn.h"

#define SLOTS_2M	4096			/* 8 GiB of 2 MiB pages */
#define SLOTS_1G	32			/* 32 GiB of 1 GiB pages */
#define BASE_2M		(4ULL << 30)		/* IOVA = BASE + uaddr */
#define BASE_1G		(64ULL << 30)
#define UADDR_1G	(16ULL << 30)
#define SZ_2M		(2ULL << 20)
#define SZ_1G		(1ULL << 30)

struct pool {
	unsigned char used[SLOTS_2M];
	unsigned int nr_used;
	unsigned int nslots;
	uint64_t size, iova_base, uaddr_base;
};

/* A free (map) or used (unmap) slot, starting the search at random */
static int pick(struct scn *s, struct pool *p, int want_used)
{
	unsigned int i, start = dl_prng_below(&s->rng, p->nslots);

	for (i = 0; i < p->nslots; i++) {
		unsigned int k = (start + i) % p->nslots;

		if (p->used[k] == want_used)
			return k;
	}
	return -1;
}

static void step(struct scn *s, struct pool *p)
{
	int map = !p->nr_used ||
		  (p->nr_used < p->nslots && dl_prng_below(&s->rng, 3));
	int k = pick(s, p, !map);
	uint64_t off = (uint64_t)k * p->size;

	if (map) {
		if (!scn_map_fixed(s, 0, p->iova_base + off, p->size,
				   p->uaddr_base + off)) {
			p->used[k] = 1;
			p->nr_used++;
		}
	} else if (!scn_unmap(s, 0, p->iova_base + off, p->size)) {
		p->used[k] = 0;
		p->nr_used--;
	}
}

int scn_dpdk(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
	     size_t errlen)
{
	struct dl_obj objs[1] = { { .name = "dpdk", .type = DL_OBJ_IOAS } };
	static struct pool p2m, p1g;
	struct scn s;

	(void)err;
	(void)errlen;
	p2m = (struct pool){ .nslots = SLOTS_2M, .size = SZ_2M,
			     .iova_base = BASE_2M, .uaddr_base = 0 };
	p1g = (struct pool){ .nslots = SLOTS_1G, .size = SZ_1G,
			     .iova_base = BASE_1G, .uaddr_base = UADDR_1G };
	x->objs = objs;
	scn_init(&s, x, o->seed, o->ops);
	scn_ioas(&s, 0);
	while (s.left)
		step(&s, dl_prng_below(&s.rng, 4) ? &p2m : &p1g);
	return 0;
}
