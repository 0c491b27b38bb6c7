// SPDX-License-Identifier: GPL-2.0
/*
 * Native VFIO type1 (Linux 6.12 drivers/vfio/vfio_iommu_type1.c): the
 * container's driver, its dma_list, MAP_DMA / UNMAP_DMA and the pinning
 * and locked_vm accounting behind them. Attach and detach are in
 * vfio_type1_group.c, the iova_list in vfio_iova.c, GET_INFO in
 * vfio_type1_info.c. No real memory is pinned: a mapping "pins" its pages
 * only in locked_vm, once a domain is attached (as the kernel pins only
 * then).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>
#include "vfio_type1_private.h"

#define offsetofend(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))

unsigned int dma_entry_limit = DMA_ENTRY_LIMIT_DEFAULT;
bool allow_unsafe_interrupts;
unsigned int vfio_linux = REF_LINUX(6, 12);
struct vfio_mm vfio_current_mm = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.rlimit_memlock = ~0ULL,
};

REF_API void ref_vfio_type1_set_dma_entry_limit(unsigned int limit)
{
	dma_entry_limit = limit;
}

REF_API void ref_vfio_type1_set_allow_unsafe_interrupts(bool allow)
{
	allow_unsafe_interrupts = allow;
}

REF_API int ref_vfio_type1_set_linux(unsigned int major, unsigned int minor)
{
	unsigned int v = REF_LINUX(major, minor);

	if (v != REF_LINUX(6, 1) && v != REF_LINUX(6, 12))
		return -EINVAL;
	vfio_linux = v;
	return 0;
}

REF_API void ref_vfio_type1_set_memlock(__u64 rlimit_bytes, bool cap_ipc_lock)
{
	pthread_mutex_lock(&vfio_current_mm.lock);
	vfio_current_mm.rlimit_memlock = rlimit_bytes;
	vfio_current_mm.cap_ipc_lock = cap_ipc_lock;
	pthread_mutex_unlock(&vfio_current_mm.lock);
}

REF_API __u64 ref_vfio_type1_locked_vm(void)
{
	__u64 n;

	pthread_mutex_lock(&vfio_current_mm.lock);
	n = vfio_current_mm.locked_vm;
	pthread_mutex_unlock(&vfio_current_mm.lock);
	return n;
}

/* rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT */
__u64 vfio_memlock_limit(void)
{
	__u64 limit;

	pthread_mutex_lock(&vfio_current_mm.lock);
	limit = vfio_current_mm.rlimit_memlock >> VFIO_PAGE_SHIFT;
	pthread_mutex_unlock(&vfio_current_mm.lock);
	return limit;
}

/* ---- dma_list ---- */

/*
 * A mapping intersecting [start, start + size - 1]; with size 0, one that
 * holds start strictly inside it (the kernel's rb-tree walk)
 */
struct vfio_dma *vfio_find_dma(struct vfio_iommu *iommu, __u64 start,
			       __u64 size)
{
	struct vfio_dma *dma;

	if (!size) {
		dma = vfio_dma_of(itree_iter_first(&iommu->dma_list, start, start));
		return dma && dma->iova != start ? dma : NULL;
	}
	return vfio_dma_of(itree_iter_first(&iommu->dma_list, start,
				       start + size - 1));
}

static void vfio_link_dma(struct vfio_iommu *iommu, struct vfio_dma *dma,
			  __u64 size)
{
	dma->node.start = dma->iova;
	dma->node.last = dma->iova + size - 1;
	itree_insert(&iommu->dma_list, &dma->node);
}

/* ---- locked_vm ---- */

/* mm_lock_acct() for the modelled process; lock_cap skips the limit */
static int mm_lock_acct(bool lock_cap, long npage)
{
	struct vfio_mm *mm = &vfio_current_mm;
	int ret = 0;

	pthread_mutex_lock(&mm->lock);
	if (npage > 0 && !lock_cap &&
	    mm->locked_vm + npage > mm->rlimit_memlock >> VFIO_PAGE_SHIFT)
		ret = -ENOMEM;
	else
		mm->locked_vm += npage;
	pthread_mutex_unlock(&mm->lock);
	return ret;
}

