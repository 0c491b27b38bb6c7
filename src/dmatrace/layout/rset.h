/* SPDX-License-Identifier: GPL-2.0 */
/* Sets of IOVAs as sorted, disjoint, non-adjacent ranges (rset.c) */
#ifndef DMATRACE_LAYOUT_RSET_H
#define DMATRACE_LAYOUT_RSET_H

#include "layout.h"

struct rset {
	struct lay_range *r;
	size_t n;
};

int rset_add(struct rset *s, __u64 start, __u64 last);
/* Sort and join what overlaps or touches (types are dropped) */
void rset_normalize(struct rset *s);
/* out = the complement of normalized s in [0, 2^64 - 1] */
int rset_complement(const struct rset *s, struct rset *out);
/* out = a and b (both normalized) */
int rset_intersect(const struct rset *a, const struct rset *b, struct rset *out);
void rset_free(struct rset *s);

#endif /* DMATRACE_LAYOUT_RSET_H */
