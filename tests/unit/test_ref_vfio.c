// SPDX-License-Identifier: GPL-2.0
/*
 * The VFIO type1 front of the ref against Linux 6.12 vfio_compat.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <linux/vfio.h>
#include <cmocka.h>
#include "ref_helpers.h"

static int vfio(struct fixture *f, unsigned int cmd, unsigned long arg)
{
	return iommufd_fops_ioctl(f->ctx, cmd, arg);
}

static int map_dma(struct fixture *f, __u32 flags, __u64 vaddr, __u64 iova,
		   __u64 size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .flags = flags, .vaddr = vaddr,
		.iova = iova, .size = size,
	};

	return vfio(f, VFIO_IOMMU_MAP_DMA, (unsigned long)&map);
}

static int unmap_dma(struct fixture *f, __u32 flags, __u64 iova, __u64 *size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .flags = flags, .iova = iova,
		.size = *size,
	};
	int rc = vfio(f, VFIO_IOMMU_UNMAP_DMA, (unsigned long)&unmap);

	*size = unmap.size;
	return rc;
}

#define RWF (VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)

static void test_no_compat_ioas(void **state)
{
	struct fixture *f = *state;
	struct vfio_iommu_type1_info info = { .argsz = sizeof(info) };
	__u64 size = 0x1000;
	__u32 id = 0;

	assert_int_equal(vfio(f, VFIO_GET_API_VERSION, 0), VFIO_API_VERSION);
	assert_int_equal(vfio(f, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU), 1);
	assert_int_equal(vfio(f, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU), 1);
	assert_int_equal(vfio(f, VFIO_CHECK_EXTENSION, VFIO_UNMAP_ALL), 1);
	assert_int_equal(vfio(f, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU), 0);
	assert_int_equal(vfio(f, VFIO_CHECK_EXTENSION, VFIO_UPDATE_VADDR), 0);
	assert_int_equal(vfio(f, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU),
			 -ENODEV);
	assert_int_equal(vfio(f, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -ENODEV);
	assert_int_equal(vfio(f, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU), -EINVAL);
	assert_int_equal(map_dma(f, RWF, 0x10000000, 0x1000, 0x1000), -ENODEV);
	assert_int_equal(unmap_dma(f, 0, 0x1000, &size), -ENODEV);
	assert_int_equal(vfio(f, VFIO_IOMMU_GET_INFO, (unsigned long)&info),
			 -ENODEV);
	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_GET, &id),
			 -ENODEV);
	assert_int_equal(vfio(f, VFIO_IOMMU_DIRTY_PAGES, (unsigned long)&info),
			 -ENOTTY);
}

static void test_vfio_ioas(void **state)
{
	struct fixture *f = *state;
	struct iommu_vfio_ioas cmd = {
		.size = sizeof(cmd), .op = 3,
	};
	__u32 id = 99;

	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_SET, &id),
			 -ENOENT);
	assert_int_equal(vfio(f, IOMMU_VFIO_IOAS, (unsigned long)&cmd),
			 -EOPNOTSUPP);
	cmd.op = IOMMU_VFIO_IOAS_GET;
	cmd.__reserved = 1;
	assert_int_equal(vfio(f, IOMMU_VFIO_IOAS, (unsigned long)&cmd),
			 -EOPNOTSUPP);
	id = f->ioas;
	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_SET, &id), 0);
	id = 0;
	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_GET, &id), 0);
	assert_int_equal(id, f->ioas);
	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_CLEAR, &id), 0);
	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_GET, &id),
			 -ENODEV);
	/* destroying the compat IOAS forgets it */
	id = f->ioas;
	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_SET, &id), 0);
	assert_int_equal(t_destroy(f->ctx, f->ioas), 0);
	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_GET, &id),
			 -ENODEV);
}

