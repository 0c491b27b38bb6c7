/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload backends: where operations go. Both speak the iommufd uAPI as
 * ioctls on a handle, so scripts and scenarios run unchanged on either:
 *   ref:    libdmaref's iommufd_fops_ioctl() (userspace reference)
 *   kernel: ioctl() on an open /dev/iommu (tools/dmaload/backend_kernel.c)
 * ioctl() returns 0 or -errno, as the kernel handler does.
 */
#ifndef DMALOAD_BACKEND_H
#define DMALOAD_BACKEND_H

struct dmaload_backend {
	const char *name;
	/* 0 or -errno; on error *err_msg (static) says why, in one line */
	int (*open)(struct dmaload_backend *be, const char **err_msg);
	void (*close)(struct dmaload_backend *be);
	/* iommufd and VFIO type1 (compat) ioctls; 0 or -errno */
	int (*ioctl)(struct dmaload_backend *be, unsigned long cmd, void *arg);
	/* extension ops the kernel cannot do return -EOPNOTSUPP here */
	int supports_windows;	/* seed multi-window extension */
	/*
	 * 1: user_va is never dereferenced (ref). 0 (default): the backend
	 * pins real pages, so dmaload makes its user buffer read-write over
	 * every range it maps first (tools/dmaload/ubuf.h).
	 */
	int no_user_memory;
	void *priv;
};

struct dmaload_backend *dmaload_backend_ref(void);
struct dmaload_backend *dmaload_backend_kernel(void);

#endif /* DMALOAD_BACKEND_H */
