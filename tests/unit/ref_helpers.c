// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "ref_helpers.h"

#define IOCTL(ctx, cmd, s) iommufd_fops_ioctl(ctx, cmd, (unsigned long)(s))

int t_ioas_alloc(struct iommufd_ctx *ctx, __u32 *id)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
	int rc = IOCTL(ctx, IOMMU_IOAS_ALLOC, &cmd);

	if (!rc && id)
		*id = cmd.out_ioas_id;
	return rc;
}

int t_destroy(struct iommufd_ctx *ctx, __u32 id)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	return IOCTL(ctx, IOMMU_DESTROY, &cmd);
}

int t_map(struct iommufd_ctx *ctx, __u32 ioas, __u32 flags, __u64 uva,
	  __u64 length, __u64 *iova)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd), .flags = flags, .ioas_id = ioas,
		.user_va = uva, .length = length, .iova = iova ? *iova : 0,
	};
	int rc = IOCTL(ctx, IOMMU_IOAS_MAP, &cmd);

	if (!rc && iova)
		*iova = cmd.iova;
	return rc;
}

int t_unmap(struct iommufd_ctx *ctx, __u32 ioas, __u64 iova, __u64 *length)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .iova = iova,
		.length = *length,
	};
	int rc = IOCTL(ctx, IOMMU_IOAS_UNMAP, &cmd);

	*length = cmd.length;
	return rc;
}

int t_copy(struct iommufd_ctx *ctx, __u32 dst, __u32 src, __u32 flags,
	   __u64 src_iova, __u64 length, __u64 *dst_iova)
{
	struct iommu_ioas_copy cmd = {
		.size = sizeof(cmd), .flags = flags, .dst_ioas_id = dst,
		.src_ioas_id = src, .length = length, .dst_iova = *dst_iova,
		.src_iova = src_iova,
	};
	int rc = IOCTL(ctx, IOMMU_IOAS_COPY, &cmd);

	if (!rc)
		*dst_iova = cmd.dst_iova;
	return rc;
}

int t_iova_ranges(struct iommufd_ctx *ctx, __u32 ioas,
		  struct iommu_iova_range *ranges, __u32 *num, __u64 *align)
{
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .num_iovas = *num,
		.allowed_iovas = (unsigned long)ranges,
	};
	int rc = IOCTL(ctx, IOMMU_IOAS_IOVA_RANGES, &cmd);

	*num = cmd.num_iovas;
	if (align)
		*align = cmd.out_iova_alignment;
	return rc;
}

int t_allow(struct iommufd_ctx *ctx, __u32 ioas,
	    const struct iommu_iova_range *ranges, __u32 num)
{
	struct iommu_ioas_allow_iovas cmd = {
		.size = sizeof(cmd), .ioas_id = ioas, .num_iovas = num,
		.allowed_iovas = (unsigned long)ranges,
	};

	return IOCTL(ctx, IOMMU_IOAS_ALLOW_IOVAS, &cmd);
}

int t_add_reserved(struct iommufd_ctx *ctx, __u32 ioas, __u64 start,
		   __u64 length)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd), .op = IOMMU_TEST_OP_ADD_RESERVED,
		.id = ioas,
		.add_reserved = { .start = start, .length = length },
	};

	return IOCTL(ctx, IOMMU_TEST_CMD, &cmd);
}

int t_mock_domain(struct iommufd_ctx *ctx, __u32 pt_id, __u32 *stdev,
		  __u32 *hwpt, __u32 *idev)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd), .op = IOMMU_TEST_OP_MOCK_DOMAIN,
		.id = pt_id,
	};
	int rc = IOCTL(ctx, IOMMU_TEST_CMD, &cmd);

	if (!rc) {
		if (stdev)
			*stdev = cmd.mock_domain.out_stdev_id;
		if (hwpt)
			*hwpt = cmd.mock_domain.out_hwpt_id;
		if (idev)
			*idev = cmd.mock_domain.out_idev_id;
	}
	return rc;
}

int t_vfio_ioas(struct iommufd_ctx *ctx, __u16 op, __u32 *ioas)
{
	struct iommu_vfio_ioas cmd = {
		.size = sizeof(cmd), .op = op, .ioas_id = *ioas,
	};
	int rc = IOCTL(ctx, IOMMU_VFIO_IOAS, &cmd);

	if (!rc)
		*ioas = cmd.ioas_id;
	return rc;
}

int setup(void **state)
{
	static struct fixture f;

	f.ctx = iommufd_ctx_create();
	if (!f.ctx || t_ioas_alloc(f.ctx, &f.ioas))
		return -1;
	*state = &f;
	return 0;
}

int teardown(void **state)
{
	struct fixture *f = *state;

	iommufd_ctx_destroy(f->ctx);
	return 0;
}
