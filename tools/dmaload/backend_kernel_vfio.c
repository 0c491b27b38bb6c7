// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload kernel backend, native VFIO type1: a container is an open
 * /dev/vfio/vfio; the script's groups are, in order of first use, the
 * IOMMU groups of the PCI devices given with --vfio-device (or
 * $DMALOAD_VFIO_DEVICE), bound to vfio-pci: /dev/vfio/N joined to the
 * container with VFIO_GROUP_SET_CONTAINER. The machine decides the layout:
 * the group lines' reserved regions are checked against
 * /sys/kernel/iommu_groups/N/reserved_regions before anything runs (the
 * address width and page sizes are the IOMMU's and are not checked).
 * limit entries writes the module parameter (restored at the end); limit
 * memlock sets RLIMIT_MEMLOCK and drops CAP_IPC_LOCK from the effective set
 * (unlimited: lifts both back).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "backend.h"
#include "script.h"

#define VFIO_CONTAINER_PATH	"/dev/vfio/vfio"
#define ENTRY_LIMIT_PARAM	"/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"
#define MAX_DEVICES		8

struct kernel_vfio {
	int container_fd[DL_MAX_OBJS];	/* by slot; 0: none */
	int group_fd[DL_MAX_OBJS];
	char devices[MAX_DEVICES][16];
	int nr_devices;
	int next_device;
	long saved_entry_limit;		/* -1: untouched */
};

static struct kernel_vfio kv = { .saved_entry_limit = -1 };

void dmaload_kernel_vfio_devices(const char *bdfs)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", bdfs);
	kv.nr_devices = 0;
	for (tok = strtok_r(buf, ",", &save); tok && kv.nr_devices < MAX_DEVICES;
	     tok = strtok_r(NULL, ",", &save))
		snprintf(kv.devices[kv.nr_devices++], sizeof(kv.devices[0]),
			 "%s", tok);
}

/* The IOMMU group number of a PCI device, or -errno */
static int device_group(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	return atoi(basename(link));
}

static const char *const resv_names[] = {
	[DL_RESV_DIRECT] = "direct",
	[DL_RESV_DIRECT_RELAXABLE] = "direct-relaxable",
	[DL_RESV_RESERVED] = "reserved",
	[DL_RESV_MSI] = "msi",
	[DL_RESV_SW_MSI] = "msi",	/* sysfs names both MSI kinds "msi" */
};

/* What the layout says, in the format of reserved_regions */
static void layout_text(const struct dl_group_layout *l, char *buf, size_t len)
{
	unsigned int i;
	size_t off = 0;

	buf[0] = '\0';
	for (i = 0; i < l->nr_resv && off < len; i++)
		off += snprintf(buf + off, len - off, "0x%016llx 0x%016llx %s\n",
				(unsigned long long)l->resv[i].start,
				(unsigned long long)l->resv[i].last,
				resv_names[l->resv[i].type]);
}

static int sysfs_regions(int group, char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%d/reserved_regions",
		 group);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

static int check_group(const struct dl_op *op, int dev, char *err,
		       size_t errlen)
{
	char want[2048], got[2048];
	int group;

	if (dev >= kv.nr_devices)
		return snprintf(err, errlen, "line %u: group %d of the script has no device (give --vfio-device BDF[,BDF...])",
				op->line, dev + 1), -1;
	group = device_group(kv.devices[dev]);
	if (group < 0 || sysfs_regions(group, got, sizeof(got)))
		return snprintf(err, errlen, "line %u: %s: no IOMMU group (%s)",
				op->line, kv.devices[dev], strerror(-group)), -1;
	layout_text(op->layout, want, sizeof(want));
	if (strcmp(want, got))
		return snprintf(err, errlen, "line %u: the group line's regions are not those of group %d (%s): it says\n%sthe machine says\n%s",
				op->line, group, kv.devices[dev], want, got), -1;
	return 0;
}

int dmaload_kernel_vfio_check(const struct dl_script *s, char *err,
			      size_t errlen)
{
	size_t i;
	int dev = 0;

	for (i = 0; i < s->nr_ops; i++)
		if (s->ops[i].kind == DL_GROUP && s->ops[i].layout &&
		    check_group(&s->ops[i], dev++, err, errlen))
			return -1;
	return 0;
}

