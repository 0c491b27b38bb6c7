// SPDX-License-Identifier: GPL-2.0
/*
 * Native type1 group attach and detach (Linux 6.12
 * drivers/vfio/vfio_iommu_type1.c): a group brings its domain's aperture
 * and its reserved regions; the attach is refused (-EINVAL) when existing
 * mappings lie outside the new aperture or in a new reserved region (the
 * hot-plug failure), and a detach gives the IOVAs back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vfio_type1_private.h"

#define INTEL_PGSIZES	((1ULL << 12) | (1ULL << 21) | (1ULL << 30))

REF_API void ref_iommu_group_init_intel(struct iommu_group *group, int id,
					unsigned int aw_bits)
{
	memset(group, 0, sizeof(*group));
	group->id = id;
	group->type = VFIO_IOMMU;
	group->aperture_end = aw_bits >= 64 ? ~0ULL : (1ULL << aw_bits) - 1;
	group->pgsize_bitmap = INTEL_PGSIZES;
}

REF_API int ref_iommu_group_add_resv(struct iommu_group *group, __u64 start,
				     __u64 last, enum iommu_resv_type type)
{
	struct iommu_resv_region *r;

	if (last < start)
		return -EINVAL;
	if (group->nr_resv == REF_GROUP_MAX_RESV)
		return -ENOSPC;
	r = &group->resv[group->nr_resv++];
	r->start = start;
	r->length = last - start + 1;
	r->type = type;
	return 0;
}

static bool group_in(struct vfio_iommu_group *g, struct iommu_group *ig)
{
	for (; g; g = g->next)
		if (g->iommu_group == ig)
			return true;
	return false;
}

static bool vfio_iommu_find_iommu_group(struct vfio_iommu *iommu,
					struct iommu_group *ig)
{
	struct vfio_domain *d;

	for (d = iommu->domain_list; d; d = d->next)
		if (group_in(d->group_list, ig))
			return true;
	return group_in(iommu->emulated_iommu_groups, ig);
}

/*
 * Map every mapping into a new domain. The first domain pins them (they
 * were recorded unpinned); a later one reuses the pages already pinned.
 */
int vfio_iommu_replay(struct vfio_iommu *iommu)
{
	__u64 limit = vfio_memlock_limit();
	struct itree_node *n;
	unsigned long pfn;
	long ret = 0;

	itree_for_each(n, &iommu->dma_list, 0, ~0UL) {
		struct vfio_dma *dma = vfio_dma_of(n);

		if (dma->iommu_mapped)
			continue;
		ret = vfio_pin_pages_remote(dma, dma->vaddr,
					    dma->size >> VFIO_PAGE_SHIFT, &pfn,
					    limit, NULL);
		if (ret < 0)
			goto unwind;
	}
	itree_for_each(n, &iommu->dma_list, 0, ~0UL)
		vfio_dma_of(n)->iommu_mapped = true;
	return 0;
unwind:
	itree_for_each(n, &iommu->dma_list, 0, ~0UL) {
		struct vfio_dma *dma = vfio_dma_of(n);

		if (!dma->iommu_mapped)
			vfio_lock_acct(dma, -(long)dma->locked_vm);
	}
	return ret;
}

static struct vfio_domain *domain_alloc(const struct iommu_group *ig)
{
	struct vfio_domain *domain = calloc(1, sizeof(*domain));

	if (!domain)
		return NULL;
	domain->ops = ig->domain_ops;
	domain->aperture_start = ig->aperture_start;
	domain->aperture_end = ig->aperture_end;
	domain->pgsize_bitmap = ig->pgsize_bitmap;
	domain->enforce_cache_coherency = ig->enforce_cache_coherency;
	return domain;
}

/* The new iova_list: aperture and reserved regions checked and applied */
static int attach_iova_copy(struct vfio_iommu *iommu,
			    const struct iommu_group *ig,
			    struct vfio_iova_list *iova_copy)
{
	int ret;

	if (vfio_iommu_aper_conflict(iommu, ig->aperture_start,
				     ig->aperture_end))
		return -EINVAL;
	if (vfio_iommu_resv_conflict(iommu, ig))
		return -EINVAL;
	ret = vfio_iommu_iova_get_copy(iommu, iova_copy);
	if (!ret)
		ret = vfio_iommu_aper_resize(iova_copy, ig->aperture_start,
					     ig->aperture_end);
	if (!ret)
		ret = vfio_iommu_resv_exclude(iova_copy, ig->resv, ig->nr_resv);
	return ret;
}

static struct vfio_domain *find_compatible(struct vfio_iommu *iommu,
					   const struct vfio_domain *domain)
{
	struct vfio_domain *d;

	for (d = iommu->domain_list; d; d = d->next)
		if (d->ops == domain->ops &&
		    d->enforce_cache_coherency == domain->enforce_cache_coherency)
			return d;
	return NULL;
}

/* Put the group in a compatible domain, or make its own the new one */
static int attach_domain(struct vfio_iommu *iommu, struct vfio_domain *domain,
			 struct vfio_iommu_group *group)
{
	struct vfio_domain *d = find_compatible(iommu, domain);
	int ret;

