// SPDX-License-Identifier: GPL-2.0
/*
 * churn: a vIOMMU guest's DMA API traffic: small auto-IOVA maps (4 KiB ..
 * 256 KiB, page-aligned user addresses at random offsets, so the IOVA
 * alignment varies) and unmaps of live mappings, up to 1024 live at once.
 * --threads N: N threads at once, each on its own IOAS (or, --same-ioas,
 * all on one). A thread only unmaps its own mappings, so every op's
 * outcome is the same whatever the interleaving, and the ground truth
 * (one mutex per record) stays exact.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "scn.h"

#define MAX_LIVE	1024
#define PAGE		4096ULL
#define UADDR_SPAN	(1ULL << 30)

struct live {
	uint64_t iova;
	uint64_t len;
};

struct churner {
	struct scn s;
	pthread_t tid;
	int slot;
	struct live live[MAX_LIVE];
	unsigned int nr_live;
};

static void churn_step(struct churner *c)
{
	struct scn *s = &c->s;
	struct live *l;
	uint64_t len, uaddr, iova;
	unsigned int k;

	if (!c->nr_live ||
	    (c->nr_live < MAX_LIVE && dl_prng_below(&s->rng, 100) < 55)) {
		len = PAGE * (1 + dl_prng_below(&s->rng, 64));
		uaddr = PAGE * dl_prng_below(&s->rng, UADDR_SPAN / PAGE);
		if (!scn_map_auto(s, c->slot, len, uaddr, &iova)) {
			c->live[c->nr_live].iova = iova;
			c->live[c->nr_live++].len = len;
		}
		return;
	}
	k = dl_prng_below(&s->rng, c->nr_live);
	l = &c->live[k];
	if (!scn_unmap(s, c->slot, l->iova, l->len))
		*l = c->live[--c->nr_live];
}

static void *churn_thread(void *arg)
{
	struct churner *c = arg;

	while (c->s.left)
		churn_step(c);
	return NULL;
}

int scn_churn(struct dl_exec *x, const struct dl_scn_opts *o, char *err,
	      size_t errlen)
{
	unsigned int n = o->threads ? o->threads : 1, i, started = 0;
	unsigned int nr_ioas = o->same_ioas ? 1 : n;
	struct dl_obj objs[SCN_MAX_OBJS] = { { .name = "" } };
	uint64_t budget = o->ops;
	struct churner *c;
	struct scn setup;
	int rc = 0;

	if (!o->same_ioas && o->ops < n) {
		snprintf(err, errlen, "--ops %llu too small for %u threads (at least %u)",
			 (unsigned long long)o->ops, n, n);
		return -1;
	}
	c = calloc(n, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(objs[i].name, sizeof(objs[i].name), "churn%u", i);
		objs[i].type = DL_OBJ_IOAS;
	}
	x->objs = objs;
	/* IOASes first, in order, so that their ids do not depend on timing */
	scn_init(&setup, x, o->seed, nr_ioas);
	for (i = 0; i < nr_ioas; i++)
		scn_ioas(&setup, i);
	budget -= nr_ioas;
	for (i = 0; i < n; i++) {
		uint64_t share = budget / n + (i < budget % n);

		scn_init(&c[i].s, x, o->seed ^ (0x9e3779b97f4a7c15ULL * (i + 1)),
			 share);
		c[i].slot = o->same_ioas ? 0 : (int)i;
	}
	if (n == 1) {
		churn_thread(&c[0]);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (pthread_create(&c[i].tid, NULL, churn_thread, &c[i])) {
			snprintf(err, errlen, "cannot start thread %u", i);
			rc = -1;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(c[i].tid, NULL);
out:
	free(c);
	return rc;
}
