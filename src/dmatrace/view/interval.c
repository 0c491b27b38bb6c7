// SPDX-License-Identifier: GPL-2.0
/* Interval math on inclusive IOVA ranges; see interval.h */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "interval.h"

void iv_init(struct iv_set *s)
{
	memset(s, 0, sizeof(*s));
}

void iv_free(struct iv_set *s)
{
	free(s->r);
	iv_init(s);
}

void iv_clear(struct iv_set *s)
{
	s->nr = 0;
}

static int iv_reserve(struct iv_set *s, unsigned int nr)
{
	struct dt_range *r;
	unsigned int cap;

	if (nr <= s->cap)
		return 0;
	cap = s->cap ? s->cap * 2 : 8;
	while (cap < nr)
		cap *= 2;
	r = realloc(s->r, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	s->r = r;
	s->cap = cap;
	return 0;
}

int iv_copy(struct iv_set *dst, const struct iv_set *src)
{
	int err = iv_reserve(dst, src->nr);

	if (err)
		return err;
	if (src->nr)
		memcpy(dst->r, src->r, src->nr * sizeof(*src->r));
	dst->nr = src->nr;
	return 0;
}

/* r ends before s with at least one address between them */
static bool iv_gap_before(const struct dt_range *r, __u64 s)
{
	return r->last < s && r->last + 1 != s;
}

/* r starts after l with at least one address between them */
static bool iv_gap_after(const struct dt_range *r, __u64 l)
{
	return r->start > l && r->start != l + 1;
}

int iv_add(struct iv_set *s, __u64 start, __u64 last)
{
	unsigned int lo = 0, hi, n;
	int err;

	if (start > last)
		return -EINVAL;
	while (lo < s->nr && iv_gap_before(&s->r[lo], start))
		lo++;
	hi = lo;
	while (hi < s->nr && !iv_gap_after(&s->r[hi], last)) {
		if (s->r[hi].start < start)
			start = s->r[hi].start;
		if (s->r[hi].last > last)
			last = s->r[hi].last;
		hi++;
	}
	/* ranges [lo, hi) merge into one at lo */
	n = s->nr - (hi - lo) + 1;
	err = iv_reserve(s, n);
	if (err)
		return err;
	memmove(&s->r[lo + 1], &s->r[hi], (s->nr - hi) * sizeof(*s->r));
	s->r[lo].start = start;
	s->r[lo].last = last;
	s->nr = n;
	return 0;
}

int iv_subtract(struct iv_set *s, __u64 start, __u64 last)
{
	struct iv_set out;
	unsigned int i;
	int err = 0;

	if (start > last)
		return -EINVAL;
	iv_init(&out);
	for (i = 0; i < s->nr && !err; i++) {
		const struct dt_range *r = &s->r[i];

		if (r->last < start || r->start > last) {
			err = iv_add(&out, r->start, r->last);
			continue;
		}
		if (r->start < start)
			err = iv_add(&out, r->start, start - 1);
		if (!err && r->last > last)
			err = iv_add(&out, last + 1, r->last);
	}
	if (!err) {
		free(s->r);
		*s = out;
		return 0;
	}
	iv_free(&out);
	return err;
}

int iv_subtract_set(struct iv_set *s, const struct iv_set *holes)
{
	unsigned int i;
	int err;

	for (i = 0; i < holes->nr; i++) {
		err = iv_subtract(s, holes->r[i].start, holes->r[i].last);
		if (err)
			return err;
	}
	return 0;
}

int iv_intersect(struct iv_set *out, const struct iv_set *a,
		 const struct iv_set *b)
{
	unsigned int i = 0, j = 0;
	int err;

	iv_clear(out);
	while (i < a->nr && j < b->nr) {
		__u64 s = a->r[i].start > b->r[j].start ? a->r[i].start : b->r[j].start;
		__u64 l = a->r[i].last < b->r[j].last ? a->r[i].last : b->r[j].last;

		if (s <= l) {
			err = iv_add(out, s, l);
			if (err)
				return err;
		}
		if (a->r[i].last < b->r[j].last)
			i++;
		else
			j++;
	}
	return 0;
}

bool iv_contains(const struct iv_set *s, __u64 iova)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		if (s->r[i].start <= iova && iova <= s->r[i].last)
			return true;
	return false;
}

__u64 iv_size(__u64 start, __u64 last)
{
	if (start > last)
		return 0;
	if (start == 0 && last == IV_ULONG_MAX)
		return IV_ULONG_MAX;
	return last - start + 1;
}

__u64 iv_bytes(const struct iv_set *s)
{
	__u64 sum = 0, n;
	unsigned int i;

	for (i = 0; i < s->nr; i++) {
		n = iv_size(s->r[i].start, s->r[i].last);
		sum = n > IV_ULONG_MAX - sum ? IV_ULONG_MAX : sum + n;
	}
	return sum;
}

__u64 iv_overlap(__u64 s1, __u64 l1, __u64 s2, __u64 l2)
{
	__u64 s = s1 > s2 ? s1 : s2;
	__u64 l = l1 < l2 ? l1 : l2;

	return iv_size(s, l);
}

static void iv_measure(const struct dt_range *w, __u64 start, __u64 last,
		       struct iv_miss *m)
{
	m->before = m->past = m->gap = 0;
	if (last < w->start) {
		m->rel = IV_BELOW;
		m->gap = w->start - start;
	} else if (start > w->last) {
		m->rel = IV_ABOVE;
		m->gap = last - w->last;
	} else if (start < w->start && last > w->last) {
		m->rel = IV_SPANS;
		m->before = w->start - start;
		m->past = last - w->last;
	} else if (start < w->start) {
		m->rel = IV_STARTS_BEFORE;
		m->before = w->start - start;
	} else if (last > w->last) {
		m->rel = IV_ENDS_PAST;
		m->past = last - w->last;
	} else {
		m->rel = IV_INSIDE;
	}
}

void iv_miss(const struct iv_set *s, __u64 start, __u64 last,
	     struct iv_miss *m)
{
	__u64 best_overlap = 0, best_gap = IV_ULONG_MAX;
	unsigned int i, best = 0;
	bool overlapping = false;

	memset(m, 0, sizeof(*m));
	if (!s->nr) {
		m->rel = IV_NO_WINDOW;
		return;
	}
	for (i = 0; i < s->nr; i++) {
		const struct dt_range *w = &s->r[i];
		__u64 ov = iv_overlap(start, last, w->start, w->last);
		__u64 gap;

		if (ov) {
			if (!overlapping || ov > best_overlap) {
				best = i;
				best_overlap = ov;
			}
			overlapping = true;
			continue;
		}
		if (overlapping)
			continue;
		gap = last < w->start ? w->start - start : last - w->last;
		if (gap < best_gap) {
			best = i;
			best_gap = gap;
		}
	}
	m->idx = best;
	iv_measure(&s->r[best], start, last, m);
}
