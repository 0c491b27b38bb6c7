// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload ref backend: operations go to libdmaref's iommufd_fops_ioctl(),
 * the userspace model of /dev/iommu. One context per run, like one open fd.
 * Native VFIO type1: backend_ref_vfio.c.
 */
#include <errno.h>
#include <stdint.h>
#include "backend.h"
#include "ref/iommufd.h"

static int ref_open(struct dmaload_backend *be, const char **err_msg)
{
	struct iommufd_ctx *ictx = iommufd_ctx_create();

	if (!ictx) {
		*err_msg = "ref backend: cannot create an iommufd context";
		return -ENOMEM;
	}
	be->priv = ictx;
	return 0;
}

static void ref_close(struct dmaload_backend *be)
{
	be->vfio_close(be);
	if (be->priv)
		iommufd_ctx_destroy(be->priv);
	be->priv = NULL;
}

static int ref_ioctl(struct dmaload_backend *be, unsigned long cmd, void *arg)
{
	return iommufd_fops_ioctl(be->priv, cmd, (unsigned long)(uintptr_t)arg);
}

static struct dmaload_backend ref_backend = {
	.name = "ref",
	.open = ref_open,
	.close = ref_close,
	.ioctl = ref_ioctl,
	.supports_windows = 1,
	.no_user_memory = 1,
};

struct dmaload_backend *dmaload_backend_ref(void)
{
	dmaload_ref_vfio_init(&ref_backend);
	return &ref_backend;
}
