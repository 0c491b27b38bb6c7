// SPDX-License-Identifier: GPL-2.0
/*
 * Native VFIO type1 of the ref (include/ref/vfio_type1.h) against Linux
 * 6.12 drivers/vfio/vfio_iommu_type1.c and container.c: container and
 * driver life cycle, MAP_DMA and UNMAP_DMA rules (table-driven), v1
 * unmaps, the entry limit, locked_vm against RLIMIT_MEMLOCK, GET_INFO's
 * capability chain byte by byte, the IOVA list across attach and detach,
 * and the hot-plug failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>
#include <cmocka.h>
#include "ref/vfio_type1.h"

#define RWF	(VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)
#define VA	0x7f0000000000ULL	/* a user address (never touched) */
#define MSI_START	0xfee00000ULL
#define MSI_LAST	0xfeefffffULL
#define AW39_END	0x7fffffffffULL

struct t1 {
	struct vfio_container *c;
	struct iommu_group g[4];
};

/* intel-iommu aw 39 with the x86 MSI window, as in the VM */
static void intel_group(struct iommu_group *g, int id, unsigned int aw)
{
	ref_iommu_group_init_intel(g, id, aw);
	assert_int_equal(ref_iommu_group_add_resv(g, MSI_START, MSI_LAST,
						  IOMMU_RESV_MSI), 0);
}

static long ioc(struct t1 *t, unsigned int cmd, unsigned long arg)
{
	return vfio_fops_unl_ioctl(t->c, cmd, arg);
}

static int open_t1(void **state, unsigned long type)
{
	struct t1 *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	ref_vfio_type1_set_allow_unsafe_interrupts(true);
	t->c = vfio_container_open();
	intel_group(&t->g[0], 1, 39);
	if (vfio_container_attach_group(t->c, &t->g[0]) ||
	    vfio_fops_unl_ioctl(t->c, VFIO_SET_IOMMU, type))
		return -1;
	*state = t;
	return 0;
}

static int setup_v2(void **state)
{
	return open_t1(state, VFIO_TYPE1v2_IOMMU);
}

static int setup_v1(void **state)
{
	return open_t1(state, VFIO_TYPE1_IOMMU);
}

static int teardown(void **state)
{
	struct t1 *t = *state;

	vfio_container_close(t->c);
	free(t);
	ref_vfio_type1_set_memlock(~0ULL, false);
	ref_vfio_type1_set_dma_entry_limit(65535);
	ref_vfio_type1_set_allow_unsafe_interrupts(false);
	ref_vfio_type1_set_linux(6, 12);
	assert_int_equal(ref_vfio_type1_locked_vm(), 0);
	return 0;
}

static int map_raw(struct t1 *t, __u32 argsz, __u32 flags, __u64 vaddr,
		   __u64 iova, __u64 size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = argsz, .flags = flags, .vaddr = vaddr,
		.iova = iova, .size = size,
	};

	return ioc(t, VFIO_IOMMU_MAP_DMA, (unsigned long)&map);
}

static int map(struct t1 *t, __u64 iova, __u64 size)
{
	return map_raw(t, sizeof(struct vfio_iommu_type1_dma_map), RWF,
		       VA + iova, iova, size);
}

static int unmap_raw(struct t1 *t, __u32 argsz, __u32 flags, __u64 iova,
		     __u64 *size)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = argsz, .flags = flags, .iova = iova, .size = *size,
	};
	int rc = ioc(t, VFIO_IOMMU_UNMAP_DMA, (unsigned long)&unmap);

	*size = unmap.size;
	return rc;
}

static int unmap(struct t1 *t, __u32 flags, __u64 iova, __u64 *size)
{
	return unmap_raw(t, sizeof(struct vfio_iommu_type1_dma_unmap), flags,
			 iova, size);
}

/* The IOVA_RANGE capability of GET_INFO, flattened: start, end, ... */
static unsigned int info_ranges(struct t1 *t, __u64 *out, __u64 *pgsizes)
{
	__u8 buf[1024] = { 0 };
	struct vfio_iommu_type1_info *info = (void *)buf;
	__u32 off;

	info->argsz = sizeof(buf);
	assert_int_equal(ioc(t, VFIO_IOMMU_GET_INFO, (unsigned long)buf), 0);
	*pgsizes = info->iova_pgsizes;
	for (off = info->cap_offset; off;) {
		struct vfio_info_cap_header *h = (void *)(buf + off);
		struct vfio_iommu_type1_info_cap_iova_range *r = (void *)h;
		unsigned int i;

		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
			for (i = 0; i < r->nr_iovas; i++) {
				out[2 * i] = r->iova_ranges[i].start;
				out[2 * i + 1] = r->iova_ranges[i].end;
			}
			return r->nr_iovas;
		}
		off = h->next;
	}
	return 0;
}

