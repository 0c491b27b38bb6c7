/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a tracer may read from libdmaref's memory beyond the uAPI structs.
 * Plain C, no includes: BPF programs include it next to vmlinux.h.
 *
 * 1. struct iommufd_ucmd (include/ref/iommufd.h), the first argument of
 *    every ioctl handler (iommufd_ioas_map, iommufd_ioas_unmap, ...):
 *        offset 0   struct iommufd_ctx *ictx
 *        offset 8   void *ubuffer      (the caller's uAPI struct)
 *        offset 16  __u32 user_size
 *        offset 24  void *cmd          (the ref's copy of the uAPI struct,
 *                                       valid while the handler runs; the
 *                                       handler writes results into it)
 * 2. struct io_pagetable, the iopt argument of iopt_map_user_pages,
 *    iopt_map_pages, iopt_unmap_iova, iopt_unmap_all, iopt_reserve_iova,
 *    iopt_remove_reserved_iova, iopt_set_allow_iova: its first member is the
 *    id of the IOAS that owns it (a __u32 at offset 0).
 */
#ifndef DMATRACE_REF_ABI_H
#define DMATRACE_REF_ABI_H

#define REF_UCMD_OFF_ICTX	0
#define REF_UCMD_OFF_UBUFFER	8
#define REF_UCMD_OFF_USER_SIZE	16
#define REF_UCMD_OFF_CMD	24

#define REF_IOPT_OFF_IOAS_ID	0

/* The leading part of the ref's struct io_pagetable */
struct ref_iopt_head {
	unsigned int ioas_id;
};

#endif /* DMATRACE_REF_ABI_H */
