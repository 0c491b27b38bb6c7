/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload backends: where operations go. Both speak the iommufd uAPI as
 * ioctls on a handle, so scripts and scenarios run unchanged on either:
 *   ref:    libdmaref's iommufd_fops_ioctl() (userspace reference)
 *   kernel: ioctl() on an open /dev/iommu (tools/dmaload/backend_kernel.c)
 * ioctl() returns 0 or -errno, as the kernel handler does.
 *
 * Native VFIO type1 goes through the vfio_* calls: containers and groups
 * are named by the script's object slots (struct dl_op obj/obj2); the
 * backend keeps what each slot is (backend_ref_vfio.c: libdmaref's
 * containers and groups built from the script's layouts;
 * backend_kernel_vfio.c: /dev/vfio/vfio and /dev/vfio/N of the devices
 * given with --vfio-device).
 */
#ifndef DMALOAD_BACKEND_H
#define DMALOAD_BACKEND_H

#include <stddef.h>
#include "op.h"

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
	/*
	 * kernel: open /dev/iommu at open() only when this is set (main: a
	 * scenario, or a script with an op that is not native type1), so that
	 * a native type1 script runs on a kernel without iommufd
	 */
	int need_iommufd;
	void *priv;
	/* native VFIO type1: 0 or -errno (vfio_ioctl: or a positive answer) */
	int (*vfio_container)(struct dmaload_backend *be, int slot);
	int (*vfio_group)(struct dmaload_backend *be, int container, int group,
			  const struct dl_group_layout *layout);
	int (*vfio_ungroup)(struct dmaload_backend *be, int group);
	int (*vfio_ioctl)(struct dmaload_backend *be, int container,
			  unsigned long cmd, void *arg);
	int (*vfio_limit)(struct dmaload_backend *be, enum dl_limit what,
			  __u64 value);
	/* release every container and group (from close) */
	void (*vfio_close)(struct dmaload_backend *be);
};

struct dmaload_backend *dmaload_backend_ref(void);
struct dmaload_backend *dmaload_backend_kernel(void);

/* backend_ref_vfio.c, backend_kernel_vfio.c: fill be's vfio_* calls */
void dmaload_ref_vfio_init(struct dmaload_backend *be);
/* Ref backend: the Linux version native type1 models ("6.12", "6.1"); 0 or -EINVAL */
int dmaload_ref_linux(const char *version);
void dmaload_kernel_vfio_init(struct dmaload_backend *be);
/*
 * Kernel backend: the PCI devices (BDF, comma-separated) whose groups the
 * script's groups are, in order of first use; and the check, before
 * anything runs, that each group line's reserved regions are what
 * /sys/kernel/iommu_groups/N/reserved_regions says (0, or -1 with why)
 */
struct dl_script;
void dmaload_kernel_vfio_devices(const char *bdfs);
int dmaload_kernel_vfio_check(const struct dl_script *s, char *err,
			      size_t errlen);

#endif /* DMALOAD_BACKEND_H */