static void assert_ranges(struct t1 *t, unsigned int n, const __u64 *want)
{
	__u64 got[32], pgsizes;

	assert_int_equal(info_ranges(t, got, &pgsizes), n);
	assert_memory_equal(got, want, n * 2 * sizeof(__u64));
}

static void test_container(void **state)
{
	struct vfio_container *c = vfio_container_open();
	struct iommu_group g, g2;
	__u64 size = 0x1000;
	(void)state;

	intel_group(&g, 1, 39);
	intel_group(&g2, 2, 39);
	ref_vfio_type1_set_allow_unsafe_interrupts(true);
	/* no driver yet: only the container's own ioctls */
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_GET_API_VERSION, 0),
			 VFIO_API_VERSION);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_CHECK_EXTENSION,
					     VFIO_TYPE1_IOMMU), 1);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_CHECK_EXTENSION,
					     VFIO_TYPE1_NESTING_IOMMU), 1);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_CHECK_EXTENSION,
					     VFIO_UNMAP_ALL), 1);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_CHECK_EXTENSION,
					     VFIO_UPDATE_VADDR), 0);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_CHECK_EXTENSION,
					     VFIO_DMA_CC_IOMMU), 0);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_CHECK_EXTENSION,
					     VFIO_NOIOMMU_IOMMU), 0);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_IOMMU_MAP_DMA, 0), -EINVAL);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_SET_IOMMU,
					     VFIO_TYPE1v2_IOMMU), -EINVAL);
	assert_int_equal(vfio_container_attach_group(c, &g), 0);
	assert_int_equal(vfio_container_attach_group(c, &g), -EINVAL);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_SET_IOMMU,
					     VFIO_SPAPR_TCE_IOMMU), -ENODEV);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_SET_IOMMU,
					     VFIO_TYPE1v2_IOMMU), 0);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_SET_IOMMU,
					     VFIO_TYPE1v2_IOMMU), -EINVAL);
	/* the driver answers now */
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_CHECK_EXTENSION,
					     VFIO_UPDATE_VADDR), 1);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_CHECK_EXTENSION,
					     VFIO_DMA_CC_IOMMU), 0);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_IOMMU_DIRTY_PAGES, 0),
			 -ENOTTY);
	assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_IOMMU_GET_INFO, 0), -EFAULT);
	/* a second group is attached at once */
	assert_int_equal(vfio_container_attach_group(c, &g2), 0);
	assert_int_equal(vfio_group_unset_container(&g2), 0);
	assert_int_equal(vfio_group_unset_container(&g2), -EINVAL);
	/* the last group out releases the driver */
	assert_int_equal(vfio_group_unset_container(&g), 0);
	{
		struct vfio_iommu_type1_dma_unmap u = {
			.argsz = sizeof(u), .size = size,
		};
		assert_int_equal(vfio_fops_unl_ioctl(c, VFIO_IOMMU_UNMAP_DMA,
						     (unsigned long)&u), -EINVAL);
	}
	vfio_container_close(c);
	ref_vfio_type1_set_allow_unsafe_interrupts(false);
}

static void test_open_types(void **state)
{
	void *p;
	(void)state;

	p = vfio_iommu_type1_open(VFIO_SPAPR_TCE_IOMMU);
	assert_true(REF_IS_ERR(p));
	assert_int_equal(REF_PTR_ERR(p), -EINVAL);
	p = vfio_iommu_type1_open(VFIO_TYPE1_IOMMU);
	assert_false(REF_IS_ERR(p));
	vfio_iommu_type1_release(p);
}

struct map_case {
	const char *what;
	__u32 argsz, flags;
	__u64 vaddr, iova, size;
	int ret;
};

#define MAPSZ	sizeof(struct vfio_iommu_type1_dma_map)

