/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksft-compat.h: force-included (-include) when tools/vm/build-ksft.sh
 * builds the kernel's iommufd selftest (tools/testing/selftests/iommu/
 * iommufd.c) from Debian's linux-source-6.12 (6.12.117-1~deb12u1).
 *
 * Why: that package's selftest was updated by stable backports past its
 * own uAPI. iommufd.c and iommufd_utils.h use names that only later
 * kernels' include/uapi/linux/iommufd.h and iommufd_test.h have, so the
 * build fails against the headers of the very same tree:
 *   IOMMU_HW_INFO_TYPE_DEFAULT, IOMMU_HW_INFO_FLAG_INPUT_TYPE,
 *   struct iommu_hw_info.in_data_type   (uAPI: IOMMU_GET_HW_INFO input)
 *   MOCK_FLAGS_DEVICE_PASID, MOCK_PASID_WIDTH   (mock device with PASID)
 *
 * The values below are the later kernels' ABI. On a 6.12 kernel:
 * - IOMMU_HW_INFO_TYPE_DEFAULT is 0, the same number as 6.12's
 *   IOMMU_HW_INFO_TYPE_NONE; with it the selftest leaves
 *   IOMMU_HW_INFO_FLAG_INPUT_TYPE clear, so 6.12 sees the request it knows.
 * - in_data_type is, in later kernels, a union with out_data_type at the
 *   same offset; 6.12 only has out_data_type (an output, which 6.12
 *   overwrites), so the selftest's writes go there.
 * - 6.12's mock driver knows no MOCK_FLAGS_DEVICE_PASID (mock_dev_create()
 *   refuses unknown flags with -EINVAL), so the fixture variant with
 *   .pasid_capable set, iommufd_ioas.mock_domain, fails every test in its
 *   setup on 6.12 (seen: iommufd.c:229).
 * - get_hw_info asks for IOMMU_HW_INFO_TYPE_SELFTEST as input type, i.e.
 *   sets IOMMU_HW_INFO_FLAG_INPUT_TYPE, which 6.12 refuses (-EOPNOTSUPP:
 *   it takes no flags), so it fails with a mock device (iommufd.c:625).
 * The VM suite (tests/vm/40-selftest.t) runs neither.
 * Nothing here changes what the IOAS map/unmap/copy/iova_ranges/
 * allow_iovas tests send to the kernel.
 */
#ifndef DMATRACE_KSFT_COMPAT_H
#define DMATRACE_KSFT_COMPAT_H

#define IOMMU_HW_INFO_TYPE_DEFAULT	0
#define IOMMU_HW_INFO_FLAG_INPUT_TYPE	(1 << 0)
#define in_data_type			out_data_type
#define MOCK_FLAGS_DEVICE_PASID		(1 << 2)
#define MOCK_PASID_WIDTH		20

#endif