int vfio_lock_acct(struct vfio_dma *dma, long npage)
{
	int ret;

	if (!npage)
		return 0;
	ret = mm_lock_acct(dma->lock_cap, npage);
	if (!ret)
		dma->locked_vm += npage;
	return ret;
}

/*
 * Pin npage pages from vaddr: each one counts against limit (pages) unless
 * the mapper has CAP_IPC_LOCK; the kernel checks page by page and fails
 * the whole call. The model's "pfns" are the user pages' numbers, so one
 * call pins the whole range (the kernel stops at each physical
 * discontinuity and is called again).
 */
REF_API long vfio_pin_pages_remote(struct vfio_dma *dma, unsigned long vaddr,
				   long npage, unsigned long *pfn_base,
				   unsigned long limit, struct vfio_batch *batch)
{
	__u64 locked;
	int ret;

	(void)batch;
	*pfn_base = vaddr >> VFIO_PAGE_SHIFT;
	locked = ref_vfio_type1_locked_vm();
	if (!dma->lock_cap && locked + npage > limit)
		return -ENOMEM;
	ret = vfio_lock_acct(dma, npage);
	return ret ? ret : npage;
}

REF_API long vfio_unmap_unpin(struct vfio_iommu *iommu, struct vfio_dma *dma,
			      bool do_accounting)
{
	long unlocked;

	if (!dma->size || !iommu->domain_list)
		return 0;
	unlocked = dma->iommu_mapped ? (long)(dma->size >> VFIO_PAGE_SHIFT) : 0;
	dma->iommu_mapped = false;
	if (do_accounting) {
		vfio_lock_acct(dma, -unlocked);
		return 0;
	}
	return unlocked;
}

REF_API void vfio_remove_dma(struct vfio_iommu *iommu, struct vfio_dma *dma)
{
	vfio_unmap_unpin(iommu, dma, true);
	itree_remove(&iommu->dma_list, &dma->node);
	if (dma->vaddr_invalid)
		iommu->vaddr_invalid_count--;
	free(dma);
	iommu->dma_avail++;
}

void vfio_iommu_unmap_unpin_all(struct vfio_iommu *iommu)
{
	while (iommu->dma_list.root)
		vfio_remove_dma(iommu,
				vfio_dma_of(itree_iter_first(&iommu->dma_list, 0,
							~0UL)));
}

void vfio_update_pgsize_bitmap(struct vfio_iommu *iommu)
{
	struct vfio_domain *d;

	iommu->pgsize_bitmap = ~0ULL;
	for (d = iommu->domain_list; d; d = d->next)
		iommu->pgsize_bitmap &= d->pgsize_bitmap;
	if (iommu->pgsize_bitmap & ~VFIO_PAGE_MASK) {
		iommu->pgsize_bitmap &= VFIO_PAGE_MASK;
		iommu->pgsize_bitmap |= VFIO_PAGE_SIZE;
	}
}

static __u64 min_pgsize(struct vfio_iommu *iommu)
{
	return 1ULL << __builtin_ctzll(iommu->pgsize_bitmap);
}

/* ---- MAP_DMA ---- */

static int vfio_pin_map_dma(struct vfio_iommu *iommu, struct vfio_dma *dma,
			    __u64 map_size)
{
	unsigned long pfn;
	long npage;

	npage = vfio_pin_pages_remote(dma, dma->vaddr, map_size >> VFIO_PAGE_SHIFT,
				      &pfn, vfio_memlock_limit(), NULL);
	dma->iommu_mapped = true;
	if (npage < 0) {
		vfio_remove_dma(iommu, dma);
		return npage;
	}
	dma->size = map_size;
	return 0;
}

