// SPDX-License-Identifier: GPL-2.0
/*
 * Ground truth of native VFIO type1 (docs/ground-truth.md, "Native type1"):
 * containers, their groups and mappings as the successful ops left them,
 * and the violation of each failed (or v1-partial) op, from the uAPI
 * fields and this shadow alone.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "truth_type1.h"

#define T1_MAX		256	/* containers and groups, numbered from 1 */
#define MAP_READ	1u	/* VFIO_DMA_MAP_FLAG_READ */
#define MAP_WRITE	2u
#define MAP_VADDR	4u
#define UNMAP_DIRTY	1u	/* VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP */
#define UNMAP_ALL	2u
#define UNMAP_VADDR	4u
#define TYPE1_V1	1u	/* VFIO_TYPE1_IOMMU */
#define PAGE_4K		0x1000ULL

struct t1_dma {
	__u64 start, last;
};

struct t1_container {
	bool open, set, v2;
	unsigned int drv_id;	/* its driver's number: the order of drivers set */
	unsigned int nr_groups;
	struct t1_dma *dmas;	/* sorted, disjoint */
	size_t nr, cap;
};

struct truth_type1 {
	struct t1_container c[T1_MAX + 1];
	__u32 group_container[T1_MAX + 1];	/* 0: in none */
	__u64 group_pgsizes[T1_MAX + 1];
	unsigned int drv_seq;	/* drivers set so far (VFIO_SET_IOMMU) */
	bool any;
};

struct truth_type1 *truth_type1_new(void)
{
	return calloc(1, sizeof(struct truth_type1));
}

void truth_type1_free(struct truth_type1 *t1)
{
	unsigned int i;

	if (!t1)
		return;
	for (i = 0; i <= T1_MAX; i++)
		free(t1->c[i].dmas);
	free(t1);
}

int truth_type1_op(unsigned int op)
{
	return (op < DT_OP_MAX && dt_op(op)->backend == DT_BACKEND_TYPE1) ||
	       (op >= TR_CONTAINER && op <= TR_LIMIT);
}

const char *truth_type1_op_name(unsigned int op)
{
	return op < DT_OP_MAX ? dt_op_name(op) : "attach_group";
}

static struct t1_container *container(struct truth_type1 *t1, __u32 id)
{
	return id && id <= T1_MAX ? &t1->c[id] : NULL;
}

/* The smallest page size of the container's groups (4K at least) */
static __u64 min_pgsize(struct truth_type1 *t1, __u32 id)
{
	__u64 mask = ~0ULL;
	unsigned int g;

	for (g = 1; g <= T1_MAX; g++)
		if (t1->group_container[g] == id && t1->group_pgsizes[g])
			mask &= t1->group_pgsizes[g];
	mask &= ~(PAGE_4K - 1);
	return mask ? mask & -mask : PAGE_4K;
}

/* ---- violations ---- */

static bool map_bad_flags(__u32 flags)
{
	bool prot = flags & (MAP_READ | MAP_WRITE);

	return (flags & ~(MAP_READ | MAP_WRITE | MAP_VADDR)) ||
	       prot == !!(flags & MAP_VADDR);
}

static int classify_map(struct truth_type1 *t1, const struct truth_rec *r,
			struct t1_container *c)
{
	__u64 pg;

	switch (r->ret) {
	case -EEXIST:
		return DT_VIOL_OVERLAP;
	case -ENOSPC:
		return DT_VIOL_ENTRY_LIMIT;
	case -ENOMEM:
		return DT_VIOL_MEMLOCK;
	case -EINVAL:
		break;
	default:
		return -1;
	}
	if (map_bad_flags(r->flags))
		return DT_VIOL_BAD_FLAGS;
	if (!c || !c->set)
		return -1;	/* no driver: the container's -EINVAL */
	pg = min_pgsize(t1, r->container);
	if (!r->length || (r->iova | r->length | r->vaddr) & (pg - 1))
		return DT_VIOL_MISALIGNED;
	if (r->iova + r->length - 1 < r->iova ||
	    r->vaddr + r->length - 1 < r->vaddr)
		return DT_VIOL_WRAP;
	/* a VADDR update of a valid or other-sized mapping: no range fault */
	return r->flags & MAP_VADDR ? -1 : DT_VIOL_TYPE1_OUTSIDE;
}

