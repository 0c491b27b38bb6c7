// SPDX-License-Identifier: GPL-2.0
/*
 * The native type1 container's iova_list (Linux 6.12
 * drivers/vfio/vfio_iommu_type1.c): the IOVA ranges a map may use, built
 * from the attached domains' apertures minus their groups' reserved
 * regions, and how attach and detach reshape it. The kernel's edge cases
 * are kept: vfio_iommu_aper_resize() drops a range that the new aperture
 * starts at its very end or ends at its very start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vfio_type1_private.h"

static int iova_grow(struct vfio_iova_list *l)
{
	unsigned int cap = l->cap ? 2 * l->cap : 8;
	struct vfio_iova *v;

	if (l->nr < l->cap)
		return 0;
	v = realloc(l->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	l->cap = cap;
	return 0;
}

/* Insert [start, end] before index pos (the kernel's list_add_tail) */
static int iova_insert_at(struct vfio_iova_list *l, unsigned int pos,
			  __u64 start, __u64 end)
{
	int ret = iova_grow(l);

	if (ret)
		return ret;
	memmove(&l->v[pos + 1], &l->v[pos], (l->nr - pos) * sizeof(*l->v));
	l->v[pos].start = start;
	l->v[pos].end = end;
	l->nr++;
	return 0;
}

static void iova_del(struct vfio_iova_list *l, unsigned int pos)
{
	memmove(&l->v[pos], &l->v[pos + 1], (l->nr - pos - 1) * sizeof(*l->v));
	l->nr--;
}

int vfio_iommu_iova_insert(struct vfio_iova_list *head, __u64 start,
			   __u64 end)
{
	return iova_insert_at(head, head->nr, start, end);
}

void vfio_iommu_iova_free(struct vfio_iova_list *iova)
{
	free(iova->v);
	memset(iova, 0, sizeof(*iova));
}

int vfio_iommu_iova_get_copy(struct vfio_iommu *iommu,
			     struct vfio_iova_list *iova_copy)
{
	unsigned int i;
	int ret;

	for (i = 0; i < iommu->iova_list.nr; i++) {
		ret = vfio_iommu_iova_insert(iova_copy, iommu->iova_list.v[i].start,
					     iommu->iova_list.v[i].end);
		if (ret)
			goto out_free;
	}
	return 0;
out_free:
	vfio_iommu_iova_free(iova_copy);
	return ret;
}

void vfio_iommu_iova_insert_copy(struct vfio_iommu *iommu,
				 struct vfio_iova_list *iova_copy)
{
	vfio_iommu_iova_free(&iommu->iova_list);
	iommu->iova_list = *iova_copy;
	memset(iova_copy, 0, sizeof(*iova_copy));
}

/* The new aperture is disjoint from the list, or cuts off a mapping */
bool vfio_iommu_aper_conflict(struct vfio_iommu *iommu, __u64 start,
			      __u64 end)
{
	struct vfio_iova_list *l = &iommu->iova_list;
	struct vfio_iova *first, *last;

	if (!l->nr)
		return false;
	first = &l->v[0];
	last = &l->v[l->nr - 1];
	if (start > last->end || end < first->start)
		return true;
	if (start > first->start &&
	    vfio_find_dma(iommu, first->start, start - first->start))
		return true;
	if (end < last->end && vfio_find_dma(iommu, end + 1, last->end - end))
		return true;
	return false;
}

REF_API int vfio_iommu_aper_resize(struct vfio_iova_list *iova, __u64 start,
				   __u64 end)
{
	unsigned int i;

	if (!iova->nr)
		return vfio_iommu_iova_insert(iova, start, end);
	/* Adjust the list's start: ranges before it go */
	while (iova->nr && start >= iova->v[0].start) {
		if (start < iova->v[0].end) {
			iova->v[0].start = start;
			break;
		}
		iova_del(iova, 0);
	}
	/* Adjust the list's end: ranges after it go */
	for (i = 0; i < iova->nr;) {
		struct vfio_iova *n = &iova->v[i];

		if (end > n->end) {
			i++;
		} else if (end > n->start) {
			n->end = end;
			i++;
		} else {
			iova_del(iova, i);
		}
	}
	return 0;
}