	if (d) {
		group->next = d->group_list;
		d->group_list = group;
		free(domain);
		return 0;
	}
	ret = vfio_iommu_replay(iommu);
	if (ret)
		return ret;
	group->next = NULL;
	domain->group_list = group;
	domain->next = iommu->domain_list;
	iommu->domain_list = domain;
	vfio_update_pgsize_bitmap(iommu);
	return 0;
}

static int attach_emulated(struct vfio_iommu *iommu,
			   struct vfio_iommu_group *group)
{
	group->next = iommu->emulated_iommu_groups;
	iommu->emulated_iommu_groups = group;
	return 0;
}

static int attach_locked(struct vfio_iommu *iommu, struct iommu_group *ig,
			 enum vfio_group_type type)
{
	struct vfio_iova_list iova_copy = { 0 };
	struct vfio_iommu_group *group;
	struct vfio_domain *domain;
	int ret;

	if (iommu->vaddr_invalid_count)
		return -EBUSY;
	if (vfio_iommu_find_iommu_group(iommu, ig))
		return -EINVAL;
	group = calloc(1, sizeof(*group));
	if (!group)
		return -ENOMEM;
	group->iommu_group = ig;
	if (type == VFIO_EMULATED_IOMMU)
		return attach_emulated(iommu, group);
	ret = -ENOMEM;
	domain = domain_alloc(ig);
	if (!domain)
		goto out_free_group;
	ret = -EINVAL;	/* iommu_enable_nesting() of a driver without it */
	if (iommu->nesting && !ig->can_nest)
		goto out_free_domain;
	ret = attach_iova_copy(iommu, ig, &iova_copy);
	if (ret)
		goto out_free_domain;
	ret = -EPERM;	/* "No interrupt remapping support" */
	if (!allow_unsafe_interrupts && !ig->isolated_msi)
		goto out_free_domain;
	ret = attach_domain(iommu, domain, group);
	if (ret)
		goto out_free_domain;
	vfio_iommu_iova_insert_copy(iommu, &iova_copy);
	return 0;
out_free_domain:
	vfio_iommu_iova_free(&iova_copy);
	free(domain);
out_free_group:
	free(group);
	return ret;
}

REF_API int vfio_iommu_type1_attach_group(void *iommu_data,
					  struct iommu_group *iommu_group,
					  enum vfio_group_type type)
{
	struct vfio_iommu *iommu = iommu_data;
	int ret;

	pthread_mutex_lock(&iommu->lock);
	ret = attach_locked(iommu, iommu_group, type);
	pthread_mutex_unlock(&iommu->lock);
	return ret;
}

/* Unlink ig from *list; true when it was there */
static bool group_unlink(struct vfio_iommu_group **list,
			 struct iommu_group *ig)
{
	struct vfio_iommu_group **p, *g;

	for (p = list; (g = *p); p = &g->next) {
		if (g->iommu_group == ig) {
			*p = g->next;
			free(g);
			return true;
		}
	}
	return false;
}

/* The last real domain goes: unpin, and drop the mappings unless an
 * emulated group still needs them */
static void last_domain_gone(struct vfio_iommu *iommu)
{
	struct itree_node *n;

	if (!iommu->emulated_iommu_groups) {
		vfio_iommu_unmap_unpin_all(iommu);
		return;
	}
	itree_for_each(n, &iommu->dma_list, 0, ~0UL) {
		struct vfio_dma *dma = vfio_dma_of(n);

		vfio_lock_acct(dma, -vfio_unmap_unpin(iommu, dma, false));
	}
}

static void domain_unlink(struct vfio_iommu *iommu, struct vfio_domain *dom)
{
	struct vfio_domain **p;

	for (p = &iommu->domain_list; *p != dom; p = &(*p)->next)
		;
	*p = dom->next;
	free(dom);
}

static void detach_from_domains(struct vfio_iommu *iommu,
				struct iommu_group *ig,
				struct vfio_iova_list *iova_copy)
{
	struct vfio_domain *d;

	for (d = iommu->domain_list; d; d = d->next) {
		if (!group_unlink(&d->group_list, ig))
			continue;
		if (!d->group_list) {
			if (iommu->domain_list == d && !d->next)
				last_domain_gone(iommu);
			domain_unlink(iommu, d);
			vfio_iommu_aper_expand(iommu, iova_copy);
			vfio_update_pgsize_bitmap(iommu);
		}
		return;
	}
}

static void detach_locked(struct vfio_iommu *iommu, struct iommu_group *ig)
{
	struct vfio_iova_list iova_copy = { 0 };

	if (group_unlink(&iommu->emulated_iommu_groups, ig)) {
		if (!iommu->emulated_iommu_groups && !iommu->domain_list)
			vfio_iommu_unmap_unpin_all(iommu);
		return;
	}
	vfio_iommu_iova_get_copy(iommu, &iova_copy);
	detach_from_domains(iommu, ig, &iova_copy);
	if (!vfio_iommu_resv_refresh(iommu, &iova_copy))
		vfio_iommu_iova_insert_copy(iommu, &iova_copy);
	else
		vfio_iommu_iova_free(&iova_copy);
}

REF_API void vfio_iommu_type1_detach_group(void *iommu_data,
					   struct iommu_group *iommu_group)
{
	struct vfio_iommu *iommu = iommu_data;

	pthread_mutex_lock(&iommu->lock);
	detach_locked(iommu, iommu_group);
	pthread_mutex_unlock(&iommu->lock);
}
