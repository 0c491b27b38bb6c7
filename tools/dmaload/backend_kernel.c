// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload kernel backend: operations go to the running kernel through an
 * open /dev/iommu. One fd carries all three fronts the kernel offers there:
 *   - the iommufd ioctls (IOMMU_IOAS_*, IOMMU_DESTROY, IOMMU_VFIO_IOAS);
 *   - IOMMU_TEST_CMD (CONFIG_IOMMUFD_TEST: mock domain, reserved ranges);
 *   - the VFIO type1 container ioctls (VFIO_SET_IOMMU, VFIO_IOMMU_MAP_DMA,
 *     ...), which iommufd_fops_ioctl() hands to iommufd_vfio_ioctl() on the
 *     same fd (vfio_compat.c) once IOMMU_VFIO_IOAS has set a compat IOAS;
 *     before that they fail with -ENODEV.
 * The seed's multi-window extension does not exist in the kernel:
 * supports_windows is 0, and any ioctl number outside the kernel's iommufd
 * and VFIO ranges is refused here with -EOPNOTSUPP and a one-line message,
 * never sent to the kernel. Native VFIO type1 (/dev/vfio/vfio) is in
 * backend_kernel_vfio.c; a run of native type1 ops only (need_iommufd 0)
 * leaves /dev/iommu closed, so it runs on kernels without iommufd
 * (Debian's stock 6.1 and 6.12).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backend.h"
#include "uapi/iommufd_test.h"

#define IOMMU_DEV_PATH	"/dev/iommu"

struct kernel_priv {
	int fd;
};

static struct kernel_priv kernel_priv = { .fd = -1 };

static const char *kernel_open_error(int err)
{
	switch (err) {
	case ENOENT:
		return "no " IOMMU_DEV_PATH ": kernel without CONFIG_IOMMUFD (use --backend ref, or the VM tier)";
	case EACCES:
	case EPERM:
		return "cannot open " IOMMU_DEV_PATH ": permission denied (run as root)";
	case ENXIO:
	case ENODEV:
		return "cannot open " IOMMU_DEV_PATH ": iommufd driver not loaded (modprobe iommufd)";
	default:
		return "cannot open " IOMMU_DEV_PATH;
	}
}

static int kernel_open(struct dmaload_backend *be, const char **err_msg)
{
	struct kernel_priv *kp = be->priv;
	int fd;

	if (!be->need_iommufd)
		return 0;
	fd = open(IOMMU_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		*err_msg = kernel_open_error(err);
		return -err;
	}
	kp->fd = fd;
	return 0;
}

static void kernel_close(struct dmaload_backend *be)
{
	struct kernel_priv *kp = be->priv;

	be->vfio_close(be);
	if (kp->fd >= 0)
		close(kp->fd);
	kp->fd = -1;
}

/* Ioctl numbers Linux 6.12 serves on /dev/iommu: VFIO type1 and iommufd */
static bool kernel_knows_cmd(unsigned long cmd)
{
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) != IOMMUFD_TYPE)
		return false;
	if (nr >= VFIO_BASE && nr < IOMMUFD_CMD_BASE)
		return true;
	return nr >= IOMMUFD_CMD_BASE && nr <= _IOC_NR(IOMMU_TEST_CMD);
}

static int kernel_refuse(unsigned long cmd)
{
	static bool said;

	if (!said)
		fprintf(stderr, "dmaload: kernel backend: ioctl 0x%lx is not a Linux iommufd/VFIO ioctl; the seed's multi-window extension exists only in --backend ref\n",
			cmd);
	said = true;
	return -EOPNOTSUPP;
}

/*
 * The kernel's return value as is: 0 (or a positive value such as the
 * answer to VFIO_CHECK_EXTENSION), or -errno. VFIO_SET_IOMMU and
 * VFIO_CHECK_EXTENSION take an integer: the caller passes it cast to a
 * pointer, as ioctl(2) callers do.
 */
static int kernel_ioctl(struct dmaload_backend *be, unsigned long cmd,
			void *arg)
{
	struct kernel_priv *kp = be->priv;
	int ret;

	if (kp->fd < 0)
		return -EBADF;
	if (!kernel_knows_cmd(cmd))
		return kernel_refuse(cmd);
	ret = ioctl(kp->fd, cmd, (unsigned long)(uintptr_t)arg);
	return ret < 0 ? -errno : ret;
}

static struct dmaload_backend kernel_backend = {
	.name = "kernel",
	.open = kernel_open,
	.close = kernel_close,
	.ioctl = kernel_ioctl,
	.supports_windows = 0,
	.priv = &kernel_priv,
};

struct dmaload_backend *dmaload_backend_kernel(void)
{
	dmaload_kernel_vfio_init(&kernel_backend);
	return &kernel_backend;
}
