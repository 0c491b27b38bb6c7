// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload ref backend, native VFIO type1: containers are libdmaref's
 * vfio_container (include/ref/vfio_type1.h), groups are built from the
 * script's group lines (an intel-iommu of the given address width, page
 * sizes, driver and reserved regions). As on the VM (intremap=off),
 * allow_unsafe_interrupts is set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include "backend.h"
#include "script.h"
#include "ref/vfio_type1.h"

struct ref_vfio {
	struct vfio_container *containers[DL_MAX_OBJS];
	struct iommu_group *groups[DL_MAX_OBJS];
};

static struct ref_vfio ref_vfio;

static int rv_container(struct dmaload_backend *be, int slot)
{
	(void)be;
	ref_vfio.containers[slot] = vfio_container_open();
	return ref_vfio.containers[slot] ? 0 : -ENOMEM;
}

static struct iommu_group *group_new(int id, const struct dl_group_layout *l)
{
	struct iommu_group *g = calloc(1, sizeof(*g));
	unsigned int i;

	if (!g)
		return NULL;
	ref_iommu_group_init_intel(g, id, l->aw_bits);
	g->pgsize_bitmap = l->pgsizes;
	g->domain_ops = l->driver;
	for (i = 0; i < l->nr_resv; i++)
		ref_iommu_group_add_resv(g, l->resv[i].start, l->resv[i].last,
					 (enum iommu_resv_type)l->resv[i].type);
	return g;
}

static int rv_group(struct dmaload_backend *be, int container, int group,
		    const struct dl_group_layout *layout)
{
	(void)be;
	if (!ref_vfio.containers[container])
		return -EBADF;
	if (!ref_vfio.groups[group] && layout)
		ref_vfio.groups[group] = group_new(group, layout);
	if (!ref_vfio.groups[group])
		return -ENOMEM;
	return vfio_container_attach_group(ref_vfio.containers[container],
					   ref_vfio.groups[group]);
}

static int rv_ungroup(struct dmaload_backend *be, int group)
{
	(void)be;
	if (!ref_vfio.groups[group])
		return -EBADF;
	return vfio_group_unset_container(ref_vfio.groups[group]);
}

static int rv_ioctl(struct dmaload_backend *be, int container,
		    unsigned long cmd, void *arg)
{
	(void)be;
	if (!ref_vfio.containers[container])
		return -EBADF;
	return vfio_fops_unl_ioctl(ref_vfio.containers[container], cmd,
				   (unsigned long)(uintptr_t)arg);
}

static int rv_limit(struct dmaload_backend *be, enum dl_limit what,
		    __u64 value)
{
	(void)be;
	if (what == DL_LIMIT_ENTRIES)
		ref_vfio_type1_set_dma_entry_limit(value);
	else
		ref_vfio_type1_set_memlock(value, false);
	return 0;
}

static void rv_close(struct dmaload_backend *be)
{
	int i;

	(void)be;
	for (i = 0; i < DL_MAX_OBJS; i++) {
		if (ref_vfio.containers[i])
			vfio_container_close(ref_vfio.containers[i]);
		ref_vfio.containers[i] = NULL;
	}
	for (i = 0; i < DL_MAX_OBJS; i++) {
		free(ref_vfio.groups[i]);
		ref_vfio.groups[i] = NULL;
	}
}

int dmaload_ref_linux(const char *version)
{
	unsigned int major, minor;
	char end;

	if (sscanf(version, "%u.%u%c", &major, &minor, &end) != 2)
		return -EINVAL;
	return ref_vfio_type1_set_linux(major, minor);
}

void dmaload_ref_vfio_init(struct dmaload_backend *be)
{
	ref_vfio_type1_set_allow_unsafe_interrupts(true);
	be->vfio_container = rv_container;
	be->vfio_group = rv_group;
	be->vfio_ungroup = rv_ungroup;
	be->vfio_ioctl = rv_ioctl;
	be->vfio_limit = rv_limit;
	be->vfio_close = rv_close;
}