/* A non-relaxable reserved region of the group holds a mapping */
bool vfio_iommu_resv_conflict(struct vfio_iommu *iommu,
			      const struct iommu_group *group)
{
	unsigned int i;

	for (i = 0; i < group->nr_resv; i++) {
		const struct iommu_resv_region *r = &group->resv[i];

		if (r->type == IOMMU_RESV_DIRECT_RELAXABLE)
			continue;
		if (vfio_find_dma(iommu, r->start, r->length))
			return true;
	}
	return false;
}

/* Cut [start, end] out of every range of the list */
static int resv_exclude_one(struct vfio_iova_list *iova, __u64 start,
			    __u64 end)
{
	unsigned int i = 0;
	int ret;

	while (i < iova->nr) {
		struct vfio_iova n = iova->v[i];
		unsigned int at = i;

		if (start > n.end || end < n.start) {
			i++;
			continue;
		}
		if (start > n.start) {
			ret = iova_insert_at(iova, at++, n.start, start - 1);
			if (ret)
				return ret;
		}
		if (end < n.end) {
			ret = iova_insert_at(iova, at++, end + 1, n.end);
			if (ret)
				return ret;
		}
		iova_del(iova, at);
		i = at;
	}
	return 0;
}

REF_API int vfio_iommu_resv_exclude(struct vfio_iova_list *iova,
				    const struct iommu_resv_region *resv,
				    unsigned int nr_resv)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr_resv; i++) {
		if (resv[i].type == IOMMU_RESV_DIRECT_RELAXABLE)
			continue;
		ret = resv_exclude_one(iova, resv[i].start,
				       resv[i].start + resv[i].length - 1);
		if (ret)
			return ret;
	}
	return iova->nr ? 0 : -EINVAL;
}

/* After a domain left: the narrowest aperture of those that remain */
void vfio_iommu_aper_expand(struct vfio_iommu *iommu,
			    struct vfio_iova_list *iova_copy)
{
	__u64 start = 0, end = ~0ULL;
	struct vfio_domain *d;

	if (!iova_copy->nr)
		return;
	for (d = iommu->domain_list; d; d = d->next) {
		if (d->aperture_start > start)
			start = d->aperture_start;
		if (d->aperture_end < end)
			end = d->aperture_end;
	}
	iova_copy->v[0].start = start;
	iova_copy->v[iova_copy->nr - 1].end = end;
}

/* The reserved regions of every group still attached */
static int collect_resv(struct vfio_iommu *iommu,
			struct iommu_resv_region **out, unsigned int *nr)
{
	struct iommu_resv_region *all = NULL, *grown;
	struct vfio_iommu_group *g;
	struct vfio_domain *d;
	unsigned int n = 0;

	for (d = iommu->domain_list; d; d = d->next) {
		for (g = d->group_list; g; g = g->next) {
			const struct iommu_group *ig = g->iommu_group;

			grown = realloc(all, (n + ig->nr_resv + 1) * sizeof(*all));
			if (!grown) {
				free(all);
				return -ENOMEM;
			}
			all = grown;
			memcpy(all + n, ig->resv, ig->nr_resv * sizeof(*all));
			n += ig->nr_resv;
		}
	}
	*out = all;
	*nr = n;
	return 0;
}

/* After a group left: rebuild the list from its bounds and the groups left */
int vfio_iommu_resv_refresh(struct vfio_iommu *iommu,
			    struct vfio_iova_list *iova_copy)
{
	struct iommu_resv_region *resv = NULL;
	unsigned int nr_resv = 0;
	__u64 start, end;
	int ret;

	if (!iova_copy->nr)
		return -EINVAL;
	ret = collect_resv(iommu, &resv, &nr_resv);
	if (ret)
		return ret;
	start = iova_copy->v[0].start;
	end = iova_copy->v[iova_copy->nr - 1].end;
	iova_copy->nr = 0;
	ret = vfio_iommu_aper_resize(iova_copy, start, end);
	if (!ret)
		ret = vfio_iommu_resv_exclude(iova_copy, resv, nr_resv);
	free(resv);
	return ret;
}

/* [start, end] lies in one range of the list (or the list is empty) */
bool vfio_iommu_iova_dma_valid(struct vfio_iommu *iommu, __u64 start,
			       __u64 end)
{
	unsigned int i;

	for (i = 0; i < iommu->iova_list.nr; i++)
		if (start >= iommu->iova_list.v[i].start &&
		    end <= iommu->iova_list.v[i].end)
			return true;
	return !iommu->iova_list.nr;
}
