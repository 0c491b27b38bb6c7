/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VFIO device cdev uAPI (Linux 6.12 ABI: /dev/vfio/devices/vfioN bound
 * to an iommufd) as far as dmatrace's tools use it. Debian 12's
 * <linux/vfio.h> (6.1) has the type1 and region structs but predates the
 * cdev, so these are stated here. Include after <linux/vfio.h>.
 */
#ifndef DMATRACE_UAPI_VFIO_CDEV_H
#define DMATRACE_UAPI_VFIO_CDEV_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/vfio.h>

struct vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
};

#define VFIO_DEVICE_BIND_IOMMUFD	_IO(VFIO_TYPE, VFIO_BASE + 18)

struct vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pt_id;
};

#define VFIO_DEVICE_ATTACH_IOMMUFD_PT	_IO(VFIO_TYPE, VFIO_BASE + 19)
#define VFIO_DEVICE_DETACH_IOMMUFD_PT	_IO(VFIO_TYPE, VFIO_BASE + 20)

#endif /* DMATRACE_UAPI_VFIO_CDEV_H */
