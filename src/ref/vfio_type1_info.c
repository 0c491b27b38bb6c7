// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO_IOMMU_GET_INFO of native type1 (Linux 6.12
 * drivers/vfio/vfio_iommu_type1.c, vfio_info_cap_add() of vfio_main.c):
 * page sizes and a capability chain, in this order: MIGRATION, DMA_AVAIL,
 * IOVA_RANGE (the last only when the iova_list is not empty). Each
 * capability is padded to 8 bytes; "next" is an offset from the start of
 * the info struct, 0 on the last. A buffer too small for the chain gets
 * only argsz (the size needed), flags with CAPS, and cap_offset 0.
 * Linux 6.1 (ref_vfio_type1_set_linux): vfio_info_cap_add() does not pad
 * (DMA_AVAIL is 12 bytes, the IOVA_RANGE after it 4 bytes off an 8-byte
 * boundary: the chain is 4 bytes shorter), and the struct goes back as 16
 * bytes when argsz is below 20, else 20 (up to cap_offset, cap_offset
 * zeroed), where 6.12 writes min(argsz, 24) bytes of a zeroed struct.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>
#include "vfio_type1_private.h"

#define offsetofend(T, m) (offsetof(T, m) + sizeof(((T *)0)->m))
#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)
/* DIRTY_BITMAP_BYTES(INT_MAX): the largest dirty bitmap, in bytes */
#define DIRTY_BITMAP_SIZE_MAX	(((0x7fffffffULL + 63) & ~63ULL) / 8)

struct vfio_info_cap {
	__u8 *buf;
	size_t size;
};

/* Append a capability of size bytes; its header chained, the rest zero */
static void *vfio_info_cap_add(struct vfio_info_cap *caps, size_t size,
			       __u16 id, __u16 version)
{
	struct vfio_info_cap_header *header, *tmp;
	__u8 *buf;

	if (vfio_linux != REF_LINUX(6, 1))
		size = ALIGN8(size);
	buf = realloc(caps->buf, caps->size + size);
	if (!buf)
		return NULL;
	caps->buf = buf;
	header = (void *)(buf + caps->size);
	memset(header, 0, size);
	header->id = id;
	header->version = version;
	for (tmp = (void *)buf; tmp->next; tmp = (void *)(buf + tmp->next))
		;
	tmp->next = caps->size;
	caps->size += size;
	return header;
}

/* Make the chain's offsets relative to the info struct */
static void vfio_info_cap_shift(struct vfio_info_cap *caps, size_t offset)
{
	struct vfio_info_cap_header *tmp;

	for (tmp = (void *)caps->buf; tmp->next;
	     tmp = (void *)(caps->buf + tmp->next - offset))
		tmp->next += offset;
}

static int migration_cap(struct vfio_iommu *iommu, struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_migration *mig;

	mig = vfio_info_cap_add(caps, sizeof(*mig),
				VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 1);
	if (!mig)
		return -ENOMEM;
	mig->pgsize_bitmap = 1ULL << __builtin_ctzll(iommu->pgsize_bitmap);
	mig->max_dirty_bitmap_size = DIRTY_BITMAP_SIZE_MAX;
	return 0;
}

static int dma_avail_cap(struct vfio_iommu *iommu, struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_dma_avail *cap;

	cap = vfio_info_cap_add(caps, sizeof(*cap),
				VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1);
	if (!cap)
		return -ENOMEM;
	cap->avail = iommu->dma_avail;
	return 0;
}

static int iova_range_cap(struct vfio_iommu *iommu, struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_iova_range *c = NULL;
	unsigned int i, n = iommu->iova_list.nr;
	__u8 *cap;

	if (!n)
		return 0;	/* a container with only emulated groups */
	cap = vfio_info_cap_add(caps, sizeof(*c) + n * sizeof(c->iova_ranges[0]),
				VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1);
	if (!cap)
		return -ENOMEM;
	/* memcpy: 4 bytes off the 8-byte boundary on Linux 6.1 (no padding) */
	memcpy(cap + offsetof(typeof(*c), nr_iovas), &n, sizeof(n));
	for (i = 0; i < n; i++) {
		struct vfio_iova_range r = {
			.start = iommu->iova_list.v[i].start,
			.end = iommu->iova_list.v[i].end,
		};

		memcpy(cap + offsetof(typeof(*c), iova_ranges) + i * sizeof(r),
		       &r, sizeof(r));
	}
	return 0;
}

static int build_caps(struct vfio_iommu *iommu, struct vfio_info_cap *caps)
{
	int ret;

	pthread_mutex_lock(&iommu->lock);
	ret = migration_cap(iommu, caps);
	if (!ret)
		ret = dma_avail_cap(iommu, caps);
	if (!ret)
		ret = iova_range_cap(iommu, caps);
	pthread_mutex_unlock(&iommu->lock);
	return ret;
}

int vfio_iommu_type1_get_info(struct vfio_iommu *iommu, unsigned long arg)
{
	struct vfio_iommu_type1_info info = { 0 };
	size_t minsz = offsetofend(struct vfio_iommu_type1_info, iova_pgsizes);
	struct vfio_info_cap caps = { 0 };
	int ret;

	if (!arg)
		return -EFAULT;
	memcpy(&info, (void *)arg, minsz);
	if (info.argsz < minsz)
		return -EINVAL;
	if (vfio_linux == REF_LINUX(6, 1)) {
		size_t capsz = offsetofend(struct vfio_iommu_type1_info, cap_offset);

		if (info.argsz >= capsz) {
			minsz = capsz;
			info.cap_offset = 0;
		}
	} else {
		minsz = info.argsz < sizeof(info) ? info.argsz : sizeof(info);
	}
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = iommu->pgsize_bitmap;
	ret = build_caps(iommu, &caps);
	if (ret)
		goto out;
	info.flags |= VFIO_IOMMU_INFO_CAPS;
	if (info.argsz < sizeof(info) + caps.size) {
		info.argsz = sizeof(info) + caps.size;
	} else {
		vfio_info_cap_shift(&caps, sizeof(info));
		memcpy((char *)arg + sizeof(info), caps.buf, caps.size);
		info.cap_offset = sizeof(info);
	}
	memcpy((void *)arg, &info, minsz);
out:
	free(caps.buf);
	return ret;
}
