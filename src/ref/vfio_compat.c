// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO type1 container front of iommufd (Linux 6.12
 * drivers/iommu/iommufd/vfio_compat.c): type1 ioctls on the compat IOAS.
 * CONFIG_VFIO_NOIOMMU is off in the VM kernel, so NOIOMMU is not offered.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <linux/vfio.h>
#include "ref/iommufd.h"
#include "iommufd_private.h"

#define offsetofend(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))

static struct iommufd_ioas *get_compat_ioas(struct iommufd_ctx *ictx)
{
	return ictx->vfio_ioas;
}

REF_API int iommufd_vfio_ioas(struct iommufd_ucmd *ucmd)
{
	struct iommu_vfio_ioas *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	switch (cmd->op) {
	case IOMMU_VFIO_IOAS_GET:
		ioas = get_compat_ioas(ucmd->ictx);
		if (!ioas)
			return -ENODEV;
		cmd->ioas_id = ioas->obj.id;
		return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	case IOMMU_VFIO_IOAS_SET:
		ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
		if (!ioas)
			return -ENOENT;
		ucmd->ictx->vfio_ioas = ioas;
		return 0;
	case IOMMU_VFIO_IOAS_CLEAR:
		ucmd->ictx->vfio_ioas = NULL;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int iommufd_vfio_map_dma(struct iommufd_ctx *ictx, void *arg)
{
	__u32 supported_flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	size_t minsz = offsetofend(struct vfio_iommu_type1_dma_map, size);
	struct vfio_iommu_type1_dma_map map;
	int iommu_prot = IOMMU_CACHE;
	struct iommufd_ioas *ioas;
	unsigned long iova;

	memcpy(&map, arg, minsz);
	if (map.argsz < minsz || map.flags & ~supported_flags)
		return -EINVAL;
	if (map.flags & VFIO_DMA_MAP_FLAG_READ)
		iommu_prot |= IOMMU_READ;
	if (map.flags & VFIO_DMA_MAP_FLAG_WRITE)
		iommu_prot |= IOMMU_WRITE;
	ioas = get_compat_ioas(ictx);
	if (!ioas)
		return -ENODEV;
	iova = map.iova;
	return iopt_map_user_pages(ictx, &ioas->iopt, &iova,
				   (void *)(unsigned long)map.vaddr, map.size,
				   iommu_prot, 0);
}

static int iommufd_vfio_unmap_dma(struct iommufd_ctx *ictx, void *arg)
{
	size_t minsz = offsetofend(struct vfio_iommu_type1_dma_unmap, size);
	__u32 supported_flags = VFIO_DMA_UNMAP_FLAG_ALL;
	struct vfio_iommu_type1_dma_unmap unmap;
	unsigned long unmapped = 0;
	struct iommufd_ioas *ioas;
	int rc;

	memcpy(&unmap, arg, minsz);
	if (unmap.argsz < minsz || unmap.flags & ~supported_flags)
		return -EINVAL;
	ioas = get_compat_ioas(ictx);
	if (!ioas)
		return -ENODEV;
	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_ALL) {
		if (unmap.iova != 0 || unmap.size != 0)
			return -EINVAL;
		rc = iopt_unmap_all(&ioas->iopt, &unmapped);
	} else {
		if (ioas->iopt.disable_large_pages) {
			/* Type1 v1: cut at both ends; iova 0 needs no cut */
			unsigned long iovas[] = { unmap.iova + unmap.size - 1,
						  unmap.iova - 1 };

			rc = iopt_cut_iova(&ioas->iopt, iovas,
					   unmap.iova ? 2 : 1);
			if (rc)
				return rc;
		}
		rc = iopt_unmap_iova(&ioas->iopt, unmap.iova, unmap.size,
				     &unmapped);
	}
	unmap.size = unmapped;
	memcpy(arg, &unmap, minsz);
	return rc;
}

static int iommufd_vfio_cc_iommu(struct iommufd_ctx *ictx)
{
	struct iommufd_ioas *ioas = get_compat_ioas(ictx);

	if (!ioas)
		return -ENODEV;
	/* Mock domains do not enforce cache coherency */
	return ioas->hwpt_list ? 0 : 1;
}

static int iommufd_vfio_check_extension(struct iommufd_ctx *ictx,
					unsigned long type)
{
	switch (type) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_DMA_CC_IOMMU:
		return iommufd_vfio_cc_iommu(ictx);
	default:	/* NOIOMMU (config off), NESTING, UPDATE_VADDR, ... */
		return 0;
	}
}

static int iommufd_vfio_set_iommu(struct iommufd_ctx *ictx, unsigned long type)
{
	struct iommufd_ioas *ioas;

	if (type != VFIO_TYPE1_IOMMU && type != VFIO_TYPE1v2_IOMMU)
		return -EINVAL;
	ioas = get_compat_ioas(ictx);
	if (!ioas)
		return -ENODEV;
	/* Type1 v1 may unmap inside a mapping: no large IOPTEs */
	if (type == VFIO_TYPE1_IOMMU)
		return iopt_disable_large_pages(&ioas->iopt);
	return 0;
}

static unsigned long iommufd_get_pagesizes(struct iommufd_ioas *ioas)
{
	struct io_pagetable *iopt = &ioas->iopt;
	unsigned long pgsize_bitmap = ULONG_MAX;
	unsigned int i;

	for (i = 0; i != iopt->next_domain_id; i++)
		pgsize_bitmap &= iopt->domains[i]->pgsize_bitmap;
	if (pgsize_bitmap & (REF_PAGE_SIZE - 1)) {
		pgsize_bitmap &= ~(REF_PAGE_SIZE - 1);
		pgsize_bitmap |= REF_PAGE_SIZE;
	}
	if (pgsize_bitmap < iopt->iova_alignment)
		pgsize_bitmap = iopt->iova_alignment;
	return pgsize_bitmap;
}

