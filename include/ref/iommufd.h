/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libdmaref: a userspace reference implementation of Linux 6.12 iommufd IOAS
 * semantics (drivers/iommu/iommufd/{ioas,io_pagetable,vfio_compat}.c), plus
 * the seed RFC's multi-window extension, kept apart (include/ref/window.h).
 *
 * Entry points carry the names of the kernel functions they model, are never
 * inlined and are exported from bin/libdmaref.so, so that dmatrace attaches
 * uprobes to them by symbol name exactly where it attaches fentry/kprobes in
 * the kernel. Return values are the kernel's: 0 or -errno.
 *
 * "User memory" is the caller's memory: pointers in uAPI structs
 * (allowed_iovas, VFIO arg) are plain pointers cast to __u64 / unsigned long.
 */
#ifndef DMATRACE_REF_IOMMUFD_H
#define DMATRACE_REF_IOMMUFD_H

#include <stddef.h>
#include "../uapi/iommufd.h"
#include "../uapi/iommufd_test.h"

#define REF_API __attribute__((visibility("default"), noinline, used))

struct iommufd_ctx;
struct io_pagetable;

/* iommu_prot bits (include/linux/iommu.h) */
#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)
#define IOMMU_CACHE	(1 << 2)

/* The kernel's struct iommufd_ucmd, same field order (see include/ref/abi.h) */
struct iommufd_ucmd {
	struct iommufd_ctx *ictx;
	void *ubuffer;
	__u32 user_size;
	void *cmd;
};

/* Context = one open /dev/iommu */
struct iommufd_ctx *iommufd_ctx_create(void);
void iommufd_ctx_destroy(struct iommufd_ctx *ictx);

/*
 * The /dev/iommu ioctl: like iommufd_fops_ioctl(): unknown cmd -ENOTTY,
 * size checks (-EINVAL / -E2BIG for non-zero trailing bytes), copies the
 * struct, dispatches to the handler, copies the struct back on success.
 * VFIO type1 cmds (VFIO_* from <linux/vfio.h>) go to iommufd_vfio_ioctl().
 */
int iommufd_fops_ioctl(struct iommufd_ctx *ictx, unsigned int cmd,
		       unsigned long arg);

/*
 * ioctl handlers (ioas.c, main.c, selftest.c) and the iopt_* layer: they
 * expect the context lock held, which iommufd_fops_ioctl() and
 * iommufd_vfio_ioctl() take; they are exported to be traced, not called.
 */
int iommufd_destroy(struct iommufd_ucmd *ucmd);
int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd);
int iommufd_ioas_map(struct iommufd_ucmd *ucmd);
int iommufd_ioas_unmap(struct iommufd_ucmd *ucmd);
int iommufd_ioas_copy(struct iommufd_ucmd *ucmd);
int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd);
int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd);
int iommufd_vfio_ioas(struct iommufd_ucmd *ucmd);
int iommufd_test(struct iommufd_ucmd *ucmd);	/* ADD_RESERVED, MOCK_DOMAIN */
int iommufd_option(struct iommufd_ucmd *ucmd);	/* RLIMIT_MODE, HUGE_PAGES */

/* VFIO type1 front (vfio_compat.c): MAP_DMA, UNMAP_DMA, GET_INFO, ... */
int iommufd_vfio_ioctl(struct iommufd_ctx *ictx, unsigned int cmd,
		       unsigned long arg);

/* io_pagetable layer (io_pagetable.c) */
enum { IOPT_ALLOC_IOVA = 1 << 0 };
int iopt_map_user_pages(struct iommufd_ctx *ictx, struct io_pagetable *iopt,
			unsigned long *iova, void *uptr, unsigned long length,
			int iommu_prot, unsigned int flags);
int iopt_unmap_iova(struct io_pagetable *iopt, unsigned long iova,
		    unsigned long length, unsigned long *unmapped);
int iopt_unmap_all(struct io_pagetable *iopt, unsigned long *unmapped);
int iopt_reserve_iova(struct io_pagetable *iopt, unsigned long start,
		      unsigned long last, void *owner);
void iopt_remove_reserved_iova(struct io_pagetable *iopt, void *owner);

/*
 * Ref-only introspection (tests, fuzzer, dmaload ground truth), taking the
 * context lock: usage of one IOAS, and its invariants (no two areas
 * overlap, no area touches a reserved range, usage = sum of the areas,
 * interval trees valid). 0, -ENOENT (no such IOAS) or -EUCLEAN with a
 * one-line reason in *why.
 */
struct ref_ioas_usage {
	__u64 nr_areas;
	__u64 mapped_bytes;
	__u64 nr_reserved;
	__u64 nr_allowed;
	__u64 iova_alignment;
};
int ref_ioas_usage(struct iommufd_ctx *ictx, __u32 ioas_id,
		   struct ref_ioas_usage *usage);
int ref_ioas_check(struct iommufd_ctx *ictx, __u32 ioas_id, const char **why);

#endif /* DMATRACE_REF_IOMMUFD_H */
