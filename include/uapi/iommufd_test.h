/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The iommufd selftest ioctl (CONFIG_IOMMUFD_TEST, Linux 6.12 ABI), the part
 * dmatrace uses: add a reserved range, attach a mock device/domain. The union
 * is padded to the kernel's full size: the kernel requires user_size to reach
 * the trailing 'last' field.
 */
#ifndef DMATRACE_UAPI_IOMMUFD_TEST_H
#define DMATRACE_UAPI_IOMMUFD_TEST_H

#include "iommufd.h"

enum {
	IOMMU_TEST_OP_ADD_RESERVED = 1,
	IOMMU_TEST_OP_MOCK_DOMAIN = 2,
};

/* What a mock domain imposes on its IOAS in Linux 6.12 (selftest.c) */
#define MOCK_APERTURE_START	0x1000000ULL
#define MOCK_APERTURE_LAST	0x7fffffffULL

struct iommu_test_cmd {
	__u32 size;
	__u32 op;
	__u32 id;
	__u32 __reserved;
	union {
		struct {
			__u64 start;
			__u64 length;
		} add_reserved;
		struct {
			__u32 out_stdev_id;
			__u32 out_hwpt_id;
			__u32 out_idev_id;
		} mock_domain;
		__u64 __pad[6];		/* largest member: 'dirty', 48 bytes */
	};
	__u32 last;
};
#define IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)

#endif /* DMATRACE_UAPI_IOMMUFD_TEST_H */