struct iova_range_cap_fill {
	struct vfio_iommu_type1_info_cap_iova_range *ucap;
	size_t avail;
	__u32 nr;
};

static int fill_cap_range(unsigned long start, unsigned long last, void *arg)
{
	struct iova_range_cap_fill *fill = arg;
	size_t need = sizeof(*fill->ucap) +
		      (fill->nr + 1) * sizeof(struct vfio_iova_range);

	if (fill->avail >= need) {
		fill->ucap->iova_ranges[fill->nr].start = start;
		fill->ucap->iova_ranges[fill->nr].end = last;
	}
	fill->nr++;
	return 0;
}

static int iommufd_fill_cap_iova(struct iommufd_ioas *ioas, void *cur,
				 size_t avail)
{
	struct vfio_iommu_type1_info_cap_iova_range cap_iovas = {
		.header = {
			.id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE,
			.version = 1,
		},
	};
	struct iova_range_cap_fill fill = { .ucap = cur, .avail = avail };
	size_t size;

	iopt_for_each_reserved_hole(&ioas->iopt, fill_cap_range, &fill);
	cap_iovas.nr_iovas = fill.nr;
	size = sizeof(cap_iovas) + fill.nr * sizeof(struct vfio_iova_range);
	if (avail >= size)
		memcpy(cur, &cap_iovas, sizeof(cap_iovas));
	return size;
}

static int iommufd_fill_cap_dma_avail(struct iommufd_ioas *ioas, void *cur,
				      size_t avail)
{
	struct vfio_iommu_type1_info_dma_avail cap_dma = {
		.header = {
			.id = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL,
			.version = 1,
		},
		.avail = UINT32_MAX,	/* iommufd's answer, not vfio's U16_MAX */
	};

	(void)ioas;
	if (avail >= sizeof(cap_dma))
		memcpy(cur, &cap_dma, sizeof(cap_dma));
	return sizeof(cap_dma);
}

static int iommufd_vfio_iommu_get_info(struct iommufd_ctx *ictx, void *arg)
{
	typedef int (*fill_cap_fn)(struct iommufd_ioas *ioas, void *cur,
				   size_t avail);
	static const fill_cap_fn fill_fns[] = {
		iommufd_fill_cap_dma_avail,
		iommufd_fill_cap_iova,
	};
	size_t minsz = offsetofend(struct vfio_iommu_type1_info, iova_pgsizes);
	struct vfio_info_cap_header *last_cap = NULL;
	struct vfio_iommu_type1_info info = {};
	struct iommufd_ioas *ioas;
	size_t total_cap_size;
	unsigned int i;

	memcpy(&info, arg, minsz);
	if (info.argsz < minsz)
		return -EINVAL;
	minsz = info.argsz < sizeof(info) ? info.argsz : sizeof(info);
	ioas = get_compat_ioas(ictx);
	if (!ioas)
		return -ENODEV;
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = iommufd_get_pagesizes(ioas);
	info.cap_offset = 0;
	total_cap_size = sizeof(info);
	for (i = 0; i != sizeof(fill_fns) / sizeof(fill_fns[0]); i++) {
		int cap_size;

		if (info.argsz > total_cap_size)
			cap_size = fill_fns[i](ioas, (char *)arg + total_cap_size,
					       info.argsz - total_cap_size);
		else
			cap_size = fill_fns[i](ioas, NULL, 0);
		cap_size = (cap_size + 7) & ~7;
		if (last_cap && info.argsz >= total_cap_size)
			last_cap->next = total_cap_size;
		last_cap = (void *)((char *)arg + total_cap_size);
		total_cap_size += cap_size;
	}
	if (info.argsz >= total_cap_size)
		info.cap_offset = sizeof(info);
	info.argsz = total_cap_size;
	info.flags |= VFIO_IOMMU_INFO_CAPS;
	memcpy(arg, &info, minsz);
	return 0;
}

static int vfio_ioctl_locked(struct iommufd_ctx *ictx, unsigned int cmd,
			     unsigned long arg)
{
	void *uarg = (void *)arg;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_SET_IOMMU:
		return iommufd_vfio_set_iommu(ictx, arg);
	case VFIO_CHECK_EXTENSION:
		return iommufd_vfio_check_extension(ictx, arg);
	}
	switch (cmd) {
	case VFIO_IOMMU_GET_INFO:
		return uarg ? iommufd_vfio_iommu_get_info(ictx, uarg) : -EFAULT;
	case VFIO_IOMMU_MAP_DMA:
		return uarg ? iommufd_vfio_map_dma(ictx, uarg) : -EFAULT;
	case VFIO_IOMMU_UNMAP_DMA:
		return uarg ? iommufd_vfio_unmap_dma(ictx, uarg) : -EFAULT;
	default:
		return -ENOTTY;	/* -ENOIOCTLCMD, as seen by the user */
	}
}

REF_API int iommufd_vfio_ioctl(struct iommufd_ctx *ictx, unsigned int cmd,
			       unsigned long arg)
{
	int rc;

	pthread_mutex_lock(&ictx->lock);
	rc = vfio_ioctl_locked(ictx, cmd, arg);
	pthread_mutex_unlock(&ictx->lock);
	return rc;
}