static void test_map_unmap_v2(void **state)
{
	struct fixture *f = *state;
	struct vfio_iommu_type1_dma_map map = {
		.argsz = 31, .flags = RWF, .vaddr = 0x10000000, .iova = 0x1000,
		.size = 0x1000,
	};
	__u32 id = f->ioas;
	__u64 size;

	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_SET, &id), 0);
	assert_int_equal(vfio(f, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	assert_int_equal(vfio(f, VFIO_IOMMU_MAP_DMA, (unsigned long)&map),
			 -EINVAL);
	assert_int_equal(map_dma(f, RWF | VFIO_DMA_MAP_FLAG_VADDR, 0x10000000,
				 0x1000, 0x1000), -EINVAL);
	assert_int_equal(map_dma(f, RWF, 0x10000000, 0x100000, 0x100000), 0);
	assert_int_equal(map_dma(f, RWF, 0x10000000, 0x180000, 0x1000),
			 -EEXIST);
	assert_int_equal(map_dma(f, 0, 0x10000000, 0x300000, 0x1000), 0);
	assert_int_equal(map_dma(f, RWF, 0x10000000, 0x400000, 0), -EINVAL);
	/* v2 cannot unmap inside a mapping; size 0 written back */
	size = 0x10000;
	assert_int_equal(unmap_dma(f, 0, 0x140000, &size), -ENOENT);
	assert_int_equal(size, 0);
	/* nothing mapped there: success, 0 bytes */
	size = 0x1000;
	assert_int_equal(unmap_dma(f, 0, 0x800000, &size), 0);
	assert_int_equal(size, 0);
	size = 0;
	assert_int_equal(unmap_dma(f, 0, 0x800000, &size), -EINVAL);
	size = 0x1000;
	assert_int_equal(unmap_dma(f, VFIO_DMA_UNMAP_FLAG_ALL, 0, &size),
			 -EINVAL);
	size = 0;
	assert_int_equal(unmap_dma(f, VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, 0,
				   &size), -EINVAL);
	assert_int_equal(unmap_dma(f, VFIO_DMA_UNMAP_FLAG_ALL, 0, &size), 0);
	assert_int_equal(size, 0x101000);
}

static void test_type1_v1_cuts(void **state)
{
	struct fixture *f = *state;
	struct ref_ioas_usage u;
	__u32 id = f->ioas;
	__u64 size;

	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_SET, &id), 0);
	assert_int_equal(vfio(f, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU), 0);
	/* v1 disables large pages: iova_alignment becomes PAGE_SIZE */
	assert_int_equal(ref_ioas_usage(f->ctx, f->ioas, &u), 0);
	assert_int_equal(u.iova_alignment, 0x1000);
	assert_int_equal(map_dma(f, RWF, 0x10000000, 0x100800, 0x1000),
			 -EINVAL);
	assert_int_equal(map_dma(f, RWF, 0x10000000, 0x100000, 0x100000), 0);
	size = 0x10000;
	assert_int_equal(unmap_dma(f, 0, 0x140000, &size), 0);
	assert_int_equal(size, 0x10000);
	assert_int_equal(ref_ioas_usage(f->ctx, f->ioas, &u), 0);
	assert_int_equal(u.nr_areas, 2);
	assert_int_equal(u.mapped_bytes, 0xf0000);
	/* cuts must be page aligned */
	size = 0x800;
	assert_int_equal(unmap_dma(f, 0, 0x160000, &size), -EINVAL);
}

static void test_get_info(void **state)
{
	struct fixture *f = *state;
	union {
		struct vfio_iommu_type1_info info;
		__u8 raw[256];
	} u;
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_iommu_type1_info_cap_iova_range *iovas;
	__u32 id = f->ioas;

	assert_int_equal(t_vfio_ioas(f->ctx, IOMMU_VFIO_IOAS_SET, &id), 0);
	memset(&u, 0, sizeof(u));
	u.info.argsz = 15;
	assert_int_equal(vfio(f, VFIO_IOMMU_GET_INFO, (unsigned long)&u),
			 -EINVAL);
	/* no room for caps: argsz says how much is needed */
	u.info.argsz = sizeof(u.info);
	assert_int_equal(vfio(f, VFIO_IOMMU_GET_INFO, (unsigned long)&u), 0);
	assert_int_equal(u.info.flags,
			 VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS);
	assert_int_equal(u.info.argsz, 24 + 16 + 32);
	assert_int_equal(u.info.cap_offset, 0);
	assert_int_equal(u.info.iova_pgsizes, 0xfffffffffffff000ULL);
	/* with room */
	memset(&u, 0, sizeof(u));
	u.info.argsz = sizeof(u);
	assert_int_equal(vfio(f, VFIO_IOMMU_GET_INFO, (unsigned long)&u), 0);
	assert_int_equal(u.info.argsz, 72);
	assert_int_equal(u.info.cap_offset, 24);
	avail = (void *)(u.raw + 24);
	assert_int_equal(avail->header.id, VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
	assert_int_equal(avail->header.next, 40);
	assert_int_equal(avail->avail, UINT32_MAX);
	iovas = (void *)(u.raw + 40);
	assert_int_equal(iovas->header.id, VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
	assert_int_equal(iovas->header.next, 0);
	assert_int_equal(iovas->nr_iovas, 1);
	assert_int_equal(iovas->iova_ranges[0].start, 0);
	assert_int_equal(iovas->iova_ranges[0].end, UINT64_MAX);
	/* a mock domain: page sizes and the aperture */
	assert_int_equal(vfio(f, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU), 1);
	assert_int_equal(t_mock_domain(f->ctx, f->ioas, NULL, NULL, NULL), 0);
	assert_int_equal(vfio(f, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU), 0);
	memset(&u, 0, sizeof(u));
	u.info.argsz = sizeof(u);
	assert_int_equal(vfio(f, VFIO_IOMMU_GET_INFO, (unsigned long)&u), 0);
	assert_int_equal(u.info.iova_pgsizes, 0x1000);
	assert_int_equal(iovas->nr_iovas, 1);
	assert_int_equal(iovas->iova_ranges[0].start, MOCK_APERTURE_START);
	assert_int_equal(iovas->iova_ranges[0].end, MOCK_APERTURE_LAST);
	/* v1 on a domain with mappings: -EINVAL */
	assert_int_equal(map_dma(f, RWF, 0x10000000, 0x1000000, 0x1000), 0);
	assert_int_equal(vfio(f, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_no_compat_ioas),
		T(test_vfio_ioas),
		T(test_map_unmap_v2),
		T(test_type1_v1_cuts),
		T(test_get_info),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
