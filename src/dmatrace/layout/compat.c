// SPDX-License-Identifier: GPL-2.0
/*
 * `dmatrace layout diff A B`: the IOVAs usable on host A (not reserved by a
 * group, within its IOMMU's address width or windows) that host B blocks,
 * one line per range and reason. The groups that count: every group with
 * devices, or with --device the one group holding it, on each host.
 * direct-relaxable regions block nothing: VFIO type1 and iommufd leave them
 * out of the holes they make (vfio_iommu_resv_exclude,
 * iopt_table_enforce_dev_resv_regions).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "rset.h"
#include "view/fmt.h"

#define BLK_GROUPS	4	/* group ids named in a line */

/* One blocked range of a host and why: a region's type, "width", "window" */
struct blk {
	__u64 start, last;
	char why[LAY_TYPE_MAX];
	const struct lay_iommu *iommu;	/* width, window */
	unsigned int group[BLK_GROUPS];
	size_t ngroups;
};

struct host {
	struct blk *b;
	size_t n;
};

static int add_blk(struct host *h, __u64 start, __u64 last, const char *why,
		   const struct lay_iommu *u, unsigned int group)
{
	struct blk *b;
	size_t i;

	for (i = 0; i < h->n; i++) {
		b = &h->b[i];
		if (b->start == start && b->last == last && b->iommu == u &&
		    !strcmp(b->why, why))
			goto found;
	}
	b = lay_grow(h->b, &h->n, sizeof(*b));
	if (!b)
		return -ENOMEM;
	h->b = b;
	b += h->n - 1;
	b->start = start;
	b->last = last;
	b->iommu = u;
	snprintf(b->why, sizeof(b->why), "%s", why);
found:
	if (b->ngroups < BLK_GROUPS)
		b->group[b->ngroups] = group;
	b->ngroups++;
	return 0;
}

/* What u cannot reach: past its address width, or outside its windows */
static int add_reach(struct host *h, const struct lay_iommu *u, unsigned int group)
{
	struct rset w = { 0 }, out = { 0 };
	size_t i;
	int e = 0;

	if (!u->nwin)
		return u->aw_bits && u->aw_bits < 64 ?
		       add_blk(h, 1ULL << u->aw_bits, ~0ULL, "width", u, group) : 0;
	for (i = 0; !e && i < u->nwin; i++)
		e = rset_add(&w, u->win[i].start, u->win[i].last);
	rset_normalize(&w);
	if (!e)
		e = rset_complement(&w, &out);
	for (i = 0; !e && i < out.n; i++)
		e = add_blk(h, out.r[i].start, out.r[i].last, "window", u, group);
	rset_free(&w);
	rset_free(&out);
	return e;
}

static bool has_dev(const struct lay_group *g, const char *dev)
{
	size_t i;

	for (i = 0; i < g->ndev; i++)
		if (!strcmp(g->devices[i], dev))
			return true;
	return false;
}

static int add_group(struct host *h, const struct layout *l,
		     const struct lay_group *g)
{
	const struct lay_iommu *u = lay_iommu_of(l, g);
	size_t i;
	int e = 0;

	for (i = 0; !e && i < g->nresv; i++)
		if (strcmp(g->resv[i].type, "direct-relaxable"))
			e = add_blk(h, g->resv[i].start, g->resv[i].last,
				    g->resv[i].type, NULL, g->id);
	if (u)
		return e ? e : add_reach(h, u, g->id);
	/* no IOMMU known for it: every IOMMU's limits */
	for (i = 0; !e && i < l->niommus; i++)
		e = add_reach(h, &l->iommus[i], g->id);
	return e;
}

static int host_blocked(const struct layout *l, const char *name,
			const char *dev, struct host *h, char *err)
{
	size_t i, used = 0;
	int e = 0;

	for (i = 0; !e && i < l->ngroups; i++) {
		const struct lay_group *g = &l->groups[i];

		if (dev ? !has_dev(g, dev) : !g->ndev)
			continue;
		used++;
		e = add_group(h, l, g);
	}
	if (e)
		snprintf(err, LAY_ERR_MAX, "out of memory");
	else if (!used && dev)
		snprintf(err, LAY_ERR_MAX, "%.100s: no group holds device %s", name, dev);
	else if (!used)
		snprintf(err, LAY_ERR_MAX, "%.200s: no IOMMU group with devices", name);
	return e ? e : used ? 0 : -EINVAL;
}

static void describe(char *buf, size_t sz, const struct blk *b)
{
	size_t i, n;

	if (!strcmp(b->why, "width")) {
		snprintf(buf, sz, "beyond the address width of %s (%u bits)",
			 b->iommu->name, b->iommu->aw_bits);
		return;
	}
	if (!strcmp(b->why, "window")) {
		snprintf(buf, sz, "outside the windows of %s", b->iommu->name);
		return;
	}
	if (b->ngroups == 1) {
		snprintf(buf, sz, "reserved (%s) in group %u", b->why, b->group[0]);
		return;
	}
	n = snprintf(buf, sz, "reserved (%s) in %zu groups (", b->why, b->ngroups);
	for (i = 0; i < b->ngroups && i < BLK_GROUPS && n < sz; i++)
		n += snprintf(buf + n, sz - n, "%s%u", i ? ", " : "", b->group[i]);
	if (n < sz)
		snprintf(buf + n, sz - n, "%s)", b->ngroups > BLK_GROUPS ? ", ..." : "");
}

