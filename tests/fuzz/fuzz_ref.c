// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for libdmaref: the input is a sequence of 32-byte
 * records, each one iommufd / VFIO / window / raw ioctl with fuzzed
 * arguments. After every record the invariants of every IOAS are checked
 * (no two areas overlap, no area touches a reserved range, usage = sum of
 * areas, interval trees valid); a violation aborts. Build/run: make fuzz.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vfio.h>
#include "ref_helpers.h"
#include "ref/window.h"

struct record {
	uint8_t op, sel, flags, misc;
	uint32_t small;
	uint64_t a, b, c;
};

/* Interesting values: small, page multiples, near the top, raw */
static uint64_t shape(uint64_t v, uint8_t how)
{
	switch (how & 3) {
	case 0:
		return v & 0xffffff;
	case 1:
		return (v & 0xffff) << 12;
	case 2:
		return UINT64_MAX - (v & 0xffff);
	default:
		return v;
	}
}

static void check_all(struct iommufd_ctx *ctx)
{
	const char *why;
	__u32 id;

	for (id = 1; id != 16; id++) {
		if (ref_ioas_check(ctx, id, &why) == -EUCLEAN) {
			fprintf(stderr, "fuzz_ref: IOAS %u: %s\n", id, why);
			abort();
		}
	}
}

static void raw_ioctl(struct iommufd_ctx *ctx, const struct record *r)
{
	__u64 buf[32] = {};
	unsigned int nr = 0x7f + r->misc % 0x24;

	memcpy(buf, &r->a, 24);
	((__u32 *)buf)[0] = r->small % sizeof(buf);
	/* no stray user pointers (allowed_iovas is at offset 16) */
	if (nr == IOMMUFD_CMD_IOAS_IOVA_RANGES ||
	    nr == IOMMUFD_CMD_IOAS_ALLOW_IOVAS)
		buf[2] = 0;
	if (nr < IOMMUFD_CMD_BASE)	/* VFIO: structured ops only */
		return;
	iommufd_fops_ioctl(ctx, _IO(IOMMUFD_TYPE, nr), (unsigned long)buf);
}

static void one_record(struct iommufd_ctx *ctx, const struct record *r)
{
	struct iommu_iova_range ranges[4];
	__u32 ioas = 1 + r->sel % 4, id, num;
	__u64 x = shape(r->a, r->misc), y = shape(r->b, r->misc >> 2);
	__u64 z = shape(r->c, r->misc >> 4);

	switch (r->op % 14) {
	case 0:
	case 1:
		t_map(ctx, ioas, r->flags & 0xf, z, y, &x);
		break;
	case 2:
		t_unmap(ctx, ioas, x, &y);
		break;
	case 3:
		t_copy(ctx, 1 + r->small % 4, ioas, r->flags & 0xf, x, y, &z);
		break;
	case 4:
		num = r->small % 5;
		for (id = 0; id != num; id++) {
			ranges[id].start = shape(r->a + id * r->c, r->misc);
			ranges[id].last = ranges[id].start + (y >> id);
		}
		t_allow(ctx, ioas, ranges, num);
		break;
	case 5:
		num = r->small % 5;
		t_iova_ranges(ctx, ioas, ranges, &num, NULL);
		break;
	case 6:
		t_add_reserved(ctx, ioas, x, y);
		break;
	case 7:
		t_mock_domain(ctx, r->sel % 16, NULL, NULL, NULL);
		break;
	case 8:
		t_destroy(ctx, r->sel % 16);
		break;
	case 9: {
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map), .flags = r->flags & 7,
			.vaddr = z, .iova = x, .size = y,
		};

		iommufd_fops_ioctl(ctx, VFIO_IOMMU_MAP_DMA,
				   (unsigned long)&map);
		break;
	}
	case 10: {
		struct vfio_iommu_type1_dma_unmap unmap = {
			.argsz = sizeof(unmap), .flags = r->flags & 3,
			.iova = x, .size = y,
		};

		iommufd_fops_ioctl(ctx, VFIO_IOMMU_UNMAP_DMA,
				   (unsigned long)&unmap);
		break;
	}
	case 11:
		id = ioas;
		t_vfio_ioas(ctx, r->flags % 4, &id);
		iommufd_fops_ioctl(ctx, VFIO_SET_IOMMU, 1 + r->small % 4);
		break;
	case 12: {
		struct iommu_ioas_window_add add = {
			.size = sizeof(add), .ioas_id = ioas, .base = x,
			.length = y, .page_size = 1ULL << (r->small % 40),
		};
		struct iommu_ioas_window_request req = {
			.size = sizeof(req), .ioas_id = ioas, .min_length = z,
		};

		if (r->flags & 1)
			iommufd_fops_ioctl(ctx, IOMMU_IOAS_WINDOW_ADD,
					   (unsigned long)&add);
		else
			iommufd_fops_ioctl(ctx, IOMMU_IOAS_WINDOW_REQUEST,
					   (unsigned long)&req);
		break;
	}
	default:
		raw_ioctl(ctx, r);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	struct record r;
	int i;

	if (!ctx)
		abort();
	for (i = 0; i != 4; i++)
		t_ioas_alloc(ctx, NULL);
	for (; size >= sizeof(r); data += sizeof(r), size -= sizeof(r)) {
		memcpy(&r, data, sizeof(r));
		one_record(ctx, &r);
		check_all(ctx);
	}
	iommufd_ctx_destroy(ctx);
	return 0;
}