static const struct map_case map_cases[] = {
	{ "no READ/WRITE", MAPSZ, 0, VA, 0x400000, 0x1000, -EINVAL },
	{ "unknown flag", MAPSZ, RWF | 8, VA, 0x400000, 0x1000, -EINVAL },
	{ "VADDR with prot", MAPSZ, RWF | VFIO_DMA_MAP_FLAG_VADDR, VA,
	  0x400000, 0x1000, -EINVAL },
	{ "argsz short", MAPSZ - 1, RWF, VA, 0x400000, 0x1000, -EINVAL },
	{ "size 0", MAPSZ, RWF, VA, 0x400000, 0, -EINVAL },
	{ "iova unaligned", MAPSZ, RWF, VA, 0x400800, 0x1000, -EINVAL },
	{ "vaddr unaligned", MAPSZ, RWF, VA + 0x800, 0x400000, 0x1000, -EINVAL },
	{ "size unaligned", MAPSZ, RWF, VA, 0x400000, 0x1800, -EINVAL },
	{ "iova wraps", MAPSZ, RWF, VA, 0xfffffffffffff000ULL, 0x2000, -EINVAL },
	{ "vaddr wraps", MAPSZ, RWF, 0xfffffffffffff000ULL, 0x400000, 0x2000,
	  -EINVAL },
	{ "overlap inside", MAPSZ, RWF, VA, 0x101000, 0x1000, -EEXIST },
	{ "overlap over", MAPSZ, RWF, VA, 0xff000, 0x4000, -EEXIST },
	{ "in the MSI window", MAPSZ, RWF, VA, MSI_START, 0x1000, -EINVAL },
	{ "across the MSI window", MAPSZ, RWF, VA, 0xfed00000, 0x200000,
	  -EINVAL },
	{ "above the aperture", MAPSZ, RWF, VA, AW39_END + 1, 0x1000, -EINVAL },
	{ "across the aperture end", MAPSZ, RWF, VA, AW39_END - 0xfff, 0x2000,
	  -EINVAL },
	{ "last page", MAPSZ, RWF, VA, AW39_END - 0xfff, 0x1000, 0 },
	{ "right after the MSI window", MAPSZ, RWF, VA, MSI_LAST + 1, 0x1000, 0 },
	{ "read only", MAPSZ, VFIO_DMA_MAP_FLAG_READ, VA, 0x500000, 0x1000, 0 },
	{ "write only", MAPSZ, VFIO_DMA_MAP_FLAG_WRITE, VA, 0x600000, 0x1000, 0 },
	{ "same vaddr twice", MAPSZ, RWF, VA, 0x700000, 0x2000, 0 },
	{ "VADDR of nothing", MAPSZ, VFIO_DMA_MAP_FLAG_VADDR, VA, 0x800000,
	  0x1000, -ENOENT },
	{ "VADDR of a valid one", MAPSZ, VFIO_DMA_MAP_FLAG_VADDR, VA, 0x100000,
	  0x2000, -EINVAL },
};

static void test_map_rules(void **state)
{
	struct t1 *t = *state;
	unsigned int i;

	assert_int_equal(map(t, 0x100000, 0x2000), 0);
	for (i = 0; i < sizeof(map_cases) / sizeof(map_cases[0]); i++) {
		const struct map_case *m = &map_cases[i];
		int rc = map_raw(t, m->argsz, m->flags, m->vaddr, m->iova,
				 m->size);

		if (rc != m->ret)
			fail_msg("map %s: rc %d, want %d", m->what, rc, m->ret);
	}
	assert_int_equal(ioc(t, VFIO_IOMMU_MAP_DMA, 0), -EFAULT);
}

struct unmap_case {
	const char *what;
	__u32 argsz, flags;
	__u64 iova, size;
	int ret;
	__u64 unmapped;		/* written back on success */
};

#define UNMAPSZ	sizeof(struct vfio_iommu_type1_dma_unmap)
#define ALL	VFIO_DMA_UNMAP_FLAG_ALL
#define DIRTY	VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP

/* On A [0x100000, +0x2000), B [0x200000, +0x1000), C [0x300000, +0x3000) */
static const struct unmap_case unmap_v2_cases[] = {
	{ "unknown flag", UNMAPSZ, 8, 0x100000, 0x2000, -EINVAL, 0 },
	{ "argsz short", UNMAPSZ - 1, 0, 0x100000, 0x2000, -EINVAL, 0 },
	{ "ALL with an iova", UNMAPSZ, ALL, 0x100000, 0, -EINVAL, 0 },
	{ "ALL with a size", UNMAPSZ, ALL, 0, 0x1000, -EINVAL, 0 },
	{ "dirty bitmap", UNMAPSZ, DIRTY, 0x100000, 0x2000, -EINVAL, 0 },
	{ "dirty bitmap and ALL", UNMAPSZ, DIRTY | ALL, 0, 0, -EINVAL, 0 },
	{ "size 0", UNMAPSZ, 0, 0x100000, 0, -EINVAL, 0 },
	{ "iova unaligned", UNMAPSZ, 0, 0x100800, 0x1000, -EINVAL, 0 },
	{ "size unaligned", UNMAPSZ, 0, 0x100000, 0x1800, -EINVAL, 0 },
	{ "wraps", UNMAPSZ, 0, 0xfffffffffffff000ULL, 0x2000, -EINVAL, 0 },
	{ "splits A at its start", UNMAPSZ, 0, 0x101000, 0x1000, -EINVAL, 0 },
	{ "splits A at its end", UNMAPSZ, 0, 0x100000, 0x1000, -EINVAL, 0 },
	{ "B whole, C split", UNMAPSZ, 0, 0x200000, 0x101000, -EINVAL, 0 },
	{ "nothing there", UNMAPSZ, 0, 0x400000, 0x1000, 0, 0 },
	{ "A and B", UNMAPSZ, 0, 0xff000, 0x200000, 0, 0x3000 },
	{ "A again: nothing", UNMAPSZ, 0, 0x100000, 0x2000, 0, 0 },
	{ "all", UNMAPSZ, ALL, 0, 0, 0, 0x3000 },
};