static int kv_container(struct dmaload_backend *be, int slot)
{
	int fd = open(VFIO_CONTAINER_PATH, O_RDWR | O_CLOEXEC);

	(void)be;
	if (fd < 0)
		return -errno;
	kv.container_fd[slot] = fd;
	return 0;
}

static int open_group(int slot)
{
	char path[64];
	int group, fd;

	if (kv.next_device >= kv.nr_devices)
		return -ENODEV;
	group = device_group(kv.devices[kv.next_device++]);
	if (group < 0)
		return group;
	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	kv.group_fd[slot] = fd;
	return 0;
}

static int kv_group(struct dmaload_backend *be, int container, int group,
		    const struct dl_group_layout *layout)
{
	int ret;

	(void)be;
	(void)layout;	/* the machine's: checked before the run */
	if (!kv.container_fd[container])
		return -EBADF;
	if (!kv.group_fd[group]) {
		ret = open_group(group);
		if (ret)
			return ret;
	}
	ret = ioctl(kv.group_fd[group], VFIO_GROUP_SET_CONTAINER,
		    &kv.container_fd[container]);
	return ret < 0 ? -errno : ret;
}

static int kv_ungroup(struct dmaload_backend *be, int group)
{
	int ret;

	(void)be;
	if (!kv.group_fd[group])
		return -EBADF;
	ret = ioctl(kv.group_fd[group], VFIO_GROUP_UNSET_CONTAINER);
	return ret < 0 ? -errno : ret;
}

static int kv_ioctl(struct dmaload_backend *be, int container,
		    unsigned long cmd, void *arg)
{
	int ret;

	(void)be;
	if (!kv.container_fd[container])
		return -EBADF;
	ret = ioctl(kv.container_fd[container], cmd, (unsigned long)(uintptr_t)arg);
	return ret < 0 ? -errno : ret;
}

static int param_rw(const char *path, long *old, long value)
{
	FILE *f = fopen(path, "r+");
	int ret = 0;

	if (!f)
		return -errno;
	if (old && fscanf(f, "%ld", old) != 1)
		ret = -EIO;
	rewind(f);
	if (!ret && fprintf(f, "%ld\n", value) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/* Raise or drop CAP_IPC_LOCK in the effective set */
static int cap_ipc_lock(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	if (on)
		d[0].effective |= d[0].permitted & (1U << CAP_IPC_LOCK);
	else
		d[0].effective &= ~(1U << CAP_IPC_LOCK);
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

static int kv_limit(struct dmaload_backend *be, enum dl_limit what,
		    __u64 value)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	long old;
	int ret;

	(void)be;
	if (what == DL_LIMIT_ENTRIES) {
		ret = param_rw(ENTRY_LIMIT_PARAM, &old, value);
		if (!ret && kv.saved_entry_limit < 0)
			kv.saved_entry_limit = old;
		return ret;
	}
	if (value != DL_MEMLOCK_UNLIMITED)
		rl.rlim_cur = rl.rlim_max = value;
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		return -errno;
	return cap_ipc_lock(value == DL_MEMLOCK_UNLIMITED);
}

static void kv_close(struct dmaload_backend *be)
{
	int i;

	(void)be;
	for (i = 0; i < DL_MAX_OBJS; i++) {
		if (kv.group_fd[i])
			close(kv.group_fd[i]);
		kv.group_fd[i] = 0;
	}
	for (i = 0; i < DL_MAX_OBJS; i++) {
		if (kv.container_fd[i])
			close(kv.container_fd[i]);
		kv.container_fd[i] = 0;
	}
	if (kv.saved_entry_limit >= 0)
		param_rw(ENTRY_LIMIT_PARAM, NULL, kv.saved_entry_limit);
	kv.saved_entry_limit = -1;
	kv.next_device = 0;
}

void dmaload_kernel_vfio_init(struct dmaload_backend *be)
{
	const char *env = getenv("DMALOAD_VFIO_DEVICE");

	if (env && !kv.nr_devices)
		dmaload_kernel_vfio_devices(env);
	be->vfio_container = kv_container;
	be->vfio_group = kv_group;
	be->vfio_ungroup = kv_ungroup;
	be->vfio_ioctl = kv_ioctl;
	be->vfio_limit = kv_limit;
	be->vfio_close = kv_close;
}
