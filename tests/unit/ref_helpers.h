/* SPDX-License-Identifier: GPL-2.0 */
/* Small wrappers around iommufd_fops_ioctl() for the ref's tests/fuzzer */
#ifndef DMATRACE_TESTS_REF_HELPERS_H
#define DMATRACE_TESTS_REF_HELPERS_H

#include "ref/iommufd.h"

/* cmocka group fixture: a context with one IOAS */
struct fixture {
	struct iommufd_ctx *ctx;
	__u32 ioas;
};

int setup(void **state);
int teardown(void **state);

#define RW (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define FIXED (IOMMU_IOAS_MAP_FIXED_IOVA)

int t_ioas_alloc(struct iommufd_ctx *ctx, __u32 *id);
int t_destroy(struct iommufd_ctx *ctx, __u32 id);
int t_map(struct iommufd_ctx *ctx, __u32 ioas, __u32 flags, __u64 uva,
	  __u64 length, __u64 *iova);
int t_unmap(struct iommufd_ctx *ctx, __u32 ioas, __u64 iova, __u64 *length);
int t_copy(struct iommufd_ctx *ctx, __u32 dst, __u32 src, __u32 flags,
	   __u64 src_iova, __u64 length, __u64 *dst_iova);
/* ranges: room for *num entries; *num is set to the kernel's count */
int t_iova_ranges(struct iommufd_ctx *ctx, __u32 ioas,
		  struct iommu_iova_range *ranges, __u32 *num, __u64 *align);
int t_allow(struct iommufd_ctx *ctx, __u32 ioas,
	    const struct iommu_iova_range *ranges, __u32 num);
int t_add_reserved(struct iommufd_ctx *ctx, __u32 ioas, __u64 start,
		   __u64 length);
int t_mock_domain(struct iommufd_ctx *ctx, __u32 pt_id, __u32 *stdev,
		  __u32 *hwpt, __u32 *idev);
int t_vfio_ioas(struct iommufd_ctx *ctx, __u16 op, __u32 *ioas);

#endif