static void map_abc(struct t1 *t)
{
	assert_int_equal(map(t, 0x100000, 0x2000), 0);
	assert_int_equal(map(t, 0x200000, 0x1000), 0);
	assert_int_equal(map(t, 0x300000, 0x3000), 0);
}

static void run_unmaps(struct t1 *t, const struct unmap_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		__u64 size = c[i].size;
		int rc = unmap_raw(t, c[i].argsz, c[i].flags, c[i].iova, &size);

		if (rc != c[i].ret)
			fail_msg("unmap %s: rc %d, want %d", c[i].what, rc,
				 c[i].ret);
		if (!rc && size != c[i].unmapped)
			fail_msg("unmap %s: size 0x%llx, want 0x%llx", c[i].what,
				 (unsigned long long)size,
				 (unsigned long long)c[i].unmapped);
	}
}

static void test_unmap_v2(void **state)
{
	struct t1 *t = *state;

	map_abc(t);
	run_unmaps(t, unmap_v2_cases,
		   sizeof(unmap_v2_cases) / sizeof(unmap_v2_cases[0]));
	assert_int_equal(ioc(t, VFIO_IOMMU_UNMAP_DMA, 0), -EFAULT);
}

/* v1: an unmap starting inside a mapping takes nothing; one covering a
 * mapping's first page takes all of it */
static const struct unmap_case unmap_v1_cases[] = {
	{ "starts inside A", UNMAPSZ, 0, 0x101000, 0x1000, 0, 0 },
	{ "inside A, over B: nothing", UNMAPSZ, 0, 0x101000, 0x200000, 0, 0 },
	{ "A's first page: all of A", UNMAPSZ, 0, 0x100000, 0x1000, 0, 0x2000 },
	{ "B and C's first page", UNMAPSZ, 0, 0x1ff000, 0x102000, 0, 0x4000 },
	{ "still v2's flag rules", UNMAPSZ, ALL, 0, 0x1000, -EINVAL, 0 },
	{ "nothing left", UNMAPSZ, ALL, 0, 0, 0, 0 },
};

static void test_unmap_v1(void **state)
{
	struct t1 *t = *state;

	map_abc(t);
	run_unmaps(t, unmap_v1_cases,
		   sizeof(unmap_v1_cases) / sizeof(unmap_v1_cases[0]));
}

static __u32 dma_avail(struct t1 *t)
{
	struct ref_vfio_usage u;

	assert_int_equal(ref_vfio_container_usage(t->c, &u), 0);
	return u.dma_avail;
}