/* MAP_FLAG_VADDR: give an invalidated mapping its new vaddr */
static int vfio_dma_set_vaddr(struct vfio_iommu *iommu, struct vfio_dma *dma,
			      const struct vfio_iommu_type1_dma_map *map)
{
	if (!dma)
		return -ENOENT;
	if (!dma->vaddr_invalid || dma->iova != map->iova ||
	    dma->size != map->size)
		return -EINVAL;
	dma->vaddr = map->vaddr;
	dma->vaddr_invalid = false;
	iommu->vaddr_invalid_count--;
	return 0;
}

static int vfio_dma_new(struct vfio_iommu *iommu,
			const struct vfio_iommu_type1_dma_map *map, int prot)
{
	struct vfio_dma *dma;

	if (!iommu->dma_avail)
		return -ENOSPC;
	if (!vfio_iommu_iova_dma_valid(iommu, map->iova,
				       map->iova + map->size - 1))
		return -EINVAL;
	dma = calloc(1, sizeof(*dma));
	if (!dma)
		return -ENOMEM;
	iommu->dma_avail--;
	dma->iova = map->iova;
	dma->vaddr = map->vaddr;
	dma->prot = prot;
	pthread_mutex_lock(&vfio_current_mm.lock);
	dma->lock_cap = vfio_current_mm.cap_ipc_lock;
	pthread_mutex_unlock(&vfio_current_mm.lock);
	vfio_link_dma(iommu, dma, map->size);
	if (!iommu->domain_list) {
		dma->size = map->size;
		return 0;
	}
	return vfio_pin_map_dma(iommu, dma, map->size);
}

