// SPDX-License-Identifier: GPL-2.0
/*
 * power: the seed RFC's POWER layout, via the multi-window extension
 * (include/ref/window.h): a 2 GiB window at 0 with 4 KiB pages and a 2 GiB
 * window at 2^59 with 64 KiB pages. Steps: "need N bytes" requests (some
 * too large: -ENOSPC), auto maps (first fit: the low window), FIXED maps in
 * the high window, some not 64 KiB aligned (-EINVAL) or between the windows
 * (-EINVAL), and unmaps of live mappings. Needs a backend with the
 * extension (--backend ref).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "scn.h"

#define LOW_BASE	0ULL
#define HIGH_BASE	(1ULL << 59)
#define WIN_LEN		(2ULL << 30)
#define SZ_4K		4096ULL
#define SZ_64K		65536ULL
#define MAX_LIVE	512

struct pstate {
	struct scn s;
	uint64_t iova[MAX_LIVE], len[MAX_LIVE];
	unsigned int n;
};

static void keep(struct pstate *p, int ret, uint64_t iova, uint64_t len)
{
	if (ret || p->n == MAX_LIVE)
		return;
	p->iova[p->n] = iova;
	p->len[p->n++] = len;
}

static int window(struct scn *s, uint64_t base, uint64_t len, uint64_t pgsize)
{
	struct dl_result res;
	struct dl_op op;

	memset(&op, 0, sizeof(op));
	op.kind = DL_WINDOW;
	op.word = "window";
	op.obj = 0;
	op.obj2 = -1;
	op.iova = base;
	op.size = len;
	op.pgsize = pgsize;
	op.line = ++s->step;
	return dl_exec_op(&s->x, &op, &res);
}

static void need(struct scn *s)
{
	static const uint64_t sizes[] = {
		1ULL << 20, 64ULL << 20, 1ULL << 30, 2ULL << 30, 4ULL << 30,
	};
	struct dl_result res;
	struct dl_op op;

	memset(&op, 0, sizeof(op));
	op.kind = DL_NEED;
	op.word = "need";
	op.obj = 0;
	op.obj2 = -1;
	op.size = sizes[dl_prng_below(&s->rng, 5)];
	op.pgsize = dl_prng_below(&s->rng, 3) ? 0 : SZ_64K;
	op.line = ++s->step;
	if (s->left)
		s->left--;
	dl_exec_op(&s->x, &op, &res);
}

static void step(struct pstate *p)
{
	struct scn *s = &p->s;
	uint64_t iova, len;
	unsigned int k;
	int rc;

	switch (dl_prng_below(&s->rng, 8)) {
	case 0:
		need(s);
		break;
	case 1:
	case 2:
		len = SZ_4K * (1 + dl_prng_below(&s->rng, 256));
		rc = scn_map_auto(s, 0, len, 0, &iova);
		keep(p, rc, iova, len);
		break;
	case 3:
	case 4:
		iova = HIGH_BASE + SZ_64K * dl_prng_below(&s->rng, WIN_LEN / SZ_64K - 16);
		len = SZ_64K * (1 + dl_prng_below(&s->rng, 16));
		rc = scn_map_fixed(s, 0, iova, len, 0);
		keep(p, rc, iova, len);
		break;
	case 5:	/* 4 KiB aligned in the 64 KiB window: -EINVAL */
		scn_map_fixed(s, 0, HIGH_BASE + SZ_4K, SZ_64K, 0);
		break;
	case 6:	/* between the windows: -EINVAL */
		scn_map_fixed(s, 0, WIN_LEN + SZ_64K * dl_prng_below(&s->rng, 1024),
			      SZ_64K, 0);
		break;
	default:
		if (!p->n) {
			need(s);
			break;
		}
		k = dl_prng_below(&s->rng, p->n);
		if (!scn_unmap(s, 0, p->iova[k], p->len[k])) {
			p->iova[k] = p->iova[--p->n];
			p->len[k] = p->len[p->n];
		}
	}
}

int scn_power(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
	      size_t errlen)
{
	struct dl_obj objs[1] = { { .name = "power", .type = DL_OBJ_IOAS } };
	static struct pstate p;
	int rc;

	if (!x->be->supports_windows) {
		snprintf(err, errlen, "needs the multi-window extension, which the %s backend has not (use --backend ref)",
			 x->be->name);
		return -1;
	}
	x->objs = objs;
	p.n = 0;
	scn_init(&p.s, x, o->seed, o->ops);
	if ((rc = scn_ioas(&p.s, 0)) ||
	    (rc = window(&p.s, LOW_BASE, WIN_LEN, SZ_4K)) ||
	    (rc = window(&p.s, HIGH_BASE, WIN_LEN, SZ_64K))) {
		snprintf(err, errlen, "setup failed: %s", strerror(-rc));
		return -1;
	}
	while (p.s.left)
		step(&p);
	return 0;
}