static void test_entry_limit(void **state)
{
	struct vfio_container *c = vfio_container_open();
	struct t1 *t = *state, t2 = { .c = c };
	__u64 size = 0x1000;

	/* the module parameter, read at VFIO_SET_IOMMU */
	ref_vfio_type1_set_dma_entry_limit(2);
	intel_group(&t2.g[0], 7, 39);
	assert_int_equal(vfio_container_attach_group(c, &t2.g[0]), 0);
	assert_int_equal(ioc(&t2, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	assert_int_equal(map(&t2, 0x100000, 0x1000), 0);
	assert_int_equal(map(&t2, 0x200000, 0x1000), 0);
	assert_int_equal(map(&t2, 0x300000, 0x1000), -ENOSPC);
	/* checked before the IOVA list: -ENOSPC, not -EINVAL */
	assert_int_equal(map(&t2, MSI_START, 0x1000), -ENOSPC);
	assert_int_equal(dma_avail(&t2), 0);
	assert_int_equal(unmap(&t2, 0, 0x100000, &size), 0);
	assert_int_equal(dma_avail(&t2), 1);
	vfio_container_close(c);
	/* per container (the model's knob) */
	assert_int_equal(dma_avail(t), 65535);
	assert_int_equal(map(t, 0x100000, 0x1000), 0);
	assert_int_equal(map(t, 0x200000, 0x1000), 0);
	assert_int_equal(ref_vfio_container_set_dma_entry_limit(t->c, 1),
			 -ENOSPC);
	assert_int_equal(ref_vfio_container_set_dma_entry_limit(t->c, 3), 0);
	assert_int_equal(dma_avail(t), 1);
	assert_int_equal(map(t, 0x300000, 0x1000), 0);
	assert_int_equal(map(t, 0x400000, 0x1000), -ENOSPC);
}

static void test_memlock(void **state)
{
	struct t1 *t = *state;
	struct ref_vfio_usage u;
	__u64 size = 0x4000;

	ref_vfio_type1_set_memlock(0x5000, false);	/* 5 pages */
	assert_int_equal(map(t, 0x100000, 0x4000), 0);
	assert_int_equal(ref_vfio_type1_locked_vm(), 4);
	assert_int_equal(map(t, 0x200000, 0x2000), -ENOMEM);
	assert_int_equal(ref_vfio_type1_locked_vm(), 4);
	assert_int_equal(dma_avail(t), 65534);	/* the failed one is gone */
	assert_int_equal(map(t, 0x200000, 0x1000), 0);
	/* CAP_IPC_LOCK: no limit, still counted */
	ref_vfio_type1_set_memlock(0x5000, true);
	assert_int_equal(map(t, 0x300000, 0x3000), 0);
	assert_int_equal(ref_vfio_type1_locked_vm(), 8);
	assert_int_equal(ref_vfio_container_usage(t->c, &u), 0);
	assert_int_equal(u.locked_pages, 8);
	assert_int_equal(u.mapped_bytes, 0x8000);
	assert_int_equal(u.nr_dma, 3);
	assert_int_equal(unmap(t, 0, 0x100000, &size), 0);
	assert_int_equal(ref_vfio_type1_locked_vm(), 4);
	/* the rlimit is in bytes, counted in whole pages */
	ref_vfio_type1_set_memlock(0x5fff, false);
	assert_int_equal(map(t, 0x400000, 0x1000), 0);
	assert_int_equal(map(t, 0x500000, 0x1000), -ENOMEM);
}

/* Maps of a container with only an emulated group are not pinned; the
 * first IOMMU domain pins them all (and may fail on the limit) */
static void test_memlock_replay(void **state)
{
	struct t1 *t = *state, t2 = { .c = vfio_container_open() };
	(void)t;

	ref_iommu_group_init_intel(&t2.g[0], 8, 39);
	t2.g[0].type = VFIO_EMULATED_IOMMU;
	intel_group(&t2.g[1], 9, 39);
	assert_int_equal(vfio_container_attach_group(t2.c, &t2.g[0]), 0);
	assert_int_equal(ioc(&t2, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), 0);
	/* no IOVA list: any IOVA, even the MSI window */
	assert_int_equal(map(&t2, MSI_START, 0x2000), 0);
	assert_int_equal(map(&t2, 0x100000, 0x2000), 0);
	assert_int_equal(ref_vfio_type1_locked_vm(), 0);
	assert_int_equal(ioc(&t2, VFIO_CHECK_EXTENSION, VFIO_UPDATE_VADDR), 0);
	assert_int_equal(ioc(&t2, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU), 1);
	{
		__u64 size = 0x2000;

		assert_int_equal(unmap(&t2, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000,
				       &size), -EBUSY);
	}
	ref_vfio_type1_set_memlock(0x3000, false);
	/* the MSI mapping collides with the new group's region first */
	assert_int_equal(vfio_container_attach_group(t2.c, &t2.g[1]), -EINVAL);
	{
		__u64 size = 0x2000;

		assert_int_equal(unmap(&t2, 0, MSI_START, &size), 0);
		assert_int_equal(size, 0x2000);
	}
	assert_int_equal(map(&t2, 0x200000, 0x2000), 0);
	assert_int_equal(vfio_container_attach_group(t2.c, &t2.g[1]), -ENOMEM);
	assert_int_equal(ref_vfio_type1_locked_vm(), 0);
	ref_vfio_type1_set_memlock(0x4000, false);
	assert_int_equal(vfio_container_attach_group(t2.c, &t2.g[1]), 0);
	assert_int_equal(ref_vfio_type1_locked_vm(), 4);
	/* the real group leaves: unpinned, kept for the emulated one */
	assert_int_equal(vfio_group_unset_container(&t2.g[1]), 0);
	assert_int_equal(ref_vfio_type1_locked_vm(), 0);
	assert_int_equal(map(&t2, 0x300000, 0x1000), 0);
	vfio_container_close(t2.c);
}

/* The chain, byte for byte, as 6.12 writes it */
static size_t expected_info(__u8 *buf, __u32 avail, __u64 pgsizes)
{
	struct vfio_iommu_type1_info *info = (void *)buf;
	struct vfio_iommu_type1_info_cap_migration *mig = (void *)(buf + 24);
	struct vfio_iommu_type1_info_dma_avail *dma = (void *)(buf + 56);
	struct vfio_iommu_type1_info_cap_iova_range *r = (void *)(buf + 72);

	*info = (struct vfio_iommu_type1_info){
		.argsz = 120, .flags = VFIO_IOMMU_INFO_PGSIZES |
		VFIO_IOMMU_INFO_CAPS, .iova_pgsizes = pgsizes, .cap_offset = 24,
	};
	mig->header = (struct vfio_info_cap_header){
		.id = VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, .version = 1,
		.next = 56 };
	mig->pgsize_bitmap = 0x1000;
	mig->max_dirty_bitmap_size = 0x10000000;
	dma->header = (struct vfio_info_cap_header){
		.id = VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, .version = 1, .next = 72 };
	dma->avail = avail;
	r->header = (struct vfio_info_cap_header){
		.id = VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, .version = 1 };
	r->nr_iovas = 2;
	r->iova_ranges[0].start = 0;
	r->iova_ranges[0].end = MSI_START - 1;
	r->iova_ranges[1].start = MSI_LAST + 1;
	r->iova_ranges[1].end = AW39_END;
	return 120;
}

static long get_info(struct t1 *t, __u8 *buf, __u32 argsz)
{
	memset(buf, 0xaa, 256);
	((struct vfio_iommu_type1_info *)buf)->argsz = argsz;
	return ioc(t, VFIO_IOMMU_GET_INFO, (unsigned long)buf);
}

static void test_get_info(void **state)
{
	__u8 want[256] = { 0 }, got[256];
	struct t1 *t = *state;
	size_t n;

	assert_int_equal(map(t, 0x100000, 0x1000), 0);
	n = expected_info(want, 65534, 0x40201000);
	memset(want + n, 0xaa, sizeof(want) - n);
	assert_int_equal(get_info(t, got, 120), 0);
	assert_memory_equal(got, want, 256);
	/* a larger buffer keeps its argsz */
	assert_int_equal(get_info(t, got, 256), 0);
	((struct vfio_iommu_type1_info *)want)->argsz = 256;
	assert_memory_equal(got, want, 256);
	((struct vfio_iommu_type1_info *)want)->argsz = 120;
	/* one byte short: argsz says what is needed, no chain */
	assert_int_equal(get_info(t, got, 119), 0);
	assert_memory_equal(got, want, 16);
	assert_int_equal(((struct vfio_iommu_type1_info *)got)->cap_offset, 0);
	assert_int_equal(got[20], 0);	/* 6.12 writes min(argsz, 24) bytes */
	assert_int_equal(got[24], 0xaa);
	/* argsz 20: cap_offset written, the padding not */
	assert_int_equal(get_info(t, got, 20), 0);
	assert_int_equal(((struct vfio_iommu_type1_info *)got)->argsz, 120);
	assert_int_equal(((struct vfio_iommu_type1_info *)got)->cap_offset, 0);
	assert_int_equal(got[20], 0xaa);
	/* the minimum: argsz, flags, page sizes */
	assert_int_equal(get_info(t, got, 16), 0);
	assert_memory_equal(got + 4, want + 4, 12);
	assert_int_equal(got[16], 0xaa);
	assert_int_equal(get_info(t, got, 15), -EINVAL);
}

/* put VALUE's SIZE bytes at buf + off (the 6.1 chain is not aligned) */
#define PUT(buf, off, type, value) \
	do { type v_ = (value); memcpy((buf) + (off), &v_, sizeof(v_)); } while (0)

/*
 * Linux 6.1: vfio_info_cap_add() does not pad, so DMA_AVAIL is 12 bytes and
 * IOVA_RANGE starts at 68 (the chain is 116 bytes, not 120); the struct
 * goes back as 16 bytes below argsz 20, else 20 (never the padding)
 */
static void test_get_info_61(void **state)
{
	__u8 want[256], got[256];
	struct t1 *t = *state;

	assert_int_equal(ref_vfio_type1_set_linux(6, 2), -EINVAL);
	assert_int_equal(ref_vfio_type1_set_linux(6, 1), 0);
	assert_int_equal(map(t, 0x100000, 0x1000), 0);
	memset(want, 0xaa, sizeof(want));
	PUT(want, 0, __u32, 116);
	PUT(want, 4, __u32, VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS);
	PUT(want, 8, __u64, 0x40201000);
	PUT(want, 16, __u32, 24);
	PUT(want, 24, struct vfio_info_cap_header,
	    ((struct vfio_info_cap_header){ VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 1, 56 }));
	PUT(want, 32, __u32, 0);
	PUT(want, 36, __u32, 0);
	PUT(want, 40, __u64, 0x1000);
	PUT(want, 48, __u64, 0x10000000);
	PUT(want, 56, struct vfio_info_cap_header,
	    ((struct vfio_info_cap_header){ VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1, 68 }));
	PUT(want, 64, __u32, 65534);
	PUT(want, 68, struct vfio_info_cap_header,
	    ((struct vfio_info_cap_header){ VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1, 0 }));
	PUT(want, 76, __u32, 2);
	PUT(want, 80, __u32, 0);
	PUT(want, 84, __u64, 0);
	PUT(want, 92, __u64, MSI_START - 1);
	PUT(want, 100, __u64, MSI_LAST + 1);
	PUT(want, 108, __u64, AW39_END);
	assert_int_equal(get_info(t, got, 116), 0);
	assert_memory_equal(got, want, 256);
	/* one byte short: argsz says what is needed, cap_offset 0, 20 bytes */
	assert_int_equal(get_info(t, got, 115), 0);
	assert_memory_equal(got, want, 16);
	assert_int_equal(((struct vfio_iommu_type1_info *)got)->cap_offset, 0);
	assert_int_equal(got[20], 0xaa);
	/* below 20: argsz, flags, page sizes only */
	assert_int_equal(get_info(t, got, 19), 0);
	assert_memory_equal(got, want, 16);
	assert_int_equal(got[16], 0xaa);
	assert_int_equal(ref_vfio_type1_set_linux(6, 12), 0);
	assert_int_equal(get_info(t, got, 116), 0);
	assert_int_equal(((struct vfio_iommu_type1_info *)got)->argsz, 120);
}

static const __u64 aw39[] = { 0, MSI_START - 1, MSI_LAST + 1, AW39_END };

static void test_attach_detach_iova(void **state)
{
	struct t1 *t = *state;
	struct iommu_group *g1 = &t->g[1], *g2 = &t->g[2], *g3 = &t->g[3];
	static const __u64 with_hole[] = {
		0, 0x3fffffff, 0x50000000, MSI_START - 1, MSI_LAST + 1, AW39_END,
	};
	static const __u64 aw36[] = {
		0, MSI_START - 1, MSI_LAST + 1, 0xfffffffffULL,
	};
	__u64 r[8], pgsizes;

	assert_ranges(t, 2, aw39);
	/* a relaxable direct region is no hole; a reserved one is */
	intel_group(g1, 2, 39);
	ref_iommu_group_add_resv(g1, 0, 0xffffff, IOMMU_RESV_DIRECT_RELAXABLE);
	ref_iommu_group_add_resv(g1, 0x40000000, 0x4fffffff,
				 IOMMU_RESV_RESERVED);
	assert_int_equal(vfio_container_attach_group(t->c, g1), 0);
	assert_ranges(t, 3, with_hole);
	/* a narrower aperture (aw 36) cuts the last range */
	intel_group(g2, 3, 36);
	assert_int_equal(vfio_container_attach_group(t->c, g2), 0);
	r[0] = 0; r[1] = 0x3fffffff; r[2] = 0x50000000; r[3] = MSI_START - 1;
	r[4] = MSI_LAST + 1; r[5] = 0xfffffffffULL;
	assert_ranges(t, 3, r);
	/* the hole goes with its group; the aperture stays (same domain) */
	assert_int_equal(vfio_group_unset_container(g1), 0);
	assert_ranges(t, 2, aw36);
	/* another IOMMU driver: its own domain, its page sizes ANDed in */
	intel_group(g3, 4, 39);
	g3->domain_ops = 1;
	g3->pgsize_bitmap = 0x11000;
	assert_int_equal(vfio_container_attach_group(t->c, g3), 0);
	assert_int_equal(info_ranges(t, r, &pgsizes), 2);
	assert_int_equal(pgsizes, 0x1000);
	/* its domain goes: the aperture is the remaining domain's (aw 39) */
	assert_int_equal(vfio_group_unset_container(g3), 0);
	assert_int_equal(info_ranges(t, r, &pgsizes), 2);
	assert_int_equal(pgsizes, 0x40201000);
	assert_ranges(t, 2, aw39);
	assert_int_equal(vfio_group_unset_container(g2), 0);
	assert_ranges(t, 2, aw39);
}

/* A group whose layout collides with the mappings is refused (-EINVAL)
 * and changes nothing */
static void test_hotplug_refused(void **state)
{
	struct t1 *t = *state;
	struct iommu_group *g1 = &t->g[1], *g2 = &t->g[2];
	__u64 size = 0x1000;

	assert_int_equal(map(t, 0x40000000, 0x1000), 0);
	assert_int_equal(map(t, 0x1000000000ULL, 0x1000), 0);	/* 64 GiB */
	intel_group(g1, 2, 39);
	ref_iommu_group_add_resv(g1, 0x40000000, 0x4fffffff,
				 IOMMU_RESV_RESERVED);
	assert_int_equal(vfio_container_attach_group(t->c, g1), -EINVAL);
	assert_null(g1->container);
	intel_group(g2, 3, 36);	/* aperture ends below 64 GiB */
	assert_int_equal(vfio_container_attach_group(t->c, g2), -EINVAL);
	assert_ranges(t, 2, aw39);
	assert_int_equal(unmap(t, 0, 0x1000000000ULL, &size), 0);
	assert_int_equal(vfio_container_attach_group(t->c, g2), 0);
	/* a relaxable region over a mapping does not refuse */
	ref_iommu_group_init_intel(g1, 2, 39);
	ref_iommu_group_add_resv(g1, 0x40000000, 0x4fffffff,
				 IOMMU_RESV_DIRECT_RELAXABLE);
	assert_int_equal(vfio_container_attach_group(t->c, g1), 0);
}

static void test_interrupts_nesting(void **state)
{
	struct t1 t = { .c = vfio_container_open() };
	(void)state;

	intel_group(&t.g[0], 1, 39);
	assert_int_equal(vfio_container_attach_group(t.c, &t.g[0]), 0);
	assert_int_equal(ioc(&t, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU), -EPERM);
	t.g[0].isolated_msi = true;
	assert_int_equal(ioc(&t, VFIO_SET_IOMMU, VFIO_TYPE1_NESTING_IOMMU),
			 -EINVAL);
	t.g[0].can_nest = true;
	assert_int_equal(ioc(&t, VFIO_SET_IOMMU, VFIO_TYPE1_NESTING_IOMMU), 0);
	vfio_container_close(t.c);
}

static int set_vaddr(struct t1 *t, __u64 iova, __u64 size)
{
	return map_raw(t, MAPSZ, VFIO_DMA_MAP_FLAG_VADDR, VA + 0x10000000,
		       iova, size);
}

static void test_vaddr(void **state)
{
	struct t1 *t = *state;
	struct iommu_group *g1 = &t->g[1];
	__u64 size = 0x101000;

	map_abc(t);
	/* invalidate A and B */
	assert_int_equal(unmap(t, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000, &size),
			 0);
	assert_int_equal(size, 0x3000);
	/* a new vaddr for A: the same iova and size only */
	assert_int_equal(set_vaddr(t, 0x100000, 0x1000), -EINVAL);
	assert_int_equal(set_vaddr(t, 0x100000, 0x2000), 0);
	assert_int_equal(set_vaddr(t, 0x100000, 0x2000), -EINVAL);
	/* A again, then B which is invalid already: A is restored */
	size = 0x101000;
	assert_int_equal(unmap(t, VFIO_DMA_UNMAP_FLAG_VADDR, 0x100000, &size),
			 -EINVAL);
	assert_int_equal(set_vaddr(t, 0x100000, 0x2000), -EINVAL);
	/* no attach while a vaddr is invalid */
	intel_group(g1, 2, 39);
	assert_int_equal(vfio_container_attach_group(t->c, g1), -EBUSY);
	assert_int_equal(set_vaddr(t, 0x200000, 0x1000), 0);
	assert_int_equal(vfio_container_attach_group(t->c, g1), 0);
	size = 0;
	assert_int_equal(unmap(t, ALL | VFIO_DMA_UNMAP_FLAG_VADDR, 0, &size), 0);
	assert_int_equal(size, 0x6000);
}

static void test_api_direct(void **state)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .flags = RWF, .vaddr = VA, .iova = 0,
		.size = 0x1000,
	};
	struct iommu_group g;
	void *iommu = vfio_iommu_type1_open(VFIO_TYPE1v2_IOMMU);
	(void)state;

	/* the driver alone: no domain, no IOVA list, no pinning */
	assert_int_equal(vfio_iommu_type1_ioctl(iommu, VFIO_IOMMU_MAP_DMA,
						(unsigned long)&m), 0);
	intel_group(&g, 5, 39);
	g.isolated_msi = true;
	assert_int_equal(vfio_iommu_type1_attach_group(iommu, &g, VFIO_IOMMU),
			 0);
	assert_int_equal(ref_vfio_type1_locked_vm(), 1);
	assert_int_equal(vfio_iommu_type1_attach_group(iommu, &g, VFIO_IOMMU),
			 -EINVAL);
	vfio_iommu_type1_detach_group(iommu, &g);
	assert_int_equal(ref_vfio_type1_locked_vm(), 0);
	vfio_iommu_type1_release(iommu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_open_types),
		cmocka_unit_test(test_interrupts_nesting),
		cmocka_unit_test(test_api_direct),
#define V2(fn) cmocka_unit_test_setup_teardown(fn, setup_v2, teardown)
		V2(test_map_rules),
		V2(test_unmap_v2),
		cmocka_unit_test_setup_teardown(test_unmap_v1, setup_v1, teardown),
		V2(test_entry_limit),
		V2(test_memlock),
		V2(test_memlock_replay),
		V2(test_get_info),
		V2(test_get_info_61),
		V2(test_attach_detach_iova),
		V2(test_hotplug_refused),
		V2(test_vaddr),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