static int vfio_dma_do_map(struct vfio_iommu *iommu,
			   const struct vfio_iommu_type1_dma_map *map)
{
	bool set_vaddr = map->flags & VFIO_DMA_MAP_FLAG_VADDR;
	__u64 iova = map->iova, size = map->size, pgsize;
	struct vfio_dma *dma;
	int prot = 0, ret;

	if (map->flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOMMU_WRITE;
	if (map->flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOMMU_READ;
	if ((prot && set_vaddr) || (!prot && !set_vaddr))
		return -EINVAL;
	pthread_mutex_lock(&iommu->lock);
	pgsize = min_pgsize(iommu);
	ret = -EINVAL;
	if (!size || (size | iova | map->vaddr) & (pgsize - 1))
		goto out_unlock;
	if (iova + size - 1 < iova || map->vaddr + size - 1 < map->vaddr)
		goto out_unlock;
	dma = vfio_find_dma(iommu, iova, size);
	if (set_vaddr)
		ret = vfio_dma_set_vaddr(iommu, dma, map);
	else if (dma)
		ret = -EEXIST;
	else
		ret = vfio_dma_new(iommu, map, prot);
out_unlock:
	pthread_mutex_unlock(&iommu->lock);
	return ret;
}

static int vfio_iommu_type1_map_dma(struct vfio_iommu *iommu,
				    unsigned long arg)
{
	__u32 mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE |
		     VFIO_DMA_MAP_FLAG_VADDR;
	size_t minsz = offsetofend(struct vfio_iommu_type1_dma_map, size);
	struct vfio_iommu_type1_dma_map map;

	if (!arg)
		return -EFAULT;
	memcpy(&map, (void *)arg, minsz);
	if (map.argsz < minsz || map.flags & ~mask)
		return -EINVAL;
	return vfio_dma_do_map(iommu, &map);
}

/* ---- UNMAP_DMA ---- */

/*
 * v2: the range must not bisect a mapping at either end. v1 (below) cuts
 * nothing either, but says so with success: see vfio_dma_do_unmap().
 */
static bool unmap_splits(struct vfio_iommu *iommu, __u64 iova, __u64 size)
{
	struct vfio_dma *dma = vfio_find_dma(iommu, iova, 1);

	if (dma && dma->iova != iova)
		return true;
	dma = vfio_find_dma(iommu, iova + size - 1, 0);
	return dma && dma->iova + dma->size != iova + size;
}

/* UNMAP_FLAG_VADDR: mark [iova, iova + size) invalid, all or nothing */
static int unmap_invalidate_vaddr(struct vfio_iommu *iommu, __u64 iova,
				  __u64 size, __u64 *unmapped)
{
	struct itree_node *n;
	struct vfio_dma *dma;

	itree_for_each(n, &iommu->dma_list, iova, iova + size - 1) {
		dma = vfio_dma_of(n);
		if (dma->iova < iova && !iommu->v2)
			break;
		if (dma->vaddr_invalid)
			goto undo;
		dma->vaddr_invalid = true;
		iommu->vaddr_invalid_count++;
		*unmapped += dma->size;
	}
	return 0;
undo:
	itree_for_each(n, &iommu->dma_list, iova, iova + size - 1) {
		if (vfio_dma_of(n) == dma)
			break;
		vfio_dma_of(n)->vaddr_invalid = false;
		iommu->vaddr_invalid_count--;
	}
	*unmapped = 0;
	return -EINVAL;
}

/* Remove the mappings starting in the range; v1 stops at one before it */
static void unmap_remove(struct vfio_iommu *iommu, __u64 iova, __u64 size,
			 __u64 *unmapped)
{
	struct itree_node *n, *next;
	struct vfio_dma *dma;

	for (n = itree_iter_first(&iommu->dma_list, iova, iova + size - 1); n;
	     n = next) {
		dma = vfio_dma_of(n);
		if (!iommu->v2 && iova > dma->iova)
			break;
		next = itree_iter_next(&iommu->dma_list, n, iova,
				       iova + size - 1);
		*unmapped += dma->size;
		vfio_remove_dma(iommu, dma);
	}
}

static int vfio_dma_do_unmap(struct vfio_iommu *iommu,
			     struct vfio_iommu_type1_dma_unmap *unmap)
{
	bool unmap_all = unmap->flags & VFIO_DMA_UNMAP_FLAG_ALL;
	bool invalidate_vaddr = unmap->flags & VFIO_DMA_UNMAP_FLAG_VADDR;
	__u64 iova = unmap->iova, size = unmap->size, pgsize, unmapped = 0;
	int ret = -EINVAL;

	pthread_mutex_lock(&iommu->lock);
	if (invalidate_vaddr && iommu->emulated_iommu_groups) {
		ret = -EBUSY;
		goto unlock;
	}
	pgsize = min_pgsize(iommu);
	if (iova & (pgsize - 1))
		goto unlock;
	if (unmap_all) {
		if (iova || size)
			goto unlock;
		size = ~0ULL;
	} else if (!size || size & (pgsize - 1) || iova + size - 1 < iova) {
		goto unlock;
	}
	if (iommu->v2 && !unmap_all && unmap_splits(iommu, iova, size))
		goto unlock;
	ret = 0;
	if (invalidate_vaddr)
		ret = unmap_invalidate_vaddr(iommu, iova, size, &unmapped);
	else
		unmap_remove(iommu, iova, size, &unmapped);
unlock:
	pthread_mutex_unlock(&iommu->lock);
	unmap->size = unmapped;
	return ret;
}

static int vfio_iommu_type1_unmap_dma(struct vfio_iommu *iommu,
				      unsigned long arg)
{
	__u32 mask = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
		     VFIO_DMA_UNMAP_FLAG_VADDR | VFIO_DMA_UNMAP_FLAG_ALL;
	size_t minsz = offsetofend(struct vfio_iommu_type1_dma_unmap, size);
	struct vfio_iommu_type1_dma_unmap unmap;
	int ret;

	if (!arg)
		return -EFAULT;
	memcpy(&unmap, (void *)arg, minsz);
	if (unmap.argsz < minsz || unmap.flags & ~mask)
		return -EINVAL;
	/* Dirty tracking is never started in the model: every bitmap unmap
	 * fails as the kernel's does without VFIO_IOMMU_DIRTY_PAGES START */
	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP)
		return -EINVAL;
	ret = vfio_dma_do_unmap(iommu, &unmap);
	if (ret)
		return ret;
	memcpy((void *)arg, &unmap, minsz);
	return 0;
}

/* ---- the driver ---- */

static int vfio_domains_have_enforce_cache_coherency(struct vfio_iommu *iommu)
{
	struct vfio_domain *d;
	int ret = 1;

	pthread_mutex_lock(&iommu->lock);
	for (d = iommu->domain_list; d; d = d->next)
		if (!d->enforce_cache_coherency)
			ret = 0;
	pthread_mutex_unlock(&iommu->lock);
	return ret;
}

static bool vfio_iommu_has_emulated(struct vfio_iommu *iommu)
{
	bool ret;

	pthread_mutex_lock(&iommu->lock);
	ret = iommu->emulated_iommu_groups != NULL;
	pthread_mutex_unlock(&iommu->lock);
	return ret;
}

static int vfio_iommu_type1_check_extension(struct vfio_iommu *iommu,
					    unsigned long arg)
{
	switch (arg) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_TYPE1_NESTING_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_UPDATE_VADDR:
		return iommu && !vfio_iommu_has_emulated(iommu);
	case VFIO_DMA_CC_IOMMU:
		return iommu ? vfio_domains_have_enforce_cache_coherency(iommu) : 0;
	default:
		return 0;
	}
}

