// SPDX-License-Identifier: GPL-2.0
/* `dmatrace layout diff`: set arithmetic on inclusive IOVA ranges */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rset.h"

int rset_add(struct rset *s, __u64 start, __u64 last)
{
	struct lay_range *r = lay_grow(s->r, &s->n, sizeof(*r));

	if (!r)
		return -ENOMEM;
	s->r = r;
	r[s->n - 1].start = start;
	r[s->n - 1].last = last;
	return 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct lay_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->last < y->last ? -1 : x->last > y->last;
}

void rset_normalize(struct rset *s)
{
	size_t i, n = 0;

	if (!s->n)
		return;
	qsort(s->r, s->n, sizeof(*s->r), cmp_start);
	for (i = 1; i < s->n; i++) {
		struct lay_range *p = &s->r[n];

		if (p->last == ~0ULL || s->r[i].start <= p->last + 1) {
			if (s->r[i].last > p->last)
				p->last = s->r[i].last;
			continue;
		}
		s->r[++n] = s->r[i];
	}
	s->n = n + 1;
	for (i = 0; i < s->n; i++)
		s->r[i].type[0] = 0;
}

int rset_complement(const struct rset *s, struct rset *out)
{
	__u64 cur = 0;
	size_t i;
	int e;

	for (i = 0; i < s->n; i++) {
		if (s->r[i].start > cur) {
			e = rset_add(out, cur, s->r[i].start - 1);
			if (e)
				return e;
		}
		if (s->r[i].last == ~0ULL)
			return 0;
		cur = s->r[i].last + 1;
	}
	return rset_add(out, cur, ~0ULL);
}

int rset_intersect(const struct rset *a, const struct rset *b, struct rset *out)
{
	size_t i = 0, j = 0;
	int e;

	while (i < a->n && j < b->n) {
		__u64 lo = a->r[i].start > b->r[j].start ? a->r[i].start : b->r[j].start;
		__u64 hi = a->r[i].last < b->r[j].last ? a->r[i].last : b->r[j].last;

		if (lo <= hi) {
			e = rset_add(out, lo, hi);
			if (e)
				return e;
		}
		if (a->r[i].last < b->r[j].last)
			i++;
		else
			j++;
	}
	return 0;
}

void rset_free(struct rset *s)
{
	free(s->r);
	s->r = NULL;
	s->n = 0;
}
