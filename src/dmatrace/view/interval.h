/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interval math on IOVA ranges [start, last] (last inclusive, as in
 * iommufd), safe at 0 and at ULONG_MAX. An iv_set is sorted, disjoint and
 * merged: touching ranges ([a, b] and [b + 1, c]) become one.
 */
#ifndef DMATRACE_VIEW_INTERVAL_H
#define DMATRACE_VIEW_INTERVAL_H

#include <stdbool.h>
#include <linux/types.h>

#include "dmatrace/events.h"	/* struct dt_range */

#define IV_ULONG_MAX	(~(__u64)0)

struct iv_set {
	struct dt_range *r;
	unsigned int nr;
	unsigned int cap;
};

void iv_init(struct iv_set *s);
void iv_free(struct iv_set *s);
void iv_clear(struct iv_set *s);
int iv_copy(struct iv_set *dst, const struct iv_set *src);
/* Union with [start, last]; -EINVAL when start > last, -ENOMEM */
int iv_add(struct iv_set *s, __u64 start, __u64 last);
/* Remove [start, last] from the set */
int iv_subtract(struct iv_set *s, __u64 start, __u64 last);
int iv_subtract_set(struct iv_set *s, const struct iv_set *holes);
/* out = a ∩ b (out must differ from a and b) */
int iv_intersect(struct iv_set *out, const struct iv_set *a,
		 const struct iv_set *b);
bool iv_contains(const struct iv_set *s, __u64 iova);
/* Bytes in [s1, l1] ∩ [s2, l2]; 0 when disjoint, saturates at ULONG_MAX */
__u64 iv_overlap(__u64 s1, __u64 l1, __u64 s2, __u64 l2);
/* Bytes in [start, last], saturating at ULONG_MAX (the 2^64 full range) */
__u64 iv_size(__u64 start, __u64 last);
/* Bytes in the whole set, saturating at ULONG_MAX */
__u64 iv_bytes(const struct iv_set *s);

/* Where a range [start, last] lies relative to the windows of a set */
enum iv_rel {
	IV_NO_WINDOW,		/* the set is empty */
	IV_INSIDE,		/* entirely inside window idx */
	IV_STARTS_BEFORE,	/* starts `before` bytes below window idx */
	IV_ENDS_PAST,		/* ends `past` bytes beyond window idx */
	IV_SPANS,		/* both: covers window idx and more */
	IV_BELOW,		/* entirely below window idx */
	IV_ABOVE,		/* entirely above window idx */
};

struct iv_miss {
	enum iv_rel rel;
	unsigned int idx;	/* the window it is measured against */
	__u64 before;		/* window.start - start (STARTS_BEFORE, SPANS) */
	__u64 past;		/* last - window.last (ENDS_PAST, SPANS) */
	__u64 gap;		/* BELOW: window.start - start (how far its start
				   lies below the window); ABOVE: last -
				   window.last (how far its end lies above) */
};

/*
 * Measure [start, last] against the nearest window: the one it overlaps
 * most (lowest on ties), else the one with the smallest gap (lowest on
 * ties), the gap being how far the range must move to fit. For one IOVA
 * pass start == last: gap is then the distance to the nearest window edge.
 */
void iv_miss(const struct iv_set *s, __u64 start, __u64 last,
	     struct iv_miss *m);

#endif /* DMATRACE_VIEW_INTERVAL_H */