REF_API void *vfio_iommu_type1_open(unsigned long arg)
{
	struct vfio_iommu *iommu;

	if (arg != VFIO_TYPE1_IOMMU && arg != VFIO_TYPE1v2_IOMMU &&
	    arg != VFIO_TYPE1_NESTING_IOMMU)
		return (void *)(long)-EINVAL;
	iommu = calloc(1, sizeof(*iommu));
	if (!iommu)
		return (void *)(long)-ENOMEM;
	iommu->v2 = arg != VFIO_TYPE1_IOMMU;
	iommu->nesting = arg == VFIO_TYPE1_NESTING_IOMMU;
	iommu->dma_avail = dma_entry_limit;
	iommu->pgsize_bitmap = VFIO_PAGE_MASK;
	pthread_mutex_init(&iommu->lock, NULL);
	return iommu;
}

static void free_groups(struct vfio_iommu_group *g)
{
	struct vfio_iommu_group *next;

	for (; g; g = next) {
		next = g->next;
		free(g);
	}
}

REF_API void vfio_iommu_type1_release(void *iommu_data)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_domain *d, *next;

	free_groups(iommu->emulated_iommu_groups);
	iommu->emulated_iommu_groups = NULL;
	vfio_iommu_unmap_unpin_all(iommu);
	for (d = iommu->domain_list; d; d = next) {
		next = d->next;
		free_groups(d->group_list);
		free(d);
	}
	vfio_iommu_iova_free(&iommu->iova_list);
	pthread_mutex_destroy(&iommu->lock);
	free(iommu);
}

REF_API long vfio_iommu_type1_ioctl(void *iommu_data, unsigned int cmd,
				    unsigned long arg)
{
	struct vfio_iommu *iommu = iommu_data;

	switch (cmd) {
	case VFIO_CHECK_EXTENSION:
		return vfio_iommu_type1_check_extension(iommu, arg);
	case VFIO_IOMMU_GET_INFO:
		return vfio_iommu_type1_get_info(iommu, arg);
	case VFIO_IOMMU_MAP_DMA:
		return vfio_iommu_type1_map_dma(iommu, arg);
	case VFIO_IOMMU_UNMAP_DMA:
		return vfio_iommu_type1_unmap_dma(iommu, arg);
	default:	/* VFIO_IOMMU_DIRTY_PAGES is not modelled */
		return -ENOTTY;
	}
}