static bool unmap_bad_flags(const struct truth_rec *r)
{
	return (r->flags & ~(UNMAP_DIRTY | UNMAP_ALL | UNMAP_VADDR)) ||
	       (r->flags & UNMAP_DIRTY) ||
	       ((r->flags & UNMAP_ALL) && (r->iova || r->length));
}

/* Does [iova, last] cut a mapping at either end? */
static bool splits(const struct t1_container *c, __u64 iova, __u64 last)
{
	size_t i;

	for (i = 0; i < c->nr; i++) {
		const struct t1_dma *d = &c->dmas[i];

		if (d->last < iova || d->start > last)
			continue;
		if (d->start < iova || d->last > last)
			return true;
	}
	return false;
}

static int classify_unmap(struct truth_type1 *t1, const struct truth_rec *r,
			  struct t1_container *c)
{
	__u64 pg, last;

	if (r->ret && r->ret != -EINVAL)
		return -1;
	if (r->ret && unmap_bad_flags(r))
		return DT_VIOL_BAD_FLAGS;
	if (!c || !c->set || (r->flags & UNMAP_ALL))
		return -1;
	pg = min_pgsize(t1, r->container);
	if (r->ret && (r->iova & (pg - 1) || !r->length ||
		       r->length & (pg - 1)))
		return DT_VIOL_MISALIGNED;
	if (__builtin_add_overflow(r->iova, r->length - 1, &last))
		return r->ret ? DT_VIOL_WRAP : -1;
	if (r->ret)	/* v2 refuses a split; VADDR on an invalid one: none */
		return r->flags & UNMAP_VADDR ? -1 : DT_VIOL_UNMAP_SPLIT;
	/* v1 succeeds, taking all or nothing of the mappings it cuts */
	return !c->v2 && splits(c, r->iova, last) ? DT_VIOL_UNMAP_SPLIT : -1;
}

static int classify_attach(struct truth_type1 *t1, const struct truth_rec *r,
			   struct t1_container *c)
{
	if (r->ret == -ENOMEM)
		return DT_VIOL_MEMLOCK;	/* pinning the mappings at attach */
	if (r->ret != -EINVAL || !c)
		return -1;
	if (r->op == TR_SETIOMMU)
		return c->nr_groups && !c->set ? DT_VIOL_ATTACH_REFUSED : -1;
	if (r->group <= T1_MAX && t1->group_container[r->group])
		return -1;	/* in a container already */
	return c->set ? DT_VIOL_ATTACH_REFUSED : -1;
}

/* ---- the shadow ---- */

static void dma_insert(struct t1_container *c, __u64 start, __u64 last)
{
	size_t i;

	if (c->nr == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct t1_dma *d = realloc(c->dmas, cap * sizeof(*d));

		if (!d)
			return;
		c->dmas = d;
		c->cap = cap;
	}
	for (i = c->nr; i > 0 && c->dmas[i - 1].start > start; i--)
		c->dmas[i] = c->dmas[i - 1];
	c->dmas[i].start = start;
	c->dmas[i].last = last;
	c->nr++;
}

/*
 * Remove what an unmap of [iova, last] removes: v2 and ALL the mappings
 * inside; v1 those starting in it, unless the first one it meets starts
 * before it (then none). Returns the bytes removed.
 */
static __u64 dma_unmap(struct t1_container *c, __u64 iova, __u64 last)
{
	__u64 removed = 0;
	size_t i, j;

	for (i = 0; i < c->nr && c->dmas[i].last < iova; i++)
		;
	if (!c->v2 && i < c->nr && c->dmas[i].start < iova)
		return 0;
	for (j = i; j < c->nr && c->dmas[j].start <= last; j++)
		removed += c->dmas[j].last - c->dmas[j].start + 1;
	if (j == i)
		return 0;	/* nothing there (c->dmas may be NULL) */
	memmove(&c->dmas[i], &c->dmas[j], (c->nr - j) * sizeof(*c->dmas));
	c->nr -= j - i;
	return removed;
}

static void apply_unmap(struct t1_container *c, const struct truth_rec *r,
			struct truth_type1_effect *eff)
{
	__u64 last = r->iova + r->length - 1, removed;

	if (r->flags & UNMAP_VADDR)
		return;		/* vaddrs invalidated, nothing unmapped */
	if (r->flags & UNMAP_ALL)
		removed = dma_unmap(c, 0, ~0ULL);
	else
		removed = dma_unmap(c, r->iova, last);
	if (removed != r->unmapped)
		eff->divergence = 1;
	eff->unmapped += r->unmapped;
}