/* A line of the answer: [start, last] usable on A, blocked on B by blk */
struct hit {
	__u64 start, last;
	const struct blk *b;
};

static int cmp_hit(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->last < b->last ? -1 : a->last > b->last;
}

static void print_hit(FILE *out, const struct hit *h)
{
	char size[FMT_SIZE_MAX], why[160];

	describe(why, sizeof(why), h->b);
	fprintf(out, "[0x%" PRIx64 ", 0x%" PRIx64 "] (%s) usable on A, blocked on B: %s\n",
		(uint64_t)h->start, (uint64_t)h->last,
		fmt_range_size(size, sizeof(size), h->start, h->last), why);
}

/* Every piece of usable that a blocked range of b covers, sorted */
static int find_hits(const struct rset *usable, const struct host *b,
		     struct hit **hits, size_t *n)
{
	struct rset one = { 0 }, in = { 0 };
	struct hit *h;
	size_t i, j;
	int e = 0;

	for (i = 0; !e && i < b->n; i++) {
		one.n = 0;
		e = rset_add(&one, b->b[i].start, b->b[i].last);
		in.n = 0;
		if (!e)
			e = rset_intersect(usable, &one, &in);
		for (j = 0; !e && j < in.n; j++) {
			h = lay_grow(*hits, n, sizeof(*h));
			if (!h) {
				e = -ENOMEM;
				break;
			}
			*hits = h;
			h[*n - 1] = (struct hit){ in.r[j].start, in.r[j].last, &b->b[i] };
		}
	}
	rset_free(&one);
	rset_free(&in);
	if (!e && *n)
		qsort(*hits, *n, sizeof(**hits), cmp_hit);
	return e;
}

/* The guest's ranges that A blocks already: said, not counted */
static int note_guest(FILE *out, const struct rset *guest, const struct rset *blocked)
{
	struct rset both = { 0 };
	size_t i;
	int e = rset_intersect(guest, blocked, &both);

	for (i = 0; !e && i < both.n; i++)
		fprintf(out, "note: the guest uses [0x%" PRIx64 ", 0x%" PRIx64
			"], which A blocks already (not counted)\n",
			(uint64_t)both.r[i].start, (uint64_t)both.r[i].last);
	rset_free(&both);
	return e;
}

/* usable = (not blocked on A) [and used by the guest] */
static int usable_on_a(FILE *out, const struct host *a,
		       const struct lay_diff_opts *o, struct rset *usable)
{
	struct rset bl = { 0 }, free_a = { 0 }, g = { 0 };
	size_t i;
	int e = 0;

	for (i = 0; !e && i < a->n; i++)
		e = rset_add(&bl, a->b[i].start, a->b[i].last);
	rset_normalize(&bl);
	if (!e)
		e = rset_complement(&bl, o->has_guest ? &free_a : usable);
	for (i = 0; !e && o->has_guest && i < o->nguest; i++)
		e = rset_add(&g, o->guest[i].start, o->guest[i].last);
	rset_normalize(&g);
	if (!e && o->has_guest)
		e = rset_intersect(&free_a, &g, usable);
	if (!e && o->has_guest)
		e = note_guest(out, &g, &bl);
	rset_free(&bl);
	rset_free(&free_a);
	rset_free(&g);
	return e;
}

static void summary(FILE *out, size_t n, const struct lay_diff_opts *o)
{
	const char *s = n > 1 ? "s" : "", *verb = n > 1 ? "are" : "is";

	if (!n && o->has_guest)
		fprintf(out, "compatible: every range the guest uses that is usable on A is usable on B\n");
	else if (!n)
		fprintf(out, "compatible: every range that is usable on A is usable on B\n");
	else if (o->has_guest)
		fprintf(out, "incompatible: %zu range%s the guest uses %s usable on A but blocked on B\n",
			n, s, verb);
	else
		fprintf(out, "incompatible: %zu range%s usable on A %s blocked on B\n",
			n, s, verb);
}

int layout_diff(FILE *out, const struct layout *a, const struct layout *b,
		const struct lay_diff_opts *o, char *err)
{
	struct host ha = { 0 }, hb = { 0 };
	struct rset usable = { 0 };
	struct hit *hits = NULL;
	size_t nhits = 0, i;
	int e;

	e = host_blocked(a, o->name[0], o->device, &ha, err);
	if (!e)
		e = host_blocked(b, o->name[1], o->device, &hb, err);
	if (e)
		goto out;
	e = usable_on_a(out, &ha, o, &usable);
	if (!e)
		e = find_hits(&usable, &hb, &hits, &nhits);
	if (e) {
		snprintf(err, LAY_ERR_MAX, "out of memory");
		goto out;
	}
	for (i = 0; i < nhits; i++)
		print_hit(out, &hits[i]);
	summary(out, nhits, o);
	e = nhits ? 1 : 0;
out:
	free(ha.b);
	free(hb.b);
	free(hits);
	rset_free(&usable);
	return e;
}
