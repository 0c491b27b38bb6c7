/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference library's functions share two uprobe programs, u_entry and
 * u_return (bpf/dmatrace_user.bpf.c), attached as one uprobe_multi link
 * each (Linux 6.6; before it, one uprobe link per function): the BPF
 * cookie of each function says which it is. Shared by the BPF object and
 * the loader (src/dmatrace/skel.c gives each attach point its cookie).
 */
#ifndef DMATRACE_UPROBE_H
#define DMATRACE_UPROBE_H

enum dt_ufn {
	DT_UFN_OP,		/* an op's handler (struct iommufd_ucmd *): the
				   op (enum dt_op) in the cookie's low half */
	DT_UFN_COMPAT_IOCTL,	/* iommufd_vfio_ioctl */
	DT_UFN_TYPE1_IOCTL,	/* vfio_iommu_type1_ioctl */
	DT_UFN_PIN,		/* vfio_pin_pages_remote */
	DT_UFN_T1_ATTACH,	/* vfio_iommu_type1_attach_group */
	DT_UFN_T1_DETACH,	/* vfio_iommu_type1_detach_group */
	DT_UFN_T1_RELEASE,	/* vfio_iommu_type1_release */
	DT_UFN_RESV,		/* iopt_reserve_iova */
	DT_UFN_RESV_REMOVE,	/* iopt_remove_reserved_iova */
	DT_UFN_TEARDOWN,	/* vfio_container_close, iommufd_ctx_destroy */
	DT_UFN_WINDOW_ADD,	/* iommufd_ioas_window_add */
};

#define DT_UFN_COOKIE(fn, op)	((__u64)(fn) << 32 | (__u32)(op))
#define DT_UFN_OF(cookie)	((__u32)((cookie) >> 32))
#define DT_UFN_OP_OF(cookie)	((__u32)(cookie))

#endif /* DMATRACE_UPROBE_H */
