/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EXTENSION, not Linux: the seed RFC's multi-window IOAS (iommufd RFC 11/20
 * discussion), modelled by libdmaref apart from mainline semantics.
 *
 * An IOAS enters "windows mode" with its first IOMMU_IOAS_WINDOW_ADD. A
 * window is [base, base + length - 1] translated with one page size (a
 * power of two >= 4 KiB); length need not be a power of two. The POWER
 * example: 0..2 GiB at 4 KiB and 2^59.. at 64 KiB.
 *
 * Rules in windows mode (mainline rules still apply first):
 *  - every map (IOAS_MAP, IOAS_COPY destination, VFIO MAP_DMA) must lie
 *    inside one window, else -EINVAL; its IOVA and length must be multiples
 *    of that window's page size, else -EINVAL;
 *  - automatic IOVAs are placed first-fit in the windows in base order,
 *    skipping windows whose page size does not divide the length, aligned
 *    to max(mainline alignment, page size); never IOVA 0; allowed ranges
 *    (IOAS_ALLOW_IOVAS) are not consulted; -ENOSPC if nothing fits;
 *  - IOAS_IOVA_RANGES keeps its mainline answer (holes of reserved ranges).
 *
 * WINDOW_ADD errors: flags -> -EOPNOTSUPP; no such IOAS -> -ENOENT;
 * length 0, page size not a power of two or < 4 KiB, base or length not a
 * multiple of the page size -> -EINVAL; base + length wraps -> -EOVERFLOW;
 * overlap with another window -> -EEXIST; more than IOMMU_IOAS_MAX_WINDOWS
 * -> -ENOSPC; the first window must contain every existing area, else
 * -EADDRINUSE.
 *
 * WINDOW_REQUEST ("I need at least N bytes"): among the windows with
 * length >= N (and, if page_size != 0, exactly that page size) answer the
 * SMALLEST one, ties to the lowest base; none -> -ENOSPC (also when the IOAS
 * has no windows); N == 0 -> -EINVAL. Free space inside the window is not
 * considered: the answer is a window, not an IOVA.
 *
 * The ioctl type 'w' collides neither with iommufd nor with VFIO (both use
 * ';'); a kernel answers these numbers with -ENOTTY.
 */
#ifndef DMATRACE_REF_WINDOW_H
#define DMATRACE_REF_WINDOW_H

#include "iommufd.h"

#define IOMMU_WINDOW_TYPE	('w')
#define IOMMU_IOAS_MAX_WINDOWS	16

struct iommu_ioas_window_add {
	__u32 size;
	__u32 ioas_id;
	__u64 base;
	__u64 length;
	__u64 page_size;
	__u32 flags;		/* must be 0 */
	__u32 out_window_index;	/* index in base order after the add */
};
#define IOMMU_IOAS_WINDOW_ADD _IO(IOMMU_WINDOW_TYPE, 0x01)

struct iommu_ioas_window_request {
	__u32 size;
	__u32 ioas_id;
	__u64 min_length;
	__u64 page_size;	/* 0: any page size */
	__u32 flags;		/* must be 0 */
	__u32 out_window_index;
	__u64 out_base;
	__u64 out_length;
	__u64 out_page_size;
};
#define IOMMU_IOAS_WINDOW_REQUEST _IO(IOMMU_WINDOW_TYPE, 0x02)

int iommufd_ioas_window_add(struct iommufd_ucmd *ucmd);
int iommufd_ioas_window_request(struct iommufd_ucmd *ucmd);

#endif /* DMATRACE_REF_WINDOW_H */