static void apply_ungroup(struct truth_type1 *t1, __u32 group)
{
	struct t1_container *c;

	if (!group || group > T1_MAX)
		return;
	c = container(t1, t1->group_container[group]);
	t1->group_container[group] = 0;
	if (!c || --c->nr_groups)
		return;
	c->set = false;		/* the last group out releases the driver */
	c->nr = 0;
}

static void apply(struct truth_type1 *t1, const struct truth_rec *r,
		  struct t1_container *c, struct truth_type1_effect *eff)
{
	switch (r->op) {
	case TR_CONTAINER:
		if (c)
			c->open = t1->any = true;
		break;
	case TR_GROUP:
		if (!c || r->group > T1_MAX)
			break;
		t1->group_container[r->group] = r->container;
		if (r->pgsizes)
			t1->group_pgsizes[r->group] = r->pgsizes;
		c->nr_groups++;
		break;
	case TR_UNGROUP:
		apply_ungroup(t1, r->group);
		break;
	case TR_SETIOMMU:
		if (c) {
			c->set = true;
			c->v2 = r->flags != TYPE1_V1;
			c->drv_id = ++t1->drv_seq;
		}
		break;
	case DT_OP_VFIO_MAP_DMA:
		if (c && !(r->flags & MAP_VADDR)) {
			dma_insert(c, r->iova, r->iova + r->length - 1);
			eff->mapped += r->length;
		}
		break;
	case DT_OP_VFIO_UNMAP_DMA:
		if (c)
			apply_unmap(c, r, eff);
		break;
	}
}

int truth_type1_record(struct truth_type1 *t1, const struct truth_rec *r,
		       struct truth_type1_effect *eff)
{
	struct t1_container *c = container(t1, r->container);
	int kind = -1;

	switch (r->op) {
	case DT_OP_VFIO_MAP_DMA:
		kind = r->ret ? classify_map(t1, r, c) : -1;
		break;
	case DT_OP_VFIO_UNMAP_DMA:
		kind = classify_unmap(t1, r, c);
		break;
	case TR_GROUP:
	case TR_SETIOMMU:
		kind = r->ret ? classify_attach(t1, r, c) : -1;
		break;
	}
	if (!r->ret)
		apply(t1, r, c, eff);
	return kind;
}

int truth_type1_counted(struct truth_type1 *t1, const struct truth_rec *r)
{
	struct t1_container *c = container(t1, r->container);

	if (r->op >= DT_OP_MAX)
		return 0;
	return c && c->set;
}

unsigned int truth_type1_id(struct truth_type1 *t1, __u32 container_slot)
{
	struct t1_container *c = container(t1, container_slot);

	return c ? c->drv_id : 0;
}

/* The container whose driver has number drv, if it still has one */
static struct t1_container *container_by_driver(struct truth_type1 *t1,
					        unsigned int drv)
{
	unsigned int id;

	for (id = 1; id <= T1_MAX; id++)
		if (t1->c[id].set && t1->c[id].drv_id == drv)
			return &t1->c[id];
	return NULL;
}

void truth_type1_json(struct json_writer *w, struct truth_type1 *t1)
{
	unsigned int drv;
	size_t i;

	if (!t1->any)
		return;
	json_key(w, "containers");
	json_array_begin(w);
	for (drv = 1; drv <= t1->drv_seq; drv++) {
		struct t1_container *c = container_by_driver(t1, drv);
		__u64 bytes = 0;
		bool sat = false;

		if (!c)
			continue;
		/* disjoint mappings: above U64_MAX only as the whole space */
		for (i = 0; i < c->nr && !sat; i++)
			sat = __builtin_add_overflow(bytes, c->dmas[i].last -
						     c->dmas[i].start + 1, &bytes);
		json_object_begin(w);
		json_key(w, "id");
		json_u64(w, drv);
		json_key(w, "groups");
		json_u64(w, c->nr_groups);
		json_key(w, "mapped_bytes");
		json_u64(w, sat ? ~0ULL : bytes);
		if (sat) {	/* docs/ground-truth.md */
			json_key(w, "mapped_bytes_saturated");
			json_bool(w, true);
		}
		json_key(w, "dmas");
		json_u64(w, c->nr);
		json_object_end(w);
	}
	json_array_end(w);
}
